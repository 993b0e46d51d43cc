//! `assistant-residue`: chat text pasted into source ("Here's the updated
//! code", "As an AI...") and markdown code fences outside strings and comments.

use crate::patterns::{check_prose, comment_and_docstring_kinds, PhraseSet};
use aireview_core::facts::FileRole;
use aireview_core::parse::KindName;
use aireview_core::rule::{FileContext, FileRule, Prepared};
use aireview_core::tree_sitter::Node;
use aireview_core::{Language, Span};

pub struct AssistantResidue;

pub(crate) const PHRASES: &[&str] = &[
    r"^\s*(here('s| is| are) (the|an?|your) (updated|revised|modified|complete|full|corrected|fixed|refactored|improved|new|final|rewritten) (code|version|implementation|file|function|class|script|module|component|example)s?)\b",
    r"\bas an ai( language model| assistant)?\b",
    r"\bi hope this helps\b",
    r"\blet me know if (you|there)\b",
    r"^\s*(certainly|sure|absolutely|of course)[!,.]\s+(here|i|let)\b",
    r"\bi('ve| have) (updated|modified|added|refactored|fixed|rewritten|changed|improved|implemented) (the|your)\b",
    r"\bhere are the (changes|modifications|updates)\b",
    r"\b(this|the) (updated|revised|refactored) (code|version) (should|now|will)\b",
];

/// Node kinds whose text may legitimately hold a markdown fence.
fn holds_text(kind: &str) -> bool {
    matches!(
        kind,
        "string"
            | "string_content"
            | "template_string"
            | "string_fragment"
            | "string_literal"
            | "raw_string_literal"
            | "comment"
            | "line_comment"
            | "block_comment"
            | "jsx_text"
            | "concatenated_string"
    )
}

impl FileRule for AssistantResidue {
    fn id(&self) -> &'static str {
        "assistant-residue"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        comment_and_docstring_kinds(language)
    }

    fn prepare(&self, options: &toml::Table) -> Result<Prepared, String> {
        PhraseSet::prepared(PHRASES, options)
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        check_prose(node, cx, true, true, &|quote| {
            format!("assistant chat text left in the source: \"{quote}\"")
        });
    }

    /// Markdown fences (```` ```lang ````) outside strings and comments: a
    /// chat answer pasted whole. Reported once per opening fence.
    fn check_file(&self, cx: &mut FileContext<'_, '_>) {
        if cx.role() == FileRole::Example {
            return;
        }
        let mut offset = 0;
        let mut open = false;
        let mut found = Vec::new();
        for line in cx.source.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") {
                let pos = offset + (line.len() - trimmed.len());
                let inside_text = cx
                    .root
                    .descendant_for_byte_range(pos, pos + 3)
                    .map(|mut n| loop {
                        if holds_text(n.kind_name()) {
                            break true;
                        }
                        match n.parent() {
                            Some(p) => n = p,
                            None => break false,
                        }
                    })
                    .unwrap_or(false);
                if !inside_text {
                    if !open {
                        let end = pos + trimmed.trim_end().len();
                        found.push(Span::of_range(cx.source, pos, end));
                    }
                    open = !open;
                }
            }
            offset += line.len();
        }
        for span in found {
            cx.report(
                span,
                "markdown code fence in a source file: a chat answer was pasted in whole",
            )
            .with_help("remove the fence lines and any chat text around them");
        }
    }
}
