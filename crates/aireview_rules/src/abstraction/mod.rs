//! Over-abstraction: interfaces with one implementation, factories with
//! one product, wrappers that only forward, configuration that never
//! varies, classes that would be a function.
//!
//! Every rule answers its whole-project question from the project model
//! (implementations per interface, construction sites and mentions per
//! name, the public API of libraries), never by reading other files. A
//! library's public API is a plugin point for code outside the project, so
//! these rules stay silent there.

mod needless_class;
mod pass_through_wrapper;
mod single_implementation_interface;
mod single_product_factory;
mod speculative_configuration;

use aireview_core::facts::{FileFacts, FunctionFact, TypeDecl, TypeKind};
use aireview_core::lang::Language;
use aireview_core::model::{simple_name, ProjectModel};
use aireview_core::rule::ProjectRule;

pub fn project_rules() -> Vec<Box<dyn ProjectRule>> {
    vec![
        Box::new(needless_class::NeedlessClass),
        Box::new(pass_through_wrapper::PassThroughWrapper),
        Box::new(single_implementation_interface::SingleImplementationInterface),
        Box::new(single_product_factory::SingleProductFactory),
        Box::new(speculative_configuration::SpeculativeConfiguration),
    ]
}

/// Code that ships and parsed cleanly: a file with syntax errors is being
/// edited, and what its broken parts declare or call is not known.
fn reviewable(file: &FileFacts) -> bool {
    file.is_production() && !file.has_syntax_errors
}

/// A rule's one numeric threshold, validated by `prepare`.
struct Threshold(u32);

/// Prepares a rule whose only option is the threshold `key`.
fn prepare_threshold(
    options: &toml::Table,
    key: &str,
    default: u32,
    min: u32,
) -> Result<aireview_core::rule::Prepared, String> {
    Ok(std::sync::Arc::new(Threshold(count_option(
        options, key, default, min,
    )?)))
}

/// The prepared threshold (its default if preparation was skipped).
fn threshold(cx: &aireview_core::rule::ProjectContext<'_>, default: u32) -> usize {
    cx.prepared::<Threshold>().map_or(default, |t| t.0) as usize
}

/// A whole-number option of at least `min`, or its default.
fn count_option(options: &toml::Table, key: &str, default: u32, min: u32) -> Result<u32, String> {
    match options.get(key) {
        None => Ok(default),
        Some(v) => v
            .as_integer()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|&n| n >= min)
            .ok_or_else(|| format!("`{key}` must be a whole number of at least {min}")),
    }
}

/// An interface-like declaration: a trait, TS interface, Protocol, or an
/// abstract class whose every method (bar dunders) is abstract.
fn is_interface_like(t: &TypeDecl) -> bool {
    match t.kind {
        TypeKind::Trait | TypeKind::Protocol => !t.methods.is_empty(),
        TypeKind::Interface => !t.abstract_methods.is_empty(),
        TypeKind::AbstractClass => {
            !t.abstract_methods.is_empty()
                && t.methods
                    .iter()
                    .filter(|m| !m.starts_with("__") && m.as_str() != "constructor")
                    .all(|m| t.abstract_methods.contains(m))
        }
        TypeKind::Class | TypeKind::Struct | TypeKind::Enum => false,
    }
}

/// Declared abstract in any form (hierarchies of abstractions are left alone).
fn is_abstract_kind(kind: TypeKind) -> bool {
    matches!(
        kind,
        TypeKind::Trait | TypeKind::Protocol | TypeKind::Interface | TypeKind::AbstractClass
    )
}

/// A plain class the over-abstraction rules may judge on its own: Python or
/// JS/TS, production code, module level, no base class or decorator other
/// than the allowed ones, and not part of a library's public API.
fn plain_class<'f>(file: &'f FileFacts, model: &ProjectModel, t: &'f TypeDecl, allowed_decorators: &[&str]) -> bool {
    let id = model.file_id(&file.path);
    t.kind == TypeKind::Class
        && matches!(
            file.language,
            Some(Language::Python | Language::TypeScript | Language::Tsx | Language::JavaScript)
        )
        && t.top_level
        && !file.in_test_range(t.full_span.start)
        && t.bases.iter().all(|b| b == "object")
        && t.implements.is_empty()
        && t.decorators.iter().all(|d| {
            let head = d.split('(').next().unwrap_or(d);
            allowed_decorators.contains(&simple_name(head))
        })
        && model.types_named(&t.name).count() == 1
        && id.is_some_and(|id| !model.is_public_api(id, &t.name, t.public))
}

/// The methods a class declares in this file, in source order.
fn methods_of<'f>(file: &'f FileFacts, t: &TypeDecl) -> Vec<&'f FunctionFact> {
    file.functions
        .iter()
        .filter(|f| {
            f.container.as_deref() == Some(t.name.as_str())
                && !f.nested
                && t.full_span.start <= f.span.start
                && f.span.end <= t.full_span.end
        })
        .collect()
}

fn is_constructor(name: &str) -> bool {
    matches!(name, "__init__" | "constructor")
}

/// "1 implementation", "3 methods", "2 entries".
fn counted(n: usize, what: &str) -> String {
    match (n, what.strip_suffix('y')) {
        (1, _) => format!("1 {what}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {what}s"),
    }
}

/// "`a`, `b` and `c`".
fn code_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_lists_read_as_english() {
        assert_eq!(counted(1, "entry"), "1 entry");
        assert_eq!(counted(2, "entry"), "2 entries");
        assert_eq!(counted(3, "method"), "3 methods");
        assert_eq!(code_list(&["a", "b", "c"]), "`a`, `b` and `c`");
        assert_eq!(code_list(&["a"]), "`a`");
    }
}
