//! `newly-published-package` (with `--online`): an undeclared import or an
//! unlocked declaration names a package first published only days ago.
//! A name an assistant suggested that appeared on the registry last week
//! may have been registered by someone waiting for exactly that suggestion.

use super::module_span;
use aireview_core::deps::Declaration;
use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::resolve::{is_guarded, resolve_import, Origin};
use aireview_core::rule::{ManifestContext, Prepared, ProjectContext, ProjectRule};
use aireview_core::Ecosystem;
use aireview_manifest::package_lookup::{age_in_days, PackageStatus};
use std::time::SystemTime;

pub struct NewlyPublishedPackage;

struct MinAge(u64);

fn young(model: &ProjectModel, eco: Ecosystem, package: &str, min: u64) -> Option<u64> {
    match model.registry.get(&(eco, package.to_string())) {
        Some(PackageStatus::Exists { created: Some(c) }) => {
            age_in_days(c, SystemTime::now()).filter(|&days| days < min)
        }
        _ => None,
    }
}

impl ProjectRule for NewlyPublishedPackage {
    fn id(&self) -> &'static str {
        "newly-published-package"
    }

    fn prepare(&self, options: &toml::Table) -> Result<Prepared, String> {
        let days = match options.get("min-age-days") {
            None => 30,
            Some(toml::Value::Integer(n)) if *n >= 0 => *n as u64,
            Some(_) => return Err("`min-age-days` must be a non-negative integer".into()),
        };
        Ok(std::sync::Arc::new(MinAge(days)))
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        if model.registry.is_empty() {
            return;
        }
        let min = cx.prepared::<MinAge>().map_or(30, |m| m.0);
        for import in &file.imports {
            if is_guarded(import) {
                continue;
            }
            let Origin::External(ext) = resolve_import(model, file, import) else {
                continue;
            };
            if !matches!(
                model.deps.declaration(&file.path, ext.ecosystem, &ext.keys),
                Declaration::Missing { .. }
            ) {
                continue;
            }
            if let Some(days) = young(model, ext.ecosystem, &ext.package, min) {
                cx.report(
                    module_span(import),
                    format!("package `{}` was first published {days} days ago", ext.package),
                )
                .with_help(
                    "check who publishes it and that it is the package you meant before adding it; \
                     new packages with plausible names are a common attack",
                );
            }
        }
    }

    fn check_project(&self, model: &ProjectModel, cx: &mut ManifestContext<'_>) {
        let min = cx.prepared::<MinAge>().map_or(30, |m| m.0);
        for (decl, lock) in model.deps.unlocked() {
            if decl.dep.line == 0 || !cx.in_scope(&decl.manifest) {
                continue;
            }
            if let Some(days) = young(model, lock.ecosystem, &decl.dep.package, min) {
                cx.report_in_manifest(
                    model,
                    &decl.manifest,
                    decl.dep.line,
                    decl.dep.column,
                    decl.dep.name.chars().count(),
                    format!("package `{}` was first published {days} days ago", decl.dep.package),
                )
                .with_help("check who publishes it and that it is the package you meant");
            }
        }
    }
}
