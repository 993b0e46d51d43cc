use super::*;
use crate::parse::extract_facts;

fn names(imports: &[Import]) -> Vec<String> {
    imports
        .iter()
        .map(|i| {
            let names: Vec<&str> = i.names.iter().map(|n| n.name.as_str()).collect();
            format!("{}|{}|{}", i.module, names.join(","), i.level)
        })
        .collect()
}

#[test]
fn python_imports_and_guards() {
    let src = r#"
from __future__ import annotations
import os.path as osp, sys
from ..pkg.mod import a as b, c
from . import sibling
from m import *
try:
    import ujson as json
except ImportError:
    import json
if TYPE_CHECKING:
    from typing_extensions import Self
else:
    import typing
def f():
    import lazy
mod = importlib.import_module("plugins.x")
"#;
    let f = extract_facts("app/x.py", Language::Python, src);
    assert_eq!(
        names(&f.imports),
        vec![
            "__future__|annotations|0",
            "os.path||0",
            "sys||0",
            "pkg.mod|a,c|2",
            "|sibling|1",
            "m||0",
            "ujson||0",
            "json||0",
            "typing_extensions|Self|0",
            "typing||0",
            "lazy||0",
            "plugins.x||0",
        ]
    );
    let by = |m: &str| f.imports.iter().find(|i| i.module == m).unwrap();
    assert_eq!(by("os.path").alias.as_deref(), Some("osp"));
    assert!(by("m").star);
    assert!(by("ujson").guarded && by("ujson").conditional);
    assert!(
        by("json").guarded,
        "the fallback in the handler runs only when the first import failed"
    );
    assert!(by("typing_extensions").type_checking);
    assert!(!by("typing").type_checking, "else branch of TYPE_CHECKING");
    assert!(by("lazy").in_function && !by("sys").conditional);
    assert_eq!(by("plugins.x").kind, ImportKind::Dynamic);
}

#[test]
fn python_definitions_all_and_classes() {
    let src = r#"
import abc
from typing import Protocol
__all__ = ["Store", "helper"]
__all__ += ["extra"]
LIMIT = 10
a, (b, c) = 1, (2, 3)
class Store(abc.ABC):
    @abc.abstractmethod
    def get(self, key): ...
    def put(self, key):
        """Stores."""
        raise NotImplementedError("subclasses must implement put")
class Reader(Protocol):
    def read(self) -> bytes: ...
def helper():
    pass
def _private():
    def inner():
        pass
    return 1
try:
    from fast import speedup
except ImportError:
    def speedup(x):
        return x
"#;
    let f = extract_facts("app/store.py", Language::Python, src);
    let defs: Vec<&str> = f.definitions.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        defs,
        vec![
            "abc", "Protocol", "__all__", "LIMIT", "a", "b", "c", "Store", "Reader", "helper", "_private", "speedup",
            "speedup"
        ]
    );
    assert_eq!(
        f.exports.dunder_all,
        Some(vec!["Store".into(), "helper".into(), "extra".into()])
    );
    let store = &f.types[0];
    assert_eq!(store.kind, TypeKind::AbstractClass);
    assert_eq!(store.bases, vec!["abc.ABC"]);
    assert_eq!(store.abstract_methods, vec!["get"]);
    assert_eq!(f.types[1].kind, TypeKind::Protocol);
    let func = |n: &str| f.functions.iter().find(|x| x.name == n).unwrap();
    assert!(func("get").is_abstract);
    assert_eq!(func("put").container.as_deref(), Some("Store"));
    assert!(matches!(
        &func("put").stub,
        Some(StubFact { kind: StubKind::RaiseNotImplemented { message: Some(m) }, has_docstring: true, .. }) if m.contains("subclasses")
    ));
    assert!(matches!(
        func("helper").stub,
        Some(StubFact {
            kind: StubKind::Pass,
            ..
        })
    ));
    assert!(func("inner").nested);
    assert!(func("speedup").conditional);
    assert!(func("_private").stub.is_none());
}

#[test]
fn python_dynamic_modules() {
    let f = extract_facts("m.py", Language::Python, "def __getattr__(name):\n    return 1\n");
    assert!(f.exports.dynamic);
}

#[test]
fn js_imports_exports() {
    let src = r#"
import def, { a, b as c } from "./mod";
import type { X } from "lib";
import * as ns from "node:fs";
import "side-effect";
export { e, f as g } from "./other";
export * from "./star";
export default function main() {}
export const k = 1, { m, n: [o] } = z;
export class C extends B implements I { run() { throw new Error("Not implemented"); } }
export interface I extends K { f(): void; p: string }
export type U = string;
export { local as renamed };
const r = require("cjs");
try { const opt = require("optional-dep"); } catch (e) {}
const { readFile } = require("fs");
module.exports = { a, b: 1 };
exports.z = 1;
const lazy = () => import("dyn");
"#;
    let f = extract_facts("src/x.ts", Language::TypeScript, src);
    assert_eq!(
        names(&f.imports),
        vec![
            "./mod|default,a,b|0",
            "lib|X|0",
            "node:fs||0",
            "side-effect||0",
            "./other|e,f|0",
            "./star||0",
            "cjs||0",
            "optional-dep||0",
            "fs|readFile|0",
            "dyn||0"
        ]
    );
    let by = |m: &str| f.imports.iter().find(|i| i.module == m).unwrap();
    assert!(by("lib").type_only && !by("./mod").type_only);
    assert_eq!(by("node:fs").alias.as_deref(), Some("ns"));
    assert!(by("optional-dep").guarded && !by("cjs").guarded);
    assert_eq!(by("dyn").kind, ImportKind::Dynamic);
    assert_eq!(by("./other").kind, ImportKind::ReExport);
    let mut exports = f.exports.names.clone();
    exports.sort();
    assert_eq!(
        exports,
        vec!["C", "I", "U", "a", "b", "default", "e", "g", "k", "m", "o", "renamed", "z"]
    );
    assert_eq!(f.exports.star_from, vec!["./star"]);
    let c = f.types.iter().find(|t| t.name == "C").unwrap();
    assert_eq!(
        (c.bases.clone(), c.implements.clone()),
        (vec!["B".to_string()], vec!["I".to_string()])
    );
    let i = f.types.iter().find(|t| t.name == "I").unwrap();
    assert_eq!(i.kind, TypeKind::Interface);
    assert_eq!(i.methods, vec!["f"]);
    let run = f.functions.iter().find(|x| x.name == "run").unwrap();
    assert_eq!(run.container.as_deref(), Some("C"));
    assert!(matches!(
        run.stub,
        Some(StubFact {
            kind: StubKind::ThrowNotImplemented { .. },
            ..
        })
    ));
    assert!(f.functions.iter().any(|x| x.name == "lazy"));
}

#[test]
fn js_commonjs_dynamic_export() {
    let f = extract_facts("x.js", Language::JavaScript, "module.exports = makeThing();\n");
    assert!(f.exports.dynamic);
}

#[test]
fn rust_use_trees_items_and_tests() {
    let src = r#"
use std::collections::{HashMap, hash_map::Entry as E, self};
pub use crate::db::*;
use ::serde::Deserialize;
pub use self::inner::Thing;
extern crate alloc;
#[cfg(feature = "json")]
use serde_json::Value;
#[derive(Debug, Deserialize)]
pub struct Config { a: u32 }
pub trait Store: Send { fn get(&self); fn put(&self) { unimplemented!() } }
impl Store for Config { fn get(&self) { todo!() } }
mod db;
#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn t() {}
}
pub fn run() {}
"#;
    let f = extract_facts("src/lib.rs", Language::Rust, src);
    assert_eq!(
        names(&f.imports),
        vec![
            "std::collections|HashMap,self|0",
            "std::collections::hash_map|Entry|0",
            "crate::db||0",
            "serde|Deserialize|0",
            "self::inner|Thing|0",
            "alloc||0",
            "serde_json|Value|0",
            "super||0",
        ]
    );
    let by = |m: &str| f.imports.iter().find(|i| i.module == m).unwrap();
    assert_eq!(by("serde_json").cfg_feature.as_deref(), Some("json"));
    assert!(by("super").in_test && by("super").star);
    assert!(!by("serde").in_test);
    assert_eq!(f.exports.star_from, vec!["crate::db"]);
    assert_eq!(f.exports.names, vec!["Thing"]);
    let config = f.types.iter().find(|t| t.name == "Config").unwrap();
    assert_eq!(config.decorators, vec!["Debug", "Deserialize"]);
    let store = f.types.iter().find(|t| t.name == "Store").unwrap();
    assert_eq!(
        (store.kind, store.abstract_methods.clone()),
        (TypeKind::Trait, vec!["get".to_string()])
    );
    assert_eq!(f.impls[0].trait_name.as_deref(), Some("Store"));
    let get = f
        .functions
        .iter()
        .find(|x| x.name == "get" && x.container.as_deref() == Some("Config"))
        .unwrap();
    assert!(matches!(
        get.stub,
        Some(StubFact {
            kind: StubKind::Todo,
            ..
        })
    ));
    let put = f.functions.iter().find(|x| x.name == "put").unwrap();
    assert!(put.container_is_trait);
    assert!(matches!(
        put.stub,
        Some(StubFact {
            kind: StubKind::Unimplemented { message: None },
            ..
        })
    ));
    assert_eq!(
        f.modules
            .iter()
            .map(|m| (m.name.as_str(), m.inline))
            .collect::<Vec<_>>(),
        vec![("db", false), ("tests", true)]
    );
    assert!(!f.test_ranges.is_empty());
    let t = f.functions.iter().find(|x| x.name == "t").unwrap();
    assert!(t.in_test);
    let defs: Vec<&str> = f.definitions.iter().map(|d| d.name.as_str()).collect();
    assert!(defs.contains(&"run") && defs.contains(&"Config") && !defs.contains(&"t"));
}

#[test]
fn suppressions_are_facts() {
    let f = extract_facts(
        "a.py",
        Language::Python,
        "x = 1  # aireview: ignore[stub-body]\ns = '# aireview: ignore'\n",
    );
    assert_eq!(f.suppressions.len(), 1, "only real comments count");
}

#[test]
fn extractor_kind_lists_name_real_node_kinds() {
    for (lang, kinds) in [
        (Language::Python, super::python::KINDS),
        (Language::TypeScript, super::javascript::KINDS),
        (Language::Tsx, super::javascript::KINDS),
        (Language::Rust, super::rust::KINDS),
    ] {
        let grammar = lang.grammar();
        for kind in kinds {
            assert_ne!(
                grammar.id_for_node_kind(kind, true),
                0,
                "{lang:?} has no node kind `{kind}`"
            );
        }
    }
    // JavaScript has no TypeScript-only kinds; every shared kind must exist.
    let js = Language::JavaScript.grammar();
    for kind in [
        "import_statement",
        "call_expression",
        "class_declaration",
        "try_statement",
    ] {
        assert_ne!(js.id_for_node_kind(kind, true), 0);
    }
}

#[test]
fn python_optional_import_shapes_are_guarded() {
    let src = r#"
try:
    import fast
except ImportError:
    fast = None
else:
    import fast_extra
with pytest.raises(ImportError):
    from app import missing
with open("x") as fh:
    import plain
A = B = C = 1
"#;
    let f = extract_facts("app/x.py", Language::Python, src);
    let by = |m: &str| f.imports.iter().find(|i| i.module == m).unwrap();
    assert!(
        by("fast_extra").guarded,
        "the else of an ImportError try runs only with the optional import"
    );
    assert!(by("app").guarded, "a test that expects the ImportError");
    assert!(!by("plain").guarded);
    let defined: Vec<&str> = f.definitions.iter().map(|d| d.name.as_str()).collect();
    assert!(["A", "B", "C"].iter().all(|n| defined.contains(n)), "{defined:?}");
}

#[test]
fn rust_test_cfgs_and_item_macros() {
    let src = r#"
#[cfg(all(test, not(loom)))]
mod t {
    use futures::FutureExt;
}
#[cfg(any(test, fuzzing))]
use arbitrary::Arbitrary;
cfg_atomic! {
    #[path = "imp.rs"]
    mod imp;
}
writer!(WriteU8, u8);
#[cfg(test)]
mod mocks;
"#;
    let f = extract_facts("src/io.rs", Language::Rust, src);
    let by = |m: &str| f.imports.iter().find(|i| i.module == m).unwrap();
    assert!(by("futures").in_test);
    assert!(!by("arbitrary").in_test, "any(test, ...) is not test-only");
    assert!(f.exports.dynamic, "`writer!(...);` makes items");
    assert!(
        f.definitions.iter().any(|d| d.name == "imp"),
        "a mod declared inside a macro is local"
    );
    assert!(f.modules.iter().any(|m| m.name == "mocks" && m.test));
}

#[test]
fn dts_anonymous_default_export() {
    let f = extract_facts(
        "lib/en.d.ts",
        Language::TypeScript,
        "export default function (): string;\n",
    );
    assert!(f.exports.names.iter().any(|n| n == "default"));
}

#[test]
fn python_abstraction_facts() {
    let src = r#"
from app.base import Base

class Cache:
    ttl = 30
    name: str = "main"
    def __init__(self, redis):
        self._redis = redis
    def get(self, key, *args, default=None, **kw):
        """Docstring."""
        return self._redis.get(key, *args, default=default, **kw)
    def put(self, key, value):
        return self._redis.set(key, value)
    async def aget(self, key):
        return await self._redis.aget(key)

def create(kind) -> Base:
    if kind == "a":
        return mod.Impl(1, "x", -2.5)
    return Impl(kind)

BACKENDS = {"a": Impl, "b": mod.Other}
NOT_A_REGISTRY = {"a": 1}
result = Builder(x).run()
"#;
    let f = extract_facts("app/x.py", Language::Python, src);
    let forward = |n: &str| {
        f.functions
            .iter()
            .find(|x| x.name == n)
            .unwrap()
            .forward
            .as_ref()
            .map(|f| f.target.clone())
    };
    assert_eq!(forward("get").as_deref(), Some("_redis"));
    assert_eq!(forward("put"), None, "another method name");
    assert_eq!(forward("aget").as_deref(), Some("_redis"));
    let cache = f.types.iter().find(|t| t.name == "Cache").unwrap();
    assert_eq!(cache.constant_fields, vec!["ttl", "name"]);
    let create = f.functions.iter().find(|x| x.name == "create").unwrap();
    assert_eq!(
        (create.returns, create.products.clone()),
        (2, vec!["Impl".into(), "Impl".into()])
    );
    assert_eq!(create.return_type.as_deref(), Some("Base"));
    let impls: Vec<(bool, Option<&str>)> = f
        .constructions
        .iter()
        .map(|c| (c.constant_args, c.chained_method.as_deref()))
        .collect();
    assert_eq!(
        impls,
        vec![(true, None), (false, Some("run"))],
        "one entry per type, the first call's shape"
    );
    assert_eq!(f.constructions[0].count, 2);
    assert_eq!(f.registries.len(), 1);
    assert_eq!(f.registries[0].entries, vec!["Impl", "Other"]);
    let mentions: std::collections::HashMap<&str, u32> = f.mentions.iter().map(|(n, c)| (n.as_str(), *c)).collect();
    assert_eq!(
        mentions.get("Base"),
        Some(&1),
        "the import does not count, the annotation does"
    );
    assert_eq!(mentions.get("Cache"), None, "the declaration does not count");
    assert_eq!(mentions.get("Impl"), Some(&3));
}

#[test]
fn typescript_abstraction_facts() {
    let src = r#"
import { Redis } from "./redis";
export class Cache {
  retries = 3;
  static shared = 1;
  constructor(private redis: Redis) {}
  get(key: string, ...rest: string[]) { return this.redis.get(key, ...rest); }
  async set(key: string, value: string) { await this.redis.set(value, key); }
}
export function makeStore(kind: string): Store {
  if (kind === "a") { return new Impl(); }
  return new Impl({ a: 1 });
}
export const HANDLERS = { a: Impl, Other };
const built = new Builder(x).run();
const fake: Store = { get() {} };
const other = { get() {} } satisfies ns.Other;
"#;
    let f = extract_facts("src/x.ts", Language::TypeScript, src);
    assert_eq!(f.typed_objects, vec!["Other", "Store"]);
    let get = f.functions.iter().find(|x| x.name == "get").unwrap();
    assert_eq!(get.forward.as_ref().map(|f| f.target.as_str()), Some("redis"));
    let set = f.functions.iter().find(|x| x.name == "set").unwrap();
    assert!(set.forward.is_none(), "arguments swapped");
    let cache = f.types.iter().find(|t| t.name == "Cache").unwrap();
    assert_eq!(cache.constant_fields, vec!["retries"]);
    let make = f.functions.iter().find(|x| x.name == "makeStore").unwrap();
    assert_eq!((make.returns, make.products.len()), (2, 2));
    assert_eq!(make.return_type.as_deref(), Some("Store"));
    assert_eq!(f.registries[0].entries, vec!["Impl", "Other"]);
    let consts: Vec<(bool, Option<&str>)> = f
        .constructions
        .iter()
        .map(|c| (c.constant_args, c.chained_method.as_deref()))
        .collect();
    assert_eq!(consts, vec![(true, None), (false, Some("run"))]);
    assert_eq!(f.constructions[0].count, 2);
}

#[test]
fn rust_abstraction_facts() {
    let src = r#"
pub(crate) trait Render { fn render(&self) -> String; }
pub trait Store { fn get(&self); }
impl<T: std::fmt::Display> Render for T { fn render(&self) -> String { String::new() } }
impl Store for Disk { fn get(&self) {} }
fn open(kind: &str) -> Box<dyn Store + Send> {
    match kind {
        "disk" => Box::new(Disk::new()),
        _ => Box::new(Disk { path: "/" }),
    }
}
macro_rules! stores { ($t:ty) => { impl Store for $t {} }; }
stores!(Memory);
#[cfg(all(test, not(loom)))]
mod tests {
    impl super::Store for Fake { fn get(&self) {} }
}
"#;
    let f = extract_facts("src/lib.rs", Language::Rust, src);
    let render = f.types.iter().find(|t| t.name == "Render").unwrap();
    let store = f.types.iter().find(|t| t.name == "Store").unwrap();
    assert!(render.restricted && !store.restricted);
    assert_eq!(
        f.impls.iter().map(|i| i.blanket).collect::<Vec<_>>(),
        vec![true, false, false]
    );
    assert!(f.impls[2].in_test, "cfg(all(test, ..)) is test code");
    let open = f.functions.iter().find(|x| x.name == "open").unwrap();
    assert_eq!(open.return_type.as_deref(), Some("Store"));
    assert_eq!(open.products, vec!["Disk", "Disk"]);
    assert_eq!(
        f.macro_mentions,
        vec!["Memory", "Store"],
        "a macro body may implement the trait"
    );
}

#[test]
fn call_summaries_keep_the_literals_every_call_agrees_on() {
    let src = r#"
_fetch("/a", timeout=30)
api._fetch(url, timeout=30)
_fetch("/c", timeout=30, retries=2)
_other(*args)
"#;
    let f = extract_facts("app/x.py", Language::Python, src);
    assert_eq!(f.calls.len(), 1, "a call spreading *args is left out");
    let fetch = &f.calls[0];
    assert_eq!((fetch.name.as_str(), fetch.count), ("_fetch", 3));
    let slot = |k: &str| fetch.args.iter().find(|a| a.key == k).unwrap();
    assert_eq!(
        (slot("timeout").calls, slot("timeout").value.as_deref()),
        (3, Some("30"))
    );
    assert_eq!((slot("0").calls, slot("0").value.as_deref()), (3, None));
    assert_eq!(slot("retries").calls, 1);
}

#[test]
fn fingerprints_ignore_names_literals_and_docstrings_but_not_what_is_called() {
    let src = r#"
def word_count(text):
    """Counts words."""
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    return len(words)

def count_words(body):
    # renamed copy
    tokens = [t for t in re.split(r"[ ]+", body.strip()) if t]
    return len(tokens)

def count_lines(body):
    tokens = [t for t in re.splitlines(r"[ ]+", body.strip()) if t]
    return len(tokens)
"#;
    let facts = extract_facts("m.py", crate::Language::Python, src);
    let f: Vec<(u64, u32)> = facts.functions.iter().map(|f| (f.fingerprint, f.size)).collect();
    assert_eq!(f[0], f[1]);
    assert_ne!(f[1].0, f[2].0);
    assert!(f[0].1 > 20);
}

#[test]
fn only_calls_a_convention_family_knows_are_recorded() {
    let facts = extract_facts(
        "a.ts",
        crate::Language::TypeScript,
        "async function f() { console.log(1); await g(); p.then(x); other(); }",
    );
    let callees: Vec<&str> = facts.call_uses.iter().map(|c| c.callee.as_str()).collect();
    assert_eq!(callees, ["console.log", "await", "p.then"]);
    let facts = extract_facts(
        "a.rs",
        crate::Language::Rust,
        "fn f() { println!(\"x\"); ureq::get(\"u\"); foo::bar(); }",
    );
    let callees: Vec<&str> = facts.call_uses.iter().map(|c| c.callee.as_str()).collect();
    assert_eq!(callees, ["println!", "ureq::get"]);
}

#[test]
fn rust_error_flow() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/drift-rust/src/settings.rs"
    ))
    .unwrap();
    let facts = extract_facts("src/settings.rs", crate::Language::Rust, &src);
    let flows: Vec<(&str, bool, u32, usize)> = facts
        .functions
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                f.error_flow.returns_fallible,
                f.error_flow.question_marks,
                f.error_flow.unwraps.len(),
            )
        })
        .collect();
    assert_eq!(flows, [("load", true, 1, 1), ("banner", false, 0, 0)]);
}

#[test]
fn rust_boxed_error_returns_are_recorded_outside_main_and_trait_impls() {
    let src = "use std::error::Error;\n\
        fn a() -> Result<u8, Box<dyn Error>> { Ok(1) }\n\
        fn b() -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> { Ok(()) }\n\
        fn c() -> Option<Box<dyn Error>> { None }\n\
        fn d() -> Result<Box<dyn Error>, String> { Err(String::new()) }\n\
        fn e() -> Result<(), Box<dyn Display>> { Ok(()) }\n\
        fn main() -> Result<(), Box<dyn Error>> { Ok(()) }\n\
        impl Load for X { fn load() -> Result<(), Box<dyn Error>> { Ok(()) } }\n";
    let facts = extract_facts("src/a.rs", crate::Language::Rust, src);
    let lines: Vec<(&str, u32)> = facts
        .call_uses
        .iter()
        .map(|c| (c.callee.as_str(), c.span.start_line))
        .collect();
    assert_eq!(lines, [("-> Box<dyn Error>", 2), ("-> Box<dyn Error>", 3)]);
}

/// `callee` of each recorded HTTP call (with `=None` when it switches the
/// timeout off), and the clients the file gives a timeout.
fn http(rel: &str, lang: Language, src: &str) -> (Vec<String>, Vec<HttpClient>) {
    let facts = extract_facts(rel, lang, src);
    let calls = facts
        .http_calls
        .iter()
        .map(|c| format!("{}{}", c.callee, if c.disabled { "=None" } else { "" }))
        .collect();
    (calls, facts.http_timeouts)
}

#[test]
fn python_http_calls_without_timeout() {
    let src = r#"
import requests as r
import httpx
from requests import post, Session
from cache import get

def a(url, **kw):
    r.get(url)
    r.get(url, timeout=5)
    r.get(url, timeout=None)
    r.request("GET", url, **kw)
    post(url, json={})
    get(url)
    httpx.get(url)
    httpx.get(url, timeout=None)
    httpx.Client(timeout=httpx.Timeout(None))
    obj.requests.get(url)

def b(url):
    s = Session()
    s.get(url)
    other.get(url)

def d(url):
    my_s = Session()
    s.get(url)
    session=Session()
    session.post(url)

def e():
    import aiohttp
    from aiohttp import ClientTimeout as CT
    aiohttp.ClientTimeout(total=None)
    CT()
    aiohttp.ClientTimeout(total=None, sock_read=30)
    aiohttp.ClientTimeout(total=60)

async def f(url):
    async with aiohttp.ClientSession() as session:
        session.get(url)

def c(url, adapter):
    with r.Session() as s:
        s.mount("https://", adapter)
        s.get(url)
"#;
    let (calls, _) = http("app/net.py", Language::Python, src);
    assert_eq!(
        calls,
        [
            "r.get",
            "r.get=None",
            "post",
            "httpx.get=None",
            "httpx.Client=None",
            "s.get",
            "session.post",
            "aiohttp.ClientTimeout=None",
            "CT=None"
        ]
    );
}

#[test]
fn js_http_calls_without_timeout() {
    let src = r#"
import axios from "axios";
fetch(url);
fetch(url, { method: "POST" });
fetch(url, { signal: AbortSignal.timeout(5000) });
fetch(url, opts);
fetch(url, { ...opts });
fetch("/api/orders");
fetch(event.request);
axios.get(url);
axios.get(url, { timeout: 1000 });
axios.post(url, body);
axios.post(url, body, config);
axios({ url, method: "get" });
axios.create({ baseURL });
axios.create({ baseURL, timeout: 1000 });
axios.defaults.timeout = 5000;
cache.get(url);
fetch(url, { dispatcher: agent });
axios.get(url, { signal: AbortSignal.timeout(1000) });
function injected({ fetch = globalThis.fetch }) { return fetch(url); }
const arrow = (fetch) => fetch(url);
function wrapped(opts) { const fetch = opts.fetch; return fetch(url); }
function unrelated(prefetch) { const refetch = 1; return fetch(url); }
"#;
    let (calls, timeouts) = http("src/net.ts", Language::TypeScript, src);
    assert_eq!(
        calls,
        [
            "fetch",
            "fetch",
            "axios.get",
            "axios.post",
            "axios",
            "axios.create",
            "fetch"
        ]
    );
    assert_eq!(timeouts, [HttpClient::Axios, HttpClient::Axios]);
    let setup = r#"
import { Agent, setGlobalDispatcher } from "undici";
setGlobalDispatcher(new Agent({ headersTimeout: 10_000 }));
"#;
    assert_eq!(http("src/setup.ts", Language::TypeScript, setup).1, [HttpClient::Fetch]);
    let page = "export const el = document.getElementById('x');\n";
    assert!(extract_facts("src/page.ts", Language::TypeScript, page).uses_browser_globals);
    let server = "export async function f(db) { const document = await db.find(); return document.id; }\n";
    assert!(!extract_facts("src/db.ts", Language::TypeScript, server).uses_browser_globals);
}

#[test]
fn rust_http_clients_without_timeout() {
    let src = r#"
use reqwest::Client;
use std::time::Duration;
fn a() {
    let c = Client::new();
    let d = reqwest::Client::builder().user_agent("x").build();
    let e = Client::builder().timeout(Duration::from_secs(3)).build();
    let f = reqwest::blocking::Client::new();
    let g = reqwest::get(url);
    let h = reqwest::blocking::get(url);
    let i = reqwest::Client::default();
}
"#;
    let (calls, timeouts) = http("src/net.rs", Language::Rust, src);
    assert_eq!(
        calls,
        [
            "Client::new",
            "reqwest::Client::builder()…build()",
            "reqwest::get",
            "reqwest::Client::default"
        ]
    );
    // The builder's `.timeout` is not a per-request one.
    assert!(timeouts.is_empty());
    let per_request = "async fn f(c: &reqwest::Client) { c.get(u).timeout(d).send().await; }\n";
    assert_eq!(http("src/r.rs", Language::Rust, per_request).1, [HttpClient::Reqwest]);
    let wasm = r#"
async fn f(u: &str) {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    {
        return;
    }
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    #[cfg(not(target_arch = "wasm32"))]
    {
        reqwest::get(u).await;
    }
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    {
        reqwest::get(u).await;
    }
}
#[cfg(target_arch = "wasm32")]
fn g() -> reqwest::Client { reqwest::Client::new() }
"#;
    let (calls, _) = http("src/w.rs", Language::Rust, wasm);
    assert_eq!(calls, ["reqwest::get"]);
    let blocking = "use reqwest::blocking::Client;\nfn f() { Client::new(); }\n";
    assert!(http("src/b.rs", Language::Rust, blocking).0.is_empty());
}
