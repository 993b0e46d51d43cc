//! Facts shared by the language modules for the over-abstraction rules:
//! name mentions, return paths and what they construct.

use super::walk_state::FactsExtractor;
use super::{ArgSlot, CallSummary, Construction};
use crate::parse::FieldByName;
use crate::parse::KindName;
use crate::span::Span;

/// A name that looks like a type: capitalised, with a lowercase letter
/// (`Storage`, not `T` or `MAX_SIZE`).
pub(crate) fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().any(|c| c.is_ascii_lowercase())
}

/// Counts a capitalised identifier, unless it is the name of the
/// declaration it sits in (a parent of one of `declarations`) or part of an
/// import / export list (an ancestor within three levels of one of `lists`).
pub(crate) fn add_mention(
    x: &mut FactsExtractor<'_>,
    node: tree_sitter::Node<'_>,
    ancestors: &[tree_sitter::Node<'_>],
    declarations: &[&str],
    lists: &[&str],
) {
    let name = x.text(node);
    if !is_type_name(name) {
        return;
    }
    let declared = ancestors
        .last()
        .is_some_and(|p| declarations.contains(&p.kind_name()) && p.field("name").is_some_and(|n| n.id() == node.id()));
    if declared || ancestors.iter().rev().take(3).any(|a| lists.contains(&a.kind_name())) {
        return;
    }
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
    if member.kind_name() != member_kind
        || call.kind_name() != call_kind
        || member.field("object").map(|o| o.id()) != Some(node.id())
        || call.field("function").map(|f| f.id()) != Some(member.id())
    {
        return None;
    }
    member.child_by_field_name(member_field).map(|m| x.text(m).to_string())
}

/// Records a construction site of type `name` at `node`, counting repeats
/// of the same type; `chained` names the method called on the new object.
pub(crate) fn add_construction(
    x: &mut FactsExtractor<'_>,
    name: &str,
    node: tree_sitter::Node<'_>,
    constant_args: bool,
    chained: impl FnOnce(&FactsExtractor<'_>) -> Option<String>,
) {
    if let Some(&i) = x.construction_index.get(name) {
        x.facts.constructions[i].count += 1;
        return;
    }
    let site = Construction {
        name: name.to_string(),
        count: 1,
        span: x.span(node),
        constant_args,
        in_test: x.in_test(),
        chained_method: chained(x),
    };
    x.construction_index
        .insert(site.name.clone(), x.facts.constructions.len());
    x.facts.constructions.push(site);
}

/// Records a call of `name` with its arguments as (slot key, literal text
/// when the argument is a literal constant).
pub(crate) fn add_call(x: &mut FactsExtractor<'_>, name: &str, span: Span, args: Vec<(String, Option<String>)>) {
    let summary = match x.call_index.get(name) {
        Some(&i) => {
            let s = &mut x.facts.calls[i];
            s.count += 1;
            s
        }
        None => {
            x.call_index.insert(name.to_string(), x.facts.calls.len());
            x.facts.calls.push(CallSummary {
                name: name.to_string(),
                count: 1,
                span,
                args: Vec::new(),
            });
            x.facts.calls.last_mut().expect("just pushed")
        }
    };
    for (key, value) in args {
        match summary.args.iter_mut().find(|a| a.key == key) {
            Some(slot) => {
                slot.calls += 1;
                if slot.value != value {
                    slot.value = None;
                }
            }
            None => summary.args.push(ArgSlot { key, calls: 1, value }),
        }
    }
}

/// How a language spells `[return] [await] self.attr.method(args)`.
pub(crate) struct ForwardGrammar {
    pub await_kind: &'static str,
    pub call_kind: &'static str,
    pub member_kind: &'static str,
    /// The field of `member_kind` holding the member's name.
    pub member_field: &'static str,
    /// The receiver (`self`, `this`).
    pub receiver: &'static str,
}

/// When a body's only statement (comments and skippable statements, such
/// as a docstring, aside) calls the method `name` of one attribute of the
/// receiver, returns that call and the attribute's name.
pub(crate) fn forwarded_call<'t>(
    x: &FactsExtractor<'_>,
    body: tree_sitter::Node<'t>,
    name: &str,
    grammar: &ForwardGrammar,
    skippable: impl Fn(tree_sitter::Node<'t>) -> bool,
) -> Option<(tree_sitter::Node<'t>, String)> {
    let mut statements = Vec::new();
    let mut cursor = body.walk();
    for child in body.named_children(&mut cursor) {
        if child.kind_name() != "comment" && !skippable(child) {
            statements.push(child);
        }
    }
    let [only] = statements.as_slice() else {
        return None;
    };
    let mut expr = match only.kind_name() {
        "return_statement" | "expression_statement" => only.named_child(0)?,
        _ => return None,
    };
    if expr.kind_name() == grammar.await_kind {
        expr = expr.named_child(0)?;
    }
    if expr.kind_name() != grammar.call_kind {
        return None;
    }
    let func = expr
        .field("function")
        .filter(|f| f.kind_name() == grammar.member_kind)?;
    if x.text(func.field(grammar.member_field)?) != name {
        return None;
    }
    let held = func.field("object").filter(|o| o.kind_name() == grammar.member_kind)?;
    if held.field("object").map(|o| x.text(o)) != Some(grammar.receiver) {
        return None;
    }
    let target = x.text(held.field(grammar.member_field)?).to_string();
    Some((expr, target))
}

/// The simple name a callee names: `f` for `f`, `g` for `a.b.g`, where
/// `member_kind`'s `member_field` holds the member name.
pub(crate) fn callee_name<'s>(
    x: &FactsExtractor<'s>,
    callee: tree_sitter::Node<'_>,
    member_kind: &str,
    member_field: &str,
) -> Option<&'s str> {
    match callee.kind_name() {
        "identifier" => Some(x.text(callee)),
        k if k == member_kind => Some(x.text(callee.child_by_field_name(member_field)?)),
        _ => None,
    }
}
