//! `tainted-path`: request input reaching a file path that is
//! opened, sent, listed or deleted.

use super::report_sinks;
use super::taint::{function_kinds, SinkKind};
use aireview_core::rule::{FileContext, FileRule};
use aireview_core::tree_sitter::Node;
use aireview_core::Language;

pub struct TaintedPath;

impl FileRule for TaintedPath {
    fn id(&self) -> &'static str {
        "tainted-path"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        function_kinds(language)
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        report_sinks(
            node,
            cx,
            SinkKind::Path,
            "path traversal (`../../etc/passwd`)",
            "pass the name through `secure_filename` / `path.basename`, or resolve it under a base directory and check it stays there (`send_from_directory`, `safe_join`)",
        );
    }
}
