use super::*;
use std::cell::Cell;
use std::fs;

thread_local! {
    /// Third-party source files read on this thread (`read_source`).
    pub(super) static SOURCES_READ: Cell<usize> = const { Cell::new(0) };
}

fn sources_read() -> usize {
    SOURCES_READ.with(Cell::get)
}

/// Writes `files` (relative path, text) under `root`.
fn write_all(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    sources: ExternalSources,
    exports: ExternalExports,
}

impl Fixture {
    fn ask(&self, ecosystem: Ecosystem, module: &str, name: &str) -> Option<bool> {
        self.exports.exports_name(&self.sources, ecosystem, module, name)
    }

    /// Asserts every (module, name, expected) triple, reporting all mismatches at once.
    fn check(&self, ecosystem: Ecosystem, cases: &[(&str, &str, Option<bool>)]) {
        let wrong: Vec<String> = cases
            .iter()
            .filter_map(|&(module, name, want)| {
                let got = self.ask(ecosystem, module, name);
                (got != want).then(|| format!("{module} / {name}: got {got:?}, want {want:?}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

fn python_fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("venv1/site-packages");
    let second = dir.path().join("venv2/site-packages");
    fs::create_dir_all(&first).unwrap();
    write_all(
        &second,
        &[
            (
                "requests/__init__.py",
                "from .api import get, post as send\nfrom .models import *\nfrom . import adapters\n\
                 __version__ = '1'\n_private = 1\ntry:\n    import simplejson as json\nexcept ImportError:\n    \
                 import json\nif TYPE_CHECKING:\n    from .typing_only import Hint\nfrom os.path import join as _join\n",
            ),
            ("requests/api.py", "def get(url): ...\ndef post(url): ...\n"),
            (
                "requests/models.py",
                "__all__ = ['Response']\nclass Response: ...\nclass NotInAll: ...\n",
            ),
            ("requests/adapters.py", "class HTTPAdapter:\n    def send(self): ...\n"),
            ("requests/sessions.py", "from .compat import *\ndef Session(): ...\n"),
            ("requests/compat.py", "from .sessions import *\nX = 1\n_hidden = 2\n"),
            ("requests/packages/urllib3.py", "x = 1\n"),
            ("requests/_speedups.cpython-311-x86_64-linux-gnu.so", "\u{7f}ELF"),
            ("starry/__init__.py", "from os.path import *\nlocal = 1\n"),
            ("lazy/__init__.py", "def __getattr__(name):\n    raise AttributeError(name)\nA = 1\n"),
            (
                "lazyload/__init__.py",
                "import lazy_loader as lazy\n__getattr__, __dir__, __all__ = lazy.attach(__name__, ['sub'])\n",
            ),
            ("replaced/__init__.py", "import sys\nsys.modules[__name__] = object()\nkept = 1\n"),
            // A runtime package made dynamic, described by a stub package.
            ("foo/__init__.py", "def __getattr__(name): ...\nruntime_only = 1\n"),
            ("foo-stubs/__init__.pyi", "def bar() -> None: ...\nfrom .sub import *\n"),
            ("foo-stubs/sub.pyi", "class FromSub: ...\n"),
            // A partial stub package never denies a name.
            ("baz/__init__.py", "def __getattr__(name): ...\n"),
            ("baz-stubs/__init__.pyi", "def a() -> None: ...\n"),
            ("baz-stubs/py.typed", "partial\n"),
            // An inline stub next to a compiled module.
            ("fast/__init__.py", "from ._core import *\n"),
            ("fast/_core.pyi", "def speed() -> int: ...\n"),
            ("fast/_core.cpython-311-x86_64-linux-gnu.so", "\u{7f}ELF"),
            ("compiled.cpython-311-x86_64-linux-gnu.so", "\u{7f}ELF"),
            ("nsp/plugins/one.py", "x = 1\n"),
            (
                "bindings.py",
                "for loop_var in range(3):\n    pass\nwith open('f') as handle:\n    pass\n\
                 def f():\n    global late, later\n    late = later = 1\nif (walrus := 1):\n    pass\n",
            ),
        ],
    );
    fs::write(second.join("broken.py"), b"x = 1\n\xff\xfe = 2\n").unwrap();
    fs::write(
        second.join("huge.py"),
        "x = 1\n".repeat((MAX_FILE_BYTES / 6 + 1) as usize),
    )
    .unwrap();
    let sources = ExternalSources {
        python_paths: vec![first, second],
        ..ExternalSources::default()
    };
    Fixture {
        _dir: dir,
        sources,
        exports: ExternalExports::new(),
    }
}

#[test]
fn python_names_from_definitions_reexports_and_submodules() {
    let f = python_fixture();
    f.check(
        Ecosystem::Python,
        &[
            ("requests", "get", Some(true)),
            ("requests", "send", Some(true)),
            ("requests", "post", Some(false)),
            ("requests", "fetch_json", Some(false)),
            ("requests", "Response", Some(true)),
            ("requests", "NotInAll", Some(false)),
            ("requests", "adapters", Some(true)),
            ("requests", "sessions", Some(true)),
            ("requests", "packages", Some(true)),
            ("requests", "_speedups", Some(true)),
            ("requests", "_private", Some(true)),
            ("requests", "_join", Some(true)),
            ("requests", "json", Some(true)),
            ("requests", "Hint", Some(true)),
            ("requests.adapters", "HTTPAdapter", Some(true)),
            ("requests.adapters", "send", Some(false)),
            ("requests.packages.urllib3", "x", Some(true)),
            ("requests.packages", "urllib3", Some(true)),
            ("requests.packages", "urllib4", None),
        ],
    );
}

#[test]
fn python_star_imports_are_cycle_safe_and_respect_visibility() {
    let f = python_fixture();
    f.check(
        Ecosystem::Python,
        &[
            ("requests.sessions", "X", Some(true)),
            ("requests.sessions", "Session", Some(true)),
            ("requests.sessions", "_hidden", Some(false)),
            ("requests.sessions", "Nope", Some(false)),
            ("requests.compat", "Session", Some(true)),
            // A star import from outside the environment (the standard library).
            ("starry", "local", Some(true)),
            ("starry", "join", None),
        ],
    );
}

#[test]
fn python_dynamic_modules_answer_only_what_they_define() {
    let f = python_fixture();
    f.check(
        Ecosystem::Python,
        &[
            ("lazy", "A", Some(true)),
            ("lazy", "B", None),
            ("lazyload", "anything", None),
            ("replaced", "kept", Some(true)),
            ("replaced", "other", None),
        ],
    );
}

#[test]
fn python_stubs_are_preferred_and_partial_stubs_never_deny() {
    let f = python_fixture();
    f.check(
        Ecosystem::Python,
        &[
            ("foo", "bar", Some(true)),
            ("foo", "FromSub", Some(true)),
            ("foo", "runtime_only", Some(true)),
            ("foo", "baz", Some(false)),
            ("baz", "a", Some(true)),
            ("baz", "b", None),
            ("fast", "speed", Some(true)),
            ("fast", "slow", Some(false)),
            ("fast._core", "speed", Some(true)),
        ],
    );
}

#[test]
fn python_unknown_or_unreadable_modules_are_unsure() {
    let f = python_fixture();
    f.check(
        Ecosystem::Python,
        &[
            ("not_installed", "x", None),
            ("requests.missing", "x", None),
            ("compiled", "anything", None),
            ("nsp", "plugins", Some(true)),
            ("nsp", "other", None),
            ("nsp.plugins", "one", Some(true)),
            ("broken", "x", None),
            ("bindings", "loop_var", Some(true)),
            ("bindings", "handle", Some(true)),
            ("bindings", "late", Some(true)),
            ("bindings", "later", Some(true)),
            ("bindings", "walrus", Some(true)),
            ("bindings", "f", Some(true)),
            ("bindings", "unbound", Some(false)),
            ("huge", "x", None),
            ("requests", "not-an-identifier", None),
            ("requests..api", "get", None),
        ],
    );
    let empty = ExternalExports::new();
    assert_eq!(
        empty.exports_name(&ExternalSources::default(), Ecosystem::Python, "requests", "get"),
        None
    );
}

fn rust_fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_all(
        root,
        &[
            (
                "mycrate/src/lib.rs",
                "#![no_std]\n#[cfg(not(feature = \"std\"))]\ncompile_error!(\"needs std\");\n\
                 pub mod value;\nmod de;\npub use crate::de::{from_str, Deserializer as De};\n\
                 pub use self::glob_src::*;\nmod glob_src;\n#[path = \"weird/place.rs\"]\npub mod placed;\n\
                 pub mod inline {\n    pub fn inner() {}\n}\n#[cfg(feature = \"x\")]\npub mod gated;\n\
                 pub struct Thing;\nfn private_helper() {}\n#[macro_use]\nmod macros;\npub use core::*;\n",
            ),
            (
                "mycrate/src/value/mod.rs",
                "mod index;\npub use self::index::Index;\npub enum Value { Null }\npub fn to_value() {}\n\
                 pub use super::glob_src::*;\n",
            ),
            ("mycrate/src/value/index.rs", "pub trait Index {}\n"),
            (
                "mycrate/src/de.rs",
                "pub fn from_str() {}\npub struct Deserializer;\nmod nested;\n",
            ),
            ("mycrate/src/de/nested.rs", "pub fn deep() {}\n"),
            (
                "mycrate/src/glob_src.rs",
                "pub fn globbed() {}\npub use crate::value::*;\n",
            ),
            ("mycrate/src/weird/place.rs", "pub fn placed_fn() {}\n"),
            ("mycrate/src/gated.rs", "pub fn gated_fn() {}\n"),
            (
                "mycrate/src/macros.rs",
                "#[macro_export]\nmacro_rules! json {\n    () => {};\n}\n",
            ),
            (
                "lazy/src/lib.rs",
                "lazy_static! {\n    pub static ref X: u8 = 1;\n}\npub fn f() {}\n",
            ),
            ("complete/src/lib.rs", "pub fn only() {}\n"),
            // windows-sys: the root includes the file that declares its modules.
            (
                "included/src/lib.rs",
                "#![no_std]\npub mod core;\ninclude!(\"Windows/mod.rs\");\n",
            ),
            ("included/src/core.rs", "pub type BOOL = i32;\n"),
            ("included/src/Windows/mod.rs", "pub mod Win32;\n"),
            ("included/src/Windows/Win32/mod.rs", "pub mod Foundation;\n"),
            (
                "included/src/Windows/Win32/Foundation/mod.rs",
                "pub type HANDLE = isize;\n",
            ),
        ],
    );
    let mut rust_crates = BTreeMap::new();
    for name in ["mycrate", "lazy", "complete", "included"] {
        rust_crates.insert(name.to_string(), root.join(name).join("src/lib.rs"));
    }
    Fixture {
        _dir: dir,
        sources: ExternalSources {
            rust_crates,
            ..ExternalSources::default()
        },
        exports: ExternalExports::new(),
    }
}

#[test]
fn rust_names_through_mods_reexports_globs_and_macros() {
    let f = rust_fixture();
    f.check(
        Ecosystem::Rust,
        &[
            ("complete", "only", Some(true)),
            ("complete", "parse_str", Some(false)),
            ("mycrate::value", "Value", Some(true)),
            ("mycrate::value", "Index", Some(true)),
            ("mycrate::value", "globbed", Some(true)),
            ("mycrate::value", "Nope", Some(false)),
            ("mycrate::value::index", "Index", Some(true)),
            ("mycrate::de::nested", "deep", Some(true)),
            ("mycrate::de::nested", "shallow", Some(false)),
            ("mycrate::placed", "placed_fn", Some(true)),
            ("mycrate::gated", "gated_fn", Some(true)),
            ("mycrate::glob_src", "to_value", Some(true)),
            ("complete::nomod", "X", Some(false)),
            // The root re-exports `core::*`: a missing module might come from there.
            ("mycrate::nomod", "X", None),
            ("mycrate::value", "self", Some(true)),
            ("::complete", "only", Some(true)),
            // `include!(..);` at the root: its modules cannot be known here.
            ("included::core", "BOOL", Some(true)),
            ("included::Win32::Foundation", "HANDLE", None),
            ("included::Win32::Foundation", "NOPE", None),
        ],
    );
}

#[test]
fn rust_crate_root_with_foreign_glob_is_unsure_for_unknown_names() {
    let f = rust_fixture();
    f.check(
        Ecosystem::Rust,
        &[
            ("mycrate", "from_str", Some(true)),
            ("mycrate", "De", Some(true)),
            ("mycrate", "json", Some(true)),
            ("mycrate", "value", Some(true)),
            ("mycrate", "Thing", Some(true)),
            ("mycrate", "private_helper", Some(true)),
            ("mycrate", "globbed", Some(true)),
            // `pub use core::*` re-exports another crate: unknown names are unsure.
            ("mycrate", "parse_str", None),
        ],
    );
}

#[test]
fn rust_unreadable_places_are_unsure() {
    let f = rust_fixture();
    f.check(
        Ecosystem::Rust,
        &[
            ("mycrate::inline", "inner", None),
            ("mycrate::value::Value", "Null", None),
            ("lazy", "f", Some(true)),
            ("lazy", "X", None),
            ("lazy", "g", None),
            ("unknown_crate", "x", None),
        ],
    );
}

#[test]
fn rust_globs_without_reexported_foreign_crates_are_complete() {
    let dir = tempfile::tempdir().unwrap();
    write_all(
        dir.path(),
        &[
            (
                "c/src/lib.rs",
                "pub mod a;\npub use a::*;\nmod b;\npub use self::b::Renamed as Public;\n",
            ),
            ("c/src/a.rs", "pub fn from_a() {}\npub use super::b::*;\n"),
            ("c/src/b.rs", "pub struct Renamed;\npub fn from_b() {}\n"),
        ],
    );
    let sources = ExternalSources {
        rust_crates: BTreeMap::from([("c".to_string(), dir.path().join("c/src/lib.rs"))]),
        ..ExternalSources::default()
    };
    let exports = ExternalExports::new();
    let ask = |m: &str, n: &str| exports.exports_name(&sources, Ecosystem::Rust, m, n);
    assert_eq!(ask("c", "from_a"), Some(true));
    assert_eq!(ask("c", "from_b"), Some(true), "glob through `super::`");
    assert_eq!(ask("c", "Public"), Some(true));
    assert_eq!(ask("c", "Missing"), Some(false));
    assert_eq!(ask("c::a", "Missing"), Some(false));
}

/// A name found in the first glob target is answered without parsing the
/// second; only an answer that needs every name reads them all.
#[test]
fn rust_glob_chains_are_searched_lazily() {
    let dir = tempfile::tempdir().unwrap();
    write_all(
        dir.path(),
        &[
            (
                "c/src/lib.rs",
                "mod first;\nmod second;\npub use first::*;\npub use second::*;\n",
            ),
            ("c/src/first.rs", "pub fn in_first() {}\n"),
            ("c/src/second.rs", "pub fn in_second() {}\n"),
        ],
    );
    let sources = ExternalSources {
        rust_crates: BTreeMap::from([("c".to_string(), dir.path().join("c/src/lib.rs"))]),
        ..ExternalSources::default()
    };
    let exports = ExternalExports::new();
    let ask = |n: &str| exports.exports_name(&sources, Ecosystem::Rust, "c", n);
    assert_eq!(ask("in_first"), Some(true));
    assert_eq!(exports.files_looked_at(), 2, "lib.rs and first.rs, not second.rs");
    assert_eq!(ask("in_second"), Some(true));
    assert_eq!(exports.files_looked_at(), 3);
    assert_eq!(ask("missing"), Some(false), "absent needs every glob target");
}

/// The crate's `macro_rules!` names are read once: a second question about
/// the crate reads no file again.
#[test]
fn rust_macro_names_are_gathered_once_per_crate() {
    let dir = tempfile::tempdir().unwrap();
    write_all(
        dir.path(),
        &[
            ("m/src/lib.rs", "#[macro_use]\nmod macros;\n"),
            (
                "m/src/macros.rs",
                "#[macro_export]\nmacro_rules! first_mac { () => {} }\n#[macro_export]\nmacro_rules!second_mac{ () => {} }\n",
            ),
        ],
    );
    let sources = ExternalSources {
        rust_crates: BTreeMap::from([("m".to_string(), dir.path().join("m/src/lib.rs"))]),
        ..ExternalSources::default()
    };
    let exports = ExternalExports::new();
    let ask = |n: &str| exports.exports_name(&sources, Ecosystem::Rust, "m", n);
    assert_eq!(ask("first_mac"), Some(true));
    fs::remove_file(dir.path().join("m/src/macros.rs")).unwrap();
    assert_eq!(ask("second_mac"), Some(true), "from the names read the first time");
    assert_eq!(ask("first"), Some(false), "a whole word, not a prefix");
    assert_eq!(
        ask("r#first_mac"),
        Some(false),
        "not a word: searched as text (the file is gone)"
    );
}

/// A crate whose root re-exports a module by glob and whose macros live in
/// another file, and a store for it in `cache`.
fn stored_crate(dir: &Path) -> (ExternalSources, crate::cache::CacheOptions) {
    write_all(
        dir,
        &[
            (
                "c/src/lib.rs",
                "mod inner;\npub use inner::*;\n#[macro_use]\nmod macros;\n",
            ),
            ("c/src/inner.rs", "pub fn from_inner() {}\n"),
            ("c/src/macros.rs", "#[macro_export]\nmacro_rules! made { () => {} }\n"),
        ],
    );
    let sources = ExternalSources {
        rust_crates: BTreeMap::from([("c".to_string(), dir.join("c/src/lib.rs"))]),
        ..ExternalSources::default()
    };
    let opts = crate::cache::CacheOptions {
        dir: dir.join("cache"),
        build_id: "build 1".into(),
    };
    (sources, opts)
}

/// Asks the questions of the store tests; every stamp counts as settled.
fn ask_stored(sources: &ExternalSources, opts: &crate::cache::CacheOptions) -> (Vec<Option<bool>>, Vec<String>) {
    let exports = ExternalExports::with_store(ExternalStore::with_settled_before(opts, i128::MAX));
    let answers = ["from_inner", "made", "missing"]
        .iter()
        .map(|n| exports.exports_name(sources, Ecosystem::Rust, "c", n))
        .collect();
    (answers, exports.save())
}

#[test]
fn a_warm_run_reads_no_third_party_source() {
    let dir = tempfile::tempdir().unwrap();
    let (sources, opts) = stored_crate(dir.path());
    let want = vec![Some(true), Some(true), Some(false)];
    let before = sources_read();
    assert_eq!(ask_stored(&sources, &opts), (want.clone(), Vec::new()));
    assert!(sources_read() > before);
    assert!(opts.dir.join(store::FILE_NAME).is_file());

    let before = sources_read();
    assert_eq!(ask_stored(&sources, &opts), (want.clone(), Vec::new()));
    assert_eq!(sources_read(), before, "everything from the store");

    // A changed file is read again (for its exports and its macro names);
    // the others still come from the store.
    fs::write(
        dir.path().join("c/src/inner.rs"),
        "pub fn from_inner() {}\npub fn more() {}\n",
    )
    .unwrap();
    let before = sources_read();
    assert_eq!(ask_stored(&sources, &opts).0, want);
    assert_eq!(sources_read(), before + 2);

    // Another build trusts nothing it did not write.
    let other = crate::cache::CacheOptions {
        build_id: "build 2".into(),
        ..opts.clone()
    };
    let before = sources_read();
    assert_eq!(ask_stored(&sources, &other).0, want);
    assert!(sources_read() >= before + 3, "lib.rs, inner.rs and the macro search");
}

#[test]
fn a_corrupt_store_is_reported_once_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let (sources, opts) = stored_crate(dir.path());
    let want = vec![Some(true), Some(true), Some(false)];
    ask_stored(&sources, &opts);
    let file = opts.dir.join(store::FILE_NAME);
    let mut bytes = fs::read(&file).unwrap();
    *bytes.last_mut().unwrap() ^= 0x55;
    fs::write(&file, bytes).unwrap();
    let (answers, problems) = ask_stored(&sources, &opts);
    assert_eq!(answers, want);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("corrupt") && problems[0].contains("checksum"),
        "{problems:?}"
    );
    let before = sources_read();
    assert_eq!(ask_stored(&sources, &opts), (want, Vec::new()));
    assert_eq!(sources_read(), before, "rebuilt");
}

#[test]
fn unsettled_files_are_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (sources, opts) = stored_crate(dir.path());
    // Just written: no stamp is settled before the run.
    let exports = ExternalExports::with_store(ExternalStore::new(&opts));
    assert_eq!(
        exports.exports_name(&sources, Ecosystem::Rust, "c", "from_inner"),
        Some(true)
    );
    assert!(exports.save().is_empty());
    assert!(!opts.dir.exists(), "nothing to keep, nothing written");
}

/// Runs `cargo metadata` on this repository (offline; its dependencies are
/// in the local cargo registry) and reads `serde_json` from there.
#[test]
fn rust_crate_sources_of_this_workspace() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let crates = aireview_manifest::CargoRuns::new(&workspace)
        .get("")
        .crate_sources
        .clone();
    let Some(lib) = crates.get("serde_json") else {
        eprintln!("skipped: cargo metadata --offline gave no serde_json here");
        return;
    };
    assert!(lib.ends_with("src/lib.rs"), "{}", lib.display());
    assert!(crates.contains_key("tree_sitter"));
    let sources = ExternalSources {
        rust_crates: crates,
        ..ExternalSources::default()
    };
    let exports = ExternalExports::new();
    let ask = |m: &str, n: &str| exports.exports_name(&sources, Ecosystem::Rust, m, n);
    assert_eq!(ask("serde_json", "from_str"), Some(true));
    assert_eq!(ask("serde_json", "Value"), Some(true));
    assert_eq!(ask("serde_json", "json"), Some(true));
    assert_eq!(ask("serde_json", "parse_str"), Some(false));
    assert_eq!(ask("serde_json::value", "Value"), Some(true));
    assert_eq!(ask("serde_json::value", "to_value"), Some(true));
}

#[test]
fn exports_are_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ExternalExports>();
    let f = python_fixture();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                assert_eq!(f.ask(Ecosystem::Python, "requests", "get"), Some(true));
                assert_eq!(f.ask(Ecosystem::Python, "requests", "nope"), Some(false));
            });
        }
    });
    let parsed = f.exports.files.lock().unwrap().len();
    assert!(parsed <= 6, "only the files needed were read ({parsed})");
}

fn js_fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let near = dir.path().join("app/node_modules");
    let far = dir.path().join("node_modules");
    write_all(
        &near,
        &[
            (
                "axios/package.json",
                r#"{"name": "axios", "main": "index.js", "types": "index.d.ts"}"#,
            ),
            (
                "axios/index.d.ts",
                "export interface AxiosRequestConfig {}\nexport declare function get(url: string): Promise<unknown>;\n\
                 declare const axios: unknown;\nexport default axios;\nexport * from \"./lib/helpers\";\n\
                 export { create as createInstance } from \"./lib/create\";\nexport * from \"./index\";\n",
            ),
            (
                "axios/lib/helpers.d.ts",
                "export declare function isAxiosError(x: unknown): boolean;\nexport default 1;\n",
            ),
            ("axios/index.js", "module.exports = require('./lib/axios');\n"),
            (
                "@acme/ui/package.json",
                r#"{"type": "module", "exports": {
                    ".": {"import": {"types": "./dist/index.d.mts", "default": "./dist/index.mjs"},
                          "require": {"types": "./dist/index.d.cts", "default": "./dist/index.cjs"}},
                    "./button": {"types": "./dist/button.d.ts", "default": "./dist/button.js"},
                    "./icons/*": "./dist/icons/*.js",
                    "./package.json": "./package.json"}}"#,
            ),
            ("@acme/ui/dist/index.d.mts", "export declare const Button: unknown;\n"),
            ("@acme/ui/dist/button.d.ts", "export declare function Button(): void;\n"),
            ("@acme/ui/dist/icons/star.d.ts", "export declare const Star: 1;\n"),
            ("pkg/package.json", r#"{"types": "index.d.ts"}"#),
            ("pkg/index.d.ts", "export declare const near: 1;\n"),
        ],
    );
    write_all(
        &far,
        &[
            ("pkg/package.json", r#"{"types": "index.d.ts"}"#),
            ("pkg/index.d.ts", "export declare const far: 1;\n"),
            ("left-pad/package.json", r#"{"main": "index.js"}"#),
            ("left-pad/index.js", "module.exports = leftPad;\n"),
            (
                "@types/left-pad/index.d.ts",
                "export = leftPad;\ndeclare function leftPad(s: string): string;\n\
                 declare namespace leftPad {\n    interface Options {}\n    const VERSION: string;\n}\n",
            ),
            ("lodash/package.json", r#"{"main": "lodash.js"}"#),
            (
                "@types/lodash/index.d.ts",
                "export = _;\ndeclare const _: _.LoDashStatic;\ndeclare namespace _ {\n    interface LoDashStatic {}\n}\n",
            ),
            (
                "@types/babel__core/index.d.ts",
                "export declare function transform(code: string): string;\n",
            ),
            ("cjs-only/package.json", r#"{"main": "index.js"}"#),
            ("cjs-only/index.js", "module.exports = { a: 1 };\n"),
            ("cjs-typed/package.json", r#"{"types": "index.d.ts"}"#),
            ("cjs-typed/index.d.ts", "export declare function a(): void;\n"),
            ("@types/ambient/index.d.ts", "declare module \"ambient\" {\n    export function x(): void;\n}\n"),
            (
                "tv/package.json",
                r#"{"main": "index.js", "typesVersions": {">=3.1": {"*": ["ts3/*"]}}}"#,
            ),
            ("tv/ts3/index.d.ts", "export declare const v: 1;\n"),
            ("tv/ts3/sub.d.ts", "export declare const s: 1;\n"),
            (
                "reexp/package.json",
                r#"{"types": "index.d.ts", "dependencies": {"@acme/ui": "1"}}"#,
            ),
            (
                "reexp/index.d.ts",
                "export * from \"@acme/ui/button\";\nexport * from \"not-installed\";\nexport declare const own: 1;\n",
            ),
            ("deep/package.json", r#"{"types": "dist/index.d.ts"}"#),
            ("deep/dist/index.d.ts", "export * from \"./a.js\";\nexport type { T } from \"./types\";\n"),
            ("deep/dist/a.d.ts", "export declare class A {}\nexport import Sub = Ns.Sub;\n"),
        ],
    );
    Fixture {
        _dir: dir,
        sources: ExternalSources {
            node_modules: vec![near, far],
            ..ExternalSources::default()
        },
        exports: ExternalExports::new(),
    }
}

#[test]
fn js_names_from_declarations_and_reexports() {
    let f = js_fixture();
    f.check(
        Ecosystem::Js,
        &[
            ("axios", "get", Some(true)),
            ("axios", "AxiosRequestConfig", Some(true)),
            ("axios", "default", Some(true)),
            ("axios", "isAxiosError", Some(true)),
            ("axios", "createInstance", Some(true)),
            ("axios", "create", Some(false)),
            ("axios", "fetchJson", Some(false)),
            ("deep", "A", Some(true)),
            ("deep", "Sub", Some(true)),
            ("deep", "T", Some(true)),
            ("deep", "B", Some(false)),
            ("reexp", "Button", Some(true)),
            ("reexp", "own", Some(true)),
            ("reexp", "other", None),
            ("pkg", "near", Some(true)),
            ("pkg", "far", Some(false)),
        ],
    );
}

#[test]
fn js_exports_map_scoped_packages_and_types_versions() {
    let f = js_fixture();
    f.check(
        Ecosystem::Js,
        &[
            ("@acme/ui", "Button", Some(true)),
            ("@acme/ui", "Card", Some(false)),
            ("@acme/ui", "default", Some(false)),
            ("@acme/ui/button", "Button", Some(true)),
            ("@acme/ui/button", "Card", Some(false)),
            ("@acme/ui/icons/star", "Star", Some(true)),
            ("@acme/ui/icons/star", "Moon", Some(false)),
            ("@acme/ui/icons/moon", "Moon", None),
            ("tv", "v", Some(true)),
            ("tv", "w", Some(false)),
            ("tv/sub", "s", Some(true)),
        ],
    );
}

#[test]
fn js_at_types_fallback_and_export_equals() {
    let f = js_fixture();
    f.check(
        Ecosystem::Js,
        &[
            ("left-pad", "Options", Some(true)),
            ("left-pad", "VERSION", Some(true)),
            ("left-pad", "default", Some(true)),
            ("left-pad", "rightPad", Some(false)),
            ("lodash", "LoDashStatic", None),
            ("lodash", "map", None),
            ("lodash", "default", Some(true)),
            ("@babel/core", "transform", Some(true)),
            ("@babel/core", "transpile", Some(false)),
        ],
    );
}

#[test]
fn js_untyped_ambient_and_absent_packages_are_unsure() {
    let f = js_fixture();
    f.check(
        Ecosystem::Js,
        &[
            ("cjs-only", "a", None),
            ("cjs-only", "zzz", None),
            ("cjs-typed", "a", Some(true)),
            ("cjs-typed", "b", Some(false)),
            // CommonJS: a default import works through interop.
            ("cjs-typed", "default", None),
            ("ambient", "x", None),
            ("not-installed", "x", None),
            ("./local", "x", None),
            ("node:fs", "readFile", None),
            ("@scope-only", "x", None),
            ("axios/../axios", "get", None),
        ],
    );
}
