//! JavaScript / TypeScript handlers: Express, Koa and Fastify route
//! registrations with an inline handler (`app.post("/x", (req, res) => ..)`,
//! `router.route("/x").get(..)`) or a handler of the same file passed by
//! name (`router.get("/y", auth, listUsers)`), Fastify route objects
//! (`fastify.route({ url, schema, handler })`), and Next.js route handlers
//! (`export async function POST(req)`, `pages/api/*` default exports).

use super::{
    http_method, is_constant_name, is_validator_name, last_segment, looks_like_html, methods_compared, quoted_methods,
    span_between, Analysis, Env, Framework, Handler, SinkKind, Value, Walk,
};
use aireview_core::parse::FieldByName;
use aireview_core::parse::KindName;
use aireview_core::rule::FileContext;
use aireview_core::tree_sitter::Node;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

const ROUTE_METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "all"];
const NEXT_METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];
const CONTAINER_PROPS: &[&str] = &["body", "query", "headers", "cookies", "signedCookies"];
const CONVERTERS: &[&str] = &[
    "Number",
    "parseInt",
    "parseFloat",
    "BigInt",
    "Boolean",
    "isNaN",
    "escape",
    "sanitize",
];
const STRING_METHODS: &[&str] = &[
    "trim",
    "trimStart",
    "trimEnd",
    "toLowerCase",
    "toUpperCase",
    "replace",
    "replaceAll",
    "slice",
    "substring",
    "toString",
    "concat",
    "normalize",
];
const SQL_SINKS: &[&str] = &[
    "query",
    "execute",
    "raw",
    "$queryRawUnsafe",
    "$executeRawUnsafe",
    "unsafe",
    "exec",
    "prepare",
];
/// express-validator chains used as route middleware.
const VALIDATOR_MIDDLEWARE: &[&str] = &[
    "body",
    "query",
    "param",
    "check",
    "checkSchema",
    "header",
    "cookie",
    "oneOf",
];

pub(super) fn analyze(node: Node<'_>, cx: &FileContext<'_, '_>, handlers_only: bool) -> Option<Analysis> {
    let body = node.field("body")?;
    let mut walker = Walker {
        cx,
        env: Env::default(),
        requests: Vec::new(),
    };
    walker.recognise(node);
    if handlers_only && walker.env.out.handler.is_none() {
        return None;
    }
    if body.kind_name() == "statement_block" {
        walker.block(body);
    } else {
        walker.eval(body);
    }
    Some(walker.env.out)
}

pub(super) fn recognise_handler(node: Node<'_>, cx: &FileContext<'_, '_>) -> Option<Handler> {
    let mut walker = Walker {
        cx,
        env: Env::default(),
        requests: Vec::new(),
    };
    walker.recognise(node);
    walker.env.out.handler
}

/// The methods of a route name (`POST /x`, `["GET","POST"] /y`); none for
/// `ALL` or a controller's name (`createOrder`).
fn route_methods(name: &str) -> Vec<&'static str> {
    // The path starts with `/`; a method list may hold spaces (`["POST", "PUT"]`).
    let head = match name.rsplit_once(" /") {
        Some((head, _)) => head,
        None => name.split(' ').next().unwrap_or(""),
    };
    if head.chars().any(|c| c.is_ascii_lowercase()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for word in head.split(|c: char| !c.is_ascii_alphabetic()) {
        if let Some(m) = http_method(word) {
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

struct Walker<'a, 'c, 't> {
    cx: &'a FileContext<'c, 't>,
    env: Env,
    requests: Vec<String>,
}

fn imports(cx: &FileContext<'_, '_>, modules: &[&str]) -> bool {
    cx.facts.imports.iter().any(|i| modules.contains(&i.module.as_str()))
}

impl<'a, 't> Walker<'a, '_, 't> {
    fn text(&self, node: Node<'_>) -> &'a str {
        self.cx.text(node)
    }

    fn first_param(&self, node: Node<'t>) -> Option<String> {
        let params = node.field("parameters").or_else(|| node.field("parameter"))?;
        if params.kind_name() == "identifier" {
            return Some(self.text(params).to_string());
        }
        let first = params.named_child(0)?;
        let ident = match first.kind_name() {
            "identifier" => first,
            _ => first.field("pattern").filter(|p| p.kind_name() == "identifier")?,
        };
        Some(self.text(ident).to_string())
    }

    fn recognise(&mut self, node: Node<'t>) {
        let Some(request) = self.first_param(node) else { return };
        let params = node.field("parameters").unwrap_or(node);
        let (framework, signature, name) = if let Some((call, framework)) = self.route_registration(node) {
            let path = call.field("arguments").and_then(|a| a.named_child(0)).unwrap_or(call);
            (framework, span_between(self.cx, call, path), self.route_name(call))
        } else if let Some((call, framework, name)) = self.inline_route_object(node) {
            let func = call.field("function").unwrap_or(call);
            (framework, self.cx.span(func), name)
        } else if let Some((framework, name)) = self.named_registration(node) {
            (framework, span_between(self.cx, node, params), name)
        } else if let Some(name) = self.next_handler(node) {
            let start = self
                .cx
                .parent()
                .filter(|p| p.kind_name() == "export_statement")
                .unwrap_or(node);
            (Framework::NextJs, span_between(self.cx, start, params), name)
        } else if let Some(name) = self.controller_name(node) {
            // `async function createOrder(req, res)`, `exports.create = (req, res) => ..`:
            // a handler registered elsewhere by name, with a method not known here.
            (Framework::Express, span_between(self.cx, node, params), name)
        } else {
            return;
        };
        let methods = if framework == Framework::NextJs {
            // `export async function POST`, or a `pages/api` handler that
            // branches on `req.method`.
            match http_method(&name) {
                Some(m) if name == m => vec![m],
                _ => {
                    let body = node.field("body").map_or("", |b| self.text(b));
                    methods_compared(body, &[&format!("{request}.method")])
                }
            }
        } else {
            // Route names start with the method (`POST /users`); controller
            // names are identifiers.
            route_methods(&name)
        };
        self.requests.push(request);
        self.env.out.handler = Some(Handler {
            framework,
            signature,
            name,
            methods,
        });
    }

    /// `POST /users` for `router.post("/users", ..)`.
    fn route_name(&self, call: Node<'t>) -> String {
        let func = call.field("function");
        let method = func
            .and_then(|f| f.field("property"))
            .map_or("", |p| self.text(p))
            .to_ascii_uppercase();
        let mut path = call
            .field("arguments")
            .and_then(|a| a.named_child(0))
            .filter(|p| matches!(p.kind_name(), "string" | "template_string"))
            .map(|p| self.text(p));
        if path.is_none() {
            // `router.route("/x").post(..)`
            path = func
                .and_then(|f| f.field("object"))
                .and_then(|o| o.field("arguments"))
                .and_then(|a| a.named_child(0))
                .map(|p| self.text(p));
        }
        let path = path.unwrap_or("").trim_matches(|c| c == '"' || c == '\'' || c == '`');
        format!("{method} {path}").trim().to_string()
    }

    /// `app.post("/x", ..., <this function>)`: the registration call.
    fn route_registration(&mut self, node: Node<'t>) -> Option<(Node<'t>, Framework)> {
        let n = self.cx.ancestors.len();
        let args = *self.cx.ancestors.get(n.checked_sub(1)?)?;
        let call = *self.cx.ancestors.get(n.checked_sub(2)?)?;
        if args.kind_name() != "arguments" || call.kind_name() != "call_expression" {
            return None;
        }
        self.registration(call, node, node.id())
    }

    /// A handler defined by name in this file and registered in it:
    /// `app.post("/x", auth, createUser)`, `fastify.route({ handler })`.
    fn named_registration(&mut self, node: Node<'t>) -> Option<(Framework, String)> {
        let name = match node.field("name") {
            Some(n) => n,
            None => self
                .cx
                .parent()
                .filter(|p| p.kind_name() == "variable_declarator")?
                .field("name")
                .filter(|n| n.kind_name() == "identifier")?,
        };
        let name = self.text(name);
        let root = self.cx.root;
        // A scan of the text first: most files never pass a function by
        // name, and then the tree is not walked at all.
        if !maybe_registered(self.cx, root, name) {
            return None;
        }
        // The file's calls that could register `name`, found once per file
        // (a file of many functions walked its whole tree once per
        // function), in the order of that walk.
        let calls = registering_calls(self.cx, root);
        let candidates = calls.get(name)?;
        for &(start, end) in candidates {
            match root.descendant_for_byte_range(start, end) {
                Some(n) if n.kind_name() == "call_expression" && n.byte_range() == (start..end) => {
                    if let Some(found) = self.registered_by(n, node, name) {
                        return Some(found);
                    }
                }
                _ => return self.registered_anywhere(node, name),
            }
        }
        None
    }

    /// Whether the call `n` registers the handler `node` named `name`.
    fn registered_by(&mut self, n: Node<'t>, node: Node<'t>, name: &str) -> Option<(Framework, String)> {
        let args = n.field("arguments").filter(|a| a.kind_name() == "arguments");
        let last = args.and_then(|a| {
            a.named_children(&mut a.walk())
                .filter(|c| c.kind_name() != "comment")
                .last()
        });
        if let Some(last) = last.filter(|l| l.kind_name() == "identifier" && self.text(*l) == name) {
            if let Some((call, framework)) = self.registration(n, node, last.id()) {
                return Some((framework, self.route_name(call)));
            }
        }
        self.route_object(n, node, Some(name))
            .map(|(_, framework, route)| (framework, route))
    }

    /// `named_registration` by walking the whole tree (when a call's range
    /// does not lead back to it).
    fn registered_anywhere(&mut self, node: Node<'t>, name: &str) -> Option<(Framework, String)> {
        let mut stack = vec![self.cx.root];
        while let Some(n) = stack.pop() {
            if n.kind_name() == "call_expression" {
                if let Some(found) = self.registered_by(n, node, name) {
                    return Some(found);
                }
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
        None
    }

    /// An inline handler of a route object: `fastify.route({ handler: (req, reply) => .. })`.
    fn inline_route_object(&mut self, node: Node<'t>) -> Option<(Node<'t>, Framework, String)> {
        let n = self.cx.ancestors.len();
        let pair = *self.cx.ancestors.get(n.checked_sub(1)?)?;
        let call = *self.cx.ancestors.get(n.checked_sub(4)?)?;
        if pair.kind_name() != "pair" || call.kind_name() != "call_expression" {
            return None;
        }
        self.route_object(call, node, None)
    }

    /// Fastify's `fastify.route({ method, url, schema, handler })`, with the
    /// handler inline or (`named`) a function of this file. A `schema`
    /// validates the route.
    fn route_object(
        &mut self,
        call: Node<'t>,
        node: Node<'t>,
        named: Option<&str>,
    ) -> Option<(Node<'t>, Framework, String)> {
        let func = call
            .field("function")
            .filter(|f| f.kind_name() == "member_expression")?;
        if func.field("property").map(|p| self.text(p)) != Some("route") {
            return None;
        }
        let object = call
            .field("arguments")?
            .named_child(0)
            .filter(|o| o.kind_name() == "object")?;
        let mut cursor = object.walk();
        let props: Vec<Node<'t>> = object.named_children(&mut cursor).collect();
        let mut handler = false;
        let mut schema = false;
        let (mut method, mut url) = ("", "");
        for p in props {
            let (key, value) = match p.kind_name() {
                "shorthand_property_identifier" => (self.text(p), Some(p)),
                "pair" => (p.field("key").map_or("", |k| self.text(k)), p.field("value")),
                _ => continue,
            };
            let value_text = value.map_or("", |v| self.text(v));
            match key {
                "handler" => {
                    handler = match named {
                        Some(name) => value_text == name,
                        None => value.map(|v| v.id()) == Some(node.id()),
                    }
                }
                "schema" => schema = true,
                "method" => method = value_text,
                // hapi's `server.route({ method, path, handler })` validates
                // elsewhere (`options.validate`): `path` only in Fastify code.
                "url" => url = value_text,
                "path" if imports(self.cx, &["fastify"]) => url = value_text,
                _ => {}
            }
        }
        if !handler || !url.starts_with(['"', '\'', '`']) {
            return None;
        }
        if schema {
            self.env.out.validated = true;
        }
        let unquote = |t: &str| t.trim_matches(|c| c == '"' || c == '\'' || c == '`').to_string();
        // `method: ["POST", "PUT"]` names `POST/PUT`.
        let method = if method.starts_with('[') {
            quoted_methods(method).join("/")
        } else {
            unquote(method).to_ascii_uppercase()
        };
        let name = format!("{} {}", method, unquote(url));
        Some((call, Framework::Fastify, name))
    }

    /// A registration call `app.post("/x", ..., handler)` whose last
    /// argument is the handler (`handler_id`): the validation middleware
    /// and schema options before it, and the framework.
    fn registration(&mut self, call: Node<'t>, node: Node<'t>, handler_id: usize) -> Option<(Node<'t>, Framework)> {
        let func = call
            .field("function")
            .filter(|f| f.kind_name() == "member_expression")?;
        let method = func.field("property").map(|p| self.text(p))?;
        if !ROUTE_METHODS.contains(&method) {
            return None;
        }
        let args = call.field("arguments")?;
        let object = func.field("object")?;
        let mut cursor = args.walk();
        let list: Vec<Node<'t>> = args
            .named_children(&mut cursor)
            .filter(|a| a.kind_name() != "comment")
            .collect();
        let path_first = list.first().is_some_and(|a| {
            matches!(a.kind_name(), "string" | "template_string") && self.text(*a).get(1..2) == Some("/")
        });
        let chained_route = object.kind_name() == "call_expression"
            && object
                .field("function")
                .is_some_and(|f| self.text(f).ends_with(".route"));
        if !(path_first || chained_route) || list.last().map(|l| l.id()) != Some(handler_id) {
            return None;
        }
        // Validation middleware between the path and the handler.
        let middleware = list
            .get(usize::from(path_first)..list.len().saturating_sub(1))
            .unwrap_or(&[]);
        for mw in middleware {
            let text = self.text(*mw);
            let head = text.split(['(', '.']).next().unwrap_or("");
            let validates = text.to_ascii_lowercase().contains("valid")
                || VALIDATOR_MIDDLEWARE.contains(&head)
                || text
                    .trim_start_matches('[')
                    .split(['(', '.'])
                    .next()
                    .is_some_and(|h| VALIDATOR_MIDDLEWARE.contains(&h))
                || (mw.kind_name() == "object" && text.contains("schema"));
            if validates {
                self.env.out.validated = true;
            }
        }
        let framework = if imports(self.cx, &["fastify"]) {
            Framework::Fastify
        } else if imports(self.cx, &["koa", "@koa/router", "koa-router"])
            || self.first_param(node).as_deref() == Some("ctx")
        {
            Framework::Koa
        } else {
            Framework::Express
        };
        Some((call, framework))
    }

    /// Next.js: `export async function POST(req)`, or the default export
    /// of a `pages/api/` module.
    /// A function whose first two parameters are `(req, res)` (or
    /// `(request, response)`): the shape of an Express / Node handler. Its
    /// name, from the declaration or what it is assigned to.
    fn controller_name(&self, node: Node<'t>) -> Option<String> {
        let params = node.field("parameters")?;
        let mut cursor = params.walk();
        let names: Vec<&str> = params
            .named_children(&mut cursor)
            .take(2)
            .map(|p| {
                let ident = if p.kind_name() == "identifier" {
                    Some(p)
                } else {
                    p.field("pattern")
                };
                ident.map_or("", |i| self.text(i))
            })
            .collect();
        if !matches!(names.as_slice(), ["req", "res"] | ["request", "response"]) {
            return None;
        }
        if let Some(name) = node.field("name") {
            return Some(self.text(name).to_string());
        }
        let parent = self.cx.parent()?;
        let target = match parent.kind_name() {
            "variable_declarator" => parent.field("name"),
            "assignment_expression" => parent.field("left"),
            "pair" => parent.field("key"),
            _ => None,
        }?;
        Some(self.text(target).to_string())
    }

    fn next_handler(&self, node: Node<'t>) -> Option<String> {
        if node.kind_name() != "function_declaration" {
            return None;
        }
        let export = self.cx.parent().filter(|p| p.kind_name() == "export_statement")?;
        let name = node.field("name").map(|n| self.text(n).to_string()).unwrap_or_default();
        if NEXT_METHODS.contains(&name.as_str()) && self.cx.path().contains("app/") {
            return Some(name);
        }
        let default = self.text(export).starts_with("export default");
        (default && self.cx.path().contains("pages/api/")).then(|| {
            if name.is_empty() {
                "handler".to_string()
            } else {
                name
            }
        })
    }

    fn is_request(&self, node: Node<'_>) -> bool {
        node.kind_name() == "identifier" && self.requests.iter().any(|r| r == self.text(node))
    }

    fn block(&mut self, node: Node<'t>) {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for child in children {
            self.statement(child);
        }
    }

    fn statement(&mut self, node: Node<'t>) {
        match node.kind_name() {
            "function_declaration" | "class_declaration" | "comment" => {}
            "lexical_declaration" | "variable_declaration" => {
                let mut cursor = node.walk();
                let declarators: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                for d in declarators {
                    if let (Some(name), Some(value)) = (d.field("name"), d.field("value")) {
                        let v = self.eval(value);
                        self.bind(name, value, v);
                    }
                }
            }
            "if_statement" | "while_statement" | "do_statement" => {
                if let Some(cond) = node.field("condition") {
                    let start = self.env.out.uses.len();
                    self.eval(cond);
                    self.env.clear_since(start);
                    self.check(cond, false, false);
                }
                for field in ["consequence", "alternative", "body"] {
                    if let Some(b) = node.child_by_field_name(field) {
                        self.statement(b);
                    }
                }
            }
            "switch_statement" => {
                if let Some(v) = node.field("value") {
                    self.check(v, true, true);
                }
                if let Some(b) = node.field("body") {
                    self.block(b);
                }
            }
            "for_in_statement" => {
                if let Some(right) = node.field("right") {
                    let mut v = self.eval(right);
                    v.container = false;
                    if let Some(left) = node.field("left") {
                        self.bind(left, right, v);
                    }
                }
                if let Some(b) = node.field("body") {
                    self.statement(b);
                }
            }
            "statement_block"
            | "else_clause"
            | "try_statement"
            | "catch_clause"
            | "finally_clause"
            | "switch_body"
            | "switch_case"
            | "switch_default"
            | "expression_statement"
            | "for_statement"
            | "labeled_statement" => {
                self.block(node);
            }
            _ => {
                self.eval(node);
            }
        }
    }

    /// Binds a declared name or pattern; destructuring a request
    /// collection reads each property.
    fn bind(&mut self, target: Node<'t>, source: Node<'t>, value: Value) {
        match target.kind_name() {
            "identifier" => {
                self.env.vars.insert(self.text(target).to_string(), value);
            }
            "object_pattern" if value.container => {
                let quiet = self.text(source).ends_with(".params");
                let mut cursor = target.walk();
                let props: Vec<Node<'t>> = target.named_children(&mut cursor).collect();
                for p in props {
                    let (key, var) = match p.kind_name() {
                        "shorthand_property_identifier_pattern" => (p, p),
                        "pair_pattern" => match (p.field("key"), p.field("value")) {
                            (Some(k), Some(v)) if v.kind_name() == "identifier" => (k, v),
                            _ => continue,
                        },
                        "object_assignment_pattern" => match p.field("left") {
                            Some(l) => (l, l),
                            None => continue,
                        },
                        _ => continue,
                    };
                    let mut v = Value::raw(false);
                    if !quiet {
                        let from = self.text(source);
                        let text = format!("{}.{}", from.strip_prefix("await ").unwrap_or(from), self.text(key));
                        v.uses.push(self.env.record_use(self.cx.span(p), &text));
                    }
                    self.env.vars.insert(self.text(var).to_string(), v);
                }
            }
            "object_pattern" | "array_pattern" => {
                let mut cursor = target.walk();
                let names: Vec<Node<'t>> = target.named_children(&mut cursor).collect();
                for n in names {
                    if matches!(n.kind_name(), "identifier" | "shorthand_property_identifier_pattern") {
                        self.env.vars.insert(
                            self.text(n).to_string(),
                            Value {
                                built: None,
                                ..value.clone()
                            },
                        );
                    }
                }
            }
            _ => {}
        }
    }

    fn check_expr(&mut self, node: Node<'t>, strong: bool, allow: bool) {
        let text = self.text(node);
        let allow = allow
            || (node.kind_name() == "call_expression"
                && [".includes(", ".has(", ".indexOf("].iter().any(|m| text.contains(m)))
            || (node.kind_name() == "binary_expression"
                && text.contains("==")
                && !text.contains("&&")
                && !text.contains("||"));
        let strong = strong
            || (node.kind_name() == "binary_expression"
                && !self.text(node).contains("&&")
                && !self.text(node).contains("||"))
            || node.kind_name() == "call_expression";
        self.check_children(node, strong, allow);
    }

    fn eval_expr(&mut self, node: Node<'t>) -> Value {
        match node.kind_name() {
            "identifier" => self.env.lookup(self.text(node)),
            "number" | "true" | "false" | "null" | "undefined" => Value::constant(),
            "string" => Value::literal(self.text(node)),
            "template_string" => {
                let mut text = String::new();
                let mut parts = Vec::new();
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                for c in children {
                    match c.kind_name() {
                        "string_fragment" => text.push_str(self.text(c)),
                        "template_substitution" => {
                            if let Some(e) = c.named_child(0) {
                                parts.push(self.eval(e));
                            }
                        }
                        _ => {}
                    }
                }
                if children_text_only(node) {
                    text = self.text(node).to_string();
                }
                let literal = Value::literal(&text);
                if parts.is_empty() {
                    return literal;
                }
                parts.push(literal);
                self.env.build(self.cx.span(node), parts)
            }
            "binary_expression" => {
                let op = node.field("operator").map(|o| self.text(o)).unwrap_or("");
                self.eval_binary(node, self.cx.span(node), op == "+")
            }
            "member_expression" | "subscript_expression" => self.member(node),
            "call_expression" => self.call(node),
            "await_expression"
            | "parenthesized_expression"
            | "non_null_expression"
            | "as_expression"
            | "satisfies_expression"
            | "type_assertion"
            | "spread_element" => match node.named_child(0) {
                Some(v) => self.eval(v),
                None => Value::clean(),
            },
            "ternary_expression" => {
                if let Some(cond) = node.field("condition") {
                    self.eval(cond);
                    self.check(cond, false, false);
                }
                let parts: Vec<Value> = ["consequence", "alternative"]
                    .iter()
                    .filter_map(|f| node.child_by_field_name(f))
                    .map(|c| self.eval(c))
                    .collect();
                let constant = parts.iter().all(|p| p.constant);
                let mut v = parts.into_iter().fold(Value::clean(), Value::join);
                v.constant = constant;
                v
            }
            "assignment_expression" | "augmented_assignment_expression" => {
                let augmented = node.kind_name() == "augmented_assignment_expression";
                self.eval_assignment(node, self.cx.span(node), augmented)
            }
            "arrow_function" | "function_expression" | "function" | "class" => Value::clean(),
            _ => Value::mixed(self.eval_children(node)),
        }
    }

    /// `req.body`, `req.body.email`, `body["email"]`, `ctx.request.body`.
    fn member(&mut self, node: Node<'t>) -> Value {
        let Some(object) = node.field("object") else {
            return Value::clean();
        };
        let prop = node
            .field("property")
            .or_else(|| node.field("index"))
            .map(|p| self.text(p).to_string())
            .unwrap_or_default();
        if node.kind_name() == "subscript_expression" {
            if let Some(i) = node.field("index") {
                self.eval(i);
            }
        }
        if self.is_request(object) {
            if CONTAINER_PROPS.contains(&prop.as_str()) || prop == "params" {
                return Value::raw(true);
            }
            return Value::clean();
        }
        // Koa's `ctx.request.body`, Next's `req.nextUrl.searchParams`.
        if object.kind_name() == "member_expression" {
            let inner = object.field("object");
            let inner_prop = object.field("property").map(|p| self.text(p)).unwrap_or("");
            if inner.is_some_and(|i| self.is_request(i)) && matches!(inner_prop, "request" | "nextUrl") {
                if CONTAINER_PROPS.contains(&prop.as_str()) || prop == "searchParams" {
                    return Value::raw(true);
                }
                return Value::clean();
            }
        }
        let base = self.eval(object);
        if base.container {
            if self.text(object).ends_with(".params") {
                return Value::raw(false);
            }
            return self.env.read(self.cx.span(node), self.text(node));
        }
        Value {
            container: false,
            constant: base.constant && is_constant_name(&prop),
            built: None,
            sqlish: false,
            risky: false,
            ..base
        }
    }

    fn call(&mut self, node: Node<'t>) -> Value {
        let Some(func) = node.field("function") else {
            return Value::clean();
        };
        let Some(args_node) = node.field("arguments").filter(|a| a.kind_name() == "arguments") else {
            // A tagged template (`sql\`...\``) is parameterised by its tag.
            return Value::clean();
        };
        let callee = self.text(func).to_string();
        let name = last_segment(&callee).to_string();
        let receiver = (func.kind_name() == "member_expression")
            .then(|| func.field("object"))
            .flatten();
        let receiver_value = receiver.map(|r| {
            if self.is_request(r) {
                Value::clean()
            } else {
                self.eval(r)
            }
        });
        let mut cursor = args_node.walk();
        let arg_nodes: Vec<Node<'t>> = args_node
            .named_children(&mut cursor)
            .filter(|c| c.kind_name() != "comment")
            .collect();
        let args: Vec<(Node<'t>, Value)> = arg_nodes.into_iter().map(|a| (a, self.eval(a))).collect();
        if SQL_SINKS.contains(&name.as_str()) && receiver.is_some() {
            if let Some((arg, value)) = args.first() {
                let (arg, value) = (*arg, value.clone());
                self.env.sql_sink(self.cx, &callee, arg, &value);
            }
        }
        let receiver_text = receiver.map_or("", |r| self.text(r));
        if let Some(kind) = sink_kind(receiver_text, receiver.is_some(), &name) {
            // `res.redirect(301, url)`: the target is the last argument.
            let arg = if kind == SinkKind::Redirect {
                args.last()
            } else {
                args.first()
            };
            if let Some((arg, value)) = arg {
                let (arg, value) = (*arg, value.clone());
                self.env.sink(self.cx, kind, &callee, arg, &value);
            }
        }
        // `res.send(`<p>${name}</p>`)`: HTML built from input.
        if matches!(name.as_str(), "send" | "write" | "end") && receiver.is_some() {
            if let Some((arg, value)) = args.first() {
                if value.built.is_some() && looks_like_html(self.text(*arg)) {
                    let (arg, value) = (*arg, value.clone());
                    self.env.sink(self.cx, SinkKind::Html, &callee, arg, &value);
                }
            }
        }
        if let Some(r) = receiver.filter(|r| self.is_request(*r)) {
            let _ = r;
            return match name.as_str() {
                "json" | "formData" => Value::raw(true),
                "text" => Value::raw(false),
                "get" | "header" | "param" => self.env.read(self.cx.span(node), self.text(node)),
                _ => Value::clean(),
            };
        }
        let all_args = || args.iter().map(|(_, v)| v.clone()).fold(Value::clean(), Value::join);
        if let Some(base) = &receiver_value {
            if base.container && matches!(name.as_str(), "get" | "getAll") {
                return self.env.read(self.cx.span(node), self.text(node));
            }
            if STRING_METHODS.contains(&name.as_str()) {
                return Value {
                    built: None,
                    container: false,
                    constant: false,
                    ..base.clone().join(all_args())
                };
            }
            if name == "join" {
                let mut parts: Vec<Value> = args.iter().map(|(_, v)| v.clone()).collect();
                parts.push(base.clone());
                return self.env.build(self.cx.span(node), parts);
            }
        }
        if callee == "JSON.parse" {
            let v = all_args();
            return Value {
                container: v.tainted,
                built: None,
                constant: false,
                ..v
            };
        }
        if CONVERTERS.contains(&name.as_str()) || callee.starts_with("Math.") {
            for (_, v) in &args {
                self.env.clear(v);
            }
            return Value::constant();
        }
        if is_validator_name(&name) {
            for (_, v) in &args {
                self.env.clear(v);
            }
            if let Some(base) = &receiver_value {
                self.env.clear(base);
            }
            if self.env.out.handler.is_some() {
                self.env.out.validated = true;
            }
            return Value::clean();
        }
        if name == "String" || matches!(callee.as_str(), "path.join" | "path.resolve" | "path.normalize") {
            return Value {
                built: None,
                constant: false,
                ..all_args()
            };
        }
        Value::clean()
    }
}

/// The sink a call is: by its name, and its receiver where the name alone
/// is ambiguous (`db.exec` runs SQL, `exec` from `child_process` a command).
fn sink_kind(receiver: &str, has_receiver: bool, name: &str) -> Option<SinkKind> {
    let process = !has_receiver || matches!(receiver, "child_process" | "cp" | "childProcess");
    match name {
        "exec" | "execSync" | "spawn" | "spawnSync" | "execFile" | "execFileSync" if process => Some(SinkKind::Command),
        "readFile" | "readFileSync" | "createReadStream" | "writeFile" | "writeFileSync" | "createWriteStream"
        | "unlink" | "unlinkSync" | "rm" | "rmSync" | "readdir" | "readdirSync" | "sendFile" | "download" => {
            Some(SinkKind::Path)
        }
        "eval" if !has_receiver => Some(SinkKind::Eval),
        "runInNewContext" | "runInThisContext" | "runInContext" if receiver == "vm" => Some(SinkKind::Eval),
        "redirect" => Some(SinkKind::Redirect),
        _ => None,
    }
}

/// Whether `name` appears where a handler passed by name would: the last
/// argument of a call (`name)`, `name,\n)`) or a route object's
/// `handler: name` / `handler`. Spares walking the tree for every function.
/// The byte ranges of the file's calls that could register a handler by
/// name, by that name, in the order of the walk `registered_anywhere`
/// makes; computed once per file. `registered_by` matches only a call
/// whose last argument is the name, or a `.route({ handler: name })`.
fn registering_calls<'t>(cx: &FileContext<'_, 't>, root: Node<'t>) -> Rc<HashMap<String, Vec<(usize, usize)>>> {
    cx.shared(root, 0, || {
        let mut calls: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            if n.kind_name() == "call_expression" {
                let range = (n.start_byte(), n.end_byte());
                for name in registered_names(cx, n) {
                    let list = calls.entry(name.to_string()).or_default();
                    if list.last() != Some(&range) {
                        list.push(range);
                    }
                }
            }
            let mut cursor = n.walk();
            stack.extend(n.named_children(&mut cursor));
        }
        Rc::new(calls)
    })
}

/// The names a call could register: its last argument when that is an
/// identifier, and the `handler` of a `.route({ .. })` object.
fn registered_names<'s>(cx: &'s FileContext<'_, '_>, call: Node<'_>) -> Vec<&'s str> {
    let mut names = Vec::new();
    let Some(args) = call.field("arguments") else {
        return names;
    };
    let last = args
        .named_children(&mut args.walk())
        .filter(|c| c.kind_name() != "comment")
        .last();
    if let Some(last) = last.filter(|l| l.kind_name() == "identifier") {
        names.push(cx.text(last));
    }
    let is_route = call
        .field("function")
        .filter(|f| f.kind_name() == "member_expression")
        .and_then(|f| f.field("property"))
        .is_some_and(|p| cx.text(p) == "route");
    if let Some(object) = args.named_child(0).filter(|o| is_route && o.kind_name() == "object") {
        for p in object.named_children(&mut object.walk()) {
            match p.kind_name() {
                "shorthand_property_identifier" if cx.text(p) == "handler" => names.push("handler"),
                "pair" if p.field("key").is_some_and(|k| cx.text(k) == "handler") => {
                    names.extend(p.field("value").map(|v| cx.text(v)));
                }
                _ => {}
            }
        }
    }
    names
}

fn maybe_registered(cx: &FileContext<'_, '_>, root: Node<'_>, name: &str) -> bool {
    if name == "handler" {
        return true;
    }
    if !name.chars().all(is_ident_char) {
        return maybe_registered_at(cx.text(root), name);
    }
    // Every name in such a place, found in one pass over the text per file:
    // scanning the text for each function's name cost more than the walk.
    cx.shared(root, 1, || Rc::new(names_in_registering_place(cx.text(root))))
        .contains(name)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// The identifiers followed by `)` or `, )` (a call's last argument) or
/// preceded by `handler:`, whitespace allowed between.
fn names_in_registering_place(source: &str) -> HashSet<String> {
    let mut names = HashSet::new();
    for (close, _) in source.match_indices(')') {
        let before = source[..close].trim_end();
        let before = before.strip_suffix(',').map_or(before, str::trim_end);
        let start = before
            .char_indices()
            .rev()
            .take_while(|&(_, c)| is_ident_char(c))
            .last()
            .map_or(before.len(), |(i, _)| i);
        if start < before.len() {
            names.insert(before[start..].to_string());
        }
    }
    for (at, key) in source.match_indices("handler:") {
        let after = source[at + key.len()..].trim_start();
        let end = after.find(|c: char| !is_ident_char(c)).unwrap_or(after.len());
        if end > 0 {
            names.insert(after[..end].to_string());
        }
    }
    names
}

/// `maybe_registered` for one name, by scanning the text.
fn maybe_registered_at(source: &str, name: &str) -> bool {
    source.match_indices(name).any(|(i, _)| {
        let before = &source[..i];
        let after = &source[i + name.len()..];
        if before.ends_with(is_ident_char) || after.starts_with(is_ident_char) {
            return false;
        }
        let rest = after.trim_start();
        let last_arg = rest.starts_with(')') || rest.strip_prefix(',').is_some_and(|r| r.trim_start().starts_with(')'));
        last_arg || before.trim_end().ends_with("handler:")
    })
}

/// A template string without substitutions (its text is the whole node).
fn children_text_only(node: Node<'_>) -> bool {
    node.named_child_count() == 0
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

    /// The one-pass set answers exactly as scanning the text for each name.
    #[test]
    fn registering_places_match_the_per_name_scan() {
        let source =
            "app.post('/x', auth, createUser);\nrouter.get('/y', list ,\n);\nfastify.route({ handler:  show });\n\
                      f(a)(b); g(x.y); h($cb); k(_z,)\nconst ö = 1; use(ö)\ncreateUserX(1); notLast, createUser2;";
        let names = names_in_registering_place(source);
        for name in [
            "createUser",
            "list",
            "show",
            "a",
            "b",
            "y",
            "$cb",
            "_z",
            "ö",
            "auth",
            "x",
            "createUser2",
            "f",
            "g",
        ] {
            assert_eq!(
                names.contains(name),
                maybe_registered_at(source, name),
                "{name}: set and scan disagree"
            );
        }
        for registered in ["createUser", "list", "show", "$cb", "_z", "ö"] {
            assert!(names.contains(registered), "{registered}");
        }
        for not in ["auth", "x", "createUser2", "f"] {
            assert!(!names.contains(not), "{not}");
        }
    }
}
