//! What each package root declares, in the form import checks need: per
//! ecosystem, a map from the key code imports by (a PEP 503-normalised
//! distribution, an npm package name, a Rust crate name with `_`) to the
//! declarations, plus lockfiles, Python version range and the installed
//! environment. Built once with the project model; rules never read
//! manifests themselves.

use crate::lang::Ecosystem;
use aireview_manifest::installed::{self, InstalledPython};
use aireview_manifest::tables::{self, PyVersion};
use aireview_manifest::{normalize_python_name, DepKind, DepSource, Dependency, Manifest, ManifestKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One declaration of a dependency, with the manifest that makes it.
#[derive(Clone, Debug)]
pub struct Declared {
    pub manifest: String,
    pub dep: Dependency,
}

impl Declared {
    /// Declared only for development: tests, linting, docs.
    pub fn is_dev(&self) -> bool {
        self.dep.kind == DepKind::Dev
    }
}

/// The declarations of one ecosystem in one package root.
#[derive(Clone, Debug, Default)]
pub struct EcosystemDeps {
    /// Import key -> declarations (several manifests may declare one package).
    pub declared: BTreeMap<String, Vec<Declared>>,
    /// The manifests of this ecosystem here, most authoritative first
    /// (the one a missing dependency should be added to comes first).
    pub manifests: Vec<String>,
    /// Some declarations cannot be read statically (`dynamic = ["dependencies"]`,
    /// a computed `install_requires`): absence proves nothing.
    pub incomplete: bool,
    /// Names this package is itself imported by (its own name, Cargo `[lib] name`).
    pub own_names: BTreeSet<String>,
}

/// A folder with manifests.
#[derive(Clone, Debug, Default)]
pub struct DepRoot {
    pub dir: String,
    pub python: Option<EcosystemDeps>,
    pub js: Option<EcosystemDeps>,
    pub rust: Option<EcosystemDeps>,
    /// Manifests here that failed to parse: what they declare is unknown.
    pub broken: Vec<String>,
    /// Python versions this package supports (from `requires-python`).
    pub python_versions: Option<(PyVersion, PyVersion)>,
    /// Installed Python distributions found in a virtual environment here.
    pub python_env: Option<InstalledPython>,
    /// `node_modules` folders here.
    pub node_modules: Vec<PathBuf>,
    /// Runtimes declared for JS (`bun`, `deno`).
    pub runtimes: BTreeSet<String>,
}

impl DepRoot {
    pub fn ecosystem(&self, eco: Ecosystem) -> Option<&EcosystemDeps> {
        match eco {
            Ecosystem::Python => self.python.as_ref(),
            Ecosystem::Js => self.js.as_ref(),
            Ecosystem::Rust => self.rust.as_ref(),
        }
    }
}

/// A lockfile and the packages it pins.
#[derive(Clone, Debug)]
pub struct Lock {
    pub path: String,
    pub ecosystem: Ecosystem,
    pub packages: BTreeSet<String>,
}

/// User settings that change how import names map to packages.
#[derive(Clone, Debug, Default)]
pub struct ImportSettings {
    /// Import name (Python top-level or dotted module) -> package names.
    pub package_map: BTreeMap<String, Vec<String>>,
    /// Module or package names that belong to the project.
    pub first_party: BTreeSet<String>,
    /// Names provided by the platform: never reported.
    pub known: BTreeSet<String>,
}

/// Where a dependency question for one file is answered.
pub enum Declaration<'a> {
    /// Declared by these manifests (nearest package root first).
    Declared(Vec<&'a Declared>),
    /// Not declared; add it to this manifest.
    Missing { manifest: &'a str },
    /// A manifest that would decide is broken, or declarations are incomplete.
    Unknown { broken: Option<&'a str> },
    /// No manifest of this ecosystem governs the file: nothing to check against.
    NoManifest,
}

#[derive(Default)]
pub struct DependencyModel {
    /// Package roots sorted by folder.
    pub roots: Vec<DepRoot>,
    pub locks: Vec<Lock>,
    /// The text of each manifest, for spans and fingerprints of findings in manifests.
    manifest_texts: BTreeMap<String, String>,
    pub settings: ImportSettings,
    /// Every manifest that was read, by path.
    pub manifests: BTreeMap<String, Manifest>,
    /// The parts of `python_candidates` that do not depend on the file, by
    /// dotted module: the same imports recur in hundreds of files.
    python_parts: std::sync::Mutex<HashMap<String, Arc<PythonParts>>>,
}

/// `python_candidates` before and after the environment's answer, which
/// depends on the file's folder.
struct PythonParts {
    mapped: Vec<String>,
    rest: Vec<String>,
}

/// Which manifest a missing dependency should be added to, best first.
fn kind_rank(kind: Option<ManifestKind>) -> u8 {
    match kind {
        Some(ManifestKind::Pyproject) => 0,
        Some(ManifestKind::SetupCfg) => 1,
        Some(ManifestKind::SetupPy) => 2,
        Some(ManifestKind::Requirements) => 3,
        Some(ManifestKind::PackageJson) => 0,
        Some(ManifestKind::CargoToml) => 0,
        _ => 9,
    }
}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Whether a manifest's declarations cannot be read statically: a
/// pyproject that declares `dynamic = ["dependencies"]` (filled from other
/// files by the build backend), or a setup.py whose `install_requires` is
/// computed.
fn declarations_incomplete(m: &Manifest, text: Option<&str>) -> bool {
    let Some(text) = text else {
        return false;
    };
    match m.kind {
        Some(ManifestKind::Pyproject) => text
            .parse::<toml::Table>()
            .ok()
            .and_then(|t| t.get("project")?.get("dynamic")?.as_array().cloned())
            .is_some_and(|d| d.iter().any(|v| v.as_str() == Some("dependencies"))),
        Some(ManifestKind::SetupPy) => text.contains("install_requires") && m.dependencies.is_empty(),
        _ => false,
    }
}

/// Whether a pyproject.toml is managed by Poetry.
pub fn is_poetry(text: &str) -> bool {
    text.contains("[tool.poetry")
}

/// Whether `rel` lies in folder `dir` ("" is the project root).
pub fn is_under(rel: &str, dir: &str) -> bool {
    dir.is_empty() || rel == dir || (rel.starts_with(dir) && rel.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// The key a Rust crate is imported by.
pub fn rust_key(name: &str) -> String {
    name.replace('-', "_")
}

impl DependencyModel {
    /// Builds the dependency view from parsed manifests. `broken` lists
    /// manifests that failed to parse; `virtual_env` is `$VIRTUAL_ENV`.
    pub fn build(
        root: &Path,
        manifests: Vec<Manifest>,
        broken: &[String],
        settings: ImportSettings,
        virtual_env: Option<&Path>,
    ) -> DependencyModel {
        let mut model = DependencyModel {
            settings,
            ..DependencyModel::default()
        };
        let mut roots: BTreeMap<String, DepRoot> = BTreeMap::new();
        for b in broken {
            let dir = dir_of(b).to_string();
            let r = roots.entry(dir.clone()).or_insert_with(|| DepRoot {
                dir,
                ..DepRoot::default()
            });
            r.broken.push(b.clone());
        }
        let mut sorted = manifests;
        sorted.sort_by(|a, b| (kind_rank(a.kind), &a.path).cmp(&(kind_rank(b.kind), &b.path)));
        for m in &sorted {
            if let Ok(text) = std::fs::read_to_string(root.join(&m.path)) {
                model.manifest_texts.insert(m.path.clone(), text);
            }
            if let Some(locked) = &m.locked {
                let name = m.path.rsplit('/').next().unwrap_or(&m.path);
                let ecosystem = match name {
                    "Cargo.lock" => Ecosystem::Rust,
                    "uv.lock" | "poetry.lock" => Ecosystem::Python,
                    _ => Ecosystem::Js,
                };
                model.locks.push(Lock {
                    path: m.path.clone(),
                    ecosystem,
                    packages: locked.clone(),
                });
                continue;
            }
            let ecosystem = match m.kind {
                Some(
                    ManifestKind::Pyproject
                    | ManifestKind::SetupCfg
                    | ManifestKind::SetupPy
                    | ManifestKind::Requirements,
                ) => Ecosystem::Python,
                Some(ManifestKind::PackageJson) => Ecosystem::Js,
                Some(ManifestKind::CargoToml) => Ecosystem::Rust,
                _ => continue,
            };
            // A Cargo virtual manifest declares nothing for code; a pyproject
            // that only configures tools is not a package either.
            if ecosystem == Ecosystem::Rust && m.name.is_none() {
                continue;
            }
            if m.kind == Some(ManifestKind::Pyproject) && m.name.is_none() && m.dependencies.is_empty() {
                continue;
            }
            // Requirements files in a `requirements/` folder belong to the folder above.
            let mut dir = dir_of(&m.path).to_string();
            if m.kind == Some(ManifestKind::Requirements) && dir.rsplit('/').next() == Some("requirements") {
                dir = dir_of(&dir).to_string();
            }
            let r = roots.entry(dir.clone()).or_insert_with(|| DepRoot {
                dir,
                ..DepRoot::default()
            });
            if ecosystem == Ecosystem::Python {
                if let Some(spec) = &m.requires_python {
                    r.python_versions
                        .get_or_insert(tables::supported_python_range(Some(spec)));
                }
            }
            let slot = match ecosystem {
                Ecosystem::Python => &mut r.python,
                Ecosystem::Js => &mut r.js,
                Ecosystem::Rust => &mut r.rust,
            };
            let deps = slot.get_or_insert_with(EcosystemDeps::default);
            deps.manifests.push(m.path.clone());
            deps.incomplete |= declarations_incomplete(m, model.manifest_texts.get(&m.path).map(String::as_str));
            if let Some(name) = &m.name {
                match ecosystem {
                    Ecosystem::Python => {
                        deps.own_names.insert(normalize_python_name(name));
                    }
                    Ecosystem::Js => {
                        deps.own_names.insert(name.clone());
                    }
                    Ecosystem::Rust => {
                        deps.own_names.insert(rust_key(name));
                    }
                }
            }
            if let Some(lib) = &m.lib_name {
                deps.own_names.insert(rust_key(lib));
            }
            for dep in &m.dependencies {
                let key = match ecosystem {
                    Ecosystem::Python => normalize_python_name(&dep.name),
                    Ecosystem::Js => dep.name.clone(),
                    Ecosystem::Rust => rust_key(&dep.name),
                };
                deps.declared.entry(key).or_default().push(Declared {
                    manifest: m.path.clone(),
                    dep: dep.clone(),
                });
            }
            if ecosystem == Ecosystem::Js {
                for dep in &m.dependencies {
                    if matches!(dep.name.as_str(), "@types/bun" | "bun-types") {
                        r.runtimes.insert("bun".into());
                    }
                }
            }
        }
        for r in roots.values_mut() {
            let abs = root.join(&r.dir);
            if r.python.is_some() {
                r.python_env = installed::installed_python(&abs, root, virtual_env);
            }
            if r.js.is_some() {
                let nm = abs.join("node_modules");
                if nm.is_dir() {
                    r.node_modules.push(nm);
                }
            }
        }
        model.roots = roots.into_values().collect();
        model.manifests = sorted.into_iter().map(|m| (m.path.clone(), m)).collect();
        model
    }

    /// Package roots enclosing `rel` that declare `eco` dependencies, nearest
    /// first. Python and JS inherit from enclosing roots (one environment,
    /// hoisted `node_modules`); a Rust crate sees only its own Cargo.toml.
    pub fn chain(&self, rel: &str, eco: Ecosystem) -> Vec<&DepRoot> {
        let mut out: Vec<&DepRoot> = self
            .roots
            .iter()
            .filter(|r| is_under(rel, &r.dir) && (r.ecosystem(eco).is_some() || !r.broken.is_empty()))
            .collect();
        out.sort_by_key(|b| std::cmp::Reverse(b.dir.len()));
        if eco == Ecosystem::Rust {
            if let Some(i) = out.iter().position(|r| r.rust.is_some()) {
                out.truncate(i + 1);
            }
        }
        out
    }

    /// The nearest root of `eco` for `rel`.
    pub fn nearest(&self, rel: &str, eco: Ecosystem) -> Option<&DepRoot> {
        self.chain(rel, eco).into_iter().find(|r| r.ecosystem(eco).is_some())
    }

    /// Whether any of `keys` is declared for file `rel`.
    pub fn declaration<'a>(&'a self, rel: &str, eco: Ecosystem, keys: &[String]) -> Declaration<'a> {
        let chain = self.chain(rel, eco);
        if chain.is_empty() {
            return Declaration::NoManifest;
        }
        let mut found = Vec::new();
        for r in &chain {
            if let Some(deps) = r.ecosystem(eco) {
                for k in keys {
                    if let Some(d) = deps.declared.get(k) {
                        found.extend(d.iter());
                    }
                }
            }
        }
        if !found.is_empty() {
            return Declaration::Declared(found);
        }
        if let Some(b) = chain.iter().find_map(|r| r.broken.first()) {
            return Declaration::Unknown { broken: Some(b) };
        }
        if chain.iter().any(|r| r.ecosystem(eco).is_some_and(|d| d.incomplete)) {
            return Declaration::Unknown { broken: None };
        }
        match chain
            .iter()
            .find_map(|r| r.ecosystem(eco).and_then(|d| d.manifests.first()))
        {
            Some(m) => Declaration::Missing { manifest: m },
            None => Declaration::NoManifest,
        }
    }

    /// The distributions a Python import may come from, PEP 503-normalised:
    /// configured mappings, what the environment says it installed, the
    /// curated table, and the import name itself.
    pub fn python_candidates(&self, rel: &str, dotted: &str) -> Vec<String> {
        let parts = self.python_parts(dotted);
        let mut out: Vec<String> = parts.mapped.clone();
        for r in self.chain(rel, Ecosystem::Python) {
            if let Some(env) = &r.python_env {
                out.extend(
                    env.dists_for_import(dotted)
                        .iter()
                        .map(|d| normalize_python_name(&d.name)),
                );
            }
        }
        out.extend(parts.rest.iter().cloned());
        let mut seen = BTreeSet::new();
        out.retain(|d| seen.insert(d.clone()));
        out
    }

    /// The file-independent parts of `python_candidates`, computed once per module.
    fn python_parts(&self, dotted: &str) -> Arc<PythonParts> {
        let known = self
            .python_parts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(dotted)
            .cloned();
        if let Some(parts) = known {
            return parts;
        }
        let top = dotted.split('.').next().unwrap_or(dotted);
        let mut mapped = Vec::new();
        for (import, pkgs) in &self.settings.package_map {
            if import == top || dotted == import || dotted.starts_with(&format!("{import}.")) {
                mapped.extend(pkgs.iter().map(|p| normalize_python_name(p)));
            }
        }
        let mut rest: Vec<String> = tables::distributions_for_import(dotted)
            .iter()
            .map(|d| normalize_python_name(d))
            .collect();
        rest.push(normalize_python_name(top));
        // A private companion module ships with its public one: `_pytest`
        // with pytest, `_yaml` with PyYAML.
        if let Some(public) = top.strip_prefix('_').filter(|p| !p.is_empty() && !p.starts_with('_')) {
            rest.extend(
                tables::distributions_for_import(public)
                    .iter()
                    .map(|d| normalize_python_name(d)),
            );
            rest.push(normalize_python_name(public));
        }
        // Namespace packages are often published as their dotted path: `google.cloud.storage`.
        let pieces: Vec<&str> = dotted.split('.').collect();
        for n in 2..=pieces.len().min(3) {
            rest.push(normalize_python_name(&pieces[..n].join("-")));
        }
        let parts = Arc::new(PythonParts { mapped, rest });
        self.python_parts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(dotted.to_string(), parts.clone());
        parts
    }

    /// The npm package a bare specifier names (`@scope/pkg/sub` -> `@scope/pkg`).
    pub fn js_package_name(specifier: &str) -> Option<&str> {
        let s = specifier;
        if s.starts_with('@') {
            let mut it = s.match_indices('/');
            let first = it.next()?.0;
            let end = it.next().map_or(s.len(), |(i, _)| i);
            if first + 1 >= end {
                return None;
            }
            Some(&s[..end])
        } else {
            let end = s.find('/').unwrap_or(s.len());
            (end > 0).then(|| &s[..end])
        }
    }

    /// The lockfile governing `rel`'s ecosystem, if any: the nearest one in
    /// the package root or an enclosing workspace root.
    pub fn lock_for(&self, rel: &str, eco: Ecosystem) -> Option<&Lock> {
        self.locks
            .iter()
            .filter(|l| l.ecosystem == eco && is_under(rel, dir_of(&l.path)))
            .max_by_key(|l| l.path.len())
    }

    /// The Python versions the package of `rel` supports.
    pub fn python_versions(&self, rel: &str) -> Option<(PyVersion, PyVersion)> {
        self.chain(rel, Ecosystem::Python)
            .into_iter()
            .find_map(|r| r.python_versions)
    }

    /// Every declaration of an ecosystem in the project, with its import key.
    pub fn all_declared(&self, eco: Ecosystem) -> impl Iterator<Item = (&String, &Declared)> {
        self.roots
            .iter()
            .filter_map(move |r| r.ecosystem(eco))
            .flat_map(|d| d.declared.iter().flat_map(|(k, v)| v.iter().map(move |d| (k, d))))
    }

    /// The text of a manifest that was read.
    pub fn manifest_text(&self, manifest: &str) -> Option<&str> {
        self.manifest_texts.get(manifest).map(String::as_str)
    }

    /// The span of `len` characters at a 1-based line and column of a manifest.
    pub fn manifest_span(&self, manifest: &str, line: u32, column: u32, len: usize) -> crate::span::Span {
        let text = self.manifest_texts.get(manifest).map_or("", String::as_str);
        let line = line.max(1);
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line as usize - 1)
            .map(str::len)
            .sum::<usize>()
            .min(text.len());
        let rest = &text[line_start..];
        let start = line_start
            + rest
                .char_indices()
                .nth(column.max(1) as usize - 1)
                .map_or(rest.len(), |(i, _)| i);
        let tail = &text[start..];
        let end = start + tail.char_indices().nth(len).map_or(tail.len(), |(i, _)| i);
        let end = end.min(start + tail.find('\n').unwrap_or(tail.len()));
        crate::span::Span::of_range(text, start, end)
    }

    /// The normalised hash of a manifest line (for fingerprints).
    pub fn manifest_line_hash(&self, manifest: &str, line: u32) -> u64 {
        self.manifest_texts
            .get(manifest)
            .and_then(|t| t.lines().nth(line.saturating_sub(1) as usize))
            .map_or(0, crate::span::normalized_line_hash)
    }

    /// Declared registry dependencies that a present lockfile does not pin:
    /// added by hand and never installed. Only manifests a lockfile covers
    /// (a `uv.lock` covers pyproject.toml, not requirements files).
    pub fn unlocked(&self) -> Vec<(&Declared, &Lock)> {
        let mut out = Vec::new();
        for r in &self.roots {
            for (eco, deps) in [
                (Ecosystem::Python, &r.python),
                (Ecosystem::Js, &r.js),
                (Ecosystem::Rust, &r.rust),
            ] {
                let Some(deps) = deps else { continue };
                for decl in deps.declared.values().flatten() {
                    let Some(lock) = self.lock_for(&decl.manifest, eco) else {
                        continue;
                    };
                    let covered = match self.manifests.get(&decl.manifest).and_then(|m| m.kind) {
                        Some(ManifestKind::Pyproject) => true,
                        Some(ManifestKind::PackageJson) => decl.dep.kind != DepKind::Peer,
                        Some(ManifestKind::CargoToml) => true,
                        _ => false,
                    };
                    if !covered || matches!(decl.dep.source, DepSource::Path(_)) {
                        continue;
                    }
                    // A lockfile further up covers a nested package only when
                    // that package is one of its workspace members (the lock
                    // lists it); an example project beside it has its own.
                    if dir_of(&lock.path) != dir_of(&decl.manifest) {
                        let own = self.manifests.get(&decl.manifest).and_then(|m| m.name.as_deref());
                        let member = own.is_some_and(|n| {
                            let key = match eco {
                                Ecosystem::Python => normalize_python_name(n),
                                _ => n.to_string(),
                            };
                            lock.packages.contains(&key)
                                || (eco == Ecosystem::Rust && lock.packages.contains(&key.replace('_', "-")))
                        });
                        if !member {
                            continue;
                        }
                    }
                    let name = &decl.dep.package;
                    let key = match eco {
                        Ecosystem::Python => normalize_python_name(name),
                        _ => name.clone(),
                    };
                    let locked = lock.packages.contains(&key)
                        || (eco == Ecosystem::Rust && lock.packages.contains(&key.replace('_', "-")));
                    if !locked {
                        out.push((decl, lock));
                    }
                }
            }
        }
        out.sort_by(|a, b| {
            (&a.0.manifest, a.0.dep.line, &a.0.dep.name).cmp(&(&b.0.manifest, b.0.dep.line, &b.0.dep.name))
        });
        out
    }

    /// Whether a dependency comes from a registry (path and workspace links don't).
    pub fn from_registry(dep: &Dependency) -> bool {
        matches!(dep.source, DepSource::Registry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The candidates in their order (mapping, table, the name, its public
    /// twin, namespace paths), the same on every call once remembered.
    #[test]
    fn python_candidates_in_order_and_remembered() {
        let mut settings = ImportSettings::default();
        settings
            .package_map
            .insert("google".into(), vec!["Google_Cloud_Storage".into()]);
        let model = DependencyModel::build(Path::new("/nowhere"), Vec::new(), &[], settings, None);
        let first = model.python_candidates("app/a.py", "google.cloud.storage");
        assert_eq!(
            first,
            ["google-cloud-storage", "google", "google-cloud"],
            "mapped first, then the name, then its dotted paths (deduplicated)"
        );
        assert_eq!(model.python_candidates("lib/b.py", "google.cloud.storage"), first);
        let private = model.python_candidates("app/a.py", "_pytest");
        assert_eq!(private.first().map(String::as_str), Some("-pytest"));
        assert!(private.contains(&"pytest".to_string()));
        assert_eq!(
            model.python_candidates("app/a.py", "yaml"),
            model.python_candidates("x.py", "yaml")
        );
    }

    #[test]
    fn js_package_names() {
        assert_eq!(DependencyModel::js_package_name("lodash/fp"), Some("lodash"));
        assert_eq!(DependencyModel::js_package_name("@scope/pkg/sub"), Some("@scope/pkg"));
        assert_eq!(DependencyModel::js_package_name("@scope"), None);
        assert_eq!(DependencyModel::js_package_name("react"), Some("react"));
    }

    #[test]
    fn under() {
        assert!(is_under("a/b.py", ""));
        assert!(is_under("a/b.py", "a"));
        assert!(!is_under("ab/b.py", "a"));
    }
}
