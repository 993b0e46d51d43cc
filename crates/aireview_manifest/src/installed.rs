//! What a project has installed next to it: the Python distributions of its
//! virtual environment and the folders Node resolves packages from.
//!
//! The project model reads this once; rules never do. Unreadable or broken
//! metadata is skipped: an environment only ever adds knowledge.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::tables::normalize_python_name;

/// Folder names of project-local virtual environments, in the order tried.
const VENV_NAMES: [&str; 3] = [".venv", "venv", "env"];

/// The Python distributions installed in an environment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InstalledPython {
    /// The environment's `site-packages` folders.
    pub site_packages: Vec<PathBuf>,
    /// Installed distributions, sorted by normalized name.
    pub dists: Vec<InstalledDist>,
}

/// One installed distribution and the top-level names it makes importable
/// (dotted for namespace packages, as in `google.protobuf`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct InstalledDist {
    /// The `Name:` of its metadata, as spelled there.
    pub name: String,
    /// Sorted, without duplicates; empty when the metadata does not say.
    pub import_names: Vec<String>,
}

impl InstalledPython {
    /// The installed distributions that provide `import` (dotted or not; a
    /// dotted import matches a namespace entry that is a prefix of it).
    pub fn dists_for_import(&self, import: &str) -> Vec<&InstalledDist> {
        self.dists
            .iter()
            .filter(|d| {
                d.import_names.iter().any(|n| {
                    import == n || (import.starts_with(n.as_str()) && import.as_bytes().get(n.len()) == Some(&b'.'))
                })
            })
            .collect()
    }

    /// The installed distribution named `name` (compared per PEP 503).
    pub fn dist(&self, name: &str) -> Option<&InstalledDist> {
        let wanted = normalize_python_name(name);
        self.dists.iter().find(|d| normalize_python_name(&d.name) == wanted)
    }
}

/// The virtual environment serving `package_dir`: the nearest `.venv`,
/// `venv` or `env` folder holding a `pyvenv.cfg`, looking from `package_dir`
/// up to `project_root`; else `virtual_env` (the caller's `$VIRTUAL_ENV`,
/// passed in so the library never reads the process environment) when it
/// has a `site-packages`.
pub fn find_python_env(package_dir: &Path, project_root: &Path, virtual_env: Option<&Path>) -> Option<PathBuf> {
    for dir in dirs_up_to(package_dir, project_root) {
        for name in VENV_NAMES {
            let candidate = dir.join(name);
            if candidate.join("pyvenv.cfg").is_file() {
                return Some(candidate);
            }
        }
    }
    virtual_env
        .filter(|env| !site_packages_dirs(env).is_empty())
        .map(Path::to_path_buf)
}

/// The `site-packages` folders of an environment: `lib/python3.*/site-packages`
/// (also under `lib64`) on POSIX, `Lib/site-packages` on Windows. Sorted, and
/// a `lib64` that links to `lib` is listed once.
pub fn site_packages_dirs(env: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Vec::new();
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    let mut push = |path: PathBuf| {
        if path.is_dir() {
            let key = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if seen.insert(key) {
                found.push(path);
            }
        }
    };
    for lib in ["lib", "lib64"] {
        let Ok(entries) = fs::read_dir(env.join(lib)) else {
            continue;
        };
        let mut pythons: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with("python3")))
            .map(|e| e.path().join("site-packages"))
            .collect();
        pythons.sort();
        pythons.into_iter().for_each(&mut push);
    }
    push(env.join("Lib").join("site-packages"));
    found
}

/// The environment serving `package_dir` (see [`find_python_env`]) and what
/// is installed in it; `None` when there is no environment.
pub fn installed_python(
    package_dir: &Path,
    project_root: &Path,
    virtual_env: Option<&Path>,
) -> Option<InstalledPython> {
    let env = find_python_env(package_dir, project_root, virtual_env)?;
    let site_packages = site_packages_dirs(&env);
    let dists = read_installed_dists(&site_packages);
    Some(InstalledPython { site_packages, dists })
}

/// Every distribution described by a `*.dist-info` (or legacy `*.egg-info`)
/// folder in the given `site-packages` folders, sorted by normalized name.
/// The first folder wins when two hold the same distribution.
pub fn read_installed_dists(site_packages: &[PathBuf]) -> Vec<InstalledDist> {
    let mut dists: Vec<InstalledDist> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for dir in site_packages {
        let Ok(entries) = fs::read_dir(dir) else { continue };
        let mut infos: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|ext| ext == "dist-info" || ext == "egg-info") && p.is_dir())
            .collect();
        infos.sort();
        for info in infos {
            if let Some(dist) = read_dist_info(&info) {
                if seen.insert(normalize_python_name(&dist.name)) {
                    dists.push(dist);
                }
            }
        }
    }
    dists.sort_by_cached_key(|d| (normalize_python_name(&d.name), d.name.clone()));
    dists
}

/// One distribution from its metadata folder; `None` when it names none.
fn read_dist_info(info: &Path) -> Option<InstalledDist> {
    let metadata = ["METADATA", "PKG-INFO"]
        .iter()
        .find_map(|f| fs::read(info.join(f)).ok())?;
    let name = metadata_name(&String::from_utf8_lossy(&metadata))?;
    let record: Vec<String> = fs::read(info.join("RECORD"))
        .or_else(|_| fs::read(info.join("installed-files.txt")))
        .map(|bytes| record_paths(&String::from_utf8_lossy(&bytes)))
        .unwrap_or_default();
    let top_level: Vec<String> = fs::read(info.join("top_level.txt"))
        .map(|bytes| {
            String::from_utf8_lossy(&bytes)
                .lines()
                .map(|l| l.trim().replace(['/', '\\'], "."))
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let import_names = import_names_from(&top_level, &record);
    Some(InstalledDist { name, import_names })
}

/// The `Name:` header of core metadata (the headers end at the first blank line).
fn metadata_name(text: &str) -> Option<String> {
    text.lines()
        .take_while(|l| !l.trim().is_empty())
        .find_map(|l| l.strip_prefix("Name:"))
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
}

/// The installed paths of a RECORD (CSV: path first) relative to
/// `site-packages`, with `/` separators; paths leaving it (`../../bin/x`) are
/// dropped. Also reads an egg-info `installed-files.txt` (one path a line).
fn record_paths(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let path = match line.strip_prefix('"') {
                Some(quoted) => quoted.split('"').next()?,
                None => line.split(',').next()?,
            };
            let path = path.replace('\\', "/");
            (!path.is_empty() && !path.starts_with("..") && !path.starts_with('/')).then_some(path)
        })
        .collect()
}

/// Import names from `top_level.txt` (when present) refined by RECORD:
/// a top level without `__init__.py` or module file is a namespace, listed
/// by the packages under it.
fn import_names_from(top_level: &[String], record: &[String]) -> Vec<String> {
    let files: BTreeSet<&str> = record.iter().map(String::as_str).collect();
    let mut tops: BTreeSet<String> = BTreeSet::new();
    for path in &files {
        let first = path.split('/').next().unwrap_or_default();
        if first.ends_with(".dist-info") || first.ends_with(".egg-info") || first.ends_with(".data") {
            continue;
        }
        if path.contains('/') {
            tops.insert(first.to_string());
        } else if let Some(module) = module_name(first) {
            tops.insert(module.to_string());
        }
    }
    let declared: BTreeSet<&str> = top_level
        .iter()
        .map(|t| t.split('.').next().unwrap_or_default())
        .collect();
    if !declared.is_empty() {
        let kept: BTreeSet<String> = tops.iter().filter(|t| declared.contains(t.as_str())).cloned().collect();
        tops = if kept.is_empty() {
            declared.iter().map(|t| t.to_string()).collect()
        } else {
            kept
        };
    }
    let mut out: BTreeSet<String> = BTreeSet::new();
    for top in tops {
        if !is_identifier(&top) || top == "__pycache__" || top.starts_with("__editable__") {
            continue;
        }
        let is_package = files.contains(format!("{top}/__init__.py").as_str());
        let is_module = files
            .iter()
            .any(|f| !f.contains('/') && module_name(f) == Some(top.as_str()));
        let has_children = files.iter().any(|f| f.starts_with(&format!("{top}/")));
        if is_package || is_module || !has_children {
            out.insert(top);
        } else {
            let before = out.len();
            expand_namespace(&top, &files, 0, &mut out);
            if out.len() == before {
                out.insert(top);
            }
        }
    }
    out.into_iter().collect()
}

/// Dotted names of the regular packages and modules under namespace `prefix`.
fn expand_namespace(prefix: &str, files: &BTreeSet<&str>, depth: usize, out: &mut BTreeSet<String>) {
    let start = format!("{prefix}/");
    let children: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.strip_prefix(start.as_str()))
        .filter_map(|rest| rest.split('/').next())
        .collect();
    // Private children (`google/_upb`) are implementation details of one
    // distribution, not names a project imports.
    for child in children.into_iter().filter(|c| !c.starts_with('_')) {
        let path = format!("{prefix}/{child}");
        let dotted = |name: &str| format!("{}.{name}", prefix.replace('/', "."));
        let nested = files.iter().any(|f| f.starts_with(&format!("{path}/")));
        if nested && is_identifier(child) {
            if files.contains(format!("{path}/__init__.py").as_str()) || depth >= 3 {
                out.insert(dotted(child));
            } else {
                expand_namespace(&path, files, depth + 1, out);
            }
        } else if let Some(module) = module_name(child).filter(|m| *m != "__init__") {
            out.insert(dotted(module));
        }
    }
}

/// The module a top-level file defines: `six.py` → `six`,
/// `_cffi_backend.cpython-311-x86_64-linux-gnu.so` → `_cffi_backend`.
fn module_name(file: &str) -> Option<&str> {
    let (stem, _) = file.split_once('.')?;
    let is_code = [".py", ".so", ".pyd", ".pyi"].iter().any(|ext| file.ends_with(ext));
    (is_code && is_identifier(stem)).then_some(stem)
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic()) && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// `package_dir` and its ancestors up to and including `project_root`, nearest
/// first; only `package_dir` when it is not inside `project_root`.
fn dirs_up_to(package_dir: &Path, project_root: &Path) -> Vec<PathBuf> {
    if !package_dir.starts_with(project_root) {
        return vec![package_dir.to_path_buf()];
    }
    package_dir
        .ancestors()
        .take_while(|dir| dir.starts_with(project_root))
        .map(Path::to_path_buf)
        .collect()
}

/// The `node_modules` folders Node would search for a file in `package_dir`,
/// nearest first, up to the project root.
pub fn node_modules_dirs(package_dir: &Path, project_root: &Path) -> Vec<PathBuf> {
    dirs_up_to(package_dir, project_root)
        .into_iter()
        .map(|dir| dir.join("node_modules"))
        .filter(|dir| dir.is_dir())
        .collect()
}

/// The package a bare specifier imports: `lodash/fp` → `lodash`,
/// `@scope/name/sub` → `@scope/name`. `None` for relative, absolute and
/// malformed specifiers.
pub fn node_package_name(specifier: &str) -> Option<&str> {
    if specifier.is_empty() || specifier.starts_with(['.', '/', '#']) || specifier.contains('\\') {
        return None;
    }
    let end = if specifier.starts_with('@') {
        let slash = specifier.find('/').filter(|&i| i > 1)?;
        specifier[slash + 1..]
            .find('/')
            .map_or(specifier.len(), |i| slash + 1 + i)
    } else {
        specifier.find('/').unwrap_or(specifier.len())
    };
    let name = &specifier[..end];
    let valid = name
        .split('/')
        .all(|part| !part.is_empty() && part != "." && part != "..")
        && name != "@"
        && !name.ends_with('/');
    valid.then_some(name)
}

/// The folder of package `name` (`lodash`, `@scope/name`, or a specifier
/// with a subpath) in the first of `dirs` that has it with a `package.json`.
pub fn installed_node_package(dirs: &[PathBuf], name: &str) -> Option<PathBuf> {
    let package = node_package_name(name)?;
    dirs.iter()
        .map(|dir| dir.join(package))
        .find(|dir| dir.join("package.json").is_file())
}

#[cfg(test)]
mod tests;
