//! `needless-class`: a class with only a constructor and one method,
//! built once and mentioned nowhere else: a function in disguise.

use super::{is_constructor, methods_of, plain_class, reviewable};
use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::rule::{ProjectContext, ProjectRule};

pub struct NeedlessClass;

impl ProjectRule for NeedlessClass {
    fn id(&self) -> &'static str {
        "needless-class"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        if !reviewable(file) {
            return;
        }
        for t in &file.types {
            if !plain_class(file, model, t, &[]) || !t.constant_fields.is_empty() {
                continue;
            }
            let methods = methods_of(file, t);
            let (ctors, others): (Vec<_>, Vec<_>) = methods.into_iter().partition(|m| is_constructor(&m.name));
            let [method] = others.as_slice() else {
                continue;
            };
            if ctors.len() != 1 || method.name.starts_with("__") || !method.decorators.is_empty() || method.is_abstract
            {
                continue;
            }
            let Some((site_file, site)) = model.only_construction(&t.name) else {
                continue;
            };
            // The one method is called once, on the new object (`Foo(x).run()`),
            // and the construction is the only mention: no annotation,
            // subclass, isinstance check or second use.
            if site.in_test
                || site.chained_method.as_deref() != Some(method.name.as_str())
                || model.mentions_of(&t.name).0 != 1
            {
                continue;
            }
            let diagnostic = cx.report(
                t.span,
                format!(
                    "`{}` has only a constructor and one method (`{}`), called once on the only instance ({}:{}): it would be a function",
                    t.name, method.name, site_file.path, site.span.start_line
                ),
            );
            diagnostic.with_help(format!(
                "turn `{}.{}` into a function that takes the constructor's arguments",
                t.name, method.name
            ));
            diagnostic.with_related(&site_file.path, site.span, "the only use");
        }
    }
}
