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

/// `NotImplementedError` messages that only say "not done yet"; any other
/// message describes a deliberate limit ("not implemented for sparse
/// matrices", "subclasses must implement...").
fn generic_message() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^\s*(todo\b.*|fixme\b.*|(method |function |this |feature )?(is )?not (yet )?implemented( yet)?|to be implemented|implement me|coming soon|placeholder|tbd|wip)\s*[.!]*\s*$")
            .expect("valid regex")
    })
}

/// Names that announce a deliberate no-op.
fn noop_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "noop",
        "no_op",
        "nop",
        "dummy",
        "do_nothing",
        "donothing",
        "nothing",
        "ignore",
        "null",
        "pass",
        "empty",
    ]
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
                    // A documented no-op method is a hook, unless every method of its
                    // class is a placeholder (a generated skeleton).
                    let skeleton = f.container.is_some() && skeleton_class(file, f);
                    let documented_hook = stub.has_docstring && f.container.is_some() && !skeleton;
                    // A decorator may supply the behaviour (`@require_all_args`, a registry).
                    let decorated = f
                        .decorators
                        .iter()
                        .any(|d| !matches!(d.as_str(), "staticmethod" | "classmethod" | "property"));
                    // A no-op method of a class with bases may satisfy a duck-typed hook the
                    // base calls without defining it; only a skeleton class is clear.
                    let has_bases = container.is_some_and(|t| t.bases.iter().any(|b| simple_name(b) != "object"));
                    let flag = !stub.has_comment
                        && !documented_hook
                        && !decorated
                        && (skeleton || !has_bases)
                        && !is_hook(f, container, model);
                    (what, flag)
                }
                StubKind::RaiseNotImplemented { message } => {
                    let deliberate = message
                        .as_deref()
                        .is_some_and(|m| !m.trim().is_empty() && !generic_message().is_match(m));
                    (
                        "is a stub: it only raises `NotImplementedError`",
                        !deliberate && !stub.has_comment && !is_hook(f, container, model),
                    )
                }
                StubKind::ThrowNotImplemented { .. } => (
                    "is a stub: it only throws a \"not implemented\" error",
                    !stub.has_comment && !is_hook(f, container, model),
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
            cx.report(stub.span, format!("`{}` {what}", qualified(f, file.language)))
                .with_help(help);
        }
    }
}

fn qualified(f: &FunctionFact, language: Option<Language>) -> String {
    let sep = if language == Some(Language::Rust) { "::" } else { "." };
    match &f.container {
        Some(c) if !c.is_empty() => format!("{c}{sep}{}", f.name),
        _ => f.name.clone(),
    }
}

fn exempt_decorator(f: &FunctionFact) -> bool {
    f.decorators.iter().any(|d| {
        let head = d.split('(').next().unwrap_or(d);
        let base = simple_name(head);
        // Overloads, abstract members, and single-dispatch bases whose default
        // raises for unregistered types.
        matches!(
            base,
            "overload"
                | "abstractmethod"
                | "abstractproperty"
                | "setter"
                | "deleter"
                | "singledispatch"
                | "singledispatchmethod"
                | "register"
        )
    })
}

/// Whether every method of `f`'s class in this file is a placeholder.
fn skeleton_class(file: &FileFacts, f: &FunctionFact) -> bool {
    let mut methods = file
        .functions
        .iter()
        .filter(|m| m.container == f.container && !m.nested && !(m.name.starts_with("__") && m.name.ends_with("__")))
        .peekable();
    methods.peek().is_some() && methods.all(|m| m.stub.is_some())
}

/// How far up a class hierarchy to look for an overridden method.
const MAX_BASE_DEPTH: usize = 12;

/// Whether a method is a deliberate hook rather than a stub: its class is an
/// interface, abstract, or named like a base class; a subclass somewhere in
/// the project exists (so the default is meant to be overridden); or it
/// overrides a method of a base class (silencing a hook, or declining an
/// operation the base offers). A base outside the project may define it too.
fn is_hook(f: &FunctionFact, container: Option<&TypeDecl>, model: &ProjectModel) -> bool {
    let Some(name) = f.container.as_deref() else {
        return false;
    };
    // A subclass in production code makes the method a default to override;
    // a test double subclassing it does not.
    let overridden = model.subtypes_of(name).iter().any(|r| !model.files[r.file].is_test());
    if base_like_name(name) || overridden {
        return true;
    }
    let Some(t) = container else {
        // A method of an anonymous or unrecorded type: not enough to judge.
        return true;
    };
    if matches!(
        t.kind,
        TypeKind::Protocol | TypeKind::AbstractClass | TypeKind::Interface | TypeKind::Trait
    ) {
        return true;
    }
    overrides(&t.bases, &f.name, model, 0)
}

/// Whether a class with these bases inherits `method` (or may: a base that
/// is not in the project is assumed to define it).
fn overrides(bases: &[String], method: &str, model: &ProjectModel, depth: usize) -> bool {
    if depth > MAX_BASE_DEPTH {
        return true;
    }
    bases
        .iter()
        .filter(|b| !matches!(simple_name(b), "object" | "Generic"))
        .any(|b| {
            let mut found = model.types_named(b).peekable();
            if found.peek().is_none() {
                return true;
            }
            found.any(|bt| bt.methods.iter().any(|m| m == method) || overrides(&bt.bases, method, model, depth + 1))
        })
}
