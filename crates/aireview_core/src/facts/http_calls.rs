//! Outbound HTTP calls and the timeouts they run with: `requests` / `httpx`
//! (Python), `fetch` / `axios` (JS/TS), `reqwest` (Rust). The parse pass
//! records each call that runs without a timeout (or switches it off), and
//! the file-level settings that give every call one (`HttpTimeouts`); the
//! `outbound-call-without-timeout` rule weighs them against the whole project.
//!
//! Libraries are recognised by the file's imports: a `requests` name that is
//! not the imported library is not a call to it.

use super::walk_state::FactsExtractor;
use super::{HttpCall, HttpClient, ImportKind};
use crate::parse::FieldByName;
use crate::parse::KindName;
use tree_sitter::Node;

/// The HTTP verbs that `requests` and `httpx` offer as module functions and
/// session / client methods.
const PY_VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options", "request"];

fn record(x: &mut FactsExtractor<'_>, client: HttpClient, callee: String, span_node: Node<'_>, disabled: bool) {
    let call = HttpCall {
        client,
        callee,
        span: x.span(span_node),
        disabled,
        in_test: x.in_test(),
    };
    x.facts.http_calls.push(call);
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

// ---------------------------------------------------------------- Python

/// The name `import module` / `import module as alias` binds, if any.
fn py_module_binding(x: &FactsExtractor<'_>, module: &str, name: &str) -> bool {
    x.facts.imports.iter().any(|i| {
        i.kind == ImportKind::Import
            && i.module
                .strip_prefix(module)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            && i.alias.as_deref().unwrap_or(module) == name
    })
}

/// The original name of `name` when it is bound by `from module import original [as name]`.
fn py_from_binding<'f>(x: &'f FactsExtractor<'_>, module: &str, name: &str) -> Option<&'f str> {
    x.facts
        .imports
        .iter()
        .filter(|i| i.kind == ImportKind::From && i.level == 0 && i.module == module)
        .flat_map(|i| i.names.iter())
        .find(|n| n.alias.as_deref().unwrap_or(&n.name) == name)
        .map(|n| n.name.as_str())
}

/// What a call's `timeout` keyword says: `None` when the arguments cannot be
/// known (`*args`, `**kwargs`), else whether it is missing and whether it is
/// `None` (or an `httpx.Timeout(None)`).
fn py_timeout(x: &FactsExtractor<'_>, args: Node<'_>) -> Option<(bool, bool)> {
    let mut cursor = args.walk();
    let mut missing = true;
    let mut disabled = false;
    for a in args.named_children(&mut cursor) {
        match a.kind_name() {
            "list_splat" | "dictionary_splat" => return None,
            "keyword_argument" => {
                let Some(name) = a.field("name") else {
                    continue;
                };
                if x.text(name) != "timeout" {
                    continue;
                }
                missing = false;
                let value = a.field("value").map_or("", |v| x.text(v));
                let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                disabled = value == "None" || value.ends_with("Timeout(None)");
            }
            _ => {}
        }
    }
    Some((missing, disabled))
}

/// The enclosing function's (or the module's) text.
fn enclosing_scope_text<'s>(x: &FactsExtractor<'s>, ancestors: &[Node<'_>], function_kinds: &[&str]) -> &'s str {
    let scope = ancestors
        .iter()
        .rev()
        .find(|a| function_kinds.contains(&a.kind_name()))
        .or_else(|| ancestors.first());
    scope.map_or("", |s| x.text(*s))
}

/// Whether `name` is bound to a `requests.Session()` in `scope` (assigned or
/// `with ... as name`), and that session gets no adapter (`.mount`) that
/// could add timeouts.
fn py_requests_session(x: &FactsExtractor<'_>, scope: &str, name: &str) -> bool {
    let mut constructors: Vec<String> = Vec::new();
    for i in &x.facts.imports {
        if i.kind == ImportKind::Import && i.module == "requests" {
            let bound = i.alias.as_deref().unwrap_or("requests");
            constructors.push(format!("{bound}.Session()"));
            constructors.push(format!("{bound}.session()"));
        }
    }
    for ctor in ["Session", "session"] {
        for i in &x.facts.imports {
            if i.kind == ImportKind::From && i.level == 0 && (i.module == "requests" || i.module == "requests.sessions")
            {
                for n in &i.names {
                    if n.name == ctor {
                        constructors.push(format!("{}()", n.alias.as_deref().unwrap_or(ctor)));
                    }
                }
            }
        }
    }
    if constructors.is_empty() {
        return false;
    }
    // `name = <ctor>` or `<ctor> as name`, with any spacing.
    let bound = constructors.iter().any(|ctor| {
        scope.match_indices(ctor.as_str()).any(|(at, _)| {
            // `Session()`, not `aiohttp.ClientSession()` or `x.Session()`.
            if scope[..at]
                .chars()
                .next_back()
                .is_some_and(|c| is_ident_char(c) || c == '.')
            {
                return false;
            }
            let before = scope[..at].trim_end();
            let assigned = before
                .strip_suffix('=')
                .map(str::trim_end)
                .and_then(|b| b.strip_suffix(name))
                .is_some_and(|b| !b.chars().next_back().is_some_and(is_ident_char));
            let after = scope[at + ctor.len()..].trim_start();
            let with_as = after
                .strip_prefix("as")
                .filter(|a| a.starts_with(char::is_whitespace))
                .map(str::trim_start)
                .and_then(|a| a.strip_prefix(name))
                .is_some_and(|a| !a.chars().next().is_some_and(is_ident_char));
            assigned || with_as
        })
    });
    // An adapter mounted on the session (or a patched `request`) may add timeouts.
    let adapted = scope.match_indices(name).any(|(at, _)| {
        !scope[..at].chars().next_back().is_some_and(is_ident_char)
            && (scope[at + name.len()..].starts_with(".mount(")
                || scope[at + name.len()..]
                    .strip_prefix(".request")
                    .is_some_and(|r| r.trim_start().starts_with('=')))
    });
    bound && !adapted
}

pub(crate) fn python_call(x: &mut FactsExtractor<'_>, node: Node<'_>, ancestors: &[Node<'_>]) {
    let (Some(func), Some(args)) = (node.field("function"), node.field("arguments")) else {
        return;
    };
    if args.kind_name() != "argument_list" || x.facts.imports.is_empty() {
        return;
    }
    let client = match func.kind_name() {
        "attribute" => {
            let (Some(object), Some(attr)) = (func.field("object"), func.field("attribute")) else {
                return;
            };
            if object.kind_name() != "identifier" {
                return;
            }
            let (object, method) = (x.text(object), x.text(attr));
            if method == "ClientTimeout" && py_module_binding(x, "aiohttp", object) {
                aiohttp_timeout(x, func, args);
                return;
            }
            if !PY_VERBS.contains(&method) && !matches!(method, "stream" | "Client" | "AsyncClient") {
                return;
            }
            if py_module_binding(x, "requests", object) && PY_VERBS.contains(&method) {
                HttpClient::Requests
            } else if py_module_binding(x, "httpx", object)
                && (PY_VERBS.contains(&method) || matches!(method, "stream" | "Client" | "AsyncClient"))
            {
                HttpClient::Httpx
            } else if PY_VERBS.contains(&method) {
                let scope = enclosing_scope_text(x, ancestors, &["function_definition"]);
                if !py_requests_session(x, scope, object) {
                    return;
                }
                // `Session.request(method, url, params, data, headers,
                // cookies, files, auth, timeout, ...)`: positional timeout.
                let positional = {
                    let mut cursor = args.walk();
                    let n = args
                        .named_children(&mut cursor)
                        .filter(|a| !matches!(a.kind_name(), "keyword_argument" | "comment"))
                        .count();
                    n
                };
                if method == "request" && positional > 8 {
                    return;
                }
                HttpClient::Requests
            } else {
                return;
            }
        }
        "identifier" => {
            let name = x.text(func);
            if py_from_binding(x, "aiohttp", name) == Some("ClientTimeout") {
                aiohttp_timeout(x, func, args);
                return;
            }
            if py_from_binding(x, "requests", name).is_some_and(|o| PY_VERBS.contains(&o)) {
                HttpClient::Requests
            } else if py_from_binding(x, "httpx", name)
                .is_some_and(|o| PY_VERBS.contains(&o) || matches!(o, "stream" | "Client" | "AsyncClient"))
            {
                HttpClient::Httpx
            } else {
                return;
            }
        }
        _ => return,
    };
    let Some((missing, disabled)) = py_timeout(x, args) else {
        return;
    };
    let flagged = match client {
        // httpx times out after 5 s of inactivity unless told otherwise.
        HttpClient::Httpx => disabled,
        _ => missing || disabled,
    };
    if flagged {
        let callee = x.text(func).to_string();
        record(x, client, callee, func, disabled);
    }
}

/// `aiohttp.ClientTimeout()` / `ClientTimeout(total=None)` with no other
/// bound: every field is `None`, so nothing times out (aiohttp's own
/// default is 5 minutes in total and 30 s to connect).
fn aiohttp_timeout(x: &mut FactsExtractor<'_>, func: Node<'_>, args: Node<'_>) {
    let mut cursor = args.walk();
    let unbounded = args.named_children(&mut cursor).all(|a| match a.kind_name() {
        "keyword_argument" => {
            let name = a.field("name").map_or("", |n| x.text(n));
            let value = a.field("value").map_or("", |v| x.text(v));
            // `ceil_threshold` is no timeout.
            value == "None" || name == "ceil_threshold"
        }
        "comment" => true,
        "list_splat" | "dictionary_splat" => false,
        _ => x.text(a) == "None",
    });
    if unbounded {
        let callee = x.text(func).to_string();
        record(x, HttpClient::Aiohttp, callee, func, true);
    }
}

// ---------------------------------------------------------------- JS / TS

/// Whether `name` is bound to the `axios` package's default export.
fn js_axios_binding(x: &FactsExtractor<'_>, name: &str) -> bool {
    x.facts.imports.iter().any(|i| {
        i.module == "axios"
            && (i.alias.as_deref() == Some(name)
                || i.names
                    .iter()
                    .any(|n| n.name == "default" && n.alias.as_deref() == Some(name)))
    })
}

/// Whether an inline options object sets `key`: `Some(true)` / `Some(false)`,
/// or `None` when the object spreads another one (its keys are unknown).
fn js_object_has_key(x: &FactsExtractor<'_>, object: Node<'_>, key: &str) -> Option<bool> {
    let mut cursor = object.walk();
    let mut found = false;
    for prop in object.named_children(&mut cursor) {
        let k = match prop.kind_name() {
            "spread_element" => return None,
            "shorthand_property_identifier" => Some(prop),
            "pair" | "method_definition" => prop.field("key").or_else(|| prop.field("name")),
            _ => None,
        };
        if k.is_some_and(|k| x.text(k).trim_matches(['"', '\'', '`']) == key) {
            found = true;
        }
    }
    Some(found)
}

/// Whether an options argument lacks `key`: a missing argument or an inline
/// object without it. Anything else (a variable, a spread) is unknown: no.
fn js_lacks(x: &FactsExtractor<'_>, options: Option<Node<'_>>, key: &str) -> bool {
    match options {
        None => true,
        Some(o) if o.kind_name() == "object" => js_object_has_key(x, o, key) == Some(false),
        Some(_) => false,
    }
}

/// A URL written as a path (`"/api/orders"`, `` `/api/${id}` ``,
/// `"//cdn.host/x"`): only a browser resolves it against the page, Node's
/// `fetch` and axios reject it. Browser code.
fn js_relative_url(x: &FactsExtractor<'_>, url: Option<Node<'_>>) -> bool {
    url.is_some_and(|u| {
        matches!(u.kind_name(), "string" | "template_string") && x.text(u).get(1..).is_some_and(|t| t.starts_with('/'))
    })
}

/// The value of `key` in an inline object.
fn js_object_value<'t>(x: &FactsExtractor<'_>, object: Option<Node<'t>>, key: &str) -> Option<Node<'t>> {
    let object = object.filter(|o| o.kind_name() == "object")?;
    let mut cursor = object.walk();
    let found = object
        .named_children(&mut cursor)
        .filter(|p| p.kind_name() == "pair")
        .find(|p| {
            p.field("key")
                .is_some_and(|k| x.text(k).trim_matches(['"', '\'', '`']) == key)
        })
        .and_then(|p| p.field("value"));
    found
}

/// `fetch` is a parameter or a local variable of an enclosing function
/// (`function make({ fetch = globalThis.fetch })`, `const fetch = opts.fetch`):
/// injected, and possibly wrapped with a deadline.
fn js_fetch_is_local(x: &FactsExtractor<'_>, ancestors: &[Node<'_>]) -> bool {
    let word = |text: &str, at: usize, len: usize| {
        !text[..at].chars().next_back().is_some_and(is_ident_char)
            && !text[at + len..].chars().next().is_some_and(is_ident_char)
    };
    ancestors.iter().rev().any(|a| {
        if !matches!(
            a.kind_name(),
            "function_declaration" | "function_expression" | "arrow_function" | "method_definition" | "function"
        ) {
            return false;
        }
        let params = a
            .field("parameters")
            .or_else(|| a.field("parameter"))
            .map_or("", |p| x.text(p));
        let in_params = params.match_indices("fetch").any(|(at, _)| word(params, at, 5));
        let body = a.field("body").map_or("", |b| x.text(b));
        let declared = ["const ", "let ", "var "].iter().any(|kw| {
            body.match_indices(kw).any(|(at, _)| {
                let rest = &body[at + kw.len()..];
                rest.starts_with("fetch") && word(rest, 0, 5) && word(body, at, kw.len() - 1)
            })
        });
        in_params || declared
    })
}

pub(crate) fn js_call(x: &mut FactsExtractor<'_>, node: Node<'_>, anc: &[Node<'_>]) {
    let (Some(func), Some(args)) = (node.field("function"), node.field("arguments")) else {
        return;
    };
    // Only calls that can be HTTP calls: `fetch`, `setGlobalDispatcher`,
    // and the axios binding or its methods.
    let candidate = match func.kind_name() {
        "identifier" => matches!(x.text(func), "fetch" | "setGlobalDispatcher") || js_axios_binding(x, x.text(func)),
        "member_expression" => func
            .field("object")
            .is_some_and(|o| o.kind_name() == "identifier" && js_axios_binding(x, x.text(o))),
        _ => false,
    };
    if !candidate {
        return;
    }
    let arg_list: Vec<Node<'_>> = {
        let mut cursor = args.walk();
        let list = args
            .named_children(&mut cursor)
            .filter(|a| a.kind_name() != "comment")
            .collect();
        list
    };
    if arg_list.iter().any(|a| a.kind_name() == "spread_element") {
        return;
    }
    match func.kind_name() {
        "identifier" => match x.text(func) {
            "fetch" => {
                let Some(first) = arg_list.first() else { return };
                // A `Request` object (`new Request(..)`, `event.request`) may
                // carry its own signal.
                let request_object = matches!(first.kind_name(), "identifier" | "member_expression")
                    && x.text(*first)
                        .rsplit('.')
                        .next()
                        .is_some_and(|n| n.eq_ignore_ascii_case("request") || n.eq_ignore_ascii_case("req"));
                if first.kind_name() == "new_expression"
                    || request_object
                    || js_relative_url(x, Some(*first))
                    || js_fetch_is_local(x, anc)
                {
                    return;
                }
                // node-fetch 2 has its own `timeout` option; the built-in fetch ignores it.
                let node_fetch = x.facts.imports.iter().any(|i| i.module == "node-fetch");
                let options = arg_list.get(1).copied();
                let own_timeout = node_fetch && !js_lacks(x, options, "timeout");
                // An undici `dispatcher` of the call's own may carry timeouts.
                if js_lacks(x, options, "signal") && js_lacks(x, options, "dispatcher") && !own_timeout {
                    record(x, HttpClient::Fetch, "fetch".into(), func, false);
                }
            }
            "setGlobalDispatcher" => {
                let configured = ["headersTimeout", "bodyTimeout"].iter().any(|k| x.source.contains(k));
                if configured {
                    x.facts.http_timeouts.push(HttpClient::Fetch);
                }
            }
            name if js_axios_binding(x, name) => {
                // `axios(config)` or `axios(url, config)`.
                let (url, options) = match arg_list.first() {
                    Some(a) if a.kind_name() == "object" => (js_object_value(x, Some(*a), "url"), Some(*a)),
                    Some(a) => (Some(*a), arg_list.get(1).copied()),
                    None => return,
                };
                if js_relative_url(x, url) {
                    return;
                }
                if axios_unbounded(x, options) {
                    let callee = name.to_string();
                    record(x, HttpClient::Axios, callee, func, false);
                }
            }
            _ => {}
        },
        "member_expression" => {
            let (Some(object), Some(property)) = (func.field("object"), func.field("property")) else {
                return;
            };
            if object.kind_name() != "identifier" || !js_axios_binding(x, x.text(object)) {
                return;
            }
            let method = x.text(property);
            let options_at = match method {
                "get" | "delete" | "head" | "options" => 1,
                "post" | "put" | "patch" | "postForm" | "putForm" | "patchForm" => 2,
                "request" | "create" => 0,
                _ => return,
            };
            if arg_list.is_empty() && method != "create" {
                return;
            }
            let options = arg_list.get(options_at).copied();
            let url = match method {
                "create" => js_object_value(x, options, "baseURL"),
                "request" => js_object_value(x, options, "url"),
                _ => arg_list.first().copied(),
            };
            if js_relative_url(x, url) {
                return;
            }
            if axios_unbounded(x, options) {
                let callee = x.text(func).to_string();
                record(x, HttpClient::Axios, callee, func, false);
            } else if method == "create"
                && options
                    .is_some_and(|o| o.kind_name() == "object" && js_object_has_key(x, o, "timeout") == Some(true))
            {
                // An instance with a timeout: the project thought about it.
                x.facts.http_timeouts.push(HttpClient::Axios);
            }
        }
        _ => {}
    }
}

/// An axios config without `timeout`, and without a `signal` /
/// `cancelToken` that may abort the request.
fn axios_unbounded(x: &FactsExtractor<'_>, options: Option<Node<'_>>) -> bool {
    ["timeout", "signal", "cancelToken"]
        .iter()
        .all(|k| js_lacks(x, options, k))
}

/// `axios.defaults.timeout = ...` gives every axios call a timeout;
/// `globalThis.fetch = ...` replaces fetch with the project's own.
pub(crate) fn js_assignment(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let Some(left) = node.field("left") else {
        return;
    };
    let target = x.text(left);
    if let Some(object) = target.strip_suffix(".defaults.timeout") {
        if js_axios_binding(x, object) {
            x.facts.http_timeouts.push(HttpClient::Axios);
        }
    } else if matches!(target, "globalThis.fetch" | "global.fetch") {
        x.facts.http_timeouts.push(HttpClient::Fetch);
    }
}

// ---------------------------------------------------------------- Rust

/// Whether `name` is `use`d from `module` (`use reqwest::Client;`, `use reqwest::{Client as Http}`).
fn rust_use_binding(x: &FactsExtractor<'_>, module: &str, original: &str, name: &str) -> bool {
    x.facts.imports.iter().any(|i| {
        i.kind == ImportKind::Use
            && i.module == module
            && i.names
                .iter()
                .any(|n| n.name == original && n.alias.as_deref().unwrap_or(&n.name) == name)
    })
}

/// Whether a path names the async reqwest client type (`reqwest::Client`,
/// `Client` used from reqwest) or its builder.
fn rust_reqwest_type(x: &FactsExtractor<'_>, path: &str, ty: &str) -> bool {
    path.strip_prefix("reqwest::") == Some(ty) || rust_use_binding(x, "reqwest", ty, path)
}

/// Inside an item or block compiled only for `wasm32` (`#[cfg(target_arch =
/// "wasm32")]`): reqwest runs on the browser's fetch there.
fn rust_in_wasm_cfg(x: &FactsExtractor<'_>, ancestors: &[Node<'_>]) -> bool {
    ancestors.iter().rev().any(|a| {
        let mut prev = a.prev_named_sibling();
        while let Some(p) = prev.filter(|p| p.kind_name() == "attribute_item") {
            let text: String = x.text(p).chars().filter(|c| !c.is_whitespace()).collect();
            // Any `not(..)` may negate the architecture: not wasm-only then.
            if text.contains("target_arch=\"wasm32\"") && !text.contains("not(") {
                return true;
            }
            prev = p.prev_named_sibling();
        }
        false
    })
}

pub(crate) fn rust_call(x: &mut FactsExtractor<'_>, node: Node<'_>, ancestors: &[Node<'_>]) {
    let Some(func) = node.field("function") else {
        return;
    };
    match func.kind_name() {
        "scoped_identifier" => {
            let (Some(path), Some(name)) = (func.field("path"), func.field("name")) else {
                return;
            };
            let (path, name) = (x.text(path), x.text(name));
            if name == "timeout" {
                // `tokio::time::timeout(d, request)`: a per-request deadline.
                x.facts.http_timeouts.push(HttpClient::Reqwest);
                return;
            }
            let client_new = matches!(name, "new" | "default") && rust_reqwest_type(x, path, "Client");
            let get = path == "reqwest" && name == "get";
            if (client_new || get) && !rust_in_wasm_cfg(x, ancestors) {
                let callee = x.text(func).to_string();
                record(x, HttpClient::Reqwest, callee, func, false);
            }
        }
        "identifier" if x.text(func) == "timeout" => x.facts.http_timeouts.push(HttpClient::Reqwest),
        "field_expression" => {
            let Some(field) = func.field("field") else {
                return;
            };
            let method = x.text(field);
            if !matches!(method, "timeout" | "build") {
                return;
            }
            let (methods, root) = method_chain(x, func);
            let builder = root.is_some_and(|(path, name)| {
                (name == "builder" && rust_reqwest_type(x, path, "Client"))
                    || (name == "new" && rust_reqwest_type(x, path, "ClientBuilder"))
            });
            if method == "timeout" {
                // `.timeout(..)` on a request, not on a client builder.
                if !builder {
                    x.facts.http_timeouts.push(HttpClient::Reqwest);
                }
                return;
            }
            if builder
                && !methods.iter().any(|m| matches!(*m, "timeout" | "read_timeout"))
                && !rust_in_wasm_cfg(x, ancestors)
            {
                if let Some((path, name)) = root {
                    let callee = format!("{path}::{name}()…build()");
                    record(x, HttpClient::Reqwest, callee, field, false);
                }
            }
        }
        _ => {}
    }
}

/// The methods called before `func` (a `field_expression` callee) in a
/// chain, and the chain's root when it is a path call (`Client::builder()`
/// gives `("Client", "builder")`).
fn method_chain<'s>(x: &FactsExtractor<'s>, func: Node<'_>) -> (Vec<&'s str>, Option<(&'s str, &'s str)>) {
    let mut methods = Vec::new();
    let mut receiver = func.field("value");
    while let Some(r) = receiver.filter(|r| r.kind_name() == "call_expression") {
        let Some(f) = r.field("function") else {
            break;
        };
        match f.kind_name() {
            "field_expression" => {
                if let Some(m) = f.field("field") {
                    methods.push(x.text(m));
                }
                receiver = f.field("value");
            }
            "scoped_identifier" => {
                let root = f
                    .field("path")
                    .zip(f.field("name"))
                    .map(|(p, n)| (x.text(p), x.text(n)));
                return (methods, root);
            }
            _ => break,
        }
    }
    (methods, None)
}

/// JS/TS: whether the file runs in a browser: it reads `window`, or DOM
/// members of `document`.
pub(crate) fn js_browser_global(x: &mut FactsExtractor<'_>, node: Node<'_>, ancestors: &[Node<'_>]) {
    let name = x.text(node);
    let browser = match name {
        "window" => true,
        "document" => ancestors.last().is_some_and(|p| {
            p.kind_name() == "member_expression"
                && p.field("object").is_some_and(|o| o.id() == node.id())
                && p.field("property").is_some_and(|prop| {
                    matches!(
                        x.text(prop),
                        "getElementById"
                            | "querySelector"
                            | "querySelectorAll"
                            | "createElement"
                            | "body"
                            | "head"
                            | "cookie"
                            | "addEventListener"
                            | "location"
                            | "title"
                            | "documentElement"
                            | "getElementsByClassName"
                            | "getElementsByTagName"
                    )
                })
        }),
        _ => false,
    };
    if browser {
        x.facts.uses_browser_globals = true;
    }
}
