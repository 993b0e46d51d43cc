//! Pattern drift: conventions mined from the fixture projects, new code
//! judged against them, pins in `[conventions]`, and the `conventions` command.

use crate::common::{aireview, check_concise, fixture, run};
use crate::fixture_snapshot;

fixture_snapshot!(drift_python, "drift-python");
fixture_snapshot!(drift_typescript, "drift-typescript");
fixture_snapshot!(drift_rust, "drift-rust");
fixture_snapshot!(drift_rust_errors, "drift-rust-errors");
fixture_snapshot!(drift_jest, "drift-jest");

fn conventions(name: &str) -> String {
    let r = run(aireview().arg("conventions").arg(fixture(name)));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

#[test]
fn conventions_command_prints_the_mined_profile() {
    let all = [
        "drift-python",
        "drift-typescript",
        "drift-rust",
        "drift-rust-errors",
        "drift-jest",
    ]
    .map(|n| format!("## {n}\n{}", conventions(n)))
    .join("\n");
    insta::assert_snapshot!(all);
}

#[test]
fn named_files_are_judged_against_the_rest_of_the_project() {
    let root = fixture("drift-python");
    let r = check_concise(
        &root.join("app/billing.py"),
        &["--select", "drift", "--project-root", root.to_str().unwrap()],
    );
    assert!(
        r.stdout.contains("app/billing.py:1:8: warning[convention-drift]"),
        "{}",
        r.stdout
    );
    // Mined without billing.py: all four other clients are requests.
    assert!(r.stdout.contains("used by 4 of 4 files"), "{}", r.stdout);
    let conforming = check_concise(
        &root.join("app/api/users.py"),
        &["--select", "drift", "--project-root", root.to_str().unwrap()],
    );
    assert_eq!(conforming.code, 0, "{}", conforming.stdout);
    assert!(!conforming.stdout.contains("drift"), "{}", conforming.stdout);
}

#[test]
fn a_pin_in_conventions_wins_over_mining() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("aireview.toml");
    std::fs::write(&config, "[conventions]\nhttp-client = \"httpx\"\n").unwrap();
    let r = check_concise(
        &fixture("drift-python"),
        &["--select", "convention-drift", "--config", config.to_str().unwrap()],
    );
    assert!(!r.stdout.contains("app/billing.py:1"), "{}", r.stdout);
    for m in ["users", "orders", "payments", "inventory"] {
        assert!(
            r.stdout.contains(&format!(
                "app/api/{m}.py:3:8: warning[convention-drift] HTTP client drift: `requests` here, but this project uses `httpx` (the project's choice in [conventions])"
            )),
            "{}",
            r.stdout
        );
    }
    let shown = run(aireview()
        .arg("conventions")
        .arg(fixture("drift-python"))
        .args(["--config", config.to_str().unwrap()]));
    assert!(
        shown
            .stdout
            .contains("http-client      application  httpx (20%, 1 of 5 files, pinned in [conventions])"),
        "{}",
        shown.stdout
    );
}

#[test]
fn unknown_convention_families_and_choices_are_configuration_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("aireview.toml");
    std::fs::write(&config, "[conventions]\nhttp = \"httpx\"\n").unwrap();
    let r = check_concise(&fixture("drift-python"), &["--config", config.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown convention family `http`"), "{}", r.stderr);
    std::fs::write(&config, "[conventions]\nhttp-client = \"curl\"\n").unwrap();
    let r = check_concise(&fixture("drift-python"), &["--config", config.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown choice `curl` for `http-client`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("choose one of: aiohttp, axios,"), "{}", r.stderr);
}

#[test]
fn thresholds_are_rule_options() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("aireview.toml");
    std::fs::write(&config, "[rules.convention-drift]\nmin-share = 0.9\n").unwrap();
    let r = check_concise(
        &fixture("drift-python"),
        &["--select", "convention-drift", "--config", config.to_str().unwrap()],
    );
    // Four of five files is 80%: below the stricter share, no convention.
    assert!(!r.stdout.contains("convention-drift"), "{}", r.stdout);
    std::fs::write(&config, "[rules.convention-drift]\nmin-share = 2\n").unwrap();
    let r = check_concise(&fixture("drift-python"), &["--config", config.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("min-share"), "{}", r.stderr);
}

#[test]
fn the_same_findings_at_any_thread_count() {
    let once = |threads: &str| {
        run(aireview()
            .env("RAYON_NUM_THREADS", threads)
            .arg("check")
            .arg(fixture("drift-typescript"))
            .args(["--format", "json", "--no-progress", "--select", "drift"]))
        .stdout
    };
    assert_eq!(once("1"), once("4"));
}

#[test]
fn findings_point_at_the_convention_and_the_original() {
    let r = run(aireview().arg("check").arg(fixture("drift-python")).args([
        "--format",
        "json",
        "--no-progress",
        "--select",
        "drift",
    ]));
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let findings = json["diagnostics"].as_array().or_else(|| json.as_array()).unwrap();
    let related = |rule: &str, path: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|d| d["rule"] == rule && d["path"] == path)
            .flat_map(|d| d["related"].as_array().cloned().unwrap_or_default())
            .map(|r| {
                format!(
                    "{}:{} {}",
                    r["path"].as_str().unwrap(),
                    r["span"]["start_line"],
                    r["message"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        related("convention-drift", "app/billing.py"),
        ["app/api/inventory.py:3 `requests` is used here"]
    );
    assert_eq!(
        related("reimplemented-helper", "app/blog.py"),
        [
            "app/utils/text.py:5 already defined here",
            "app/utils/text.py:17 already defined here"
        ]
    );
    assert_eq!(
        related("bypasses-project-wrapper", "app/notify.py"),
        ["app/log.py:3 the wrapper of `logging`"]
    );
}

#[test]
fn a_named_copy_of_any_function_is_reported() {
    let root = fixture("drift-python");
    let r = check_concise(
        &root.join("app/blog.py"),
        &[
            "--select",
            "reimplemented-helper",
            "--project-root",
            root.to_str().unwrap(),
        ],
    );
    assert!(
        r.stdout
            .contains("`count_words` repeats the body of `word_count` in `app/utils/text.py`"),
        "{}",
        r.stdout
    );
    // The look-alike: same name, different parameters and body.
    assert!(!r.stdout.contains("`truncate`"), "{}", r.stdout);
}
