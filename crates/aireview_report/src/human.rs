//! `human`: miette's graphical reports, with the source snippet and labels;
//! related locations (possibly in other files) follow as nested reports.

use crate::ReportInput;
use aireview_core::{Diagnostic, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;

/// One finding (or related location) in miette's terms.
struct Report {
    message: String,
    code: Option<String>,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<NamedSource<String>>,
    label: Option<(String, SourceSpan)>,
    related: Vec<Report>,
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.as_ref().map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (text, span) = self.label.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(
            Some(text.clone()),
            *span,
        ))))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// A source and label for `path` at `span`, when the file can be loaded and
/// the span lies inside it.
fn located(
    input: &ReportInput<'_>,
    path: &str,
    span: aireview_core::Span,
    label: &str,
) -> (Option<NamedSource<String>>, Option<(String, SourceSpan)>) {
    let Some(text) = (input.source)(path) else {
        return (None, None);
    };
    if span.end as usize > text.len() || span.start > span.end {
        return (None, None);
    }
    let source_span = SourceSpan::new((span.start as usize).into(), (span.end - span.start) as usize);
    (
        Some(NamedSource::new(path, text)),
        Some((label.to_string(), source_span)),
    )
}

/// `text` with every span of `redact` masked: each character becomes `*`
/// repeated to its UTF-8 length (line breaks stay), so offsets still hold.
fn masked(text: String, redact: &[aireview_core::Span]) -> String {
    if redact.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let hidden = c != '\n' && c != '\r' && redact.iter().any(|s| (s.start as usize) <= i && i < s.end as usize);
        if hidden {
            out.extend(std::iter::repeat_n('*', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

fn report_for(input: &ReportInput<'_>, d: &Diagnostic) -> Report {
    let (source, label) = located(input, &d.path, d.span, "here");
    let related = d
        .related
        .iter()
        .map(|r| {
            let (source, label) = located(input, &r.path, r.span, &r.message);
            Report {
                message: format!("{}:{}:{}: {}", r.path, r.span.start_line, r.span.start_col, r.message),
                code: None,
                severity: miette::Severity::Advice,
                help: None,
                source,
                label,
                related: Vec::new(),
            }
        })
        .collect();
    Report {
        message: format!("{}:{}:{}: {}", d.path, d.span.start_line, d.span.start_col, d.message),
        code: Some(d.rule.clone()),
        severity: severity(d.severity),
        help: d.help.clone(),
        source,
        label,
        related,
    }
}

pub fn render(input: &ReportInput<'_>) -> String {
    let theme = if input.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(110)
        .with_links(false)
        .with_context_lines(1);
    // Spans of rules that report secrets are masked in every snippet of their file.
    let mut redact: std::collections::HashMap<&str, Vec<aireview_core::Span>> = std::collections::HashMap::new();
    for d in input.diagnostics {
        let secret = input
            .registry
            .get(&d.rule)
            .is_some_and(|i| input.registry.meta(i).redact_source);
        if secret {
            redact.entry(d.path.as_str()).or_default().push(d.span);
        }
    }
    let load =
        |path: &str| (input.source)(path).map(|text| masked(text, redact.get(path).map_or(&[][..], Vec::as_slice)));
    let input = &ReportInput {
        source: &load,
        ..*input
    };
    let mut out = String::new();
    for d in input.diagnostics {
        let report = report_for(input, d);
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&report.message);
            out.push('\n');
        }
    }
    out
}
