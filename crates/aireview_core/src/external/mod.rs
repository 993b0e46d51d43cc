//! What third-party packages export, read from their sources on disk: a
//! virtual environment's `site-packages` (with `.pyi` stubs), `node_modules`
//! type declarations, and the cargo registry sources `cargo metadata` points to.
//!
//! The files are parsed with the same front end as the project's own files
//! (`parse::extract_facts`), lazily, only for the modules a rule asks about, and
//! each at most once per process; with the cache on, what they gave is kept
//! between runs (`store`). Every answer is `Option<bool>`: `None`
//! whenever the package is not on disk or its names cannot be known for
//! certain (dynamic modules, unreadable files, star re-exports that cannot be
//! followed), so a rule built on it reports only what is certain.

mod js;
mod python;
mod rust;
mod store;

pub use store::ExternalStore;

use crate::cache::Stamp;
use crate::facts::FileFacts;
use crate::lang::{Ecosystem, Language};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Files larger than this are not parsed (bundles, generated tables): their
/// names are unknown.
const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// How many star re-exports / `pub use` globs deep a lookup follows.
const MAX_DEPTH: usize = 8;

/// Where third-party sources live for one package root (the model builds it once).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ExternalSources {
    /// `site-packages` directories, searched in order.
    pub python_paths: Vec<PathBuf>,
    /// `node_modules` directories, nearest first.
    pub node_modules: Vec<PathBuf>,
    /// Crate name as used in code (underscored) -> its library's root source file (`lib.rs`).
    pub rust_crates: BTreeMap<String, PathBuf>,
}

/// Lazily parsed, cached export tables of third-party files. `Send + Sync`:
/// project rules share one instance across threads.
#[derive(Default)]
pub struct ExternalExports {
    files: Mutex<HashMap<PathBuf, Arc<ParseOnce>>>,
    /// Computed name sets per (search roots, file, view), so repeated questions
    /// about one module do not walk its star re-exports again.
    names: Mutex<HashMap<NameSetKey, Arc<NameSet>>>,
    /// Rust: the `macro_rules!` names of each crate's source folder.
    macros: Mutex<HashMap<PathBuf, Arc<OnceLock<HashSet<String>>>>>,
    /// What earlier runs read from third-party files (the cache is on).
    store: Option<ExternalStore>,
}

type NameSetKey = (u64, PathBuf, u8);

/// A file's parse, run by the first thread that asks; others wait for it.
type ParseOnce = OnceLock<Option<Arc<ParsedFile>>>;

impl ExternalExports {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes what earlier runs read from `store`, and adds to it.
    pub fn with_store(store: ExternalStore) -> Self {
        ExternalExports {
            store: Some(store),
            ..Self::default()
        }
    }

    /// Writes what this run read to the store, if there is one; returns
    /// the store's problems, one line each.
    pub fn save(&self) -> Vec<String> {
        self.store.as_ref().map(ExternalStore::save).unwrap_or_default()
    }

    /// Does `module` export `name`? `Some(true)`/`Some(false)` only when certain;
    /// `None` when the package is not on disk, the module is dynamic, a star
    /// re-export or `export =` cannot be followed, a parse failed, or anything
    /// else is unsure.
    ///
    /// - Python: `module` dotted (`requests`, `requests.adapters`); `name` may be a submodule.
    /// - Js: `module` is the specifier (`axios`, `@scope/pkg`, `lodash/fp`), `name` the
    ///   imported name (`default` for a default import).
    /// - Rust: `module` is the path (`serde_json`, `serde_json::value`), `name` its last segment.
    pub fn exports_name(
        &self,
        sources: &ExternalSources,
        ecosystem: Ecosystem,
        module: &str,
        name: &str,
    ) -> Option<bool> {
        if name.is_empty() || module.is_empty() {
            return None;
        }
        match ecosystem {
            Ecosystem::Python => python::exports_name(self, &sources.python_paths, module, name),
            Ecosystem::Js => js::exports_name(self, &sources.node_modules, module, name),
            Ecosystem::Rust => rust::exports_name(self, &sources.rust_crates, module, name),
        }
    }

    /// The parsed facts of one file, read and parsed at most once. `None` when
    /// the file is missing, too large, not UTF-8, or not a supported language.
    fn parsed(&self, path: &Path) -> Option<Arc<ParsedFile>> {
        let cell = {
            let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            files.entry(path.to_path_buf()).or_default().clone()
        };
        cell.get_or_init(|| self.stored(store::Kind::Exports, path, parse_external).map(Arc::new))
            .clone()
    }

    /// `read(path)`, or its value from the store when the file's stamp is
    /// the one recorded with it (and then no source is read).
    fn stored<T: serde::Serialize + serde::de::DeserializeOwned>(
        &self,
        kind: store::Kind,
        path: &Path,
        read: impl FnOnce(&Path) -> Option<T>,
    ) -> Option<T> {
        let Some(store) = &self.store else {
            return read(path);
        };
        // The stamp is taken before the file is read (see `cache`).
        let stamp = std::fs::metadata(path).ok().and_then(|m| Stamp::of(&m));
        let kept = stamp
            .as_ref()
            .and_then(|s| store.get(kind, path, s))
            .and_then(|blob| postcard::from_bytes(blob).ok());
        if kept.is_some() {
            return kept;
        }
        let value = read(path)?;
        if let (Some(stamp), Ok(blob)) = (stamp, postcard::to_stdvec(&value)) {
            store.put(kind, path, stamp, blob);
        }
        Some(value)
    }

    /// Whether `name` is among the macro names of a crate's source folder,
    /// which `scan` gathers for the first thread that asks.
    fn has_macro(&self, dir: &Path, name: &str, scan: impl FnOnce() -> HashSet<String>) -> bool {
        let cell = {
            let mut macros = self.macros.lock().unwrap_or_else(|e| e.into_inner());
            macros.entry(dir.to_path_buf()).or_default().clone()
        };
        cell.get_or_init(scan).contains(name)
    }

    /// How many third-party files were looked at (parsed or found unreadable).
    #[cfg(test)]
    fn files_looked_at(&self) -> usize {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// A name set from the cache, or computed by `compute` and stored.
    fn name_set(&self, key: NameSetKey, compute: impl FnOnce() -> NameSet) -> Arc<NameSet> {
        if let Some(found) = self.names.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return found.clone();
        }
        let set = Arc::new(compute());
        self.names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_insert(set)
            .clone()
    }
}

/// One third-party file's facts plus what the generic facts leave out.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct ParsedFile {
    pub(crate) facts: FileFacts,
    /// The file's names cannot be known statically (the facts' `exports.dynamic`,
    /// refined per language: harmless Rust macros cleared, Python `sys.modules` tricks added).
    pub(crate) dynamic: bool,
    /// TS: the file holds `declare module "x" { ... }` blocks, whose contents the facts do not record.
    pub(crate) ambient_modules: bool,
    /// TS `export = X`: the members of namespace `X` when they could be read.
    pub(crate) export_equals: Option<Option<HashSet<String>>>,
    /// Names bound in ways the facts do not record (Python `for` targets,
    /// `with ... as`, `global`; TS `export import X = ...`).
    pub(crate) extra_names: Vec<String>,
}

fn parse_external(path: &Path) -> Option<ParsedFile> {
    let text = read_source(path)?;
    let rel = path.to_string_lossy().replace('\\', "/");
    let language = if rel.ends_with(".d.ts") || rel.ends_with(".d.mts") || rel.ends_with(".d.cts") {
        Language::TypeScript
    } else {
        Language::from_path(path)?
    };
    let (mut facts, tree) = crate::parse::extract_facts_and_tree(&rel, language, &text);
    // Only for fingerprints of findings, never made in these files; the store does not keep them.
    facts.line_hashes = Vec::new();
    let mut file = ParsedFile {
        dynamic: facts.exports.dynamic,
        facts,
        ambient_modules: false,
        export_equals: None,
        extra_names: Vec::new(),
    };
    match language.ecosystem() {
        Ecosystem::Python => python::refine(&mut file, &text),
        Ecosystem::Rust => rust::refine(&mut file, &text, tree.as_ref().map(|t| t.root_node())),
        Ecosystem::Js => js::refine(&mut file, language, &text),
    }
    Some(file)
}

/// A source file's text, or `None` when it is missing, a directory, over the
/// size limit or not UTF-8.
fn read_source(path: &Path) -> Option<String> {
    #[cfg(test)]
    tests::SOURCES_READ.with(|n| n.set(n.get() + 1));
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    String::from_utf8(std::fs::read(path).ok()?).ok()
}

/// The names a module makes importable, and whether that list is complete.
#[derive(Debug, Default)]
pub(crate) struct NameSet {
    pub(crate) names: HashSet<String>,
    /// False when some names may be missing (dynamic module, unfollowed star re-export).
    pub(crate) complete: bool,
}

impl NameSet {
    fn complete() -> Self {
        NameSet {
            names: HashSet::new(),
            complete: true,
        }
    }

    /// `Some(true)` when listed, `Some(false)` when the list is complete, else `None`.
    fn answer(&self, name: &str) -> Option<bool> {
        if self.names.contains(name) {
            Some(true)
        } else if self.complete {
            Some(false)
        } else {
            None
        }
    }
}

/// A stable hash of the search roots, part of the name-set cache key (the
/// same file can resolve its absolute imports differently under other roots).
fn roots_key(roots: &[PathBuf]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    roots.hash(&mut h);
    h.finish()
}

/// Joins two answers about the same name from two sources (stub and runtime,
/// or two alternative files): present in either is present; absent only when
/// both are sure.
fn either(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
