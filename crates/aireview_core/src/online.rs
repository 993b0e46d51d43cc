//! `--online`: which packages to ask the registries about, and asking.
//! Only two kinds of package are looked up: third-party imports that no
//! manifest declares, and declared dependencies a present lockfile lacks;
//! everything else was installed once, so it exists.

use crate::deps::Declaration;
use crate::diagnostic::Warning;
use crate::lang::Ecosystem;
use crate::model::ProjectModel;
use crate::resolve::{is_guarded, resolve_import, Origin};
use aireview_manifest::package_lookup::{self, LookupOptions, PackageQuery, PackageStatus};
use std::collections::{BTreeMap, BTreeSet};

pub struct OnlineReport {
    pub answers: BTreeMap<(Ecosystem, String), PackageStatus>,
    pub warnings: Vec<Warning>,
}

/// The registry that serves an ecosystem.
pub fn registry_of(eco: Ecosystem) -> package_lookup::Ecosystem {
    match eco {
        Ecosystem::Python => package_lookup::Ecosystem::PyPI,
        Ecosystem::Js => package_lookup::Ecosystem::Npm,
        Ecosystem::Rust => package_lookup::Ecosystem::Crates,
    }
}

/// The packages worth asking about, sorted and deduplicated.
pub fn registry_questions(model: &ProjectModel) -> BTreeSet<(Ecosystem, String)> {
    let mut out = BTreeSet::new();
    for (id, file) in model.files.iter().enumerate() {
        if !model.reported[id] {
            continue;
        }
        for import in &file.imports {
            if is_guarded(import) {
                continue;
            }
            if let Origin::External(ext) = resolve_import(model, file, import) {
                if matches!(
                    model.deps.declaration(&file.path, ext.ecosystem, &ext.keys),
                    Declaration::Missing { .. }
                ) {
                    out.insert((ext.ecosystem, ext.package));
                }
            }
        }
    }
    for (decl, lock) in model.deps.unlocked() {
        out.insert((lock.ecosystem, decl.dep.package.clone()));
    }
    out
}

pub fn ask_registries(model: &ProjectModel, opts: &LookupOptions) -> OnlineReport {
    let questions = registry_questions(model);
    let queries: Vec<PackageQuery> = questions
        .iter()
        .map(|(eco, name)| PackageQuery {
            ecosystem: registry_of(*eco),
            name: name.clone(),
        })
        .collect();
    let report = package_lookup::lookup_packages(&queries, opts);
    let answers = questions
        .into_iter()
        .zip(report.answers)
        .map(|(q, (_, status))| (q, status))
        .collect();
    OnlineReport {
        answers,
        warnings: report.warnings.into_iter().map(|w| Warning::new("", w)).collect(),
    }
}
