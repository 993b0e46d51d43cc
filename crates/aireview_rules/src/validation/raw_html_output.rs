//! `raw-html-output`: request input sent as HTML or marked safe inside a
//! handler (`Markup`, `mark_safe`, `HTMLResponse`, an HTML f-string or
//! template literal returned or sent), and, in JavaScript anywhere,
//! non-constant HTML given to `dangerouslySetInnerHTML`, `innerHTML =`,
//! `outerHTML =`, `insertAdjacentHTML` or `document.write` without a sanitiser.
//! In Python handlers also request input put into a template's context
//! where the template outputs it unescaped (`|safe`, autoescape off):
//! inline template source here, template files in the project part
//! (`TemplateFiles`), which checks the recorded renders against the model.

use super::taint::{analyze, function_kinds, is_constant_name, RenderSite, RenderedTemplate, SinkKind};
use super::{report_found_sinks, report_sinks, reviewed};
use aireview_core::facts::{FileFacts, TemplateInput, TemplateRender};
use aireview_core::model::ProjectModel;
use aireview_core::parse::FieldByName;
use aireview_core::parse::KindName;
use aireview_core::rule::{FileContext, FileRule, ProjectContext, ProjectRule};
use aireview_core::template::RawHow;
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
        match node.kind_name() {
            "jsx_attribute" | "assignment_expression" | "augmented_assignment_expression" | "call_expression" => {
                if reviewed(cx) {
                    dom_sink(node, cx);
                }
            }
            _ if cx.language == Language::Python => {
                if !reviewed(cx) {
                    return;
                }
                let Some(analysis) = analyze(node, cx, true) else {
                    return;
                };
                report_found_sinks(&analysis, cx, SinkKind::Html, "cross-site scripting", HELP);
                for render in analysis.renders {
                    report_render(render, cx);
                }
            }
            _ => report_sinks(node, cx, SinkKind::Html, "cross-site scripting", HELP),
        }
    }

    fn project_part(&self) -> Option<&dyn ProjectRule> {
        Some(&TemplateFiles)
    }
}

/// Template source in the code is checked here; a template file is
/// recorded in the facts and checked by `TemplateFiles` once every
/// template is known.
fn report_render(render: RenderSite, cx: &mut FileContext<'_, '_>) {
    let raw = match render.template {
        RenderedTemplate::Inline(raw) => raw,
        RenderedTemplate::File { name, span } => {
            cx.record_template_render(TemplateRender {
                template: name,
                callee: render.callee,
                span,
                inputs: render.inputs,
            });
            return;
        }
    };
    for input in &render.inputs {
        let Some(out) = raw.iter().find(|o| o.name == input.name) else {
            continue;
        };
        let how = match out.how {
            RawHow::SafeFilter => "",
            RawHow::Unescaped => " (the template is rendered without autoescaping)",
        };
        cx.report(
            input.span,
            format!(
                "{} is output unescaped by `{}` in the template rendered by `{}`{how}: cross-site scripting",
                what(input),
                out.tag,
                render.callee,
            ),
        )
        .with_help(TEMPLATE_HELP);
    }
}

/// "request input `request.args["c"]`", or "request input" when the read is not known.
fn what(input: &TemplateInput) -> String {
    input
        .input
        .as_ref()
        .map_or("request input".to_string(), |i| format!("request input `{i}`"))
}

const TEMPLATE_HELP: &str = "drop `|safe` (or the autoescape-off block) and let the template escape the value; if it must stay HTML, sanitise it in the handler (`bleach.clean`, `nh3.clean`) before rendering";

/// The cross-file part: a handler puts request input into a template
/// file's context, and that template outputs it with `|safe` or inside an
/// autoescape-off block. Reported at the handler's context argument (where
/// the input enters, and where a suppression or baseline entry belongs),
/// with the template's output as the related location.
pub struct TemplateFiles;

impl ProjectRule for TemplateFiles {
    fn id(&self) -> &'static str {
        "raw-html-output"
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        for render in &file.template_renders {
            let Some(template) = model.templates.resolve(&file.path, &render.template) else {
                continue;
            };
            for input in &render.inputs {
                let outputs = model.templates.raw_outputs_of(template, &input.name);
                let Some(&(first_in, first)) = outputs.first() else {
                    continue;
                };
                let how = match first.how {
                    RawHow::SafeFilter => format!("`{}`", first.tag),
                    RawHow::Unescaped => format!("`{}` inside an autoescape-off block", first.tag),
                };
                let diagnostic = cx.report(
                    input.span,
                    format!(
                        "{} is passed to `{}` as `{}`, which outputs it unescaped with {how} ({first_in}:{}): cross-site scripting",
                        what(input),
                        render.template,
                        input.name,
                        first.span.start_line,
                    ),
                );
                diagnostic.with_help(TEMPLATE_HELP);
                for (path, out) in outputs {
                    diagnostic.with_related(
                        path,
                        out.span,
                        format!("`{}` is output without escaping here", input.name),
                    );
                }
            }
        }
    }
}

/// `dangerouslySetInnerHTML={{ __html: x }}`, `el.innerHTML = x`,
/// `el.insertAdjacentHTML(pos, x)`, `document.write(x)`.
fn dom_sink(node: Node<'_>, cx: &mut FileContext<'_, '_>) {
    let (what, value) = match node.kind_name() {
        "jsx_attribute" => {
            let Some(name) = node.named_child(0) else { return };
            if cx.text(name) != "dangerouslySetInnerHTML" {
                return;
            }
            let Some(object) = node
                .named_child(1)
                .and_then(|e| e.named_child(0))
                .filter(|o| o.kind_name() == "object")
            else {
                return;
            };
            let mut cursor = object.walk();
            let html = object
                .named_children(&mut cursor)
                .filter(|p| p.kind_name() == "pair")
                .find(|p| p.field("key").is_some_and(|k| cx.text(k) == "__html"))
                .and_then(|p| p.field("value"));
            let Some(html) = html else { return };
            ("dangerouslySetInnerHTML", html)
        }
        "call_expression" => {
            let Some(func) = node.field("function") else {
                return;
            };
            let callee = cx.text(func);
            let Some(args) = node.field("arguments").filter(|a| a.kind_name() == "arguments") else {
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
            let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                return;
            };
            let property = left.field("property").map(|p| cx.text(p)).unwrap_or("");
            if left.kind_name() != "member_expression" || !matches!(property, "innerHTML" | "outerHTML") {
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
    match node.kind_name() {
        "string" | "number" | "null" | "undefined" => true,
        "template_string" => {
            let mut cursor = node.walk();
            let substituted = node
                .named_children(&mut cursor)
                .any(|c| c.kind_name() == "template_substitution");
            !substituted
        }
        "identifier" => is_constant_name(cx.text(node)),
        "call_expression" => node.field("function").is_some_and(|f| {
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
                .filter(|c| Some(*c) != node.field("condition"))
                .all(|c| constant_or_sanitised(c, cx));
            all
        }
        _ => false,
    }
}
