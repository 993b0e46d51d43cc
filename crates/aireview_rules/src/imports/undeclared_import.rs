//! `undeclared-import`: a third-party import whose package no manifest of
//! the file's package root (or an enclosing workspace) declares.

use super::{declaration_table, did_you_mean, in_test_code, module_span};
use aireview_core::deps::Declaration;
use aireview_core::facts::{FileFacts, FileRole, ImportKind};
use aireview_core::lang::Ecosystem;
use aireview_core::model::ProjectModel;
use aireview_core::resolve::{is_guarded, resolve_import, External, Origin};
use aireview_core::rule::{ProjectContext, ProjectRule};
use aireview_manifest::{tables, DepKind};
use std::sync::OnceLock;

pub struct UndeclaredImport;

impl ProjectRule for UndeclaredImport {
    fn id(&self) -> &'static str {
        "undeclared-import"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        for import in &file.imports {
            if is_guarded(import) {
                continue;
            }
            let Origin::External(ext) = resolve_import(model, file, import) else {
                continue;
            };
            if legacy_build_import(file, &ext) || build_hook_import(model, file, &ext) {
                continue;
            }
            // Docs, examples and benchmarks show the reader packages they
            // install themselves; a package imported behind a guard anywhere
            // is one the project treats as optional.
            if file.role == FileRole::Example || model.imported_optionally(ext.ecosystem, &import.module) {
                continue;
            }
            // Python and JS resolve imports at run time: one that runs only
            // on some paths (in a function, under an `if`, a probe with
            // `importlib.import_module`) loads an optional package on demand,
            // or a module a test wrote to disk itself.
            if ext.ecosystem != Ecosystem::Rust && (import.conditional || import.kind == ImportKind::Dynamic) {
                continue;
            }
            let dev_code = in_test_code(file, import) || file.is_tooling(ext.ecosystem);
            let Declaration::Missing { manifest } = model.deps.declaration(&file.path, ext.ecosystem, &ext.keys) else {
                continue;
            };
            // Test and tooling requirements often live in their own files
            // (`tests/requirements/py3.txt`) or outside the reviewed tree (a
            // published package without its dev dependencies).
            if dev_code
                && (declared_anywhere(model, ext.ecosystem, &ext.keys)
                    || plugin_declared(model, ext.ecosystem, &shown_name(&ext, &import.module))
                    || !declares_dev(model, ext.ecosystem))
            {
                continue;
            }
            let shown = shown_name(&ext, &import.module);
            let mut message = format!("`{shown}` is imported but not declared as a dependency");
            if ext.ecosystem == Ecosystem::Python && !ext.package.eq_ignore_ascii_case(&shown) {
                message = format!(
                    "`{shown}` is imported but its package `{}` is not declared as a dependency",
                    ext.package
                );
            }
            let kind = model.deps.manifests.get(manifest).and_then(|m| m.kind);
            let poetry = model
                .deps
                .manifest_text(manifest)
                .is_some_and(aireview_core::deps::is_poetry);
            let table = declaration_table(manifest, in_test_code(file, import), kind, poetry);
            let suggestion = did_you_mean(&shown, candidates(model, file, &ext));
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`? Otherwise add `{}` to {table}", ext.package),
                None => format!(
                    "add `{}` to {table}, or remove the import if the package does not exist",
                    ext.package
                ),
            };
            cx.report(module_span(import), message).with_help(help);
        }
    }
}

/// `setup.py` without a `[build-system]` table is built with setuptools,
/// which pip provides itself: importing it there needs no declaration.
fn legacy_build_import(file: &FileFacts, ext: &External) -> bool {
    let name = file.path.rsplit('/').next().unwrap_or(&file.path);
    name == "setup.py" && ext.ecosystem == Ecosystem::Python && ext.keys.iter().any(|k| k == "setuptools")
}

/// Build-backend hooks (`pdm_build.py`, `hatch_build.py`) import the
/// backend named in `[build-system] requires`, which is installed for the
/// build only (`pdm` from `pdm-backend`).
fn build_hook_import(model: &ProjectModel, file: &FileFacts, ext: &External) -> bool {
    let name = file.path.rsplit('/').next().unwrap_or(&file.path);
    if ext.ecosystem != Ecosystem::Python || !matches!(name, "pdm_build.py" | "hatch_build.py" | "build.py") {
        return false;
    }
    let dir = file.path.strip_suffix(name).unwrap_or("");
    let Some(manifest) = model.deps.manifests.get(&format!("{dir}pyproject.toml")) else {
        return false;
    };
    manifest.build_requires.iter().any(|dist| {
        ext.keys
            .iter()
            .any(|k| dist == k || dist.strip_prefix(k.as_str()).is_some_and(|rest| rest.starts_with('-')))
    })
}

/// Whether any package root of the project declares the package.
fn declared_anywhere(model: &ProjectModel, eco: Ecosystem, keys: &[String]) -> bool {
    model.deps.all_declared(eco).any(|(key, _)| keys.contains(key))
}

/// Whether a plugin of the package, or a distribution named after it, is
/// declared (`mkdocs-material` installs `mkdocs` and the `material`
/// module; `pytest-cov` needs `pytest`). Used for development code only,
/// where such transitive imports are the norm.
fn plugin_declared(model: &ProjectModel, eco: Ecosystem, name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace('_', "-");
    if eco != Ecosystem::Python || name.len() < 3 {
        return false;
    }
    model.deps.all_declared(eco).any(|(_, d)| {
        let dist = aireview_manifest::normalize_python_name(&d.dep.package);
        dist.strip_prefix(name.as_str()).is_some_and(|r| r.starts_with('-'))
            || dist.strip_suffix(name.as_str()).is_some_and(|r| r.ends_with('-'))
    })
}

/// Whether the project declares development dependencies at all: if not,
/// its test tooling is declared somewhere aireview cannot see.
fn declares_dev(model: &ProjectModel, eco: Ecosystem) -> bool {
    model.deps.all_declared(eco).any(|(_, d)| d.dep.kind == DepKind::Dev)
}

/// The name as the code writes it: Python's top-level module, the npm
/// package, the Rust crate.
pub(super) fn shown_name(ext: &External, module: &str) -> String {
    aireview_core::model::import_top(ext.ecosystem, module).to_string()
}

/// Declared packages of the file's package roots, then popular ones.
fn candidates(model: &ProjectModel, file: &FileFacts, ext: &External) -> Vec<String> {
    let mut out = Vec::new();
    for root in model.deps.chain(&file.path, ext.ecosystem) {
        if let Some(deps) = root.ecosystem(ext.ecosystem) {
            for decls in deps.declared.values() {
                for d in decls {
                    out.push(d.dep.name.clone());
                    if ext.ecosystem == Ecosystem::Python {
                        out.extend(
                            tables::imports_for_distribution(&d.dep.name)
                                .into_iter()
                                .map(String::from),
                        );
                    }
                }
            }
        }
    }
    out.extend(popular_names(ext.ecosystem).iter().cloned());
    out
}

/// Popular package names of an ecosystem, with the import names of Python
/// distributions, computed once per process.
fn popular_names(eco: Ecosystem) -> &'static [String] {
    static CACHE: OnceLock<[Vec<String>; 3]> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        let python = tables::popular_python()
            .iter()
            .flat_map(|p| {
                std::iter::once(p.to_string()).chain(tables::imports_for_distribution(p).into_iter().map(String::from))
            })
            .collect();
        let npm = tables::popular_npm().iter().map(|p| p.to_string()).collect();
        let crates = tables::popular_crates().iter().map(|p| p.to_string()).collect();
        [python, npm, crates]
    });
    match eco {
        Ecosystem::Python => &all[0],
        Ecosystem::Js => &all[1],
        Ecosystem::Rust => &all[2],
    }
}
