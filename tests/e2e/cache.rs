//! The warm cache: per-file results reused by the next run, invalidated by
//! edits and configuration changes, rebuilt when corrupt, never changing
//! the output. Observed through the `--verbose` line "cache: H hit, M miss",
//! never through timing.

use crate::common::*;
use std::path::{Path, PathBuf};

/// `aireview check --format json -v` in `dir` with the cache on.
fn check_cached(dir: &Path, extra: &[&str]) -> Run {
    run(aireview()
        .env_remove("AIREVIEW_NO_CACHE")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["check", "--format", "json", "--no-progress", "--verbose"])
        .args(extra))
}

/// (hits, misses) from the `--verbose` cache line.
fn cache_stat(r: &Run) -> (usize, usize) {
    let line = r
        .stderr
        .lines()
        .find(|l| l.starts_with("cache: "))
        .unwrap_or_else(|| panic!("no cache line in:\n{}", r.stderr));
    let numbers: Vec<usize> = line.split(' ').filter_map(|w| w.parse().ok()).collect();
    (numbers[0], numbers[1])
}

/// How many hits were found by their unchanged file stamp (not read).
fn unread(r: &Run) -> usize {
    let line = r.stderr.lines().find(|l| l.starts_with("cache: ")).unwrap();
    let numbers: Vec<usize> = line.split(' ').filter_map(|w| w.parse().ok()).collect();
    numbers[2]
}

/// The same review without the cache.
fn uncached(dir: &Path) -> String {
    check_cached(dir, &["--no-cache"]).stdout
}

/// A copy of the slop-python fixture (8 source files) in a temporary folder.
fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("shop");
    copy_dir(&fixture("slop-python"), &dir);
    (tmp, dir)
}

/// `project()` as a git repository with everything committed.
fn committed_project() -> (tempfile::TempDir, PathBuf) {
    let (tmp, dir) = project();
    git(&dir, &["init", "-q", "-b", "main"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "start"]);
    (tmp, dir)
}

const FILES: usize = 8;

#[test]
fn a_second_run_uses_the_cache_with_identical_output() {
    let (_tmp, dir) = project();
    let first = check_cached(&dir, &[]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert_eq!(cache_stat(&first), (0, FILES));
    let ignore = std::fs::read_to_string(dir.join(".aireview_cache/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    let second = check_cached(&dir, &[]);
    assert_eq!(cache_stat(&second), (FILES, 0));
    assert_eq!(second.code, first.code);
    assert_eq!(second.stdout, first.stdout);
    assert_eq!(uncached(&dir), first.stdout);
    // Warm, at other thread counts, in another format.
    for threads in ["1", "3"] {
        let r = run(aireview()
            .env_remove("AIREVIEW_NO_CACHE")
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(&dir)
            .args(["check", "--format", "json", "--no-progress"]));
        assert_eq!(r.stdout, first.stdout, "{threads} threads");
    }
    let human = |extra: &[&str]| check_cached(&dir, &[&["--format", "concise"], extra].concat()).stdout;
    assert_eq!(human(&[]), human(&["--no-cache"]));
}

#[test]
fn an_edited_file_is_parsed_again_and_only_it() {
    let (_tmp, dir) = project();
    check_cached(&dir, &[]);
    edit(&dir.join("orders/payments.py"), |t| {
        format!("{t}\n\ndef later_too():\n    pass\n")
    });
    let r = check_cached(&dir, &[]);
    assert_eq!(cache_stat(&r), (FILES - 1, 1));
    assert!(r.stdout.contains("later_too"), "{}", r.stdout);
    assert_eq!(r.stdout, uncached(&dir));
    // Back to the cached content: a hit again, as content decides.
    assert_eq!(cache_stat(&check_cached(&dir, &[])), (FILES, 0));
}

#[test]
fn a_rule_option_change_invalidates_the_cache() {
    let (_tmp, dir) = project();
    std::fs::write(
        dir.join("orders/hack.py"),
        "# quick hack until the gateway is ready\nTOTAL = 1\n",
    )
    .unwrap();
    let before = check_cached(&dir, &[]);
    assert!(!before.stdout.contains("quick hack"), "{}", before.stdout);
    assert_eq!(cache_stat(&check_cached(&dir, &[])), (FILES + 1, 0));
    std::fs::write(
        dir.join("aireview.toml"),
        "[rules.placeholder-comment]\nextra-patterns = ['\\bquick hack\\b']\n",
    )
    .unwrap();
    let after = check_cached(&dir, &[]);
    assert_eq!(cache_stat(&after), (0, FILES + 1));
    assert!(after.stdout.contains("quick hack"), "{}", after.stdout);
    assert_eq!(after.stdout, uncached(&dir));
    // So does a selection on the command line.
    let ignored = check_cached(&dir, &["--ignore", "placeholder-comment"]);
    assert_eq!(cache_stat(&ignored), (0, FILES + 1));
    assert!(!ignored.stdout.contains("placeholder-comment"), "{}", ignored.stdout);
}

#[test]
fn a_corrupt_cache_is_reported_once_and_rebuilt() {
    let (_tmp, dir) = project();
    let first = check_cached(&dir, &[]);
    let cache = dir.join(".aireview_cache");
    let mut shards = 0;
    for entry in std::fs::read_dir(&cache).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "bin") {
            // Truncated, flipped and garbage shards.
            let mut bytes = std::fs::read(&path).unwrap();
            match shards % 3 {
                0 => bytes.truncate(bytes.len() / 2),
                1 => *bytes.last_mut().unwrap() ^= 0x55,
                _ => bytes = b"not a cache".to_vec(),
            }
            std::fs::write(&path, bytes).unwrap();
            shards += 1;
        }
    }
    assert!(shards >= 3, "{shards} shards");
    let r = check_cached(&dir, &[]);
    assert_eq!(r.stdout, first.stdout);
    assert_eq!(cache_stat(&r), (0, FILES));
    let warnings: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("warning: cache:")).collect();
    assert_eq!(warnings.len(), 1, "{}", r.stderr);
    assert!(warnings[0].contains("corrupt"), "{}", warnings[0]);
    let again = check_cached(&dir, &[]);
    assert_eq!(cache_stat(&again), (FILES, 0));
    assert!(!again.stderr.contains("warning: cache:"), "{}", again.stderr);
    assert_eq!(again.stdout, first.stdout);
}

#[test]
fn no_cache_writes_nothing() {
    let (_tmp, dir) = project();
    let r = check_cached(&dir, &["--no-cache"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stderr.contains("cache:"), "{}", r.stderr);
    let by_env = run(aireview()
        .env("AIREVIEW_NO_CACHE", "1")
        .current_dir(&dir)
        .args(["check", "--no-progress"]));
    assert_eq!(by_env.code, 1, "{}", by_env.stderr);
    assert!(!dir.join(".aireview_cache").exists());
}

#[test]
fn cache_clean_removes_it() {
    let (_tmp, dir) = project();
    check_cached(&dir, &[]);
    assert!(dir.join(".aireview_cache").is_dir());
    let clean = |path: &Path| run(aireview().current_dir(&dir).args(["cache", "clean"]).arg(path));
    // A folder inside the project finds the project root.
    let r = clean(&dir.join("orders"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Removed "), "{}", r.stdout);
    assert!(!dir.join(".aireview_cache").exists());
    let r = clean(&dir);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("No cache at "), "{}", r.stdout);
    assert_eq!(cache_stat(&check_cached(&dir, &[])), (0, FILES));
}

#[test]
fn staged_with_one_change_parses_only_that_file_and_the_cache_is_not_committed() {
    let (_tmp, dir) = committed_project();
    check_cached(&dir, &[]);
    let status = git_command(&dir).args(["status", "--porcelain"]).output().unwrap();
    assert!(status.stdout.is_empty(), "{}", String::from_utf8_lossy(&status.stdout));
    edit(&dir.join("orders/payments.py"), |t| {
        format!("{t}\n\ndef later_too():\n    pass\n")
    });
    git(&dir, &["add", "orders/payments.py"]);
    let r = check_cached(&dir, &["--staged"]);
    assert_eq!(cache_stat(&r), (FILES - 1, 1));
    assert!(r.stdout.contains("later_too"), "{}", r.stdout);
    assert_eq!(r.stdout, check_cached(&dir, &["--staged", "--no-cache"]).stdout);
    assert_eq!(cache_stat(&check_cached(&dir, &["--staged"])), (FILES, 0));
}

#[test]
fn concurrent_runs_leave_a_valid_cache() {
    let (_tmp, dir) = project();
    let expected = uncached(&dir);
    let runs: Vec<std::process::Child> = (0..4)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("aireview"))
                .env_remove("AIREVIEW_NO_CACHE")
                .env("XDG_CONFIG_HOME", "/nonexistent")
                .current_dir(&dir)
                .args(["check", "--format", "json", "--no-progress"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in runs {
        let out = child.wait_with_output().unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
        assert!(!String::from_utf8_lossy(&out.stderr).contains("warning: cache:"));
    }
    let after = check_cached(&dir, &[]);
    assert_eq!(cache_stat(&after), (FILES, 0));
    assert!(!after.stderr.contains("warning: cache:"), "{}", after.stderr);
    assert_eq!(after.stdout, expected);
}

/// Sets a file's modification time, as `touch -d` would.
fn set_mtime(path: &Path, time: std::time::SystemTime) {
    let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

/// The first cached run, once the files have settled: stamps are recorded
/// only for files last changed more than 2 s before the run.
fn first_run_with_stamps(dir: &Path) -> Run {
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let first = check_cached(dir, &[]);
    assert_eq!(cache_stat(&first), (0, FILES));
    first
}

#[test]
fn unchanged_files_are_not_read_and_any_stamp_change_goes_back_to_content() {
    let (_tmp, dir) = project();
    let first = first_run_with_stamps(&dir);
    let second = check_cached(&dir, &[]);
    assert_eq!((cache_stat(&second), unread(&second)), ((FILES, 0), FILES));
    assert_eq!(second.stdout, first.stdout);

    // An edit that keeps the size and the modification time: the status
    // change time differs, so the content decides.
    let payments = dir.join("orders/payments.py");
    let meta = std::fs::metadata(&payments).unwrap();
    let (mtime, size) = (meta.modified().unwrap(), meta.len());
    edit(&payments, |t| {
        assert!(t.contains("def refund("), "{t}");
        t.replacen("def refund(", "def rebate(", 1)
    });
    set_mtime(&payments, mtime);
    assert_eq!(std::fs::metadata(&payments).unwrap().len(), size);
    let r = check_cached(&dir, &[]);
    assert_eq!(cache_stat(&r), (FILES - 1, 1), "{}", r.stderr);
    assert_eq!(r.stdout, uncached(&dir));

    // Another size under the old modification time: parsed again too.
    edit(&payments, |t| format!("{t}\n\ndef later_too():\n    pass\n"));
    set_mtime(&payments, mtime);
    let r = check_cached(&dir, &[]);
    assert_eq!(cache_stat(&r), (FILES - 1, 1), "{}", r.stderr);
    assert!(r.stdout.contains("later_too"), "{}", r.stdout);
    assert_eq!(r.stdout, uncached(&dir));

    // A touch without a change: read and hashed, still a hit.
    let other = dir.join("orders/base.py");
    assert!(other.is_file());
    set_mtime(&other, std::time::SystemTime::now());
    let r = check_cached(&dir, &[]);
    assert_eq!(cache_stat(&r), (FILES, 0), "{}", r.stderr);
    assert!(unread(&r) <= FILES - 2, "{}", r.stderr);
    assert_eq!(r.stdout, uncached(&dir));
}

#[test]
fn staged_content_is_never_taken_from_a_stamp() {
    let (tmp, dir) = committed_project();
    first_run_with_stamps(&dir);
    // Stage other content without touching the working tree: the file's
    // stamp still matches its entry, but the review must read the index.
    let payments = dir.join("orders/payments.py");
    let staged = tmp.path().join("staged.py");
    std::fs::write(
        &staged,
        format!(
            "{}\n\ndef later_too():\n    pass\n",
            std::fs::read_to_string(&payments).unwrap()
        ),
    )
    .unwrap();
    let out = git_command(&dir)
        .args(["hash-object", "-w", "--path", "orders/payments.py"])
        .arg(&staged)
        .output()
        .unwrap();
    let sha = String::from_utf8(out.stdout).unwrap();
    git(
        &dir,
        &[
            "update-index",
            "--cacheinfo",
            &format!("100644,{},orders/payments.py", sha.trim()),
        ],
    );
    let r = check_cached(&dir, &["--staged"]);
    assert!(r.stdout.contains("later_too"), "{}", r.stdout);
    assert_eq!(r.stdout, check_cached(&dir, &["--staged", "--no-cache"]).stdout);
    // The other files were not read.
    assert_eq!(unread(&r), FILES - 1, "{}", r.stderr);
}

/// The walk reused the previous listing (the `--verbose` stages name it).
fn walk_reused(r: &Run) -> bool {
    let stages = r
        .stderr
        .lines()
        .find(|l| l.starts_with("stages: "))
        .unwrap_or_else(|| panic!("no stages line in:\n{}", r.stderr));
    stages.contains("walk (reused)")
}

/// Waits until every folder's stamp has settled, reviews (walking, and
/// storing the walk) and checks that the next review reuses it with the
/// same output; returns that output.
fn store_walk(dir: &Path) -> String {
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let walked = check_cached(dir, &[]);
    assert!(!walk_reused(&walked), "{}", walked.stderr);
    let reused = check_cached(dir, &[]);
    assert!(walk_reused(&reused), "{}", reused.stderr);
    assert_eq!(reused.stdout, walked.stdout);
    reused.stdout
}

/// A review after a change: walked again, and the same as without the cache.
fn walked_again(dir: &Path) -> String {
    let r = check_cached(dir, &[]);
    assert!(!walk_reused(&r), "{}", r.stderr);
    assert_eq!(r.stdout, uncached(dir));
    r.stdout
}

const NEW_FILE: &str = "def refund_later(order):\n    raise NotImplementedError\n";

#[test]
fn a_reused_walk_gives_the_same_review_for_any_paths() {
    let (_tmp, dir) = project();
    let cold = check_cached(&dir, &[]);
    assert_eq!(store_walk(&dir), cold.stdout);
    assert_eq!(cold.stdout, uncached(&dir));
    // Other paths on a warm run: reported files and explicit files are
    // decided per run, as on a cold one.
    for paths in [
        &["orders"][..],
        &["orders/payments.py"],
        &["orders/payments.py", "docs"],
    ] {
        let warm = check_cached(&dir, paths);
        assert!(walk_reused(&warm), "{}", warm.stderr);
        assert_eq!(
            warm.stdout,
            check_cached(&dir, &[paths, &["--no-cache"]].concat()).stdout
        );
    }
    // `cache clean` removes the stored walk too.
    run(aireview().current_dir(&dir).args(["cache", "clean"]));
    assert!(!walk_reused(&check_cached(&dir, &[])));
}

#[test]
fn a_new_file_in_a_listed_folder_is_reviewed_and_a_deleted_one_is_gone() {
    let (_tmp, dir) = project();
    check_cached(&dir, &[]);
    let before = store_walk(&dir);
    std::fs::write(dir.join("orders/refunds.py"), NEW_FILE).unwrap();
    let added = walked_again(&dir);
    assert!(added.contains("orders/refunds.py"), "{added}");
    store_walk(&dir);
    std::fs::remove_file(dir.join("orders/refunds.py")).unwrap();
    let removed = walked_again(&dir);
    assert!(!removed.contains("orders/refunds.py"), "{removed}");
    assert_eq!(removed, before);
}

#[test]
fn an_edited_gitignore_un_ignores_and_ignores_files() {
    let (_tmp, dir) = project();
    std::fs::write(dir.join("orders/refunds.py"), NEW_FILE).unwrap();
    std::fs::write(dir.join(".gitignore"), "refunds.py\n").unwrap();
    check_cached(&dir, &[]);
    let ignored = store_walk(&dir);
    assert!(!ignored.contains("orders/refunds.py"), "{ignored}");
    // Edited in place: no folder changes, only the ignore file's stamp.
    edit(&dir.join(".gitignore"), |_| "# nothing\n".into());
    let shown = walked_again(&dir);
    assert!(shown.contains("orders/refunds.py"), "{shown}");
    store_walk(&dir);
    edit(&dir.join(".gitignore"), |_| "refunds.py\n".into());
    assert_eq!(walked_again(&dir), ignored);
}

#[test]
fn a_new_aireviewignore_in_a_sub_folder_applies() {
    let (_tmp, dir) = project();
    check_cached(&dir, &[]);
    let before = store_walk(&dir);
    assert!(before.contains("orders/payments.py"), "{before}");
    std::fs::write(dir.join("orders/.aireviewignore"), "payments.py\n").unwrap();
    let after = walked_again(&dir);
    assert!(!after.contains("orders/payments.py"), "{after}");
}

#[test]
fn a_changed_exclude_walks_again() {
    let (_tmp, dir) = project();
    std::fs::write(dir.join("aireview.toml"), "exclude = [\"orders/payments.py\"]\n").unwrap();
    check_cached(&dir, &[]);
    let excluded = store_walk(&dir);
    assert!(!excluded.contains("orders/payments.py"), "{excluded}");
    // Edited in place: the folders are unchanged, the walk's key is not.
    edit(&dir.join("aireview.toml"), |_| "exclude = [\"docs\"]\n".into());
    let r = check_cached(&dir, &[]);
    assert!(!walk_reused(&r), "{}", r.stderr);
    assert!(r.stdout.contains("orders/payments.py"), "{}", r.stdout);
    assert_eq!(r.stdout, uncached(&dir));
}

#[test]
fn a_corrupt_walk_is_reported_once_and_rebuilt() {
    let (_tmp, dir) = project();
    check_cached(&dir, &[]);
    let expected = store_walk(&dir);
    let walk = dir.join(".aireview_cache/walk.bin");
    let mut bytes = std::fs::read(&walk).unwrap();
    *bytes.last_mut().unwrap() ^= 0x55;
    std::fs::write(&walk, bytes).unwrap();
    let r = check_cached(&dir, &[]);
    assert!(!walk_reused(&r), "{}", r.stderr);
    assert_eq!(r.stdout, expected);
    let warnings: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("warning: cache:")).collect();
    assert_eq!(warnings.len(), 1, "{}", r.stderr);
    assert!(
        warnings[0].contains("corrupt") && warnings[0].contains("walk.bin"),
        "{}",
        warnings[0]
    );
    let again = check_cached(&dir, &[]);
    assert!(walk_reused(&again), "{}", again.stderr);
    assert!(!again.stderr.contains("warning: cache:"), "{}", again.stderr);
    assert_eq!(again.stdout, expected);
}
