//! `single-product-factory`: a factory whose every return path builds the
//! same concrete type, or a registry of implementations with one entry.

use super::{counted, is_abstract_kind, prepare_threshold, reviewable, threshold};
use aireview_core::facts::{FileFacts, FunctionFact};
use aireview_core::model::ProjectModel;
use aireview_core::rule::{Prepared, ProjectContext, ProjectRule};

pub struct SingleProductFactory;

impl ProjectRule for SingleProductFactory {
    fn id(&self) -> &'static str {
        "single-product-factory"
    }

    fn prepare(&self, options: &toml::Table) -> Result<Prepared, String> {
        prepare_threshold(options, "min-registry-entries", 2, 2)
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        if !reviewable(file) {
            return;
        }
        let Some(id) = model.file_id(&file.path) else {
            return;
        };
        let min_entries = threshold(cx, 2);
        for f in &file.functions {
            if f.in_test || f.nested {
                continue;
            }
            let Some(product) = single_product(f) else {
                continue;
            };
            // A `*Factory` class that chooses: no state of its own (a
            // factory holding constructor arguments is a partial
            // application, not a choice), and not a special method.
            let factory_class = f
                .container
                .as_deref()
                .filter(|c| c.ends_with("Factory") && !f.name.starts_with("__"))
                .filter(|c| {
                    !file
                        .functions
                        .iter()
                        .any(|m| m.container.as_deref() == Some(*c) && super::is_constructor(&m.name))
                });
            let abstract_return = f
                .return_type
                .as_deref()
                .filter(|r| *r != product && looks_like_factory(&f.name))
                .filter(|r| {
                    let mut decls = model.types_named(r);
                    decls.next().is_some_and(|d| is_abstract_kind(d.kind)) && decls.next().is_none()
                });
            if factory_class.is_none() && abstract_return.is_none() {
                continue;
            }
            // A library's factory is a plugin point for its users.
            let owner = f.container.as_deref().unwrap_or(&f.name);
            let owner_public = f.container.as_ref().map_or(f.public, |c| {
                file.types.iter().any(|t| &t.name == c && t.public && !t.restricted)
            });
            if model.is_public_api(id, owner, owner_public) {
                continue;
            }
            let name = match &f.container {
                Some(c) => format!("{c}.{}", f.name),
                None => f.name.clone(),
            };
            let paths = counted(f.returns as usize, "return path");
            let message = match abstract_return {
                Some(r) => format!("`{name}` always builds `{product}` ({paths}), though it promises any `{r}`"),
                None => format!("`{name}` always builds `{product}` ({paths})"),
            };
            let diagnostic = cx.report(f.name_span, message);
            diagnostic.with_help(format!(
                "construct `{product}` where it is needed; a factory pays off once it chooses between types"
            ));
            if let Some((path, span)) = declaration_of(model, product) {
                diagnostic.with_related(path, span, "the only product");
            }
        }
        for r in &file.registries {
            if r.entries.len() >= min_entries || !looks_like_registry(&r.name) {
                continue;
            }
            let entries: Vec<&str> = r.entries.iter().map(String::as_str).collect();
            let diagnostic = cx.report(
                r.span,
                format!(
                    "registry `{}` has {}: `{}`",
                    r.name,
                    counted(entries.len(), "entry"),
                    entries.join("`, `")
                ),
            );
            diagnostic.with_help(format!(
                "use `{}` directly; a lookup table pays off once there is a choice to make",
                entries[0]
            ));
            if let Some((path, span)) = declaration_of(model, entries[0]) {
                diagnostic.with_related(path, span, "the only entry");
            }
        }
    }
}

/// The one type every return path builds, if there is one.
fn single_product(f: &FunctionFact) -> Option<&str> {
    let first = f.products.first()?;
    (f.products.len() == f.returns as usize && f.products.iter().all(|p| p == first)).then_some(first.as_str())
}

/// `create_storage`, `makeClient`, `build`, `new`, `storage_factory`.
fn looks_like_factory(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["create", "make", "build", "new"].iter().any(|p| lower.starts_with(p)) || lower.contains("factory")
}

/// `STORAGE_BACKENDS`, `handlerRegistry`, `strategies`.
fn looks_like_registry(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "registry",
        "registries",
        "strateg",
        "backends",
        "handlers",
        "factories",
        "providers",
        "plugins",
        "implementations",
    ]
    .iter()
    .any(|k| lower.contains(k))
}

/// Where the (unique) type of this name is declared.
fn declaration_of<'m>(model: &'m ProjectModel, name: &str) -> Option<(&'m str, aireview_core::Span)> {
    model.files.iter().find_map(|f| {
        f.types
            .iter()
            .find(|t| t.name == name)
            .map(|t| (f.path.as_str(), t.span))
    })
}
