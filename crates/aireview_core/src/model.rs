//! The project model: built once from every file's facts and the manifests,
//! immutable afterwards, shared by reference with every project rule. It
//! answers whole-project questions in O(1): which file is module
//! `app.utils.text`, does it define `slugify`, which package root owns a
//! file, how many types implement an interface.

use crate::deps::{DependencyModel, ImportSettings};
use crate::diagnostic::Warning;
use crate::external::{ExternalExports, ExternalSources, ExternalStore};
use crate::facts::{FileFacts, ImportKind};
use crate::lang::{Ecosystem, Language};
use aireview_manifest::{read_project_manifests, CargoRuns, Manifest, ReadOptions};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The position of `item` in `items` when it is one of them (the same
/// value in memory, not an equal one).
fn index_in<T>(items: &[T], item: &T) -> Option<usize> {
    let size = std::mem::size_of::<T>().max(1);
    let offset = (item as *const T as usize).checked_sub(items.as_ptr() as usize)?;
    let index = offset / size;
    (index < items.len() && index * size == offset).then_some(index)
}

/// Index of a file in `ProjectModel::files`.
pub type FileId = usize;

/// A folder with its own dependency manifests.
#[derive(Clone, Debug, Default)]
pub struct PackageRoot {
    /// Project-relative folder ("" for the project root).
    pub dir: String,
    pub manifests: Vec<Manifest>,
    /// A manifest here failed to parse: declarations are unknown.
    pub broken: Vec<String>,
}

impl PackageRoot {
    pub fn name(&self) -> Option<&str> {
        self.manifests.iter().find_map(|m| m.name.as_deref())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ModuleKey {
    ecosystem: Ecosystem,
    /// Rust: the crate's package root; empty for the other ecosystems.
    scope: String,
    path: String,
}

/// A type implementing or extending another, as recorded in facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubtypeRef {
    pub file: FileId,
    /// Index into `files[file].types`, or into `impls` for Rust impl blocks.
    pub index: usize,
    pub is_impl: bool,
}

pub struct ProjectModel {
    pub root: PathBuf,
    /// Every source file's facts, sorted by path.
    pub files: Vec<FileFacts>,
    /// Which files the user asked to review.
    pub reported: Vec<bool>,
    /// Package roots sorted by folder.
    pub packages: Vec<PackageRoot>,
    by_path: HashMap<String, FileId>,
    modules: HashMap<ModuleKey, FileId>,
    /// Names each file's module makes importable (definitions, re-exports, submodules).
    names: Vec<HashSet<String>>,
    /// Base/trait simple name -> the types and impls deriving from it.
    subtypes: HashMap<String, Vec<SubtypeRef>>,
    /// Type name -> where types of that name are declared.
    types_by_name: HashMap<String, Vec<(FileId, usize)>>,
    /// Declared dependencies, lockfiles and environments per package root.
    pub deps: DependencyModel,
    /// Export tables of third-party packages on disk, filled lazily.
    pub external: ExternalExports,
    /// Rust dependency sources per Cargo workspace root (from `cargo metadata`).
    rust_sources: BTreeMap<String, BTreeMap<String, PathBuf>>,
    /// Registry answers from `--online` look-ups, by (ecosystem, package).
    pub registry: BTreeMap<(Ecosystem, String), aireview_manifest::package_lookup::PackageStatus>,
    /// Every dotted prefix of an indexed Python module (`a`, `a.b` for `a.b.c`).
    python_prefixes: HashSet<String>,
    /// Every folder holding a source file, and its ancestors.
    dirs: HashSet<String>,
    /// Compiled / Cython module paths without extension.
    native_modules: HashSet<String>,
    /// Top-level modules / packages some file imports behind a guard
    /// (`try: import x / except ImportError`, `require` in a try/catch).
    optional_imports: HashSet<(Ecosystem, String)>,
    /// The mined convention profile and the project's wrapper modules.
    pub conventions: crate::conventions::ConventionProfile,
    /// How names are used across the project (over-abstraction rules).
    usage: UsageIndex,
    /// What each import of each file resolves to (by file, then import), so
    /// that the import rules and the convention profile, which all ask,
    /// resolve each import once. Empty until the model's indexes are built.
    origins: Vec<Vec<crate::resolve::Origin>>,
    /// Template files and what the rendered ones output without escaping.
    pub templates: crate::template::TemplateIndex,
}

/// The calls of one simple name across the project.
#[derive(Clone, Debug, Default)]
pub struct CallTotals {
    pub count: u32,
    /// The first call: file and span.
    pub first: Option<(FileId, crate::span::Span)>,
    /// Per argument slot (position or keyword): how many calls pass it,
    /// and the literal all of them pass, if they agree.
    pub args: Vec<crate::facts::ArgSlot>,
}

/// Construction sites and mentions of names across the project, and which
/// files make up a library's public API.
#[derive(Default)]
struct UsageIndex {
    /// Type name -> (file, index into `constructions`).
    constructions: HashMap<String, Vec<(FileId, usize)>>,
    /// Name -> (mentions in all files, mentions in test files).
    mentions: HashMap<String, (u32, u32)>,
    /// Rust names used inside macros.
    macro_mentions: HashSet<String>,
    /// TS types some object literal is declared as.
    typed_objects: HashSet<String>,
    /// Called simple name -> its calls across the project.
    calls: HashMap<String, CallTotals>,
    /// Function and method name -> how many are declared.
    function_names: HashMap<String, u32>,
    /// JS/TS files reachable from a package entry point through re-exports;
    /// Rust files of a library crate reachable through `pub mod`.
    api_files: HashSet<FileId>,
}

/// What the model is built from besides the files' facts.
#[derive(Default)]
pub struct ModelInputs {
    /// Project-relative manifest paths, as discovered.
    pub manifests: Vec<String>,
    pub native_modules: Vec<String>,
    pub imports: ImportSettings,
    /// `$VIRTUAL_ENV`, for the root package's installed distributions.
    pub virtual_env: Option<PathBuf>,
    /// Ask `cargo metadata` about Cargo workspaces and dependency sources
    /// through these runs (`None`: only parse Cargo.toml files).
    pub cargo: Option<CargoRuns>,
    /// The run reviews explicit files: conventions are mined from the other files.
    pub narrowed_scope: bool,
    /// `[conventions]` pins: family id -> alternative.
    pub convention_pins: BTreeMap<String, String>,
    /// The cache, when on: third-party export facts are kept there too.
    pub cache: Option<crate::cache::CacheOptions>,
}

/// The last segment of a dotted or `::` path, without generics.
pub fn simple_name(name: &str) -> &str {
    let name = name.split('<').next().unwrap_or(name);
    let name = name.rsplit("::").next().unwrap_or(name);
    name.rsplit('.').next().unwrap_or(name).trim()
}

impl ProjectModel {
    /// Builds the model; manifests that do not parse become warnings.
    pub fn build(
        root: &Path,
        files: Vec<FileFacts>,
        reported: Vec<bool>,
        manifest_paths: &[String],
        warnings: &mut Vec<Warning>,
    ) -> ProjectModel {
        let inputs = ModelInputs {
            manifests: manifest_paths.to_vec(),
            ..ModelInputs::default()
        };
        Self::build_with(root, files, reported, inputs, warnings)
    }

    pub fn build_with(
        root: &Path,
        files: Vec<FileFacts>,
        reported: Vec<bool>,
        inputs: ModelInputs,
        warnings: &mut Vec<Warning>,
    ) -> ProjectModel {
        let set = read_project_manifests(
            root,
            &inputs.manifests,
            &ReadOptions {
                cargo: inputs.cargo.as_ref(),
            },
        );
        let mut packages: Vec<PackageRoot> = Vec::new();
        let mut broken = Vec::new();
        for problem in &set.problems {
            warnings.push(Warning::new(
                &problem.path,
                format!("{}; its declarations are not checked", problem.message),
            ));
            broken.push(problem.path.clone());
        }
        let slot = |packages: &mut Vec<PackageRoot>, rel: &str| {
            let dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            match packages.iter().position(|p| p.dir == dir) {
                Some(i) => i,
                None => {
                    packages.push(PackageRoot {
                        dir,
                        ..PackageRoot::default()
                    });
                    packages.len() - 1
                }
            }
        };
        for m in &set.manifests {
            let i = slot(&mut packages, &m.path);
            packages[i].manifests.push(m.clone());
        }
        for b in &broken {
            let i = slot(&mut packages, b);
            packages[i].broken.push(b.clone());
        }
        packages.retain(|p| {
            !p.broken.is_empty()
                || p.manifests
                    .iter()
                    .any(|m| m.kind.is_some_and(aireview_manifest::ManifestKind::marks_package_root))
        });
        packages.sort_by(|a, b| a.dir.cmp(&b.dir));
        let has_rust = files.iter().any(|f| f.language == Some(Language::Rust));
        let deps = DependencyModel::build(
            root,
            set.manifests,
            &broken,
            inputs.imports,
            inputs.virtual_env.as_deref(),
        );
        let mut rust_sources = BTreeMap::new();
        if let Some(cargo) = inputs.cargo.as_ref().filter(|_| has_rust) {
            for lock in deps.locks.iter().filter(|l| l.ecosystem == Ecosystem::Rust) {
                let dir = parent_dir(&lock.path).to_string();
                let sources = cargo.get(&dir).crate_sources.clone();
                rust_sources.insert(dir, sources);
            }
        }

        let by_path: HashMap<String, FileId> = files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect();
        let mut model = ProjectModel {
            root: root.to_path_buf(),
            names: vec![HashSet::new(); files.len()],
            files,
            reported,
            packages,
            by_path,
            modules: HashMap::new(),
            subtypes: HashMap::new(),
            types_by_name: HashMap::new(),
            deps,
            external: inputs.cache.as_ref().map_or_else(ExternalExports::new, |c| {
                ExternalExports::with_store(ExternalStore::new(c))
            }),
            rust_sources,
            registry: BTreeMap::new(),
            python_prefixes: HashSet::new(),
            dirs: HashSet::new(),
            native_modules: inputs.native_modules.into_iter().collect(),
            optional_imports: HashSet::new(),
            usage: UsageIndex::default(),
            templates: Default::default(),
            conventions: crate::conventions::ConventionProfile::default(),
            origins: Vec::new(),
        };
        model.index_modules();
        model.index_dirs();
        model.index_names();
        model.index_subtypes();
        model.index_optional_imports();
        model.mark_rust_test_modules();
        // Resolution reads the module index, names and dependencies only.
        let origins = model
            .files
            .par_iter()
            .map(|f| {
                f.imports
                    .iter()
                    .map(|i| crate::resolve::resolve_import(&model, f, i))
                    .collect()
            })
            .collect();
        model.origins = origins;
        // The usage index and the convention profile read the model built so
        // far and not each other: build them side by side.
        let (usage, conventions) = rayon::join(
            || model.usage_index(),
            || crate::conventions::ConventionProfile::mine(&model, inputs.narrowed_scope, inputs.convention_pins),
        );
        model.usage = usage;
        model.conventions = conventions;
        model
    }

    fn index_optional_imports(&mut self) {
        for f in &self.files {
            let Some(eco) = f.language.map(Language::ecosystem) else {
                continue;
            };
            // A Python dynamic import (`importlib.import_module("x")`,
            // sympy's `import_module`) is how optional modules are probed.
            let probed = |i: &crate::facts::Import| eco == Ecosystem::Python && i.kind == ImportKind::Dynamic;
            for import in f.imports.iter().filter(|i| (i.guarded || probed(i)) && i.level == 0) {
                self.optional_imports
                    .insert((eco, import_top(eco, &import.module).to_string()));
            }
        }
    }

    /// Whether some file of the project imports this module's top-level
    /// package behind a guard: the project treats the package as optional,
    /// so its other imports (behind feature flags set by the guarded one)
    /// are optional too.
    pub fn imported_optionally(&self, eco: Ecosystem, module: &str) -> bool {
        self.optional_imports
            .contains(&(eco, import_top(eco, module).to_string()))
    }

    /// The resolution of `import` made when the model was built, when
    /// `file` is one of the model's files and `import` one of its imports.
    pub(crate) fn resolved(&self, file: &FileFacts, import: &crate::facts::Import) -> Option<&crate::resolve::Origin> {
        let id = index_in(&self.files, file)?;
        let i = index_in(&self.files[id].imports, import)?;
        self.origins.get(id)?.get(i)
    }

    fn usage_index(&self) -> UsageIndex {
        let mut usage = UsageIndex::default();
        for (id, f) in self.files.iter().enumerate() {
            for (i, c) in f.constructions.iter().enumerate() {
                usage.constructions.entry(c.name.clone()).or_default().push((id, i));
            }
            for (name, n) in &f.mentions {
                let entry = usage.mentions.entry(name.clone()).or_default();
                entry.0 += n;
                if f.is_test() {
                    entry.1 += n;
                }
            }
            usage.macro_mentions.extend(f.macro_mentions.iter().cloned());
            usage.typed_objects.extend(f.typed_objects.iter().cloned());
            for func in &f.functions {
                *usage.function_names.entry(func.name.clone()).or_default() += 1;
            }
            for call in &f.calls {
                let totals = usage.calls.entry(call.name.clone()).or_default();
                totals.count += call.count;
                totals.first.get_or_insert((id, call.span));
                for slot in &call.args {
                    match totals.args.iter_mut().find(|a| a.key == slot.key) {
                        Some(t) => {
                            t.calls += slot.calls;
                            if t.value != slot.value {
                                t.value = None;
                            }
                        }
                        None => totals.args.push(slot.clone()),
                    }
                }
            }
        }
        usage.api_files = self.js_api_files();
        usage.api_files.extend(self.rust_api_files());
        usage
    }

    /// Files reachable from each npm package's `index` entry (at its folder,
    /// `src/` or `lib/`) through `export ... from` re-exports.
    fn js_api_files(&self) -> HashSet<FileId> {
        let mut seen = HashSet::new();
        let mut queue = Vec::new();
        for p in &self.packages {
            let is_npm = p
                .manifests
                .iter()
                .any(|m| m.kind == Some(aireview_manifest::ManifestKind::PackageJson));
            if !is_npm {
                continue;
            }
            for entry in ["", "src", "lib"] {
                let key = [p.dir.as_str(), entry]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join("/");
                if let Some(id) = self
                    .js_module(&key)
                    .filter(|&id| self.files[id].path.contains("index."))
                {
                    queue.push(id);
                }
            }
        }
        while let Some(id) = queue.pop() {
            if !seen.insert(id) {
                continue;
            }
            let f = &self.files[id];
            let dir = parent_dir(&f.path);
            for import in f.imports.iter().filter(|i| i.kind == ImportKind::ReExport) {
                if let Some(target) = self.relative_js_file(dir, &import.module) {
                    queue.push(target);
                }
            }
        }
        seen
    }

    /// The project file a relative JS/TS specifier names from folder `dir`.
    fn relative_js_file(&self, dir: &str, spec: &str) -> Option<FileId> {
        if !spec.starts_with('.') {
            return None;
        }
        let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for seg in spec.split('/') {
            match seg {
                "." | "" => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        let joined = parts.join("/");
        let stem = [".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx"]
            .iter()
            .find_map(|e| joined.strip_suffix(e))
            .unwrap_or(&joined);
        self.js_module(stem)
    }

    /// Files of library crates (`src/lib.rs`) whose module chain from the
    /// crate root is `pub mod` all the way.
    fn rust_api_files(&self) -> HashSet<FileId> {
        let mut out = HashSet::new();
        for (id, f) in self.files.iter().enumerate() {
            if f.language != Some(Language::Rust) {
                continue;
            }
            let Some((scope, path)) = self.rust_module_path(&f.path) else {
                continue;
            };
            let lib = if scope.is_empty() {
                "src/lib.rs".to_string()
            } else {
                format!("{scope}/src/lib.rs")
            };
            if !self.by_path.contains_key(&lib) {
                continue;
            }
            if path.is_empty() {
                if f.path == lib {
                    out.insert(id);
                }
                continue;
            }
            let segments: Vec<&str> = path.split("::").collect();
            let public_chain = (0..segments.len()).all(|i| {
                let parent = segments[..i].join("::");
                self.rust_module(&scope, &parent).is_some_and(|pid| {
                    let parent_facts = &self.files[pid];
                    (!parent.is_empty() || parent_facts.path == lib)
                        && parent_facts.modules.iter().any(|m| m.name == segments[i] && m.public)
                })
            });
            if public_chain {
                out.insert(id);
            }
        }
        out
    }

    fn index_modules(&mut self) {
        let init_dirs: HashSet<String> = self
            .files
            .iter()
            .filter(|f| f.path.ends_with("/__init__.py") || f.path == "__init__.py")
            .map(|f| parent_dir(&f.path).to_string())
            .collect();
        // Each file's keys in parallel, collected in file order.
        let this = &*self;
        let mut entries: Vec<(ModuleKey, FileId)> = self
            .files
            .par_iter()
            .enumerate()
            .flat_map_iter(|(id, f)| {
                let mut entries = Vec::new();
                match f.language.map(Language::ecosystem) {
                    Some(Ecosystem::Python) => {
                        for name in this.python_module_names(&f.path, &init_dirs) {
                            entries.push((
                                ModuleKey {
                                    ecosystem: Ecosystem::Python,
                                    scope: String::new(),
                                    path: name,
                                },
                                id,
                            ));
                        }
                    }
                    Some(Ecosystem::Js) => {
                        for key in js_module_keys(&f.path) {
                            entries.push((
                                ModuleKey {
                                    ecosystem: Ecosystem::Js,
                                    scope: String::new(),
                                    path: key,
                                },
                                id,
                            ));
                        }
                    }
                    Some(Ecosystem::Rust) => {
                        if let Some((scope, path)) = this.rust_module_path(&f.path) {
                            entries.push((
                                ModuleKey {
                                    ecosystem: Ecosystem::Rust,
                                    scope,
                                    path,
                                },
                                id,
                            ));
                        }
                    }
                    None => {}
                }
                entries
            })
            .collect();
        // Files are sorted by path, so the first claimant of a key wins
        // deterministically; a `.py` file wins over a `.pyi` stub. For JS
        // the kind of file decides, as TypeScript resolves `./x.js`:
        // TS source, then declarations, then JavaScript.
        let rank = |id: FileId| js_source_rank(&self.files[id].path);
        entries.sort_by_key(|(key, id)| if key.ecosystem == Ecosystem::Js { rank(*id) } else { 0 });
        for (key, id) in entries {
            self.modules.entry(key).or_insert(id);
        }
    }

    /// The module names a Python file is importable as: its `__init__.py`
    /// package chain, and its path below each plausible source root
    /// (project root, package roots, `src/` folders) for namespace packages.
    fn python_module_names(&self, rel: &str, init_dirs: &HashSet<String>) -> Vec<String> {
        let without_ext = rel.trim_end_matches(".pyi").trim_end_matches(".py");
        let mut parts: Vec<&str> = without_ext.split('/').collect();
        if parts.last() == Some(&"__init__") {
            parts.pop();
        }
        let mut names = Vec::new();
        // Package chain: climb while the folder has an __init__.py.
        let dir_parts: Vec<&str> = rel.split('/').collect();
        let mut top = dir_parts.len() - 1; // index of the file's own folder end
        while top > 0 && init_dirs.contains(&dir_parts[..top].join("/")) {
            top -= 1;
        }
        if top < parts.len() {
            names.push(parts[top..].join("."));
        }
        let mut roots: Vec<&str> = vec![""];
        for p in &self.packages {
            roots.push(&p.dir);
        }
        let src_roots: Vec<String> = roots
            .iter()
            .map(|r| {
                if r.is_empty() {
                    "src".to_string()
                } else {
                    format!("{r}/src")
                }
            })
            .collect();
        for r in roots.iter().copied().chain(src_roots.iter().map(String::as_str)) {
            let prefix_len = if r.is_empty() { 0 } else { r.split('/').count() };
            let under = r.is_empty() || rel.starts_with(&format!("{r}/"));
            if under && prefix_len < parts.len() {
                names.push(parts[prefix_len..].join("."));
            }
        }
        names.retain(|n| !n.is_empty());
        names.sort();
        names.dedup();
        names
    }

    /// (crate package root, module path) for a Rust file in a `src/` tree.
    fn rust_module_path(&self, rel: &str) -> Option<(String, String)> {
        let pkg = self
            .packages
            .iter()
            .filter(|p| {
                p.manifests
                    .iter()
                    .any(|m| m.kind == Some(aireview_manifest::ManifestKind::CargoToml))
            })
            .filter(|p| p.dir.is_empty() || rel.starts_with(&format!("{}/", p.dir)))
            .max_by_key(|p| p.dir.len())?;
        let below = if pkg.dir.is_empty() {
            rel
        } else {
            &rel[pkg.dir.len() + 1..]
        };
        let in_src = below.strip_prefix("src/")?;
        let without = in_src.trim_end_matches(".rs");
        let path = match without {
            "lib" | "main" => String::new(),
            p => p.trim_end_matches("/mod").replace('/', "::"),
        };
        if path.starts_with("bin::") || path == "bin" {
            return None;
        }
        Some((pkg.dir.clone(), path))
    }

    fn index_dirs(&mut self) {
        for key in self.modules.keys().filter(|k| k.ecosystem == Ecosystem::Python) {
            let mut prefix = key.path.as_str();
            while let Some((p, _)) = prefix.rsplit_once('.') {
                self.python_prefixes.insert(p.to_string());
                prefix = p;
            }
        }
        for f in &self.files {
            let mut dir = parent_dir(&f.path);
            while !dir.is_empty() && self.dirs.insert(dir.to_string()) {
                dir = parent_dir(dir);
            }
        }
    }

    fn index_names(&mut self) {
        self.names
            .par_iter_mut()
            .zip(self.files.par_iter())
            .for_each(|(names, f)| {
                names.extend(f.definitions.iter().map(|d| d.name.clone()));
                names.extend(f.exports.names.iter().cloned());
                names.extend(f.types.iter().filter(|t| t.top_level).map(|t| t.name.clone()));
            });
        // Submodules are names of their package: `from app import utils`.
        let submodules: Vec<(ModuleKey, String)> = self
            .modules
            .keys()
            .filter_map(|k| {
                let (parent, last) = match k.ecosystem {
                    Ecosystem::Python => k.path.rsplit_once('.')?,
                    Ecosystem::Rust => k.path.rsplit_once("::").unwrap_or(("", &k.path)),
                    Ecosystem::Js => return None,
                };
                if k.ecosystem == Ecosystem::Rust && k.path.is_empty() {
                    return None;
                }
                let parent_key = ModuleKey {
                    ecosystem: k.ecosystem,
                    scope: k.scope.clone(),
                    path: parent.to_string(),
                };
                Some((parent_key, last.to_string()))
            })
            .collect();
        for (parent, name) in submodules {
            if let Some(&id) = self.modules.get(&parent) {
                self.names[id].insert(name);
            }
        }
    }

    fn index_subtypes(&mut self) {
        for (id, f) in self.files.iter().enumerate() {
            for (i, t) in f.types.iter().enumerate() {
                self.types_by_name.entry(t.name.clone()).or_default().push((id, i));
                for base in t.bases.iter().chain(&t.implements) {
                    self.subtypes
                        .entry(simple_name(base).to_string())
                        .or_default()
                        .push(SubtypeRef {
                            file: id,
                            index: i,
                            is_impl: false,
                        });
                }
            }
            for (i, imp) in f.impls.iter().enumerate() {
                if let Some(tr) = &imp.trait_name {
                    self.subtypes
                        .entry(simple_name(tr).to_string())
                        .or_default()
                        .push(SubtypeRef {
                            file: id,
                            index: i,
                            is_impl: true,
                        });
                }
            }
        }
    }

    pub fn file_id(&self, rel: &str) -> Option<FileId> {
        self.by_path.get(rel).copied()
    }

    pub fn file(&self, rel: &str) -> Option<&FileFacts> {
        self.file_id(rel).map(|i| &self.files[i])
    }

    /// The file that is Python module `dotted` (`app.utils.text`).
    pub fn python_module(&self, dotted: &str) -> Option<FileId> {
        self.lookup(Ecosystem::Python, "", dotted)
    }

    /// The file a JS/TS module key names: a project-relative path without
    /// extension (`src/lib/format`), or a folder with an index file.
    pub fn js_module(&self, key: &str) -> Option<FileId> {
        self.lookup(Ecosystem::Js, "", key)
    }

    /// The file of Rust module `path` (`db::queries`, "" for the crate root)
    /// in the crate whose package root is `package_dir`.
    pub fn rust_module(&self, package_dir: &str, path: &str) -> Option<FileId> {
        self.lookup(Ecosystem::Rust, package_dir, path)
    }

    fn lookup(&self, ecosystem: Ecosystem, scope: &str, path: &str) -> Option<FileId> {
        self.modules
            .get(&ModuleKey {
                ecosystem,
                scope: scope.to_string(),
                path: path.to_string(),
            })
            .copied()
    }

    /// Whether file `id`'s module makes `name` importable: `Some(true)` if it
    /// defines, re-exports or has it as a submodule, `Some(false)` if
    /// certainly not, `None` when its names cannot be known statically (dynamic
    /// exports or wholesale re-exports from elsewhere).
    pub fn module_defines(&self, id: FileId, name: &str) -> Option<bool> {
        if self.names[id].contains(name) {
            return Some(true);
        }
        let f = &self.files[id];
        if f.exports.dynamic
            || !f.exports.star_from.is_empty()
            || f.imports.iter().any(|i| i.star && i.kind == ImportKind::From)
        {
            return None;
        }
        Some(false)
    }

    /// The names file `id`'s module makes importable.
    pub fn module_names(&self, id: FileId) -> &HashSet<String> {
        &self.names[id]
    }

    /// The nearest package root enclosing a project-relative path.
    pub fn package_of(&self, rel: &str) -> Option<&PackageRoot> {
        self.packages
            .iter()
            .filter(|p| p.dir.is_empty() || rel.starts_with(&format!("{}/", p.dir)))
            .max_by_key(|p| p.dir.len())
    }

    /// Types and impls that name `base` (by simple name) as base class,
    /// interface or trait.
    pub fn subtypes_of(&self, base: &str) -> &[SubtypeRef] {
        self.subtypes.get(simple_name(base)).map_or(&[], Vec::as_slice)
    }

    /// The one place in the project that builds an object of type `name`
    /// (`Foo(...)`, `new Foo(...)`), if there is exactly one.
    pub fn only_construction(&self, name: &str) -> Option<(&FileFacts, &crate::facts::Construction)> {
        match self.usage.constructions.get(name).map(Vec::as_slice) {
            Some(&[(file, i)]) => {
                let f = &self.files[file];
                let c = &f.constructions[i];
                (c.count == 1).then_some((f, c))
            }
            _ => None,
        }
    }

    /// How often a capitalised name is mentioned outside its declaration and
    /// imports: (everywhere, in test files).
    pub fn mentions_of(&self, name: &str) -> (u32, u32) {
        self.usage.mentions.get(name).copied().unwrap_or((0, 0))
    }

    /// The calls of a simple name (`fetch` in `fetch(..)` and `api.fetch(..)`).
    pub fn calls_of(&self, name: &str) -> Option<&CallTotals> {
        self.usage.calls.get(name)
    }

    /// How many functions and methods of this name the project declares.
    pub fn functions_named(&self, name: &str) -> u32 {
        self.usage.function_names.get(name).copied().unwrap_or(0)
    }

    /// Some object literal is declared as this type (TS): it implements an
    /// interface of that name structurally.
    pub fn has_typed_object(&self, name: &str) -> bool {
        self.usage.typed_objects.contains(name)
    }

    /// A Rust macro definition or invocation mentions this name.
    pub fn mentioned_in_macro(&self, name: &str) -> bool {
        self.usage.macro_mentions.contains(name)
    }

    /// Whether `name`, declared in file `id`, is part of a library's public
    /// API: listed in `__all__` or importable from the root package
    /// (Python), exported from a file reachable from a package's `index`
    /// entry (JS/TS), or a `pub` item in a `pub mod` chain of a library
    /// crate or re-exported from `lib.rs` (Rust). `exported` is the
    /// declaration's own visibility (`export`, plain `pub`).
    pub fn is_public_api(&self, id: FileId, name: &str, exported: bool) -> bool {
        let f = &self.files[id];
        match f.language.map(Language::ecosystem) {
            Some(Ecosystem::Python) => {
                if f.exports
                    .dunder_all
                    .as_ref()
                    .is_some_and(|all| all.iter().any(|n| n == name))
                {
                    return true;
                }
                self.python_root_init(&f.path)
                    .is_some_and(|root| root != id && self.names[root].contains(name))
            }
            Some(Ecosystem::Js) => exported && self.usage.api_files.contains(&id),
            Some(Ecosystem::Rust) => {
                if !exported {
                    return false;
                }
                if self.usage.api_files.contains(&id) {
                    return true;
                }
                let Some((scope, _)) = self.rust_module_path(&f.path) else {
                    return false;
                };
                self.rust_module(&scope, "").is_some_and(|lib| {
                    self.files[lib].path.ends_with("lib.rs") && self.files[lib].exports.names.iter().any(|n| n == name)
                })
            }
            None => false,
        }
    }

    /// The `__init__.py` of the outermost package enclosing a Python file.
    fn python_root_init(&self, rel: &str) -> Option<FileId> {
        let parts: Vec<&str> = rel.split('/').collect();
        let mut top = None;
        for i in (1..parts.len()).rev() {
            let init = format!("{}/__init__.py", parts[..i].join("/"));
            match self.by_path.get(&init) {
                Some(&id) => top = Some(id),
                None => break,
            }
        }
        top
    }

    /// Every type declared with this (simple) name, anywhere in the project.
    pub fn types_named(&self, name: &str) -> impl Iterator<Item = &crate::facts::TypeDecl> + '_ {
        self.types_by_name
            .get(simple_name(name))
            .into_iter()
            .flatten()
            .map(|&(file, i)| &self.files[file].types[i])
    }

    /// Some indexed Python module starts with `top` (`top` or `top.x`).
    pub fn python_top_level(&self, top: &str) -> Option<()> {
        (self.python_module(top).is_some() || self.python_prefixes.contains(top)).then_some(())
    }

    /// `dotted` is a folder of Python modules without an `__init__.py` file.
    pub fn python_namespace(&self, dotted: &str) -> bool {
        self.python_module(dotted).is_none() && self.python_prefixes.contains(dotted)
    }

    /// A folder (project-relative) holds Python source below it.
    pub fn has_python_folder(&self, dir: &str) -> bool {
        self.dirs.contains(dir)
            && self
                .files
                .iter()
                .any(|f| f.language == Some(Language::Python) && crate::deps::is_under(&f.path, dir))
    }

    /// Any source file lies below this project-relative path.
    pub fn has_any_file_under(&self, dir: &str) -> bool {
        self.dirs.contains(dir)
    }

    /// A compiled or Cython module exists at this path without extension.
    pub fn has_native_module(&self, stem: &str) -> bool {
        self.native_modules.contains(stem)
    }

    /// The Rust module path of a file inside its crate's `src/` tree
    /// ("" for lib.rs/main.rs), `None` outside one.
    /// A Rust file's module path in its crate, when its parent module
    /// declares it: a file reached only through a `#[path]` inside a macro
    /// sits somewhere the index cannot tell.
    pub fn rust_module_of(&self, rel: &str) -> Option<String> {
        let (scope, path) = self.rust_module_path(rel)?;
        if path.is_empty() {
            return Some(path);
        }
        let (parent, name) = path.rsplit_once("::").unwrap_or(("", &path));
        match self.rust_module(&scope, parent) {
            Some(pid) if !self.files[pid].modules.iter().any(|m| m.name == name) => None,
            _ => Some(path),
        }
    }

    /// Files declared by `#[cfg(test)] mod x;` (and their submodules) are
    /// test code, whatever their path says.
    fn mark_rust_test_modules(&mut self) {
        let mut work: Vec<FileId> = (0..self.files.len()).collect();
        while let Some(id) = work.pop() {
            let f = &self.files[id];
            let whole_file_test = f.is_test();
            let Some((scope, path)) = self.rust_module_path(&f.path) else {
                continue;
            };
            let children: Vec<String> = f
                .modules
                .iter()
                .filter(|m| !m.inline && m.path_attr.is_none() && (m.test || whole_file_test))
                .map(|m| {
                    if path.is_empty() {
                        m.name.clone()
                    } else {
                        format!("{path}::{}", m.name)
                    }
                })
                .collect();
            for child in children {
                if let Some(cid) = self.rust_module(&scope, &child) {
                    if !self.files[cid].is_test() {
                        self.files[cid].role = crate::facts::FileRole::Test;
                        work.push(cid);
                    }
                }
            }
        }
    }

    /// Where the third-party sources for a file's imports are on disk.
    pub fn external_sources(&self, rel: &str, eco: Ecosystem) -> ExternalSources {
        let mut sources = ExternalSources::default();
        match eco {
            Ecosystem::Python => {
                for r in self.deps.chain(rel, Ecosystem::Python) {
                    if let Some(env) = &r.python_env {
                        sources.python_paths.extend(env.site_packages.iter().cloned());
                    }
                }
            }
            Ecosystem::Js => {
                for r in self.deps.chain(rel, Ecosystem::Js) {
                    sources.node_modules.extend(r.node_modules.iter().cloned());
                }
            }
            Ecosystem::Rust => {
                if let Some((_, crates)) = self
                    .rust_sources
                    .iter()
                    .filter(|(dir, _)| crate::deps::is_under(rel, dir))
                    .max_by_key(|(dir, _)| dir.len())
                {
                    sources.rust_crates = crates.clone();
                }
            }
        }
        sources
    }

    /// Every distinct module path indexed for an ecosystem (for diagnostics and tests).
    pub fn module_paths(&self, ecosystem: Ecosystem) -> BTreeSet<&str> {
        self.modules
            .keys()
            .filter(|k| k.ecosystem == ecosystem)
            .map(|k| k.path.as_str())
            .collect()
    }
}

fn parent_dir(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Keys a JS/TS file is reachable by: its path without extension, and its
/// folder when it is an `index` file.
/// TypeScript's preference among files sharing a module stem: sources
/// (0), declarations (1), JavaScript (2).
fn js_source_rank(rel: &str) -> u8 {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if [".d.ts", ".d.mts", ".d.cts"].iter().any(|e| name.ends_with(e)) {
        1
    } else if [".ts", ".tsx", ".mts", ".cts"].iter().any(|e| name.ends_with(e)) {
        0
    } else {
        2
    }
}

fn js_module_keys(rel: &str) -> Vec<String> {
    let mut stem = rel;
    for ext in [
        ".d.ts", ".d.mts", ".d.cts", ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs",
    ] {
        if let Some(s) = rel.strip_suffix(ext) {
            stem = s;
            break;
        }
    }
    let mut keys = vec![stem.to_string()];
    if let Some(dir) = stem.strip_suffix("/index") {
        keys.push(dir.to_string());
    } else if stem == "index" {
        keys.push(String::new());
    }
    keys
}

/// The package part of an import: Python's first dotted component, the
/// npm package name, the Rust crate.
pub fn import_top(eco: Ecosystem, module: &str) -> &str {
    match eco {
        Ecosystem::Python => module.split('.').next().unwrap_or(module),
        Ecosystem::Js => crate::deps::DependencyModel::js_package_name(module).unwrap_or(module),
        Ecosystem::Rust => module.split("::").next().unwrap_or(module),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{DefKind, Definition};

    #[test]
    fn index_in_finds_the_item_itself_not_an_equal_one() {
        let items = vec![String::from("a"), String::from("b"), String::from("a")];
        assert_eq!(index_in(&items, &items[2]), Some(2));
        assert_eq!(index_in(&items, &items[0]), Some(0));
        let equal = String::from("a");
        assert_eq!(index_in(&items, &equal), None);
        assert_eq!(index_in(&items[..1], &items[1]), None);
    }

    fn facts(path: &str, lang: Language, defs: &[&str]) -> FileFacts {
        FileFacts {
            path: path.into(),
            language: Some(lang),
            definitions: defs
                .iter()
                .map(|d| Definition {
                    name: d.to_string(),
                    kind: DefKind::Function,
                    span: Default::default(),
                    public: true,
                    conditional: false,
                })
                .collect(),
            ..FileFacts::default()
        }
    }

    #[test]
    fn python_modules_by_package_chain_and_src_layout() {
        let files = vec![
            facts("src/app/__init__.py", Language::Python, &[]),
            facts("src/app/utils/__init__.py", Language::Python, &[]),
            facts("src/app/utils/text.py", Language::Python, &["slugify"]),
            facts("scripts/tool.py", Language::Python, &["main"]),
        ];
        let mut warnings = Vec::new();
        let model = ProjectModel::build(Path::new("/nonexistent"), files, vec![true; 4], &[], &mut warnings);
        let text = model.python_module("app.utils.text").unwrap();
        assert_eq!(model.files[text].path, "src/app/utils/text.py");
        assert_eq!(model.module_defines(text, "slugify"), Some(true));
        assert_eq!(model.module_defines(text, "slugify_title"), Some(false));
        let pkg = model.python_module("app.utils").unwrap();
        assert_eq!(
            model.module_defines(pkg, "text"),
            Some(true),
            "submodule is a name of its package"
        );
        assert!(model.python_module("scripts.tool").is_some());
    }

    #[test]
    fn js_index_files_answer_for_their_folder() {
        let files = vec![
            facts("src/lib/index.ts", Language::TypeScript, &[]),
            facts("src/lib/format.ts", Language::TypeScript, &["formatMoney"]),
        ];
        let model = ProjectModel::build(Path::new("/x"), files, vec![true; 2], &[], &mut Vec::new());
        assert_eq!(model.js_module("src/lib"), Some(0));
        assert_eq!(model.js_module("src/lib/format"), Some(1));
    }
}
