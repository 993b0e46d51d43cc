//! The facts extractor: fed every node of the one tree walk (enter and
//! leave), it keeps a scope stack and fills a `FileFacts`. The language
//! modules decide what each node means; the stack answers "where am I"
//! questions for them and for file rules.

use super::{FileFacts, FileRole};
use crate::lang::Language;
use crate::span::Span;
use std::sync::OnceLock;
use tree_sitter::Node;

/// One enclosing construct on the scope stack.
#[derive(Clone, Debug)]
pub(crate) enum Frame {
    /// A function; index into `facts.functions` when it was recorded.
    Function(Option<usize>),
    /// A class, interface, trait or impl; index into `facts.types` if recorded.
    Type { name: String, is_trait: bool },
    /// A block that may not run (if/else, loop, with, match arm...).
    Conditional,
    /// The body of a `try` whose handlers catch a missing module.
    GuardedTry,
    /// An `except`/`catch` handler: cancels an outer guard.
    Handler,
    /// The consequence of `if TYPE_CHECKING:`.
    TypeChecking,
    /// Test code inside a non-test file (`#[cfg(test)]`, `#[test]`).
    Test,
    /// Rust `#[cfg(feature = "...")]`.
    CfgFeature(String),
    /// An inline Rust module or a TS namespace: its items are not the file's.
    InlineModule,
}

/// The scope stack, readable by file rules through `FileContext::scope`.
#[derive(Default)]
pub struct Scope {
    stack: Vec<(usize, Frame)>,
    file_is_test: bool,
}

impl Scope {
    pub(crate) fn push(&mut self, node: Node<'_>, frame: Frame) {
        self.stack.push((node.id(), frame));
    }

    /// Pops every frame pushed for `node`.
    pub(crate) fn leave(&mut self, node: Node<'_>) {
        while matches!(self.stack.last(), Some((id, _)) if *id == node.id()) {
            self.stack.pop();
        }
    }

    pub(crate) fn frames(&self) -> impl DoubleEndedIterator<Item = &Frame> {
        self.stack.iter().map(|(_, f)| f)
    }

    pub fn in_function(&self) -> bool {
        self.frames().any(|f| matches!(f, Frame::Function(_)))
    }

    /// Inside test code: a test file, `#[cfg(test)]`, or a `#[test]` function.
    pub fn in_test(&self) -> bool {
        self.file_is_test || self.frames().any(|f| matches!(f, Frame::Test))
    }

    /// Not at module level: inside a function, a branch, a loop or a `try`.
    pub fn conditional(&self) -> bool {
        self.frames().any(|f| {
            matches!(
                f,
                Frame::Function(_) | Frame::Conditional | Frame::GuardedTry | Frame::Handler | Frame::TypeChecking
            )
        })
    }

    /// Inside a `try` body whose handler covers a missing module.
    pub fn guarded(&self) -> bool {
        for f in self.frames().rev() {
            match f {
                Frame::GuardedTry => return true,
                Frame::Handler | Frame::Function(_) => return false,
                _ => {}
            }
        }
        false
    }

    pub fn type_checking(&self) -> bool {
        self.frames().any(|f| matches!(f, Frame::TypeChecking))
    }

    pub fn cfg_feature(&self) -> Option<&str> {
        self.frames().rev().find_map(|f| match f {
            Frame::CfgFeature(name) => Some(name.as_str()),
            _ => None,
        })
    }

    pub fn in_inline_module(&self) -> bool {
        self.frames().any(|f| matches!(f, Frame::InlineModule))
    }

    /// The innermost enclosing class / trait / impl type, if the innermost
    /// scope is that type (a method), rather than a function.
    pub fn enclosing_type(&self) -> Option<(&str, bool)> {
        for f in self.frames().rev() {
            match f {
                Frame::Type { name, is_trait } => return Some((name.as_str(), *is_trait)),
                Frame::Function(_) => return None,
                _ => {}
            }
        }
        None
    }

    /// The innermost recorded enclosing function, as an index into `FileFacts::functions`.
    pub(crate) fn enclosing_function(&self) -> Option<usize> {
        self.frames().rev().find_map(|f| match f {
            Frame::Function(idx) => Some(*idx),
            _ => None,
        })?
    }

    /// Module level: no function, type or inline module encloses this point.
    pub fn at_module_level(&self) -> bool {
        !self
            .frames()
            .any(|f| matches!(f, Frame::Function(_) | Frame::Type { .. } | Frame::InlineModule))
    }
}

/// Per language, which node kind ids the extractor handles (its language
/// module's `KINDS` plus comments), computed once per process.
fn interesting_kinds(language: Language) -> &'static [bool] {
    static TABLES: OnceLock<Vec<Vec<bool>>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        Language::ALL
            .iter()
            .map(|&lang| {
                let kinds: &[&str] = match lang {
                    Language::Python => super::python::KINDS,
                    Language::TypeScript | Language::Tsx | Language::JavaScript => super::javascript::KINDS,
                    Language::Rust => super::rust::KINDS,
                };
                let grammar = lang.grammar();
                (0..grammar.node_kind_count() as u16)
                    .map(|id| {
                        grammar.node_kind_is_named(id)
                            && grammar
                                .node_kind_for_id(id)
                                .is_some_and(|k| kinds.contains(&k) || lang.is_comment_kind(k))
                    })
                    .collect()
            })
            .collect()
    });
    &tables[language as usize]
}

/// Fills `FileFacts` from the nodes of one walk.
pub(crate) struct FactsExtractor<'s> {
    pub source: &'s str,
    pub language: Language,
    pub facts: FileFacts,
    pub scope: Scope,
    /// Rust: the run of `#[...]` attributes just seen, for the item that follows.
    pub pending_attributes: PendingAttributes,
}

/// Consecutive attribute items under one parent, collected in walk order
/// (finding them again with `prev_sibling` would rescan the parent).
#[derive(Default)]
pub(crate) struct PendingAttributes {
    pub parent: usize,
    pub end: usize,
    pub texts: Vec<String>,
}

impl<'s> FactsExtractor<'s> {
    pub fn new(source: &'s str, language: Language, path: String, role: FileRole) -> Self {
        let facts = FileFacts {
            path,
            language: Some(language),
            role,
            ..FileFacts::default()
        };
        let scope = Scope {
            stack: Vec::new(),
            file_is_test: role == FileRole::Test,
        };
        FactsExtractor {
            source,
            language,
            facts,
            scope,
            pending_attributes: PendingAttributes::default(),
        }
    }

    /// `ancestors` are the node's ancestors, root first.
    pub fn enter(&mut self, node: Node<'_>, ancestors: &[Node<'_>]) {
        match interesting_kinds(self.language).get(node.kind_id() as usize) {
            Some(true) => {}
            _ => return,
        }
        if self.language.is_comment_kind(node.kind()) {
            super::comments::visit_comment(self, node);
            return;
        }
        match self.language {
            Language::Python => super::python::enter(self, node, ancestors),
            Language::TypeScript | Language::Tsx | Language::JavaScript => {
                super::javascript::enter(self, node, ancestors)
            }
            Language::Rust => super::rust::enter(self, node, ancestors),
        }
    }

    pub fn leave(&mut self, node: Node<'_>) {
        let own = self.scope.stack.iter().rev().take_while(|(id, _)| *id == node.id());
        if own.into_iter().any(|(_, f)| matches!(f, Frame::Test)) {
            let (s, e) = (node.start_byte() as u32, node.end_byte() as u32);
            self.facts.test_ranges.push((s, e));
        }
        self.scope.leave(node);
    }

    pub fn finish(mut self) -> FileFacts {
        self.facts.test_ranges.sort_unstable();
        // The TypeScript grammar has no anonymous declaration signature
        // (`export default function (): T;` in a `.d.ts`): it parses as an
        // error, so look for the default export in the text.
        if self.facts.role == FileRole::Stub
            && self.language.ecosystem() == crate::Ecosystem::Js
            && !self.facts.exports.names.iter().any(|n| n == "default")
            && self.source.lines().any(|l| {
                l.trim_start()
                    .strip_prefix("export default")
                    .is_some_and(|r| r.starts_with([' ', '\t']))
            })
        {
            self.facts.exports.names.push("default".into());
        }
        self.facts
    }

    pub fn text(&self, node: Node<'_>) -> &'s str {
        &self.source[node.byte_range()]
    }

    pub fn span(&self, node: Node<'_>) -> Span {
        Span::of_node(node, self.source)
    }

    pub fn in_test(&self) -> bool {
        self.scope.in_test()
    }

    /// Records a call when a convention family recognises its callee.
    pub fn record_call(&mut self, callee: &str, span_node: Node<'_>) {
        if crate::conventions::is_convention_call(self.language.ecosystem(), callee) {
            let use_ = super::CallUse {
                callee: callee.to_string(),
                span: self.span(span_node),
                in_test: self.in_test(),
            };
            self.facts.calls.push(use_);
        }
    }
}

/// The text of a string literal node without quotes or prefixes, when it has
/// no interpolation. Shared by the language modules.
pub(crate) fn string_literal_value(node: Node<'_>, source: &str) -> Option<String> {
    match node.kind() {
        // Python: string -> string_start, string_content*, string_end; f-strings have interpolation children.
        "string" | "template_string" | "string_literal" | "raw_string_literal" => {
            let mut out = String::new();
            let mut cursor = node.walk();
            let mut saw_content = false;
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "string_content" | "string_fragment" | "escape_sequence" => {
                        saw_content = true;
                        out.push_str(&source[child.byte_range()]);
                    }
                    "interpolation" | "template_substitution" => return None,
                    _ => {}
                }
            }
            if !saw_content {
                // Either empty or a grammar without content children: strip quotes.
                let text = &source[node.byte_range()];
                let trimmed = text.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '#');
                let q = trimmed.chars().next()?;
                if !matches!(q, '"' | '\'' | '`') {
                    return None;
                }
                let inner = trimmed.trim_matches(|c| c == q || c == '#');
                return Some(inner.to_string());
            }
            Some(out)
        }
        _ => None,
    }
}
