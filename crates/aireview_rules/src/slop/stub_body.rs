//! `stub-body`: functions whose whole body is a placeholder (`pass`, `...`,
//! `raise NotImplementedError`, `throw new Error("Not implemented")`,
//! `unimplemented!()`) or that contain `todo!()`.
//!
//! A project rule, because telling a stub from a deliberate hook needs the
//! whole project: a method that a subclass elsewhere overrides, or that
//! overrides a base class method, is a hook, not a stub.

use aireview_core::facts::{FileFacts, FunctionFact, StubKind, TypeDecl, TypeKind};
use aireview_core::model::{simple_name, ProjectModel};
use aireview_core::rule::{ProjectContext, ProjectRule};
use aireview_core::Language;
use regex::Regex;
use std::sync::OnceLock;

pub struct StubBody;

/// Messages of `NotImplementedError` that describe a design decision
/// (subclass contract, unsupported platform), not missing work.
fn deliberate_message() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)subclass|override|must|should|abstract|support|available|platform|backend|cannot|can't|only|not implemented for|does not|doesn't|derived|inherit")
            .expect("valid regex")
    })
}

/// Names that announce a deliberate no-op.
fn noop_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["noop", "no_op", "nop", "dummy", "do_nothing", "donothing", "nothing", "ignore", "null", "pass", "empty"]
        .iter()
        .any(|w| n.contains(w))
}

fn base_like_name(name: &str) -> bool {
    name.starts_with("Base")
        || name.starts_with("Abstract")
        || name.ends_with("Base")
        || name.ends_with("Mixin")
        || name.ends_with("Interface")
        || name.ends_with("Protocol")
}

impl ProjectRule for StubBody {
    fn id(&self) -> &'static str {
        "stub-body"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        if !file.is_production() {
            return;
        }
        for f in &file.functions {
            let Some(stub) = &f.stub else { continue };
            if f.in_test || f.is_abstract || f.nested || f.conditional || exempt_decorator(f) {
                continue;
            }
            if f.name.starts_with("__") && f.name.ends_with("__") || noop_name(&f.name) {
                continue;
            }
            let container = f
                .container
                .as_deref()
                .and_then(|c| file.types.iter().find(|t| t.name == c));
            let (what, flag) = match &stub.kind {
                StubKind::Todo => ("contains `todo!()`, which panics when it is reached", true),
                StubKind::Unimplemented { .. } => (
                    "is a stub: its body is only `unimplemented!()`",
                    // In a trait (default method or impl) a panic for an unsupported operation is a design choice.
                    !f.container_is_trait,
                ),
                StubKind::Pass | StubKind::Ellipsis => {
                    let what = if stub.kind == StubKind::Pass {
                        "is a stub: its body is only `pass`"
                    } else {
                        "is a stub: its body is only `...`"
                    };
                    (what, !stub.has_comment && !is_hook(f, container, model, true))
                }
                StubKind::RaiseNotImplemented { message } => {
                    let deliberate = message.as_deref().is_some_and(|m| deliberate_message().is_match(m));
                    (
                        "is a stub: it only raises `NotImplementedError`",
                        !deliberate && !is_hook(f, container, model, false),
                    )
                }
                StubKind::ThrowNotImplemented { .. } => (
                    "is a stub: it only throws a \"not implemented\" error",
                    !is_hook(f, container, model, false),
                ),
            };
            if !flag {
                continue;
            }
            let help = match file.language {
                Some(Language::Python) => {
                    "implement it; if subclasses must provide it, declare it with `@abc.abstractmethod` on an ABC"
                }
                Some(Language::Rust) => "implement it, or return an error the caller can handle",
                _ => "implement it; if subclasses must provide it, declare it `abstract`",
            };
            cx.report(stub.span, format!("`{}` {what}", qualified(f))).with_help(help);
        }
    }
}

fn qualified(f: &FunctionFact) -> String {
    match &f.container {
        Some(c) if !c.is_empty() => format!("{c}.{}", f.name),
        _ => f.name.clone(),
    }
}

fn exempt_decorator(f: &FunctionFact) -> bool {
    f.decorators.iter().any(|d| {
        let base = simple_name(d.split('(').next().unwrap_or(d));
        matches!(base, "overload" | "abstractmethod" | "abstractproperty" | "setter" | "deleter")
    })
}

/// Whether a method is a deliberate hook rather than a stub: its class is an
/// interface, abstract, or named like a base class; a subclass somewhere in
/// the project exists (so the default is meant to be overridden); or, for
/// no-op bodies, it overrides a method of a base class that may expect it.
fn is_hook(f: &FunctionFact, container: Option<&TypeDecl>, model: &ProjectModel, noop: bool) -> bool {
    let Some(name) = f.container.as_deref() else { return false };
    if base_like_name(name) || !model.subtypes_of(name).is_empty() {
        return true;
    }
    let Some(t) = container else {
        // A method of an anonymous or unrecorded type: not enough to judge.
        return true;
    };
    if matches!(t.kind, TypeKind::Protocol | TypeKind::AbstractClass | TypeKind::Interface | TypeKind::Trait) {
        return true;
    }
    if !noop {
        return false;
    }
    // A no-op that overrides a base method silences a hook on purpose. When a
    // base is not in the project (a library class) it may define the method.
    t.bases.iter().filter(|b| simple_name(b) != "object").any(|b| {
        let mut bases = model.types_named(b).peekable();
        bases.peek().is_none() || bases.any(|bt| bt.methods.contains(&f.name))
    })
}
