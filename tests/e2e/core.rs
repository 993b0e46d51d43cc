//! The engine: discovery, configuration, suppressions, output formats,
//! exit codes, bad input, and the AI-slop rules on their fixtures.

use crate::common::*;
use crate::fixture_snapshot;
use std::path::Path;

fixture_snapshot!(slop_python, "slop-python");
fixture_snapshot!(slop_typescript, "slop-typescript");
fixture_snapshot!(slop_javascript, "slop-javascript");
fixture_snapshot!(slop_rust, "slop-rust");
fixture_snapshot!(suppressions, "suppressions");
fixture_snapshot!(config_cascade, "config-cascade");
fixture_snapshot!(custom_rules, "custom-rules");
fixture_snapshot!(discovery, "discovery");

#[test]
fn json_output_validates_against_the_documented_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(workspace().join("docs/aireview-output.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for name in ["slop-python", "slop-typescript", "slop-rust", "suppressions"] {
        let r = run(aireview().arg("check").arg(fixture(name)).args(["--format", "json"]));
        assert_eq!(r.code, 1, "{name}: findings fail the run");
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        assert!(!doc["diagnostics"].as_array().unwrap().is_empty());
    }
}

#[test]
fn output_is_identical_at_any_thread_count() {
    for format in ["json", "concise", "human"] {
        let at = |threads: &str| {
            run(aireview()
                .env("RAYON_NUM_THREADS", threads)
                .arg("check")
                .arg(fixture("slop-python"))
                .args(["--format", format]))
            .stdout
        };
        let one = at("1");
        assert!(!one.is_empty());
        assert_eq!(one, at("2"), "{format}");
        assert_eq!(one, at("4"), "{format}");
    }
}

#[test]
fn human_output_shows_the_source_snippet_and_rule() {
    let r = run(aireview().arg("check").arg(fixture("slop-python")).arg("--no-progress"));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("orders/payments.py:20:9: `PaymentService.refund` is a stub"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("20 │         pass"),
        "snippet with line number:\n{}",
        r.stdout
    );
    assert!(r.stdout.contains("stub-body"));
    assert!(!r.stdout.contains('\u{1b}'), "no colour when stdout is not a terminal");
    assert!(r.stderr.contains("Reviewed 8 files ("), "{}", r.stderr);
}

#[test]
fn exit_codes_follow_fail_on() {
    let clean = tempfile::tempdir().unwrap();
    std::fs::write(clean.path().join("pyproject.toml"), "[project]\nname = \"clean\"\n").unwrap();
    std::fs::write(clean.path().join("ok.py"), "def add(a, b):\n    return a + b\n").unwrap();
    assert_eq!(check_concise(clean.path(), &[]).code, 0);
    let slop = fixture("slop-python");
    assert_eq!(check_concise(&slop, &[]).code, 1);
    assert_eq!(check_concise(&slop, &["--fail-on", "never"]).code, 0);
    assert_eq!(
        check_concise(&slop, &["--fail-on", "error"]).code,
        1,
        "elided-code is an error"
    );
    assert_eq!(
        check_concise(
            &slop,
            &["--fail-on", "error", "--ignore", "elided-code,assistant-residue"]
        )
        .code,
        0
    );
    let infos = check_concise(&fixture("custom-rules"), &["--select", "no-console-log"]);
    assert_eq!(
        infos.code,
        0,
        "info findings never fail by default: {}",
        transcript(&infos)
    );
    assert_eq!(
        check_concise(
            &fixture("custom-rules"),
            &["--select", "no-console-log", "--fail-on", "info"]
        )
        .code,
        1
    );
}

#[test]
fn missing_path_is_a_usage_error() {
    let r = check_concise(Path::new("/definitely/not/here"), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot review `/definitely/not/here`"),
        "{}",
        r.stderr
    );
}

#[test]
fn select_and_ignore_flags_take_rules_and_families() {
    let slop = fixture("slop-python");
    let only_stubs = check_concise(&slop, &["--select", "stub-body"]);
    assert!(
        only_stubs.stdout.lines().all(|l| l.contains("[stub-body]")),
        "{}",
        only_stubs.stdout
    );
    assert_eq!(only_stubs.stdout.lines().count(), 3);
    let no_slop = check_concise(&slop, &["--ignore", "slop"]);
    assert_eq!(no_slop.stdout, "");
    let bad = check_concise(&slop, &["--select", "stub-bodies"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("command line: `select`: unknown rule or family `stub-bodies`"),
        "{}",
        bad.stderr
    );
}

/// A project with every kind of bad input, built in a temporary folder.
#[test]
fn bad_input_is_warned_about_and_the_rest_is_reviewed() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let w = |rel: &str, bytes: &[u8]| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    w("pyproject.toml", b"[project\nname = 'broken'\n");
    w("web/package.json", b"{\"name\": \"web\",}");
    w("good.py", b"def later():\n    pass\n");
    w("latin1.py", b"# caf\xe9\nx = 1\n");
    w("blob.py", b"\x00\x01\x02binary");
    w("huge.py", format!("x = 1\n{}", "# padding\n".repeat(300)).as_bytes());
    w("broken.py", b"def f(:\n    pass\n\ndef later2():\n    pass\n");
    w(
        "web/app.ts",
        b"export function f() { throw new Error(\"not implemented\"); }\n",
    );
    std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
    std::os::unix::fs::symlink(root.join("missing.py"), root.join("dangling.py")).unwrap();
    let r = check_concise(root, &["--max-file-size", "2KiB"]);
    let t = transcript(&r);
    assert_eq!(r.code, 1, "{t}");
    for expected in [
        "warning: pyproject.toml: invalid TOML at line 1",
        "warning: web/package.json: invalid JSON at line 1",
        "warning: latin1.py: not valid UTF-8 (invalid byte on line 1); skipped",
        "warning: blob.py: binary file (contains NUL bytes); skipped",
        "warning: huge.py: 2.9 KiB exceeds max-file-size 2.0 KiB; skipped",
        "warning: broken.py: cannot parse line 1, column",
        "warning: loop: symlink loop (points back to .); not followed",
        "warning: dangling.py: cannot read: it does not exist (a broken symlink?); skipped",
    ] {
        assert!(t.contains(expected), "missing `{expected}` in\n{t}");
    }
    // Every other file is still reviewed, including the rest of the file with a syntax error.
    assert!(r.stdout.contains("good.py:2:5: warning[stub-body]"), "{t}");
    assert!(r.stdout.contains("broken.py:5:5: warning[stub-body]"), "{t}");
    assert!(r.stdout.contains("web/app.ts:1:23: warning[stub-body]"), "{t}");
    assert!(!r.stderr.contains("panicked"), "{t}");
}

#[test]
fn a_broken_aireview_toml_stops_the_run_naming_file_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("pyproject.toml"), "[project]\nname = \"x\"\n").unwrap();
    std::fs::write(tmp.path().join("a.py"), "x = 1\n").unwrap();
    std::fs::write(
        tmp.path().join("aireview.toml"),
        "ignore = [\"slop\"]\nselct = [\"stub-body\"]\n",
    )
    .unwrap();
    let r = check_concise(tmp.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("aireview.toml: 2:1: unknown field `selct`"),
        "{}",
        r.stderr
    );
    std::fs::write(tmp.path().join("aireview.toml"), "[severity]\nstub-bdy = \"error\"\n").unwrap();
    let r = check_concise(tmp.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`severity`: unknown rule or family `stub-bdy`"),
        "{}",
        r.stderr
    );
    std::fs::write(tmp.path().join("aireview.toml"), "[rules.stub-body]\nstrict = true\n").unwrap();
    let r = check_concise(tmp.path(), &[]);
    assert!(
        r.stderr
            .contains("`[rules.stub-body]`: unknown option `strict` (this rule has no options)"),
        "{}",
        r.stderr
    );
    std::fs::write(
        tmp.path().join("aireview.toml"),
        "[rules.placeholder-comment]\nextra-patterns = \"x\"\n",
    )
    .unwrap();
    let r = check_concise(tmp.path(), &[]);
    assert!(r.stderr.contains("expected array, found string"), "{}", r.stderr);
    std::fs::write(
        tmp.path().join("aireview.toml"),
        "[rules.placeholder-comment]\nextra-patterns = [\"(unclosed\"]\n",
    )
    .unwrap();
    let r = check_concise(tmp.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid regex `(unclosed`"), "{}", r.stderr);
}

#[test]
fn pyproject_tool_table_and_user_config_join_the_cascade() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("pyproject.toml"),
        "[project]\nname = \"x\"\n\n[tool.aireview]\nignore = [\"stub-body\"]\n",
    )
    .unwrap();
    std::fs::write(project.join("a.py"), "def f():\n    pass\n\nK = \"changeme\"\n").unwrap();
    let user = tmp.path().join("xdg");
    std::fs::create_dir_all(user.join("aireview")).unwrap();
    std::fs::write(
        user.join("aireview/config.toml"),
        "[severity]\nplaceholder-value = \"error\"\n",
    )
    .unwrap();
    let r = run(aireview()
        .env("XDG_CONFIG_HOME", &user)
        .args(["check", "--format", "concise"])
        .arg(&project));
    assert_eq!(
        r.stdout,
        "a.py:4:5: error[placeholder-value] placeholder value `changeme` was never filled in\n"
    );
    let isolated = run(aireview()
        .env("XDG_CONFIG_HOME", &user)
        .args(["check", "--format", "concise", "--isolated"])
        .arg(&project));
    assert_eq!(isolated.stdout.lines().count(), 2, "{}", isolated.stdout);
    let shown = run(aireview()
        .env("XDG_CONFIG_HOME", &user)
        .arg("config")
        .arg(project.join("a.py")));
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let line = |key: &str| {
        shown
            .stdout
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("stub-body.enabled = false").ends_with("pyproject.toml"),
        "{}",
        shown.stdout
    );
    assert!(
        line("placeholder-value.severity = error").ends_with("config.toml"),
        "{}",
        shown.stdout
    );
    assert!(
        line("swallowed-error.enabled = true").ends_with("# default"),
        "{}",
        shown.stdout
    );
}

#[test]
fn config_command_shows_where_each_value_came_from() {
    let r = run(aireview().current_dir(workspace()).args([
        "config",
        "fixtures/config-cascade/pkg/client.py",
        "--select",
        "slop,meta",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let stdout = r.stdout.replace(&workspace().display().to_string(), "<workspace>");
    insta::assert_snapshot!(stdout);
}

#[test]
fn explicit_files_are_reviewed_even_if_ignored_against_the_whole_project() {
    let discovery = fixture("discovery");
    let r = check_concise(&discovery.join("legacy/old.py"), &[]);
    assert_eq!(
        r.stdout,
        "legacy/old.py:2:5: warning[stub-body] `old` is a stub: its body is only `pass`\n"
    );
    // base.py's `Exporter.export` is a hook because `CsvExporter` (another file) overrides it.
    let r = check_concise(&fixture("slop-python").join("orders/base.py"), &[]);
    assert_eq!(r.code, 0, "{}", transcript(&r));
    assert!(r.stderr.contains("Reviewed 1 file ("), "{}", r.stderr);
    // Problems in files that only feed the model are not reported.
    let r = check_concise(&fixture("slop-python").join("orders/payments.py"), &[]);
    assert!(!r.stderr.contains("pasted.py"), "{}", r.stderr);
    assert!(
        r.stdout.lines().all(|l| l.starts_with("orders/payments.py:")),
        "{}",
        r.stdout
    );
}

#[test]
fn project_rules_that_do_not_parse_are_errors_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("pyproject.toml"), "[project]\nname = \"x\"\n").unwrap();
    std::fs::write(tmp.path().join("a.py"), "print(1)\n").unwrap();
    let rules = tmp.path().join(".aireview/rules");
    std::fs::create_dir_all(&rules).unwrap();
    let rule = |query: &str| {
        format!(
            "id = \"bad\"\nfamily = \"custom\"\nseverity = \"warning\"\ncategory = \"suspicious\"\nmessage = \"m\"\ndocs = \"d\"\n[[query]]\nlanguage = \"python\"\nquery = '{query}'\n"
        )
    };
    std::fs::write(rules.join("bad.toml"), rule("(call function: (identifer) @f) @match")).unwrap();
    let r = check_concise(tmp.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.toml: invalid python query at row 1"),
        "{}",
        r.stderr
    );
    std::fs::write(rules.join("bad.toml"), "id = \"bad\"\n").unwrap();
    let r = check_concise(tmp.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("bad.toml: ") && r.stderr.contains("missing field `family`"),
        "{}",
        r.stderr
    );
    std::fs::write(
        rules.join("bad.toml"),
        rule("(call function: (identifier) @f (#eq? @f \"print\")) @match"),
    )
    .unwrap();
    let r = check_concise(tmp.path(), &[]);
    assert_eq!(r.stdout, "a.py:1:1: warning[bad] m\n");
}

#[test]
fn rules_and_explain_come_from_the_catalogue() {
    let r = run(aireview().arg("rules"));
    assert_eq!(r.code, 0);
    for id in [
        "stub-body",
        "placeholder-comment",
        "elided-code",
        "assistant-residue",
        "swallowed-error",
        "placeholder-value",
        "unused-suppression",
    ] {
        assert!(r.stdout.contains(id), "{id} missing from\n{}", r.stdout);
    }
    let json = run(aireview().args(["rules", "--json"]));
    let rules: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(rules
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "stub-body" && r["family"] == "slop"));
    let e = run(aireview().args(["explain", "stub-body"]));
    assert!(e.stdout.starts_with("# stub-body\n"));
    assert!(e.stdout.contains("## Why is this bad?") && e.stdout.contains("## Suppress"));
    let unknown = run(aireview().args(["explain", "no-such-rule"]));
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unknown rule `no-such-rule`"));
}
