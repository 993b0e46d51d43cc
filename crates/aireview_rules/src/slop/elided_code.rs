//! `elided-code`: comments where an assistant left out code it was asked
//! to reproduce ("... rest of the code ...", "// existing code here").

use crate::patterns::{check_prose, comment_body, is_rust_doc_comment, PhraseSet};
use aireview_core::facts::FileRole;
use aireview_core::parse::KindName;
use aireview_core::rule::{FileContext, FileRule, Prepared};
use aireview_core::tree_sitter::Node;
use aireview_core::Language;

pub struct ElidedCode;

pub(crate) const PHRASES: &[&str] = &[
    r"(\.\.\.|…)\s*(the )?(rest|remainder) of\b",
    r"\b(rest|remainder) of (the )?(code|file|implementation|function|class|module|method|logic|component|methods|functions|imports|tests|routes|handlers|config|configuration)\s+(remains?|stays?|is|are)\s+(unchanged|the same|as (before|is))\b",
    r"\b(rest|remainder) of (the )?(code|file|implementation|function|class|module|method|logic|component|methods|functions|imports)\s*(\.\.\.|…|here|omitted|unchanged)\s*$",
    r"\b(existing|previous|original|other|unchanged|remaining|same) (code|logic|implementation|methods|functions|imports|tests|content|fields|properties|routes|handlers|config|configuration|cases)\s*(here|remains?( the same| unchanged)?|stays?( the same| unchanged)?|unchanged|omitted|as (before|is)|goes here|\.\.\.|…)\s*\.?\s*$",
    r"(\.\.\.|…)\s*(existing|previous|other|more|additional|remaining|same|original)\s+\w+(\s+\w+)?\s*(\.\.\.|…)",
    r"\b(omitted|elided|truncated|snipped) for brevity\b",
    r"\bfor brevity,? (the )?(rest|remaining|other)\b",
    r"^\s*(\.\.\.\s*)?(same as before|unchanged|no changes?( here)?)\s*(\.\.\.)?\s*$",
];

impl FileRule for ElidedCode {
    fn id(&self) -> &'static str {
        "elided-code"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        language.comment_kinds()
    }

    fn prepare(&self, options: &toml::Table) -> Result<Prepared, String> {
        PhraseSet::prepared(PHRASES, options)
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        // A comment that is only `...` inside a function body marks a hole in the code.
        let body = comment_body(cx.text(node));
        if matches!(body.trim(), "..." | "…")
            && cx.scope.in_function()
            && standalone(node, cx.source)
            && cx.role() == FileRole::Source
            && !cx.in_test_code()
            && !is_rust_doc_comment(node, cx.source)
        {
            let span = cx.span(node);
            cx.report(span, "elided code: a `...` comment stands where code was left out");
            return;
        }
        check_prose(node, cx, false, false, &|quote| {
            format!("elided code: \"{quote}\" stands where code was left out")
        });
    }
}

/// A comment alone on its line with no comment on the lines next to it: a
/// `...` inside a block of explanatory comments is prose, and a trailing
/// `# ...` after code means "ditto".
fn standalone(node: Node<'_>, source: &str) -> bool {
    let line_start = source[..node.start_byte()].rfind('\n').map_or(0, |i| i + 1);
    if !source[line_start..node.start_byte()].trim().is_empty() {
        return false;
    }
    let row = node.start_position().row;
    let adjacent_comment = |n: Option<Node<'_>>| {
        n.is_some_and(|n| {
            n.kind_name().ends_with("comment") && (n.end_position().row + 1 == row || n.start_position().row == row + 1)
        })
    };
    !adjacent_comment(node.prev_sibling()) && !adjacent_comment(node.next_sibling())
}
