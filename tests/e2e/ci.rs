//! aireview as a CI gate and pre-commit hook: the machine formats, exit
//! code flags, baselines, change scopes from git, and the hook.

use crate::common::*;
use std::path::{Path, PathBuf};

const MACHINE_FORMATS: &[&str] = &["sarif", "github", "gitlab", "junit", "agent", "markdown"];

fn check_format(path: &Path, format: &str, extra: &[&str]) -> Run {
    run(aireview()
        .arg("check")
        .arg(path)
        .args(["--no-progress", "--format", format])
        .args(extra))
}

#[test]
fn machine_formats_on_slop_python() {
    for format in MACHINE_FORMATS {
        let r = check_format(&fixture("slop-python"), format, &[]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        insta::assert_snapshot!(format!("format_{format}"), r.stdout);
    }
}

#[test]
fn machine_formats_are_identical_at_any_thread_count() {
    for format in MACHINE_FORMATS {
        let at = |threads: &str| {
            run(aireview()
                .env("RAYON_NUM_THREADS", threads)
                .arg("check")
                .arg(fixture("slop-typescript"))
                .args(["--format", format]))
            .stdout
        };
        assert_eq!(at("1"), at("3"), "{format}");
    }
}

#[test]
fn sarif_validates_against_the_sarif_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace().join("tests/e2e/schemas/sarif-2.1.0-subset.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for name in [
        "slop-python",
        "slop-typescript",
        "slop-rust",
        "imports-python",
        "security-python",
    ] {
        let r = check_format(&fixture(name), "sarif", &[]);
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        let json: serde_json::Value = serde_json::from_str(&check_format(&fixture(name), "json", &[]).stdout).unwrap();
        let run = &doc["runs"][0];
        let results = run["results"].as_array().unwrap();
        let findings = json["diagnostics"].as_array().unwrap();
        assert_eq!(results.len(), findings.len(), "{name}");
        assert!(!results.is_empty(), "{name}");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for (result, finding) in results.iter().zip(findings) {
            assert_eq!(result["partialFingerprints"]["aireview/v1"], finding["fingerprint"]);
            assert_eq!(result["ruleId"], finding["rule"]);
            let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
            assert_eq!(rule["id"], finding["rule"]);
            let location = &result["locations"][0]["physicalLocation"];
            let uri = location["artifactLocation"]["uri"].as_str().unwrap();
            assert_eq!(uri, finding["path"].as_str().unwrap().replace(' ', "%20"));
            assert!(!uri.starts_with('/') && !uri.contains(':'), "relative uri: {uri}");
            assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            assert_eq!(location["region"]["startLine"], finding["span"]["start_line"]);
            assert_eq!(location["region"]["startColumn"], finding["span"]["start_col"]);
        }
        for rule in rules {
            assert!(rule["help"]["markdown"].as_str().unwrap().contains("## What it does"));
            assert!(rule["helpUri"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/{}.toml", rule["id"].as_str().unwrap())));
            assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
        }
    }
}

/// A project whose findings quote text with XML, workflow-command and
/// Markdown metacharacters (and a control character).
fn awkward_project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("pyproject.toml"), "[project]\nname = \"awkward\"\n").unwrap();
    std::fs::create_dir_all(tmp.path().join("a dir")).unwrap();
    std::fs::write(
        tmp.path().join("a dir/x,y.py"),
        "def pay():\n    # In a real implementation: <gw> & \"b\" 1%,\u{b} x\n    return 1\n\n\ndef later():\n    pass\n",
    )
    .unwrap();
    tmp
}

#[test]
fn junit_is_well_formed_xml() {
    let awkward = awkward_project();
    let clean = tempfile::tempdir().unwrap();
    std::fs::write(clean.path().join("pyproject.toml"), "[project]\nname = \"clean\"\n").unwrap();
    std::fs::write(clean.path().join("ok.py"), "x = 1\n").unwrap();
    for path in [
        fixture("slop-python"),
        fixture("slop-rust"),
        awkward.path().to_path_buf(),
        clean.path().to_path_buf(),
    ] {
        let r = check_format(&path, "junit", &[]);
        let doc =
            roxmltree::Document::parse(&r.stdout).unwrap_or_else(|e| panic!("{}: {e}\n{}", path.display(), r.stdout));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        let failures: usize = root.attribute("failures").unwrap().parse().unwrap();
        let failed = doc.descendants().filter(|n| n.has_tag_name("failure")).count();
        assert_eq!(failures, failed);
        assert_eq!(failed == 0, r.code == 0, "{}", r.stdout);
    }
    let r = check_format(awkward.path(), "junit", &[]);
    let doc = roxmltree::Document::parse(&r.stdout).unwrap();
    let failure = doc.descendants().find(|n| n.has_tag_name("failure")).unwrap();
    assert!(
        failure
            .attribute("message")
            .unwrap()
            .contains("<gw> & \"b\" 1%,\u{FFFD} x"),
        "{}",
        r.stdout
    );
}

#[test]
fn github_annotations_escape_properties_and_data() {
    let awkward = awkward_project();
    let r = check_format(awkward.path(), "github", &[]);
    assert_eq!(
        r.stdout,
        "::warning file=a dir/x%2Cy.py,line=2,col=5,endLine=2,endColumn=50,title=aireview (placeholder-comment)::\
         placeholder comment stands in for missing work: \"In a real implementation: <gw> & \"b\" 1%25,\u{b} x\"\n\
         ::warning file=a dir/x%2Cy.py,line=7,col=5,endLine=7,endColumn=9,title=aireview (stub-body)::\
         `later` is a stub: its body is only `pass`%0Ahelp: implement it; if subclasses must provide it, declare it with `@abc.abstractmethod` on an ABC\n",
        "{}",
        r.stdout
    );
}

#[test]
fn github_is_the_default_format_in_github_actions() {
    let r = run(aireview()
        .env("GITHUB_ACTIONS", "true")
        .arg("check")
        .arg(fixture("slop-python"))
        .arg("--no-progress"));
    assert!(r.stdout.lines().all(|l| l.starts_with("::")), "{}", r.stdout);
    assert!(
        r.stdout.contains("::error file=orders/pasted.py,line=3,col=1,"),
        "{}",
        r.stdout
    );
    let r = run(aireview()
        .env("GITHUB_ACTIONS", "true")
        .arg("check")
        .arg(fixture("slop-python"))
        .args(["--no-progress", "--format", "concise"]));
    assert!(r.stdout.starts_with("orders/pasted.py:3:1: error"), "{}", r.stdout);
}

#[test]
fn machine_formats_name_files_from_the_working_directory() {
    let r = run(aireview().current_dir(workspace()).args([
        "check",
        "fixtures/slop-python",
        "--no-progress",
        "--format",
        "github",
    ]));
    assert!(
        r.stdout
            .contains("::warning file=fixtures/slop-python/orders/payments.py,line=20,col=9,"),
        "{}",
        r.stdout
    );
    // The markdown links to the commit's file view inside GitHub Actions.
    let r = run(aireview()
        .current_dir(workspace())
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/shop")
        .env("GITHUB_SHA", "0123abc")
        .args(["check", "fixtures/slop-python", "--no-progress", "--format", "markdown"]));
    assert!(
        r.stdout.contains(
            "[`fixtures/slop-python/orders/payments.py:20`](https://github.com/acme/shop/blob/0123abc/fixtures/slop-python/orders/payments.py#L20)"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn output_file_gets_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("aireview.sarif");
    let r = check_format(
        &fixture("slop-python"),
        "sarif",
        &["--output-file", out.to_str().unwrap()],
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        check_format(&fixture("slop-python"), "sarif", &[]).stdout
    );
    assert!(r.stderr.contains("Reviewed 8 files"), "{}", r.stderr);
    let r = check_format(
        &fixture("slop-python"),
        "sarif",
        &["--output-file", "/definitely/not/here/x.sarif"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot write `/definitely/not/here/x.sarif`"),
        "{}",
        r.stderr
    );
}

#[test]
fn max_warnings_and_exit_zero() {
    let slop = fixture("slop-python");
    // 4 errors and 7 warnings; without the error rules, 7 warnings.
    let warnings_only = ["--ignore", "elided-code,assistant-residue"];
    let code = |extra: &[&str]| check_concise(&slop, &[&warnings_only[..], extra].concat()).code;
    assert_eq!(code(&[]), 1);
    assert_eq!(code(&["--max-warnings", "7"]), 0);
    assert_eq!(code(&["--max-warnings", "6"]), 1);
    assert_eq!(code(&["--max-warnings", "6", "--fail-on", "error"]), 1);
    assert_eq!(
        check_concise(&slop, &["--max-warnings", "100"]).code,
        1,
        "errors still fail"
    );
    assert_eq!(check_concise(&slop, &["--exit-zero"]).code, 0);
    let both = check_concise(&slop, &["--exit-zero", "--fail-on", "info"]);
    assert_eq!(both.code, 2);
    assert!(both.stderr.contains("cannot be used with"), "{}", both.stderr);
}

// --- baselines ---

#[test]
fn baseline_reports_only_new_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("shop");
    copy_dir(&fixture("slop-python"), &project);
    let written = check_concise(&project, &["--write-baseline"]);
    assert_eq!(written.code, 0, "{}", transcript(&written));
    assert_eq!(written.stdout, "");
    let baseline_file = project.join(".aireview-baseline.json");
    assert!(
        written.stderr.contains("Wrote 11 findings in 2 files to"),
        "{}",
        written.stderr
    );
    let text = std::fs::read_to_string(&baseline_file).unwrap();
    assert!(text.starts_with("{\n  \"version\": 1,\n  \"findings\": {\n"), "{text}");
    // Writing again gives the same bytes.
    check_concise(&project, &["--write-baseline"]);
    assert_eq!(std::fs::read_to_string(&baseline_file).unwrap(), text);
    // Recording one file keeps what the baseline says about the others.
    let one = check_concise(&project.join("orders/payments.py"), &["--write-baseline"]);
    assert!(one.stderr.contains("Wrote 11 findings in 2 files"), "{}", one.stderr);
    assert_eq!(std::fs::read_to_string(&baseline_file).unwrap(), text);

    // Lines shift: nothing is new.
    let payments = project.join("orders/payments.py");
    edit(&payments, |t| {
        t.replacen("import json\n", "import json\nimport os\nimport sys\n\n", 1)
    });
    let shifted = check_concise(&project, &[]);
    assert_eq!(shifted.stdout.lines().count(), 11);
    assert!(
        shifted.stdout.contains("orders/payments.py:23:9: warning[stub-body]"),
        "{}",
        shifted.stdout
    );
    let r = check_concise(&project, &["--baseline", baseline_file.to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", transcript(&r));
    assert!(
        r.stderr.contains("11 findings in the baseline are not shown."),
        "{}",
        r.stderr
    );

    // A second stub on an identical `pass` line: one more than the baseline counts.
    edit(&payments, |t| t + "\n\ndef later():\n    pass\n");
    let r = check_concise(&project, &["--baseline", baseline_file.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "orders/payments.py:54:5: warning[stub-body] `later` is a stub: its body is only `pass`\n"
    );

    // Fix one old finding, then prune it from the baseline.
    edit(&payments, |t| t.replace("    # ... rest of the code ...\n", ""));
    let r = check_concise(&project, &["--prune-baseline"]);
    assert_eq!(r.code, 1, "the new stub is still reported: {}", transcript(&r));
    assert!(
        r.stderr.contains("Pruned 1 finding no longer found from"),
        "{}",
        r.stderr
    );
    let pruned: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&baseline_file).unwrap()).unwrap();
    let before: serde_json::Value = serde_json::from_str(&text).unwrap();
    let elided = |doc: &serde_json::Value| {
        doc["findings"]["orders/payments.py"]["elided-code"]
            .as_object()
            .unwrap()
            .len()
    };
    assert_eq!((elided(&before), elided(&pruned)), (2, 1));
    assert_eq!(
        before["findings"]["orders/payments.py"]["stub-body"],
        pruned["findings"]["orders/payments.py"]["stub-body"]
    );
    let r = check_concise(&project, &["--prune-baseline"]);
    assert!(r.stderr.contains("Pruned 0 findings no longer found"), "{}", r.stderr);
}

#[test]
fn a_missing_or_broken_baseline_is_an_error() {
    let slop = fixture("slop-python");
    let r = check_concise(&slop, &["--baseline", "/definitely/not/here.json"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read baseline `/definitely/not/here.json`"),
        "{}",
        r.stderr
    );
    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("b.json");
    std::fs::write(&broken, "{\"version\": 1, \"findings\": [1]}").unwrap();
    let r = check_concise(&slop, &["--baseline", broken.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not an aireview baseline"), "{}", r.stderr);
    for flags in [["--write-baseline", "--staged"], ["--prune-baseline", "--staged"]] {
        let r = check_concise(&slop, &flags);
        assert_eq!(
            r.code, 2,
            "a change scope hides findings a baseline records: {}",
            r.stderr
        );
        assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
    }
}

// --- change scopes ---

/// A repository with one commit: `app.py` with one old stub (line 2).
fn repository() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("pyproject.toml"), "[project]\nname = \"app\"\n").unwrap();
    std::fs::write(
        dir.join("app.py"),
        "def old():\n    pass\n\n\ndef add(a, b):\n    return a + b\n",
    )
    .unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "start"]);
    tmp
}

fn check_in(dir: &Path, args: &[&str]) -> Run {
    run(aireview()
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["check", "--format", "concise", "--no-progress"])
        .args(args))
}

#[test]
fn staged_reviews_the_index_not_the_working_tree() {
    let repo = repository();
    let dir = repo.path();
    std::fs::write(
        dir.join("app.py"),
        "def old():\n    pass\n\n\ndef add(a, b):\n    return a + b\n\n\ndef staged():\n    pass\n",
    )
    .unwrap();
    git(dir, &["add", "app.py"]);
    // The working tree moves on: the staged stub is gone there, another one is added.
    std::fs::write(
        dir.join("app.py"),
        "def old():\n    pass\n\n\ndef add(a, b):\n    return a + b\n\n\ndef unstaged():\n    pass\n",
    )
    .unwrap();
    std::fs::write(dir.join("new.py"), "def untracked():\n    pass\n").unwrap();
    let r = check_in(dir, &["--staged"]);
    assert_eq!(
        r.stdout,
        "app.py:10:5: warning[stub-body] `staged` is a stub: its body is only `pass`\n",
        "{}",
        transcript(&r)
    );
    assert!(r.stderr.contains("Reviewed 1 file"), "{}", r.stderr);
    let r = check_in(dir, &["--staged", "--no-changed-lines-only"]);
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    assert!(
        r.stdout.starts_with("app.py:2:5: warning[stub-body] `old`"),
        "{}",
        r.stdout
    );
    // Nothing staged: nothing to review.
    git(dir, &["commit", "-q", "-m", "more"]);
    let r = check_in(dir, &["--staged"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", transcript(&r));
}

#[test]
fn diff_reviews_changed_lines_since_a_revision() {
    let repo = repository();
    let dir = repo.path();
    git(dir, &["commit", "-q", "--allow-empty", "-m", "second"]);
    std::fs::write(
        dir.join("app.py"),
        "def old():\n    pass\n\n\ndef add(a, b):\n    return a + b\n\n\ndef unstaged():\n    pass\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("pkg/new.py"), "def untracked():\n    pass\n").unwrap();
    let expected = "app.py:10:5: warning[stub-body] `unstaged` is a stub: its body is only `pass`\n\
                    pkg/new.py:2:5: warning[stub-body] `untracked` is a stub: its body is only `pass`\n";
    let r = check_in(dir, &["--diff", "HEAD~1"]);
    assert_eq!(r.stdout, expected, "{}", transcript(&r));
    assert_eq!(check_in(dir, &["--since", "main"]).stdout, expected);
    // Paths narrow the change further.
    let r = check_in(dir, &["--diff", "HEAD", "pkg"]);
    assert_eq!(r.stdout, expected.lines().nth(1).unwrap().to_string() + "\n");
    let r = check_in(dir, &["--diff", "no-such-branch"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown revision `no-such-branch`"), "{}", r.stderr);
    let r = check_in(dir, &["--diff", "--output=/tmp/x"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn change_scopes_need_a_git_repository() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.py"), "x = 1\n").unwrap();
    let check = |flags: &[&str]| run(outside_git(tmp.path()).args(["check", "--no-progress"]).args(flags));
    for flags in [&["--staged"][..], &["--diff", "HEAD"]] {
        let r = check(flags);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("is not inside a git repository"), "{}", r.stderr);
    }
    let r = check(&["--no-changed-lines-only"]);
    assert_eq!(r.code, 2, "only with --staged or --diff: {}", r.stderr);
}

/// The binary in `dir`, where git must not find a repository further up
/// (the temporary folder may lie inside one).
fn outside_git(dir: &Path) -> assert_cmd::Command {
    let mut cmd = aireview();
    cmd.current_dir(dir)
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap());
    cmd
}

// --- the pre-commit hook ---

fn binary_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("aireview").parent().unwrap().to_path_buf()
}

#[test]
fn install_hook_blocks_a_commit_with_findings() {
    let repo = repository();
    let dir = repo.path();
    let install = |extra: &[&str]| run(aireview().current_dir(dir).arg("install-hook").args(extra));
    let r = install(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let hook = dir.join(".git/hooks/pre-commit");
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(
        script.starts_with("#!/bin/sh\n") && script.contains("aireview check --staged"),
        "{script}"
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&hook).unwrap().permissions().mode() & 0o111, 0o111);
    let r = install(&[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("already exists; use --force to replace it"),
        "{}",
        r.stderr
    );
    std::fs::write(&hook, "#!/bin/sh\nexit 0\n").unwrap();
    assert_eq!(install(&["--force"]).code, 0);
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), script);

    // A commit that adds a stub is stopped; the old stub does not count.
    let path = format!(
        "{}:{}",
        binary_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let commit = |args: &[&str]| {
        git_command(dir)
            .env("PATH", &path)
            .env(
                "XDG_CONFIG_HOME",
                std::env::temp_dir().join("aireview-e2e-no-user-config"),
            )
            .env_remove("GITHUB_ACTIONS")
            .args(["commit", "-q"])
            .args(args)
            .output()
            .unwrap()
    };
    std::fs::write(dir.join("more.py"), "def total(xs):\n    return sum(xs)\n").unwrap();
    git(dir, &["add", "more.py"]);
    let ok = commit(&["-m", "clean"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    std::fs::write(
        dir.join("more.py"),
        "def total(xs):\n    return sum(xs)\n\n\ndef later():\n    pass\n",
    )
    .unwrap();
    git(dir, &["add", "more.py"]);
    let blocked = commit(&["-m", "stub"]);
    assert!(!blocked.status.success());
    // git passes the hook's output on to stderr.
    let said = String::from_utf8_lossy(&blocked.stderr);
    assert!(said.contains("more.py:6:5: `later` is a stub"), "{said}");
    // `commit -a` stages into a temporary index, which the hook reads too.
    git(dir, &["reset", "-q", "more.py"]);
    let blocked = commit(&["-a", "-m", "stub"]);
    assert!(!blocked.status.success());
    assert!(String::from_utf8_lossy(&blocked.stderr).contains("`later` is a stub"));
    let skipped = commit(&["--no-verify", "-a", "-m", "stub"]);
    assert!(skipped.status.success());
}

#[test]
fn install_hook_needs_a_git_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run(outside_git(tmp.path()).arg("install-hook"));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not inside a git repository"), "{}", r.stderr);
}

/// pre-commit's `language: rust` runs `cargo install --bins --path .` in the
/// repository root: the root manifest must be the binary's package, not only
/// a workspace.
#[test]
fn the_root_manifest_is_the_package_of_the_binary() {
    let text = std::fs::read_to_string(workspace().join("Cargo.toml")).unwrap();
    let manifest: toml::Table = text.parse().unwrap();
    assert_eq!(manifest["package"]["name"].as_str(), Some("aireview"));
    let bins = manifest["bin"].as_array().unwrap();
    assert_eq!(bins.len(), 1);
    assert_eq!(bins[0]["name"].as_str(), Some("aireview"));
    assert!(workspace().join(bins[0]["path"].as_str().unwrap()).is_file());
}

#[test]
fn pre_commit_hook_definition_runs_check_on_the_passed_files() {
    let text = std::fs::read_to_string(workspace().join(".pre-commit-hooks.yaml")).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
    let hooks = docs[0].as_vec().unwrap();
    // `language: rust` builds this repository with `cargo install --path .`
    // (see scripts/pre-commit-smoke.sh); `aireview-system` runs the binary on
    // PATH. Both run the same command on the same files.
    let ids: Vec<(&str, &str)> = hooks
        .iter()
        .map(|h| (h["id"].as_str().unwrap(), h["language"].as_str().unwrap()))
        .collect();
    assert_eq!(ids, [("aireview", "rust"), ("aireview-system", "system")]);
    for key in ["entry", "files", "pass_filenames", "require_serial"] {
        assert_eq!(hooks[0][key], hooks[1][key], "{key}");
    }
    let hook = &hooks[0];
    assert_eq!(hook["pass_filenames"].as_bool(), Some(true));
    assert_eq!(hook["require_serial"].as_bool(), Some(true));
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(entry, ["aireview", "check"]);
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    for (path, passed) in [
        ("orders/payments.py", true),
        ("web/app.tsx", true),
        ("src/lib.rs", true),
        ("pyproject.toml", true),
        ("web/package.json", true),
        ("requirements-dev.txt", true),
        ("README.md", false),
        ("config.toml", false),
        ("notes.txt", false),
    ] {
        assert_eq!(files.is_match(path), passed, "{path}");
    }
    // What pre-commit runs: the entry with the staged files that match.
    let slop = fixture("slop-python");
    let r = run(aireview().current_dir(&slop).args(&entry[1..]).args([
        "orders/payments.py",
        "orders/base.py",
        "--format",
        "concise",
    ]));
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.lines().count(), 10, "{}", r.stdout);
    assert!(r.stdout.lines().all(|l| l.starts_with("orders/payments.py:")));
}
