//! Per-file facts: plain data extracted from the syntax tree in the parse pass.
//!
//! Project rules and the project model see only these records, never a tree,
//! so the trees can be dropped after the parse pass and the facts can be
//! cached on disk. Later rule families add fields here (keep them `serde`
//! serialisable and `Default`).

mod abstraction;
mod comments;
mod http_calls;
mod javascript;
mod python;
mod rust;
mod walk_state;

pub use comments::{parse_suppression, Suppression};
pub(crate) use walk_state::FactsExtractor;
pub use walk_state::Scope;

use crate::lang::{Ecosystem, Language};
use crate::span::Span;
use serde::{Deserialize, Serialize};

/// Everything the project model and project rules know about one file.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FileFacts {
    /// Path relative to the project root, `/`-separated.
    pub path: String,
    pub language: Option<Language>,
    /// What kind of code this file holds (application, test, example...).
    pub role: FileRole,
    /// Hash of each line with whitespace normalised (see `span::normalized_line_hash`);
    /// index 0 is line 1. Fingerprints of findings on this file come from here.
    /// The cache keeps them apart and loads them for reported files only.
    #[serde(skip)]
    pub line_hashes: Vec<u64>,
    /// Whether the tree had syntax errors (rules still ran on the rest).
    pub has_syntax_errors: bool,
    pub imports: Vec<Import>,
    /// Module-level definitions (including conditional ones, e.g. inside
    /// `if`/`try` at module level), in source order.
    pub definitions: Vec<Definition>,
    pub exports: Exports,
    /// Classes, interfaces, traits, structs and enums at any depth.
    pub types: Vec<TypeDecl>,
    /// Rust `impl Trait for Type` blocks.
    pub impls: Vec<ImplFact>,
    /// Functions and methods at any depth.
    pub functions: Vec<FunctionFact>,
    /// Rust `mod name;` / `mod name { .. }` declarations (the module tree).
    pub modules: Vec<ModDecl>,
    /// `aireview: ignore[...]` comments.
    pub suppressions: Vec<Suppression>,
    /// Byte ranges of in-file test code (`#[cfg(test)]` modules, `#[test]` functions).
    pub test_ranges: Vec<(u32, u32)>,
    /// Rust: first segments of qualified paths (`serde_json` in
    /// `serde_json::to_string`), in order of first use: crates used without `use`.
    pub path_roots: Vec<String>,
    /// Calls that build an object of a capitalised type: Python `Foo(...)`,
    /// JS/TS `new Foo(...)`; one entry per type, in order of first use.
    #[serde(default)]
    pub constructions: Vec<Construction>,
    /// How often each capitalised name is mentioned outside its own
    /// declaration and outside imports (Python, JS/TS), sorted by name.
    #[serde(default)]
    pub mentions: Vec<(String, u32)>,
    /// Rust: capitalised names inside macro definitions and invocations
    /// (impls a macro generates are invisible otherwise), sorted, unique.
    #[serde(default)]
    pub macro_mentions: Vec<String>,
    /// Calls of functions and methods by their simple name (Python: private
    /// `_names` only; JS/TS: all): one entry per name, in order of first call.
    #[serde(default)]
    pub calls: Vec<CallSummary>,
    /// TS: types object literals are declared as (`const s: Storage = {..}`,
    /// `{..} satisfies Storage`, `{..} as Storage`): structural
    /// implementations. Sorted, unique.
    #[serde(default)]
    pub typed_objects: Vec<String>,
    /// Module-level maps from keys to classes (`{"s3": S3Storage}`).
    #[serde(default)]
    pub registries: Vec<RegistryFact>,
    /// Calls a convention family recognises (`print`, `console.log`,
    /// `.then`, `await`, `println!`), in source order.
    #[serde(default)]
    pub call_uses: Vec<CallUse>,
    /// Request handlers rendering a template file with request input in its
    /// context (recorded by `raw-html-output` in the parse pass; the
    /// template is read and checked against them in the project model).
    #[serde(default)]
    pub template_renders: Vec<TemplateRender>,
    /// Outbound HTTP calls that run without a timeout or switch it off (see
    /// `HttpCall`), in source order.
    #[serde(default)]
    pub http_calls: Vec<HttpCall>,
    /// HTTP clients this file gives a timeout beyond a single call: an undici
    /// global dispatcher with timeouts or a replaced global `fetch`;
    /// `axios.defaults.timeout` or an `axios.create({ timeout })` instance;
    /// Rust: a `.timeout(..)` on a request or `tokio::time::timeout`. One
    /// entry per occurrence.
    #[serde(default)]
    pub http_timeouts: Vec<HttpClient>,
    /// JS/TS: the file reads `window` or DOM members of `document` (browser code).
    #[serde(default)]
    pub uses_browser_globals: bool,
}

/// A handler's render call that puts request input into a template file's context:
/// `render_template("page.html", comment=request.args["c"])`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRender {
    /// The template name as written (`page.html`, `blog/post.html`).
    pub template: String,
    /// The render call's callee (`render_template`, `render`).
    pub callee: String,
    /// The template name argument.
    pub span: Span,
    /// The context variables holding request input.
    pub inputs: Vec<TemplateInput>,
}

/// A context variable of a render call that holds request input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateInput {
    /// The variable's name in the template (`comment`).
    pub name: String,
    /// The value passed (the keyword argument or the dictionary entry).
    pub span: Span,
    /// The first raw read feeding it (`request.args["c"]`), when there is one.
    pub input: Option<String>,
}

/// An HTTP client library whose calls the parse pass records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HttpClient {
    /// Python `requests`: no timeout unless given.
    Requests,
    /// Python `httpx`: 5 s of inactivity unless switched off.
    Httpx,
    /// Python `aiohttp`: 5 minutes in total unless switched off.
    Aiohttp,
    /// The global `fetch` (or node-fetch / undici's): no deadline unless a signal is given.
    Fetch,
    /// `axios`: no timeout unless configured.
    Axios,
    /// Rust `reqwest` (async): no timeout unless configured.
    Reqwest,
}

/// An outbound HTTP call (or client construction) that runs without a
/// timeout: `requests.get(url)` without `timeout=`, `fetch(url)` without a
/// `signal` in an inline options object, `axios.get(url)` without `timeout`,
/// `reqwest::Client::new()`; or one that switches it off (`timeout=None`,
/// an `aiohttp.ClientTimeout` without any bound).
/// Calls whose options cannot be read (`**kwargs`, an options variable,
/// a spread) are not recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpCall {
    pub client: HttpClient,
    /// The callee as written (`requests.get`, `session.post`, `fetch`,
    /// `reqwest::Client::new`); for a Rust builder chain `Client::builder()…build()`.
    pub callee: String,
    /// The callee (for a builder chain, `build`).
    pub span: Span,
    /// The timeout is switched off explicitly (`timeout=None`), not missing.
    pub disabled: bool,
    /// In test code (a test file or an in-file test region).
    pub in_test: bool,
}

/// The construction sites of a capitalised type in one file: how many,
/// and what the first one looks like.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Construction {
    /// The type's simple name.
    pub name: String,
    /// How many calls in this file build it.
    pub count: u32,
    /// The first call.
    pub span: Span,
    /// Every argument is a literal constant (or there is none).
    pub constant_args: bool,
    /// In a test file or in-file test code.
    pub in_test: bool,
    /// The method called directly on the new object (`build` in `Foo(x).build()`).
    #[serde(default)]
    pub chained_method: Option<String>,
}

/// The calls of one simple name in one file, and which arguments every one
/// of them passes with the same literal value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallSummary {
    pub name: String,
    pub count: u32,
    /// The first call.
    pub span: Span,
    pub args: Vec<ArgSlot>,
}

/// One argument position (`"0"`, `"1"`) or keyword (`"timeout"`) across
/// the calls of a `CallSummary`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArgSlot {
    pub key: String,
    /// How many of the calls pass this argument.
    pub calls: u32,
    /// The literal every one of them passes, as written; `None` when it varies
    /// or is not a literal.
    pub value: Option<String>,
}

/// A module-level map literal whose every value names a class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryFact {
    pub name: String,
    /// The name being assigned.
    pub span: Span,
    /// The classes it maps to, in order.
    pub entries: Vec<String>,
}

/// A method whose whole body calls the same-named method of one attribute
/// of `self`/`this` with its own parameters, unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forward {
    /// The attribute forwarded to (`_client` for `self._client.get(key)`).
    pub target: String,
}

/// A call (or `await`) that means a convention family's alternative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallUse {
    /// The callee as written, normalised: `print`, `os.path.join`,
    /// `console.log`, `.then` (any receiver), `await`, `println!`, `tracing::info!`.
    pub callee: String,
    /// The callee (or the `await` keyword).
    pub span: Span,
    /// In test code (a test file or an in-file test region).
    pub in_test: bool,
}

/// The role of a file in its project, from its path. Rules use it to stay
/// quiet where stubs, prints and placeholder values are normal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileRole {
    #[default]
    Source,
    Test,
    /// Examples, docs, benchmarks: code meant to be read, not shipped.
    Example,
    /// Type stubs (`.pyi`, `.d.ts`): declarations without bodies by design.
    Stub,
    /// Generated or compiled code (a "generated" header, a source map
    /// comment, a minified bundle): nobody edits it by hand.
    Generated,
}

impl FileFacts {
    pub fn is_test(&self) -> bool {
        self.role == FileRole::Test
    }

    /// True for code that ships: not tests, examples or type stubs.
    pub fn is_production(&self) -> bool {
        self.role == FileRole::Source
    }

    /// Whether a byte offset lies in an in-file test region.
    pub fn in_test_range(&self, offset: u32) -> bool {
        self.test_ranges.iter().any(|&(s, e)| s <= offset && offset < e)
    }

    /// Files that run at development time only: build scripts, tool
    /// configuration, task runners, maintenance scripts.
    pub fn is_tooling(&self, eco: Ecosystem) -> bool {
        let path = self.path.as_str();
        let name = path.rsplit('/').next().unwrap_or(path);
        let dirs: Vec<&str> = path.split('/').collect();
        let in_dir = |d: &str| dirs[..dirs.len().saturating_sub(1)].contains(&d);
        if in_dir("scripts") || in_dir("tools") || in_dir("tasks") || in_dir("benches") || in_dir("bench") {
            return true;
        }
        match eco {
            Ecosystem::Python => matches!(
                name,
                "setup.py" | "noxfile.py" | "tasks.py" | "fabfile.py" | "conftest.py" | "manage.py" | "dodo.py"
            ),
            Ecosystem::Js => {
                let parts: Vec<&str> = name.split('.').collect();
                (parts.len() >= 3 && parts[parts.len() - 2] == "config")
                    || name.starts_with(".eslintrc")
                    || name.starts_with("Gruntfile")
                    || name.starts_with("gulpfile")
                    || name.starts_with("Jakefile")
                    || parts
                        .first()
                        .is_some_and(|p| p.starts_with("webpack") || p.starts_with("rollup"))
            }
            Ecosystem::Rust => name == "build.rs" || in_dir("examples") || in_dir("tests"),
        }
    }

    pub fn line_hash(&self, line: u32) -> u64 {
        self.line_hashes
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(0)
    }
}

/// How an import is written. The module string's format depends on the
/// language: dotted for Python (`app.utils`, without the leading dots of a
/// relative import, see `level`), the specifier for JS (`./x`, `lodash/fp`,
/// `node:fs`), the path for Rust (`serde_json`, `crate::db`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImportKind {
    /// Python `import a.b` / `import a.b as c`.
    Import,
    /// Python `from a import b`.
    From,
    /// JS/TS `import ... from "x"` or `import "x"`.
    Esm,
    /// JS/TS `export ... from "x"`.
    ReExport,
    /// `require("x")`.
    Require,
    /// `import("x")`, `importlib.import_module("x")`, `__import__("x")`.
    Dynamic,
    /// TS `import x = require("x")`.
    ImportEquals,
    /// Rust `use a::b`.
    Use,
    /// Rust `extern crate a`.
    ExternCrate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedName {
    /// The name in the target module (`default` for a JS default import,
    /// `self` for a Rust `use a::{self}`).
    pub name: String,
    pub alias: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    pub kind: ImportKind,
    pub module: String,
    /// Python relative-import level (`from ..x import y` is 2); 0 otherwise.
    pub level: u32,
    /// `import a.b as c` (Python), `import * as c` / default binding (JS).
    pub alias: Option<String>,
    pub names: Vec<ImportedName>,
    /// `from x import *`, `export * from "x"`, `use x::*`.
    pub star: bool,
    /// The whole import statement.
    pub span: Span,
    /// The module specifier's span (what to underline for an unknown package).
    pub module_span: Span,
    /// TS `import type` / `export type`, or every named import is `type`.
    pub type_only: bool,
    /// Inside an `if`, a function, a loop, or another non-top-level block.
    pub conditional: bool,
    /// Inside `try` whose handlers catch ImportError/ModuleNotFoundError (or
    /// a bare/broad except), or a JS `try` with a `catch`: a missing module is handled.
    pub guarded: bool,
    /// Inside `if TYPE_CHECKING:`.
    pub type_checking: bool,
    /// Inside a function body.
    pub in_function: bool,
    /// Inside in-file test code (Rust `#[cfg(test)]`), or the file is a test.
    pub in_test: bool,
    /// Rust `#[cfg(feature = "x")]` on the item or an enclosing module.
    pub cfg_feature: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DefKind {
    Function,
    Class,
    Variable,
    Constant,
    Interface,
    TypeAlias,
    Enum,
    Struct,
    Trait,
    Module,
    Macro,
    /// A name bound by an import (Python) or `use` (Rust): re-exportable.
    ImportBinding,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub name: String,
    pub kind: DefKind,
    /// The span of the name.
    pub span: Span,
    /// Exported / `pub` / not underscore-private, per the language's rules.
    pub public: bool,
    /// Defined inside `if`/`try`/`cfg`: may not exist at run time.
    pub conditional: bool,
}

/// What a module makes importable beyond its plain definitions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exports {
    /// JS/TS exported names (`default` for a default export); Rust `pub use` names.
    pub names: Vec<String>,
    /// Modules re-exported wholesale (`export * from "./x"`, `pub use x::*`,
    /// `from .x import *`), as written.
    pub star_from: Vec<String>,
    /// Python `__all__`, when it is a literal list/tuple.
    pub dunder_all: Option<Vec<String>>,
    /// The module's names cannot be known statically: Python module-level
    /// `__getattr__` or `globals()` writes, CommonJS `module.exports = <non-object>`,
    /// Rust items produced by macros at module level.
    pub dynamic: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TypeKind {
    Class,
    /// A TS `abstract class`, or a Python class deriving from `ABC` /
    /// using `ABCMeta` / declaring abstract methods.
    AbstractClass,
    /// A TS `interface`.
    Interface,
    /// A Python `typing.Protocol`.
    Protocol,
    Trait,
    Struct,
    Enum,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeDecl {
    pub name: String,
    pub kind: TypeKind,
    /// The span of the name.
    pub span: Span,
    /// The whole declaration.
    pub full_span: Span,
    /// Base classes / `extends` (TS) / supertraits (Rust), as written (`abc.ABC`, `Base`).
    pub bases: Vec<String>,
    /// TS `implements` clauses.
    pub implements: Vec<String>,
    pub methods: Vec<String>,
    /// Methods declared abstract (`@abstractmethod`, TS `abstract`, Rust
    /// trait methods without a default body, TS interface members).
    pub abstract_methods: Vec<String>,
    /// Exported / `pub` / listed in `__all__`.
    pub public: bool,
    /// Declared at module level (not nested in a function).
    pub top_level: bool,
    /// Rust derive names (`Deserialize`, `Validate`, ...) and Python decorators.
    pub decorators: Vec<String>,
    /// Rust `pub(crate)` / `pub(super)` / `pub(in ..)`: visible only inside the crate.
    #[serde(default)]
    pub restricted: bool,
    /// Class-level fields initialised with a literal constant (Python class
    /// attributes and dataclass fields, TS class properties).
    #[serde(default)]
    pub constant_fields: Vec<String>,
}

/// A Rust `impl [Trait for] Type` block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImplFact {
    /// The trait as written (`Storage`, `fmt::Display`); `None` for inherent impls.
    pub trait_name: Option<String>,
    pub self_type: String,
    pub span: Span,
    pub methods: Vec<String>,
    pub in_test: bool,
    /// `impl<T: Bound> Trait for T`: implements the trait for many types.
    #[serde(default)]
    pub blanket: bool,
}

/// What a function's body consists of, when it is nothing but a placeholder.
/// (Externally tagged: the cache's compact encoding cannot read back an
/// internally tagged enum.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StubKind {
    /// Python `pass` as the whole body.
    Pass,
    /// Python `...` as the whole body.
    Ellipsis,
    /// `raise NotImplementedError(...)` as the whole body.
    RaiseNotImplemented { message: Option<String> },
    /// JS/TS `throw new Error("Not implemented")` as the whole body.
    ThrowNotImplemented { message: String },
    /// Rust `todo!()` anywhere in the body.
    Todo,
    /// Rust `unimplemented!()` as the whole body.
    Unimplemented { message: Option<String> },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StubFact {
    pub kind: StubKind,
    /// The placeholder statement or macro.
    pub span: Span,
    /// A docstring precedes the placeholder (Python).
    pub has_docstring: bool,
    /// A comment inside the body (an explained no-op is not a stub).
    pub has_comment: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionFact {
    pub name: String,
    /// The enclosing class / impl type / trait, for methods.
    pub container: Option<String>,
    /// The container is a Rust trait (default method) or a trait impl.
    pub container_is_trait: bool,
    /// The whole definition.
    pub span: Span,
    /// The name (or the signature start for anonymous functions).
    pub name_span: Span,
    /// Decorators (Python) or attributes (Rust) as written, without `@`/`#[]`.
    pub decorators: Vec<String>,
    pub is_async: bool,
    /// Nested inside another function.
    pub nested: bool,
    /// Defined inside a module-level `if`/`try` (often a fallback definition).
    pub conditional: bool,
    /// Declared abstract (decorator or `abstract` keyword).
    pub is_abstract: bool,
    /// A test function, or in a test file / test region.
    pub in_test: bool,
    pub public: bool,
    pub param_count: u32,
    /// Set when the body is only a placeholder.
    pub stub: Option<StubFact>,
    /// The body only forwards the call to one attribute (see `Forward`).
    #[serde(default)]
    pub forward: Option<Forward>,
    /// Return statements (Python, JS/TS); in Rust, `Box`/`Arc`/`Rc::new`
    /// calls that build the returned object.
    #[serde(default)]
    pub returns: u32,
    /// For each of those that builds a capitalised type, the type's simple name.
    #[serde(default)]
    pub products: Vec<String>,
    /// The declared return type's simple name (`Storage` for
    /// `-> Storage`, `: Promise<Storage>` stays `Promise`, Rust
    /// `Box<dyn Storage>` gives `Storage`).
    #[serde(default)]
    pub return_type: Option<String>,
    /// Hash of the definition's syntax shape with names renamed in order of
    /// first appearance and literals abstracted: equal for copies of one body.
    #[serde(default)]
    pub fingerprint: u64,
    /// How many syntax nodes the definition has (tiny bodies match by chance).
    #[serde(default)]
    pub size: u32,
    /// Rust: how the function handles errors.
    #[serde(default)]
    pub error_flow: ErrorFlow,
}

/// How a Rust function handles errors: propagates with `?` or unwraps.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorFlow {
    /// It returns `Result` or `Option` (`io::Result<()>`, `Option<T>`).
    pub returns_fallible: bool,
    /// `?` in its own body (not in closures).
    pub question_marks: u32,
    /// `.unwrap()` in its own body, except on locks, joins and state `Option`s
    /// (`take()`, `next()`); the span of `unwrap`.
    pub unwraps: Vec<Span>,
}

/// A Rust `mod` declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModDecl {
    pub name: String,
    /// `mod x { ... }` rather than `mod x;`.
    pub inline: bool,
    /// `#[path = "..."]` override.
    pub path_attr: Option<String>,
    pub public: bool,
    pub span: Span,
    /// Declared in test code (`#[cfg(test)] mod mocks;`): the file is test code.
    #[serde(default)]
    pub test: bool,
}

#[cfg(test)]
mod tests;
