//! `concise`: one line per finding, the format of compilers and ruff.

use crate::ReportInput;
use std::fmt::Write as _;

pub fn render(input: &ReportInput<'_>) -> String {
    let mut out = String::new();
    for d in input.diagnostics {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            d.path, d.span.start_line, d.span.start_col, d.severity, d.rule, d.message
        );
    }
    out
}
