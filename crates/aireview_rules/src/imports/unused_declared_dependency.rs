//! `unused-declared-dependency` (off by default): a runtime dependency that
//! no file of its package imports. Uses the same import-to-package mapping as
//! `undeclared-import`, so the two never disagree (no `sklearn` undeclared
//! next to `scikit-learn` unused).

use aireview_core::deps::{is_under, rust_key, DepRoot};
use aireview_core::facts::FileFacts;
use aireview_core::lang::{Ecosystem, Language};
use aireview_core::model::ProjectModel;
use aireview_core::resolve::{resolve_import, Origin};
use aireview_core::rule::{ManifestContext, ProjectContext, ProjectRule};
use aireview_manifest::DepKind;
use std::collections::{BTreeSet, HashSet};

pub struct UnusedDeclaredDependency;

/// Packages that are used without being imported: servers started from
/// the command line, database drivers loaded by URL, data-only packages,
/// type stubs and plugins found through entry points.
const NEVER_IMPORTED: &[&str] = &[
    "gunicorn",
    "uvicorn",
    "hypercorn",
    "daphne",
    "waitress",
    "psycopg2-binary",
    "psycopg-binary",
    "tzdata",
    "setuptools",
    "wheel",
    "pip",
    "certifi",
    "supervisor",
    "pre-commit",
    "tox",
    "nox",
    "ruff",
    "black",
    "mypy",
    "mysqlclient",
    "typescript",
    "tslib",
];

fn exempt(eco: Ecosystem, name: &str, ignore: &HashSet<String>) -> bool {
    let lower = name.to_ascii_lowercase();
    ignore.contains(&lower)
        || NEVER_IMPORTED.contains(&lower.as_str())
        || match eco {
            Ecosystem::Python => {
                lower.starts_with("types-")
                    || lower.ends_with("-stubs")
                    || lower.starts_with("pytest-")
                    || lower.starts_with("flake8-")
            }
            Ecosystem::Js => lower.starts_with("@types/"),
            Ecosystem::Rust => false,
        }
}

impl ProjectRule for UnusedDeclaredDependency {
    fn id(&self) -> &'static str {
        "unused-declared-dependency"
    }

    fn check(&self, _file: &FileFacts, _model: &ProjectModel, _cx: &mut ProjectContext<'_>) {}

    fn prepare(&self, options: &toml::Table) -> Result<aireview_core::rule::Prepared, String> {
        let ignore = match options.get("ignore") {
            None => HashSet::new(),
            Some(toml::Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_ascii_lowercase)
                        .ok_or_else(|| "`ignore` must be a list of package names".to_string())
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("`ignore` must be a list of package names".into()),
        };
        Ok(std::sync::Arc::new(ignore))
    }

    fn check_project(&self, model: &ProjectModel, cx: &mut ManifestContext<'_>) {
        let empty = HashSet::new();
        let ignore = cx.prepared::<HashSet<String>>().unwrap_or(&empty).clone();
        let used = used_keys(model);
        for root in &model.deps.roots {
            if !root.broken.is_empty() {
                continue;
            }
            for eco in [Ecosystem::Python, Ecosystem::Js, Ecosystem::Rust] {
                let Some(deps) = root.ecosystem(eco) else {
                    continue;
                };
                if !has_code(model, root, eco) {
                    continue;
                }
                for (key, decls) in &deps.declared {
                    if used.contains(&(root.dir.clone(), key.clone())) {
                        continue;
                    }
                    for d in decls {
                        // Optional dependencies (extras, Cargo features) often
                        // switch on other libraries' features without an import.
                        if d.dep.kind != DepKind::Normal
                            || d.dep.optional
                            || d.dep.line == 0
                            || exempt(eco, &d.dep.package, &ignore)
                        {
                            continue;
                        }
                        if !cx.in_scope(&d.manifest) {
                            continue;
                        }
                        cx.report_in_manifest(
                            model,
                            &d.manifest,
                            d.dep.line,
                            d.dep.column,
                            d.dep.name.chars().count(),
                            format!("`{}` is declared but no file of this package imports it", d.dep.name),
                        )
                        .with_help(
                            "remove the declaration, or list the package under this rule's `ignore` option \
                             if it is used without an import (a plugin, a CLI, a driver loaded by URL)",
                        );
                    }
                }
            }
        }
    }
}

/// The package root has source files of this ecosystem.
/// Whether the package has code that ships: a folder of docs, tests or
/// examples with its own requirements file declares a toolchain (Sphinx
/// extensions, test drivers), not imports.
fn has_code(model: &ProjectModel, root: &DepRoot, eco: Ecosystem) -> bool {
    model
        .files
        .iter()
        .any(|f| f.language.map(Language::ecosystem) == Some(eco) && f.is_production() && is_under(&f.path, &root.dir))
}

/// (package root, import key) pairs that some import reaches.
fn used_keys(model: &ProjectModel) -> BTreeSet<(String, String)> {
    let mut used = BTreeSet::new();
    for file in &model.files {
        let Some(eco) = file.language.map(Language::ecosystem) else {
            continue;
        };
        let chain = model.deps.chain(&file.path, eco);
        let mut mark = |keys: &[String]| {
            for r in &chain {
                for k in keys {
                    used.insert((r.dir.clone(), k.clone()));
                }
            }
        };
        for import in &file.imports {
            match resolve_import(model, file, import) {
                Origin::External(ext) => mark(&ext.keys),
                // A workspace member crate or package is still a declared dependency.
                Origin::Local(_) => {
                    let key = match eco {
                        Ecosystem::Rust => rust_key(import.module.split("::").next().unwrap_or("")),
                        Ecosystem::Js => aireview_core::deps::DependencyModel::js_package_name(&import.module)
                            .unwrap_or("")
                            .to_string(),
                        Ecosystem::Python => continue,
                    };
                    mark(&[key]);
                }
                _ => {}
            }
        }
        if eco == Ecosystem::Rust {
            let keys: Vec<String> = file.path_roots.iter().map(|r| rust_key(r)).collect();
            mark(&keys);
        }
    }
    used
}
