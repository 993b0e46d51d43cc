//! `dev-dependency-in-production-code`: a package declared only for
//! development (tests, linting) imported by code that ships.

use super::{dev_only, in_test_code, module_span};
use aireview_core::deps::Declaration;
use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::resolve::{is_guarded, resolve_import, Origin};
use aireview_core::rule::{ProjectContext, ProjectRule};

pub struct DevDependencyInProductionCode;

impl ProjectRule for DevDependencyInProductionCode {
    fn id(&self) -> &'static str {
        "dev-dependency-in-production-code"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        if !file.is_production() {
            return;
        }
        for import in &file.imports {
            if is_guarded(import) || import.type_only || in_test_code(file, import) {
                continue;
            }
            let Origin::External(ext) = resolve_import(model, file, import) else {
                continue;
            };
            if file.is_tooling(ext.ecosystem) {
                return;
            }
            let Declaration::Declared(decls) = model.deps.declaration(&file.path, ext.ecosystem, &ext.keys) else {
                continue;
            };
            // `[target.'cfg(loom)'.dev-dependencies]`: the code importing it
            // is compiled only under that custom cfg, a test configuration.
            if !dev_only(&decls) || decls.iter().all(|d| d.dep.group.as_deref().is_some_and(custom_cfg)) {
                continue;
            }
            let first = decls[0];
            let group = first
                .dep
                .group
                .as_deref()
                .map(|g| format!(" (group `{g}`)"))
                .unwrap_or_default();
            cx.report(
                module_span(import),
                format!(
                    "`{}` is declared only as a development dependency in {}{group}, but production code imports it",
                    ext.package, first.manifest
                ),
            )
            .with_help(
                "move it to the runtime dependencies, or keep the import in test and tooling code; \
                 installs without dev dependencies will fail here",
            );
        }
    }
}

/// A Cargo target table keyed by a project-defined cfg (`cfg(loom)`,
/// `cfg(tokio_unstable)`), not a platform.
fn custom_cfg(group: &str) -> bool {
    group.starts_with("cfg(")
        && !["target_", "unix", "windows", "wasm", "feature"]
            .iter()
            .any(|k| group.contains(k))
}
