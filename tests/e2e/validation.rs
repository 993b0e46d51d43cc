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

/// `raw-html-output` across files: handlers that put request input into a
/// template's context, where the template (a file, or source in the code)
/// outputs it with `|safe` or inside an autoescape-off block; next to
/// look-alikes (database values, constants, escaped or shadowed outputs,
/// a same-named template of another app) that stay silent.
#[test]
fn raw_html_output_in_templates() {
    let r = check_concise(&fixture("validation-templates"), &["--select", "raw-html-output"]);
    insta::assert_snapshot!(transcript(&r));
}

/// The template's output is a related location of the handler's finding.
#[test]
fn template_output_is_a_related_location() {
    let r = run(aireview()
        .arg("check")
        .arg(fixture("validation-templates").join("portal/views.py"))
        .args(["--select", "raw-html-output", "--no-progress", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("json output");
    let first = &json["diagnostics"][0];
    assert_eq!(first["span"]["start_line"], 14, "{}", r.stdout);
    let related = &first["related"][0];
    assert_eq!(related["path"], "portal/templates/portal/comment.html", "{}", r.stdout);
    assert_eq!(related["span"]["start_line"], 3, "{}", r.stdout);
}

/// A rendered template that is not UTF-8, or is larger than
/// `max-file-size`, is a warning naming it; the rest is still reviewed.
#[test]
fn bad_templates_are_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(
        root.join("pyproject.toml"),
        "[project]\nname = \"x\"\ndependencies = [\"flask\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/latin1.html"), b"<p>caf\xe9 {{ a|safe }}</p>\n").unwrap();
    std::fs::write(root.join("templates/huge.html"), "<p>{{ b|safe }}</p>\n".repeat(40_000)).unwrap();
    std::fs::write(root.join("templates/ok.html"), "<p>{{ c|safe }}</p>\n").unwrap();
    std::fs::write(
        root.join("app.py"),
        "from flask import Flask, render_template, request\napp = Flask(__name__)\n\n\
         @app.get(\"/a\")\ndef a():\n    return render_template(\"latin1.html\", a=request.args[\"a\"])\n\n\
         @app.get(\"/b\")\ndef b():\n    return render_template(\"huge.html\", b=request.args[\"b\"])\n\n\
         @app.get(\"/c\")\ndef c():\n    return render_template(\"ok.html\", c=request.args[\"c\"])\n",
    )
    .unwrap();
    let r = check_concise(root, &["--select", "raw-html-output", "--max-file-size", "100KiB"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("templates/latin1.html: not valid UTF-8 (invalid byte on line 1); skipped"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("templates/huge.html:") && r.stderr.contains("exceeds max-file-size"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("app.py:14:") && r.stdout.contains("ok.html"),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

/// On a warm run the handler's facts come from the cache and the template
/// is read again: editing only the template changes the finding.
#[test]
fn a_template_edit_is_seen_on_a_warm_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("portal");
    copy_dir(&fixture("validation-templates"), &dir);
    let check = || {
        run(aireview().env_remove("AIREVIEW_NO_CACHE").current_dir(&dir).args([
            "check",
            "--select",
            "raw-html-output",
            "--format",
            "concise",
            "--no-progress",
            "-v",
        ]))
    };
    let notice = "portal/admin/views.py:11:";
    let cold = check();
    assert!(cold.stdout.contains(notice), "{}", cold.stdout);
    edit(&dir.join("portal/admin/templates/notice.html"), |t| {
        t.replace("{{ message|safe }}", "{{ message }}")
    });
    let warm = check();
    assert!(warm.stderr.contains("cache: 10 hit, 0 miss"), "{}", warm.stderr);
    assert!(!warm.stdout.contains(notice), "{}", warm.stdout);
    assert_eq!(warm.stdout.lines().count(), cold.stdout.lines().count() - 1);
}
