//! The facts extractor: fed every node of the one tree walk (enter and
//! leave), it keeps a scope stack and fills a `FileFacts`. The language
//! modules decide what each node means; the stack answers "where am I"
//! questions for them and for file rules.

use super::{FileFacts, FileRole};
use crate::lang::Language;
use crate::parse::FieldByName;
use crate::parse::KindName;
use crate::span::Span;
use std::collections::HashMap;
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

/// Per language, a table over node kind ids of the named kinds `wanted` accepts.
fn named_kind_tables(wanted: impl Fn(Language, &str) -> bool) -> Vec<Vec<bool>> {
    Language::ALL
        .iter()
        .map(|&lang| {
            let grammar = lang.grammar();
            (0..grammar.node_kind_count() as u16)
                .map(|id| {
                    grammar.node_kind_is_named(id) && grammar.node_kind_for_id(id).is_some_and(|k| wanted(lang, k))
                })
                .collect()
        })
        .collect()
}

/// Per language, which node kind ids the extractor handles (its language
/// module's `KINDS` plus comments), computed once per process.
fn interesting_kinds(language: Language) -> &'static [bool] {
    static TABLES: OnceLock<Vec<Vec<bool>>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        named_kind_tables(|lang, kind| {
            let kinds: &[&str] = match lang {
                Language::Python => super::python::KINDS,
                Language::TypeScript | Language::Tsx | Language::JavaScript => super::javascript::KINDS,
                Language::Rust => super::rust::KINDS,
            };
            kinds.contains(&kind) || lang.is_comment_kind(kind)
        })
    });
    &tables[language as usize]
}

/// Per language, which named node kind ids are comments, expression
/// statements and strings (what `enter` asks of every node), so that it
/// compares ids instead of kind names.
struct KindSets {
    comment: Vec<Vec<bool>>,
    expression_statement: Vec<Vec<bool>>,
    string: Vec<Vec<bool>>,
}

fn kind_sets() -> &'static KindSets {
    static SETS: OnceLock<KindSets> = OnceLock::new();
    SETS.get_or_init(|| KindSets {
        comment: named_kind_tables(|lang, kind| lang.is_comment_kind(kind)),
        expression_statement: named_kind_tables(|_, kind| kind == "expression_statement"),
        string: named_kind_tables(|_, kind| kind == "string"),
    })
}

/// Whether `node`'s kind is in `table` (one of `KindSets`' for its language).
fn kind_in(table: &[Vec<bool>], language: Language, node: Node<'_>) -> bool {
    table[language as usize]
        .get(node.kind_id() as usize)
        .copied()
        .unwrap_or(false)
}

/// Fills `FileFacts` from the nodes of one walk.
pub(crate) struct FactsExtractor<'s> {
    pub source: &'s str,
    pub language: Language,
    pub facts: FileFacts,
    pub scope: Scope,
    /// Rust: the run of `#[...]` attributes just seen, for the item that follows.
    pub pending_attributes: PendingAttributes,
    /// Capitalised names mentioned so far (see `FileFacts::mentions`).
    pub mention_counts: HashMap<String, u32>,
    /// Type name -> index into `facts.constructions`.
    pub construction_index: HashMap<String, usize>,
    /// Called name -> index into `facts.calls`.
    pub call_index: HashMap<String, usize>,
    /// Recorded functions being walked, innermost last: their fingerprints.
    open_functions: Vec<OpenFunction>,
    /// A docstring being walked: left out of fingerprints, like comments.
    fingerprint_skip: Option<usize>,
}

/// A function whose fingerprint is being computed as the walk passes its nodes.
struct OpenFunction {
    node: usize,
    index: usize,
    depth: usize,
    hash: u64,
    size: u32,
    /// Names in order of first appearance (renamed to their position).
    names: Vec<String>,
}

/// An identifier that names a called function, an attribute or a path
/// segment (`re.sub`, `asyncify(..)`, `std::fs::remove_dir`).
fn names_behaviour(node: Node<'_>, parent: Option<Node<'_>>) -> bool {
    let Some(parent) = parent else {
        return false;
    };
    let is_field = |field: &'static str| parent.field(field).is_some_and(|c| c.id() == node.id());
    match parent.kind_name() {
        "call" | "call_expression" => is_field("function"),
        "attribute" => is_field("attribute"),
        "scoped_identifier" | "scoped_type_identifier" | "macro_invocation" => true,
        _ => false,
    }
}

fn mix(hash: u64, value: u64) -> u64 {
    (hash.rotate_left(5) ^ value).wrapping_mul(0x0100_0000_01b3)
}

/// Per language, which node kind ids are names (`identifier`, `property_identifier`...).
fn name_kinds(language: Language) -> &'static [bool] {
    static TABLES: OnceLock<Vec<Vec<bool>>> = OnceLock::new();
    &TABLES.get_or_init(|| named_kind_tables(|_, kind| kind.contains("identifier")))[language as usize]
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
            mention_counts: HashMap::new(),
            construction_index: HashMap::new(),
            call_index: HashMap::new(),
            open_functions: Vec::new(),
            fingerprint_skip: None,
        }
    }

    /// Adds a node to the fingerprint of every function it lies in: its
    /// kind and depth, and for a name its position among the function's names.
    fn fingerprint_node(&mut self, node: Node<'_>, ancestors: &[Node<'_>]) {
        let depth = ancestors.len();
        let kind = node.kind_id();
        let is_name = node.child_count() == 0 && name_kinds(self.language).get(kind as usize) == Some(&true);
        let text = if is_name { self.text(node) } else { "" };
        // What is called and which attribute or field is read is behaviour:
        // only variables are renamed.
        let literal = is_name && (node.kind_name() != "identifier" || names_behaviour(node, ancestors.last().copied()));
        let literal_hash = if literal {
            text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| mix(h, u64::from(b)))
        } else {
            0
        };
        for f in &mut self.open_functions {
            let mut value = u64::from(kind) | ((depth - f.depth) as u64) << 16;
            if literal {
                value ^= literal_hash;
            } else if is_name {
                let pos = match f.names.iter().position(|n| n == text) {
                    Some(p) => p,
                    None => {
                        f.names.push(text.to_string());
                        f.names.len() - 1
                    }
                };
                value |= (pos as u64 + 1) << 32;
            }
            f.hash = mix(f.hash, value);
            f.size += 1;
        }
    }

    /// `ancestors` are the node's ancestors, root first.
    pub fn enter(&mut self, node: Node<'_>, ancestors: &[Node<'_>]) {
        if !self.open_functions.is_empty() && self.fingerprint_skip.is_none() && !node.is_extra() {
            let sets = kind_sets();
            let docstring = self.language == Language::Python
                && kind_in(&sets.expression_statement, self.language, node)
                && node.named_child_count() == 1
                && node
                    .named_child(0)
                    .is_some_and(|c| kind_in(&sets.string, self.language, c));
            if docstring {
                self.fingerprint_skip = Some(node.id());
            } else {
                self.fingerprint_node(node, ancestors);
            }
        }
        match interesting_kinds(self.language).get(node.kind_id() as usize) {
            Some(true) => {}
            _ => return,
        }
        if kind_in(&kind_sets().comment, self.language, node) {
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
        let own = self.scope.stack.iter().rev().take_while(|(id, _)| *id == node.id());
        let recorded = own.into_iter().find_map(|(_, f)| match f {
            Frame::Function(Some(index)) => Some(*index),
            _ => None,
        });
        if let Some(index) = recorded {
            self.open_functions.push(OpenFunction {
                node: node.id(),
                index,
                depth: ancestors.len(),
                hash: 0xcbf2_9ce4_8422_2325,
                size: 0,
                names: Vec::new(),
            });
        }
    }

    pub fn leave(&mut self, node: Node<'_>) {
        if self.fingerprint_skip == Some(node.id()) {
            self.fingerprint_skip = None;
        }
        if self.open_functions.last().is_some_and(|f| f.node == node.id()) {
            if let Some(done) = self.open_functions.pop() {
                if let Some(fact) = self.facts.functions.get_mut(done.index) {
                    fact.fingerprint = done.hash;
                    fact.size = done.size;
                }
            }
        }
        let own = self.scope.stack.iter().rev().take_while(|(id, _)| *id == node.id());
        if own.into_iter().any(|(_, f)| matches!(f, Frame::Test)) {
            let (s, e) = (node.start_byte() as u32, node.end_byte() as u32);
            self.facts.test_ranges.push((s, e));
        }
        self.scope.leave(node);
    }

    pub fn finish(mut self) -> FileFacts {
        self.facts.test_ranges.sort_unstable();
        let mut mentions: Vec<(String, u32)> = self.mention_counts.into_iter().collect();
        mentions.sort_unstable();
        self.facts.mentions = mentions;
        self.facts.macro_mentions.sort_unstable();
        self.facts.macro_mentions.dedup();
        self.facts.typed_objects.sort_unstable();
        self.facts.typed_objects.dedup();
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
            self.facts.call_uses.push(use_);
        }
    }
}

/// The text of a string literal node without quotes or prefixes, when it has
/// no interpolation. Shared by the language modules.
pub(crate) fn string_literal_value(node: Node<'_>, source: &str) -> Option<String> {
    match node.kind_name() {
        // Python: string -> string_start, string_content*, string_end; f-strings have interpolation children.
        "string" | "template_string" | "string_literal" | "raw_string_literal" => {
            let mut out = String::new();
            let mut cursor = node.walk();
            let mut saw_content = false;
            for child in node.named_children(&mut cursor) {
                match child.kind_name() {
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
