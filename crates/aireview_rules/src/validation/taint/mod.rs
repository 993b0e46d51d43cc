//! Handler recognition and intra-procedural taint, shared by the
//! validation rules. One function is analysed at a time, while the tree is
//! alive: its statements in document order, through local variables,
//! string building and simple assignments. Calls into other functions,
//! fields of objects, closures and loops over collections are not followed.

mod javascript;
mod python;
mod rust;

use aireview_core::parse::FieldByName;
use aireview_core::parse::KindName;
use aireview_core::rule::FileContext;
use aireview_core::span::Span;
use aireview_core::tree_sitter::Node;
use aireview_core::Language;
use std::collections::HashMap;

/// A read of request input that no validation covered.
#[derive(Clone, Debug)]
pub(crate) struct RawUse {
    pub span: Span,
    /// The read as written (`request.json["qty"]`, `req.body.email`).
    pub text: String,
    /// Converted, checked or validated after the read.
    pub cleared: bool,
    /// A free-text field of a typed body or a typed parameter (`order.sku`,
    /// FastAPI's `name: str`): its shape was validated, so it is no raw
    /// read for `unvalidated-request-input`, but its content is still
    /// whatever the client sent, so it taints the sinks.
    pub typed: bool,
}

/// The recognised web framework of a handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Framework {
    Flask,
    FastApi,
    Django,
    Express,
    Koa,
    Fastify,
    NextJs,
    Axum,
    ActixWeb,
}

impl Framework {
    pub fn name(self) -> &'static str {
        match self {
            Framework::Flask => "Flask",
            Framework::FastApi => "FastAPI",
            Framework::Django => "Django",
            Framework::Express => "Express",
            Framework::Koa => "Koa",
            Framework::Fastify => "Fastify",
            Framework::NextJs => "Next.js",
            Framework::Axum => "axum",
            Framework::ActixWeb => "actix-web",
        }
    }
}

/// A function recognised as a request handler.
#[derive(Clone, Debug)]
pub(crate) struct Handler {
    pub framework: Framework,
    /// The signature line (or the route registration of an inline handler).
    pub signature: Span,
    pub name: String,
    /// The HTTP methods it serves, upper-case (`POST`), as far as the
    /// registration says; empty when that is not known (`app.all`, a
    /// controller registered in another file).
    pub methods: Vec<&'static str>,
}

/// SQL text built from pieces that reaches a query call.
#[derive(Clone, Debug)]
pub(crate) struct SqlSite {
    /// The SQL argument at the call.
    pub span: Span,
    pub callee: String,
    /// A piece comes from request input.
    pub tainted: bool,
    /// The first request input read feeding it, when there is one.
    pub input: Option<String>,
    /// Where the SQL was built, when that is not at the call.
    pub built_at: Option<Span>,
}

/// Where request input must not go unchecked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SinkKind {
    /// A command run by the system (`subprocess`, `child_process`).
    Command,
    /// A file path opened, sent or deleted.
    Path,
    /// Code evaluated (`eval`, `exec`, `new Function`).
    Eval,
    /// A redirect target.
    Redirect,
    /// HTML sent or marked safe without escaping.
    Html,
}

/// Request input reaching a sink.
#[derive(Clone, Debug)]
pub(crate) struct TaintedSink {
    pub kind: SinkKind,
    /// The argument at the call.
    pub span: Span,
    pub callee: String,
    /// The first raw read feeding it, when there is one (`request.args["next"]`).
    pub input: Option<String>,
}

/// What the analysis of one function found.
#[derive(Clone, Debug, Default)]
pub(crate) struct Analysis {
    pub handler: Option<Handler>,
    pub uses: Vec<RawUse>,
    /// The handler validates its input as a whole (a form, a serializer, a
    /// schema, a validation middleware).
    pub validated: bool,
    pub sql: Vec<SqlSite>,
    pub sinks: Vec<TaintedSink>,
    /// Templates rendered with request input in their context (Python).
    pub renders: Vec<RenderSite>,
}

/// A template rendered in a handler with request input in its context.
#[derive(Clone, Debug)]
pub(crate) struct RenderSite {
    /// The render call's callee (`render_template`, `Template(..).render`).
    pub callee: String,
    pub template: RenderedTemplate,
    /// The context variables holding request input.
    pub inputs: Vec<aireview_core::facts::TemplateInput>,
}

#[derive(Clone, Debug)]
pub(crate) enum RenderedTemplate {
    /// A template file by name (`page.html`), and the name argument.
    File { name: String, span: Span },
    /// Template source written in the code: what it outputs unescaped.
    Inline(Vec<aireview_core::template::RawOutput>),
}

impl Analysis {
    /// Raw reads that nothing validated, each once, in source order.
    /// A handler that checks or converts any of its input shows it
    /// validates what matters, and is left alone.
    /// Fields of typed bodies are not raw reads.
    pub fn unvalidated_uses(&self) -> Vec<&RawUse> {
        let raw = || self.uses.iter().filter(|u| !u.typed);
        if self.validated || raw().any(|u| u.cleared) {
            return Vec::new();
        }
        let mut out: Vec<&RawUse> = raw().filter(|u| !u.cleared).collect();
        out.sort_by_key(|u| (u.span.start_line, u.span.start_col));
        out.dedup_by(|a, b| a.span == b.span);
        out
    }
}

/// What an expression evaluates to, as far as taint goes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Value {
    /// Comes from request input.
    pub tainted: bool,
    /// A collection of request values (a JSON body, query parameters):
    /// indexing it reads a raw value.
    pub container: bool,
    /// Raw reads this value carries (indexes into `Analysis::uses`).
    pub uses: Vec<usize>,
    /// A string built by formatting or concatenation with a non-constant piece.
    pub built: Option<Built>,
    /// Fixed in the source (a literal, a constant name, a number).
    pub constant: bool,
    /// The constant text looks like SQL.
    pub sqlish: bool,
    /// Holds a value from outside the function (a parameter, a name
    /// bound elsewhere): SQL built from it gets a warning. Attributes, call
    /// results and quoted identifiers are code's own values and do not.
    pub risky: bool,
    /// The constant text compares or inserts values (`=`, `LIKE`, `IN (`,
    /// `VALUES`): an interpolation there is data, not an identifier.
    pub values: bool,
    /// A typed request body (index into `Env::shapes`): reading a field
    /// gives that field's taint.
    pub shape: Option<usize>,
}

/// The fields of a typed request body whose type is defined in this file
/// (a `Deserialize` struct, a pydantic model): deserialisation checked the
/// shape, so numbers, flags, enums and ids are clean, but a free-text
/// field is still any string the client sent.
#[derive(Clone, Debug, Default)]
pub(crate) struct Shape {
    pub fields: Vec<(String, FieldTaint)>,
    /// A validation of the whole body ran (`order.validate()`, a
    /// `Valid<Json<T>>` extractor): constrained fields are clean from here on.
    pub validated: bool,
}

/// What reading one field of a typed body gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FieldTaint {
    /// A number, flag, enum, id, date, nested type: not free text.
    Clean,
    /// Free text (`String`, `str`, `EmailStr`) with no content constraint.
    Text,
    /// Free text with a content constraint (a pattern, an allow-list, a
    /// custom validator) that holds once the body is validated.
    Constrained,
}

#[derive(Clone, Debug)]
pub(crate) struct Built {
    pub span: Span,
    /// The constant text of the string looks like SQL.
    pub sqlish: bool,
    /// The constant text has value positions (see `Value::values`).
    pub values: bool,
    pub tainted: bool,
}

impl Value {
    /// Not request input, and not known to be constant.
    pub fn clean() -> Value {
        Value::default()
    }

    pub fn constant() -> Value {
        Value {
            constant: true,
            ..Value::default()
        }
    }

    /// A string literal with this text.
    pub fn literal(text: &str) -> Value {
        let lower = text.to_ascii_lowercase();
        Value {
            sqlish: looks_like_sql(text),
            values: ["=", "<", ">", " like ", "values", " in (", " in("]
                .iter()
                .any(|w| lower.contains(w)),
            ..Value::constant()
        }
    }

    pub fn raw(container: bool) -> Value {
        Value {
            tainted: true,
            container,
            ..Value::default()
        }
    }

    /// Values combined by an operation that is not string building: taint
    /// carries over; the result is neither constant nor built SQL.
    pub fn mixed(parts: Vec<Value>) -> Value {
        let mut v = parts.into_iter().fold(Value::clean(), Value::join);
        v.constant = false;
        v.built = None;
        v.container = false;
        v.shape = None;
        v
    }

    pub fn join(mut self, other: Value) -> Value {
        self.tainted |= other.tainted;
        self.container |= other.container;
        self.uses.extend(other.uses);
        if self.built.is_none() {
            self.built = other.built;
        }
        self.sqlish |= other.sqlish;
        self.values |= other.values;
        self.constant &= other.constant;
        self.risky |= other.risky;
        self
    }
}

/// Local variables and what they hold, plus the findings so far.
#[derive(Default)]
pub(crate) struct Env {
    pub vars: HashMap<String, Value>,
    pub out: Analysis,
    /// The typed bodies of the handler's parameters.
    pub shapes: Vec<Shape>,
    /// Expression nesting of the evaluation under way (see `MAX_DEPTH`).
    pub depth: u32,
}

/// Deeper expressions (a generated 30 000-term concatenation) are not
/// followed: the recursion must not overflow the stack.
pub(crate) const MAX_DEPTH: u32 = 128;

impl Env {
    pub fn record_use(&mut self, span: Span, text: &str) -> usize {
        self.out.uses.push(RawUse {
            span,
            text: shorten(text),
            cleared: false,
            typed: false,
        });
        self.out.uses.len() - 1
    }

    /// A free-text value whose shape was validated (see `RawUse::typed`).
    pub fn typed_read(&mut self, span: Span, text: &str) -> Value {
        let u = self.record_use(span, text);
        self.out.uses[u].typed = true;
        Value {
            uses: vec![u],
            ..Value::raw(false)
        }
    }

    /// A typed body with these fields.
    pub fn typed_body(&mut self, shape: Shape) -> Value {
        self.shapes.push(shape);
        Value {
            shape: Some(self.shapes.len() - 1),
            ..Value::clean()
        }
    }

    /// Reads field `field` of the typed body `shape` (written `text`):
    /// tainted when it is free text no validation constrained.
    pub fn read_field(&mut self, shape: usize, field: &str, span: Span, text: &str) -> Value {
        let Some(s) = self.shapes.get(shape) else {
            return Value::clean();
        };
        let taint = s.fields.iter().find(|(f, _)| f == field).map(|(_, t)| *t);
        match taint {
            Some(FieldTaint::Text) => self.typed_read(span, text),
            Some(FieldTaint::Constrained) if !s.validated => self.typed_read(span, text),
            _ => Value::clean(),
        }
    }

    /// A field of a typed body was checked strongly (compared, matched,
    /// passed to a check): it is clean from here on.
    pub fn check_field(&mut self, shape: usize, field: &str) {
        if let Some(s) = self.shapes.get_mut(shape) {
            for (f, t) in &mut s.fields {
                if f == field {
                    *t = FieldTaint::Clean;
                }
            }
        }
    }

    /// A raw read of request input (`body["qty"]`, `req.query.q`).
    pub fn read(&mut self, span: Span, text: &str) -> Value {
        let u = self.record_use(span, text);
        Value {
            uses: vec![u],
            ..Value::raw(false)
        }
    }

    /// A name's value: a local variable, a constant by its name, or
    /// something from outside the function.
    pub fn lookup(&self, name: &str) -> Value {
        match self.vars.get(name) {
            Some(v) => v.clone(),
            None if is_constant_name(name) => Value::constant(),
            None => Value {
                risky: true,
                ..Value::clean()
            },
        }
    }

    /// A string assembled from parts (an f-string, `%`, `+`, `format!`):
    /// built when a part is request input or comes from outside the function.
    pub fn build(&self, span: Span, parts: Vec<Value>) -> Value {
        let constant = parts.iter().all(|p| p.constant);
        let sqlish = parts
            .iter()
            .any(|p| p.sqlish || p.built.as_ref().is_some_and(|b| b.sqlish));
        let values = parts
            .iter()
            .any(|p| p.values || p.built.as_ref().is_some_and(|b| b.values));
        let mut out = parts.into_iter().fold(Value::clean(), Value::join);
        out.container = false;
        out.shape = None;
        out.constant = constant;
        out.sqlish = sqlish;
        out.values = values;
        if !constant && (out.tainted || out.risky || out.built.is_some()) {
            out.built = Some(Built {
                span,
                sqlish,
                values,
                tainted: out.tainted,
            });
        }
        out
    }

    /// Reads made since `start` sit in a condition: they were checked.
    pub fn clear_since(&mut self, start: usize) {
        for u in self.out.uses.iter_mut().skip(start) {
            u.cleared = true;
        }
    }

    /// The value was converted or validated: its raw reads are covered.
    pub fn clear(&mut self, value: &Value) {
        for &i in &value.uses {
            if let Some(u) = self.out.uses.get_mut(i) {
                u.cleared = true;
            }
        }
    }

    /// A variable was checked (`if`, `match`, an allow-list): its reads
    /// are covered; a strong check (a comparison or a call) also ends its
    /// taint, and an allow-list check makes it one of a few constants.
    pub fn check_var(&mut self, name: &str, strong: bool, allow: bool) {
        if let Some(v) = self.vars.get(name).cloned() {
            self.clear(&v);
            if strong {
                if let Some(var) = self.vars.get_mut(name) {
                    var.tainted = false;
                    var.container = false;
                    var.uses.clear();
                    var.constant |= allow;
                }
            }
        }
    }

    /// Records request input reaching a sink.
    pub fn sink(&mut self, cx: &FileContext<'_, '_>, kind: SinkKind, callee: &str, arg: Node<'_>, value: &Value) {
        if !value.tainted || self.out.handler.is_none() {
            return;
        }
        let input = self.input_of(value);
        self.out.sinks.push(TaintedSink {
            kind,
            span: cx.span(arg),
            callee: callee.to_string(),
            input,
        });
    }

    /// The first request input read a value carries, as written.
    fn input_of(&self, value: &Value) -> Option<String> {
        value
            .uses
            .first()
            .and_then(|&i| self.out.uses.get(i))
            .map(|u| u.text.clone())
    }

    /// Records a SQL call whose SQL argument evaluated to `sql`.
    pub fn sql_sink(&mut self, cx: &FileContext<'_, '_>, callee: &str, arg: Node<'_>, sql: &Value) {
        let Some(built) = &sql.built else { return };
        let tainted = built.tainted || sql.tainted;
        // Identifiers (`SELECT %s()`, a table name) cannot be parameters:
        // only values pasted into SQL are worth a warning.
        if !built.sqlish || !(tainted || built.values) {
            return;
        }
        let span = cx.span(arg);
        let built_at = (!span.contains(&built.span)).then_some(built.span);
        let input = tainted.then(|| self.input_of(sql)).flatten();
        self.out.sql.push(SqlSite {
            span,
            callee: callee.to_string(),
            tainted,
            input,
            built_at,
        });
    }
}

/// The language-independent part of walking one function: the depth guard
/// and the walk over children. Each language supplies what a node means.
pub(crate) trait Walk<'t> {
    fn env(&mut self) -> &mut Env;

    /// What one expression evaluates to (called through `eval`).
    fn eval_node(&mut self, node: Node<'t>) -> Value;

    /// Marks the variables in a condition as checked (called through `check`).
    fn check_node(&mut self, node: Node<'t>, strong: bool, allow: bool);

    /// The text of a node (a name).
    fn name_of(&self, node: Node<'t>) -> String;

    fn eval(&mut self, node: Node<'t>) -> Value {
        if self.env().depth >= MAX_DEPTH {
            return Value::clean();
        }
        self.env().depth += 1;
        let value = self.eval_node(node);
        self.env().depth -= 1;
        value
    }

    fn check(&mut self, node: Node<'t>, strong: bool, allow: bool) {
        if self.env().depth >= MAX_DEPTH {
            return;
        }
        // A variable named in a condition is checked, in every language.
        if node.kind_name() == "identifier" {
            let name = self.name_of(node);
            self.env().check_var(&name, strong, allow);
            return;
        }
        self.env().depth += 1;
        self.check_node(node, strong, allow);
        self.env().depth -= 1;
    }

    /// Checks every child of `node`.
    fn check_children(&mut self, node: Node<'t>, strong: bool, allow: bool) {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for child in children {
            self.check(child, strong, allow);
        }
    }

    /// `name = value` (or `name += value` when `augmented`, which builds a
    /// string from the old and the new value); other targets are not followed.
    fn eval_assignment(&mut self, node: Node<'t>, span: Span, augmented: bool) -> Value {
        let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
            return Value::clean();
        };
        let mut value = self.eval(right);
        if left.kind_name() == "identifier" {
            let name = self.name_of(left);
            if augmented {
                let old = self.env().lookup(&name);
                value = self.env().build(span, vec![old, value]);
            }
            self.env().vars.insert(name, value.clone());
        }
        value
    }

    /// `left op right`: string building when `builds` (`+`, Python's `%`),
    /// otherwise a mix of both sides.
    fn eval_binary(&mut self, node: Node<'t>, span: Span, builds: bool) -> Value {
        let (Some(l), Some(r)) = (node.field("left"), node.field("right")) else {
            return Value::clean();
        };
        let left = self.eval(l);
        let right = self.eval(r);
        if builds {
            self.env().build(span, vec![left, right])
        } else {
            Value::mixed(vec![left, right])
        }
    }

    fn eval_children(&mut self, node: Node<'t>) -> Vec<Value> {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node
            .named_children(&mut cursor)
            .filter(|c| !c.kind_name().contains("comment"))
            .collect();
        children.into_iter().map(|c| self.eval(c)).collect()
    }
}

/// Analyses one function node (any language), or `None` when it is not a
/// function this module understands, or (with `handlers_only`) not a
/// request handler: then its body is not walked at all.
/// Every validation rule asks about every function: the analysis runs once
/// per function and file, and each rule gets a copy.
pub(crate) fn analyze(node: Node<'_>, cx: &FileContext<'_, '_>, handlers_only: bool) -> Option<Analysis> {
    cx.shared(node, u64::from(handlers_only), || match cx.language {
        Language::Python => python::analyze(node, cx, handlers_only),
        Language::Rust => rust::analyze(node, cx, handlers_only),
        _ => javascript::analyze(node, cx, handlers_only),
    })
}

/// The handler `node` is, without walking its body.
pub(crate) fn recognise_handler(node: Node<'_>, cx: &FileContext<'_, '_>) -> Option<Handler> {
    match cx.language {
        Language::Python => python::recognise_handler(node, cx),
        Language::Rust => rust::recognise_handler(node, cx),
        _ => javascript::recognise_handler(node, cx),
    }
}

/// An HTTP method named in the source (`"post"`, `POST`, `Method::PUT`).
pub(crate) fn http_method(text: &str) -> Option<&'static str> {
    let word = last_segment(text.trim_matches(|c| c == '"' || c == '\'' || c == '`'));
    ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
        .into_iter()
        .find(|m| m.eq_ignore_ascii_case(word))
}

/// The HTTP methods quoted in a piece of source (`methods=["GET", "POST"]`).
pub(crate) fn quoted_methods(text: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for piece in text.split(['"', '\'', '`']).skip(1).step_by(2) {
        if let Some(m) = http_method(piece) {
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

/// The methods a handler's body compares its request's method with, on
/// the lines that name `subjects` (`if request.method == "POST":`). A view
/// that only tests for GET is taken as GET-only.
pub(crate) fn methods_compared(body: &str, subjects: &[&str]) -> Vec<&'static str> {
    let mut methods = Vec::new();
    for subject in subjects {
        for (at, _) in body.match_indices(subject) {
            let line = body[at..].lines().next().unwrap_or("");
            // Compared methods are upper-case; `"delete" in request.GET` is not one.
            for m in quoted_methods(line).into_iter().filter(|m| line.contains(m)) {
                if !methods.contains(&m) {
                    methods.push(m);
                }
            }
        }
    }
    methods
}

/// The function node kinds `analyze` accepts.
pub(crate) fn function_kinds(language: Language) -> &'static [&'static str] {
    match language {
        Language::Python => &["function_definition"],
        Language::Rust => &["function_item"],
        _ => &[
            "function_declaration",
            "arrow_function",
            "function_expression",
            "method_definition",
        ],
    }
}

/// Whether the function is worth analysing for SQL at all: a query call
/// and an SQL keyword in its text (substring tests only).
pub(crate) fn may_run_sql(text: &str) -> bool {
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    has(&[
        "execute", "query", "raw", "Raw", "sql", "exec(", "text(", "prepare(", "unsafe(",
    ]) && has(&[
        "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "select", "insert", "update", "delete",
        "create", "drop", "alter", "Select", "Insert", "Update", "Delete",
    ])
}

/// The words of (upper-cased) SQL text, for keyword tests.
pub(crate) fn sql_words(upper: &str) -> Vec<&str> {
    upper
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect()
}

/// SQL keywords in a piece of constant text: `SELECT ... FROM`, `INSERT INTO`,
/// `UPDATE ... SET`, `DELETE FROM`, or a DDL statement.
pub(crate) fn looks_like_sql(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    let words = sql_words(&upper);
    let has = |w: &str| words.contains(&w);
    (has("SELECT") && (has("FROM") || words.len() <= 4))
        || (has("INSERT") && has("INTO"))
        || (has("UPDATE") && has("SET"))
        || (has("DELETE") && has("FROM"))
        || (has("WHERE") && (has("AND") || has("OR") || has("IN") || words.len() <= 6))
        || (has("ORDER") && has("BY"))
        || ((has("CREATE") || has("DROP") || has("ALTER") || has("TRUNCATE")) && (has("TABLE") || has("INDEX")))
}

/// A name written as a constant (`TABLE`, `MAX_ROWS`).
pub(crate) fn is_constant_name(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Calls whose name says they validate their argument.
pub(crate) fn is_validator_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("valid")
        || lower.contains("verify")
        || lower.starts_with("check_")
        || lower.starts_with("ensure_")
        || lower.starts_with("sanitize")
        || lower.starts_with("sanitise")
        || lower.ends_with("_schema")
        || matches!(
            name,
            "parse"
                | "safeParse"
                | "parseAsync"
                | "safeParseAsync"
                | "parse_obj"
                | "parse_raw"
                | "from_value"
                | "from_str"
                | "from_slice"
                | "full_clean"
                | "plainToInstance"
                | "plainToClass"
                | "secure_filename"
                | "escape"
        )
}

/// From the start of `first` to the end of `last` (a signature: `def f(x)`),
/// without rescanning the file for line numbers.
pub(crate) fn span_between(cx: &FileContext<'_, '_>, first: Node<'_>, last: Node<'_>) -> Span {
    let (start, end) = (cx.span(first), cx.span(last));
    Span {
        end: end.end,
        end_line: end.end_line,
        end_col: end.end_col,
        ..start
    }
}

/// Text with an HTML tag in it (`<p>`, `</div>`).
pub(crate) fn looks_like_html(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
}

/// One line, at most 60 characters, for messages.
fn shorten(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        let cut: String = one_line.chars().take(57).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

/// The last segment of a dotted or `::` path.
pub(crate) fn last_segment(path: &str) -> &str {
    let path = path.rsplit("::").next().unwrap_or(path);
    path.rsplit('.').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_sql_text() {
        assert!(looks_like_sql("SELECT * FROM users WHERE id = "));
        assert!(looks_like_sql("insert into orders (qty) values ("));
        assert!(looks_like_sql("DELETE FROM t"));
        assert!(!looks_like_sql("Hello, world: select your plan"));
        assert!(!looks_like_sql("update the settings"));
    }
}
