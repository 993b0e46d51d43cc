//! Renderers: one module per output format. Every renderer is a pure
//! function of the sorted findings, so output is byte-for-byte stable.

mod agent;
mod concise;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod markdown;
mod sarif;

use aireview_core::registry::Registry;
use aireview_core::{Diagnostic, Severity, Warning};

/// Output formats; [`Format::ALL`] names and describes each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
    Gitlab,
    Junit,
    Agent,
    Markdown,
}

impl Format {
    /// Every format: its `--format` name and what it is.
    pub const ALL: &'static [(Format, &'static str, &'static str)] = &[
        (
            Format::Human,
            "human",
            "Source snippets with labels (the default; `full` is the same)",
        ),
        (
            Format::Concise,
            "concise",
            "One `path:line:col: severity[rule] message` line per finding",
        ),
        (
            Format::Json,
            "json",
            "The versioned JSON document (docs/json-output.md)",
        ),
        (Format::Sarif, "sarif", "SARIF 2.1.0, for GitHub code scanning"),
        (
            Format::Github,
            "github",
            "GitHub Actions annotations (the default when GITHUB_ACTIONS=true)",
        ),
        (Format::Gitlab, "gitlab", "GitLab Code Quality JSON"),
        (
            Format::Junit,
            "junit",
            "JUnit XML: a test suite per file, a test case per rule",
        ),
        (
            Format::Agent,
            "agent",
            "One compact line per finding with its fix, for coding assistants",
        ),
        (
            Format::Markdown,
            "markdown",
            "The AI-code review checklist in Markdown, for a pull-request comment",
        ),
    ];

    /// The format called `name` (`full` is `human`).
    pub fn named(name: &str) -> Option<Format> {
        let name = if name == "full" { "human" } else { name };
        Self::ALL.iter().find(|(_, n, _)| *n == name).map(|(f, _, _)| *f)
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
    /// Put before every project-relative path by the formats other tools
    /// open files from (sarif, github, gitlab, junit, agent, markdown): the
    /// project root relative to the working directory, `/`-terminated, or
    /// empty.
    pub path_prefix: &'a str,
    /// Markdown links point here plus the path (a repository's
    /// `.../blob/<commit>/`); without it they are relative paths.
    pub link_base: Option<&'a str>,
}

impl ReportInput<'_> {
    /// The path other tools open: `path_prefix` + the project-relative path.
    fn tool_path(&self, path: &str) -> String {
        format!("{}{path}", self.path_prefix)
    }

    /// The family of a rule, or "" for a rule the registry does not know.
    fn family(&self, rule: &str) -> &str {
        self.registry
            .get(rule)
            .map_or("", |i| self.registry.meta(i).family.as_str())
    }
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

/// `text` on one line: line breaks and runs of whitespace become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
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
        Format::Sarif => sarif::render(input),
        Format::Github => github::render(input),
        Format::Gitlab => gitlab::render(input),
        Format::Junit => junit::render(input),
        Format::Agent => agent::render(input),
        Format::Markdown => markdown::render(input),
    }
}
