//! Convention families and the mined convention profile.
//!
//! A *family* is a group of interchangeable ways to do one job (the HTTP
//! client, logging, the test framework), recognised by imports and calls
//! (`rules/drift/conventions.toml`, embedded at build time). The project
//! model counts, per family, package root and kind of code, which alternative
//! each file uses; a convention is *established* when one alternative clearly
//! dominates. It also finds the project's own *wrappers*: the one module that
//! imports a library the rest of the project reaches through it.

use crate::facts::{FileFacts, FileRole, ImportKind};
use crate::lang::{Ecosystem, Language};
use crate::model::{FileId, ProjectModel};
use crate::resolve::{resolve_import, Local, Origin};
use crate::span::Span;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

const FAMILIES_TOML: &str = include_str!("../../../rules/drift/conventions.toml");

/// Defaults of the `convention-drift` options (`min-files`, `min-share`).
pub const DEFAULT_MIN_FILES: u32 = 3;
pub const DEFAULT_MIN_SHARE: f64 = 0.8;
/// How many other modules must import a module for it to count as the
/// project's wrapper of a library.
pub const WRAPPER_MIN_IMPORTERS: usize = 3;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FamilyScope {
    /// Judged in application code.
    #[default]
    Application,
    /// Judged in test code (the test framework).
    Tests,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportSyntax {
    /// `import ... from` / `export ... from`.
    Esm,
    /// `require(...)`.
    Require,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Alternative {
    pub name: String,
    #[serde(default)]
    pub imports: Vec<String>,
    #[serde(default)]
    pub except: Vec<String>,
    #[serde(default)]
    pub calls: Vec<String>,
    #[serde(default)]
    pub import_kinds: Vec<ImportSyntax>,
    /// Global functions (jest's `describe`) that mean this alternative in a
    /// file importing none of the family, when the package declares it alone.
    #[serde(default)]
    pub globals: Vec<String>,
    /// package.json dependencies that install this alternative.
    #[serde(default)]
    pub declared_by: Vec<String>,
    /// `false` for output that is not the job done another way (`print` is
    /// not a logging library): only ever a rival.
    #[serde(default = "yes")]
    pub can_be_convention: bool,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Family {
    pub id: String,
    pub language: Ecosystem,
    pub label: String,
    #[serde(default)]
    pub scope: FamilyScope,
    /// Words of a module name that mark the project's wrapper for this job.
    #[serde(default)]
    pub wrapper_names: Vec<String>,
    pub alternatives: Vec<Alternative>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FamiliesFile {
    family: Vec<Family>,
}

/// Every convention family, in catalogue order.
pub fn families() -> &'static [Family] {
    static FAMILIES: OnceLock<Vec<Family>> = OnceLock::new();
    FAMILIES.get_or_init(|| {
        toml::from_str::<FamiliesFile>(FAMILIES_TOML)
            .expect("rules/drift/conventions.toml is valid (checked by a unit test)")
            .family
    })
}

/// Checks a `[conventions]` pin: the family id exists and names one of its alternatives.
pub fn validate_pin(family: &str, choice: &str) -> Result<(), String> {
    let matching: Vec<&Family> = families().iter().filter(|f| f.id == family).collect();
    if matching.is_empty() {
        let mut ids: Vec<&str> = families().iter().map(|f| f.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        return Err(format!(
            "unknown convention family `{family}` in [conventions]; known: {}",
            ids.join(", ")
        ));
    }
    if matching.iter().any(|f| f.alternatives.iter().any(|a| a.name == choice)) {
        return Ok(());
    }
    let mut names: Vec<&str> = matching
        .iter()
        .flat_map(|f| f.alternatives.iter().map(|a| a.name.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    Err(format!(
        "unknown choice `{choice}` for `{family}` in [conventions]; choose one of: {}",
        names.join(", ")
    ))
}

/// Whether a call pattern covers a callee as the facts record it
/// (`print`, `console.log`, `promise.then`, `println!`, `tracing::info!`, `await`).
fn call_matches(pattern: &str, callee: &str) -> bool {
    if let Some(prefix) = pattern.strip_suffix('*') {
        callee.len() > prefix.len() && callee.starts_with(prefix)
    } else if pattern.starts_with('.') {
        callee.len() > pattern.len() && callee.ends_with(pattern)
    } else {
        callee == pattern
    }
}

/// Whether an alternative covers a call. A Rust path (`ureq::post`,
/// `tracing::info!`) also matches the alternative's crates.
fn alternative_call(eco: Ecosystem, alt: &Alternative, callee: &str) -> bool {
    alt.calls.iter().any(|p| call_matches(p, callee))
        || (eco == Ecosystem::Rust
            && callee.contains("::")
            && alt
                .imports
                .iter()
                .any(|p| module_matches(eco, p, callee.trim_end_matches('!'))))
}

/// Whether some family of this ecosystem recognises the callee: the parse
/// pass records only such calls.
pub fn is_convention_call(eco: Ecosystem, callee: &str) -> bool {
    families()
        .iter()
        .filter(|f| f.language == eco)
        .flat_map(|f| f.alternatives.iter())
        .any(|a| alternative_call(eco, a, callee) || a.globals.iter().any(|g| g == callee))
}

/// The alternatives of a family the file's package root declares a package
/// of (`declared-by`).
fn declared_alternatives(model: &ProjectModel, file: &FileFacts, family: &Family) -> Vec<usize> {
    let Some(package) = model.package_of(&file.path) else {
        return Vec::new();
    };
    let declared = |alt: &Alternative| {
        package
            .manifests
            .iter()
            .flat_map(|m| &m.dependencies)
            .any(|d| alt.declared_by.contains(&d.name))
    };
    (0..family.alternatives.len())
        .filter(|&a| declared(&family.alternatives[a]))
        .collect()
}

fn module_separator(eco: Ecosystem) -> &'static str {
    match eco {
        Ecosystem::Python => ".",
        Ecosystem::Js => "/",
        Ecosystem::Rust => "::",
    }
}

/// `candidate` is `pattern` or lies under it.
fn module_matches(eco: Ecosystem, pattern: &str, candidate: &str) -> bool {
    candidate == pattern
        || candidate
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with(module_separator(eco)))
}

/// What kind of code a use sits in: conventions are mined and judged per kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CodeClass {
    Application,
    Test,
    /// Scripts, command-line entry points, build scripts, examples.
    Script,
}

impl CodeClass {
    pub fn label(self) -> &'static str {
        match self {
            CodeClass::Application => "application",
            CodeClass::Test => "tests",
            CodeClass::Script => "scripts",
        }
    }
}

/// The file's class, `None` for code nobody writes by hand.
pub fn file_class(file: &FileFacts, eco: Ecosystem) -> Option<CodeClass> {
    match file.role {
        FileRole::Test => Some(CodeClass::Test),
        FileRole::Example => Some(CodeClass::Script),
        FileRole::Stub | FileRole::Generated => None,
        FileRole::Source if file.is_tooling(eco) || is_entry_point(&file.path, eco) => Some(CodeClass::Script),
        FileRole::Source => Some(CodeClass::Application),
    }
}

/// Command-line entry points, where printing is the program's output.
fn is_entry_point(path: &str, eco: Ecosystem) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let dirs: Vec<&str> = path.split('/').collect();
    let dirs = &dirs[..dirs.len().saturating_sub(1)];
    if dirs.contains(&"bin") || dirs.contains(&"cli") || stem == "cli" {
        return true;
    }
    match eco {
        Ecosystem::Python => name == "__main__.py" || dirs.windows(2).any(|w| w == ["management", "commands"]),
        Ecosystem::Js => false,
        Ecosystem::Rust => name == "main.rs",
    }
}

/// For each first-party module, the files that import it.
type Importers = BTreeMap<FileId, BTreeSet<FileId>>;

/// One use of a convention family's alternative in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConventionUse {
    /// Index into `families()`.
    pub family: usize,
    /// Index into the family's alternatives.
    pub alternative: usize,
    pub span: Span,
    pub class: CodeClass,
    /// Recognised by an import (not a call or import syntax).
    pub via_import: bool,
}

/// Which files use each alternative of one family, in one package root and class.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Per alternative, the files using it (sorted by id).
    pub files: Vec<BTreeSet<FileId>>,
    /// Files using any alternative.
    pub total: BTreeSet<FileId>,
}

/// `(family, package root, class)`.
pub type TallyKey = (usize, String, CodeClass);

/// The convention a package root follows for one family.
#[derive(Clone, Debug, PartialEq)]
pub struct Established {
    pub alternative: usize,
    /// Files using it, of `total` files touching the family.
    pub files: usize,
    pub total: usize,
    /// Pinned in `[conventions]` rather than mined.
    pub pinned: bool,
}

/// A first-party module through which the project uses a library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wrapper {
    pub family: usize,
    pub alternative: usize,
    pub file: FileId,
    /// The wrapper's import of the library.
    pub span: Span,
    /// How many other modules import the wrapper.
    pub importers: usize,
}

/// What the model knows about the project's conventions.
#[derive(Debug, Default)]
pub struct ConventionProfile {
    /// Per file, its uses of convention families, in source order.
    pub uses: Vec<Vec<ConventionUse>>,
    pub tallies: BTreeMap<TallyKey, Tally>,
    /// `[conventions]` pins: family id -> alternative name.
    pub pins: BTreeMap<String, String>,
    pub wrappers: Vec<Wrapper>,
    /// The project's own functions that new code could reuse.
    pub helpers: HelperIndex,
    /// Per package root, Rust application functions returning `Result` or
    /// `Option` that propagate only with `?`, and those that unwrap.
    pub propagation: BTreeMap<String, Propagation>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Propagation {
    pub propagating: u32,
    pub unwrapping: u32,
}

impl Propagation {
    /// The package propagates errors: at least `min` functions do, and at
    /// most `1 - share` of the fallible functions unwrap.
    pub fn is_the_norm(&self, min: u32, share: f64) -> bool {
        let total = f64::from(self.propagating + self.unwrapping);
        self.propagating >= min && f64::from(self.propagating) >= share * total
    }
}

/// A Rust function of application code whose errors count for the
/// package's propagation style.
pub fn judged_for_propagation(model: &ProjectModel, file: FileId, function: usize) -> bool {
    let facts = &model.files[file];
    let Some(f) = facts.functions.get(function) else {
        return false;
    };
    facts.language == Some(Language::Rust)
        && file_class(facts, Ecosystem::Rust) == Some(CodeClass::Application)
        && f.error_flow.returns_fallible
        && !f.in_test
        && !facts.in_test_range(f.span.start)
}

/// First-party functions, by body fingerprint and by normalised name.
#[derive(Debug, Default)]
pub struct HelperIndex {
    by_fingerprint: HashMap<(Ecosystem, u64), Vec<HelperRef>>,
    by_name: HashMap<(Ecosystem, String), Vec<HelperRef>>,
}

/// `model.files[file].functions[function]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HelperRef {
    pub file: FileId,
    pub function: usize,
}

/// Bodies smaller than this many syntax nodes match by chance.
pub const HELPER_MIN_SIZE: u32 = 40;

impl HelperIndex {
    pub fn same_body(&self, eco: Ecosystem, fingerprint: u64) -> &[HelperRef] {
        self.by_fingerprint.get(&(eco, fingerprint)).map_or(&[], Vec::as_slice)
    }

    pub fn same_name(&self, eco: Ecosystem, name: &str) -> &[HelperRef] {
        self.by_name
            .get(&(eco, normalized_name(name)))
            .map_or(&[], Vec::as_slice)
    }
}

/// `slugify`, `slug_ify` and `slugIfy` are one name.
pub fn normalized_name(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Free functions of application code worth comparing: not methods, tests,
/// overloads, fallbacks, stubs, nested or dunder functions.
pub fn is_helper_candidate(model: &ProjectModel, file: FileId, function: usize) -> bool {
    let facts = &model.files[file];
    let Some(eco) = facts.language.map(Language::ecosystem) else {
        return false;
    };
    let Some(f) = facts.functions.get(function) else {
        return false;
    };
    // The function's own flags first: the file's class reads its path, and
    // this runs for every function of the project.
    f.container.is_none()
        && !f.container_is_trait
        && !f.in_test
        && !f.nested
        && !f.conditional
        && !f.is_abstract
        && f.stub.is_none()
        && f.fingerprint != 0
        && !f.name.starts_with("__")
        && !f.decorators.iter().any(|d| d.contains("overload"))
        // A decorated Python function is registered with a framework
        // (`@register.filter`, `@app.route`): its name is the framework's.
        && (eco != Ecosystem::Python || f.decorators.is_empty())
        && !facts.in_test_range(f.span.start)
        && file_class(facts, eco) == Some(CodeClass::Application)
}

/// Where a module meant to be shared (`utils`, `helpers`, `common`,
/// `shared`) is shared: the folder holding its utility folder or file
/// (`django` for `django/utils/text.py`, `app/db` for `app/db/utils.py`).
pub fn utility_scope(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let at = parts.iter().position(|part| {
        let stem = part.split('.').next().unwrap_or(part);
        matches!(
            stem,
            "utils" | "util" | "utilities" | "helpers" | "helper" | "common" | "shared" | "toolbox"
        ) || stem.ends_with("_utils")
            || stem.ends_with("_helpers")
    })?;
    Some(parts[..at].join("/"))
}

/// Whether a shared module is shared with `path` (lies under its scope).
pub fn shared_with(utility: &str, path: &str) -> bool {
    utility_scope(utility).is_some_and(|scope| scope.is_empty() || path.starts_with(&format!("{scope}/")))
}

/// Whether file `a` imports module `b` (a helper of the same name there is known, not reimplemented).
pub fn imports_module(model: &ProjectModel, a: FileId, b: FileId) -> bool {
    let file = &model.files[a];
    file.imports
        .iter()
        .any(|i| resolve_import(model, file, i) == Origin::Local(Local::Module(b)))
}

impl ConventionProfile {
    /// Mines the profile. With `narrowed`, the files the user asked about are
    /// judged but not counted: the convention comes from the rest.
    pub fn mine(model: &ProjectModel, narrowed: bool, pins: BTreeMap<String, String>) -> ConventionProfile {
        let mut profile = ConventionProfile {
            pins,
            ..ConventionProfile::default()
        };
        // Which modules import which (application code, counted files only).
        // Each file's uses (resolving its imports) in parallel; merged in file order.
        let per_file: Vec<(Vec<ConventionUse>, Importers)> = model
            .files
            .par_iter()
            .enumerate()
            .map(|(id, file)| {
                let mut importers = BTreeMap::new();
                let uses = file_uses(model, file, id, &mut importers);
                (uses, importers)
            })
            .collect();
        let mut importers = Importers::new();
        for (id, (uses, imported)) in per_file.into_iter().enumerate() {
            for (target, by) in imported {
                importers.entry(target).or_default().extend(by);
            }
            let file = &model.files[id];
            let counted = !(narrowed && model.reported.get(id).copied().unwrap_or(false));
            if counted {
                let pkg = model.package_of(&file.path).map(|p| p.dir.clone()).unwrap_or_default();
                for u in &uses {
                    let tally = profile.tallies.entry((u.family, pkg.clone(), u.class)).or_default();
                    if tally.files.is_empty() {
                        tally.files = vec![BTreeSet::new(); families()[u.family].alternatives.len()];
                    }
                    tally.files[u.alternative].insert(id);
                    tally.total.insert(id);
                }
            }
            profile.uses.push(uses);
        }
        if narrowed {
            for set in importers.values_mut() {
                set.retain(|&i| !model.reported.get(i).copied().unwrap_or(false));
            }
        }
        profile.wrappers = find_wrappers(model, &profile.uses, &importers, narrowed);
        for (file, facts) in model.files.iter().enumerate() {
            let Some(eco) = facts.language.map(Language::ecosystem) else {
                continue;
            };
            for (function, f) in facts.functions.iter().enumerate() {
                if !is_helper_candidate(model, file, function) {
                    continue;
                }
                let r = HelperRef { file, function };
                if f.size >= HELPER_MIN_SIZE {
                    profile
                        .helpers
                        .by_fingerprint
                        .entry((eco, f.fingerprint))
                        .or_default()
                        .push(r);
                }
                profile
                    .helpers
                    .by_name
                    .entry((eco, normalized_name(&f.name)))
                    .or_default()
                    .push(r);
            }
            let counted = !(narrowed && model.reported.get(file).copied().unwrap_or(false));
            for (function, f) in facts.functions.iter().enumerate() {
                if !counted || !judged_for_propagation(model, file, function) {
                    continue;
                }
                let pkg = model.package_of(&facts.path).map(|p| p.dir.clone()).unwrap_or_default();
                let p = profile.propagation.entry(pkg).or_default();
                if !f.error_flow.unwraps.is_empty() {
                    p.unwrapping += 1;
                } else if f.error_flow.question_marks > 0 {
                    p.propagating += 1;
                }
            }
        }
        profile
    }

    /// The established alternative for a family in a package root and class:
    /// a pin, else one used by at least `min_files` files and `min_share` of
    /// those touching the family, with no rival above `1 - min_share`.
    pub fn established(&self, key: &TallyKey, min_files: u32, min_share: f64) -> Option<Established> {
        let family = &families()[key.0];
        let tally = self.tallies.get(key);
        let total = tally.map_or(0, |t| t.total.len());
        let count = |alt: usize| tally.and_then(|t| t.files.get(alt)).map_or(0, BTreeSet::len);
        if let Some(choice) = self.pins.get(&family.id) {
            if let Some(alt) = family.alternatives.iter().position(|a| &a.name == choice) {
                if pin_applies(family.scope, key.2) {
                    return Some(Established {
                        alternative: alt,
                        files: count(alt),
                        total,
                        pinned: true,
                    });
                }
            }
        }
        let tally = tally?;
        let mut counts: Vec<(usize, usize)> = (0..tally.files.len()).map(|a| (count(a), a)).collect();
        counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let (top, alt) = counts[0];
        if !family.alternatives[alt].can_be_convention {
            return None;
        }
        let second = counts.get(1).map_or(0, |c| c.0);
        let share = |n: usize| n as f64 / total.max(1) as f64;
        let dominant =
            top >= min_files as usize && share(top) >= min_share && share(second) <= 1.0 - min_share + f64::EPSILON;
        dominant.then_some(Established {
            alternative: alt,
            files: top,
            total,
            pinned: false,
        })
    }

    /// A file that uses the alternative, for "used here" (the first by path).
    pub fn example(&self, key: &TallyKey, alternative: usize) -> Option<(FileId, Span)> {
        let file = *self.tallies.get(key)?.files.get(alternative)?.first()?;
        let span = self.uses[file]
            .iter()
            .find(|u| u.family == key.0 && u.alternative == alternative && u.class == key.2)?
            .span;
        Some((file, span))
    }

    /// The project's wrapper for a family, if it has one.
    pub fn wrapper(&self, family: usize) -> Option<&Wrapper> {
        self.wrappers.iter().find(|w| w.family == family)
    }
}

fn pin_applies(scope: FamilyScope, class: CodeClass) -> bool {
    match scope {
        FamilyScope::Application => class == CodeClass::Application,
        FamilyScope::Tests => class == CodeClass::Test,
    }
}

/// The class a family is judged in.
pub fn judged_class(family: &Family) -> CodeClass {
    match family.scope {
        FamilyScope::Application => CodeClass::Application,
        FamilyScope::Tests => CodeClass::Test,
    }
}

/// The module paths an import names, for matching against families:
/// `from os import path` names `os.path`; `use reqwest::Client` names
/// `reqwest` and `reqwest::Client`.
fn import_candidates(eco: Ecosystem, import: &crate::facts::Import) -> Vec<String> {
    let sep = module_separator(eco);
    let module = match eco {
        Ecosystem::Js => import.module.strip_prefix("node:").unwrap_or(&import.module),
        _ => import.module.as_str(),
    };
    let mut out = Vec::new();
    let from_names = eco == Ecosystem::Python && import.kind == ImportKind::From && !import.star;
    if !from_names || import.names.is_empty() {
        out.push(module.to_string());
    }
    if eco != Ecosystem::Js {
        for n in &import.names {
            if n.name != "self" && n.name != "*" {
                out.push(format!("{module}{sep}{}", n.name));
            }
        }
    }
    if eco == Ecosystem::Js && import.module.starts_with("node:") {
        out.push(import.module.clone());
    }
    out
}

/// A file's uses of every family of its ecosystem, and the first-party
/// modules it imports (recorded in `importers` when the file is application code).
fn file_uses(
    model: &ProjectModel,
    file: &FileFacts,
    id: FileId,
    importers: &mut BTreeMap<FileId, BTreeSet<FileId>>,
) -> Vec<ConventionUse> {
    let Some(eco) = file.language.map(Language::ecosystem) else {
        return Vec::new();
    };
    let Some(class) = file_class(file, eco) else {
        return Vec::new();
    };
    let class_at = |in_test: bool| if in_test { CodeClass::Test } else { class };
    let mut uses = Vec::new();
    let fams: Vec<(usize, &Family)> = families()
        .iter()
        .enumerate()
        .filter(|(_, f)| f.language == eco)
        .collect();
    let mut bound: BTreeSet<&str> = BTreeSet::new();
    for import in &file.imports {
        bound.extend(import.alias.as_deref());
        bound.extend(
            import
                .names
                .iter()
                .map(|n| n.alias.as_deref().unwrap_or(n.name.as_str())),
        );
        if import.type_only || import.type_checking {
            continue;
        }
        let origin = resolve_import(model, file, import);
        if let Origin::Local(Local::Module(target)) = origin {
            if class == CodeClass::Application && !import.in_test && target != id {
                importers.entry(target).or_default().insert(id);
            }
        }
        let syntax = match import.kind {
            ImportKind::Esm | ImportKind::ReExport => Some(ImportSyntax::Esm),
            ImportKind::Require => Some(ImportSyntax::Require),
            _ => None,
        };
        let module_system_applies = !(file.path.ends_with(".cjs") || file.path.ends_with(".mjs"));
        let library = matches!(origin, Origin::Builtin | Origin::External(_));
        let candidates = if library {
            import_candidates(eco, import)
        } else {
            Vec::new()
        };
        for &(fi, fam) in &fams {
            for (ai, alt) in fam.alternatives.iter().enumerate() {
                let by_syntax = module_system_applies && syntax.is_some_and(|s| alt.import_kinds.contains(&s));
                let by_module = candidates.iter().any(|c| {
                    alt.imports.iter().any(|p| module_matches(eco, p, c))
                        && !alt.except.iter().any(|p| module_matches(eco, p, c))
                });
                if by_syntax || by_module {
                    let span = if import.module_span == Span::default() {
                        import.span
                    } else {
                        import.module_span
                    };
                    uses.push(ConventionUse {
                        family: fi,
                        alternative: ai,
                        span,
                        class: class_at(import.in_test),
                        via_import: by_module,
                    });
                }
            }
        }
    }
    let defined: BTreeSet<&str> = file.definitions.iter().map(|d| d.name.as_str()).collect();
    // Output during teardown (`impl Drop`, `__del__`) is not logging: the
    // logger may be gone, and a panic guard must not depend on it.
    let teardown: Vec<Span> = file
        .functions
        .iter()
        .filter(|f| (f.name == "drop" && f.container_is_trait) || f.name == "__del__")
        .map(|f| f.span)
        .collect();
    for call in &file.call_uses {
        if teardown
            .iter()
            .any(|s| s.start <= call.span.start && call.span.end <= s.end)
        {
            continue;
        }
        // `from rich import print`, `import fetch from "node-fetch"`: the
        // file's own binding, not the builtin. A Rust path's first segment
        // must be a crate, not a module of the project.
        if let Some((root, _)) = call.callee.split_once("::") {
            if defined.contains(root) || !is_library_path(model, file, root) {
                continue;
            }
        } else if bound.contains(call.callee.split(['.', '!']).next().unwrap_or("")) {
            continue;
        }
        for &(fi, fam) in &fams {
            for (ai, alt) in fam.alternatives.iter().enumerate() {
                if alternative_call(eco, alt, &call.callee) {
                    uses.push(ConventionUse {
                        family: fi,
                        alternative: ai,
                        span: call.span,
                        class: class_at(call.in_test),
                        // A Rust path into the crate is as good as its `use`.
                        via_import: !alt.calls.iter().any(|p| call_matches(p, &call.callee)),
                    });
                }
            }
        }
    }
    // Globals (jest's `describe`) in a test file importing no framework, in a
    // package that installs that framework and no rival.
    for &(fi, fam) in &fams {
        if !fam.alternatives.iter().any(|a| !a.globals.is_empty()) || uses.iter().any(|u| u.family == fi) {
            continue;
        }
        let [ai] = declared_alternatives(model, file, fam)[..] else {
            continue;
        };
        let globals = &fam.alternatives[ai].globals;
        let call = file.call_uses.iter().find(|c| {
            class_at(c.in_test) == CodeClass::Test && !bound.contains(c.callee.as_str()) && globals.contains(&c.callee)
        });
        if let Some(call) = call {
            uses.push(ConventionUse {
                family: fi,
                alternative: ai,
                span: call.span,
                class: CodeClass::Test,
                via_import: false,
            });
        }
    }
    uses.sort_by_key(|u| (u.span.start, u.family, u.alternative));
    uses.dedup_by_key(|u| (u.span.start, u.family, u.alternative));
    uses
}

/// Whether a module's name (its file stem, or its folder for an index
/// module) is one of the words that mark a wrapper: `app/http.py`,
/// `src/logger.ts`, `src/db/mod.rs`, `app/api_client.py`.
fn named_for(path: &str, words: &[String]) -> bool {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or(path);
    let mut stem = file.split('.').next().unwrap_or(file);
    if matches!(stem, "__init__" | "index" | "mod" | "lib") {
        stem = parts.next().unwrap_or(stem);
    }
    stem.split(['_', '-'])
        .flat_map(split_camel)
        .any(|w| words.iter().any(|k| k.eq_ignore_ascii_case(&w)))
}

/// `httpClient` -> `http`, `Client`.
fn split_camel(word: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut prev_lower = false;
    for c in word.chars() {
        if c.is_uppercase() && prev_lower {
            out.push(String::new());
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        out.last_mut().expect("never empty").push(c);
    }
    out
}

/// Whether a Rust path's first segment names a dependency or the standard
/// library (not a module of the crate).
fn is_library_path(model: &ProjectModel, file: &FileFacts, root: &str) -> bool {
    let import = crate::facts::Import {
        kind: ImportKind::Use,
        module: root.to_string(),
        level: 0,
        alias: None,
        names: Vec::new(),
        star: false,
        span: Span::default(),
        module_span: Span::default(),
        type_only: false,
        conditional: false,
        guarded: false,
        type_checking: false,
        in_function: false,
        in_test: false,
        cfg_feature: None,
    };
    matches!(
        resolve_import(model, file, &import),
        Origin::Builtin | Origin::External(_)
    )
}

/// Modules that import a library the rest of the project reaches through
/// them: several modules import the wrapper, and direct users of the family
/// elsewhere are few (a third of the wrapper's importers at most).
fn find_wrappers(
    model: &ProjectModel,
    uses: &[Vec<ConventionUse>],
    importers: &BTreeMap<FileId, BTreeSet<FileId>>,
    narrowed: bool,
) -> Vec<Wrapper> {
    let counted = |id: FileId| !(narrowed && model.reported.get(id).copied().unwrap_or(false));
    let mut wrappers = Vec::new();
    for (fi, family) in families().iter().enumerate() {
        if family.scope != FamilyScope::Application || family.wrapper_names.is_empty() {
            continue;
        }
        let direct: BTreeSet<FileId> = (0..uses.len())
            .filter(|&id| counted(id))
            .filter(|&id| {
                uses[id]
                    .iter()
                    .any(|u| u.family == fi && u.class == CodeClass::Application)
            })
            .collect();
        let found: Vec<Wrapper> = direct
            .iter()
            .filter_map(|&w| {
                if !named_for(&model.files[w].path, &family.wrapper_names) {
                    return None;
                }
                let u = uses[w]
                    .iter()
                    .find(|u| u.family == fi && u.class == CodeClass::Application && u.via_import)?;
                // One library, wrapped.
                if uses[w]
                    .iter()
                    .any(|o| o.family == fi && o.class == CodeClass::Application && o.alternative != u.alternative)
                {
                    return None;
                }
                let n = importers.get(&w).map_or(0, BTreeSet::len);
                let others = direct.len() - 1;
                (n >= WRAPPER_MIN_IMPORTERS && others * 3 <= n).then_some(Wrapper {
                    family: fi,
                    alternative: u.alternative,
                    file: w,
                    span: u.span,
                    importers: n,
                })
            })
            .collect();
        if found.len() == 1 {
            wrappers.extend(found);
        }
    }
    wrappers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_families_parse_and_are_well_formed() {
        let fams = families();
        assert!(fams.len() >= 20);
        let mut seen = BTreeSet::new();
        for f in fams {
            assert!(seen.insert((f.language, f.id.clone())), "duplicate family {}", f.id);
            assert!(f.alternatives.len() >= 2, "{}: a family needs rivals", f.id);
            for a in &f.alternatives {
                assert!(
                    !a.imports.is_empty() || !a.calls.is_empty() || !a.import_kinds.is_empty(),
                    "{}/{}: recognised by nothing",
                    f.id,
                    a.name
                );
            }
        }
    }

    #[test]
    fn patterns() {
        assert!(call_matches("print", "print") && !call_matches("print", "pprint"));
        assert!(call_matches("console.*", "console.log") && !call_matches("console.*", "console"));
        assert!(
            call_matches(".then", "p.then") && !call_matches(".then", ".then") && !call_matches(".then", "p.thenable")
        );
        assert!(call_matches("tracing::*", "tracing::info!"));
        assert!(module_matches(Ecosystem::Python, "os.path", "os.path.join"));
        assert!(!module_matches(Ecosystem::Python, "os.path", "os.pathconf"));
        assert!(module_matches(Ecosystem::Rust, "hyper::client", "hyper::client::conn"));
        assert!(is_convention_call(Ecosystem::Python, "os.path.join"));
        assert!(!is_convention_call(Ecosystem::Python, "os.getcwd"));
    }

    #[test]
    fn wrapper_names() {
        let words = ["http".to_string(), "log".to_string(), "db".to_string()];
        assert!(named_for("app/http.py", &words));
        assert!(named_for("src/httpClient.ts", &words));
        assert!(named_for("app/db/__init__.py", &words));
        assert!(named_for("src/log_setup.rs", &words));
        assert!(!named_for("src/requests/models.py", &words));
        assert!(!named_for("src/dialog.ts", &words));
    }

    #[test]
    fn pins_are_validated() {
        assert!(validate_pin("http-client", "httpx").is_ok());
        assert!(validate_pin("http-client", "curl").unwrap_err().contains("requests"));
        assert!(validate_pin("http-clients", "httpx")
            .unwrap_err()
            .contains("unknown convention family"));
    }
}
