//! Over-abstraction: fixture projects with each pattern and the look-alikes
//! that must stay silent, and the rules' options.

use crate::common::{aireview, check_concise, fixture, run};
use crate::fixture_snapshot;

fixture_snapshot!(abstraction_python, "abstraction-python");
fixture_snapshot!(abstraction_typescript, "abstraction-typescript");
fixture_snapshot!(abstraction_rust, "abstraction-rust");

#[test]
fn related_spans_point_at_the_implementation() {
    let r = run(aireview().arg("check").arg(fixture("abstraction-python")).args([
        "--select",
        "single-implementation-interface",
        "--format",
        "json",
        "--no-progress",
    ]));
    let findings: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let storage = findings["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("`Storage`"))
        .expect("Storage is reported");
    assert_eq!(storage["related"][0]["path"], "shop/storage_s3.py");
    assert_eq!(storage["related"][0]["span"]["start_line"], 4);
}

#[test]
fn thresholds_are_catalogue_options() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("aireview.toml");
    std::fs::write(
        &config,
        "[rules.single-implementation-interface]\nmax-implementations = 2\n\n\
         [rules.pass-through-wrapper]\nmin-methods = 4\n",
    )
    .unwrap();
    let r = check_concise(
        &fixture("abstraction-python"),
        &["--select", "abstraction", "--config", config.to_str().unwrap()],
    );
    // Two implementations are now too few: `Notifier` (email, SMS) joins.
    assert!(
        r.stdout.contains("abstract class `Notifier` has 2 implementations"),
        "{}",
        r.stdout
    );
    // Three forwarding methods are no longer a wrapper.
    assert!(!r.stdout.contains("pass-through-wrapper"), "{}", r.stdout);

    std::fs::write(&config, "[rules.single-product-factory]\nmin-registry-entries = 0\n").unwrap();
    let bad = check_concise(
        &fixture("abstraction-python"),
        &["--select", "abstraction", "--config", config.to_str().unwrap()],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("min-registry-entries"), "{}", bad.stderr);
}
