//! `github`: GitHub Actions workflow commands, one per finding, which the
//! runner turns into annotations on the pull request's diff:
//! `::warning file=F,line=L,col=C,endLine=EL,endColumn=EC,title=T::message`.

use crate::ReportInput;
use aireview_core::Severity;
use std::fmt::Write as _;

/// Escapes a command's message (the data after `::`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command property's value: as data, plus `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(input: &ReportInput<'_>) -> String {
    let mut out = String::new();
    for d in input.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            let _ = write!(message, "\nhelp: {help}");
        }
        let s = d.span;
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&input.tool_path(&d.path)),
            s.start_line,
            s.start_col,
            s.end_line,
            s.end_col,
            escape_property(&format!("aireview ({})", d.rule)),
            escape_data(&message)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_the_workflow_command_spec() {
        assert_eq!(escape_data("50%\r\nnext: a,b"), "50%25%0D%0Anext: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
