//! `gitlab`: a GitLab Code Quality report (a subset of the Code Climate
//! issue format). GitLab matches issues between pipelines by fingerprint and
//! keeps only one issue per fingerprint, so findings that share one (the
//! same rule on identical lines of one file) get an occurrence suffix.

use crate::ReportInput;
use aireview_core::Severity;
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn render(input: &ReportInput<'_>) -> String {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let issues: Vec<Value> = input
        .diagnostics
        .iter()
        .map(|d| {
            let n = seen.entry(d.fingerprint.as_str()).or_default();
            *n += 1;
            let fingerprint = if *n == 1 {
                d.fingerprint.clone()
            } else {
                format!("{}-{n}", d.fingerprint)
            };
            json!({
                "description": format!("{}: {}", d.rule, d.message),
                "check_name": d.rule,
                "fingerprint": fingerprint,
                "severity": match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
                "location": {
                    "path": input.tool_path(&d.path),
                    "lines": { "begin": d.span.start_line, "end": d.span.end_line },
                },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}
