//! `raw-html-output`: request input sent as HTML or marked safe inside a
//! handler (`Markup`, `mark_safe`, `HTMLResponse`, an HTML f-string or
//! template literal returned or sent), and, in JavaScript anywhere,
//! non-constant HTML given to `dangerouslySetInnerHTML`, `innerHTML =`,
//! `outerHTML =`, `insertAdjacentHTML` or `document.write` without a sanitiser.

use super::taint::{function_kinds, is_constant_name, SinkKind};
use super::{report_sinks, reviewed};
use aireview_core::rule::{FileContext, FileRule};
use aireview_core::tree_sitter::Node;
use aireview_core::Language;

pub struct RawHtmlOutput;

const HELP: &str = "escape the value (Jinja autoescaping, `escape()`, `format_html`, React children instead of raw HTML), or sanitise it (`DOMPurify.sanitize`, `bleach.clean`) if it must stay HTML";

impl FileRule for RawHtmlOutput {
    fn id(&self) -> &'static str {
        "raw-html-output"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        match language {
            Language::Python => function_kinds(language),
            Language::Rust => &[],
            // The TypeScript grammar (`.ts`) has no JSX.
            Language::TypeScript => &[
                "function_declaration",
                "arrow_function",
                "function_expression",
                "method_definition",
                "assignment_expression",
                "augmented_assignment_expression",
                "call_expression",
            ],
            _ => &[
                "function_declaration",
                "arrow_function",
                "function_expression",
                "method_definition",
                "jsx_attribute",
                "assignment_expression",
                "augmented_assignment_expression",
                "call_expression",
            ],
        }
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        match node.kind() {
            "jsx_attribute" | "assignment_expression" | "augmented_assignment_expression" | "call_expression" => {
                if reviewed(cx) {
                    dom_sink(node, cx);
                }
            }
            _ => report_sinks(node, cx, SinkKind::Html, "cross-site scripting", HELP),
        }
    }
}

/// `dangerouslySetInnerHTML={{ __html: x }}`, `el.innerHTML = x`,
/// `el.insertAdjacentHTML(pos, x)`, `document.write(x)`.
fn dom_sink(node: Node<'_>, cx: &mut FileContext<'_, '_>) {
    let (what, value) = match node.kind() {
        "jsx_attribute" => {
            let Some(name) = node.named_child(0) else { return };
            if cx.text(name) != "dangerouslySetInnerHTML" {
                return;
            }
            let Some(object) = node
                .named_child(1)
                .and_then(|e| e.named_child(0))
                .filter(|o| o.kind() == "object")
            else {
                return;
            };
            let mut cursor = object.walk();
            let html = object
                .named_children(&mut cursor)
                .filter(|p| p.kind() == "pair")
                .find(|p| p.child_by_field_name("key").is_some_and(|k| cx.text(k) == "__html"))
                .and_then(|p| p.child_by_field_name("value"));
            let Some(html) = html else { return };
            ("dangerouslySetInnerHTML", html)
        }
        "call_expression" => {
            let Some(func) = node.child_by_field_name("function") else {
                return;
            };
            let callee = cx.text(func);
            let Some(args) = node
                .child_by_field_name("arguments")
                .filter(|a| a.kind() == "arguments")
            else {
                return;
            };
            let value = if callee.ends_with(".insertAdjacentHTML") {
                args.named_child(1)
            } else if callee == "document.write" || callee == "document.writeln" {
                args.named_child(0)
            } else {
                return;
            };
            let Some(value) = value else { return };
            (
                if callee.ends_with(".insertAdjacentHTML") {
                    "insertAdjacentHTML"
                } else {
                    "document.write"
                },
                value,
            )
        }
        _ => {
            let (Some(left), Some(right)) = (node.child_by_field_name("left"), node.child_by_field_name("right"))
            else {
                return;
            };
            let property = left.child_by_field_name("property").map(|p| cx.text(p)).unwrap_or("");
            if left.kind() != "member_expression" || !matches!(property, "innerHTML" | "outerHTML") {
                return;
            }
            (
                if property == "innerHTML" {
                    "innerHTML"
                } else {
                    "outerHTML"
                },
                right,
            )
        }
    };
    if constant_or_sanitised(value, cx) {
        return;
    }
    let shown = cx.text(value).split_whitespace().collect::<Vec<_>>().join(" ");
    let shown = if shown.chars().count() > 40 {
        format!("{}...", shown.chars().take(37).collect::<String>())
    } else {
        shown
    };
    let span = cx.span(value);
    cx.report(
        span,
        format!("`{what}` renders `{shown}` as raw HTML: cross-site scripting if it holds user data"),
    )
    .with_help(HELP);
}

/// A literal, a constant name, or a sanitiser's result.
fn constant_or_sanitised(node: Node<'_>, cx: &FileContext<'_, '_>) -> bool {
    match node.kind() {
        "string" | "number" | "null" | "undefined" => true,
        "template_string" => {
            let mut cursor = node.walk();
            let substituted = node
                .named_children(&mut cursor)
                .any(|c| c.kind() == "template_substitution");
            !substituted
        }
        "identifier" => is_constant_name(cx.text(node)),
        "call_expression" => node.child_by_field_name("function").is_some_and(|f| {
            let callee = cx.text(f).to_ascii_lowercase();
            ["sanitize", "purify", "escape"].iter().any(|s| callee.contains(s))
        }),
        "parenthesized_expression" | "as_expression" => {
            node.named_child(0).is_some_and(|c| constant_or_sanitised(c, cx))
        }
        "binary_expression" | "ternary_expression" => {
            let mut cursor = node.walk();
            let all = node
                .named_children(&mut cursor)
                .filter(|c| Some(*c) != node.child_by_field_name("condition"))
                .all(|c| constant_or_sanitised(c, cx));
            all
        }
        _ => false,
    }
}
