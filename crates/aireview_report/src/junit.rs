//! `junit`: JUnit XML for CI test-report views. One test suite per file with
//! findings, one test case per rule in that file, failing with the rule's
//! findings in that file; a review without findings is one passing case.

use crate::ReportInput;
use aireview_core::Diagnostic;
use std::fmt::Write as _;

/// Escapes text for XML content and attribute values; characters XML 1.0
/// cannot carry (most control characters) become U+FFFD.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A file's findings grouped by rule, in output order.
type FileFindings<'a> = (&'a str, Vec<(&'a str, Vec<&'a Diagnostic>)>);

pub fn render(input: &ReportInput<'_>) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // (path, rule) -> findings, in output order (diagnostics are sorted by path).
    let mut files: Vec<FileFindings<'_>> = Vec::new();
    for d in input.diagnostics {
        if files.last().is_none_or(|(p, _)| *p != d.path) {
            files.push((&d.path, Vec::new()));
        }
        let Some((_, rules)) = files.last_mut() else { continue };
        match rules.iter_mut().find(|(r, _)| *r == d.rule) {
            Some((_, found)) => found.push(d),
            None => rules.push((&d.rule, vec![d])),
        }
    }
    let tests: usize = files.iter().map(|(_, rules)| rules.len()).sum::<usize>().max(1);
    let failures: usize = files.iter().map(|(_, rules)| rules.len()).sum();
    let _ = writeln!(
        out,
        "<testsuites name=\"aireview\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    if files.is_empty() {
        out.push_str("  <testsuite name=\"aireview\" tests=\"1\" failures=\"0\" errors=\"0\">\n");
        let _ = writeln!(
            out,
            "    <testcase name=\"review\" classname=\"aireview\"/>\n  </testsuite>"
        );
    }
    for (path, rules) in &files {
        let path = xml_escape(&input.tool_path(path));
        let _ = writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{n}\" failures=\"{n}\" errors=\"0\">",
            n = rules.len()
        );
        for (rule, found) in rules {
            let rule = xml_escape(rule);
            let summary = match found.as_slice() {
                [one] => one.message.clone(),
                many => format!("{} findings", many.len()),
            };
            let _ = writeln!(out, "    <testcase name=\"{rule}\" classname=\"{path}\">");
            let _ = write!(
                out,
                "      <failure type=\"{rule}\" message=\"{}\">",
                xml_escape(&summary)
            );
            for d in found {
                let mut line = format!(
                    "{}:{}:{}: {}: {}",
                    input.tool_path(&d.path),
                    d.span.start_line,
                    d.span.start_col,
                    d.severity,
                    d.message
                );
                if let Some(help) = &d.help {
                    let _ = write!(line, " (help: {help})");
                }
                out.push('\n');
                out.push_str(&xml_escape(&line));
            }
            out.push_str("\n      </failure>\n    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_characters_xml_cannot_hold() {
        assert_eq!(
            xml_escape("a<b>&\"c\" 'd'\u{1}\u{1b}"),
            "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;\u{FFFD}\u{FFFD}"
        );
    }
}
