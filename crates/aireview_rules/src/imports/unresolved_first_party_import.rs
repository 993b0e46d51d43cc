//! `unresolved-first-party-import`: an import of the project's own code that
//! names a module or file that does not exist, or a name the target module
//! neither defines nor re-exports.

use super::module_span;
use aireview_core::facts::{FileFacts, Import, ImportKind};
use aireview_core::lang::Language;
use aireview_core::model::{FileId, ProjectModel};
use aireview_core::resolve::{imported_names, is_guarded, module_exports, resolve_import, Local, Origin};
use aireview_core::rule::{ProjectContext, ProjectRule};

pub struct UnresolvedFirstPartyImport;

impl ProjectRule for UnresolvedFirstPartyImport {
    fn id(&self) -> &'static str {
        "unresolved-first-party-import"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        for import in &file.imports {
            if is_guarded(import) || import.kind == ImportKind::Dynamic {
                continue;
            }
            match resolve_import(model, file, import) {
                Origin::Local(Local::Missing(what)) => {
                    cx.report(module_span(import), what)
                        .with_help("import the module where the code really is, or write it");
                }
                Origin::Local(Local::Module(id)) => check_names(file, import, id, model, cx),
                _ => {}
            }
        }
    }
}

fn check_names(file: &FileFacts, import: &Import, id: FileId, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
    let target = &model.files[id];
    if id == model.file_id(&file.path).unwrap_or(usize::MAX) {
        return;
    }
    let js = matches!(
        target.language,
        Some(Language::TypeScript | Language::Tsx | Language::JavaScript)
    );
    if js && !names_checkable_js(target) {
        return;
    }
    for name in imported_names(import) {
        let asked = name.name.as_str();
        let defined = match target.language {
            Some(Language::Python) => {
                let sub = python_submodule(model, import, &target.path, asked);
                if sub {
                    Some(true)
                } else {
                    module_exports(model, id, asked)
                }
            }
            _ => module_exports(model, id, asked),
        };
        if defined != Some(false) {
            continue;
        }
        let what = if asked == "default" {
            format!("`{}` has no default export", target.path)
        } else {
            format!("`{asked}` is not defined or re-exported by `{}`", target.path)
        };
        cx.report(name.span, what)
            .with_help(similar_names(model, id, asked).map_or_else(
                || "import a name the module really has, or write it".to_string(),
                |s| format!("did you mean `{s}`?"),
            ));
    }
}

/// A JS/TS module's names are known when it is a TypeScript file or has
/// ES exports (a plain script or a CommonJS module assembled at run time is not).
fn names_checkable_js(target: &FileFacts) -> bool {
    if target.exports.dynamic {
        return false;
    }
    let ts = matches!(target.language, Some(Language::TypeScript | Language::Tsx));
    ts || !target.exports.names.is_empty()
}

/// `from pkg import sub` where `sub` is a module file of package `pkg`.
fn python_submodule(model: &ProjectModel, _import: &Import, target_path: &str, name: &str) -> bool {
    let Some(dir) = target_path
        .strip_suffix("/__init__.py")
        .or_else(|| target_path.strip_suffix("/__init__.pyi"))
    else {
        return false;
    };
    let stem = format!("{dir}/{name}");
    [".py", ".pyi", "/__init__.py", "/__init__.pyi"]
        .iter()
        .any(|ext| model.file_id(&format!("{stem}{ext}")).is_some())
        || model.has_python_folder(&stem)
        || model.has_native_module(&stem)
}

/// A defined name within a small edit distance, for the hint.
fn similar_names(model: &ProjectModel, id: FileId, asked: &str) -> Option<String> {
    let mut names: Vec<&String> = model.module_names(id).iter().collect();
    names.sort();
    names
        .into_iter()
        .filter(|n| n.as_str() != asked)
        .map(|n| (strsim::damerau_levenshtein(asked, n), n))
        .filter(|(d, n)| *d <= 2.min(n.len() / 3).max(1))
        .min()
        .map(|(_, n)| n.clone())
}
