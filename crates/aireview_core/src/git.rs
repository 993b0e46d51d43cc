//! Change scopes: which files and lines changed, from git. `--staged`
//! reviews what is about to be committed (the staged content of staged
//! files, read from the index); `--diff REV` what changed since a revision,
//! including uncommitted and untracked work. Findings are then kept only
//! where their span touches an added or modified line. The project model is
//! still built from the whole project.
//!
//! This runs the `git` command instead of linking a git library: no heavy
//! extra dependency to build, and the user's git set-up (config, worktrees,
//! `safe.directory`, the index a hook is given in `GIT_INDEX_FILE`) applies
//! exactly as in their shell. Everything that could vary the output format
//! (prefixes, colour, external diff drivers, textconv, quoted paths) is
//! fixed on the command line.

use crate::diagnostic::Diagnostic;
use crate::discover::relative_path;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use thiserror::Error;

/// What to compare.
#[derive(Clone, Copy, Debug)]
pub enum Change<'a> {
    /// The index against `HEAD`.
    Staged,
    /// The working tree against this revision.
    Since(&'a str),
}

#[derive(Debug, Error)]
pub enum GitError {
    #[error("`{0}` is not inside a git repository (--staged and --diff need one)")]
    NotARepository(String),
    #[error("cannot run git: {0}")]
    Spawn(String),
    #[error("unknown revision `{0}`")]
    UnknownRevision(String),
    #[error("git {args} failed: {stderr}")]
    Failed { args: String, stderr: String },
}

/// A whole file counts as changed (untracked files).
const WHOLE_FILE: (u32, u32) = (1, u32::MAX);

#[derive(Clone, Debug)]
pub struct ChangeScope {
    /// The repository's top-level folder.
    pub toplevel: PathBuf,
    /// Changed files by project-relative path: the path relative to the
    /// repository top level, and the added or modified lines (1-based,
    /// inclusive ranges; empty when only lines were deleted).
    pub files: BTreeMap<String, (String, Vec<(u32, u32)>)>,
    /// File content comes from the index.
    pub staged: bool,
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .output()
        .map_err(|e| GitError::Spawn(e.to_string()))?;
    if !out.status.success() {
        return Err(GitError::Failed {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out.stdout)
}

/// NUL-separated names from `-z` output.
fn nul_separated(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect()
}

/// A path as git prints it in a patch header: C-quoted when it holds
/// special characters (`"a\tb"`, octal escapes for bytes).
fn unquote(path: &str) -> String {
    let Some(inner) = path.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return path.to_string();
    };
    let mut bytes = Vec::new();
    let mut chars = inner.bytes().peekable();
    while let Some(b) = chars.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'r') => bytes.push(b'\r'),
            Some(b'a') => bytes.push(7),
            Some(b'b') => bytes.push(8),
            Some(b'f') => bytes.push(12),
            Some(b'v') => bytes.push(11),
            Some(d @ b'0'..=b'7') => {
                let mut value = u32::from(d - b'0');
                for _ in 0..2 {
                    match chars.peek() {
                        Some(&o @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(o - b'0');
                            chars.next();
                        }
                        _ => break,
                    }
                }
                bytes.push(value as u8);
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The added or modified lines per file of a `-U0` patch (paths relative
/// to the top level).
fn added_lines(patch: &str) -> BTreeMap<String, Vec<(u32, u32)>> {
    let mut out: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in patch.lines() {
        if let Some(name) = line.strip_prefix("+++ ") {
            let name = unquote(name.trim_end_matches('\t'));
            current = name.strip_prefix("b/").map(str::to_string);
            if let Some(c) = &current {
                out.entry(c.clone()).or_default();
            }
        } else if let (Some(hunk), Some(file)) = (line.strip_prefix("@@ "), &current) {
            // `@@ -a,b +c,d @@`: d lines from line c (d defaults to 1).
            let Some(new) = hunk.split(' ').find_map(|part| part.strip_prefix('+')) else {
                continue;
            };
            let mut nums = new.splitn(2, ',').map(|n| n.parse::<u32>().ok());
            let (Some(Some(start)), count) = (nums.next(), nums.next()) else {
                continue;
            };
            let count = count.flatten().unwrap_or(1);
            if count > 0 {
                if let Some(ranges) = out.get_mut(file) {
                    ranges.push((start, start + count - 1));
                }
            }
        }
    }
    out
}

/// The changes in the repository around `root` (the project root), as project-relative paths.
pub fn change_scope(root: &Path, change: Change<'_>) -> Result<ChangeScope, GitError> {
    let top = git(root, &["rev-parse", "--show-toplevel"])
        .map_err(|_| GitError::NotARepository(root.display().to_string()))?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']));
    let toplevel = top.canonicalize().unwrap_or(top);
    let diff_args = [
        "diff",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--find-renames",
        "--diff-filter=d",
        "--src-prefix=a/",
        "--dst-prefix=b/",
    ];
    let (against, untracked): (Vec<String>, Vec<String>) = match change {
        Change::Staged => (vec!["--cached".into()], Vec::new()),
        Change::Since(rev) => {
            let spec = format!("{rev}^{{commit}}");
            let commit = git(
                &toplevel,
                &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec],
            )
            .map_err(|_| GitError::UnknownRevision(rev.to_string()))?;
            let commit = String::from_utf8_lossy(&commit).trim().to_string();
            let others = git(&toplevel, &["ls-files", "--others", "--exclude-standard", "-z"])?;
            (vec![commit], nul_separated(&others))
        }
    };
    let with = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = diff_args.iter().map(|s| s.to_string()).collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args.extend(against.iter().cloned());
        args.push("--".into());
        args
    };
    let run = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        git(&toplevel, &refs)
    };
    // The two diffs side by side: each is mostly git's start-up.
    let (names, patch) = std::thread::scope(|s| {
        let names = s.spawn(|| run(with(&["--name-only", "-z"])));
        let patch = run(with(&["-U0"]));
        let names = names.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (names, patch)
    });
    let names = nul_separated(&names?);
    let patch = patch?;
    let mut lines = added_lines(&String::from_utf8_lossy(&patch));
    let mut files = BTreeMap::new();
    let changed = names
        .into_iter()
        .map(|n| {
            let ranges = lines.remove(&n).unwrap_or_default();
            (n, ranges)
        })
        .chain(untracked.into_iter().map(|n| (n, vec![WHOLE_FILE])));
    for (git_path, ranges) in changed {
        if let Some(rel) = relative_path(root, &toplevel.join(&git_path)).filter(|r| !r.is_empty()) {
            files.insert(rel, (git_path, ranges));
        }
    }
    Ok(ChangeScope {
        toplevel,
        files,
        staged: matches!(change, Change::Staged),
    })
}

/// The folder git runs hooks from, for the repository around `dir`.
pub fn hooks_dir(dir: &Path) -> Result<PathBuf, GitError> {
    let out = git(dir, &["rev-parse", "--git-path", "hooks"])
        .map_err(|_| GitError::NotARepository(dir.display().to_string()))?;
    Ok(dir.join(String::from_utf8_lossy(&out).trim_end_matches(['\n', '\r'])))
}

impl ChangeScope {
    /// The finding's file changed and (with `lines_only`) its span touches
    /// an added or modified line.
    pub fn touches(&self, d: &Diagnostic, lines_only: bool) -> bool {
        let Some((_, ranges)) = self.files.get(&d.path) else {
            return false;
        };
        !lines_only
            || ranges
                .iter()
                .any(|&(a, b)| d.span.start_line <= b && a <= d.span.end_line.max(d.span.start_line))
    }

    /// The staged content of a changed file, when this is a `--staged`
    /// scope (its size is checked when it is decoded).
    pub fn staged_content(&self, rel: &str) -> Option<Result<Vec<u8>, String>> {
        if !self.staged {
            return None;
        }
        let (git_path, _) = self.files.get(rel)?;
        let spec = format!(":{git_path}");
        Some(git(&self.toplevel, &["show", &spec]).map_err(|e| format!("cannot read the staged content: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_give_added_lines() {
        let patch = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,0 +2,3 @@ def f():\n+x\n@@ -9 +12 @@\n-y\n+z\n@@ -20,2 +22,0 @@\n-gone\n\
                     diff --git a/old.py b/old.py\n--- a/old.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n\
                     diff --git \"a/t\\tb.py\" \"b/t\\tb.py\"\n+++ \"b/t\\tb.py\"\n@@ -0,0 +1 @@\n+x\n";
        let lines = added_lines(patch);
        assert_eq!(lines["a.py"], vec![(2, 4), (12, 12)]);
        assert_eq!(lines["t\tb.py"], vec![(1, 1)]);
        assert!(!lines.contains_key("old.py"));
    }

    #[test]
    fn unquotes_c_style_paths() {
        assert_eq!(unquote("\"caf\\303\\251.py\""), "café.py");
        assert_eq!(unquote("\"a\\\"b\""), "a\"b");
        assert_eq!(unquote("plain.py"), "plain.py");
    }
}
