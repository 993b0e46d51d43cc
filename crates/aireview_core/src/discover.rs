//! Discovery: one (parallel) walk of the project root with the `ignore`
//! walker, yielding source files with their language, plus the manifests and sub-folder
//! configuration files the walk passes. Bad paths are warnings.

use crate::config::CONFIG_FILE;
use crate::diagnostic::Warning;
use crate::lang::Language;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Folders skipped by default: dependencies, virtual environments, build output, caches.
pub const DEFAULT_SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "vendor",
    "third_party",
    "jspm_packages",
    "target",
    ".venv",
    "venv",
    "site-packages",
    "__pycache__",
    "dist",
    "build",
    "out",
    ".next",
    ".nuxt",
    ".svelte-kit",
    "coverage",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".aireview_cache",
    ".git",
    ".hg",
    ".svn",
];

/// The file name of the project-level ignore file (gitignore syntax).
pub const IGNORE_FILE: &str = ".aireviewignore";

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path to read from.
    pub path: PathBuf,
    /// Project-relative path with `/` separators.
    pub rel: String,
    pub language: Language,
    /// The user asked to review this file (it is under a given path or is a
    /// given file); other files only feed the project model.
    pub reported: bool,
}

#[derive(Debug, Default)]
pub struct Discovery {
    /// Sorted by `rel`.
    pub files: Vec<SourceFile>,
    /// Project-relative paths of dependency manifests, sorted.
    pub manifests: Vec<String>,
    /// Project-relative paths of sub-folder `aireview.toml` files, sorted.
    pub config_files: Vec<String>,
    /// Compiled or Cython Python modules (`.so`, `.pyd`, `.pyx`), as
    /// project-relative paths without extension: imports of them resolve.
    pub native_modules: Vec<String>,
    /// Jinja / Django template files (see `template::is_template_path`),
    /// sorted by `rel`. They are not parsed; `language` is Python, whose
    /// frameworks render them.
    pub templates: Vec<SourceFile>,
    pub warnings: Vec<Warning>,
}

/// `path` relative to `root`, `/`-separated; `None` when outside it.
pub fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    // The common case, a plain UTF-8 path with `/` separators and no `.`
    // or `..` parts, needs no taking apart (the walk asks for every file).
    #[cfg(unix)]
    if let Some(text) = rel.to_str() {
        let plain = !text.starts_with('/')
            && !text.ends_with('/')
            && !text.contains("//")
            && text.split('/').all(|part| part != "." && part != "..");
        if plain {
            return Some(text.to_string());
        }
    }
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    Some(parts.join("/"))
}

/// A file the walk found: a source file, or a template (`language` is
/// Python, whose frameworks render them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedFile {
    /// Path to read from (not stored: a stored listing is used only when
    /// each path is `root` joined with `rel`).
    #[serde(skip)]
    pub path: PathBuf,
    /// Project-relative path with `/` separators.
    pub rel: String,
    pub language: Language,
    pub template: bool,
}

/// What the walk found, before the targets decide what is reported: the
/// part of a `Discovery` that does not depend on the paths asked for, so a
/// warm run can reuse it (see `walk_cache`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// Source files and templates, sorted by `rel`.
    pub files: Vec<ListedFile>,
    pub manifests: Vec<String>,
    pub config_files: Vec<String>,
    pub native_modules: Vec<String>,
    /// Unreadable folders, broken links, symlink loops (sorted).
    pub warnings: Vec<Warning>,
}

/// A walk's listing and what it looked at: the folders it listed or looked
/// into, and the symbolic links it followed (the walk cache stamps them).
#[derive(Debug, Default)]
pub struct Walk {
    pub listing: Listing,
    /// Every folder listed, and those looked into without being listed (a
    /// `build` checked for `__init__.py`), sorted.
    pub folders: Vec<PathBuf>,
    /// Entries that are symbolic links, followed to what they point at.
    pub links: Vec<PathBuf>,
}

/// Walks `root`. `targets` are the paths the user gave (absolute); files under
/// a target folder, and target files themselves (even if ignored), are
/// `reported`. `excluded` answers for config `exclude` globs.
pub fn discover(root: &Path, targets: &[PathBuf], excluded: &dyn Fn(&str) -> bool) -> Discovery {
    apply_targets(root, walk(root, excluded).listing, targets)
}

/// Walks `root` with the `ignore` walker (in parallel), skipping
/// `DEFAULT_SKIPPED_DIRS` and files `excluded` answers for.
pub fn walk(root: &Path, excluded: &dyn Fn(&str) -> bool) -> Walk {
    let mut out = Walk::default();
    let peeked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut walker = ignore::WalkBuilder::new(root);
    walker
        .follow_links(true)
        .require_git(false)
        .add_custom_ignore_filename(IGNORE_FILE)
        .filter_entry({
            let peeked = std::sync::Arc::clone(&peeked);
            move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                let name = entry.file_name().to_str().unwrap_or("");
                if !is_dir || entry.depth() == 0 || !DEFAULT_SKIPPED_DIRS.contains(&name) {
                    return true;
                }
                // `build`, `dist` and `out` are sometimes real Python packages.
                if !matches!(name, "build" | "dist" | "out") {
                    return false;
                }
                peeked
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(entry.path().to_path_buf());
                entry.path().join("__init__.py").is_file()
            }
        });
    // Walk in parallel: on a warm run the walk's syscalls and ignore-file
    // matching are a large share of the time. Everything collected is
    // sorted below, so the order of the walk does not matter.
    let found = std::sync::Mutex::new(Vec::new());
    walker.build_parallel().run(|| {
        let found = &found;
        Box::new(move |result| {
            found
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(result);
            ignore::WalkState::Continue
        })
    });
    let found = found.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let listing = &mut out.listing;
    for result in found {
        let entry = match result {
            Ok(entry) => entry,
            Err(err) => {
                listing.warnings.push(walk_warning(root, &err));
                continue;
            }
        };
        if entry.path_is_symlink() {
            out.links.push(entry.path().to_path_buf());
        }
        if entry.file_type().is_some_and(|t| t.is_dir()) {
            out.folders.push(entry.path().to_path_buf());
            continue;
        }
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Some(rel) = relative_path(root, path) else {
            continue;
        };
        if excluded(&rel) {
            continue;
        }
        let name = entry.file_name().to_str().unwrap_or("");
        if name == CONFIG_FILE && rel.contains('/') {
            listing.config_files.push(rel.clone());
        }
        if aireview_manifest::is_manifest_path(&rel) {
            listing.manifests.push(rel.clone());
        }
        let language = match Language::from_path(path) {
            Some(language) => language,
            None => {
                if let Some(stem) = native_module_stem(&rel) {
                    listing.native_modules.push(stem);
                } else if crate::template::is_template_path(&rel) {
                    listing.files.push(ListedFile {
                        path: path.to_path_buf(),
                        rel,
                        language: Language::Python,
                        template: true,
                    });
                }
                continue;
            }
        };
        listing.files.push(ListedFile {
            path: path.to_path_buf(),
            rel,
            language,
            template: false,
        });
    }
    out.folders
        .append(&mut peeked.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    out.folders.sort();
    out.folders.dedup();
    out.links.sort();
    listing.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    listing.warnings.sort();
    listing.manifests.sort();
    listing.config_files.sort();
    listing.native_modules.sort();
    out
}

/// The `Discovery` for these targets: which listed files are `reported`,
/// and the explicit target files the walk did not list (ignored or
/// excluded ones are reviewed all the same).
pub fn apply_targets(root: &Path, listing: Listing, targets: &[PathBuf]) -> Discovery {
    let mut out = Discovery {
        manifests: listing.manifests,
        config_files: listing.config_files,
        native_modules: listing.native_modules,
        warnings: listing.warnings,
        ..Discovery::default()
    };
    let mut seen = BTreeSet::new();
    for file in listing.files {
        let reported = targets.iter().any(|t| file.path.starts_with(t));
        seen.insert(file.rel.clone());
        let source = SourceFile {
            path: file.path,
            rel: file.rel,
            language: file.language,
            reported,
        };
        if file.template {
            out.templates.push(source);
        } else {
            out.files.push(source);
        }
    }
    // Explicit files are reviewed even when ignored or excluded.
    for target in targets.iter().filter(|t| t.is_file()) {
        let Some(rel) = relative_path(root, target) else {
            continue;
        };
        if seen.contains(&rel) {
            continue;
        }
        let is_manifest = aireview_manifest::is_manifest_path(&rel);
        match Language::from_path(target) {
            Some(language) => out.files.push(SourceFile {
                path: target.clone(),
                rel,
                language,
                reported: true,
            }),
            // Manifests are read with the project; their findings are reported.
            None if is_manifest => {}
            None => out.warnings.push(Warning::new(
                rel,
                "not a Python, TypeScript/JavaScript or Rust file; skipped",
            )),
        }
    }
    out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.warnings.sort();
    out
}

/// `pkg/_speedups.cpython-311-x86_64-linux-gnu.so` -> `pkg/_speedups`.
fn native_module_stem(rel: &str) -> Option<String> {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let ext = name.rsplit('.').next()?;
    if !matches!(ext, "so" | "pyd" | "pyx") {
        return None;
    }
    let stem = name.split('.').next()?;
    Some(if dir.is_empty() {
        stem.to_string()
    } else {
        format!("{dir}/{stem}")
    })
}

/// One line for a walker error, naming the path.
fn walk_warning(root: &Path, err: &ignore::Error) -> Warning {
    fn inner<'e>(err: &'e ignore::Error, path: &mut Option<PathBuf>) -> &'e ignore::Error {
        match err {
            ignore::Error::WithPath { path: p, err } => {
                *path = Some(p.clone());
                inner(err, path)
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => inner(err, path),
            other => other,
        }
    }
    let mut path = None;
    let cause = inner(err, &mut path);
    let show = |p: &Path| match relative_path(root, p) {
        Some(r) if r.is_empty() => ".".to_string(),
        Some(r) => r,
        None => p.display().to_string(),
    };
    match cause {
        ignore::Error::Loop { ancestor, child } => Warning::new(
            show(child),
            format!("symlink loop (points back to {}); not followed", show(ancestor)),
        ),
        ignore::Error::Io(io) => {
            // The OS error is wrapped with the path, which is already named.
            // A followed link whose target is missing comes with or without
            // the OS code depending on the walker.
            let cause = match (io.raw_os_error(), io.kind()) {
                (_, std::io::ErrorKind::NotFound) => "it does not exist (a broken symlink?)".to_string(),
                (Some(code), _) => std::io::Error::from_raw_os_error(code).to_string(),
                (None, std::io::ErrorKind::PermissionDenied) => "permission denied".to_string(),
                (None, kind) => kind.to_string(),
            };
            Warning::new(
                path.as_deref().map_or_else(|| root.display().to_string(), show),
                format!("cannot read: {cause}; skipped"),
            )
        }
        other => Warning::new(
            path.as_deref().map_or_else(|| root.display().to_string(), show),
            other.to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_slash_separated_and_normalised() {
        let root = Path::new("/p/root");
        let rel = |p: &str| relative_path(root, Path::new(p));
        assert_eq!(rel("/p/root/a/b.py").as_deref(), Some("a/b.py"));
        assert_eq!(rel("/p/root").as_deref(), Some(""));
        assert_eq!(rel("/p/root/a/./b.py").as_deref(), Some("a/b.py"));
        assert_eq!(rel("/p/root/a//b.py").as_deref(), Some("a/b.py"));
        assert_eq!(rel("/p/other/a.py"), None);
    }
}
