//! The validation rules on their fixtures: handlers with raw input and SQL
//! built from strings, next to validated look-alikes that stay silent.

use crate::common::*;
use crate::fixture_snapshot;

fixture_snapshot!(validation_python, "validation-python");
fixture_snapshot!(validation_typescript, "validation-typescript");
fixture_snapshot!(validation_rust, "validation-rust");

/// Each raw read is a related location of the handler's finding.
#[test]
fn raw_reads_are_related_locations_of_the_handler() {
    let r = run(aireview()
        .arg("check")
        .arg(fixture("validation-python").join("app/flask_views.py"))
        .args([
            "--select",
            "unvalidated-request-input",
            "--no-progress",
            "--format",
            "json",
        ]));
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("json output");
    let first = &json["diagnostics"][0];
    assert_eq!(first["span"]["start_line"], 16, "{}", r.stdout);
    let related: Vec<String> = first["related"]
        .as_array()
        .expect("related locations")
        .iter()
        .map(|rel| {
            format!(
                "{}:{}",
                rel["span"]["start_line"],
                rel["message"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        related,
        [
            "17:raw request input `request.json[\"qty\"]`",
            "18:raw request input `request.json[\"sku\"]`"
        ]
    );
}
