//! The validation rules on their fixtures: handlers with raw input and SQL
//! built from strings, next to validated look-alikes that stay silent.

use crate::common::*;
use crate::fixture_snapshot;

fixture_snapshot!(validation_python, "validation-python");
fixture_snapshot!(validation_typescript, "validation-typescript");
fixture_snapshot!(validation_rust, "validation-rust");

/// A JSON finding's related locations as `line:message`.
fn related_locations(diagnostic: &serde_json::Value) -> Vec<String> {
    diagnostic["related"]
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
        .collect()
}

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
    assert_eq!(first["span"]["start_line"], 17, "{}", r.stdout);
    let related = related_locations(first);
    assert_eq!(
        related,
        [
            "18:raw request input `request.json[\"qty\"]`",
            "19:raw request input `request.json[\"sku\"]`"
        ]
    );
}

/// Generated code with very deep expressions and half-written handlers is
/// reviewed without a crash: the taint analysis stops following expressions
/// past a fixed depth.
#[test]
fn deep_and_broken_handlers_do_not_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let terms = vec!["x"; 20_000].join(" + ");
    let python = format!(
        "from flask import Flask, request\napp = Flask(__name__)\n\n@app.get(\"/x\")\ndef f():\n    x = request.args[\"q\"]\n    return db.execute(\"SELECT * FROM t WHERE a = \" + {terms})\n\n@app.post(\"/y\")\ndef g(:\n    request.json[\n"
    );
    std::fs::write(tmp.path().join("deep.py"), python).unwrap();
    let js = format!("app.post(\"/x\", (req, res) => {{ res.send(`<p>${{req.body.a}}</p>` + {terms}); }});\napp.get(\"/y\", (req, \n");
    std::fs::write(tmp.path().join("deep.js"), js).unwrap();
    let rust = format!("use axum::extract::Json;\nasync fn f(Json(v): Json<serde_json::Value>) {{ let s = format!(\"{{}}\", v[\"a\"]) + {terms}; }}\nasync fn g(Json(v): Json<\n");
    std::fs::write(tmp.path().join("deep.rs"), rust).unwrap();
    let r = check_concise(tmp.path(), &["--select", "validation"]);
    assert!(r.code == 0 || r.code == 1, "exit {}:\n{}", r.code, r.stderr);
    assert!(!r.stderr.contains("internal error"), "{}", r.stderr);
    assert!(
        r.stdout.contains("deep.py"),
        "the handler is still reviewed:\n{}",
        r.stdout
    );
}

// `unsafe-write-endpoint`: each fixture's `aireview.toml` selects it.
fixture_snapshot!(validation_writes_python, "validation-writes-python");
fixture_snapshot!(validation_writes_typescript, "validation-writes-typescript");
fixture_snapshot!(validation_writes_rust, "validation-writes-rust");

/// Off by default: without the fixture's `aireview.toml` (`--isolated`) it
/// says nothing, and `--select` turns it on; each unprotected write is a
/// related location.
#[test]
fn unsafe_write_endpoint_is_off_by_default_and_selectable() {
    let r = check_concise(&fixture("validation-writes-python"), &["--isolated"]);
    assert!(!r.stdout.contains("unsafe-write-endpoint"), "{}", r.stdout);
    let r = run(aireview()
        .arg("check")
        .arg(fixture("validation-writes-python").join("app/orders.py"))
        .args([
            "--isolated",
            "--select",
            "unsafe-write-endpoint",
            "--no-progress",
            "--format",
            "json",
        ]));
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("json output");
    let first = &json["diagnostics"][0];
    assert_eq!(first["severity"], "info", "{}", r.stdout);
    assert_eq!(first["span"]["start_line"], 15, "{}", r.stdout);
    let related = related_locations(first);
    assert_eq!(
        related,
        [
            "17:writes to the database: `db.session.add`",
            "18:writes to the database: `db.session.commit`"
        ]
    );
}
