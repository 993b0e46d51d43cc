//! Helpers shared by the end-to-end test modules.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize().unwrap()
}

pub fn fixture(name: &str) -> PathBuf {
    workspace().join("fixtures").join(name)
}

/// The binary, isolated from the developer's own user configuration, run
/// in an empty folder outside the repository unless a test says where: the
/// output names files relative to the working folder when the project is
/// inside it, so it must not depend on where cargo runs the tests.
pub fn aireview() -> Command {
    let mut cmd = Command::cargo_bin("aireview").unwrap();
    let empty = std::env::temp_dir().join("aireview-e2e-no-user-config");
    std::fs::create_dir_all(&empty).unwrap();
    let cwd = std::env::temp_dir().join("aireview-e2e-cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    cmd.current_dir(&cwd);
    // The cache is off unless a test turns it on (`env_remove`): the
    // fixtures are not written to.
    cmd.env("XDG_CONFIG_HOME", &empty)
        .env("AIREVIEW_NO_CACHE", "1")
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS");
    cmd
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// stdout, then stderr with the timing in the summary line normalised.
pub fn transcript(r: &Run) -> String {
    let stderr: Vec<String> = r
        .stderr
        .lines()
        .map(|l| match (l.find(" in "), l.find("s: ")) {
            (Some(a), Some(b)) if l.starts_with("Reviewed ") && a < b => {
                format!("{} in [time]{}", &l[..a], &l[b + 1..])
            }
            _ => l.to_string(),
        })
        .collect();
    format!(
        "exit code: {}\n--- stdout\n{}--- stderr\n{}\n",
        r.code,
        r.stdout,
        stderr.join("\n")
    )
}

/// `aireview check PATH --format concise --no-progress EXTRA...`
pub fn check_concise(path: &Path, extra: &[&str]) -> Run {
    run(aireview()
        .arg("check")
        .arg(path)
        .args(["--format", "concise", "--no-progress"])
        .args(extra))
}

/// Snapshot test of `aireview check --format concise` on a fixture project.
#[macro_export]
macro_rules! fixture_snapshot {
    ($test:ident, $name:literal) => {
        #[test]
        fn $test() {
            let r = $crate::common::check_concise(&$crate::common::fixture($name), &[]);
            insta::assert_snapshot!($crate::common::transcript(&r));
        }
    };
}

/// Copies a fixture, without the `.aireview_cache/` that running the
/// README's first command (`check fixtures/slop-python`) leaves in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == ".aireview_cache" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn edit(path: &Path, change: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, change(text)).unwrap();
}

/// A `git` command in `dir`, isolated from the user's and the system's configuration.
pub fn git_command(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com");
    cmd
}

pub fn git(dir: &Path, args: &[&str]) {
    let out = git_command(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
