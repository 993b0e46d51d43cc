//! pip requirements files (`requirements*.txt`, `*.in`, `requirements/*.txt`):
//! requirement lines, editable and URL lines, and `-r`/`-c` includes. The
//! includes are followed by the project reader, which knows the file system.

use crate::paths::{dir_of, file_name, join};
use crate::position::line_col;
use crate::{pep508, DepKind, DepSource, Dependency, ManifestProblem};

/// What one requirements file says by itself.
#[derive(Debug, Default)]
pub struct RequirementsFile {
    /// Declared dependencies. A local path without a name (`-e ./lib`) has an
    /// empty `name` and a `Path` source: the caller names it from the target's metadata.
    pub dependencies: Vec<Dependency>,
    pub includes: Vec<Include>,
    pub problems: Vec<ManifestProblem>,
}

/// A `-r` (requirements) or `-c` (constraints) reference.
#[derive(Debug, PartialEq, Eq)]
pub struct Include {
    /// Project-relative path of the referenced file.
    pub path: String,
    pub constraint: bool,
    pub line: u32,
    pub column: u32,
}

/// Whether a requirements file is for development (its name, or its folder's
/// file stem inside `requirements/`, names dev, test, lint, docs, ...).
pub fn is_dev_file(rel: &str) -> bool {
    let name = file_name(rel);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.split(|c: char| !c.is_ascii_alphanumeric()).any(|t| {
        matches!(
            t.to_ascii_lowercase().as_str(),
            "dev"
                | "develop"
                | "development"
                | "test"
                | "tests"
                | "testing"
                | "lint"
                | "linting"
                | "docs"
                | "doc"
                | "typing"
                | "mypy"
                | "ci"
                | "coverage"
                | "style"
                | "qa"
        )
    })
}

/// Parses a requirements file's text.
pub fn parse(text: &str, rel: &str) -> RequirementsFile {
    let dir = dir_of(rel);
    let kind = if is_dev_file(rel) {
        DepKind::Dev
    } else {
        DepKind::Normal
    };
    let mut out = RequirementsFile::default();
    for line in logical_lines(text) {
        let content = strip_comment(&line.text);
        let trimmed = content.trim();
        if trimmed.is_empty() {
            continue;
        }
        let lead = content.len() - content.trim_start().len();
        let at = |offset_in_line: usize| line_col(text, line.offset_of(offset_in_line));
        if trimmed.starts_with('-') {
            let Some((option, value, value_at)) = split_option(trimmed) else {
                continue;
            };
            let value_at = lead + value_at;
            match option {
                "-r" | "--requirement" | "-c" | "--constraint" => {
                    let (l, c) = at(value_at);
                    out.includes.push(Include {
                        path: join(dir, value),
                        constraint: option.contains('c'),
                        line: l,
                        column: c,
                    });
                }
                "-e" | "--editable" => {
                    let (l, c) = at(value_at);
                    out.dependencies.push(located_dep(value, dir, kind, l, c));
                }
                _ => {}
            }
            continue;
        }
        let requirement = strip_requirement_options(trimmed);
        if looks_like_location(requirement) {
            let (l, c) = at(lead);
            out.dependencies.push(located_dep(requirement, dir, kind, l, c));
            continue;
        }
        match pep508::parse(requirement) {
            Ok(r) => {
                let (l, c) = at(lead + r.name_offset);
                out.dependencies.push(Dependency {
                    package: r.name.clone(),
                    name: r.name,
                    kind,
                    source: r.url.map_or(DepSource::Registry, |u| url_source(&u, dir)),
                    line: l,
                    column: c,
                    version: r.version,
                    markers: r.markers,
                    ..Dependency::default()
                });
            }
            Err(e) => {
                let (l, c) = at(lead);
                out.problems.push(ManifestProblem {
                    path: rel.to_string(),
                    message: format!("line {l}, column {c}: {e}"),
                    line: l,
                    column: c,
                });
            }
        }
    }
    out
}

/// A line after joining `\` continuations, with where its pieces came from.
struct LogicalLine {
    text: String,
    /// (offset in `text`, offset in the file) for each physical piece.
    pieces: Vec<(usize, usize)>,
}

impl LogicalLine {
    fn offset_of(&self, i: usize) -> usize {
        let (start, file_offset) = self
            .pieces
            .iter()
            .rev()
            .find(|(s, _)| *s <= i)
            .copied()
            .unwrap_or((0, 0));
        file_offset + (i - start)
    }
}

fn logical_lines(text: &str) -> Vec<LogicalLine> {
    let mut out = Vec::new();
    let mut current: Option<LogicalLine> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let physical = raw.trim_end_matches(['\n', '\r']);
        let (piece, continues) = match physical.strip_suffix('\\') {
            Some(p) => (p, true),
            None => (physical, false),
        };
        let line = current.get_or_insert_with(|| LogicalLine {
            text: String::new(),
            pieces: Vec::new(),
        });
        line.pieces.push((line.text.len(), offset));
        line.text.push_str(piece);
        if !continues {
            out.extend(current.take());
        }
        offset += raw.len();
    }
    out.extend(current);
    out
}

/// Drops a `#` comment: at the start or after whitespace (URL fragments have none before them).
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

/// Splits `-r file`, `-rfile`, `--requirement=file`; returns option, value and the value's offset.
fn split_option(line: &str) -> Option<(&str, &str, usize)> {
    let (option, rest_at) = if line.starts_with("--") {
        let end = line.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(line.len());
        (&line[..end], end)
    } else {
        (line.get(..2)?, 2)
    };
    let rest = &line[rest_at..];
    let skipped = rest.len() - rest.trim_start_matches(|c: char| c == '=' || c.is_whitespace()).len();
    let value = rest[skipped..].trim_end();
    Some((option, value, rest_at + skipped))
}

/// Cuts per-requirement options (`--hash=...`, `--config-settings ...`) off a requirement line.
fn strip_requirement_options(line: &str) -> &str {
    let bytes = line.as_bytes();
    for i in 1..bytes.len() {
        if bytes[i] == b'-' && bytes[i - 1].is_ascii_whitespace() && bytes.get(i + 1) == Some(&b'-') {
            return line[..i].trim_end();
        }
    }
    line
}

/// A URL, VCS reference or local path rather than a named requirement.
fn looks_like_location(s: &str) -> bool {
    let first = s.split_whitespace().next().unwrap_or("");
    if first.contains(" @ ") || s.split_whitespace().nth(1) == Some("@") {
        return false;
    }
    first.contains("://")
        || first.starts_with(['.', '/', '~'])
        || [".whl", ".tar.gz", ".zip", ".tar.bz2"]
            .iter()
            .any(|e| first.ends_with(e))
}

/// A dependency given by location: its name comes from `#egg=`, a wheel or
/// sdist file name, or a Git repository name; local folders stay unnamed.
pub fn located_dep(location: &str, dir: &str, kind: DepKind, line: u32, column: u32) -> Dependency {
    let location = location.split_whitespace().next().unwrap_or("");
    let (without_fragment, fragment) = location.split_once('#').unwrap_or((location, ""));
    let egg = fragment
        .split('&')
        .find_map(|p| p.strip_prefix("egg="))
        .map(|e| e.split('[').next().unwrap_or(e).to_string());
    // `.[dev]` and `./pkg[extra]`: the extras are not part of the location.
    let base = match without_fragment.find('[') {
        Some(i) if !without_fragment.contains("://") => &without_fragment[..i],
        _ => without_fragment,
    };
    let source = url_source(base, dir);
    let name = egg
        .or_else(|| archive_name(base))
        .or_else(|| match &source {
            DepSource::Git(url) => url.rsplit('/').next().map(|r| r.trim_end_matches(".git").to_string()),
            _ => None,
        })
        .unwrap_or_default();
    Dependency {
        package: name.clone(),
        name,
        kind,
        source,
        line,
        column,
        ..Dependency::default()
    }
}

/// Distribution name of a wheel (`name-ver-...whl`) or sdist (`name-1.0.tar.gz`) file.
fn archive_name(location: &str) -> Option<String> {
    let file = location.rsplit('/').next()?;
    if let Some(stem) = file.strip_suffix(".whl") {
        return stem.split('-').next().map(str::to_string);
    }
    let stem = [".tar.gz", ".zip", ".tar.bz2"]
        .iter()
        .find_map(|e| file.strip_suffix(e))?;
    stem.rsplit_once('-').map(|(n, _)| n.to_string())
}

/// The source of a URL or path as written in a requirement.
pub fn url_source(location: &str, dir: &str) -> DepSource {
    if let Some(rest) = location.strip_prefix("git+") {
        return DepSource::Git(without_revision(&crate::cargo::clean_git_url(rest)).to_string());
    }
    if let Some(path) = location.strip_prefix("file://") {
        return DepSource::Path(join(dir, path));
    }
    if location.contains("://") {
        return DepSource::Url(location.to_string());
    }
    DepSource::Path(join(dir, location))
}

/// `https://host/o/repo.git@v1.0` without `@v1.0`; an `@` in the authority (`ssh://git@host`) stays.
fn without_revision(url: &str) -> &str {
    let path_start = url.find("://").map_or(0, |i| i + 3);
    let path_start = url[path_start..].find('/').map_or(url.len(), |i| path_start + i);
    match url[path_start..].rfind('@') {
        Some(i) => &url[..path_start + i],
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# app deps
requests[socks]>=2.0 ; python_version >= \"3.8\"  # http
--index-url https://pypi.example/simple
-r base.txt
--requirement=../shared/common.txt
-c constraints.txt
flask==2.* \\
    --hash=sha256:abc
-e git+https://github.com/o/proj.git@v1.0#egg=proj-core&subdirectory=src
-e ./libs/local[extra]
https://files.example/pkgs/some_pkg-1.2.3-py3-none-any.whl
Django @ https://files.example/django.zip
  numpy  # indented
not valid!
";

    #[test]
    fn reads_requirement_lines_and_includes() {
        let f = parse(TEXT, "app/requirements.txt");
        let names: Vec<&str> = f.dependencies.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            ["requests", "flask", "proj-core", "", "some_pkg", "Django", "numpy"]
        );
        let d = &f.dependencies;
        assert_eq!((d[0].line, d[0].column), (2, 1));
        assert_eq!(d[0].markers.as_deref(), Some("python_version >= \"3.8\""));
        assert_eq!(d[1].version.as_deref(), Some("==2.*"));
        assert_eq!(d[2].source, DepSource::Git("https://github.com/o/proj.git".into()));
        assert_eq!((d[2].line, d[2].column), (9, 4));
        assert_eq!(d[3].source, DepSource::Path("app/libs/local".into()));
        assert_eq!(d[5].source, DepSource::Url("https://files.example/django.zip".into()));
        assert_eq!((d[6].line, d[6].column), (13, 3));
        assert!(d.iter().all(|d| d.kind == DepKind::Normal));
        assert_eq!(
            f.includes,
            [
                Include {
                    path: "app/base.txt".into(),
                    constraint: false,
                    line: 4,
                    column: 4
                },
                Include {
                    path: "shared/common.txt".into(),
                    constraint: false,
                    line: 5,
                    column: 15
                },
                Include {
                    path: "app/constraints.txt".into(),
                    constraint: true,
                    line: 6,
                    column: 4
                },
            ]
        );
        assert_eq!(f.problems.len(), 1);
        assert!(
            f.problems[0].message.starts_with("line 14, column 1: "),
            "{}",
            f.problems[0].message
        );
    }

    #[test]
    fn dev_files_by_name() {
        assert!(is_dev_file("requirements-dev.txt"));
        assert!(is_dev_file("dev-requirements.txt"));
        assert!(is_dev_file("requirements/test.in"));
        assert!(is_dev_file("requirements_docs.txt"));
        assert!(!is_dev_file("requirements.txt"));
        assert!(!is_dev_file("requirements/base.txt"));
        assert!(!is_dev_file("requirements/prod.txt"));
        assert_eq!(
            parse("pytest\n", "requirements-test.txt").dependencies[0].kind,
            DepKind::Dev
        );
    }

    #[test]
    fn names_archives_and_repositories() {
        assert_eq!(
            archive_name("https://x/y/pkg_name-1.0.tar.gz").as_deref(),
            Some("pkg_name")
        );
        assert_eq!(archive_name("./dist/foo-2.0-py3-none-any.whl").as_deref(), Some("foo"));
        let d = located_dep("git+https://github.com/o/repo.git@main", "", DepKind::Normal, 1, 1);
        assert_eq!(d.name, "repo");
        assert_eq!(d.source, DepSource::Git("https://github.com/o/repo.git".into()));
        let d = located_dep("git+ssh://git@github.com/o/r2#egg=r2", "", DepKind::Normal, 1, 1);
        assert_eq!(d.source, DepSource::Git("ssh://git@github.com/o/r2".into()));
        assert_eq!(
            url_source("hg+https://x/y", ""),
            DepSource::Url("hg+https://x/y".into())
        );
    }
}
