//! Hallucinated imports: manifests of every format, first-party resolution,
//! third-party names on disk, lockfiles, and `--online` with stand-in
//! registry clients (never the network).

use crate::common::{aireview, check_concise, fixture, run, transcript};
use crate::fixture_snapshot;
use std::path::{Path, PathBuf};

fixture_snapshot!(imports_python, "imports-python");
fixture_snapshot!(imports_requirements, "imports-requirements");
fixture_snapshot!(imports_poetry, "imports-poetry");
fixture_snapshot!(imports_typescript, "imports-typescript");
fixture_snapshot!(imports_rust, "imports-rust");
fixture_snapshot!(imports_monorepo, "imports-monorepo");
fixture_snapshot!(imports_broken_manifest, "imports-broken-manifest");
fixture_snapshot!(imports_third_party_names, "imports-third-party-names");
fixture_snapshot!(imports_formats, "imports-formats");

#[test]
fn unused_declared_dependency_is_off_by_default_and_agrees_with_the_name_map() {
    let r = check_concise(&fixture("imports-python"), &["--select", "unused-declared-dependency"]);
    // Declared and imported under another name (scikit-learn / sklearn,
    // PyYAML / yaml, python-dateutil / dateutil, beautifulsoup4 / bs4):
    // never reported as unused.
    assert!(!r.stdout.contains("scikit-learn"), "{}", r.stdout);
    assert!(!r.stdout.contains("PyYAML"), "{}", r.stdout);
    assert!(!r.stdout.contains("python-dateutil"), "{}", r.stdout);
    // Declared, never imported: reported at its line in the manifest. Used
    // without an import (gunicorn) or type stubs: exempt.
    assert!(
        r.stdout
            .contains("pyproject.toml:11:6: warning[unused-declared-dependency] `httpx`"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("gunicorn") && !r.stdout.contains("types-requests"),
        "{}",
        r.stdout
    );
    // An extra switches features on; docs/requirements.txt is a toolchain.
    assert!(!r.stdout.contains("s3fs") && !r.stdout.contains("furo"), "{}", r.stdout);
    insta::assert_snapshot!(transcript(&r));
    let default = check_concise(&fixture("imports-python"), &[]);
    assert!(!default.stdout.contains("unused-declared-dependency"));

    // The rule's `ignore` option silences a package used without an import.
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("aireview.toml");
    std::fs::write(&config, "[rules.unused-declared-dependency]\nignore = [\"HTTPX\"]\n").unwrap();
    let ignored = check_concise(
        &fixture("imports-python"),
        &[
            "--select",
            "unused-declared-dependency",
            "--config",
            config.to_str().unwrap(),
        ],
    );
    assert!(!ignored.stdout.contains("httpx"), "{}", ignored.stdout);
}

#[test]
fn undeclared_and_unused_never_pair_up() {
    // The same package is never both undeclared (by its import name) and
    // unused (by its distribution name).
    let r = check_concise(
        &fixture("imports-requirements"),
        &["--extend-select", "unused-declared-dependency"],
    );
    insta::assert_snapshot!(transcript(&r));
    assert!(!r.stdout.contains("`Pillow` is declared but"), "{}", r.stdout);
}

#[test]
fn a_staged_manifest_given_explicitly_is_checked_without_a_warning() {
    let root = fixture("imports-monorepo");
    let r = run(aireview()
        .arg("check")
        .arg(root.join("packages/web/package.json"))
        .arg(root.join("packages/web/src/server.js"))
        .args(["--format", "concise", "--no-progress"]));
    assert!(!r.stderr.contains("skipped"), "{}", r.stderr);
    assert!(r.stdout.contains("packages/web/package.json"), "{}", r.stdout);
    assert!(r.stdout.contains("unlocked-dependency"), "{}", r.stdout);
}

/// `check --online` on the online fixture with this `PATH` and answer cache.
fn check_online(path: &str, cache: &Path) -> crate::common::Run {
    run(aireview()
        .arg("check")
        .arg(fixture("imports-online"))
        .args(["--format", "concise", "--no-progress", "--online"])
        .env("PATH", path)
        .env("XDG_CACHE_HOME", cache))
}

/// Writes files (creating their folders) under `root`.
fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Writes an executable shell script.
fn write_script(dir: &Path, name: &str, body: &str) {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Stand-in `npm`, `pip` and `cargo` that answer from a fixed table.
fn stand_in_clients(dir: &Path, created: &str) {
    write_script(
        dir,
        "npm",
        &format!(
            r#"case "$2" in
  express|kleur) echo '{{"name": "'"$2"'", "time": {{"created": "2015-01-01T00:00:00.000Z"}}}}' ;;
  timeoutpkg) sleep 30 ;;
  slowpkg) echo '{{"name": "slowpkg", "time": {{"created": "{created}"}}}}' ;;
  *) echo '{{"error": {{"code": "E404", "summary": "Not found"}}}}'; exit 1 ;;
esac"#
        ),
    );
}

#[test]
fn online_reports_invented_and_brand_new_packages_through_the_users_client() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let three_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 24 * 3600 + 600);
    let secs = three_days_ago.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let created = rfc3339(secs);
    stand_in_clients(&bin, &created);
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let r = check_online(&path, &tmp.path().join("cache"));
    insta::assert_snapshot!(transcript(&r));
    // Without --online nothing is asked and nothing is reported.
    let offline = check_concise(&fixture("imports-online"), &[]);
    assert!(!offline.stdout.contains("nonexistent-package"));
    assert!(!offline.stdout.contains("newly-published-package"));
}

#[test]
fn online_degrades_to_a_warning_when_the_client_is_missing_or_slow() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    write_script(&bin, "npm", "sleep 30");
    let r = run(aireview()
        .arg("check")
        .arg(fixture("imports-online"))
        .args([
            "--format",
            "concise",
            "--no-progress",
            "--online",
            "--online-timeout",
            "1",
        ])
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("XDG_CACHE_HOME", tmp.path().join("cache")));
    assert!(!r.stdout.contains("nonexistent-package"), "{}", r.stdout);
    assert!(
        r.stderr.contains("warning:") && r.stderr.contains("npm"),
        "{}",
        r.stderr
    );
    // The rest of the review still ran.
    assert!(r.stdout.contains("undeclared-import"), "{}", r.stdout);

    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let r = check_online(&empty.display().to_string(), &tmp.path().join("cache2"));
    assert!(r.stderr.contains("npm"), "{}", r.stderr);
    assert!(r.stdout.contains("undeclared-import"), "{}", r.stdout);
}

/// Seconds since the epoch as an RFC 3339 UTC timestamp.
fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[test]
fn online_asks_pip_and_cargo_and_reads_missing_malformed_and_slow_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    let project = tmp.path().join("project");
    std::fs::create_dir_all(&bin).unwrap();
    write_files(
        &project,
        &[
            (
                "pyproject.toml",
                "[project]\nname = \"p\"\nversion = \"1\"\ndependencies = [\"requests\"]\n",
            ),
            (
                "app.py",
                "import requests\nimport fastjsonz\nimport weirdpy\nimport slowpy\nimport attrs\n",
            ),
            (
                "Cargo.toml",
                "[package]\nname = \"r\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n",
            ),
            (
                "src/main.rs",
                "use anyhow::Result;\nuse serde_jsonx::Value;\n\nfn main() {}\n",
            ),
        ],
    );
    // pip: 404 from the index (missing), a run that prints no version list
    // (malformed), one that never answers (slow), and a plain hit.
    write_script(
        &bin,
        "pip",
        r#"for last; do :; done
case "$last" in
  fastjsonz) echo "Could not fetch URL https://pypi.org/simple/fastjsonz/: 404 Client Error: Not Found - skipping" >&2
             echo "ERROR: No matching distribution found for fastjsonz" >&2; exit 1 ;;
  weirdpy) echo "<html>captive portal</html>" ;;
  slowpy) sleep 30 ;;
  *) echo "$last (1.0)"; echo "Available versions: 1.0" ;;
esac"#,
    );
    // cargo: `info` answers from the table; `metadata` fails, so the
    // manifests are read without cargo.
    write_script(
        &bin,
        "cargo",
        r#"[ "$1" = info ] || exit 1
case "$2" in
  serde_jsonx) echo "    Updating crates.io index" >&2
               echo "error: could not find \`serde_jsonx\` in registry \`crates-io\` with version \`*\`" >&2; exit 101 ;;
  *) echo "$2 #errors"; echo "version: 1.0.0" ;;
esac"#,
    );
    let r = run(aireview()
        .arg("check")
        .arg(&project)
        .args([
            "--format",
            "concise",
            "--no-progress",
            "--online",
            "--online-timeout",
            "2",
        ])
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env_remove("CARGO")
        .env("XDG_CACHE_HOME", tmp.path().join("cache")));
    insta::assert_snapshot!(transcript(&r));
    assert!(r.stdout.contains("package `fastjsonz` does not exist"), "{}", r.stdout);
    assert!(
        r.stdout.contains("package `serde_jsonx` does not exist"),
        "{}",
        r.stdout
    );
    for absent in [
        "`weirdpy` does not exist",
        "`slowpy` does not exist",
        "`attrs` does not exist",
        "`anyhow` does not exist",
    ] {
        assert!(!r.stdout.contains(absent), "{}", r.stdout);
    }
    assert!(
        r.stderr.contains("weirdpy") && r.stderr.contains("slowpy"),
        "{}",
        r.stderr
    );
}

/// A Rust project in `dir/app` using `fakejson`, whose sources live outside
/// the project as ~/.cargo/registry's do, and a stand-in `cargo` (to pass
/// as `$CARGO`, as cargo itself sets it) that answers `cargo metadata` with
/// them. Returns the project and the stand-in.
fn project_with_registry_sources(dir: &Path) -> (PathBuf, PathBuf) {
    let project = dir.join("app");
    let registry = dir.join("registry/fakejson-1.0.0");
    write_files(
        &registry,
        &[
            (
                "src/lib.rs",
                "pub mod value;\npub use value::Value;\npub fn from_str(s: &str) -> Value { let _ = s; Value::Null }\n",
            ),
            ("src/value.rs", "pub enum Value { Null }\n"),
        ],
    );
    write_files(
        &project,
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nfakejson = \"1\"\n",
            ),
            (
                "Cargo.lock",
                "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"fakejson\"]\n\n[[package]]\nname = \"fakejson\"\nversion = \"1.0.0\"\n",
            ),
            (
                "src/main.rs",
                "use fakejson::{from_str, parse_str, Value};\nuse fakejson::value::Value as V;\n\nfn main() {}\n",
            ),
        ],
    );
    let metadata = serde_json::json!({
        "packages": [
            {"id": "app 0.1.0", "targets": [{"name": "app", "kind": ["bin"], "src_path": project.join("src/main.rs")}]},
            {"id": "fakejson 1.0.0", "targets": [{"name": "fakejson", "kind": ["lib"], "src_path": registry.join("src/lib.rs")}]}
        ],
        "workspace_members": ["app 0.1.0"],
        "resolve": {"nodes": [{"id": "app 0.1.0", "deps": [{"name": "fakejson", "pkg": "fakejson 1.0.0"}]}]}
    });
    std::fs::write(dir.join("metadata.json"), metadata.to_string()).unwrap();
    write_script(
        dir,
        "cargo",
        &format!(
            r#"case " $* " in *" --no-deps "*) exit 1 ;; esac
[ "$1" = metadata ] && exec cat "{}"
exit 1"#,
            dir.join("metadata.json").display()
        ),
    );
    (project, dir.join("cargo"))
}

#[test]
fn third_party_names_are_checked_against_registry_sources_cargo_metadata_points_to() {
    let tmp = tempfile::tempdir().unwrap();
    let (project, cargo) = project_with_registry_sources(tmp.path());
    let r = run(aireview()
        .arg("check")
        .arg(&project)
        .args(["--format", "concise", "--no-progress"])
        .env("CARGO", cargo));
    assert!(
        r.stdout
            .contains("src/main.rs:1:26: error[hallucinated-third-party-name] `fakejson` does not export `parse_str`"),
        "{}\n{}",
        r.stdout,
        r.stderr
    );
    assert_eq!(
        r.stdout.matches("hallucinated-third-party-name").count(),
        1,
        "{}",
        r.stdout
    );
}

#[test]
fn registry_facts_are_kept_in_the_cache_and_never_with_no_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let (project, cargo) = project_with_registry_sources(tmp.path());
    // Stamps are recorded only for files last changed more than 2 s before the run.
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let check = |extra: &[&str]| {
        run(aireview()
            .arg("check")
            .arg(&project)
            .args(["--format", "concise", "--no-progress"])
            .args(extra)
            .env_remove("AIREVIEW_NO_CACHE")
            .env("CARGO", &cargo))
    };
    let uncached = check(&["--no-cache"]);
    assert!(
        uncached.stdout.contains("does not export `parse_str`"),
        "{}",
        uncached.stdout
    );
    assert!(!project.join(".aireview_cache").exists());
    let first = check(&[]);
    assert!(project.join(".aireview_cache/external.bin").is_file());
    let warm = check(&[]);
    assert_eq!(first.stdout, uncached.stdout);
    assert_eq!(warm.stdout, uncached.stdout);
    assert!(!warm.stderr.contains("warning: cache:"), "{}", warm.stderr);
}
