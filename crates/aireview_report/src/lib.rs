//! Renderers: one module per output format. Every renderer is a pure
//! function of the sorted findings, so output is byte-for-byte stable.

mod concise;
mod human;
mod json;

use aireview_core::registry::Registry;
use aireview_core::{Diagnostic, Severity, Warning};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// miette reports with the source snippet and labels.
    Human,
    /// One `path:line:col: severity[rule-id] message` line per finding.
    Concise,
    /// The versioned JSON document described in `docs/json-output.md`.
    Json,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &["human", "concise", "json"];

    pub fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "human" | "full" => Format::Human,
            "concise" => Format::Concise,
            "json" => Format::Json,
            _ => return None,
        })
    }
}

/// Everything a renderer may use.
pub struct ReportInput<'a> {
    pub diagnostics: &'a [Diagnostic],
    pub warnings: &'a [Warning],
    pub files_reviewed: usize,
    pub registry: &'a Registry,
    /// Loads a file's text by project-relative path (for snippets).
    pub source: &'a dyn Fn(&str) -> Option<String>,
    /// ANSI colours (a terminal without NO_COLOR).
    pub color: bool,
}

/// Counts of findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(diagnostics: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary line: files reviewed (and their size), findings by severity, time.
pub fn summary_line(files: usize, bytes: u64, diagnostics: &[Diagnostic], seconds: f64) -> String {
    let c = Counts::of(diagnostics);
    let findings = if diagnostics.is_empty() {
        "no findings".to_string()
    } else {
        format!(
            "{}, {}, {}",
            plural(c.errors, "error", "errors"),
            plural(c.warnings, "warning", "warnings"),
            plural(c.infos, "info", "infos")
        )
    };
    format!(
        "Reviewed {} ({}) in {seconds:.2}s: {findings}.",
        plural(files, "file", "files"),
        aireview_core::source::human_size(bytes)
    )
}

/// Renders the findings in `format`.
pub fn render(format: Format, input: &ReportInput<'_>) -> String {
    match format {
        Format::Human => human::render(input),
        Format::Concise => concise::render(input),
        Format::Json => json::render(input),
    }
}
