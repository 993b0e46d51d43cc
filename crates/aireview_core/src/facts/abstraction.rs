//! Facts shared by the language modules for the over-abstraction rules:
//! name mentions, return paths and what they construct.

use super::walk_state::FactsExtractor;
use super::Construction;

/// A name that looks like a type: capitalised, with a lowercase letter
/// (`Storage`, not `T` or `MAX_SIZE`).
pub(crate) fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().any(|c| c.is_ascii_lowercase())
}

pub(crate) fn add_mention(x: &mut FactsExtractor<'_>, name: &str) {
    match x.mention_counts.get_mut(name) {
        Some(n) => *n += 1,
        None => {
            x.mention_counts.insert(name.to_string(), 1);
        }
    }
}

/// Counts a return path of the innermost function, and what it builds.
pub(crate) fn record_return(x: &mut FactsExtractor<'_>, product: Option<&str>) {
    let Some(idx) = x.scope.enclosing_function() else {
        return;
    };
    if let Some(f) = x.facts.functions.get_mut(idx) {
        f.returns += 1;
        if let Some(p) = product {
            f.products.push(p.to_string());
        }
    }
}

/// `build` when `node` (a construction) is the object of a method call:
/// `member` is its parent (an attribute / member access) and `call` the
/// grandparent. `member_field` names the method in `member`.
pub(crate) fn chained_method(
    x: &FactsExtractor<'_>,
    node: tree_sitter::Node<'_>,
    ancestors: &[tree_sitter::Node<'_>],
    member_kind: &str,
    member_field: &str,
    call_kind: &str,
) -> Option<String> {
    let [.., call, member] = ancestors else {
        return None;
    };
    if member.kind() != member_kind
        || call.kind() != call_kind
        || member.child_by_field_name("object").map(|o| o.id()) != Some(node.id())
        || call.child_by_field_name("function").map(|f| f.id()) != Some(member.id())
    {
        return None;
    }
    member.child_by_field_name(member_field).map(|m| x.text(m).to_string())
}

/// Records a construction site, counting repeats of the same type.
pub(crate) fn add_construction(x: &mut FactsExtractor<'_>, site: Construction) {
    match x.construction_index.get(&site.name) {
        Some(&i) => x.facts.constructions[i].count += 1,
        None => {
            x.construction_index
                .insert(site.name.clone(), x.facts.constructions.len());
            x.facts.constructions.push(site);
        }
    }
}
