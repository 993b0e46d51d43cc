//! `pass-through-wrapper`: a class whose every method forwards its
//! arguments unchanged to the same method of one held object.

use super::{code_list, counted, is_constructor, methods_of, plain_class, prepare_threshold, reviewable, threshold};
use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::rule::{Prepared, ProjectContext, ProjectRule};

pub struct PassThroughWrapper;

impl ProjectRule for PassThroughWrapper {
    fn id(&self) -> &'static str {
        "pass-through-wrapper"
    }

    fn prepare(&self, options: &toml::Table) -> Result<Prepared, String> {
        prepare_threshold(options, "min-methods", 2, 1)
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        if !reviewable(file) {
            return;
        }
        let min = threshold(cx, 2);
        for t in &file.types {
            if !plain_class(file, model, t, &[]) {
                continue;
            }
            let methods: Vec<_> = methods_of(file, t)
                .into_iter()
                .filter(|m| !is_constructor(&m.name))
                .collect();
            if methods.len() < min
                || methods
                    .iter()
                    .any(|m| m.name.starts_with("__") || !m.decorators.is_empty())
            {
                continue;
            }
            let Some(target) = methods[0].forward.as_ref().map(|f| f.target.as_str()) else {
                continue;
            };
            if !methods
                .iter()
                .all(|m| m.forward.as_ref().is_some_and(|f| f.target == target))
            {
                continue;
            }
            let names: Vec<&str> = methods.iter().map(|m| m.name.as_str()).collect();
            let holder = if file.language == Some(aireview_core::Language::Python) {
                "self"
            } else {
                "this"
            };
            let diagnostic = cx.report(
                t.span,
                format!(
                    "`{}` only forwards: its {} ({}) pass their arguments unchanged to the same methods of `{holder}.{target}`",
                    t.name,
                    counted(names.len(), "method"),
                    code_list(&names)
                ),
            );
            diagnostic.with_help(format!(
                "use the object in `{holder}.{target}` directly; a wrapper earns its place when it adds behaviour (logging, retries, translation)"
            ));
            diagnostic.with_related(&file.path, methods[0].name_span, "forwards unchanged");
        }
    }
}
