//! `markdown`: the review as the AI-code review checklist, for a
//! pull-request comment or `$GITHUB_STEP_SUMMARY`. Each item passes or fails
//! with its findings, linked by path and line.

use crate::{one_line, plural, Counts, ReportInput};
use aireview_core::Diagnostic;
use std::fmt::Write as _;

/// The checklist: item title and the rule families that check it.
const CHECKLIST: &[(&str, &[&str])] = &[
    ("Pattern consistency", &["drift"]),
    ("Hallucinated dependencies", &["imports"]),
    ("Over-engineering", &["abstraction"]),
    ("Security blind spots", &["security", "validation"]),
    ("AI slop", &["slop"]),
];

/// Findings listed per item; the rest are counted (a comment has a size limit).
const MAX_LISTED: usize = 50;

fn finding_line(input: &ReportInput<'_>, d: &Diagnostic) -> String {
    let path = input.tool_path(&d.path);
    let line = d.span.start_line;
    let target = format!("{}{path}#L{line}", input.link_base.unwrap_or(""));
    format!(
        "  - **{}** [`{path}:{line}`]({}) `{}`: {}",
        d.severity,
        target.replace(' ', "%20"),
        d.rule,
        one_line(&d.message)
    )
}

fn item(out: &mut String, input: &ReportInput<'_>, title: &str, found: &[&Diagnostic], checked: bool) {
    if !checked {
        let _ = writeln!(out, "- [ ] **{title}**: not checked (no rules for it yet)");
        return;
    }
    if found.is_empty() {
        let _ = writeln!(out, "- [x] **{title}**: passed");
        return;
    }
    let _ = writeln!(out, "- [ ] **{title}**: {}", plural(found.len(), "finding", "findings"));
    for d in found.iter().take(MAX_LISTED) {
        let _ = writeln!(out, "{}", finding_line(input, d));
    }
    if found.len() > MAX_LISTED {
        let _ = writeln!(out, "  - … and {} more", found.len() - MAX_LISTED);
    }
}

pub fn render(input: &ReportInput<'_>) -> String {
    let mut out = String::from("## aireview: AI-code review checklist\n\n");
    let of = |families: &[&str]| -> Vec<&Diagnostic> {
        input
            .diagnostics
            .iter()
            .filter(|d| families.contains(&input.family(&d.rule)))
            .collect()
    };
    let has_rules = |families: &[&str]| {
        input
            .registry
            .rules
            .iter()
            .any(|r| families.contains(&r.meta.family.as_str()))
    };
    let c = Counts::of(input.diagnostics);
    let _ = writeln!(
        out,
        "Reviewed {}: {}, {}, {}.\n",
        plural(input.files_reviewed, "file", "files"),
        plural(c.errors, "error", "errors"),
        plural(c.warnings, "warning", "warnings"),
        plural(c.infos, "info", "infos")
    );
    for (title, families) in CHECKLIST {
        item(&mut out, input, title, &of(families), has_rules(families));
    }
    // Findings of the engine's and the project's own rules.
    let listed: Vec<&str> = CHECKLIST.iter().flat_map(|(_, f)| f.iter().copied()).collect();
    let other: Vec<&Diagnostic> = input
        .diagnostics
        .iter()
        .filter(|d| !listed.contains(&input.family(&d.rule)))
        .collect();
    if !other.is_empty() {
        item(&mut out, input, "Suppressions and project rules", &other, true);
    }
    out
}
