//! `tainted-eval`: request input reaching `eval`, `exec` or
//! `vm.runIn*Context`.

use super::report_sinks;
use super::taint::{function_kinds, SinkKind};
use aireview_core::rule::{FileContext, FileRule};
use aireview_core::tree_sitter::Node;
use aireview_core::Language;

pub struct TaintedEval;

impl FileRule for TaintedEval {
    fn id(&self) -> &'static str {
        "tainted-eval"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        function_kinds(language)
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        report_sinks(
            node,
            cx,
            SinkKind::Eval,
            "code injection",
            "never evaluate request input; parse data with `json.loads` / `JSON.parse` or `ast.literal_eval`, or map it to a fixed set of operations",
        );
    }
}
