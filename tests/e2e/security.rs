//! The security rules on their fixtures, and secrets kept out of every
//! output format.

use crate::common::*;
use crate::fixture_snapshot;

fixture_snapshot!(security_python, "security-python");
fixture_snapshot!(security_typescript, "security-typescript");
fixture_snapshot!(security_rust, "security-rust");
fixture_snapshot!(security_timeouts_python, "security-timeouts-python");
fixture_snapshot!(security_timeouts_typescript, "security-timeouts-typescript");
fixture_snapshot!(security_timeouts_rust, "security-timeouts-rust");

/// `outbound-call-without-timeout` on `src/orders.ts` of the
/// security-timeouts-configured fixture (copied to `dir`), cache on or off.
fn timeout_findings(dir: &std::path::Path, cache: bool, only_orders: bool) -> Run {
    let mut cmd = aireview();
    if cache {
        cmd.env_remove("AIREVIEW_NO_CACHE");
    }
    cmd.current_dir(dir).args([
        "check",
        "--select",
        "outbound-call-without-timeout",
        "--format",
        "concise",
        "--no-progress",
    ]);
    if only_orders {
        cmd.arg("src/orders.ts");
    }
    run(&mut cmd)
}

#[test]
fn a_timeout_configured_in_another_file_silences_fetch_and_axios_project_wide() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("service");
    copy_dir(&fixture("security-timeouts-configured"), &dir);
    // src/setup.ts gives every fetch and axios call a deadline.
    let r = timeout_findings(&dir, false, false);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "");
    // Reviewing only the calling file still sees the project's setup.
    let r = timeout_findings(&dir, false, true);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // Warm cache, then the setup goes away: src/orders.ts itself is
    // unchanged (a cache hit), and its calls are reported now.
    let r = timeout_findings(&dir, true, false);
    assert_eq!(r.stdout, "");
    edit(&dir.join("src/setup.ts"), |t| {
        t.lines()
            .filter(|l| !l.starts_with("setGlobalDispatcher") && !l.starts_with("axios.defaults"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let r = timeout_findings(&dir, true, false);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    assert!(lines[0].starts_with("src/orders.ts:7:21: warning[outbound-call-without-timeout] `fetch` has no `signal`"));
    assert!(lines[1]
        .starts_with("src/orders.ts:12:26: warning[outbound-call-without-timeout] `axios.post` has no `timeout`"));
    assert_eq!(timeout_findings(&dir, false, false).stdout, r.stdout);
}

/// Secrets of the fixtures, whole: no output format may print them.
const SECRETS: &[&str] = &[
    "AKIAZ7QF3KXW4NJ2LMPA",
    "q8Zr2Lm9Xv4Tn7Bw1Yc6Kd3Hf0Gj5Ps8Ua2Ei9Oo",
    "4f9Kq2LmN8xR3tV7wY1zA6bC0dE5gH2jK9sQ",
    "Zq8vR2kL9xW4",
    "hV3$kq9!Lz2pWx",
    "Zt8Kq3Vx9Lm2Rw7N",
    "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn",
    "4eC39HqLyjWDarjtT1zdp7dc9Xk2",
    "Xk9fL2mQ7rT4vW8yB1nC5dG3hJ6kP0sZ",
];

#[test]
fn no_output_format_prints_a_secret() {
    for name in ["security-python", "security-typescript", "security-rust"] {
        for format in ["human", "concise", "json"] {
            let r = run(aireview().arg("check").arg(fixture(name)).args([
                "--select",
                "hardcoded-secret",
                "--no-progress",
                "--format",
                format,
            ]));
            assert_eq!(r.code, 1, "{name} {format}");
            assert!(r.stdout.contains("hardcoded"), "{name} {format}: {}", r.stdout);
            for secret in SECRETS {
                assert!(
                    !r.stdout.contains(secret) && !r.stderr.contains(secret),
                    "{name} {format} prints {secret}:\n{}",
                    r.stdout
                );
            }
        }
    }
}

#[test]
fn human_output_masks_the_secret_in_the_snippet() {
    let r = run(aireview()
        .arg("check")
        .arg(fixture("security-python").join("app/settings.py"))
        .args(["--select", "hardcoded-secret", "--no-progress"]));
    assert!(
        r.stdout.contains(r#"7 │ AWS_ACCESS_KEY_ID = "********************""#),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .contains("hardcoded AWS access key ID in `AWS_ACCESS_KEY_ID`: `AKIA****`"));
}

#[test]
fn json_output_of_the_security_fixtures_validates_against_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(workspace().join("docs/aireview-output.schema.json")).unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for name in ["security-python", "security-typescript", "security-rust"] {
        let r = run(aireview()
            .arg("check")
            .arg(fixture(name))
            .args(["--select", "security", "--format", "json"]));
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        let diagnostics = doc["diagnostics"].as_array().unwrap();
        assert!(diagnostics.iter().all(|d| d["family"] == "security"), "{name}");
        assert!(
            diagnostics.iter().any(|d| d["rule"] == "insecure-transport-or-parsing"),
            "{name}"
        );
    }
}
