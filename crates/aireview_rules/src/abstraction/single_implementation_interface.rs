//! `single-implementation-interface`: an interface, trait, Protocol or
//! abstract class that exactly one type implements in the whole project.

use super::{counted, is_abstract_kind, is_interface_like, prepare_threshold, reviewable, threshold};
use aireview_core::facts::{FileFacts, TypeDecl, TypeKind};
use aireview_core::lang::Language;
use aireview_core::model::ProjectModel;
use aireview_core::rule::{Prepared, ProjectContext, ProjectRule};
use aireview_core::Span;

pub struct SingleImplementationInterface;

/// One implementation of an interface, found through the model.
struct Implementation<'m> {
    name: &'m str,
    path: &'m str,
    span: Span,
    in_test: bool,
}

impl ProjectRule for SingleImplementationInterface {
    fn id(&self) -> &'static str {
        "single-implementation-interface"
    }

    fn prepare(&self, options: &toml::Table) -> Result<Prepared, String> {
        prepare_threshold(options, "max-implementations", 1, 1)
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        if !reviewable(file) {
            return;
        }
        let max = threshold(cx, 1);
        let Some(id) = model.file_id(&file.path) else {
            return;
        };
        for t in &file.types {
            if !is_interface_like(t)
                || file.in_test_range(t.full_span.start)
                || model.types_named(&t.name).count() != 1
                || model.is_public_api(id, &t.name, t.public && !t.restricted)
                || (t.kind == TypeKind::Trait && model.mentioned_in_macro(&t.name))
            {
                continue;
            }
            // A test that mentions the interface most likely builds a double of it.
            if model.mentions_of(&t.name).1 > 0 {
                continue;
            }
            let Some(impls) = implementations(model, t) else {
                continue;
            };
            if impls.is_empty()
                || impls.len() > max
                || impls.iter().any(|i| i.in_test)
                || has_structural_implementation(model, file, t, &impls)
            {
                continue;
            }
            let list: Vec<String> = impls.iter().map(|i| format!("`{}` in {}", i.name, i.path)).collect();
            let what = match t.kind {
                TypeKind::Trait => "trait",
                TypeKind::Protocol => "Protocol",
                TypeKind::Interface => "interface",
                _ => "abstract class",
            };
            let diagnostic = cx.report(
                t.span,
                format!(
                    "{what} `{}` has {}: {}",
                    t.name,
                    counted(impls.len(), "implementation"),
                    list.join(", ")
                ),
            );
            diagnostic.with_help(format!(
                "use `{}` directly and drop the {what}; extract one when a second implementation exists",
                impls[0].name
            ));
            for i in &impls {
                diagnostic.with_related(i.path, i.span, "implemented here");
            }
        }
    }
}

/// The types and impl blocks implementing `t`, or `None` when the count
/// cannot be trusted: a blanket impl, an abstraction deriving from it, an
/// implementation that is itself subclassed, or a Rust impl for a type
/// the project does not declare (an extension trait).
fn implementations<'m>(model: &'m ProjectModel, t: &TypeDecl) -> Option<Vec<Implementation<'m>>> {
    let mut out = Vec::new();
    for r in model.subtypes_of(&t.name) {
        let f = &model.files[r.file];
        if r.is_impl {
            let imp = &f.impls[r.index];
            if imp.blanket || model.types_named(&imp.self_type).count() == 0 {
                return None;
            }
            out.push(Implementation {
                name: &imp.self_type,
                path: &f.path,
                span: imp.span,
                in_test: f.is_test() || imp.in_test || f.in_test_range(imp.span.start),
            });
        } else {
            let sub = &f.types[r.index];
            if is_abstract_kind(sub.kind) || !model.subtypes_of(&sub.name).is_empty() {
                return None;
            }
            if f.language == Some(Language::Rust) {
                // A supertrait bound, not an implementation.
                return None;
            }
            out.push(Implementation {
                name: &sub.name,
                path: &f.path,
                span: sub.span,
                in_test: f.is_test() || f.in_test_range(sub.full_span.start),
            });
        }
    }
    Some(out)
}

/// Python and TypeScript type structurally: a class anywhere (a test fake
/// above all) that has every method the interface requires implements it
/// without naming it, and so does a TS object literal declared as it.
fn has_structural_implementation(
    model: &ProjectModel,
    file: &FileFacts,
    t: &TypeDecl,
    impls: &[Implementation<'_>],
) -> bool {
    if file.language == Some(Language::Rust) {
        return false;
    }
    let required: Vec<&String> = match t.kind {
        TypeKind::Protocol => t.methods.iter().filter(|m| m.as_str() != "__init__").collect(),
        _ => t.abstract_methods.iter().collect(),
    };
    if required.is_empty() {
        return false;
    }
    if model.has_typed_object(&t.name) {
        return true;
    }
    let ecosystem = file.language.map(Language::ecosystem);
    model
        .files
        .iter()
        .filter(|f| f.language.map(Language::ecosystem) == ecosystem)
        .flat_map(|f| &f.types)
        .any(|other| {
            other.kind == TypeKind::Class
                && other.name != t.name
                && !impls.iter().any(|i| i.name == other.name)
                && required.iter().all(|m| other.methods.contains(m))
        })
}
