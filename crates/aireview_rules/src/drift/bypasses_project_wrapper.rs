//! `bypasses-project-wrapper`: the project reaches a library through its
//! own module, and this file imports the library (or a rival) directly.

use super::first_uses;
use aireview_core::conventions::CodeClass;
use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::rule::{ProjectContext, ProjectRule};

pub struct BypassesProjectWrapper;

impl ProjectRule for BypassesProjectWrapper {
    fn id(&self) -> &'static str {
        "bypasses-project-wrapper"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        let Some(id) = model.file_id(&file.path) else {
            return;
        };
        for (u, family) in first_uses(file, model) {
            if u.class != CodeClass::Application {
                continue;
            }
            let Some(w) = model.conventions.wrapper(u.family) else {
                continue;
            };
            if w.file == id {
                continue;
            }
            let wrapped = &family.alternatives[w.alternative].name;
            let used = &family.alternatives[u.alternative].name;
            let wrapper_path = &model.files[w.file].path;
            let what = if u.alternative == w.alternative {
                format!("`{used}` directly")
            } else {
                format!("`{used}`, a rival of the wrapped `{wrapped}`,")
            };
            cx.report(
                u.span,
                format!(
                    "uses {what} for {}, bypassing the project's wrapper `{wrapper_path}` ({} modules go through it)",
                    family.label, w.importers
                ),
            )
            .with_help(format!("use what `{wrapper_path}` provides, or extend it"))
            .with_related(wrapper_path.clone(), w.span, format!("the wrapper of `{wrapped}`"));
        }
    }
}
