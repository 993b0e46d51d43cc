//! `insecure-transport-or-parsing`: TLS verification switched off, unsafe
//! deserialisation (`yaml.load` without a safe loader, `pickle`, `marshal`,
//! `shelve`), shell commands built from data, and non-cryptographic random
//! numbers used for tokens, passwords and keys.

use super::name_parts;
use aireview_core::facts::FileRole;
use aireview_core::parse::FieldByName;
use aireview_core::parse::KindName;
use aireview_core::rule::{FileContext, FileRule};
use aireview_core::tree_sitter::Node;
use aireview_core::Language;

pub struct InsecureTransportOrParsing;

impl FileRule for InsecureTransportOrParsing {
    fn id(&self) -> &'static str {
        "insecure-transport-or-parsing"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        match language {
            Language::Python => &["call", "attribute", "assignment"],
            Language::Rust => &["call_expression"],
            _ => &["call_expression", "pair", "assignment_expression"],
        }
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        if cx.role() != FileRole::Source || cx.in_test_code() {
            return;
        }
        let found = match cx.language {
            Language::Python => python(node, cx),
            Language::Rust => rust(node, cx),
            _ => javascript(node, cx),
        };
        if let Some((span_node, message, help)) = found {
            let span = cx.span(span_node);
            cx.report(span, message).with_help(help);
        }
    }
}

type Finding<'t> = Option<(Node<'t>, String, &'static str)>;

const TLS_HELP_PY: &str =
    "keep certificate verification on; for a private CA pass its bundle (`verify=\"/path/to/ca.pem\"`, `cafile=`)";
const SHELL_HELP_PY: &str =
    "pass the command as a list without `shell=True` (`subprocess.run([\"git\", \"log\", ref])`), or quote each value with `shlex.quote`";
const RANDOM_HELP_PY: &str =
    "use the `secrets` module (`secrets.token_urlsafe()`, `secrets.token_hex()`, `secrets.choice`) for anything an attacker must not guess";

fn python<'t>(node: Node<'t>, cx: &FileContext<'_, 't>) -> Finding<'t> {
    if node.kind_name() == "attribute" {
        // `ctx.verify_mode = ssl.CERT_NONE`, `cert_reqs=ssl.CERT_NONE`.
        let text = cx.text(node);
        if text != "ssl.CERT_NONE" {
            return None;
        }
        let parent = cx.parent()?;
        let sets = match parent.kind_name() {
            "assignment" => parent.field("right").is_some_and(|r| r.id() == node.id()),
            "keyword_argument" => true,
            _ => false,
        };
        return sets.then(|| {
            (
                node,
                "`ssl.CERT_NONE` switches off certificate verification: any server can impersonate the real one"
                    .to_string(),
                TLS_HELP_PY,
            )
        });
    }
    if node.kind_name() == "assignment" {
        // `session.verify = False` on a requests / httpx session.
        let left = node.field("left")?;
        let right = node.field("right")?;
        // The assignment's own text first: scanning the file for every
        // assignment made this rule quadratic on long modules.
        let verify_off = cx.text(left).ends_with(".verify") && cx.text(right) == "False";
        let http = || cx.source.contains("import requests") || cx.source.contains("import httpx");
        return (verify_off && http()).then(|| {
            (
                node,
                format!("`{} = False` switches off TLS certificate verification", cx.text(left)),
                TLS_HELP_PY,
            )
        });
    }
    let func = node.field("function")?;
    let args = node.field("arguments")?;
    let callee = cx.text(func);
    let last = callee.rsplit('.').next().unwrap_or(callee);
    let keyword = |name: &str| -> Option<Node<'t>> {
        let mut cursor = args.walk();
        let found = args
            .named_children(&mut cursor)
            .filter(|a| a.kind_name() == "keyword_argument")
            .find(|a| a.field("name").is_some_and(|n| cx.text(n) == name))
            .and_then(|a| a.field("value"));
        found
    };
    let positional = |i: usize| -> Option<Node<'t>> {
        let mut cursor = args.walk();
        let found = args
            .named_children(&mut cursor)
            .filter(|a| !matches!(a.kind_name(), "keyword_argument" | "comment"))
            .nth(i);
        found
    };
    // TLS verification off in requests / httpx.
    if let Some(v) = keyword("verify").filter(|v| cx.text(*v) == "False") {
        let http_client = callee.starts_with("requests.")
            || callee.starts_with("httpx.")
            || ((cx.source.contains("import requests") || cx.source.contains("import httpx"))
                && matches!(
                    last,
                    "get"
                        | "post"
                        | "put"
                        | "patch"
                        | "delete"
                        | "head"
                        | "options"
                        | "request"
                        | "send"
                        | "stream"
                        | "Client"
                        | "AsyncClient"
                        | "Session"
                ));
        if http_client {
            return Some((
                v,
                format!("`{callee}(..., verify=False)` switches off TLS certificate verification"),
                TLS_HELP_PY,
            ));
        }
    }
    match callee {
        "ssl._create_unverified_context" => {
            return Some((
                func,
                "`ssl._create_unverified_context` makes a TLS context that accepts any certificate".to_string(),
                TLS_HELP_PY,
            ))
        }
        "yaml.load" | "yaml.load_all" => {
            let loader = keyword("Loader").or_else(|| positional(1));
            let safe = loader.is_some_and(|l| {
                let t = cx.text(l);
                let name = t.rsplit('.').next().unwrap_or(t);
                !matches!(
                    name,
                    "Loader" | "UnsafeLoader" | "FullLoader" | "CLoader" | "CUnsafeLoader" | "CFullLoader"
                )
            });
            if !safe {
                let how = loader.map_or("without a safe `Loader`".to_string(), |l| {
                    format!("with `{}`", cx.text(l))
                });
                return Some((
                    func,
                    format!("`{callee}` {how} can build arbitrary Python objects from the document"),
                    "use `yaml.safe_load(...)` (or `Loader=yaml.SafeLoader` / `yaml.CSafeLoader`)",
                ));
            }
        }
        "yaml.unsafe_load" | "yaml.unsafe_load_all" => {
            return Some((
                func,
                format!("`{callee}` can build arbitrary Python objects from the document"),
                "use `yaml.safe_load(...)`",
            ))
        }
        "pickle.loads" | "pickle.load" | "cPickle.loads" | "cPickle.load" | "marshal.loads" | "marshal.load"
        | "shelve.open" | "dill.loads" | "dill.load" => {
            // A cache pickles its own values: the canonical safe use.
            let own_cache = cx.path().split('/').any(|p| p.contains("cache"));
            if !own_cache && positional(0).is_some_and(|a| !python_constant(a, cx)) {
                let module = callee.split('.').next().unwrap_or(callee);
                return Some((
                    func,
                    format!("`{callee}` runs code chosen by whoever wrote the data: {module} is only safe for data this program wrote itself"),
                    "exchange data as JSON (`json.loads`) or another data-only format; if this reads only the program's own files, suppress with a comment saying so",
                ));
            }
        }
        "os.system" | "os.popen" if positional(0).is_some_and(|a| !python_constant(a, cx)) => {
            return Some((
                func,
                format!("`{callee}` runs a command built from data through the shell: shell injection"),
                SHELL_HELP_PY,
            ));
        }
        _ => {}
    }
    if callee.starts_with("subprocess.")
        && matches!(
            last,
            "run" | "call" | "check_call" | "check_output" | "Popen" | "getoutput" | "getstatusoutput"
        )
    {
        let shell = keyword("shell").is_some_and(|v| cx.text(v) == "True");
        let always_shell = matches!(last, "getoutput" | "getstatusoutput");
        let command = keyword("args").or_else(|| positional(0));
        if (shell || always_shell) && command.is_some_and(|c| !python_constant(c, cx)) {
            return Some((
                func,
                format!("`{callee}` runs a command built from data through the shell: shell injection"),
                SHELL_HELP_PY,
            ));
        }
    }
    // `random` (Mersenne Twister) producing a secret.
    if let Some(rest) = callee.strip_prefix("random.") {
        if !rest.contains('.') && rest != "SystemRandom" && rest != "seed" {
            if let Some(what) = secret_context(node, cx) {
                return Some((
                    func,
                    format!("`{callee}` is predictable but makes {what}: use a cryptographic random source"),
                    RANDOM_HELP_PY,
                ));
            }
        }
    }
    None
}

/// A Python value fixed in the source: string literals without
/// interpolation, and lists, tuples and `+` of them.
fn python_constant(node: Node<'_>, cx: &FileContext<'_, '_>) -> bool {
    match node.kind_name() {
        "string" => {
            let mut cursor = node.walk();
            let interpolated = node
                .named_children(&mut cursor)
                .any(|c| c.kind_name() == "interpolation");
            !interpolated
        }
        "concatenated_string" | "list" | "tuple" | "parenthesized_expression" => {
            let mut cursor = node.walk();
            let all = node.named_children(&mut cursor).all(|c| python_constant(c, cx));
            all
        }
        "binary_operator" => {
            node.field("operator").is_some_and(|o| cx.text(o) == "+")
                && node.field("left").is_some_and(|l| python_constant(l, cx))
                && node.field("right").is_some_and(|r| python_constant(r, cx))
        }
        // A module constant by convention: `BACKUP_COMMAND`.
        "identifier" => is_constant_name(cx.text(node)),
        _ => false,
    }
}

fn is_constant_name(name: &str) -> bool {
    name.len() > 1
        && name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Name words that say the value must be unguessable.
fn secret_words(name: &str, function: bool) -> bool {
    let parts = name_parts(name);
    let joined = parts.concat();
    let descriptor = parts.iter().any(|p| {
        matches!(
            p.as_str(),
            "length" | "len" | "size" | "count" | "name" | "type" | "field" | "header"
        )
    });
    if descriptor {
        return false;
    }
    parts.iter().any(|p| {
        matches!(
            p.as_str(),
            "token"
                | "password"
                | "passwd"
                | "pwd"
                | "secret"
                | "nonce"
                | "salt"
                | "otp"
                | "csrf"
                | "sessionid"
                | "apikey"
                | "passphrase"
        )
    }) || (function
        && parts.iter().any(|p| p == "key")
        && parts
            .iter()
            .any(|p| matches!(p.as_str(), "generate" | "gen" | "make" | "create" | "new" | "random")))
        || parts.windows(2).any(|w| {
            matches!(
                (w[0].as_str(), w[1].as_str()),
                (
                    "api" | "secret" | "private" | "session" | "encryption" | "signing" | "access",
                    "key"
                ) | ("session", "id")
                    | ("reset", "code")
                    | ("verification", "code")
            )
        })
        || joined.ends_with("password")
}

/// What secret a random call makes, from the name it is assigned or
/// returned to, or its enclosing function's name.
fn secret_context(node: Node<'_>, cx: &FileContext<'_, '_>) -> Option<String> {
    let mut child = node;
    for &a in cx.ancestors.iter().rev() {
        let name = match a.kind_name() {
            "assignment" | "augmented_assignment" if a.field("right").is_some_and(|r| r.id() == child.id()) => {
                a.field("left")
            }
            "variable_declarator" if a.field("value").is_some_and(|r| r.id() == child.id()) => a.field("name"),
            "assignment_expression" if a.field("right").is_some_and(|r| r.id() == child.id()) => a.field("left"),
            "pair" if a.field("value").is_some_and(|r| r.id() == child.id()) => a.field("key"),
            "keyword_argument" if a.field("value").is_some_and(|r| r.id() == child.id()) => a.field("name"),
            "function_definition" | "function_declaration" | "method_definition" | "generator_function_declaration" => {
                let name = a.field("name")?;
                let text = cx.text(name);
                return secret_words(text, true).then(|| format!("a secret in `{text}`"));
            }
            "class_definition" | "class_declaration" | "class_body" => return None,
            _ => None,
        };
        if let Some(name) = name {
            let text = cx.text(name);
            let last = text.rsplit(['.', '>']).next().unwrap_or(text);
            if secret_words(last, false) {
                return Some(format!("`{last}`"));
            }
        }
        child = a;
    }
    None
}

const TLS_HELP_JS: &str =
    "keep certificate verification on; for a private CA pass it with the `ca` option or `NODE_EXTRA_CA_CERTS`";

fn javascript<'t>(node: Node<'t>, cx: &FileContext<'_, 't>) -> Finding<'t> {
    match node.kind_name() {
        "pair" => {
            let key = node.field("key")?;
            let value = node.field("value")?;
            (cx.text(key).trim_matches(['"', '\'']) == "rejectUnauthorized" && cx.text(value) == "false").then(|| {
                (
                    node,
                    "`rejectUnauthorized: false` switches off TLS certificate verification".to_string(),
                    TLS_HELP_JS,
                )
            })
        }
        "assignment_expression" => {
            let left = cx.text(node.field("left")?);
            let right = cx.text(node.field("right")?);
            let tls_env = left.ends_with("NODE_TLS_REJECT_UNAUTHORIZED")
                || left.ends_with("NODE_TLS_REJECT_UNAUTHORIZED\"]")
                || left.ends_with("NODE_TLS_REJECT_UNAUTHORIZED']");
            if tls_env && matches!(right, "\"0\"" | "'0'" | "`0`" | "0") {
                return Some((
                    node,
                    "`NODE_TLS_REJECT_UNAUTHORIZED = \"0\"` switches off TLS certificate verification for the whole process"
                        .to_string(),
                    TLS_HELP_JS,
                ));
            }
            if left.ends_with(".rejectUnauthorized") && right == "false" {
                return Some((
                    node,
                    "`rejectUnauthorized = false` switches off TLS certificate verification".to_string(),
                    TLS_HELP_JS,
                ));
            }
            None
        }
        "call_expression" => {
            let func = node.field("function")?;
            let callee = cx.text(func);
            if callee == "Math.random" {
                let what = secret_context(node, cx)?;
                return Some((
                    func,
                    format!("`Math.random()` is predictable but makes {what}: use a cryptographic random source"),
                    "use `crypto.randomUUID()`, `crypto.getRandomValues()` or Node's `crypto.randomBytes()`",
                ));
            }
            let last = callee.rsplit('.').next().unwrap_or(callee);
            if !matches!(last, "exec" | "execSync") {
                return None;
            }
            let from_child_process = match func.kind_name() {
                "identifier" => cx.source.contains("child_process"),
                "member_expression" => {
                    let object = cx.text(func.field("object")?);
                    object == "child_process" || imports_child_process_as(cx.source, object)
                }
                _ => false,
            };
            if !from_child_process {
                return None;
            }
            let args = node.field("arguments")?;
            let command = args.named_child(0)?;
            let constant = match command.kind_name() {
                "string" => true,
                "identifier" => is_constant_name(cx.text(command)),
                "template_string" => {
                    let mut cursor = command.walk();
                    let interpolated = command
                        .named_children(&mut cursor)
                        .any(|c| c.kind_name() == "template_substitution");
                    !interpolated
                }
                _ => false,
            };
            (!constant).then(|| {
                (
                    func,
                    format!("`{callee}` runs a command built from data through the shell: shell injection"),
                    "use `execFile`/`spawn` with the arguments as an array (no shell), and validate the values",
                )
            })
        }
        _ => None,
    }
}

/// Whether `name` is bound to the `child_process` module in this file.
fn imports_child_process_as(source: &str, name: &str) -> bool {
    ["child_process", "node:child_process"].iter().any(|m| {
        [
            format!("{name} = require(\"{m}\")"),
            format!("{name} = require('{m}')"),
            format!("* as {name} from \"{m}\""),
            format!("* as {name} from '{m}'"),
            format!("import {name} from \"{m}\""),
            format!("import {name} from '{m}'"),
        ]
        .iter()
        .any(|p| source.contains(p.as_str()))
    })
}

fn rust<'t>(node: Node<'t>, cx: &FileContext<'_, 't>) -> Finding<'t> {
    let func = node.field("function")?;
    if func.kind_name() != "field_expression" {
        return None;
    }
    let field = func.field("field")?;
    let method = cx.text(field);
    if !matches!(
        method,
        "danger_accept_invalid_certs" | "danger_accept_invalid_hostnames"
    ) {
        return None;
    }
    let args = node.field("arguments")?;
    if args.named_child_count() != 1 || cx.text(args.named_child(0)?) != "true" {
        return None;
    }
    let what = if method == "danger_accept_invalid_certs" {
        "certificate verification"
    } else {
        "host name verification"
    };
    Some((
        field,
        format!("`{method}(true)` switches off TLS {what}: any server can impersonate the real one"),
        "keep verification on; for a private CA add it with `add_root_certificate`",
    ))
}
