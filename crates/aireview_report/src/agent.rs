//! `agent`: one compact line per finding, with the fix, for a coding
//! assistant to act on: `path:line:col severity rule: message (fix: help)`.

use crate::{one_line, ReportInput};
use std::fmt::Write as _;

pub fn render(input: &ReportInput<'_>) -> String {
    let mut out = String::new();
    for d in input.diagnostics {
        let _ = write!(
            out,
            "{}:{}:{} {} {}: {}",
            input.tool_path(&d.path),
            d.span.start_line,
            d.span.start_col,
            d.severity,
            d.rule,
            one_line(&d.message)
        );
        if let Some(help) = &d.help {
            let _ = write!(out, " (fix: {})", one_line(help));
        }
        for r in &d.related {
            let _ = write!(
                out,
                " [see {}:{}: {}]",
                input.tool_path(&r.path),
                r.span.start_line,
                one_line(&r.message)
            );
        }
        out.push('\n');
    }
    out
}
