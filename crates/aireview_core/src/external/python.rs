//! Python: the names of an installed module, from `site-packages` sources
//! and stubs (`x-stubs` packages and `.pyi` files next to the code).
//!
//! A module's names are everything bound at module level (private and
//! conditional ones too), `__all__`, names brought in by `from x import *`
//! (followed on disk, bounded and cycle-safe) and, for a package, its
//! submodules on disk. Stubs answer first; the runtime source can still show a
//! name the stubs leave out, and a stub package marked `partial` never denies.

use super::{either, roots_key, ExternalExports, NameSet, ParsedFile, MAX_DEPTH};
use crate::facts::ImportKind;
use regex::Regex;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub(super) fn exports_name(cache: &ExternalExports, paths: &[PathBuf], module: &str, name: &str) -> Option<bool> {
    let parts: Vec<&str> = module.split('.').collect();
    if !parts.iter().all(|p| is_identifier(p)) || !is_identifier(name) {
        return None;
    }
    let found = resolve(paths, &parts);
    if found.is_empty() {
        return None;
    }
    if found.package_dirs.iter().any(|d| has_submodule(d, name)) {
        return Some(true);
    }
    let answer_of = |file: &ModuleFile| names_of(cache, paths, file, View::All).answer(name);
    let stub = found.stub.as_ref().map(answer_of).map(|a| {
        // A partial stub package leaves names out on purpose.
        if found.stub_partial && a == Some(false) {
            None
        } else {
            a
        }
    });
    let source = found.source.as_ref().map(answer_of).map(|a| {
        // A compiled extension of the same name is imported before the `.py` fallback.
        if found.compiled && a == Some(false) {
            None
        } else {
            a
        }
    });
    match (stub, source) {
        (Some(s), Some(r)) => match either(s, r) {
            Some(true) => Some(true),
            // Stubs are preferred: they describe what dynamic runtime code provides.
            _ if s == Some(false) => Some(false),
            _ => r,
        },
        (Some(s), None) => s,
        (None, Some(r)) => r,
        // A namespace package or a compiled module: nothing to read.
        (None, None) => None,
    }
}

/// Which names of a module a lookup wants.
#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    /// Everything `from m import x` can import.
    All,
    /// What `from m import *` brings in: `__all__`, else the public names.
    Star,
}

/// One file implementing a module.
#[derive(Clone, Debug)]
struct ModuleFile {
    path: PathBuf,
    /// A `.pyi` stub rather than runtime code.
    stub: bool,
}

/// Where a dotted module lives under the search paths.
#[derive(Debug, Default)]
struct Resolved {
    stub: Option<ModuleFile>,
    /// The stub comes from an `x-stubs` package whose `py.typed` says `partial`.
    stub_partial: bool,
    source: Option<ModuleFile>,
    /// Directories whose entries are submodules (the module is a package).
    package_dirs: Vec<PathBuf>,
    /// A compiled extension module (`.so`/`.pyd`) with this name exists.
    compiled: bool,
}

impl Resolved {
    fn is_empty(&self) -> bool {
        self.stub.is_none() && self.source.is_none() && self.package_dirs.is_empty() && !self.compiled
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}

fn resolve(paths: &[PathBuf], parts: &[&str]) -> Resolved {
    let mut found = Resolved::default();
    let Some((top, rest)) = parts.split_first() else {
        return found;
    };
    for root in paths {
        let stubs_root = root.join(format!("{top}-stubs"));
        let stubs_dir = rest.iter().fold(stubs_root.clone(), |d, p| d.join(p));
        let runtime_dir = parts.iter().fold(root.clone(), |d, p| d.join(p));
        if found.stub.is_none() {
            let in_stubs = module_file(&stubs_dir, &["pyi"]);
            let partial = in_stubs.is_some() && is_partial(&stubs_root);
            found.stub = in_stubs.or_else(|| module_file(&runtime_dir, &["pyi"]));
            found.stub_partial = partial;
        }
        if found.source.is_none() {
            found.source = module_file(&runtime_dir, &["py"]);
        }
        for dir in [&stubs_dir, &runtime_dir] {
            if dir.is_dir() {
                found.package_dirs.push(dir.clone());
            }
        }
        if let (Some(parent), Some(last)) = (runtime_dir.parent(), parts.last()) {
            found.compiled |= has_extension_module(parent, last);
        }
    }
    found
}

/// `dir.ext` or `dir/__init__.ext` for the first extension that exists.
fn module_file(dir: &Path, exts: &[&str]) -> Option<ModuleFile> {
    for ext in exts {
        let stub = *ext == "pyi";
        let file = dir.with_extension(ext);
        // `with_extension` would replace a dotted last component; module names have none.
        if file.is_file() {
            return Some(ModuleFile { path: file, stub });
        }
        let init = dir.join(format!("__init__.{ext}"));
        if init.is_file() {
            return Some(ModuleFile { path: init, stub });
        }
    }
    None
}

/// PEP 561: a stub-only package whose `py.typed` holds `partial`.
fn is_partial(stubs_root: &Path) -> bool {
    super::read_source(&stubs_root.join("py.typed")).is_some_and(|t| t.contains("partial"))
}

/// A compiled module `name.so`, `name.pyd` or `name.<tag>.so` in `dir`.
fn has_extension_module(dir: &Path, name: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let file = e.file_name();
        let file = file.to_string_lossy();
        file.strip_prefix(name)
            .is_some_and(|rest| rest.starts_with('.') && (rest.ends_with(".so") || rest.ends_with(".pyd")))
    })
}

/// Whether package directory `dir` holds a submodule or subpackage `name`.
fn has_submodule(dir: &Path, name: &str) -> bool {
    let base = dir.join(name);
    base.with_extension("py").is_file()
        || base.with_extension("pyi").is_file()
        || base.is_dir()
        || has_extension_module(dir, name)
}

fn names_of(cache: &ExternalExports, paths: &[PathBuf], file: &ModuleFile, view: View) -> std::sync::Arc<NameSet> {
    let key = (roots_key(paths), file.path.clone(), view as u8);
    cache.name_set(key, || {
        let mut visited = HashSet::from([file.path.clone()]);
        collect(cache, paths, file, view, &mut visited, 0)
    })
}

fn collect(
    cache: &ExternalExports,
    paths: &[PathBuf],
    file: &ModuleFile,
    view: View,
    visited: &mut HashSet<PathBuf>,
    depth: usize,
) -> NameSet {
    let Some(parsed) = cache.parsed(&file.path) else {
        return NameSet::default();
    };
    let facts = &parsed.facts;
    let mut set = NameSet::complete();
    set.complete = !parsed.dynamic;
    if view == View::Star {
        if let Some(all) = &facts.exports.dunder_all {
            set.names.extend(all.iter().cloned());
            return set;
        }
    }
    // A non-literal `__all__` can list anything, private names included.
    let opaque_all = facts.exports.dunder_all.is_none() && facts.definitions.iter().any(|d| d.name == "__all__");
    for def in &facts.definitions {
        set.names.insert(def.name.clone());
    }
    set.names.extend(parsed.extra_names.iter().cloned());
    for name in facts.exports.dunder_all.iter().flatten() {
        set.names.insert(name.clone());
    }
    for import in &facts.imports {
        if import.in_function {
            continue;
        }
        // `if TYPE_CHECKING:` imports bind nothing at run time, but type checkers accept them.
        if import.type_checking {
            for n in &import.names {
                set.names.insert(n.alias.clone().unwrap_or_else(|| n.name.clone()));
            }
            if import.kind == ImportKind::Import {
                let bound = import.alias.as_deref().or_else(|| import.module.split('.').next());
                set.names.extend(bound.map(str::to_string));
            }
        }
        if import.star && import.kind == ImportKind::From && !import.type_checking {
            let Some(target) = star_target(paths, file, import.level, &import.module) else {
                set.complete = false;
                continue;
            };
            if !visited.insert(target.path.clone()) {
                continue;
            }
            if depth >= MAX_DEPTH {
                set.complete = false;
                continue;
            }
            let inner = collect(cache, paths, &target, View::Star, visited, depth + 1);
            set.complete &= inner.complete;
            set.names.extend(inner.names);
        }
    }
    if view == View::Star {
        if opaque_all {
            set.complete = false;
        } else {
            set.names.retain(|n| !n.starts_with('_'));
        }
    }
    set
}

/// The file a `from <level dots><module> import *` in `file` reads.
fn star_target(paths: &[PathBuf], file: &ModuleFile, level: u32, module: &str) -> Option<ModuleFile> {
    let parts: Vec<&str> = module.split('.').filter(|p| !p.is_empty()).collect();
    let exts: &[&str] = if file.stub { &["pyi", "py"] } else { &["py", "pyi"] };
    if level == 0 {
        let found = resolve(paths, &parts);
        return if file.stub {
            found.stub.or(found.source)
        } else {
            found.source.or(found.stub)
        };
    }
    if parts.is_empty() {
        return None;
    }
    let mut dir = file.path.parent()?.to_path_buf();
    for _ in 1..level {
        dir = dir.parent()?.to_path_buf();
    }
    let target = parts.iter().fold(dir, |d, p| d.join(p));
    module_file(&target, exts)
}

/// Bindings the facts leave out: `for` targets, `with`/`except ... as`,
/// `global` declarations, walrus targets. Matched anywhere in the text (a
/// function's locals too): extra names only make a lookup more lenient.
fn extra_bindings_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?m)^[ \t]*(?:async[ \t]+)?for[ \t]+([^\n]+?)[ \t]+in\b|\bas[ \t]+([A-Za-z_]\w*)|^[ \t]*global[ \t]+([^\n#;]+)|([A-Za-z_]\w*)[ \t]*:=")
            .expect("valid regex")
    })
}

/// Python-specific corrections to the generic facts.
pub(super) fn refine(file: &mut ParsedFile, text: &str) {
    for caps in extra_bindings_re().captures_iter(text) {
        for group in caps.iter().skip(1).flatten() {
            file.extra_names.extend(
                group
                    .as_str()
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|w| is_identifier(w))
                    .map(str::to_string),
            );
        }
    }
    // `__getattr__` bound any way (lazy_loader assigns it), a module replaced
    // in `sys.modules`, or writes through `globals()`: names appear at run time.
    if file.facts.definitions.iter().any(|d| d.name == "__getattr__")
        || text.contains("modules[__name__]")
        || text.contains("globals()")
    {
        file.dynamic = true;
    }
}
