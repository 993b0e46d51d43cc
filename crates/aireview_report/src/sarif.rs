//! `sarif`: SARIF 2.1.0, the subset GitHub code scanning reads. One run;
//! the driver lists the rules that have results (with their catalogue
//! documentation as help); each result carries its rule, level, message,
//! location relative to `%SRCROOT%` (the working directory), related
//! locations and the finding's fingerprint as a partial fingerprint, so
//! alerts keep their identity when lines shift.

use crate::ReportInput;
use aireview_core::{Diagnostic, Severity, Span};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Where the rule catalogue is published; a built-in rule's `helpUri` points
/// at its catalogue file there.
pub const REPOSITORY_URL: &str = "https://github.com/aireview/aireview";

/// The key of aireview's fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "aireview/v1";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI reference for a `/`-separated path: every byte outside
/// the unreserved set and `/` is percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn physical_location(input: &ReportInput<'_>, path: &str, span: Span) -> Value {
    json!({
        "artifactLocation": { "uri": uri(&input.tool_path(path)), "uriBaseId": "%SRCROOT%" },
        "region": {
            "startLine": span.start_line.max(1),
            "startColumn": span.start_col.max(1),
            "endLine": span.end_line.max(span.start_line).max(1),
            "endColumn": span.end_col.max(1),
        },
    })
}

/// The first paragraph under "## What it does" in a rule's documentation.
fn docs_summary(docs: &str) -> Option<String> {
    let mut lines = docs.lines().skip_while(|l| l.trim() != "## What it does").skip(1);
    let paragraph: Vec<&str> = lines
        .by_ref()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::trim)
        .collect();
    (!paragraph.is_empty()).then(|| paragraph.join(" "))
}

fn rule_descriptor(input: &ReportInput<'_>, id: &str) -> Value {
    let Some(idx) = input.registry.get(id) else {
        return json!({ "id": id });
    };
    let meta = input.registry.meta(idx);
    let mut rule = json!({
        "id": meta.id,
        "shortDescription": { "text": meta.message },
        "fullDescription": { "text": docs_summary(&meta.docs).unwrap_or_else(|| meta.message.clone()) },
        "help": { "text": meta.docs, "markdown": meta.docs },
        "defaultConfiguration": { "level": level(meta.severity) },
        "properties": { "tags": [meta.family, format!("{:?}", meta.category).to_lowercase()] },
    });
    if !input.registry.rules[idx].user_defined {
        rule["helpUri"] = json!(format!(
            "{REPOSITORY_URL}/blob/main/rules/{}/{}.toml",
            meta.family, meta.id
        ));
    }
    rule
}

fn result(input: &ReportInput<'_>, d: &Diagnostic, rule_index: usize) -> Value {
    let mut result = json!({
        "ruleId": d.rule,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": { "text": d.message },
        "locations": [{ "physicalLocation": physical_location(input, &d.path, d.span) }],
        "partialFingerprints": { FINGERPRINT_KEY: d.fingerprint },
    });
    if !d.related.is_empty() {
        result["relatedLocations"] = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                json!({
                    "id": i + 1,
                    "physicalLocation": physical_location(input, &r.path, r.span),
                    "message": { "text": r.message },
                })
            })
            .collect();
    }
    result
}

pub fn render(input: &ReportInput<'_>) -> String {
    // Rules with results, by id; a result points at its rule by index.
    let ids: BTreeMap<&str, usize> = input
        .diagnostics
        .iter()
        .map(|d| (d.rule.as_str(), 0))
        .collect::<BTreeMap<_, _>>()
        .into_keys()
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    let rules: Vec<Value> = ids.keys().map(|id| rule_descriptor(input, id)).collect();
    let results: Vec<Value> = input
        .diagnostics
        .iter()
        .map(|d| result(input, d, ids[d.rule.as_str()]))
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "aireview",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": REPOSITORY_URL,
                    "rules": rules,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("src/a b/ü.py"), "src/a%20b/%C3%BC.py");
        assert_eq!(uri("pkg/mod_1.py"), "pkg/mod_1.py");
    }

    #[test]
    fn related_locations_and_unknown_rules() {
        // The smallest registry: the engine's own rule.
        let engine = "id = \"unused-suppression\"\nfamily = \"meta\"\nseverity = \"warning\"\n\
                      category = \"correctness\"\nmessage = \"m\"\ndocs = \"d\"\n";
        let catalogue = aireview_core::catalogue::Catalogue::from_files([("u.toml", engine)]).unwrap();
        let registry = aireview_core::registry::Registry::new(catalogue, Vec::new(), Vec::new()).unwrap();
        let span = |line| Span {
            start_line: line,
            end_line: line,
            start_col: 3,
            end_col: 7,
            ..Span::default()
        };
        let mut d = Diagnostic {
            rule: "made-up".into(),
            severity: Severity::Info,
            path: "src/a b.py".into(),
            span: span(4),
            message: "m".into(),
            help: None,
            related: Vec::new(),
            fingerprint: "00000000000000ff".into(),
        };
        d.with_related("lib/c.py", span(9), "established here");
        let input = ReportInput {
            diagnostics: std::slice::from_ref(&d),
            warnings: &[],
            files_reviewed: 1,
            registry: &registry,
            source: &|_| None,
            color: false,
            path_prefix: "app/",
            link_base: None,
        };
        let doc: Value = serde_json::from_str(&render(&input)).unwrap();
        let run = &doc["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"], json!([{ "id": "made-up" }]));
        let result = &run["results"][0];
        assert_eq!(result["level"], "note");
        let uri = |loc: &Value| loc["physicalLocation"]["artifactLocation"]["uri"].clone();
        assert_eq!(uri(&result["locations"][0]), "app/src/a%20b.py");
        let related = &result["relatedLocations"][0];
        assert_eq!((related["id"].clone(), uri(related)), (json!(1), json!("app/lib/c.py")));
        assert_eq!(related["message"]["text"], "established here");
        assert_eq!(related["physicalLocation"]["region"]["startLine"], 9);
    }

    #[test]
    fn docs_summary_is_the_first_paragraph() {
        let docs = "## What it does\nFlags stubs\nin code.\n\nMore.\n## Why is this bad?\nx";
        assert_eq!(docs_summary(docs).as_deref(), Some("Flags stubs in code."));
        assert_eq!(docs_summary("no headings"), None);
    }
}
