//! Python handlers: Flask (`@app.route`, `@bp.post`), FastAPI / Starlette
//! (`@app.get`, `@router.post`) and Django views (functions taking
//! `request` in a views module, methods of class-based views).
//!
//! FastAPI's typed parameters and pydantic models validate the shape of
//! the request; a `str` parameter and a `str` field of a model defined in
//! this file still hold any text the client sent, and taint the sinks,
//! unless a pattern (`constr(pattern=..)`, `Field(pattern=..)`,
//! `Query(pattern=..)`, `StringConstraints`), a `Literal`, or a validator
//! for the field (`@field_validator`, `AfterValidator`) constrains them.
//! Models defined in other files are not seen: their fields are clean.

use super::{
    http_method, is_constant_name, is_validator_name, last_segment, looks_like_html, methods_compared, quoted_methods,
    span_between, Analysis, Env, FieldTaint, Framework, Handler, Shape, SinkKind, Value, Walk,
};
use aireview_core::parse::FieldByName;
use aireview_core::parse::KindName;
use aireview_core::rule::FileContext;
use aireview_core::tree_sitter::Node;

mod templates;

const ROUTE_METHODS: &[&str] = &["route", "get", "post", "put", "patch", "delete", "api_route"];
const CONTAINER_ATTRS: &[&str] = &[
    "json",
    "form",
    "args",
    "values",
    "headers",
    "cookies",
    "files",
    "POST",
    "GET",
    "COOKIES",
    "META",
    "FILES",
    "data",
    "query_params",
];
const CONVERTERS: &[&str] = &[
    "int",
    "float",
    "bool",
    "Decimal",
    "UUID",
    "complex",
    "abs",
    "round",
    "fromisoformat",
    "strptime",
    "parse_date",
    "parse_datetime",
    "secure_filename",
    "quote",
    "quote_plus",
    "escape",
    "quote_name",
    "literal_eval",
];
const STRING_METHODS: &[&str] = &[
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "title",
    "casefold",
    "capitalize",
    "replace",
    "encode",
    "decode",
    "split",
    "removeprefix",
    "removesuffix",
];
const SQL_SINKS: &[&str] = &[
    "execute",
    "executemany",
    "executescript",
    "raw",
    "mogrify",
    "RawSQL",
    "read_sql",
    "read_sql_query",
];

pub(super) fn analyze(node: Node<'_>, cx: &FileContext<'_, '_>, handlers_only: bool) -> Option<Analysis> {
    let body = node.field("body")?;
    let mut walker = Walker {
        cx,
        env: Env::default(),
        requests: Vec::new(),
        // Once per file, not once per function (a scan of the whole text).
        sqlalchemy: cx.shared(cx.root, 2, || cx.source.contains("sqlalchemy")),
        templates: templates::TemplateState::default(),
    };
    walker.seed_numbers(node);
    walker.recognise(node);
    if handlers_only && walker.env.out.handler.is_none() {
        return None;
    }
    walker.block(body);
    Some(walker.env.out)
}

pub(super) fn recognise_handler(node: Node<'_>, cx: &FileContext<'_, '_>) -> Option<Handler> {
    let mut walker = Walker {
        cx,
        env: Env::default(),
        requests: Vec::new(),
        sqlalchemy: false,
        templates: templates::TemplateState::default(),
    };
    walker.recognise(node);
    walker.env.out.handler
}

struct Walker<'a, 'c, 't> {
    cx: &'a FileContext<'c, 't>,
    env: Env,
    /// Names bound to the request object.
    requests: Vec<String>,
    sqlalchemy: bool,
    templates: templates::TemplateState,
}

fn imports(cx: &FileContext<'_, '_>, prefixes: &[&str]) -> bool {
    cx.facts.imports.iter().any(|i| {
        prefixes.iter().any(|p| {
            i.module
                .strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
    })
}

impl<'a, 't> Walker<'a, '_, 't> {
    fn text(&self, node: Node<'_>) -> &'a str {
        self.cx.text(node)
    }

    /// Parameters annotated as numbers cannot carry SQL or a path.
    fn seed_numbers(&mut self, node: Node<'t>) {
        let Some(params) = node.field("parameters") else {
            return;
        };
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor) {
            let ty = p.field("type").map(|t| self.text(t)).unwrap_or("");
            if matches!(ty, "int" | "float" | "bool" | "Decimal" | "UUID" | "uuid.UUID") {
                let name = param_name(p, self.cx.source);
                self.env.vars.insert(name.to_string(), Value::constant());
            }
        }
    }

    /// Recognises the function as a handler and seeds its parameters.
    fn recognise(&mut self, node: Node<'t>) {
        let Some(params) = node.field("parameters") else {
            return;
        };
        let mut name = node.field("name").map(|n| self.text(n).to_string()).unwrap_or_default();
        let route = self.route_decorator();
        let method_name = node.field("name").map_or("", |n| self.text(n));
        let (framework, methods) = if let Some((route, methods)) = route {
            if imports(self.cx, &["fastapi", "starlette"]) {
                self.seed_fastapi(params);
                (Framework::FastApi, methods)
            } else if imports(self.cx, &["flask", "quart"]) {
                self.requests.push("request".to_string());
                self.seed_flask(params, &route);
                (Framework::Flask, methods)
            } else {
                return;
            }
        } else if let Some(class) = self.flask_method_view(node) {
            self.requests.push("request".to_string());
            name = format!("{class}.{name}");
            (Framework::Flask, http_method(method_name).into_iter().collect())
        } else if let Some(class) = self.django_view(node, params) {
            self.requests.push("request".to_string());
            let methods = if let Some(class) = class {
                name = format!("{class}.{name}");
                view_action_method(method_name).into_iter().collect()
            } else {
                self.django_function_methods(node)
            };
            (Framework::Django, methods)
        } else {
            return;
        };
        let sig_end = node.field("return_type").unwrap_or(params);
        self.env.out.handler = Some(Handler {
            framework,
            signature: span_between(self.cx, node, sig_end),
            name,
            methods,
        });
    }

    /// The decorators of the function, when it has any.
    fn decorators(&self) -> Vec<Node<'t>> {
        let Some(parent) = self.cx.parent().filter(|p| p.kind_name() == "decorated_definition") else {
            return Vec::new();
        };
        let mut cursor = parent.walk();
        let found = parent
            .named_children(&mut cursor)
            .filter(|c| c.kind_name() == "decorator")
            .collect();
        found
    }

    /// The methods a Django function view serves: `@require_POST`,
    /// `@require_http_methods(["POST"])`, DRF's `@api_view(["POST"])`, or
    /// the methods its body compares `request.method` with.
    fn django_function_methods(&self, node: Node<'t>) -> Vec<&'static str> {
        for d in self.decorators() {
            let text = self.text(d).trim_start_matches('@');
            let head = last_segment(text.split('(').next().unwrap_or(""));
            match head {
                "require_POST" => return vec!["POST"],
                "require_GET" | "require_safe" => return vec!["GET"],
                "require_http_methods" | "api_view" => return quoted_methods(text),
                _ => {}
            }
        }
        let body = node.field("body").map_or("", |b| self.text(b));
        methods_compared(body, &["request.method"])
    }

    /// The enclosing class of the nearest enclosing function or class.
    fn enclosing_class(&self) -> Option<Node<'t>> {
        self.cx
            .ancestors
            .iter()
            .rev()
            .find(|a| matches!(a.kind_name(), "class_definition" | "function_definition"))
            .copied()
            .filter(|a| a.kind_name() == "class_definition")
    }

    /// Flask: `def post(self)` in a class deriving from `MethodView` / `View`.
    fn flask_method_view(&self, node: Node<'t>) -> Option<String> {
        if !imports(self.cx, &["flask"]) {
            return None;
        }
        let class = self.enclosing_class()?;
        let bases = class.field("superclasses").map_or("", |b| self.text(b));
        let method = node.field("name").map_or("", |n| self.text(n));
        let view = bases.contains("MethodView") || bases.contains("views.View");
        let handler = matches!(method, "get" | "post" | "put" | "patch" | "delete");
        (view && handler).then(|| class.field("name").map_or("", |n| self.text(n)).to_string())
    }

    /// The route path of a `@x.route("/..")` / `@x.get("/..")` decorator,
    /// and the methods it routes: the decorator's name, or `methods=[...]`
    /// of `route` / `api_route` (GET when not given).
    fn route_decorator(&self) -> Option<(String, Vec<&'static str>)> {
        for d in self.decorators() {
            let Some(call) = d.named_child(0).filter(|c| c.kind_name() == "call") else {
                continue;
            };
            let Some(func) = call.field("function").filter(|f| f.kind_name() == "attribute") else {
                continue;
            };
            let method = func.field("attribute").map(|a| self.text(a)).unwrap_or("");
            if !ROUTE_METHODS.contains(&method) {
                continue;
            }
            let args = call.field("arguments");
            let first = args.and_then(|a| a.named_child(0));
            if let Some(first) = first.filter(|f| f.kind_name() == "string") {
                let path = self.text(first).trim_matches(|c| c == '"' || c == '\'').to_string();
                if path.is_empty() || path.starts_with('/') {
                    let methods = match http_method(method) {
                        Some(m) => vec![m],
                        None => {
                            let mut cursor = call.walk();
                            let listed = args
                                .into_iter()
                                .flat_map(|a| a.named_children(&mut cursor).collect::<Vec<_>>())
                                .find(|k| {
                                    k.kind_name() == "keyword_argument"
                                        && k.field("name").map(|n| self.text(n)) == Some("methods")
                                });
                            match listed {
                                Some(k) => quoted_methods(self.text(k)),
                                None => vec!["GET"],
                            }
                        }
                    };
                    return Some((path, methods));
                }
            }
        }
        None
    }

    /// Flask: path parameters are strings unless a converter types them.
    fn seed_flask(&mut self, params: Node<'t>, route: &str) {
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor) {
            let name = param_name(p, self.cx.source);
            let typed = route
                .split('<')
                .skip(1)
                .filter_map(|s| s.split('>').next())
                .any(|spec| {
                    let (conv, var) = spec.split_once(':').unwrap_or(("string", spec));
                    var == name && matches!(conv, "int" | "float" | "uuid")
                });
            if name.is_empty() {
                continue;
            }
            let value = if typed {
                Value::constant()
            } else {
                self.env.typed_read(self.cx.span(p), name)
            };
            self.env.vars.insert(name.to_string(), value);
        }
    }

    /// FastAPI: `request: Request` is the raw request; `dict` / `Any`
    /// bodies are raw collections; `str` and untyped parameters are
    /// validated in shape but free text (see `annotation_taint`); a model
    /// defined in this file is a typed body; anything else (numbers,
    /// models from elsewhere) was validated.
    fn seed_fastapi(&mut self, params: Node<'t>) {
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor) {
            let name = param_name(p, self.cx.source).to_string();
            if name.is_empty() || name == "self" {
                continue;
            }
            let ty = p.field("type").map(|t| self.text(t).to_string());
            let default = p.field("value").map_or("", |v| self.text(v));
            // A dependency (`db = Depends(get_db)`) is the app's, not the client's.
            if [default, ty.as_deref().unwrap_or("")]
                .iter()
                .any(|t| t.contains("Depends(") || t.contains("Security("))
            {
                continue;
            }
            let Some(ty) = ty else {
                let value = self.env.typed_read(self.cx.span(p), &name);
                self.env.vars.insert(name, value);
                continue;
            };
            let bare = ty.strip_prefix("Annotated[").unwrap_or(&ty);
            let head = bare.split(['[', ',', ' ', '|']).next().unwrap_or(bare);
            match last_segment(head) {
                "Request" | "HTTPConnection" | "WebSocket" => self.requests.push(name),
                // The client names the uploaded file.
                "UploadFile" => {
                    let fields = ["filename", "content_type"].map(|f| (f.to_string(), FieldTaint::Text));
                    let value = self.env.typed_body(Shape {
                        fields: fields.to_vec(),
                        validated: true,
                    });
                    self.env.vars.insert(name, value);
                }
                // `Dict[int, float]` is validated; `dict`, `Dict[str, Any]` are not.
                "dict" | "Dict" | "Any" | "Mapping" | "Json" if !bare.contains('[') || bare.contains("Any") => {
                    self.env.vars.insert(name, Value::raw(true));
                }
                _ if annotation_taint(&ty, default) == FieldTaint::Text => {
                    let value = self.env.typed_read(self.cx.span(p), &name);
                    self.env.vars.insert(name, value);
                }
                _ => {
                    // A value of a validated type (`Literal`, a pattern, a
                    // date) is not free text; numbers are constants already.
                    let value = match model_shape(self.cx, strip_optional(bare), 0) {
                        Some(shape) => self.env.typed_body(shape),
                        None => Value::clean(),
                    };
                    self.env.vars.entry(name).or_insert(value);
                }
            }
        }
    }

    /// Django: `def view(request, ...)` in a views module, or
    /// `def get(self, request, ...)` in a class-based view.
    /// `Some(class)` for a view, with the class of a method view.
    fn django_view(&self, node: Node<'t>, params: Node<'t>) -> Option<Option<String>> {
        if !imports(self.cx, &["django", "rest_framework"]) {
            return None;
        }
        let mut cursor = params.walk();
        let names: Vec<&str> = params
            .named_children(&mut cursor)
            .map(|p| param_name(p, self.cx.source))
            .collect();
        let in_function = self.cx.ancestors.iter().any(|a| a.kind_name() == "function_definition");
        match self.enclosing_class() {
            Some(class) => {
                let bases = class.field("superclasses").map(|b| self.text(b)).unwrap_or("");
                let method = node.field("name").map(|n| self.text(n)).unwrap_or("");
                let view = bases.contains("View") || bases.contains("ViewSet") || bases.contains("APIView");
                let handler = matches!(
                    method,
                    "get"
                        | "post"
                        | "put"
                        | "patch"
                        | "delete"
                        | "create"
                        | "update"
                        | "partial_update"
                        | "list"
                        | "retrieve"
                        | "destroy"
                );
                let class_name = class.field("name").map(|n| self.text(n).to_string());
                (view && handler && names.get(1) == Some(&"request")).then_some(class_name)
            }
            None if in_function => None,
            None => {
                let views_module = self
                    .cx
                    .path()
                    .split('/')
                    .any(|p| p == "views.py" || p == "views" || p == "api.py");
                (views_module && names.first() == Some(&"request")).then_some(None)
            }
        }
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
            "function_definition" | "class_definition" | "decorated_definition" | "comment" => {}
            "expression_statement" => self.block(node),
            "assignment" => {
                let Some(right) = node.field("right") else {
                    return;
                };
                if let Some(left) = node.field("left") {
                    if self.assign_template_state(left, right) {
                        return;
                    }
                }
                let value = self.eval(right);
                if let Some(left) = node.field("left") {
                    self.bind(left, value);
                }
            }
            "augmented_assignment" => {
                self.eval_assignment(node, self.cx.span(node), true);
            }
            "if_statement" | "elif_clause" | "while_statement" => {
                if let Some(cond) = node.field("condition") {
                    let start = self.env.out.uses.len();
                    self.eval(cond);
                    self.env.clear_since(start);
                    self.check(cond, false, false);
                }
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                for child in children {
                    if Some(child) != node.field("condition") {
                        self.statement(child);
                    }
                }
            }
            "assert_statement" => {
                self.check(node, false, false);
            }
            "for_statement" => {
                if let Some(right) = node.field("right") {
                    let mut value = self.eval(right);
                    value.container = false;
                    if let Some(left) = node.field("left") {
                        self.bind(left, value);
                    }
                }
                if let Some(body) = node.field("body") {
                    self.block(body);
                }
                if let Some(alt) = node.field("alternative") {
                    self.block(alt);
                }
            }
            "block" | "else_clause" | "with_statement" | "try_statement" | "except_clause" | "finally_clause"
            | "with_clause" | "match_statement" | "case_clause" => {
                if node.kind_name() == "match_statement" {
                    if let Some(subject) = node.field("subject") {
                        self.check(subject, true, true);
                    }
                }
                self.block(node);
                // `try: ... except (ValueError, EmptyPage): ...`: the
                // values used in the body are checked by the handler.
                if node.kind_name() == "try_statement" && self.catches_bad_input(node) {
                    if let Some(body) = node.field("body") {
                        self.check(body, false, false);
                    }
                }
            }
            "return_statement" => {
                let Some(value_node) = node.named_child(0) else { return };
                let value = self.eval(value_node);
                // `return f"<p>Hello {name}</p>"`: HTML built from input
                // (FastAPI sends a returned string as JSON, unless the
                // route's `response_class` is HTML).
                if value.built.is_some() && looks_like_html(self.text(value_node)) && self.returns_html() {
                    self.env.sink(self.cx, SinkKind::Html, "return", value_node, &value);
                }
            }
            "with_item" => {
                if let Some(value) = node.field("value") {
                    self.eval(value);
                }
            }
            _ => {
                self.eval(node);
            }
        }
    }

    /// A string the handler returns is the response body as HTML: not a
    /// FastAPI route without `response_class=HTMLResponse`.
    fn returns_html(&self) -> bool {
        let fastapi = self.env.out.handler.as_ref().map(|h| h.framework) == Some(Framework::FastApi);
        !fastapi || self.decorators().iter().any(|d| self.text(*d).contains("HTMLResponse"))
    }

    /// An `except` of this `try` catches what bad input raises.
    fn catches_bad_input(&self, node: Node<'t>) -> bool {
        let mut cursor = node.walk();
        let handlers: Vec<Node<'t>> = node
            .named_children(&mut cursor)
            .filter(|c| c.kind_name() == "except_clause")
            .collect();
        handlers.iter().any(|h| {
            let caught = h.named_child(0).map_or("", |c| self.text(c));
            [
                "ValueError",
                "TypeError",
                "KeyError",
                "ValidationError",
                "PageNotAnInteger",
                "EmptyPage",
                "InvalidOperation",
                "JSONDecodeError",
                "BadRequest",
            ]
            .iter()
            .any(|e| caught.contains(e))
        })
    }

    fn bind(&mut self, left: Node<'t>, value: Value) {
        match left.kind_name() {
            "identifier" => {
                self.env.vars.insert(self.text(left).to_string(), value);
            }
            "pattern_list" | "tuple_pattern" | "list_pattern" => {
                let mut cursor = left.walk();
                let targets: Vec<Node<'t>> = left.named_children(&mut cursor).collect();
                for t in targets {
                    self.bind(
                        t,
                        Value {
                            built: None,
                            ..value.clone()
                        },
                    );
                }
            }
            _ => {}
        }
    }

    /// Identifiers mentioned in a condition were checked.
    fn check_expr(&mut self, node: Node<'t>, strong: bool, allow: bool) {
        // `if item.kind not in ALLOWED`: that field of the model was checked.
        if strong && node.kind_name() == "attribute" {
            let object = node.field("object").filter(|o| o.kind_name() == "identifier");
            let shape = object
                .and_then(|o| self.env.vars.get(self.text(o)))
                .and_then(|v| v.shape);
            if let (Some(shape), Some(attr)) = (shape, node.field("attribute")) {
                let attr = self.text(attr).to_string();
                self.env.check_field(shape, &attr);
            }
        }
        let strong = strong || matches!(node.kind_name(), "comparison_operator" | "call");
        let allow = allow
            || (node.kind_name() == "comparison_operator"
                && [" in ", "==", " in\n"].iter().any(|op| self.text(node).contains(op)));
        self.check_children(node, strong, allow);
    }

    /// A string assembled from parts: built when a part is not constant.
    fn eval_expr(&mut self, node: Node<'t>) -> Value {
        match node.kind_name() {
            "identifier" => self.env.lookup(self.text(node)),
            "integer" | "float" | "true" | "false" | "none" => Value::constant(),
            "string" => {
                let mut text = String::new();
                let mut parts = Vec::new();
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                for c in children {
                    match c.kind_name() {
                        "string_content" => text.push_str(self.text(c)),
                        "interpolation" => {
                            if let Some(e) = c.field("expression").or_else(|| c.named_child(0)) {
                                parts.push(self.eval(e));
                            }
                        }
                        _ => {}
                    }
                }
                let literal = Value::literal(&text);
                if parts.is_empty() {
                    return literal;
                }
                parts.push(literal);
                self.env.build(self.cx.span(node), parts)
            }
            "concatenated_string" => {
                let parts = self.eval_children(node);
                self.env.build(self.cx.span(node), parts)
            }
            "binary_operator" => {
                let op = node.field("operator").map(|o| self.text(o)).unwrap_or("");
                let side = |f: &str| node.child_by_field_name(f).map_or("", |n| n.kind_name());
                // `"?" * len(ids)`: placeholders.
                if op == "*" && (side("left") == "string" || side("right") == "string" || side("left") == "list") {
                    return Value::constant();
                }
                self.eval_binary(node, self.cx.span(node), matches!(op, "%" | "+"))
            }
            "attribute" => self.attribute(node),
            "subscript" => {
                let Some(value) = node.field("value") else {
                    return Value::clean();
                };
                let base = self.eval(value);
                let mut cursor = node.walk();
                let indexes: Vec<Node<'t>> = node.children_by_field_name("subscript", &mut cursor).collect();
                for i in indexes {
                    self.eval(i);
                }
                if base.container {
                    return self.env.read(self.cx.span(node), self.text(node));
                }
                Value {
                    constant: false,
                    built: None,
                    container: false,
                    ..base
                }
            }
            "call" => self.call(node),
            "await" | "parenthesized_expression" | "keyword_argument" | "pair" | "list_splat" | "dictionary_splat" => {
                let value = node
                    .field("value")
                    .or_else(|| node.named_children(&mut node.walk()).last());
                match value {
                    Some(v) => self.eval(v),
                    None => Value::clean(),
                }
            }
            "conditional_expression" | "boolean_operator" | "list" | "tuple" | "set" | "dictionary" => {
                let parts = self.eval_children(node);
                let constant = parts.iter().all(|p| p.constant);
                let mut v = parts.into_iter().fold(Value::clean(), Value::join);
                v.constant = constant;
                v
            }
            "lambda" => Value::clean(),
            // Names bound by the comprehension are its own, not outside values.
            "generator_expression" | "list_comprehension" | "set_comprehension" | "dictionary_comprehension" => {
                let parts = self.eval_children(node);
                let mut v = parts.into_iter().fold(Value::clean(), Value::join);
                v.constant = false;
                v.built = None;
                v.risky = false;
                v
            }
            _ => Value::mixed(self.eval_children(node)),
        }
    }

    /// What an already evaluated name or literal holds, without recording reads again.
    fn peek(&self, node: Node<'t>) -> Value {
        match node.kind_name() {
            "identifier" => self.env.vars.get(self.text(node)).cloned().unwrap_or_default(),
            _ => Value::clean(),
        }
    }

    fn attribute(&mut self, node: Node<'t>) -> Value {
        let (Some(object), Some(attr)) = (node.field("object"), node.field("attribute")) else {
            return Value::clean();
        };
        let attr = self.text(attr);
        if self.is_request(object) {
            if CONTAINER_ATTRS.contains(&attr) {
                return Value::raw(true);
            }
            if attr == "body" {
                return Value::raw(false);
            }
            return Value::clean();
        }
        let base = self.eval(object);
        if let Some(shape) = base.shape {
            return self.env.read_field(shape, attr, self.cx.span(node), self.text(node));
        }
        Value {
            container: false,
            constant: base.constant && is_constant_name(attr),
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
        let args_node = node.field("arguments");
        let callee = self.text(func).to_string();
        let name = last_segment(&callee).to_string();
        let receiver = (func.kind_name() == "attribute")
            .then(|| func.field("object"))
            .flatten();
        let receiver_value = receiver.map(|r| {
            if self.is_request(r) {
                Value::clean()
            } else {
                self.eval(r)
            }
        });
        let mut args = Vec::new();
        let mut keywords = Vec::new();
        let render = templates::is_render_name(&name) && self.env.out.handler.is_some();
        let mut context = Vec::new();
        if let Some(a) = args_node.filter(|a| a.kind_name() == "generator_expression") {
            // `f(x for x in xs)`: the generator is the one argument.
            let v = self.eval(a);
            args.push((a, v));
        } else if let Some(a) = args_node {
            let mut cursor = a.walk();
            let children: Vec<Node<'t>> = a.named_children(&mut cursor).collect();
            for c in children {
                if c.kind_name() == "comment" {
                    continue;
                }
                if c.kind_name() == "keyword_argument" {
                    if let Some(n) = c.field("name") {
                        keywords.push(self.text(n).to_string());
                    }
                }
                let v = if render {
                    self.eval_render_arg(c, &mut context)
                } else {
                    self.eval(c)
                };
                args.push((c, v));
            }
        }
        if render {
            self.render_call(func, &name, &args, context);
        }
        // SQL reaching a query call.
        let sink = SQL_SINKS.contains(&name.as_str()) || (name == "text" && self.sqlalchemy);
        if sink {
            if let Some((arg, value)) = args.first() {
                let (arg, value) = (*arg, value.clone());
                self.env.sql_sink(self.cx, &callee, arg, &value);
            }
        }
        // Request input reaching a command, a path, eval or a redirect.
        if let Some(kind) = sink_kind(&callee, &name) {
            if let Some((arg, value)) = args.first() {
                let (mut arg, mut value) = (*arg, value.clone());
                // `subprocess.run([program, *args])`: the program is what matters.
                if kind == SinkKind::Command && matches!(arg.kind_name(), "list" | "tuple") {
                    if let Some(program) = arg.named_child(0) {
                        value = self.peek(program);
                        arg = program;
                    }
                }
                self.env.sink(self.cx, kind, &callee, arg, &value);
            }
        }
        if let Some(base) = receiver_value.as_ref().filter(|b| b.tainted) {
            if matches!(
                name.as_str(),
                "read_text" | "read_bytes" | "write_text" | "write_bytes" | "unlink"
            ) {
                if let Some(r) = receiver {
                    let base = base.clone();
                    self.env.sink(self.cx, SinkKind::Path, &callee, r, &base);
                }
            }
        }
        // Reads from the request object.
        if let Some(r) = receiver.filter(|r| self.is_request(*r)) {
            let _ = r;
            return match name.as_str() {
                "get_json" | "json" | "form" => Value::raw(true),
                "get_data" | "body" | "stream" => Value::raw(false),
                _ => Value::clean(),
            };
        }
        let all_args = || args.iter().map(|(_, v)| v.clone()).fold(Value::clean(), Value::join);
        if let Some(base) = &receiver_value {
            if base.container
                && matches!(
                    name.as_str(),
                    "get" | "getlist" | "get_all" | "getone" | "pop" | "getfirst"
                )
            {
                if keywords.iter().any(|k| k == "type") {
                    return Value::constant();
                }
                return self.env.read(self.cx.span(node), self.text(node));
            }
            if STRING_METHODS.contains(&name.as_str()) {
                return Value {
                    built: None,
                    container: false,
                    ..base.clone().join(all_args())
                };
            }
            if name == "format" {
                let mut parts: Vec<Value> = args.iter().map(|(_, v)| v.clone()).collect();
                parts.push(base.clone());
                return self.env.build(self.cx.span(node), parts);
            }
            if name == "join" {
                let arg_text = args_node.map(|a| self.text(a)).unwrap_or("");
                if base.constant
                    && ["'?'", "\"?\"", "'%s'", "\"%s\"", "\"?\"", "*"]
                        .iter()
                        .any(|p| arg_text.contains(p))
                {
                    return Value::constant();
                }
                let mut parts: Vec<Value> = args.iter().map(|(_, v)| v.clone()).collect();
                parts.push(base.clone());
                return self.env.build(self.cx.span(node), parts);
            }
        }
        if callee == "json.loads" || callee == "loads" {
            let v = all_args();
            return Value {
                container: v.tainted,
                built: None,
                constant: false,
                ..v
            };
        }
        if CONVERTERS.contains(&name.as_str()) {
            for (_, v) in &args {
                self.env.clear(v);
            }
            return Value::constant();
        }
        let validates = is_validator_name(&name)
            || ["Form", "Serializer", "Schema", "Model"]
                .iter()
                .any(|s| name.ends_with(s) && name.len() > s.len())
            || (name.starts_with(|c: char| c.is_ascii_uppercase())
                && args.iter().any(|(a, _)| a.kind_name() == "dictionary_splat"));
        if validates {
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
        if name == "len" {
            return Value::constant();
        }
        if matches!(name.as_str(), "str" | "repr")
            || matches!(
                callee.as_str(),
                "os.path.join" | "os.path.abspath" | "os.path.normpath" | "Path" | "pathlib.Path" | "PurePath"
            )
        {
            return Value {
                built: None,
                constant: false,
                ..all_args()
            };
        }
        Value::clean()
    }
}

/// The sink a call is, by its callee.
fn sink_kind(callee: &str, name: &str) -> Option<SinkKind> {
    let command = (callee.starts_with("subprocess.")
        && matches!(
            name,
            "run" | "call" | "check_call" | "check_output" | "Popen" | "getoutput" | "getstatusoutput"
        ))
        || matches!(callee, "os.system" | "os.popen")
        || callee.starts_with("os.exec")
        || callee.starts_with("os.spawn");
    if command {
        return Some(SinkKind::Command);
    }
    match callee {
        "open" | "io.open" | "codecs.open" | "send_file" | "flask.send_file" | "FileResponse" | "os.remove"
        | "os.unlink" | "os.rmdir" | "os.listdir" | "os.makedirs" | "shutil.rmtree" | "shutil.copy"
        | "shutil.copyfile" | "shutil.move" => Some(SinkKind::Path),
        "eval" | "exec" => Some(SinkKind::Eval),
        _ if matches!(
            name,
            "Markup" | "mark_safe" | "SafeString" | "HTMLResponse" | "render_template_string"
        ) =>
        {
            Some(SinkKind::Html)
        }
        _ if matches!(
            name,
            "redirect" | "HttpResponseRedirect" | "HttpResponsePermanentRedirect" | "RedirectResponse"
        ) =>
        {
            Some(SinkKind::Redirect)
        }
        _ => None,
    }
}

/// Annotations whose values are free text: strings, e-mail addresses
/// (`'`, `|`, `$` and `/` are valid in one) and URLs (any host, quotes in
/// the path).
const TEXT_ANNOTATIONS: &[&str] = &[
    "str",
    "EmailStr",
    "NameEmail",
    "HttpUrl",
    "AnyUrl",
    "AnyHttpUrl",
    "Url",
    "Path",
    "PurePath",
];

/// `Optional[X]`, `X | None`, `Union[X, None]`, `List[X]`: `X`.
fn strip_optional(ty: &str) -> &str {
    let mut ty = ty.trim();
    while let Some(inner) = ["Optional[", "Union[", "List[", "list[", "Sequence[", "Set[", "set["]
        .iter()
        .find_map(|w| ty.strip_prefix(w))
        .and_then(|rest| rest.strip_suffix(']'))
    {
        ty = inner.split(',').next().unwrap_or(inner).trim();
    }
    ty.split('|').next().unwrap_or(ty).trim()
}

/// What a parameter or model field annotated `ty` (with default `default`)
/// holds: `Text` for a string-like type with no content constraint, else
/// `Clean` (numbers, flags, ids, dates, `Literal`, `Enum`s, models, and
/// strings constrained by a pattern or a validator, which pydantic checks
/// while parsing). A length limit (`max_length`) is no content constraint:
/// a short string still carries `'` or `../`.
fn annotation_taint(ty: &str, default: &str) -> FieldTaint {
    let (base, metadata) = match ty.strip_prefix("Annotated[") {
        Some(rest) => {
            let rest = rest.strip_suffix(']').unwrap_or(rest);
            let split = top_level_comma(rest).unwrap_or(rest.len());
            (&rest[..split], &rest[split..])
        }
        None => (ty, ""),
    };
    let base = strip_optional(base);
    let head = last_segment(base.split(['[', '(']).next().unwrap_or(base).trim());
    let text = TEXT_ANNOTATIONS.contains(&head) || (head == "constr" && !constrains(base));
    if text && !constrains(metadata) && !constrains(default) {
        FieldTaint::Text
    } else {
        FieldTaint::Clean
    }
}

/// The byte offset of the first comma outside brackets.
fn top_level_comma(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            ',' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// Source that constrains a string's content: a pattern, or a validator
/// function (`pattern=`, `regex=`, `AfterValidator(..)`).
fn constrains(text: &str) -> bool {
    // Keyword names, not quoted text.
    let unquoted: String = text.split(['"', '\'']).step_by(2).collect();
    let compact: String = unquoted.chars().filter(|c| !c.is_whitespace()).collect();
    [
        "pattern=",
        "regex=",
        "AfterValidator(",
        "BeforeValidator(",
        "PlainValidator(",
        "WrapValidator(",
    ]
    .iter()
    .any(|w| compact.contains(w))
}

/// The fields of the class `name` defined at the top of this file (a
/// pydantic model, a dataclass), with those of its bases defined here.
fn model_shape(cx: &FileContext<'_, '_>, name: &str, depth: u32) -> Option<Shape> {
    if depth > 4 || name.is_empty() || !cx.source.contains(&format!("class {name}")) {
        return None;
    }
    let mut cursor = cx.root.walk();
    let class = cx.root.named_children(&mut cursor).find_map(|item| {
        let class = match item.kind_name() {
            "decorated_definition" => item.field("definition")?,
            _ => item,
        };
        (class.kind_name() == "class_definition" && class.field("name").map(|n| cx.text(n)) == Some(name))
            .then_some(class)
    })?;
    let mut shape = Shape {
        fields: Vec::new(),
        validated: true,
    };
    if let Some(bases) = class.field("superclasses") {
        let mut cursor = bases.walk();
        for base in bases
            .named_children(&mut cursor)
            .filter(|b| b.kind_name() == "identifier")
        {
            if let Some(inherited) = model_shape(cx, cx.text(base), depth + 1) {
                shape.fields.extend(inherited.fields);
            }
        }
    }
    let body = class.field("body")?;
    let mut validated: Vec<&str> = Vec::new();
    let mut cursor = body.walk();
    for stmt in body.named_children(&mut cursor) {
        match stmt.kind_name() {
            "expression_statement" => {
                let Some(assign) = stmt.named_child(0).filter(|a| a.kind_name() == "assignment") else {
                    continue;
                };
                let (Some(left), Some(ty)) = (assign.field("left"), assign.field("type")) else {
                    continue;
                };
                let default = assign.field("right").map_or("", |r| cx.text(r));
                let field = cx.text(left).to_string();
                let taint = annotation_taint(cx.text(ty), default);
                shape.fields.retain(|(f, _)| *f != field);
                shape.fields.push((field, taint));
            }
            // `@field_validator("name")`, `@validator("name", "*")`.
            "decorated_definition" => {
                let mut cursor = stmt.walk();
                for d in stmt
                    .named_children(&mut cursor)
                    .filter(|d| d.kind_name() == "decorator")
                {
                    let text = cx.text(d).trim_start_matches('@');
                    let head = last_segment(text.split('(').next().unwrap_or(""));
                    if matches!(head, "field_validator" | "validator") {
                        validated.extend(text.split(['"', '\'']).skip(1).step_by(2));
                    }
                }
            }
            _ => {}
        }
    }
    for (field, taint) in &mut shape.fields {
        if validated.iter().any(|v| v == field || *v == "*") {
            *taint = FieldTaint::Clean;
        }
    }
    Some(shape)
}

/// The method a class-based view's method or a DRF viewset action serves.
fn view_action_method(name: &str) -> Option<&'static str> {
    match name {
        "create" => Some("POST"),
        "update" => Some("PUT"),
        "partial_update" => Some("PATCH"),
        "destroy" => Some("DELETE"),
        "list" | "retrieve" => Some("GET"),
        _ => http_method(name),
    }
}

fn param_name<'s>(p: Node<'_>, source: &'s str) -> &'s str {
    let ident = if p.kind_name() == "identifier" {
        Some(p)
    } else {
        p.field("name").or_else(|| {
            let mut cursor = p.walk();
            let found = p.named_children(&mut cursor).find(|c| c.kind_name() == "identifier");
            found
        })
    };
    ident.map_or("", |i| &source[i.byte_range()])
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
    fn string_annotations_are_free_text() {
        for ty in [
            "str",
            "Optional[str]",
            "str | None",
            "EmailStr",
            "HttpUrl",
            "constr(max_length=20)",
        ] {
            assert_eq!(annotation_taint(ty, ""), FieldTaint::Text, "{ty}");
        }
        assert_eq!(annotation_taint("str", "Field(max_length=80)"), FieldTaint::Text);
        assert_eq!(
            annotation_taint("Annotated[str, Query(max_length=3)]", ""),
            FieldTaint::Text
        );
    }

    #[test]
    fn patterns_literals_and_numbers_are_clean() {
        for ty in [
            "int",
            "Optional[int]",
            "UUID",
            "Literal[\"a\", \"b\"]",
            "Size",
            "constr(pattern=r\"^[a-z]+$\")",
            "Annotated[str, StringConstraints(pattern=r\"^[a-z]$\")]",
            "Annotated[str, Query(pattern=\"^x$\")]",
            "Annotated[str, AfterValidator(plain_name)]",
        ] {
            assert_eq!(annotation_taint(ty, ""), FieldTaint::Clean, "{ty}");
        }
        assert_eq!(
            annotation_taint("str", "Field(pattern=r\"^[a-z]+$\")"),
            FieldTaint::Clean
        );
        assert_eq!(annotation_taint("str", "Field(regex='^x$')"), FieldTaint::Clean);
        // A pattern named in a description is no constraint.
        assert_eq!(
            annotation_taint("str", "Field(description='pattern=x')"),
            FieldTaint::Text
        );
    }
}
