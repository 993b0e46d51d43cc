//! Comments: the only comment fact is the inline suppression
//! (`aireview: ignore[rule-id, ...]`); comment-text rules run as file rules.

use super::walk_state::FactsExtractor;
use crate::span::Span;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use tree_sitter::Node;

/// An inline suppression comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// Rule ids or families; empty means every rule.
    pub rules: Vec<String>,
    /// `ignore-file`: the whole file.
    pub file_level: bool,
    /// The comment is alone on its line, so it also covers the next line.
    pub own_line: bool,
    /// The span of the `aireview: ignore...` directive inside the comment.
    pub span: Span,
}

impl Suppression {
    /// Whether this suppression covers a finding starting on `line`.
    pub fn covers_line(&self, line: u32) -> bool {
        self.file_level || line == self.span.start_line || (self.own_line && line == self.span.end_line + 1)
    }

    pub fn covers_rule(&self, rule: &str, family: &str) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|r| r == rule || r == family)
    }
}

fn directive() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"aireview:\s*ignore(-file)?(?:\[([^\]]*)\])?").expect("valid regex"))
}

/// Parses the suppression directives in one comment's text. `offset` is the
/// comment's byte offset in `source`.
pub fn parse_suppression(source: &str, offset: usize, text: &str) -> Vec<Suppression> {
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let own_line = source[line_start..offset].trim().is_empty();
    directive()
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            // `aireview: ignore[...]` in backticks or quotes is a mention, not a directive.
            if text[..whole.start()].ends_with(['`', '"', '\'']) {
                return None;
            }
            let rules = caps
                .get(2)
                .map(|m| {
                    m.as_str()
                        .split(',')
                        .map(|r| r.trim().to_string())
                        .filter(|r| !r.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            Some(Suppression {
                rules,
                file_level: caps.get(1).is_some(),
                own_line,
                span: Span::of_range(source, offset + whole.start(), offset + whole.end()),
            })
        })
        .collect()
}

pub(crate) fn visit_comment(x: &mut FactsExtractor<'_>, node: Node<'_>) {
    let text = x.text(node);
    // Rust doc comments document an item; a directive there is an example.
    let rust_doc = text.starts_with("///") || text.starts_with("//!");
    if text.contains("aireview:") && !rust_doc {
        let found = parse_suppression(x.source, node.start_byte(), text);
        x.facts.suppressions.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rule_lists_and_file_level() {
        let src = "x = 1  # aireview: ignore[stub-body, slop]\n# aireview: ignore-file[swallowed-error]\n";
        let s = parse_suppression(src, 7, "# aireview: ignore[stub-body, slop]");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].rules, vec!["stub-body", "slop"]);
        assert!(!s[0].own_line && !s[0].file_level);
        assert!(s[0].covers_line(1) && !s[0].covers_line(2));
        let off = src.find("# aireview: ignore-file").unwrap();
        let f = parse_suppression(src, off, "# aireview: ignore-file[swallowed-error]");
        assert!(f[0].file_level && f[0].own_line);
        assert!(f[0].covers_line(99));
    }

    #[test]
    fn quoted_directives_are_mentions() {
        let text = "# write `aireview: ignore[rule-id]` to suppress";
        assert!(parse_suppression(text, 0, text).is_empty());
    }

    #[test]
    fn own_line_comment_covers_next_line() {
        let src = "# aireview: ignore\nx = 1\ny = 2\n";
        let s = parse_suppression(src, 0, "# aireview: ignore");
        assert!(s[0].rules.is_empty());
        assert!(s[0].covers_line(1) && s[0].covers_line(2) && !s[0].covers_line(3));
        assert!(s[0].covers_rule("anything", "slop"));
    }
}
