//! `unsafe-write-endpoint` (info, off by default): a POST / PUT / PATCH /
//! DELETE handler that writes to a database or calls an external service
//! with no idempotency key, no transaction and no error handling around
//! the write: "where are the retries, idempotency keys and rollback?".
//!
//! Handlers and their methods come from the shared recognition in `taint`.
//! The body is walked once per handler; a handler-wide safeguard (an
//! idempotency key, a transaction) silences it, and error handling silences
//! the writes it surrounds (`try`, `.catch(`, Rust's `?` or a `match`).
//! A handler whose unprotected writes can all be repeated (updates to fixed
//! values, deletes, outbound PUT / DELETE) is silent: a retry converges.

use super::reviewed;
use super::taint::{function_kinds, http_method, last_segment, recognise_handler, sql_words, Handler};
use aireview_core::parse::FieldByName;
use aireview_core::parse::KindName;
use aireview_core::rule::{FileContext, FileRule};
use aireview_core::span::Span;
use aireview_core::tree_sitter::Node;
use aireview_core::Language;

pub struct UnsafeWriteEndpoint;

const WRITE_METHODS: &[&str] = &["POST", "PUT", "PATCH", "DELETE"];

/// MongoDB's writes in pymongo / motor and the Rust driver.
const MONGO_WRITES: &[&str] = &[
    "insert_one",
    "insert_many",
    "update_one",
    "update_many",
    "replace_one",
    "delete_one",
    "delete_many",
    "find_one_and_update",
    "find_one_and_replace",
    "find_one_and_delete",
    "bulk_write",
];

const HELP: &str = "make a retried request safe: run the writes in a transaction (`transaction.atomic`, `session.begin()`, `prisma.$transaction`, `pool.begin()`), handle their failure (roll back, answer with a clear error), and accept an `Idempotency-Key` header (or pass one to the payment API) so a retry does not write twice";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Database,
    Service,
}

/// A write the handler does with nothing around it.
struct Write {
    span: Span,
    target: Target,
    /// The call as a short chain: `Order.objects.create`, `prisma.order.create`.
    label: String,
    /// Repeating it leaves the same state (an update to fixed values, a
    /// delete, an HTTP PUT): a retry does no harm.
    repeatable: bool,
}

impl FileRule for UnsafeWriteEndpoint {
    fn id(&self) -> &'static str {
        "unsafe-write-endpoint"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        function_kinds(language)
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        if !reviewed(cx) {
            return;
        }
        let Some(body) = node.field("body") else {
            return;
        };
        let Some(handler) = recognise_handler(node, cx) else {
            return;
        };
        let methods: Vec<&str> = handler
            .methods
            .iter()
            .copied()
            .filter(|m| WRITE_METHODS.contains(m))
            .collect();
        if methods.is_empty() || safeguarded(node, cx) {
            return;
        }
        let mut scan = Scan {
            cx,
            writes: Vec::new(),
            clients: Vec::new(),
            function_text: cx.text(node),
        };
        scan.walk(body, false);
        let writes = scan.writes;
        // Retrying updates and deletes converges; a create, an insert or a
        // call out (a charge, an email) done twice is the problem.
        if writes.iter().all(|w| w.repeatable) {
            return;
        }
        report(cx, &handler, &methods, &writes);
    }
}

fn report(cx: &mut FileContext<'_, '_>, handler: &Handler, methods: &[&str], writes: &[Write]) {
    let first = |t: Target| {
        writes
            .iter()
            .find(|w| w.target == t && !w.repeatable)
            .map(|w| w.label.as_str())
    };
    let mut what = Vec::new();
    if let Some(db) = first(Target::Database) {
        what.push(format!("writes to the database (`{db}`)"));
    }
    if let Some(service) = first(Target::Service) {
        what.push(format!("calls an external service (`{service}`)"));
    }
    // Route names carry their method already (`POST /orders`, Next.js `POST`).
    let named_by_method = handler
        .name
        .split(' ')
        .next()
        .is_some_and(|head| head.split('/').all(|m| http_method(m) == Some(m)));
    let kind = if named_by_method {
        "handler".to_string()
    } else {
        format!("{} handler", methods.join("/"))
    };
    let path = cx.path().to_string();
    let d = cx.report(
        handler.signature,
        format!(
            "{kind} `{}` {} with no transaction, idempotency key or error handling",
            handler.name,
            what.join(" and ")
        ),
    );
    d.with_help(HELP);
    for w in writes {
        let label = match w.target {
            Target::Database => format!("writes to the database: `{}`", w.label),
            Target::Service => format!("calls an external service: `{}`", w.label),
        };
        d.with_related(path.clone(), w.span, label);
    }
}

/// The handler, with its decorators, reads an idempotency key or runs a
/// transaction somewhere: it has thought about retries.
fn safeguarded(node: Node<'_>, cx: &FileContext<'_, '_>) -> bool {
    let outer = cx
        .parent()
        .filter(|p| p.kind_name() == "decorated_definition")
        .unwrap_or(node);
    let text = cx.text(outer);
    if text.to_ascii_lowercase().contains("idempotency") {
        return true;
    }
    let words: &[&str] = match cx.language {
        Language::Python => &[
            "atomic",
            ".begin(",
            ".begin_nested(",
            ".transaction(",
            ".rollback(",
            "BEGIN",
        ],
        Language::Rust => &[".begin()", ".transaction(", ".commit()", "BEGIN"],
        _ => &[
            "$transaction",
            ".transaction(",
            "startTransaction",
            "withTransaction",
            ".rollback(",
            "BEGIN",
        ],
    };
    words.iter().any(|w| text.contains(w))
        || (!matches!(cx.language, Language::Python | Language::Rust) && passes_error_to_next(text))
}

/// Express: `next(err)` hands a failure to the error middleware.
fn passes_error_to_next(text: &str) -> bool {
    text.match_indices("next(").any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + 5..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '$') && after != Some(')')
    })
}

/// SQL text that changes data: `INSERT INTO`, `UPDATE .. SET`, `DELETE FROM`.
fn writes_sql(text: &str) -> bool {
    sql_repeatable(text).is_some()
}

/// Whether data-changing SQL can be run twice: an `UPDATE` to fixed
/// values or a `DELETE` can, an `INSERT` or `SET n = n + 1` cannot; `None`
/// when the text has no such SQL.
fn sql_repeatable(text: &str) -> Option<bool> {
    let upper = text.to_ascii_uppercase();
    let words = sql_words(&upper);
    let has = |w: &str| words.contains(&w);
    if (has("INSERT") || has("REPLACE") || has("MERGE")) && has("INTO") || has("UPSERT") {
        return Some(false);
    }
    if has("UPDATE") && has("SET") {
        // `SET n = n + 1`: a column assigned from itself.
        let tokens: Vec<&str> = upper.split_whitespace().collect();
        let increments = tokens.windows(4).any(|w| {
            w[1] == "=" && w[0].trim_start_matches(',') == w[2] && (w[3].starts_with('+') || w[3].starts_with('-'))
        }) || upper.contains("+ 1")
            || upper.contains("- 1");
        return Some(!increments);
    }
    (has("DELETE") && has("FROM")).then_some(true)
}

/// A call chain as a short label: arguments collapse to `(..)`, white
/// space goes: `Order.objects.filter(..).update`.
fn chain_label(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => {
                if depth == 0 {
                    out.push_str("(..)");
                }
                depth += 1;
            }
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 && !c.is_whitespace() => out.push(c),
            _ => {}
        }
    }
    if out.chars().count() > 60 {
        let cut: String = out.chars().take(57).collect();
        format!("{cut}...")
    } else {
        out
    }
}

struct Scan<'a, 'c, 't> {
    cx: &'a FileContext<'c, 't>,
    writes: Vec<Write>,
    /// Names bound to an HTTP client (`async with httpx.AsyncClient() as client`).
    clients: Vec<String>,
    function_text: &'a str,
}

impl<'t> Scan<'_, '_, 't> {
    fn text(&self, node: Node<'_>) -> &str {
        self.cx.text(node)
    }

    /// Walks `node`; `protected` when error handling surrounds it.
    fn walk(&mut self, node: Node<'t>, protected: bool) {
        match node.kind_name() {
            // Nested definitions run at another time (Python, Rust);
            // JavaScript callbacks stay in (`.then(() => ..)`).
            "function_definition"
            | "class_definition"
            | "function_item"
            | "function_declaration"
            | "class_declaration" => return,
            "try_statement" => {
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                let catches = children
                    .iter()
                    .any(|c| matches!(c.kind_name(), "except_clause" | "except_group_clause" | "catch_clause"));
                let body = node.field("body");
                for c in children {
                    self.walk(c, protected || (catches && Some(c) == body));
                }
                return;
            }
            // DB-API: `with conn:` commits, or rolls back on an exception.
            "with_statement" if self.connection_context(node) => return,
            "call" | "call_expression" if !protected => {
                if let Some(write) = self.write(node).filter(|_| !self.handled(node)) {
                    self.writes.push(write);
                }
            }
            "assignment" | "with_item" | "variable_declarator" => self.bind_client(node),
            _ => {}
        }
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for c in children {
            self.walk(c, protected);
        }
    }

    /// `with conn:` / `with self.db:` (a DB-API connection as context manager).
    fn connection_context(&self, node: Node<'t>) -> bool {
        let text = self.text(node);
        let head = text
            .trim_start_matches("async")
            .trim_start()
            .trim_start_matches("with")
            .split(':')
            .next()
            .unwrap_or("")
            .trim();
        let name = last_segment(head).to_ascii_lowercase();
        head.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && (name.contains("conn") || matches!(name.as_str(), "db" | "con" | "database"))
    }

    /// Remembers names bound to an HTTP client session.
    fn bind_client(&mut self, node: Node<'t>) {
        let text = self.text(node);
        let client = ["Client(", "AsyncClient(", "Session(", "ClientSession("]
            .iter()
            .any(|c| text.contains(c))
            && ["httpx.", "requests.", "aiohttp.", "AsyncClient(", "ClientSession("]
                .iter()
                .any(|m| text.contains(m));
        if !client {
            return;
        }
        let name = match text.split_once(" as ") {
            Some((_, alias)) => alias.trim(),
            None => text.split('=').next().unwrap_or("").trim(),
        };
        if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            self.clients.push(name.to_string());
        }
    }

    /// What the call writes, when it writes.
    fn write(&self, call: Node<'t>) -> Option<Write> {
        let func = call.field("function")?;
        let callee = self.text(func);
        let args = call.field("arguments");
        let target = match self.cx.language {
            Language::Python => self.python_write(func, callee, args),
            Language::Rust => self.rust_write(call, func, args),
            _ => self.javascript_write(func, callee, args),
        }?;
        Some(Write {
            span: self.cx.span(call),
            target,
            label: chain_label(callee),
            repeatable: self.repeatable(call, func, target),
        })
    }

    /// Whether doing the write twice leaves what doing it once does.
    fn repeatable(&self, call: Node<'t>, func: Node<'t>, target: Target) -> bool {
        let name = match func.kind_name() {
            "member_expression" => func.field("property").map_or("", |p| self.text(p)),
            "field_expression" => func.field("field").map_or("", |f| self.text(f)),
            _ => last_segment(self.text(func)),
        };
        let text = self.text(call);
        if target == Target::Service {
            // HTTP PUT and DELETE are idempotent by definition; a `fetch`
            // or `axios` options object, or reqwest's builder, names the method.
            let method = match name {
                "send" => self.text(func),
                "fetch" | "axios" => text,
                _ => name,
            };
            let upper = method.to_ascii_uppercase();
            let idempotent = |m: &str| {
                upper == m
                    || upper.contains(&format!(".{m}("))
                    || upper.contains(&format!("\"{m}\""))
                    || upper.contains(&format!("'{m}'"))
                    || upper.contains(&format!("METHOD::{m}"))
            };
            return ["PUT", "DELETE"].iter().any(|m| idempotent(m)) && !["POST", "PATCH"].iter().any(|m| idempotent(m));
        }
        if ["$inc", "$push", "increment", "decrement", "F("]
            .iter()
            .any(|w| text.contains(w))
        {
            return false;
        }
        let sql = format!("{text} {}", self.chain_sql(call));
        if let Some(repeatable) = sql_repeatable(&sql) {
            return repeatable;
        }
        if sql.contains("insert(") || sql.contains("insert_into(") {
            return false;
        }
        matches!(
            name,
            "update"
                | "updateMany"
                | "updateOne"
                | "update_one"
                | "update_many"
                | "bulk_update"
                | "update_or_create"
                | "get_or_create"
                | "replace_one"
                | "replaceOne"
                | "upsert"
                | "delete"
                | "deleteMany"
                | "deleteOne"
                | "delete_one"
                | "delete_many"
                | "del"
                | "destroy"
                | "findByIdAndUpdate"
                | "findOneAndUpdate"
                | "findOneAndReplace"
                | "find_one_and_update"
                | "find_one_and_replace"
                | "findOneAndDelete"
                | "findByIdAndDelete"
                | "findByIdAndRemove"
                | "find_one_and_delete"
                | "merge"
                | "commit"
                | "flush"
                | "bulk_update_mappings"
        ) || (name == "execute" && (sql.contains("update(") || sql.contains("delete(")))
    }

    fn args_of(&self, args: Option<Node<'t>>) -> Vec<Node<'t>> {
        let Some(args) = args else { return Vec::new() };
        let mut cursor = args.walk();
        let list = args
            .named_children(&mut cursor)
            .filter(|a| !a.kind_name().contains("comment"))
            .collect();
        list
    }

    /// The SQL text of the first argument of each call of a method chain:
    /// `sqlx::query(&sql).bind(x).execute(&pool)` names `sql`.
    fn chain_sql(&self, call: Node<'t>) -> String {
        let mut out = String::new();
        let mut cur = Some(call);
        while let Some(c) = cur.filter(|c| matches!(c.kind_name(), "call" | "call_expression")) {
            let first = self.args_of(c.field("arguments")).first().copied();
            out.push_str(self.sql_of(first));
            out.push('\n');
            cur = c
                .field("function")
                .and_then(|f| f.field("value").or_else(|| f.field("object")));
        }
        out
    }

    /// The SQL text of a query argument: a literal, or the line that
    /// assigns the named variable in this handler.
    fn sql_of(&self, arg: Option<Node<'t>>) -> &str {
        let Some(mut arg) = arg else { return "" };
        // Rust's `&sql`.
        while arg.kind_name() == "reference_expression" {
            match arg.field("value") {
                Some(inner) => arg = inner,
                None => break,
            }
        }
        if arg.kind_name() != "identifier" {
            return self.text(arg);
        }
        let name = self.text(arg);
        self.function_text
            .lines()
            .map(str::trim_start)
            .find(|l| {
                l.trim_start_matches("let ")
                    .trim_start_matches("const ")
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.trim_start().starts_with('=') || rest.starts_with(':'))
            })
            .unwrap_or("")
    }

    fn python_write(&self, func: Node<'t>, callee: &str, args: Option<Node<'t>>) -> Option<Target> {
        let name = last_segment(callee);
        let receiver = (func.kind_name() == "attribute")
            .then(|| func.field("object"))
            .flatten()
            .map_or("", |r| self.text(r));
        let list = self.args_of(args);
        let positional = list.iter().filter(|a| a.kind_name() != "keyword_argument").count();
        // SQLAlchemy's session, often named `db` in FastAPI code (`db: Session`).
        let session = {
            let r = last_segment(receiver).to_ascii_lowercase();
            (r.ends_with("session") || r == "db") && receiver != "request.session"
        };
        let db = match name {
            "create" | "bulk_create" | "update" | "bulk_update" | "get_or_create" | "update_or_create" => {
                callee.contains("objects.")
            }
            // `order.save()`, `form.save()`; not `image.save(path)` nor `form.save(commit=False)`.
            "save" => !receiver.is_empty() && positional == 0 && !self.text(args?).contains("commit=False"),
            // `order.delete()`, `Order.objects.filter(..).delete()`, `db.session.delete(order)`.
            "delete" => (!receiver.is_empty() && list.is_empty() && !receiver.contains("session")) || session,
            "add"
            | "add_all"
            | "merge"
            | "commit"
            | "flush"
            | "bulk_save_objects"
            | "bulk_insert_mappings"
            | "bulk_update_mappings" => session,
            "execute" | "executemany" | "executescript" => {
                let sql = self.sql_of(list.first().copied());
                // SQLAlchemy Core: `notes.insert().values(..)`, `update(User)`.
                writes_sql(sql) || ["insert(", "update(", "delete("].iter().any(|w| sql.contains(w))
            }
            _ => MONGO_WRITES.contains(&name),
        };
        if db {
            return Some(Target::Database);
        }
        let root = callee.split('.').next().unwrap_or("");
        let http = matches!(name, "post" | "put" | "patch" | "delete")
            && (matches!(root, "requests" | "httpx") || self.clients.iter().any(|c| c == receiver));
        let service = http
            || (root == "stripe" && matches!(name, "create" | "modify" | "delete" | "capture" | "confirm" | "cancel"))
            || matches!(callee, "send_mail" | "send_mass_mail" | "mail.send");
        service.then_some(Target::Service)
    }

    fn javascript_write(&self, func: Node<'t>, callee: &str, args: Option<Node<'t>>) -> Option<Target> {
        let list = self.args_of(args);
        if func.kind_name() != "member_expression" {
            // `fetch(url, { method: "POST" })`, `axios({ method: "post" })`
            let options = match callee {
                "fetch" => list.get(1),
                "axios" => list.first(),
                _ => None,
            };
            let writes = options.is_some_and(|o| {
                o.kind_name() == "object" && {
                    let mut cursor = o.walk();
                    let pairs: Vec<Node<'t>> = o.named_children(&mut cursor).collect();
                    pairs.iter().any(|p| {
                        p.field("key").is_some_and(|k| self.text(k) == "method")
                            && p.field("value")
                                .is_some_and(|v| http_method(self.text(v)).is_some_and(|m| WRITE_METHODS.contains(&m)))
                    })
                }
            });
            return writes.then_some(Target::Service);
        }
        let name = func.field("property").map_or("", |p| self.text(p));
        let object = func.field("object")?;
        let receiver = self.text(object);
        let root = callee.split(['.', '(']).next().unwrap_or("");
        let model = object.kind_name() == "identifier"
            && receiver.starts_with(|c: char| c.is_ascii_uppercase())
            && !matches!(
                receiver,
                "Object"
                    | "Array"
                    | "Promise"
                    | "Date"
                    | "Map"
                    | "Set"
                    | "Reflect"
                    | "JSON"
                    | "Math"
                    | "Buffer"
                    | "URL"
                    | "Response"
                    | "NextResponse"
                    | "Intl"
                    | "Symbol"
                    | "Error"
                    | "React"
            );
        let store = matches!(
            last_segment(receiver).to_ascii_lowercase().as_str(),
            "db" | "knex" | "trx" | "sql" | "database" | "pool" | "repo" | "repository"
        ) || receiver.ends_with("Repository")
            || receiver.ends_with("Repo")
            || receiver.ends_with("Model");
        let crypto = [
            "createHash",
            "createHmac",
            "createCipher",
            "createDecipher",
            "createSign",
            "createVerify",
        ]
        .iter()
        .any(|c| receiver.contains(c));
        let prisma = receiver.starts_with("prisma.") || receiver.contains(".prisma.");
        let db = (prisma
            && matches!(
                name,
                "create" | "createMany" | "update" | "updateMany" | "upsert" | "delete" | "deleteMany"
            ))
            || (model
                && matches!(
                    name,
                    "create"
                        | "bulkCreate"
                        | "insertMany"
                        | "update"
                        | "upsert"
                        | "destroy"
                        | "findOneAndUpdate"
                        | "findByIdAndUpdate"
                        | "findOneAndDelete"
                        | "findByIdAndDelete"
                        | "findByIdAndRemove"
                ))
            || (!crypto
                && (store || object.kind_name() == "call_expression")
                && matches!(name, "insert" | "update" | "upsert"))
            || (name == "del" && list.is_empty())
            || matches!(
                name,
                "$executeRaw"
                    | "$executeRawUnsafe"
                    | "insertOne"
                    | "updateOne"
                    | "updateMany"
                    | "replaceOne"
                    | "deleteOne"
                    | "deleteMany"
                    | "findOneAndReplace"
                    | "bulkWrite"
            )
            // `doc.save()`, `repo.save(entity)`; not express-session's `req.session.save(cb)`.
            || (name == "save" && !receiver.to_ascii_lowercase().contains("session"))
            || (matches!(name, "query" | "execute" | "run" | "exec") && writes_sql(self.sql_of(list.first().copied())));
        if db {
            return Some(Target::Database);
        }
        let service = (matches!(name, "post" | "put" | "patch" | "delete")
            && matches!(root, "axios" | "got" | "ky" | "superagent"))
            || (root == "stripe" && matches!(name, "create" | "update" | "del" | "capture" | "confirm" | "cancel"))
            || matches!(name, "sendMail" | "sendEmail")
            || matches!(callee, "sgMail.send" | "resend.emails.send");
        service.then_some(Target::Service)
    }

    fn rust_write(&self, call: Node<'t>, func: Node<'t>, args: Option<Node<'t>>) -> Option<Target> {
        if func.kind_name() != "field_expression" {
            return None;
        }
        let name = func.field("field").map_or("", |f| self.text(f));
        let receiver = func.field("value").map_or("", |v| self.text(v));
        let list = self.args_of(args);
        let handle = list.first().is_some_and(|a| {
            let t = self.text(*a).trim_start_matches(['&', '*']).trim_start_matches("mut ");
            let last = t.rsplit('.').next().unwrap_or(t).to_ascii_lowercase();
            matches!(
                last.as_str(),
                "db" | "conn" | "connection" | "pool" | "database" | "tx" | "txn"
            ) || last.ends_with("_pool")
                || last.ends_with("_db")
        });
        let diesel = ["insert_into(", "update(", "delete(", "replace_into("]
            .iter()
            .any(|b| receiver.contains(b));
        let db = match name {
            "execute" => {
                writes_sql(receiver)
                    || diesel
                    || writes_sql(&self.chain_sql(call))
                    || (handle && receiver.contains("query"))
            }
            "get_result" | "get_results" => diesel,
            "insert" | "update" | "save" | "delete" | "exec" => handle,
            _ => MONGO_WRITES.contains(&name),
        };
        if db {
            return Some(Target::Database);
        }
        let service = name == "send"
            && ([".post(", ".put(", ".patch(", ".delete("]
                .iter()
                .any(|m| receiver.contains(m))
                || ["Method::POST", "Method::PUT", "Method::PATCH", "Method::DELETE"]
                    .iter()
                    .any(|m| receiver.contains(m)));
        service.then_some(Target::Service)
    }

    /// Error handling right on the call: `.catch(..)` / `.then(ok, err)` in
    /// JavaScript; `?`, a `match`, `if let` or a checked binding in Rust.
    fn handled(&self, call: Node<'t>) -> bool {
        match self.cx.language {
            Language::Python => false,
            Language::Rust => self.rust_handled(call),
            _ => {
                let mut cur = call;
                while let (Some(member), Some(next)) = (cur.parent(), cur.parent().and_then(|p| p.parent())) {
                    if member.kind_name() != "member_expression" || next.kind_name() != "call_expression" {
                        break;
                    }
                    let property = member.field("property").map_or("", |p| self.text(p));
                    let two_args = next.field("arguments").is_some_and(|a| a.named_child_count() >= 2);
                    if property == "catch" || (property == "then" && two_args) {
                        return true;
                    }
                    cur = next;
                }
                false
            }
        }
    }

    fn rust_handled(&self, call: Node<'t>) -> bool {
        let mut cur = call;
        while let Some(parent) = cur.parent() {
            match parent.kind_name() {
                "await_expression" | "parenthesized_expression" => {}
                "field_expression" => {
                    let method = parent.field("field").map_or("", |f| self.text(f));
                    if matches!(
                        method,
                        "unwrap" | "expect" | "ok" | "unwrap_or_default" | "unwrap_or" | "unwrap_or_else"
                    ) {
                        return false;
                    }
                    // `if write.await.is_err() { return ... }`
                    if matches!(method, "is_err" | "is_ok") {
                        return true;
                    }
                    // `.map_err(..)` and other adapters: follow the chain.
                    match parent.parent().filter(|p| p.kind_name() == "call_expression") {
                        Some(next) => cur = next,
                        None => return false,
                    }
                    continue;
                }
                "try_expression" | "match_expression" | "let_condition" => return true,
                "let_declaration" => {
                    let Some(pattern) = parent.field("pattern") else {
                        return false;
                    };
                    let name = self.text(pattern).trim_start_matches("mut ").trim();
                    if name == "_" || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                        return false;
                    }
                    let t = self.function_text;
                    return [
                        format!("match {name}"),
                        format!("{name}?"),
                        format!("= {name} {{"),
                        format!("{name}.is_err()"),
                        format!("{name}.is_ok()"),
                        format!("{name}.map_err("),
                    ]
                    .iter()
                    .any(|p| t.contains(p.as_str()));
                }
                _ => return false,
            }
            cur = parent;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_sql() {
        assert_eq!(
            chain_label("Order.objects.filter(id=pk)\n    .update"),
            "Order.objects.filter(..).update"
        );
        assert!(writes_sql("INSERT INTO orders (qty) VALUES (?)"));
        assert!(writes_sql("update orders set qty = 1"));
        assert!(!writes_sql("SELECT * FROM orders"));
        assert_eq!(sql_repeatable("UPDATE post SET title = ? WHERE id = ?"), Some(true));
        assert_eq!(sql_repeatable("UPDATE counters SET n = n + 1"), Some(false));
        assert_eq!(sql_repeatable("INSERT INTO post (title) VALUES (?)"), Some(false));
        assert_eq!(sql_repeatable("DELETE FROM post WHERE id = ?"), Some(true));
        assert_eq!(sql_repeatable("db.session.add(order)"), None);
        assert!(passes_error_to_next("} catch (err) { next(err); }"));
        assert!(!passes_error_to_next("iter.next(value); next()"));
    }
}
