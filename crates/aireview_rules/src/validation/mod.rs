//! Validation: request handlers that use raw input, and SQL built from
//! strings. Handler recognition and taint live in `taint`; each rule asks
//! for function nodes and reads the analysis of that function.

mod raw_html_output;
mod sql_built_from_strings;
mod taint;
mod tainted_command;
mod tainted_eval;
mod tainted_path;
mod tainted_redirect;
mod unsafe_write_endpoint;
mod unvalidated_request_input;

use aireview_core::facts::FileRole;
use aireview_core::rule::{FileContext, FileRule};
use aireview_core::tree_sitter::Node;
use aireview_core::Language;
use taint::{analyze, function_kinds, Analysis, SinkKind};

pub fn file_rules() -> Vec<Box<dyn FileRule>> {
    vec![
        Box::new(unvalidated_request_input::UnvalidatedRequestInput),
        Box::new(sql_built_from_strings::SqlBuiltFromStrings),
        Box::new(tainted_command::TAINTED_COMMAND),
        Box::new(tainted_path::TAINTED_PATH),
        Box::new(tainted_eval::TAINTED_EVAL),
        Box::new(tainted_redirect::TAINTED_REDIRECT),
        Box::new(raw_html_output::RawHtmlOutput),
        Box::new(unsafe_write_endpoint::UnsafeWriteEndpoint),
    ]
}

/// A rule that reports request input reaching one kind of sink in a
/// handler; each `tainted-*` rule file defines one.
pub(crate) struct SinkRule {
    id: &'static str,
    kind: SinkKind,
    /// What the flow allows: "path traversal".
    effect: &'static str,
    help: &'static str,
}

impl FileRule for SinkRule {
    fn id(&self) -> &'static str {
        self.id
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        function_kinds(language)
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        report_sinks(node, cx, self.kind, self.effect, self.help);
    }
}

/// Reports request input that reaches a sink of `kind` in the handler
/// `node`: "request input `x` reaches `callee`: <effect>".
fn report_sinks(node: Node<'_>, cx: &mut FileContext<'_, '_>, kind: SinkKind, effect: &str, help: &str) {
    if !reviewed(cx) {
        return;
    }
    let Some(analysis) = analyze(node, cx, true) else {
        return;
    };
    report_found_sinks(&analysis, cx, kind, effect, help);
}

/// Reports the sinks of `kind` an analysis found (see `report_sinks`).
fn report_found_sinks(analysis: &Analysis, cx: &mut FileContext<'_, '_>, kind: SinkKind, effect: &str, help: &str) {
    for sink in analysis.sinks.iter().filter(|s| s.kind == kind) {
        let what = sink
            .input
            .as_ref()
            .map_or("request input".to_string(), |i| format!("request input `{i}`"));
        // A handler returning an HTML string has no callee to name.
        let target = if sink.callee == "return" {
            "the HTML response".to_string()
        } else {
            format!("`{}`", sink.callee)
        };
        cx.report(sink.span, format!("{what} reaches {target}: {effect}"))
            .with_help(help);
    }
}

/// Application code and examples (docs teach the pattern), not tests,
/// stubs or generated code.
fn reviewed(cx: &FileContext<'_, '_>) -> bool {
    matches!(cx.role(), FileRole::Source | FileRole::Example) && !cx.in_test_code()
}
