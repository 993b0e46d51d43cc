//! `unknown-import` (info): a third-party import that cannot be checked
//! because the manifest that would declare it does not parse.

use super::module_span;
use aireview_core::deps::Declaration;
use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::resolve::{is_guarded, resolve_import, Origin};
use aireview_core::rule::{ProjectContext, ProjectRule};

pub struct UnknownImport;

impl ProjectRule for UnknownImport {
    fn id(&self) -> &'static str {
        "unknown-import"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        for import in &file.imports {
            if is_guarded(import) {
                continue;
            }
            let Origin::External(ext) = resolve_import(model, file, import) else {
                continue;
            };
            if let Declaration::Unknown { broken: Some(manifest) } =
                model.deps.declaration(&file.path, ext.ecosystem, &ext.keys)
            {
                cx.report(
                    module_span(import),
                    format!(
                        "cannot check whether `{}` is declared: {manifest} does not parse",
                        ext.package
                    ),
                )
                .with_help(format!(
                    "fix {manifest} (see the warning about it) and run aireview again"
                ));
            }
        }
    }
}
