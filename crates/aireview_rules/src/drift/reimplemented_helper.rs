//! `reimplemented-helper`: a function that repeats one the project already
//! has in another module: the same body (names and literals aside), or the
//! same distinctive name as a function of a shared utility module.

use aireview_core::conventions::{
    imports_module, is_helper_candidate, normalized_name, shared_with, utility_scope, HelperRef, HELPER_MIN_SIZE,
};
use aireview_core::facts::FileFacts;
use aireview_core::lang::Language;
use aireview_core::model::ProjectModel;
use aireview_core::rule::{ProjectContext, ProjectRule};

pub struct ReimplementedHelper;

/// Names too common to mean the same thing in two modules.
const GENERIC_NAMES: &[&str] = &[
    "apply",
    "build",
    "callback",
    "check",
    "clean",
    "close",
    "compare",
    "compute",
    "configure",
    "convert",
    "create",
    "decode",
    "default",
    "delete",
    "deserialize",
    "encode",
    "escape",
    "execute",
    "fetch",
    "filter",
    "format",
    "handle",
    "handler",
    "helper",
    "index",
    "init",
    "load",
    "main",
    "merge",
    "normalize",
    "parse",
    "process",
    "quote",
    "register",
    "render",
    "reset",
    "save",
    "send",
    "serialize",
    "setup",
    "start",
    "stop",
    "teardown",
    "todict",
    "tojson",
    "tostring",
    "transform",
    "unquote",
    "update",
    "validate",
    "wrapper",
    "write",
];

fn distinctive(name: &str) -> bool {
    let n = normalized_name(name);
    n.len() >= 6 && !GENERIC_NAMES.contains(&n.as_str())
}

impl ProjectRule for ReimplementedHelper {
    fn id(&self) -> &'static str {
        "reimplemented-helper"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        let Some(id) = model.file_id(&file.path) else {
            return;
        };
        let Some(eco) = file.language.map(Language::ecosystem) else {
            return;
        };
        let helpers = &model.conventions.helpers;
        let this_shared = utility_scope(&file.path).is_some();
        let narrowed = cx.narrowed_scope;
        // The original of a copy: in the rest of the project when files were
        // named, else in a shared module this file may use. Modules that
        // import each other know of both (a wrapper, a re-export, a shim).
        let original = |other: &HelperRef, by_body: bool| {
            let path = &model.files[other.file].path;
            if other.file == id || imports_module(model, id, other.file) || imports_module(model, other.file, id) {
                return false;
            }
            if narrowed && by_body && model.reported[id] && !model.reported.get(other.file).copied().unwrap_or(true) {
                return true;
            }
            !this_shared && shared_with(path, &file.path)
        };
        for (index, f) in file.functions.iter().enumerate() {
            if !is_helper_candidate(model, id, index) {
                continue;
            }
            let same_body = (f.size >= HELPER_MIN_SIZE)
                .then(|| helpers.same_body(eco, f.fingerprint).iter().find(|o| original(o, true)))
                .flatten();
            if let Some(o) = same_body {
                let other = &model.files[o.file].functions[o.function];
                let path = &model.files[o.file].path;
                cx.report(
                    f.name_span,
                    format!("`{}` repeats the body of `{}` in `{path}`", f.name, other.name),
                )
                .with_help(format!(
                    "import and reuse `{}` instead of keeping a second copy",
                    other.name
                ))
                .with_related(path.clone(), other.name_span, "already defined here");
                continue;
            }
            if this_shared || !distinctive(&f.name) || f.size < HELPER_MIN_SIZE / 2 {
                continue;
            }
            let same_name = helpers.same_name(eco, &f.name).iter().find(|o| {
                let other = &model.files[o.file].functions[o.function];
                other.public && other.param_count == f.param_count && original(o, false)
            });
            if let Some(o) = same_name {
                let other = &model.files[o.file].functions[o.function];
                let path = &model.files[o.file].path;
                cx.report(
                    f.name_span,
                    format!("`{}` is already a helper in the shared module `{path}`", f.name),
                )
                .with_help(format!(
                    "import `{}` from `{path}`; if this one must differ, give it a name that says how",
                    other.name
                ))
                .with_related(path.clone(), other.name_span, "already defined here");
            }
        }
    }
}
