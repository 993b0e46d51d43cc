//! `hallucinated-third-party-name`: a name imported from a third-party
//! package that the package does not export (`from requests import
//! fetch_json`), checked against the package's sources or type
//! declarations on disk (virtual environment, node_modules, cargo registry).

use aireview_core::facts::{FileFacts, ImportKind};
use aireview_core::lang::Ecosystem;
use aireview_core::model::ProjectModel;
use aireview_core::resolve::{imported_names, is_guarded, resolve_import, Origin};
use aireview_core::rule::{ProjectContext, ProjectRule};

pub struct HallucinatedThirdPartyName;

impl ProjectRule for HallucinatedThirdPartyName {
    fn id(&self) -> &'static str {
        "hallucinated-third-party-name"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        let mut sources = None;
        for import in &file.imports {
            if is_guarded(import) || import.kind == ImportKind::Dynamic {
                continue;
            }
            let Origin::External(ext) = resolve_import(model, file, import) else {
                continue;
            };
            let sources = sources.get_or_insert_with(|| model.external_sources(&file.path, ext.ecosystem));
            // `import requests.adapters` asks `requests` for `adapters`.
            if ext.ecosystem == Ecosystem::Python && import.kind == ImportKind::Import {
                if let Some((parent, last)) = ext.module.rsplit_once('.') {
                    if model.external.exports_name(sources, ext.ecosystem, parent, last) == Some(false) {
                        cx.report(
                            import.module_span,
                            format!("package `{}` has no module `{}`", ext.package, ext.module),
                        )
                        .with_help(format!("check the module path against {}'s documentation", ext.package));
                    }
                }
                continue;
            }
            if import.kind == ImportKind::Require {
                continue;
            }
            for name in imported_names(import) {
                if model
                    .external
                    .exports_name(sources, ext.ecosystem, &ext.module, &name.name)
                    != Some(false)
                {
                    continue;
                }
                let what = if name.name == "default" {
                    format!("`{}` has no default export", ext.module)
                } else {
                    format!("`{}` does not export `{}`", ext.module, name.name)
                };
                cx.report(name.span, format!("{what} (checked against the installed package)"))
                    .with_help(format!(
                        "use a name {} really exports; assistants often invent plausible helper names",
                        ext.package
                    ));
            }
        }
    }
}
