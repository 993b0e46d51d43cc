//! `json`: a versioned document (schema in `docs/json-output.md` and
//! `docs/aireview-output.schema.json`). Bump `SCHEMA_VERSION` on any
//! incompatible change.

use crate::{Counts, ReportInput};
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    warnings: &'a [aireview_core::Warning],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_reviewed: usize,
    #[serde(flatten)]
    counts: Counts,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    #[serde(flatten)]
    diagnostic: &'a aireview_core::Diagnostic,
    family: &'a str,
}

pub fn render(input: &ReportInput<'_>) -> String {
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "aireview",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files_reviewed: input.files_reviewed,
            counts: Counts::of(input.diagnostics),
        },
        diagnostics: input
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                diagnostic: d,
                family: input.family(&d.rule),
            })
            .collect(),
        warnings: input.warnings,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
