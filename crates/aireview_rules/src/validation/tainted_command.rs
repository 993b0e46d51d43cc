//! `tainted-command`: request input reaching a command the
//! system runs (`subprocess`, `os.system`, `child_process`, `Command::new`).

use super::report_sinks;
use super::taint::{function_kinds, SinkKind};
use aireview_core::rule::{FileContext, FileRule};
use aireview_core::tree_sitter::Node;
use aireview_core::Language;

pub struct TaintedCommand;

impl FileRule for TaintedCommand {
    fn id(&self) -> &'static str {
        "tainted-command"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        function_kinds(language)
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        report_sinks(
            node,
            cx,
            SinkKind::Command,
            "command injection",
            "do not build commands from request input; map the input to a fixed argument (an allow-list) and pass arguments as a list without a shell",
        );
    }
}
