//! `nonexistent-package` (with `--online`): an undeclared import or an
//! unlocked declaration names a package that the registry does not have.
//! LLMs invent plausible package names; attackers register them
//! ("slopsquatting"), so a missing name today is a risk tomorrow.

use super::module_span;
use aireview_core::deps::Declaration;
use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::resolve::{is_guarded, resolve_import, Origin};
use aireview_core::rule::{ManifestContext, ProjectContext, ProjectRule};
use aireview_manifest::package_lookup::PackageStatus;

pub struct NonexistentPackage;

fn registry_name(eco: aireview_core::Ecosystem) -> &'static str {
    match eco {
        aireview_core::Ecosystem::Python => "PyPI",
        aireview_core::Ecosystem::Js => "the npm registry",
        aireview_core::Ecosystem::Rust => "crates.io",
    }
}

impl ProjectRule for NonexistentPackage {
    fn id(&self) -> &'static str {
        "nonexistent-package"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        if model.registry.is_empty() {
            return;
        }
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
            if model.registry.get(&(ext.ecosystem, ext.package.clone())) == Some(&PackageStatus::Missing) {
                cx.report(
                    module_span(import),
                    format!(
                        "package `{}` does not exist on {} (asked through your configured client)",
                        ext.package,
                        registry_name(ext.ecosystem)
                    ),
                )
                .with_help(
                    "the name was probably invented; find the real package that does this, \
                     and never install a name you cannot find documented",
                );
            }
        }
    }

    fn check_project(&self, model: &ProjectModel, cx: &mut ManifestContext<'_>) {
        for (decl, lock) in model.deps.unlocked() {
            if decl.dep.line == 0 || !cx.in_scope(&decl.manifest) {
                continue;
            }
            if model.registry.get(&(lock.ecosystem, decl.dep.package.clone())) == Some(&PackageStatus::Missing) {
                cx.report_in_manifest(
                    model,
                    &decl.manifest,
                    decl.dep.line,
                    decl.dep.column,
                    decl.dep.name.chars().count(),
                    format!(
                        "package `{}` does not exist on {}",
                        decl.dep.package,
                        registry_name(lock.ecosystem)
                    ),
                )
                .with_help("remove the declaration; the name was probably invented");
            }
        }
    }
}
