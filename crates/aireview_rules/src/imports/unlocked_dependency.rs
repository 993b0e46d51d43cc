//! `unlocked-dependency`: a declared dependency that the project's lockfile
//! does not contain: added by hand (often by an assistant) and never
//! installed or resolved.

use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::rule::{ManifestContext, ProjectContext, ProjectRule};

pub struct UnlockedDependency;

impl ProjectRule for UnlockedDependency {
    fn id(&self) -> &'static str {
        "unlocked-dependency"
    }

    fn check(&self, _file: &FileFacts, _model: &ProjectModel, _cx: &mut ProjectContext<'_>) {}

    fn check_project(&self, model: &ProjectModel, cx: &mut ManifestContext<'_>) {
        for (decl, lock) in model.deps.unlocked() {
            if decl.dep.line == 0 || !cx.in_scope(&decl.manifest) {
                continue;
            }
            cx.report_in_manifest(
                model,
                &decl.manifest,
                decl.dep.line,
                decl.dep.column,
                decl.dep.name.chars().count(),
                format!("`{}` is declared but {} does not contain it", decl.dep.name, lock.path),
            )
            .with_help(format!(
                "install it with the package manager so {} records it (and check that the package is real)",
                lock.path
            ));
        }
    }
}
