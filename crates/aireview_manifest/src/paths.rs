//! Project-relative, `/`-separated paths: joining and normalising without the file system.

use std::path::{Path, PathBuf};

/// Folder of a project-relative file path (`""` for the root).
pub fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

/// File name of a project-relative path.
pub fn file_name(rel: &str) -> &str {
    rel.rsplit_once('/').map_or(rel, |(_, f)| f)
}

/// Joins `path` (as written in a manifest, `/` or `\` separated, possibly
/// absolute) onto the project-relative folder `dir` and normalises `.` and
/// `..`. The result is project-relative; it keeps leading `../` when it leaves
/// the project. Absolute paths are returned as written.
pub fn join(dir: &str, path: &str) -> String {
    let path = path.replace('\\', "/");
    if path.starts_with('/') || path.get(1..3) == Some(":/") {
        return path;
    }
    let mut parts: Vec<&str> = Vec::new();
    let mut ups = 0usize;
    for part in dir.split('/').chain(path.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    ups += 1;
                }
            }
            p => parts.push(p),
        }
    }
    let mut out: Vec<&str> = vec![".."; ups];
    out.extend(parts);
    out.join("/")
}

/// Joins a project-relative path onto the root on disk.
pub fn on_disk(root: &Path, rel: &str) -> PathBuf {
    if rel.is_empty() {
        return root.to_path_buf();
    }
    let mut p = root.to_path_buf();
    for part in rel.split('/') {
        p.push(part);
    }
    p
}

/// The project root given a file's absolute path and its project-relative
/// path: `abs` with as many trailing components removed as `rel` has.
pub fn root_of(abs: &Path, rel: &str) -> PathBuf {
    let depth = rel.split(['/', '\\']).filter(|p| !p.is_empty()).count();
    let mut root = abs.to_path_buf();
    for _ in 0..depth {
        if !root.pop() {
            break;
        }
    }
    root
}

/// Makes an absolute path project-relative when it is under `root`.
pub fn relative_to_root(root: &Path, abs: &Path) -> Option<String> {
    let rel = abs.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_normalises() {
        assert_eq!(join("crates/a", "../b"), "crates/b");
        assert_eq!(join("", "./src/*"), "src/*");
        assert_eq!(join("a", "../../x"), "../x");
        assert_eq!(join("a", "."), "a");
        assert_eq!(join("", "."), "");
        assert_eq!(join("a", "/abs/p"), "/abs/p");
        assert_eq!(join("a", "b\\c"), "a/b/c");
    }

    #[test]
    fn finds_the_root_of_a_relative_path() {
        assert_eq!(
            root_of(Path::new("/p/q/web/package.json"), "web/package.json"),
            Path::new("/p/q")
        );
        assert_eq!(dir_of("web/package.json"), "web");
        assert_eq!(file_name("web/package.json"), "package.json");
        assert_eq!(
            relative_to_root(Path::new("/p"), Path::new("/p/a/b")).as_deref(),
            Some("a/b")
        );
        assert_eq!(on_disk(Path::new("/p"), "a/b"), Path::new("/p/a/b"));
    }
}
