//! Rust handlers: axum (async functions taking extractors) and actix-web
//! (`#[get("/..")]` / `#[post(..)]` functions, `web::Json` extractors).
//! `Json<Value>`, `Query<HashMap<..>>`, `Form<HashMap<..>>` and `String` /
//! `Bytes` bodies are raw; extractors of typed (`Deserialize`) structs and
//! numbers were validated by deserialisation, in shape. The content of a
//! free-text field of a struct defined in this file (`order.sku: String`)
//! and of a `Path<String>` is still the client's: it taints the sinks,
//! unless a `validator` / `garde` content constraint on the field (a
//! pattern, a custom check) was validated (`.validate()`, `Valid<..>`).
//! Structs defined in other files are not seen: their fields are clean.

use super::{
    http_method, last_segment, quoted_methods, span_between, Analysis, Env, FieldTaint, Framework, Handler, Shape,
    SinkKind, Value, Walk,
};
use aireview_core::parse::FieldByName;
use aireview_core::parse::KindName;
use aireview_core::rule::FileContext;
use aireview_core::tree_sitter::Node;

const EXTRACTORS: &[&str] = &[
    "Json",
    "Query",
    "Form",
    "Path",
    "State",
    "Extension",
    "HeaderMap",
    "Multipart",
    "TypedHeader",
    "Data",
    "HttpRequest",
    "RawQuery",
];
/// Extractors that validate what they deserialise (axum-valid's `Valid`
/// and `Garde`, axum_garde's `WithValidation`, common `ValidatedJson`s).
const VALIDATING: &[&str] = &[
    "Valid",
    "Validated",
    "Garde",
    "WithValidation",
    "ValidatedJson",
    "ValidatedForm",
    "ValidatedQuery",
    "ValidatedPath",
    "ValidJson",
    "ValidForm",
    "ValidQuery",
    "ValidPath",
];
/// Extractors that deserialise a typed struct.
const TYPED: &[&str] = &["Json", "Query", "Form", "Path"];
/// Field types that hold free text, and the wrappers around them.
const TEXT_TYPES: &[&str] = &["String", "str", "Value", "SmolStr", "CompactString", "ArcStr"];
const TEXT_WRAPPERS: &[&str] = &[
    "Option", "Vec", "Box", "Arc", "Rc", "Cow", "VecDeque", "HashSet", "BTreeSet",
];
/// `validator` / `garde` rules that constrain a string's content (a
/// pattern, an allow-list in a custom check, a fixed alphabet); length,
/// email and URL rules do not keep quotes, `../` or `;` out.
const CONTENT_RULES: &[&str] = &[
    "regex",
    "pattern",
    "custom",
    "alphanumeric",
    "ip",
    "ipv4",
    "ipv6",
    "credit_card",
];
const ACTIX_ROUTES: &[&str] = &["get", "post", "put", "patch", "delete", "route"];
const RAW_INNER: &[&str] = &["Value", "HashMap", "BTreeMap", "Map", "IndexMap"];
const PROPAGATE: &[&str] = &[
    "as_str",
    "unwrap",
    "unwrap_or",
    "unwrap_or_default",
    "to_string",
    "to_owned",
    "clone",
    "cloned",
    "expect",
    "as_deref",
    "trim",
    "to_lowercase",
    "to_uppercase",
    "into_inner",
    "as_ref",
    "unwrap_or_else",
    "ok_or",
    "ok_or_else",
    "replace",
];
const CONVERT: &[&str] = &[
    "as_i64",
    "as_u64",
    "as_f64",
    "as_bool",
    "parse",
    "from_value",
    "from_str",
    "from_slice",
    "len",
    "is_empty",
];
const SQL_SINKS: &[&str] = &[
    "query",
    "query_as",
    "query_scalar",
    "query_with",
    "execute",
    "batch_execute",
    "simple_query",
    "query_one",
    "query_opt",
    "query_row",
    "prepare",
    "sql_query",
    "query_map",
];

pub(super) fn analyze(node: Node<'_>, cx: &FileContext<'_, '_>, handlers_only: bool) -> Option<Analysis> {
    let body = node.field("body")?;
    let mut walker = Walker {
        cx,
        env: Env::default(),
    };
    walker.seed_numbers(node);
    walker.recognise(node);
    if handlers_only && walker.env.out.handler.is_none() {
        return None;
    }
    walker.eval(body);
    Some(walker.env.out)
}

pub(super) fn recognise_handler(node: Node<'_>, cx: &FileContext<'_, '_>) -> Option<Handler> {
    let mut walker = Walker {
        cx,
        env: Env::default(),
    };
    walker.recognise(node);
    let mut handler = walker.env.out.handler?;
    // Not from an attribute: look for where this file routes it (a walk of
    // the file, so only here, not for every taint analysis).
    if handler.methods.is_empty() {
        handler.methods = routed_methods(cx, &handler.name);
    }
    Some(handler)
}

/// The methods a handler named `name` is routed with in this file: axum's
/// `.route("/x", post(name))` / `get(a).put(name)`, actix's
/// `web::post().to(name)`.
fn routed_methods(cx: &FileContext<'_, '_>, name: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    if name.is_empty() || !cx.source.contains(&format!("{name})")) {
        return out;
    }
    let names_handler = |arg: Option<Node<'_>>| arg.is_some_and(|a| last_segment(cx.text(a)) == name);
    let mut stack = vec![cx.root];
    while let Some(n) = stack.pop() {
        if n.kind_name() == "call_expression" {
            let func = n.field("function");
            let first = n.field("arguments").and_then(|a| a.named_child(0));
            let head = func.map_or("", |f| match f.kind_name() {
                "field_expression" => f.field("field").map_or("", |x| cx.text(x)),
                _ => last_segment(cx.text(f)),
            });
            let method = if head == "to" {
                // `web::post().to(name)`
                func.and_then(|f| f.field("value"))
                    .filter(|v| v.kind_name() == "call_expression")
                    .and_then(|v| v.field("function"))
                    .and_then(|f| http_method(last_segment(cx.text(f))))
            } else if head.chars().all(|c| c.is_ascii_lowercase()) {
                http_method(head)
            } else {
                None
            };
            if let Some(m) = method.filter(|m| names_handler(first) && !out.contains(m)) {
                out.push(m);
            }
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    out
}

struct Walker<'a, 'c, 't> {
    cx: &'a FileContext<'c, 't>,
    env: Env,
}

/// The outer type name and its first generic argument's name:
/// `web::Json<serde_json::Value>` gives (`Json`, `Value`).
fn type_parts(ty: &str) -> (&str, &str) {
    let (outer, rest) = ty.split_once('<').unwrap_or((ty, ""));
    let inner = rest.split(['<', ',', '>']).next().unwrap_or("").trim();
    (last_segment(outer.trim()), last_segment(inner))
}

impl<'a, 't> Walker<'a, '_, 't> {
    fn text(&self, node: Node<'_>) -> &'a str {
        self.cx.text(node)
    }

    /// Parameters of number types (`id: i64`, `Path(id): Path<i64>`)
    /// cannot carry SQL or a path.
    fn seed_numbers(&mut self, node: Node<'t>) {
        let Some(params) = node.field("parameters") else {
            return;
        };
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor) {
            let (Some(pattern), Some(ty)) = (p.field("pattern"), p.field("type")) else {
                continue;
            };
            let (outer, inner) = type_parts(self.text(ty));
            let ty = if outer == "Path" { inner } else { outer };
            if is_number_type(ty) {
                if let Some(name) = binding(pattern, self.cx.source) {
                    self.env.vars.insert(name.to_string(), Value::constant());
                }
            }
        }
    }

    fn recognise(&mut self, node: Node<'t>) {
        let Some(params) = node.field("parameters") else {
            return;
        };
        let uses_axum = self.cx.facts.imports.iter().any(|i| i.module.starts_with("axum"))
            || self.cx.facts.path_roots.iter().any(|r| r == "axum");
        let uses_actix = self.cx.facts.imports.iter().any(|i| i.module.starts_with("actix_web"))
            || self.cx.facts.path_roots.iter().any(|r| r == "actix_web");
        if !uses_axum && !uses_actix {
            return;
        }
        let mut routed = false;
        let mut methods: Vec<&'static str> = Vec::new();
        let mut sibling = node.prev_named_sibling();
        while let Some(s) = sibling.filter(|s| s.kind_name() == "attribute_item") {
            let attr = self.text(s).trim_start_matches("#[");
            let head = attr.split(['(', '.']).next().unwrap_or("");
            if ACTIX_ROUTES.contains(&last_segment(head)) {
                routed = true;
                // `#[post("/x")]`, `#[route("/x", method = "POST")]`
                match http_method(last_segment(head)) {
                    Some(m) => methods.push(m),
                    None => methods.extend(quoted_methods(attr)),
                }
            }
            sibling = s.prev_named_sibling();
        }
        let is_async = self.text(node).starts_with("async") || self.text(node).contains("async fn");
        let mut cursor = params.walk();
        let list: Vec<Node<'t>> = params
            .named_children(&mut cursor)
            .filter(|p| p.kind_name() == "parameter")
            .collect();
        let extractor = list.iter().any(|p| {
            p.field("type")
                .is_some_and(|t| EXTRACTORS.contains(&type_parts(self.text(t)).0))
        });
        if !(routed || (is_async && extractor)) {
            return;
        }
        for p in list {
            let (Some(pattern), Some(ty)) = (p.field("pattern"), p.field("type")) else {
                continue;
            };
            let Some(name) = binding(pattern, self.cx.source) else {
                continue;
            };
            let ty_text = self.text(ty);
            let (outer, inner) = type_parts(ty_text);
            let value = match outer {
                "Json" | "Query" | "Form" if RAW_INNER.contains(&inner) => Value::raw(true),
                "Path" if inner == "String" => self.env.typed_read(self.cx.span(p), name),
                _ if self.env.vars.get(name).is_some_and(|v| v.constant) => continue,
                "String" | "Bytes" => self.env.read(self.cx.span(p), self.text(p)),
                _ => match self.typed_shape(ty_text) {
                    Some(shape) => self.env.typed_body(shape),
                    None => continue,
                },
            };
            self.env.vars.insert(name.to_string(), value);
        }
        let sig_end = node.field("return_type").unwrap_or(params);
        let name = node.field("name").map(|n| self.text(n).to_string()).unwrap_or_default();
        self.env.out.handler = Some(Handler {
            framework: if uses_actix && (routed || !uses_axum) {
                Framework::ActixWeb
            } else {
                Framework::Axum
            },
            signature: span_between(self.cx, node, sig_end),
            name,
            methods,
        });
    }

    /// The typed body of a `Json<T>` / `Query<T>` / `Form<T>` / `Path<T>`
    /// extractor (possibly inside a validating one) whose struct `T` is
    /// defined in this file.
    fn typed_shape(&self, ty: &str) -> Option<Shape> {
        let chain = type_chain(ty);
        let (last, wrappers) = chain.split_last()?;
        let extractor = |w: &&str| TYPED.contains(w) || VALIDATING.contains(w);
        if wrappers.is_empty() || !wrappers.iter().all(extractor) {
            return None;
        }
        // actix-web-validator's `Json<T>` / `Query<T>` validate.
        let validator_crate = !ty.contains("web::")
            && self
                .cx
                .facts
                .imports
                .iter()
                .any(|i| i.module.starts_with("actix_web_validator"));
        let mut shape = struct_shape(self.cx, last)?;
        shape.validated = validator_crate || wrappers.iter().any(|w| VALIDATING.contains(w));
        Some(shape)
    }

    /// The typed body an expression names, without evaluating it: `order`,
    /// `body.0`, `body.into_inner()`.
    fn peek_shape(&self, node: Node<'t>) -> Option<usize> {
        match node.kind_name() {
            "identifier" => self.env.vars.get(self.text(node)).and_then(|v| v.shape),
            "field_expression" if node.field("field").map(|f| self.text(f)) == Some("0") => {
                self.peek_shape(node.field("value")?)
            }
            "call_expression" => {
                let func = node.field("function")?;
                let method = func.field("field").map(|f| self.text(f));
                if func.kind_name() == "field_expression" && PROPAGATE.contains(&method?) {
                    self.peek_shape(func.field("value")?)
                } else {
                    None
                }
            }
            "reference_expression" | "parenthesized_expression" => self.peek_shape(node.named_child(0)?),
            _ => None,
        }
    }

    fn check_expr(&mut self, node: Node<'t>, strong: bool, allow: bool) {
        // `ALLOWED.contains(&order.kind.as_str())`: that field was checked.
        if strong && node.kind_name() == "field_expression" {
            let shape = node.field("value").and_then(|v| self.peek_shape(v));
            if let (Some(shape), Some(field)) = (shape, node.field("field")) {
                let field = self.text(field).to_string();
                self.env.check_field(shape, &field);
            }
        }
        let text = self.text(node);
        let allow = allow
            || (node.kind_name() == "call_expression" && text.contains(".contains("))
            || (node.kind_name() == "macro_invocation" && text.starts_with("matches!"))
            || (node.kind_name() == "binary_expression"
                && text.contains("==")
                && !text.contains("&&")
                && !text.contains("||"));
        let strong = strong || matches!(node.kind_name(), "binary_expression" | "call_expression");
        self.check_children(node, strong, allow);
    }

    fn eval_expr(&mut self, node: Node<'t>) -> Value {
        match node.kind_name() {
            "function_item" | "closure_expression" | "line_comment" | "block_comment" | "struct_item" | "impl_item" => {
                Value::clean()
            }
            "identifier" => self.env.lookup(self.text(node)),
            "integer_literal" | "float_literal" | "boolean_literal" | "char_literal" => Value::constant(),
            "string_literal" | "raw_string_literal" => Value::literal(self.text(node)),
            // `let x = ..` and `if let Some(note) = order.note`: the name holds the value.
            "let_declaration" | "let_condition" => {
                let value = node.field("value").map(|v| self.eval(v)).unwrap_or_default();
                if let Some(name) = node.field("pattern").and_then(|p| binding(p, self.cx.source)) {
                    self.env.vars.insert(name.to_string(), value);
                }
                if let Some(alt) = node.field("alternative") {
                    self.eval(alt);
                }
                Value::clean()
            }
            "assignment_expression" | "compound_assignment_expr" => {
                let augmented = node.kind_name() == "compound_assignment_expr";
                self.eval_assignment(node, self.cx.span(node), augmented);
                Value::clean()
            }
            "if_expression" | "while_expression" => {
                if let Some(cond) = node.field("condition") {
                    let start = self.env.out.uses.len();
                    self.eval(cond);
                    self.env.clear_since(start);
                    self.check(cond, false, false);
                }
                for field in ["consequence", "alternative", "body"] {
                    if let Some(b) = node.child_by_field_name(field) {
                        self.eval(b);
                    }
                }
                Value::clean()
            }
            "match_expression" => {
                if let Some(v) = node.field("value") {
                    self.eval(v);
                    self.check(v, true, true);
                }
                if let Some(b) = node.field("body") {
                    self.eval_children(b);
                }
                Value::clean()
            }
            "binary_expression" => {
                let op = node.field("operator").map(|o| self.text(o)).unwrap_or("");
                self.eval_binary(node, self.cx.span(node), op == "+")
            }
            "reference_expression"
            | "try_expression"
            | "await_expression"
            | "parenthesized_expression"
            | "type_cast_expression" => match node.field("value").or_else(|| node.named_child(0)) {
                Some(v) => self.eval(v),
                None => Value::clean(),
            },
            "field_expression" => {
                let base = node.field("value").map(|v| self.eval(v)).unwrap_or_default();
                let field = node.field("field").map(|f| self.text(f)).unwrap_or("");
                if field == "0" {
                    return base;
                }
                if let Some(shape) = base.shape {
                    return self.env.read_field(shape, field, self.cx.span(node), self.text(node));
                }
                Value {
                    container: false,
                    built: None,
                    constant: false,
                    sqlish: false,
                    risky: false,
                    ..base
                }
            }
            "index_expression" => {
                let base = node.named_child(0).map(|v| self.eval(v)).unwrap_or_default();
                if let Some(i) = node.named_child(1) {
                    self.eval(i);
                }
                if base.container {
                    return self.env.read(self.cx.span(node), self.text(node));
                }
                Value {
                    container: false,
                    built: None,
                    constant: false,
                    ..base
                }
            }
            "macro_invocation" => self.macro_call(node),
            "call_expression" => self.call(node),
            _ => Value::mixed(self.eval_children(node)),
        }
    }

    /// `format!("... {x}", y)`: built from its arguments and inline captures.
    fn macro_call(&mut self, node: Node<'t>) -> Value {
        let name = node.field("macro").map(|m| self.text(m)).unwrap_or("");
        let Some(tokens) = node
            .named_children(&mut node.walk())
            .find(|c| c.kind_name() == "token_tree")
        else {
            return Value::clean();
        };
        let mut cursor = tokens.walk();
        let children: Vec<Node<'t>> = tokens.named_children(&mut cursor).collect();
        if !matches!(last_segment(name), "format" | "concat") {
            // Other macros: reads inside still count.
            for c in children {
                self.eval(c);
            }
            return Value::clean();
        }
        let mut parts = Vec::new();
        let mut template = String::new();
        let mut after_dot = false;
        let dotted = |n: Node<'t>| self.cx.source[n.end_byte()..].starts_with('.');
        let mut i = 0;
        while i < children.len() {
            let c = children[i];
            match c.kind_name() {
                "string_literal" | "raw_string_literal" if template.is_empty() && i == 0 => {
                    template = self.text(c).to_string();
                }
                "identifier" if !after_dot => {
                    let value = self.env.lookup(self.text(c));
                    // `order.sku` is flat tokens in a macro: read the field.
                    match value.shape {
                        Some(shape) => {
                            let mut j = i;
                            while j + 1 < children.len() && dotted(children[j]) && self.text(children[j + 1]) == "0" {
                                j += 1;
                            }
                            if j + 1 < children.len() && dotted(children[j]) {
                                let field = children[j + 1];
                                let span = span_between(self.cx, c, field);
                                let text = &self.cx.source[c.start_byte()..field.end_byte()];
                                parts.push(self.env.read_field(shape, self.text(field), span, text));
                                i = j + 1;
                            }
                        }
                        None => parts.push(value),
                    }
                }
                "identifier" => {}
                _ => parts.push(self.eval(c)),
            }
            after_dot = dotted(children[i]);
            i += 1;
        }
        // Inline captures: `{name}`, `{name:?}`.
        for capture in template.split('{').skip(1) {
            let name: String = capture
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && !name.chars().all(|c| c.is_ascii_digit()) {
                parts.push(self.env.lookup(&name));
            }
        }
        let literal = Value::literal(&template);
        parts.push(literal);
        self.env.build(self.cx.span(node), parts)
    }

    fn call(&mut self, node: Node<'t>) -> Value {
        let Some(func) = node.field("function") else {
            return Value::clean();
        };
        let callee = self.text(func).to_string();
        let callee = callee.split("::<").next().unwrap_or(&callee).to_string();
        let (receiver, method) = match func.kind_name() {
            "field_expression" => (
                func.field("value"),
                func.field("field")
                    .map(|f| self.text(f).to_string())
                    .unwrap_or_default(),
            ),
            "generic_function" => {
                let inner = func.field("function");
                match inner.filter(|f| f.kind_name() == "field_expression") {
                    Some(f) => (
                        f.field("value"),
                        f.field("field").map(|f| self.text(f).to_string()).unwrap_or_default(),
                    ),
                    None => (None, last_segment(&callee).to_string()),
                }
            }
            _ => (None, last_segment(&callee).to_string()),
        };
        let base = receiver.map(|r| self.eval(r));
        let args: Vec<(Node<'t>, Value)> = match node.field("arguments") {
            Some(a) => {
                let mut cursor = a.walk();
                let list: Vec<Node<'t>> = a
                    .named_children(&mut cursor)
                    .filter(|c| !matches!(c.kind_name(), "line_comment" | "block_comment"))
                    .collect();
                list.into_iter().map(|c| (c, self.eval(c))).collect()
            }
            None => Vec::new(),
        };
        // `order.validate()?`, `Validate::validate(&order)`: the
        // constrained fields of that body hold from here on.
        if method == "validate" {
            let body = base.as_ref().or(args.first().map(|(_, v)| v)).and_then(|v| v.shape);
            if let Some(shape) = body.and_then(|i| self.env.shapes.get_mut(i)) {
                shape.validated = true;
            }
        }
        if SQL_SINKS.contains(&method.as_str()) {
            if let Some((arg, value)) = args.first() {
                let (arg, value) = (*arg, value.clone());
                self.env.sql_sink(self.cx, &callee, arg, &value);
            }
        }
        if let Some(kind) = sink_kind(&callee) {
            if let Some((arg, value)) = args.first() {
                let (arg, value) = (*arg, value.clone());
                self.env.sink(self.cx, kind, &callee, arg, &value);
            }
        }
        if method == "join" || callee.ends_with("Path::new") || callee.ends_with("PathBuf::from") {
            let v = args
                .iter()
                .map(|(_, v)| v.clone())
                .fold(base.clone().unwrap_or_default(), Value::join);
            return Value {
                built: None,
                constant: false,
                container: false,
                ..v
            };
        }
        // `.and_then(|l| l.parse().ok())`: a conversion in a closure.
        let converting_closure = args.iter().any(|(a, _)| {
            a.kind_name() == "closure_expression" && CONVERT.iter().any(|c| self.text(*a).contains(&format!(".{c}(")))
        });
        if CONVERT.contains(&method.as_str()) || converting_closure {
            for (_, v) in &args {
                self.env.clear(v);
            }
            if let Some(b) = &base {
                self.env.clear(b);
            }
            if matches!(method.as_str(), "from_value" | "from_str" | "from_slice") && self.env.out.handler.is_some() {
                let raw = args.iter().any(|(_, v)| v.tainted);
                self.env.out.validated |= raw;
            }
            return Value::constant();
        }
        if let Some(b) = base {
            if b.container && method == "get" {
                return self.env.read(self.cx.span(node), self.text(node));
            }
            if PROPAGATE.contains(&method.as_str()) {
                return Value {
                    constant: b.constant,
                    ..b
                };
            }
            if method == "push_str" {
                if let Some(r) = receiver.filter(|r| r.kind_name() == "identifier") {
                    let name = self.text(r).to_string();
                    let parts = vec![b, args.first().map(|(_, v)| v.clone()).unwrap_or_default()];
                    let v = self.env.build(self.cx.span(node), parts);
                    self.env.vars.insert(name, v);
                }
                return Value::clean();
            }
        }
        Value::clean()
    }
}

/// The type names of a generic chain: `Valid<web::Json<CreateOrder>>`
/// gives `Valid`, `Json`, `CreateOrder`.
fn type_chain(ty: &str) -> Vec<&str> {
    ty.split('<')
        .map(|piece| last_segment(piece.split([',', '>', ' ']).next().unwrap_or("").trim()))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The fields of the struct `name` defined in this file (at the top or in
/// an inline module), with what reading each gives.
fn struct_shape(cx: &FileContext<'_, '_>, name: &str) -> Option<Shape> {
    if !cx.source.contains(&format!("struct {name}")) {
        return None;
    }
    let mut items = vec![cx.root];
    let mut found = None;
    while let Some(list) = items.pop() {
        let mut cursor = list.walk();
        for item in list.named_children(&mut cursor) {
            match item.kind_name() {
                "struct_item" if item.field("name").map(|n| cx.text(n)) == Some(name) => {
                    found = Some(item);
                }
                "mod_item" => items.extend(item.field("body")),
                _ => {}
            }
        }
    }
    let body = found?.field("body")?;
    let mut fields = Vec::new();
    let mut attrs: Vec<&str> = Vec::new();
    let mut cursor = body.walk();
    for child in body.named_children(&mut cursor) {
        match child.kind_name() {
            "attribute_item" => attrs.push(cx.text(child)),
            "field_declaration" => {
                let (Some(field), Some(ty)) = (child.field("name"), child.field("type")) else {
                    attrs.clear();
                    continue;
                };
                let taint = field_taint(cx.text(ty), &attrs);
                fields.push((cx.text(field).to_string(), taint));
                attrs.clear();
            }
            _ => {}
        }
    }
    Some(Shape {
        fields,
        validated: false,
    })
}

/// What a struct field of type `ty` with attributes `attrs` gives: free
/// text (`String`, `Option<String>`, `Vec<String>`, `&str`) is tainted,
/// constrained when a `#[validate(..)]` / `#[garde(..)]` rule checks its
/// content (`#[garde(skip)]` and length rules do not).
fn field_taint(ty: &str, attrs: &[&str]) -> FieldTaint {
    let names: Vec<&str> = ty
        .split(|c: char| matches!(c, '<' | '>' | ',' | '&' | '(' | ')' | '[' | ']') || c.is_whitespace())
        .filter(|p| !p.is_empty() && !p.starts_with('\'') && *p != "mut" && *p != "dyn")
        .map(last_segment)
        .collect();
    let text = names.split_last().is_some_and(|(last, wrappers)| {
        TEXT_TYPES.contains(last) && wrappers.iter().all(|w| TEXT_WRAPPERS.contains(w))
    });
    if !text {
        return FieldTaint::Clean;
    }
    let constrained = attrs.iter().any(|a| {
        let a = a.trim_start_matches("#[").trim_start();
        // Rule names, not quoted text (`message = "custom text"`).
        let unquoted: String = a.split('"').step_by(2).collect();
        (a.starts_with("validate") || a.starts_with("garde"))
            && unquoted
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .any(|w| CONTENT_RULES.contains(&w))
    });
    if constrained {
        FieldTaint::Constrained
    } else {
        FieldTaint::Text
    }
}

/// The sink a call is, by its path.
fn sink_kind(callee: &str) -> Option<SinkKind> {
    let segments: Vec<&str> = callee.split("::").collect();
    let n = segments.len();
    let last = segments[n - 1];
    let owner = if n >= 2 { segments[n - 2] } else { "" };
    match (owner, last) {
        ("fs", _) | ("File", "open" | "create") | ("NamedFile", "open") => Some(SinkKind::Path),
        ("Redirect", "to" | "temporary" | "permanent") => Some(SinkKind::Redirect),
        ("Command", "new") => Some(SinkKind::Command),
        _ => None,
    }
}

fn is_number_type(ty: &str) -> bool {
    matches!(
        ty,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "f32"
            | "f64"
            | "bool"
            | "Uuid"
    )
}

/// The variable a parameter or `let` pattern binds: `payload`,
/// `Json(payload)`, `mut sql`.
fn binding<'s>(pattern: Node<'_>, source: &'s str) -> Option<&'s str> {
    match pattern.kind_name() {
        "identifier" => Some(&source[pattern.byte_range()]),
        "mut_pattern" | "ref_pattern" | "tuple_struct_pattern" => {
            let mut cursor = pattern.walk();
            let found = pattern
                .named_children(&mut cursor)
                .filter(|c| Some(*c) != pattern.field("type"))
                .find_map(|c| binding(c, source));
            found
        }
        _ => None,
    }
}

impl<'t> Walk<'t> for Walker<'_, '_, 't> {
    fn env(&mut self) -> &mut Env {
        &mut self.env
    }

    fn name_of(&self, node: Node<'t>) -> String {
        self.text(node).to_string()
    }

    fn eval_node(&mut self, node: Node<'t>) -> Value {
        self.eval_expr(node)
    }

    fn check_node(&mut self, node: Node<'t>, strong: bool, allow: bool) {
        self.check_expr(node, strong, allow);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_fields_are_tainted() {
        for ty in [
            "String",
            "Option<String>",
            "Vec<String>",
            "&'a str",
            "Cow<'a, str>",
            "serde_json::Value",
        ] {
            assert_eq!(field_taint(ty, &[]), FieldTaint::Text, "{ty}");
        }
        for ty in [
            "u32",
            "Option<i64>",
            "bool",
            "Uuid",
            "DateTime<Utc>",
            "Status",
            "HashMap<String, String>",
        ] {
            assert_eq!(field_taint(ty, &[]), FieldTaint::Clean, "{ty}");
        }
    }

    #[test]
    fn content_rules_constrain_length_rules_do_not() {
        let constrained = [
            "#[validate(regex(path = *SKU))]",
            "#[validate(custom(function = \"check_sku\"))]",
            "#[garde(pattern(r\"^[a-z]+$\"))]",
            "#[garde(alphanumeric)]",
        ];
        for attr in constrained {
            assert_eq!(field_taint("String", &[attr]), FieldTaint::Constrained, "{attr}");
        }
        let loose = [
            "#[validate(length(max = 20))]",
            "#[validate(email)]",
            "#[garde(skip)]",
            "#[garde(length(max = 5))]",
            "#[validate(length(max = 5, message = \"custom text\"))]",
            "#[serde(rename = \"pattern\")]",
        ];
        for attr in loose {
            assert_eq!(field_taint("String", &[attr]), FieldTaint::Text, "{attr}");
        }
    }

    #[test]
    fn type_chains() {
        assert_eq!(
            type_chain("Valid<web::Json<CreateOrder>>"),
            ["Valid", "Json", "CreateOrder"]
        );
        assert_eq!(type_chain("Json<CreateOrder>"), ["Json", "CreateOrder"]);
    }
}
