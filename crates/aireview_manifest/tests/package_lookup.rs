//! Registry look-ups against stand-in clients that the tests write. `PATH`
//! is replaced by the stand-ins' folder, so no real client (and no network)
//! is ever reached.
#![cfg(unix)]

use aireview_manifest::package_lookup::{
    age_in_days, lookup_packages, Ecosystem, LookupOptions, PackageQuery, PackageStatus, CACHE_FILE_NAME,
};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Writing an executable while another test forks can leave the file open for
/// writing in the forked child, and running it then fails with "text file
/// busy". Scripts are written under the write lock, clients run under the
/// read lock.
static FORK_GUARD: RwLock<()> = RwLock::new(());

/// 2026-11-30T00:00:00Z
const NOW: u64 = 1_795_996_800;

struct StandIns {
    _root: tempfile::TempDir,
    bin: PathBuf,
    log: PathBuf,
    cache: PathBuf,
    work: PathBuf,
}

impl StandIns {
    fn new() -> StandIns {
        let root = tempfile::tempdir().expect("temp dir");
        let bin = root.path().join("bin");
        let cache = root.path().join("cache");
        let work = root.path().join("work");
        std::fs::create_dir_all(&bin).expect("bin dir");
        std::fs::create_dir_all(&work).expect("work dir");
        let log = root.path().join("calls.log");
        StandIns {
            _root: root,
            bin,
            log,
            cache,
            work,
        }
    }

    /// Writes `bin/<program>`: logs its arguments, then runs `body`.
    fn client(&self, program: &str, body: &str) {
        let _guard = FORK_GUARD.write().unwrap_or_else(|e| e.into_inner());
        let path = self.bin.join(program);
        let script = format!("#!/bin/sh\necho \"{program} $*\" >> '{}'\n{body}\n", self.log.display());
        std::fs::write(&path, script).expect("write stand-in");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod stand-in");
    }

    fn options(&self) -> LookupOptions {
        LookupOptions {
            timeout: Duration::from_secs(20),
            parallelism: 4,
            cache_dir: None,
            cache_ttl: Duration::from_secs(3600),
            now: UNIX_EPOCH + Duration::from_secs(NOW),
            extra_path: Some(self.bin.clone().into_os_string()),
            replace_path: true,
            working_dir: Some(self.work.clone()),
        }
    }

    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

fn lookup(queries: &[PackageQuery], opts: &LookupOptions) -> aireview_manifest::package_lookup::LookupReport {
    let _guard = FORK_GUARD.read().unwrap_or_else(|e| e.into_inner());
    lookup_packages(queries, opts)
}

fn npm(name: &str) -> PackageQuery {
    PackageQuery::new(Ecosystem::Npm, name)
}
fn pypi(name: &str) -> PackageQuery {
    PackageQuery::new(Ecosystem::PyPI, name)
}
fn crate_(name: &str) -> PackageQuery {
    PackageQuery::new(Ecosystem::Crates, name)
}

const NPM: &str = r#"[ "$1" = view ] && [ "$3" = --json ] || { echo "bad arguments" >&2; exit 64; }
case "$2" in
  left-pad) echo '{"name":"left-pad","time":{"modified":"2022-01-01T00:00:00.000Z","created":"2014-03-21T19:11:57.357Z","1.0.0":"2014-03-21T19:11:57.357Z"}}' ;;
  fresh-pkg) echo '{"name":"fresh-pkg","time":{"created":"2026-11-20T08:00:00.000Z"}}' ;;
  ghost-pkg) echo '{"error":{"code":"E404","summary":"Not Found - GET https://registry.example/ghost-pkg"}}'; echo "npm error code E404" >&2; exit 1 ;;
  garbled) echo '{"name": "garbled", "time": {' ;;
  denied) echo '{"error":{"code":"E401","summary":"Unable to authenticate"}}'; exit 1 ;;
  slow-pkg) /bin/sleep 30 ;;
  *) echo "unexpected package $2" >&2; exit 3 ;;
esac"#;

const PIP: &str = r#"[ "$1 $2" = "index versions" ] || exit 64
for last; do :; done
case "$last" in
  requests) echo "requests (2.32.3)"; echo "Available versions: 2.32.3, 2.32.2" ;;
  ghost-pkg)
    echo "WARNING: pip index is currently an experimental command." >&2
    echo "Could not fetch URL https://pypi.example/simple/ghost-pkg/: 404 Client Error: Not Found for url: https://pypi.example/simple/ghost-pkg/ - skipping"
    echo "ERROR: No matching distribution found for ghost-pkg" >&2; exit 1 ;;
  unreachable)
    echo "Could not fetch URL https://pypi.example/simple/unreachable/: connection error: refused - skipping"
    echo "ERROR: No matching distribution found for unreachable" >&2; exit 1 ;;
  odd) echo "requests, probably" ;;
  *) exit 3 ;;
esac"#;

const CARGO: &str = r#"[ "$1" = info ] || exit 64
case "$2" in
  serde) echo "    Updating crates.io index" >&2; echo "serde #serde #serialization"; echo "version: 1.0.210" ;;
  ghost-crate) echo "    Updating crates.io index" >&2; echo "error: could not find \`ghost-crate\` in registry \`crates-io\`" >&2; exit 101 ;;
  cwd-probe) [ -e project-marker ] && echo "cwd-probe" || exit 7 ;;
  broken) echo "error: failed to parse manifest at \`/x/Cargo.toml\`" >&2; exit 101 ;;
  *) exit 3 ;;
esac"#;

fn all_clients(stand_ins: &StandIns) {
    stand_ins.client("npm", NPM);
    stand_ins.client("pip", PIP);
    stand_ins.client("cargo", CARGO);
}

fn exists(created: Option<&str>) -> PackageStatus {
    PackageStatus::Exists {
        created: created.map(str::to_string),
    }
}

#[test]
fn existing_and_missing_packages_in_query_order_without_duplicates() {
    let stand_ins = StandIns::new();
    all_clients(&stand_ins);
    let queries = [
        npm("left-pad"),
        pypi("requests"),
        crate_("serde"),
        npm("ghost-pkg"),
        pypi("ghost-pkg"),
        crate_("ghost-crate"),
        pypi("Requests"),
        crate_("SERDE"),
        npm("left-pad"),
    ];
    let report = lookup(&queries, &stand_ins.options());
    assert_eq!(
        report.answers,
        vec![
            (npm("left-pad"), exists(Some("2014-03-21T19:11:57.357Z"))),
            (pypi("requests"), exists(None)),
            (crate_("serde"), exists(None)),
            (npm("ghost-pkg"), PackageStatus::Missing),
            (pypi("ghost-pkg"), PackageStatus::Missing),
            (crate_("ghost-crate"), PackageStatus::Missing),
        ]
    );
    assert_eq!(report.warnings, Vec::<String>::new());
    assert_eq!(report.status_of(&pypi("REQUESTS")), Some(&exists(None)));
    assert_eq!(report.status_of(&npm("Left-Pad")), None, "npm names are case-sensitive");
    assert_eq!(stand_ins.calls().len(), 6, "each distinct package is asked once");
    assert!(stand_ins.calls().iter().any(|c| c
        == "pip index versions -vv --disable-pip-version-check --no-input --pre --ignore-requires-python requests"));
}

#[test]
fn first_publication_date_gives_the_age() {
    let stand_ins = StandIns::new();
    all_clients(&stand_ins);
    let opts = stand_ins.options();
    let report = lookup(&[npm("fresh-pkg")], &opts);
    let Some(PackageStatus::Exists { created: Some(created) }) = report.status_of(&npm("fresh-pkg")) else {
        panic!("no creation date: {report:?}");
    };
    assert_eq!(age_in_days(created, opts.now), Some(9));
}

#[test]
fn unclear_answers_are_unknown_with_one_warning_each() {
    let stand_ins = StandIns::new();
    all_clients(&stand_ins);
    let queries = [
        npm("garbled"),
        npm("denied"),
        pypi("unreachable"),
        pypi("odd"),
        crate_("broken"),
    ];
    let report = lookup(&queries, &stand_ins.options());
    let reasons: Vec<String> = report
        .answers
        .iter()
        .map(|(_, status)| match status {
            PackageStatus::Unknown(reason) => reason.clone(),
            other => panic!("expected Unknown, got {other:?}"),
        })
        .collect();
    assert!(reasons[0].starts_with("npm printed malformed JSON"), "{}", reasons[0]);
    assert_eq!(reasons[1], "npm failed (exit code 1): Unable to authenticate");
    assert!(reasons[2].contains("connection error"), "{}", reasons[2]);
    assert_eq!(reasons[3], "pip printed no version list");
    assert!(reasons[4].starts_with("cargo info failed (exit code 101): error: failed to parse manifest"));
    assert_eq!(report.warnings.len(), 5);
    assert!(report.warnings[0].starts_with("`npm view garbled`: npm printed malformed JSON"));
    assert!(report.warnings[2].starts_with("`pip index versions unreachable`: "));
    assert!(report.warnings[4].starts_with("`cargo info broken`: "));
}

#[test]
fn slow_client_is_killed_at_the_timeout() {
    let stand_ins = StandIns::new();
    all_clients(&stand_ins);
    let opts = LookupOptions {
        timeout: Duration::from_millis(300),
        ..stand_ins.options()
    };
    let started = Instant::now();
    let report = lookup(&[npm("slow-pkg"), npm("left-pad")], &opts);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        report.answers[0].1,
        PackageStatus::Unknown("npm timed out after 300ms".into())
    );
    assert_eq!(report.answers[1].1, exists(Some("2014-03-21T19:11:57.357Z")));
    assert_eq!(
        report.warnings,
        vec!["`npm view slow-pkg`: npm timed out after 300ms".to_string()]
    );
}

/// A client that exits but leaves a process holding its output open is
/// also a timeout, and what it left behind is killed with it.
#[test]
fn leftover_processes_of_a_client_are_killed() {
    let stand_ins = StandIns::new();
    let pid_file = stand_ins.work.join("sleeper.pid");
    stand_ins.client(
        "cargo",
        &format!(
            "/bin/sleep 30 &\necho $! > '{}'\necho \"serde\"\nexit 0",
            pid_file.display()
        ),
    );
    let opts = LookupOptions {
        timeout: Duration::from_millis(400),
        ..stand_ins.options()
    };
    let started = Instant::now();
    let report = lookup(&[crate_("serde")], &opts);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        report.answers[0].1,
        PackageStatus::Unknown("cargo timed out after 400ms".into())
    );
    let pid = std::fs::read_to_string(&pid_file).expect("pid file");
    let proc_dir = Path::new("/proc").join(pid.trim());
    if Path::new("/proc/self").exists() {
        let deadline = Instant::now() + Duration::from_secs(5);
        let alive = || {
            std::fs::read_to_string(proc_dir.join("stat"))
                .map(|stat| {
                    stat.rsplit_once(')')
                        .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z'))
                })
                .unwrap_or(false)
        };
        while alive() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!alive(), "the background sleep {} survived", pid.trim());
    }
}

#[test]
fn look_ups_run_in_parallel() {
    let stand_ins = StandIns::new();
    let marks = stand_ins.work.join("marks");
    std::fs::create_dir_all(&marks).expect("marks dir");
    // Each stand-in waits until both have started: run one at a time, the
    // first would wait until its timeout.
    stand_ins.client(
        "npm",
        &format!(
            "m='{}'\n: > \"$m/$2\"\ni=0\nwhile [ ! -e \"$m/one\" ] || [ ! -e \"$m/two\" ]; do\n  i=$((i+1)); [ $i -gt 400 ] && exit 9\n  /bin/sleep 0.05\ndone\necho '{{\"name\":\"x\"}}'",
            marks.display()
        ),
    );
    let opts = LookupOptions {
        parallelism: 2,
        timeout: Duration::from_secs(15),
        ..stand_ins.options()
    };
    let report = lookup(&[npm("one"), npm("two")], &opts);
    assert_eq!(report.answers[0].1, exists(None), "{report:?}");
    assert_eq!(report.answers[1].1, exists(None), "{report:?}");
}

#[test]
fn large_output_is_drained() {
    let stand_ins = StandIns::new();
    // About 300 KB of JSON, far beyond a pipe buffer.
    stand_ins.client(
        "npm",
        "printf '{\"name\":\"big\",\"time\":{\"created\":\"2015-01-01T00:00:00Z\"'\ni=0\nwhile [ $i -lt 10000 ]; do printf ',\"1.0.%d\":\"2016-01-01T00:00:00.000Z\"' $i; i=$((i+1)); done\necho '}}'",
    );
    let report = lookup(&[npm("big")], &stand_ins.options());
    assert_eq!(report.answers[0].1, exists(Some("2015-01-01T00:00:00Z")));
}

#[test]
fn absent_clients_are_unknown() {
    let stand_ins = StandIns::new();
    let report = lookup(
        &[npm("left-pad"), pypi("requests"), crate_("serde")],
        &stand_ins.options(),
    );
    assert_eq!(
        report.warnings,
        vec![
            "`npm view left-pad`: npm is not installed or not on PATH".to_string(),
            "`pip index versions requests`: pip or pip3 is not installed or not on PATH".to_string(),
            "`cargo info serde`: cargo is not installed or not on PATH".to_string(),
        ]
    );
    assert!(report
        .answers
        .iter()
        .all(|(_, s)| matches!(s, PackageStatus::Unknown(_))));
}

#[test]
fn pip3_answers_when_pip_is_absent() {
    let stand_ins = StandIns::new();
    stand_ins.client("pip3", PIP);
    let report = lookup(&[pypi("requests")], &stand_ins.options());
    assert_eq!(report.answers[0].1, exists(None));
    assert!(stand_ins.calls()[0].starts_with("pip3 index versions"));
}

#[test]
fn invalid_names_never_reach_a_client() {
    let stand_ins = StandIns::new();
    all_clients(&stand_ins);
    let queries = [
        npm("--registry=https://evil.example"),
        pypi("-e"),
        crate_("../x"),
        npm("foo/bar"),
        npm("a\nb"),
    ];
    let report = lookup(&queries, &stand_ins.options());
    assert!(stand_ins.calls().is_empty(), "{:?}", stand_ins.calls());
    assert_eq!(report.warnings.len(), 5);
    assert_eq!(
        report.warnings[4],
        "`npm view a\\nb`: not a valid npm package name; not looked up"
    );
    assert_eq!(
        report.warnings[1],
        "`pip index versions -e`: not a valid Python distribution name (PEP 508); not looked up"
    );
}

#[test]
fn clients_run_in_the_working_dir() {
    let stand_ins = StandIns::new();
    all_clients(&stand_ins);
    std::fs::write(stand_ins.work.join("project-marker"), "").expect("marker");
    let report = lookup(&[crate_("cwd-probe")], &stand_ins.options());
    assert_eq!(report.answers[0].1, exists(None));
}

#[test]
fn cache_answers_within_its_ttl_and_asks_again_after() {
    let stand_ins = StandIns::new();
    all_clients(&stand_ins);
    let opts = LookupOptions {
        cache_dir: Some(stand_ins.cache.clone()),
        ..stand_ins.options()
    };
    let queries = [npm("left-pad"), npm("ghost-pkg"), pypi("requests"), npm("garbled")];
    let first = lookup(&queries, &opts);
    assert_eq!(first.warnings.len(), 1, "{:?}", first.warnings);
    assert_eq!(stand_ins.calls().len(), 4);

    let file = std::fs::read_to_string(stand_ins.cache.join(CACHE_FILE_NAME)).expect("cache file");
    let expected = format!(
        r#"{{
  "entries": {{
    "npm:ghost-pkg": {{
      "checked": {NOW},
      "exists": false
    }},
    "npm:left-pad": {{
      "checked": {NOW},
      "created": "2014-03-21T19:11:57.357Z",
      "exists": true
    }},
    "pypi:requests": {{
      "checked": {NOW},
      "exists": true
    }}
  }},
  "version": 1
}}
"#
    );
    assert_eq!(file, expected, "sorted keys, Unknown not stored");

    // Every client now fails; cached answers still come back, the Unknown
    // one is asked again.
    stand_ins.client("npm", "echo boom >&2; exit 1");
    stand_ins.client("pip", "echo boom >&2; exit 1");
    let later = LookupOptions {
        now: opts.now + Duration::from_secs(3599),
        ..opts.clone()
    };
    let second = lookup(&queries, &later);
    assert_eq!(second.answers[..3], first.answers[..3]);
    assert_eq!(
        second.warnings,
        vec!["`npm view garbled`: npm failed (exit code 1): boom".to_string()]
    );
    assert_eq!(stand_ins.calls().len(), 5, "only the uncached package is asked again");

    // Expired: asked again, and the failures are not cached over the answers.
    let expired = LookupOptions {
        now: opts.now + Duration::from_secs(3600),
        ..opts.clone()
    };
    let third = lookup(&queries, &expired);
    assert_eq!(stand_ins.calls().len(), 9);
    assert!(third
        .answers
        .iter()
        .all(|(_, s)| matches!(s, PackageStatus::Unknown(_))));
    assert_eq!(third.warnings.len(), 4);
    let fourth = lookup(&queries[..1], &later);
    assert_eq!(fourth.answers[0].1, exists(Some("2014-03-21T19:11:57.357Z")));
}

#[test]
fn corrupt_cache_is_reported_ignored_and_rewritten() {
    let stand_ins = StandIns::new();
    all_clients(&stand_ins);
    std::fs::create_dir_all(&stand_ins.cache).expect("cache dir");
    let path = stand_ins.cache.join(CACHE_FILE_NAME);
    std::fs::write(&path, "{\"entries\": {\"npm:left-pad\": [").expect("corrupt cache");
    let opts = LookupOptions {
        cache_dir: Some(stand_ins.cache.clone()),
        ..stand_ins.options()
    };
    let report = lookup(&[npm("left-pad")], &opts);
    assert_eq!(report.answers[0].1, exists(Some("2014-03-21T19:11:57.357Z")));
    assert_eq!(report.warnings.len(), 1);
    assert!(report.warnings[0].starts_with(&format!("{}: package look-up cache is not valid", path.display())));
    assert!(report.warnings[0].ends_with("ignored and rewritten"));
    let rewritten: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("cache file")).expect("valid JSON");
    assert_eq!(
        rewritten["entries"]["npm:left-pad"]["exists"],
        serde_json::Value::Bool(true)
    );
    // Other temporary files are gone.
    let names: Vec<_> = std::fs::read_dir(&stand_ins.cache)
        .expect("cache dir")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from(CACHE_FILE_NAME)]);
}

#[test]
fn now_before_the_epoch_does_not_panic() {
    let stand_ins = StandIns::new();
    all_clients(&stand_ins);
    let opts = LookupOptions {
        now: SystemTime::UNIX_EPOCH - Duration::from_secs(10),
        cache_dir: Some(stand_ins.cache.clone()),
        ..stand_ins.options()
    };
    let report = lookup(&[crate_("serde")], &opts);
    assert_eq!(report.answers[0].1, exists(None));
}
