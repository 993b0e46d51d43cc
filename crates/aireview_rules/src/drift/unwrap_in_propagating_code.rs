//! `unwrap-in-propagating-code`: `.unwrap()` in a Rust function that
//! returns `Result`/`Option` and propagates its other errors with `?`, in a
//! package whose code propagates.

use aireview_core::conventions::{judged_for_propagation, DEFAULT_MIN_FILES, DEFAULT_MIN_SHARE};
use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::rule::{ProjectContext, ProjectRule};

pub struct UnwrapInPropagatingCode;

impl ProjectRule for UnwrapInPropagatingCode {
    fn id(&self) -> &'static str {
        "unwrap-in-propagating-code"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        let Some(id) = model.file_id(&file.path) else {
            return;
        };
        let package = model.package_of(&file.path).map(|p| p.dir.clone()).unwrap_or_default();
        let norm = model
            .conventions
            .propagation
            .get(&package)
            .is_some_and(|p| p.is_the_norm(DEFAULT_MIN_FILES, DEFAULT_MIN_SHARE));
        if !norm {
            return;
        }
        for (index, f) in file.functions.iter().enumerate() {
            let flow = &f.error_flow;
            if flow.question_marks == 0 || !judged_for_propagation(model, id, index) {
                continue;
            }
            for &span in &flow.unwraps {
                cx.report(
                    span,
                    format!(
                        "`.unwrap()` in `{}`, which returns an error and propagates the others with `?`",
                        f.name
                    ),
                )
                .with_help(
                    "propagate with `?` (`.ok_or(..)?` for an `Option`), or use `.expect(\"why this cannot fail\")`",
                );
            }
        }
    }
}
