//! `outbound-call-without-timeout`: HTTP client calls that can wait forever
//! for a slow server: `requests` without `timeout=`, `timeout=None` in
//! `requests` / `httpx`, `fetch` without an abort signal and `axios` without
//! a `timeout` where the project configures none, and async `reqwest`
//! clients built without `.timeout(..)`.
//!
//! A project rule: the parse pass records the calls and the timeouts files
//! set for every call (`FileFacts::http_calls`, `http_timeouts`); whether
//! the project configures `fetch` or `axios` globally is a question about
//! the other files, answered here from the model.

use aireview_core::facts::{FileFacts, FileRole, HttpCall, HttpClient, ImportKind};
use aireview_core::model::ProjectModel;
use aireview_core::rule::{ProjectContext, ProjectRule};
use aireview_core::Ecosystem;

pub struct OutboundCallWithoutTimeout;

impl ProjectRule for OutboundCallWithoutTimeout {
    fn id(&self) -> &'static str {
        "outbound-call-without-timeout"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        if file.role != FileRole::Source || file.http_calls.is_empty() {
            return;
        }
        // Maintenance scripts and build tooling run under someone's eyes:
        // a stuck call there is interrupted by hand, not a production outage.
        if file.language.is_some_and(|l| file.is_tooling(l.ecosystem())) {
            return;
        }
        for call in &file.http_calls {
            if call.in_test {
                continue;
            }
            let silent = match call.client {
                HttpClient::Fetch => {
                    browser_code(file)
                        || front_end_package(model, file)
                        || fetch_is_not_the_global(file)
                        || configured_in_project(model, file, call.client)
                }
                HttpClient::Axios => {
                    browser_code(file)
                        || front_end_package(model, file)
                        || configured_in_project(model, file, call.client)
                }
                // A `.timeout(..)` on the requests (or `tokio::time::timeout`)
                // bounds them whatever the client says; `reqwest::get` has no request to set it on.
                HttpClient::Reqwest => {
                    call.callee != "reqwest::get" && file.http_timeouts.contains(&HttpClient::Reqwest)
                }
                HttpClient::Requests | HttpClient::Httpx | HttpClient::Aiohttp => false,
            };
            if silent {
                continue;
            }
            let (message, help) = describe(call);
            cx.report(call.span, message).with_help(help);
        }
    }
}

fn describe(call: &HttpCall) -> (String, &'static str) {
    let callee = &call.callee;
    match call.client {
        HttpClient::Requests if call.disabled => (
            format!("`{callee}(..., timeout=None)` switches the timeout off: a slow server hangs this call forever"),
            REQUESTS_HELP,
        ),
        HttpClient::Requests => (
            format!("`{callee}` has no `timeout=`: a slow server hangs this call forever"),
            REQUESTS_HELP,
        ),
        HttpClient::Httpx if callee.ends_with("Client") => (
            format!("`{callee}(timeout=None)` switches off httpx's default 5 s timeout for every request of this client: a slow server hangs them forever"),
            HTTPX_HELP,
        ),
        HttpClient::Httpx => (
            format!("`{callee}(..., timeout=None)` switches off httpx's default 5 s timeout: a slow server hangs this call forever"),
            HTTPX_HELP,
        ),
        HttpClient::Aiohttp => (
            format!("`{callee}(..)` without any bound switches off aiohttp's default timeout (5 minutes in total): a slow server hangs the requests that use it forever"),
            "give it a bound (`aiohttp.ClientTimeout(total=60)`, or `sock_read=30` for a long stream), or leave aiohttp's default",
        ),
        HttpClient::Fetch => (
            "`fetch` has no `signal`: no deadline bounds this request (Node's fetch waits 5 minutes for a silent server)".to_string(),
            "pass `signal: AbortSignal.timeout(10_000)` in the options, or give the process a dispatcher with timeouts (undici `setGlobalDispatcher(new Agent({ headersTimeout, bodyTimeout }))`)",
        ),
        HttpClient::Axios if callee.ends_with(".create") => (
            format!("`{callee}` makes an instance without `timeout`: axios waits forever by default, so every request of this instance can hang"),
            AXIOS_HELP,
        ),
        HttpClient::Axios => (
            format!("`{callee}` has no `timeout`: axios waits forever by default, so a slow server hangs this call"),
            AXIOS_HELP,
        ),
        HttpClient::Reqwest if callee == "reqwest::get" => (
            "`reqwest::get` uses a client without a timeout: a slow server hangs this call forever".to_string(),
            "use a `reqwest::Client` built with `.timeout(Duration::from_secs(30))` and call `client.get(url).send()` on it",
        ),
        HttpClient::Reqwest if callee.ends_with("build()") => (
            format!("`{callee}` builds a client without `.timeout(..)`: a slow server hangs its requests forever"),
            "add `.timeout(Duration::from_secs(30))` to the builder, or set `.timeout(..)` on each request",
        ),
        HttpClient::Reqwest => (
            format!("`{callee}()` builds a client without a timeout: a slow server hangs its requests forever"),
            "build it with `Client::builder().timeout(Duration::from_secs(30)).build()?`, or set `.timeout(..)` on each request",
        ),
    }
}

const REQUESTS_HELP: &str =
    "pass `timeout=` in seconds (`timeout=10`, or `timeout=(3.05, 30)` for the connect and read timeouts)";
const HTTPX_HELP: &str =
    "leave the timeout out (httpx gives up after 5 s without network activity) or pass a bound: `timeout=30`, `httpx.Timeout(30, connect=5)`";
const AXIOS_HELP: &str =
    "pass `{ timeout: 10_000 }` in the request config, create the instance with `axios.create({ timeout: 10_000 })`, or set `axios.defaults.timeout` once";

/// Front-end code: a `.jsx`/`.tsx` file, a file that imports a UI framework,
/// or one that reads `window` / `document`. A browser request is bounded by
/// the page's lifetime, and the user can cancel it.
fn browser_code(file: &FileFacts) -> bool {
    file.path.ends_with(".jsx")
        || file.path.ends_with(".tsx")
        || file.uses_browser_globals
        || file.imports.iter().any(|i| {
            let top = i.module.split('/').next().unwrap_or(&i.module);
            UI_PACKAGES.contains(&i.module.as_str()) || UI_PACKAGES.contains(&top) || i.module.starts_with("@angular/")
        })
}

/// UI frameworks: a package that depends on one is a front end...
const UI_PACKAGES: &[&str] = &[
    "react",
    "react-dom",
    "vue",
    "svelte",
    "solid-js",
    "preact",
    "@angular/core",
];

/// ...unless it also has a server side (a server framework, or a
/// full-stack framework with server routes).
const SERVER_PACKAGES: &[&str] = &[
    "express",
    "fastify",
    "koa",
    "@hapi/hapi",
    "@nestjs/core",
    "hono",
    "next",
    "nuxt",
    "@sveltejs/kit",
    "@remix-run/node",
    "@remix-run/server-runtime",
    "astro",
    "@trpc/server",
    "undici",
    "node-fetch",
];

/// The file's package (its nearest `package.json`) depends on a UI
/// framework and on no server framework: its requests run in a browser.
fn front_end_package(model: &ProjectModel, file: &FileFacts) -> bool {
    let Some(deps) = model
        .deps
        .nearest(&file.path, Ecosystem::Js)
        .and_then(|r| r.js.as_ref())
    else {
        return false;
    };
    let declares = |names: &[&str]| names.iter().any(|n| deps.declared.contains_key(*n));
    declares(UI_PACKAGES) && !declares(SERVER_PACKAGES)
}

/// `fetch` here is the file's own function or one imported from a module
/// that is not a fetch implementation (a project wrapper may add a timeout).
fn fetch_is_not_the_global(file: &FileFacts) -> bool {
    const FETCH_MODULES: &[&str] = &[
        "node-fetch",
        "undici",
        "cross-fetch",
        "isomorphic-fetch",
        "isomorphic-unfetch",
        "@whatwg-node/fetch",
    ];
    let imported = file.imports.iter().any(|i| {
        let binds_fetch = i.alias.as_deref() == Some("fetch")
            || i.names.iter().any(|n| n.alias.as_deref().unwrap_or(&n.name) == "fetch");
        binds_fetch && !(FETCH_MODULES.contains(&i.module.as_str()) && i.kind != ImportKind::Dynamic)
    });
    imported
        || file.definitions.iter().any(|d| d.name == "fetch")
        || file
            .functions
            .iter()
            .any(|f| f.name == "fetch" && f.container.is_none())
}

/// Whether a production file of the same package gives every `client` call
/// a timeout (an undici global dispatcher, `axios.defaults.timeout`, an
/// `axios.create({ timeout })` instance).
fn configured_in_project(model: &ProjectModel, file: &FileFacts, client: HttpClient) -> bool {
    let package = model.package_of(&file.path).map(|p| p.dir.as_str());
    model.files.iter().any(|f| {
        f.role != FileRole::Test
            && f.http_timeouts.contains(&client)
            && (package.is_none() || model.package_of(&f.path).map(|p| p.dir.as_str()) == package)
    })
}
