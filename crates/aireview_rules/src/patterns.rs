//! Shared text helpers for rules that read comments and strings.

use aireview_core::parse::KindName;
use aireview_core::rule::Prepared;
use aireview_core::tree_sitter::Node;
use aireview_core::Language;
use regex::{Regex, RegexBuilder};
use std::sync::{Arc, OnceLock};

/// The text of a comment without its markers (`#`, `//`, `///`, `/* */`,
/// leading `*` of block comment lines), lines joined by `\n`.
pub fn comment_body(raw: &str) -> String {
    let raw = raw.trim();
    let raw = raw
        .strip_prefix("/*")
        .map(|r| r.strip_suffix("*/").unwrap_or(r))
        .unwrap_or(raw);
    raw.lines()
        .map(|line| {
            let l = line.trim_start();
            let l = l
                .trim_start_matches("//!")
                .trim_start_matches("///")
                .trim_start_matches("//");
            let l = l.trim_start_matches('#');
            let l = l.strip_prefix('*').unwrap_or(l).trim_start_matches('!');
            l.trim()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a Python `string` node is a docstring (first statement of a
/// module, class or function body).
/// `ancestors` are the string's ancestors, root first.
pub fn is_docstring(ancestors: &[Node<'_>]) -> bool {
    let [.., container, stmt] = ancestors else {
        return false;
    };
    if stmt.kind_name() != "expression_statement" || stmt.named_child_count() != 1 {
        return false;
    }
    if !matches!(container.kind_name(), "block" | "module") {
        return false;
    }
    let mut cursor = container.walk();
    let first = container
        .named_children(&mut cursor)
        .find(|c| c.kind_name() != "comment");
    first.is_some_and(|f| f.id() == stmt.id())
}

/// Node kinds that hold comments, and Python strings (for docstrings).
pub fn comment_and_docstring_kinds(language: Language) -> &'static [&'static str] {
    match language {
        Language::Python => &["comment", "string"],
        Language::Rust => &["line_comment", "block_comment"],
        _ => &["comment"],
    }
}

/// The prose text a comment-reading rule should look at for `node`: a
/// comment's body, or a Python docstring's content; `None` for other strings.
pub fn prose_of(node: Node<'_>, ancestors: &[Node<'_>], source: &str) -> Option<String> {
    let text = &source[node.byte_range()];
    if node.kind_name() == "string" {
        if !is_docstring(ancestors) {
            return None;
        }
        let inner = text
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .trim_matches(|c| c == '"' || c == '\'');
        return Some(inner.to_string());
    }
    Some(comment_body(text))
}

/// A list of case-insensitive regexes: built-in phrases plus a rule's
/// `extra-patterns` option, compiled once per configuration scope. The
/// built-in ones are compiled when first used: a warm run that parses one
/// file, or none, does not pay for them (the user's own are compiled at
/// once, so a broken one is a configuration error before the review).
///
/// Nearly every comment holds none of the phrases: one search with all of
/// them in one regex answers that, and the phrases are searched one by
/// one (and compiled) only when it finds something. Text that is not
/// ASCII skips that search, since a Unicode word boundary makes a large
/// alternation fall back to a slow engine there.
pub struct PhraseSet {
    builtin: &'static [&'static str],
    compiled: OnceLock<Vec<Regex>>,
    extra_sources: Vec<String>,
    extra: Vec<Regex>,
    any: OnceLock<Option<Regex>>,
}

pub(crate) fn phrase_regex(p: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(p).case_insensitive(true).multi_line(true).build()
}

impl PhraseSet {
    pub fn new(builtin: &'static [&'static str], options: &toml::Table) -> Result<PhraseSet, String> {
        let extra_sources: Vec<String> = options
            .get("extra-patterns")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let extra = extra_sources
            .iter()
            .map(|p| phrase_regex(p).map_err(|e| format!("`extra-patterns`: invalid regex `{p}`: {e}")))
            .collect::<Result<_, _>>()?;
        Ok(PhraseSet {
            builtin,
            compiled: OnceLock::new(),
            extra_sources,
            extra,
            any: OnceLock::new(),
        })
    }

    /// Whether any phrase matches somewhere in `text`, in one search;
    /// `None` when that search is not used (see the type's docs).
    fn any_match(&self, text: &str) -> Option<bool> {
        if !text.is_ascii() {
            return None;
        }
        let any = self.any.get_or_init(|| {
            let all: Vec<String> = (self.builtin.iter().copied())
                .chain(self.extra_sources.iter().map(String::as_str))
                .map(|p| format!("(?:{p})"))
                .collect();
            phrase_regex(&all.join("|")).ok()
        });
        any.as_ref().map(|re| re.is_match(text))
    }

    pub fn prepared(builtin: &'static [&'static str], options: &toml::Table) -> Result<Prepared, String> {
        Ok(Arc::new(PhraseSet::new(builtin, options)?))
    }

    /// Built-in phrases first, then the user's, as before.
    fn patterns(&self) -> impl Iterator<Item = &Regex> {
        // Built-in patterns are tested to compile (`builtin_phrases_compile`).
        let builtin = self
            .compiled
            .get_or_init(|| self.builtin.iter().filter_map(|p| phrase_regex(p).ok()).collect());
        builtin.iter().chain(&self.extra)
    }

    /// The first match: (byte range in `text`).
    /// The first match that is not quoted: a phrase right after a quote or
    /// backtick is being talked about ("flags `As an AI`"), not used.
    pub fn find(&self, text: &str) -> Option<std::ops::Range<usize>> {
        let quoted = |start: usize| {
            text[..start]
                .chars()
                .next_back()
                .is_some_and(|c| matches!(c, '"' | '\'' | '`' | '\u{201c}' | '\u{2018}'))
        };
        if self.any_match(text) == Some(false) {
            return None;
        }
        self.patterns()
            .flat_map(|re| re.find_iter(text))
            .filter(|m| !quoted(m.start()))
            .min_by_key(|m| m.start())
            .map(|m| m.range())
    }
}

/// The line of `text` containing byte `at`, trimmed and shortened for a message.
pub fn quote_line(text: &str, at: usize) -> String {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text[start..end].trim();
    if line.chars().count() > 70 {
        let cut: String = line.chars().take(67).collect();
        format!("{cut}...")
    } else {
        line.to_string()
    }
}

/// Whether a comment node is Rust documentation (`///`, `//!`, `/** */`):
/// text for library users, often with example code that elides on purpose.
pub fn is_rust_doc_comment(node: Node<'_>, source: &str) -> bool {
    let t = &source[node.byte_range()];
    node.kind_name().ends_with("_comment")
        && (t.starts_with("///") || t.starts_with("//!") || t.starts_with("/**") || t.starts_with("/*!"))
}

/// Prose with example code removed: fenced blocks and doctest lines
/// (`>>>`, `...` prompts) are documentation, not placeholders.
pub fn without_examples(prose: &str) -> String {
    let mut out = String::with_capacity(prose.len());
    let mut in_fence = false;
    let mut in_doctest = false;
    for line in prose.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            out.push('\n');
            continue;
        }
        // `...` continues a doctest only right after a `>>>` line.
        in_doctest = t.starts_with(">>>") || (in_doctest && t.starts_with("..."));
        if in_fence || in_doctest || t.starts_with("@example") {
            out.push('\n');
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Shared body of the comment-phrase rules: finds the first phrase of the
/// rule's set in a comment (or docstring) of production code and reports
/// it on the comment, quoting the line. `docstrings` says whether Python
/// docstrings count; `message` turns the quoted line into the message.
pub fn check_prose(
    node: Node<'_>,
    cx: &mut aireview_core::rule::FileContext<'_, '_>,
    docstrings: bool,
    rust_docs: bool,
    message: &dyn Fn(&str) -> String,
) {
    if cx.role() != aireview_core::facts::FileRole::Source || cx.in_test_code() {
        return;
    }
    if node.kind_name() == "string" && !docstrings {
        return;
    }
    if !rust_docs && is_rust_doc_comment(node, cx.source) {
        return;
    }
    let Some(prose) = prose_of(node, cx.ancestors, cx.source) else {
        return;
    };
    let prose = without_examples(&prose);
    let Some(set) = cx.prepared::<PhraseSet>() else {
        return;
    };
    let Some(found) = set.find(&prose) else {
        return;
    };
    let quote = quote_line(&prose, found.start);
    let span = narrow_to_line(node, cx.source, &prose[found.clone()]);
    let msg = message(&quote);
    cx.report(span, msg);
}

/// The span of the source line of `node` that contains `needle`
/// (case-insensitively), or the whole node.
pub fn narrow_to_line(node: Node<'_>, source: &str, needle: &str) -> aireview_core::Span {
    let text = &source[node.byte_range()];
    let lower = text.to_lowercase();
    let first_line = needle
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(needle)
        .trim()
        .to_lowercase();
    if lower.len() == text.len() && !first_line.is_empty() {
        if let Some(pos) = lower.find(&first_line) {
            let start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            let base = node.start_byte();
            let lead = text[start..end].len() - text[start..end].trim_start().len();
            return aireview_core::Span::of_range(source, base + start + lead, base + end);
        }
    }
    aireview_core::Span::of_node(node, source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_only_example_code() {
        let doc = "Use it:\n>>> f(1,\n...   2)\n\n... rest of the code ...\n```\n# in a real app\n```\nend";
        let kept = without_examples(doc);
        assert!(!kept.contains("f(1") && !kept.contains("   2)") && !kept.contains("real app"));
        assert!(kept.contains("... rest of the code ...") && kept.contains("end"));
    }

    /// The one search says "something matches" exactly when one of the
    /// phrases does, and `find` answers as the phrases one by one.
    #[test]
    fn one_search_agrees_with_the_phrases() {
        let set = PhraseSet::new(crate::slop::PHRASE_SETS[0], &toml::Table::new()).unwrap();
        let all: Vec<&'static str> = crate::slop::PHRASE_SETS
            .iter()
            .flat_map(|s| s.iter().copied())
            .collect();
        let all: &'static [&'static str] = Box::leak(all.into_boxed_slice());
        let mut options = toml::Table::new();
        options.insert("extra-patterns".into(), toml::Value::Array(vec!["(?-i)XYZZY".into()]));
        let wide = PhraseSet::new(all, &options).unwrap();
        for text in [
            "",
            "a plain comment about the cache",
            "As an AI language model, I cannot",
            "TODO: implement this",
            "... rest of the code ...",
            "// existing code here",
            "the XYZZY marker",
            "the xyzzy marker",
            "Certainly! Here is the updated function",
            "this comment is fine",
        ] {
            for s in [&set, &wide] {
                let one_by_one = s.patterns().any(|re| re.is_match(text));
                assert_eq!(s.any_match(text), Some(one_by_one), "{text:?}");
                let first = s
                    .patterns()
                    .flat_map(|re| re.find_iter(text))
                    .min_by_key(|m| m.start())
                    .map(|m| m.range());
                assert_eq!(s.find(text).is_some(), first.is_some(), "{text:?}");
            }
        }
        assert_eq!(wide.any_match("caf\u{e9} placeholder"), None);
    }

    #[test]
    fn quoted_phrases_are_mentions_not_uses() {
        let set = PhraseSet::new(&[r"\bas an ai\b"], &toml::Table::new()).unwrap();
        assert_eq!(set.find("flags \"As an AI\" text"), None);
        assert_eq!(set.find("flags `as an ai`; but as an AI model I"), Some(22..30));
    }

    #[test]
    fn strips_comment_markers() {
        assert_eq!(comment_body("# hello"), "hello");
        assert_eq!(comment_body("/// doc"), "doc");
        assert_eq!(comment_body("/* a\n * b\n */"), "a\nb\n");
        assert_eq!(comment_body("//! inner"), "inner");
    }
}
