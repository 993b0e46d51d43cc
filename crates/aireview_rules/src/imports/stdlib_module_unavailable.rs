//! `stdlib-module-unavailable`: a standard-library module that is missing
//! from some Python version the project says it supports
//! (`requires-python`): `tomllib` on 3.9, `distutils` on 3.12.

use super::module_span;
use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::resolve::{is_guarded, resolve_import, Origin};
use aireview_core::rule::{ProjectContext, ProjectRule};

pub struct StdlibModuleUnavailable;

impl ProjectRule for StdlibModuleUnavailable {
    fn id(&self) -> &'static str {
        "stdlib-module-unavailable"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        for import in &file.imports {
            // `if sys.version_info >= (3, 11): import tomllib` and try/except fallbacks are fine.
            if is_guarded(import) || import.conditional {
                continue;
            }
            let Origin::BuiltinUnavailable { reason } = resolve_import(model, file, import) else {
                continue;
            };
            let Some((lo, hi)) = model.deps.python_versions(&file.path) else {
                continue;
            };
            cx.report(
                module_span(import),
                format!(
                    "{reason}, but this project supports Python {}.{} to {}.{}",
                    lo.0, lo.1, hi.0, hi.1
                ),
            )
            .with_help(
                "guard the import (`try: ... except ImportError:` with a fallback, or a `sys.version_info` check), \
                 use a backport package, or raise `requires-python`",
            );
        }
    }
}
