//! `placeholder-value`: literals an assistant left for the user to fill in:
//! `"your-api-key-here"`, `"https://api.example.com"`, `"TODO: ..."`.

use crate::patterns::is_docstring;
use aireview_core::facts::FileRole;
use aireview_core::parse::FieldByName;
use aireview_core::parse::KindName;
use aireview_core::rule::{FileContext, FileRule, Prepared};
use aireview_core::tree_sitter::Node;
use aireview_core::Language;
use regex::{Regex, RegexBuilder};
use std::sync::Arc;

pub struct PlaceholderValue;

const PATTERNS: &[&str] = &[
    // Credentials to be filled in.
    r"^(your|my)[-_ ]?(api[-_ ]?key|token|secret|password|key|access[-_ ]?key|client[-_ ]?(id|secret)|auth[-_ ]?token|private[-_ ]?key|webhook[-_ ]?secret|database[-_ ]?url|db[-_ ]?password)([-_ ]?here)?$",
    r"^<\s*your[-_ ][^>]+>$",
    r"^YOUR_[A-Z0-9_]+(_HERE)?$",
    r"^(insert|put|enter|add|replace|paste)[-_ ](your|the)[-_ ].+[-_ ]here$",
    r"^(changeme|change[-_]me|replace[-_]me|fill[-_]me[-_]in)$",
    r"^(sk|pk)[-_](live|test)?[-_]?(x{4,}|\.\.\.|your.*)$",
    r"^x{8,}$",
    // Endpoints that were never filled in.
    r"^https?://([a-z0-9-]+\.)*(example\.(com|org|net)|your[-_]?(domain|site|server|api|company)[-_a-z]*\.[a-z]+)(:\d+)?(/\S*)?$",
];

pub struct Compiled {
    patterns: Vec<Regex>,
}

impl FileRule for PlaceholderValue {
    fn id(&self) -> &'static str {
        "placeholder-value"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        match language {
            Language::Python => &["string"],
            Language::Rust => &["string_literal"],
            _ => &["string", "template_string"],
        }
    }

    fn prepare(&self, options: &toml::Table) -> Result<Prepared, String> {
        let extra = options
            .get("extra-patterns")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let mut patterns = Vec::new();
        for (i, p) in PATTERNS.iter().map(|s| s.to_string()).chain(extra).enumerate() {
            // Built-in patterns are case-insensitive except `YOUR_...` and `TODO`.
            let insensitive = i < PATTERNS.len() && !p.starts_with("^YOUR_");
            let re = RegexBuilder::new(&p)
                .case_insensitive(insensitive)
                .build()
                .map_err(|e| format!("`extra-patterns`: invalid regex `{p}`: {e}"))?;
            patterns.push(re);
        }
        Ok(Arc::new(Compiled { patterns }))
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        if cx.role() != FileRole::Source || cx.in_test_code() {
            return;
        }
        let Some(value) = literal_value(node, cx) else {
            return;
        };
        let value = value.trim();
        if value.is_empty() || value.len() > 200 {
            return;
        }
        let Some(compiled) = cx.prepared::<Compiled>() else {
            return;
        };
        if !compiled.patterns.iter().any(|re| re.is_match(value)) {
            return;
        }
        let docstring = cx.language == Language::Python && is_docstring(cx.ancestors);
        if docstring || is_compared_or_listed(node, cx.ancestors) || in_comparing_macro(cx) {
            return;
        }
        let span = cx.span(node);
        cx.report(span, format!("placeholder value `{value}` was never filled in"))
            .with_help("read the real value from configuration or the environment, or remove the code that needs it");
    }
}

/// A string literal's content when it has no interpolation.
fn literal_value(node: Node<'_>, cx: &FileContext<'_, '_>) -> Option<String> {
    let mut out = String::new();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        match child.kind_name() {
            "string_content" | "string_fragment" | "escape_sequence" => out.push_str(cx.text(child)),
            "interpolation" | "template_substitution" => return None,
            _ => {}
        }
    }
    Some(out)
}

/// Inside `matches!(v, "a" | "b")` or an `assert_eq!`, where a Rust
/// literal is a token of the macro rather than a node of its own kind.
fn in_comparing_macro(cx: &FileContext<'_, '_>) -> bool {
    cx.language == Language::Rust
        && cx.ancestors.iter().rev().take(4).any(|a| {
            a.kind_name() == "macro_invocation"
                && a.field("macro").is_some_and(|m| {
                    matches!(
                        cx.text(m),
                        "matches" | "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne"
                    )
                })
        })
}

/// The literal is something the code looks for, not a value it uses: an
/// operand of `==`/`!=`/`in`, a match pattern, or one entry of a table of
/// several string literals (`const MARKERS: &[&str] = &["changeme", ..]`).
/// Code that detects placeholders is not code that left one behind.
fn is_compared_or_listed(node: Node<'_>, ancestors: &[Node<'_>]) -> bool {
    let Some(parent) = ancestors.last() else {
        return false;
    };
    match parent.kind_name() {
        "comparison_operator" | "match_pattern" | "case_pattern" | "or_pattern" => true,
        "binary_expression" => {
            let op = parent.field("operator").map(|o| o.kind_name());
            matches!(op, Some("==" | "!=" | "===" | "!=="))
        }
        "array_expression" | "array" | "list" | "set" | "tuple" => {
            let mut cursor = parent.walk();
            let items: Vec<Node<'_>> = parent.named_children(&mut cursor).collect();
            items.len() >= 3 && items.iter().all(|i| i.kind_name() == node.kind_name())
        }
        _ => false,
    }
}
