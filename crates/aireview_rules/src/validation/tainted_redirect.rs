//! `tainted-redirect`: request input used as a redirect target
//! without an allow-list or same-site check.

use super::report_sinks;
use super::taint::{function_kinds, SinkKind};
use aireview_core::rule::{FileContext, FileRule};
use aireview_core::tree_sitter::Node;
use aireview_core::Language;

pub struct TaintedRedirect;

impl FileRule for TaintedRedirect {
    fn id(&self) -> &'static str {
        "tainted-redirect"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        function_kinds(language)
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        report_sinks(
            node,
            cx,
            SinkKind::Redirect,
            "open redirect",
            "check the target first: an allow-list, a relative path only, or `url_has_allowed_host_and_scheme` (Django)",
        );
    }
}
