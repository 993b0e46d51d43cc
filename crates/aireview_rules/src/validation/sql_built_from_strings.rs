//! `sql-built-from-strings`: SQL text built by formatting, concatenation
//! or interpolation that reaches a query call. An error when a piece comes
//! from request input, a warning when it is merely not constant.

use super::reviewed;
use super::taint::{analyze, function_kinds, may_run_sql};
use aireview_core::rule::{FileContext, FileRule};
use aireview_core::tree_sitter::Node;
use aireview_core::{Language, Severity};

pub struct SqlBuiltFromStrings;

impl FileRule for SqlBuiltFromStrings {
    fn id(&self) -> &'static str {
        "sql-built-from-strings"
    }

    fn node_kinds(&self, language: Language) -> &'static [&'static str] {
        function_kinds(language)
    }

    fn check_node(&self, node: Node<'_>, cx: &mut FileContext<'_, '_>) {
        if !reviewed(cx) || !may_run_sql(cx.text(node)) {
            return;
        }
        let Some(analysis) = analyze(node, cx, false) else {
            return;
        };
        let path = cx.path().to_string();
        for site in analysis.sql {
            let message = if site.tainted {
                let what = site
                    .input
                    .as_ref()
                    .map_or("request input".to_string(), |i| format!("request input `{i}`"));
                format!("SQL built from {what} reaches `{}`: SQL injection", site.callee)
            } else {
                format!("SQL built from a non-constant value reaches `{}`", site.callee)
            };
            let d = cx.report(site.span, message);
            if !site.tainted {
                d.severity = d.severity.min(Severity::Warning);
            }
            d.with_help("keep the SQL constant and pass values as query parameters (`execute(\"... WHERE id = %s\", (id,))`, `$1`, `?`), or use the ORM / a query builder");
            if let Some(at) = site.built_at {
                d.with_related(path.clone(), at, "the SQL is built here");
            }
        }
    }
}
