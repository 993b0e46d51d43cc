//! `setup.cfg` (setuptools' declarative config): `[metadata] name`,
//! `[options] install_requires` / `tests_require` / `setup_requires` /
//! `python_requires` and `[options.extras_require]`.

use crate::paths::dir_of;
use crate::ProblemSink;
use crate::{pep508, python::is_dev_group, requirements, DepKind, DepSource, Dependency, Manifest, ManifestKind};

/// One `key = value` of an INI section; multi-line values keep each line's number.
struct Entry<'a> {
    section: String,
    key: String,
    /// Value pieces with their 1-based line and the byte column where each starts.
    values: Vec<(&'a str, u32, u32)>,
}

/// Reads a `setup.cfg`. It has no syntax errors to speak of: lines that are
/// not `[section]`, `key = value` or an indented continuation are skipped.
pub fn read(text: &str, rel: &str, problems: &mut ProblemSink) -> Manifest {
    let mut m = Manifest {
        kind: Some(ManifestKind::SetupCfg),
        path: rel.to_string(),
        ..Manifest::default()
    };
    let dir = dir_of(rel);
    for entry in entries(text) {
        let first = entry.values.iter().map(|(v, _, _)| *v).find(|v| !v.is_empty());
        match (entry.section.as_str(), entry.key.as_str()) {
            ("metadata", "name") => m.name = first.map(str::to_string),
            ("options", "python_requires") => m.requires_python = first.map(str::to_string),
            ("options", "install_requires") => {
                requirement_values(&entry, DepKind::Normal, None, rel, dir, &mut m, problems)
            }
            ("options", "tests_require") => requirement_values(&entry, DepKind::Dev, None, rel, dir, &mut m, problems),
            ("options", "setup_requires") => {
                requirement_values(&entry, DepKind::Build, None, rel, dir, &mut m, problems)
            }
            ("options.extras_require", extra) => {
                let kind = if is_dev_group(extra) {
                    DepKind::Dev
                } else {
                    DepKind::Normal
                };
                requirement_values(&entry, kind, Some(extra), rel, dir, &mut m, problems);
            }
            _ => {}
        }
    }
    m
}

fn requirement_values(
    entry: &Entry<'_>,
    kind: DepKind,
    extra: Option<&str>,
    rel: &str,
    dir: &str,
    m: &mut Manifest,
    problems: &mut ProblemSink,
) {
    for &(value, line, col) in &entry.values {
        // One line may hold several requirements separated by ';' only in the
        // old single-line form; PEP 508 markers also use ';', so split only
        // when what follows does not look like a marker.
        for (piece, offset) in split_semicolons(value) {
            let lead = piece.len() - piece.trim_start().len();
            let piece = piece.trim();
            if piece.is_empty() || piece.starts_with('#') {
                continue;
            }
            let column = col + u32::try_from(offset + lead).unwrap_or(0);
            match pep508::parse(piece) {
                Ok(r) => m.dependencies.push(Dependency {
                    package: r.name.clone(),
                    name: r.name,
                    kind,
                    optional: extra.is_some(),
                    group: extra.map(str::to_string),
                    source: r.url.map_or(DepSource::Registry, |u| requirements::url_source(&u, dir)),
                    line,
                    column,
                    version: r.version,
                    markers: r.markers,
                    ..Dependency::default()
                }),
                Err(e) => problems.push(rel, line, column, &e),
            }
        }
    }
}

/// Splits `a; b` into requirements, keeping `a; python_version < "3"` whole.
fn split_semicolons(value: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in value.match_indices(';') {
        let after = value[i + 1..].trim_start();
        let is_marker = [
            "python_",
            "sys_platform",
            "platform_",
            "os_name",
            "implementation_",
            "extra",
        ]
        .iter()
        .any(|m| after.starts_with(m));
        if !is_marker {
            out.push((&value[start..i], start));
            start = i + 1;
        }
    }
    out.push((&value[start..], start));
    out
}

fn entries(text: &str) -> Vec<Entry<'_>> {
    let mut out: Vec<Entry<'_>> = Vec::new();
    let mut section = String::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        if indent > 0 {
            if let Some(entry) = out.last_mut().filter(|e| e.section == section) {
                entry.values.push((trimmed, line_no, column_of(indent)));
            }
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            section = name.trim().to_string();
            continue;
        }
        if let Some(sep) = raw.find(['=', ':']) {
            let value = &raw[sep + 1..];
            let lead = value.len() - value.trim_start().len();
            let value = value.trim();
            out.push(Entry {
                section: section.clone(),
                key: raw[..sep].trim().to_string(),
                values: if value.is_empty() {
                    Vec::new()
                } else {
                    vec![(value, line_no, column_of(sep + 1 + lead))]
                },
            });
        }
    }
    out
}

fn column_of(byte: usize) -> u32 {
    u32::try_from(byte + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_options_and_extras() {
        let text = "[metadata]
name = my-pkg

[options]
python_requires = >=3.8
install_requires =
    requests>=2
    # a comment
    importlib-metadata; python_version < \"3.10\"
setup_requires = setuptools_scm
tests_require = pytest; mock

[options.extras_require]
docs =
    sphinx
yaml = PyYAML>=5
";
        let mut sink = ProblemSink::default();
        let m = read(text, "setup.cfg", &mut sink);
        assert!(sink.0.is_empty());
        assert_eq!(m.name.as_deref(), Some("my-pkg"));
        assert_eq!(m.requires_python.as_deref(), Some(">=3.8"));
        let got: Vec<(&str, DepKind, Option<&str>, u32, u32)> = m
            .dependencies
            .iter()
            .map(|d| (d.name.as_str(), d.kind, d.group.as_deref(), d.line, d.column))
            .collect();
        assert_eq!(
            got,
            [
                ("requests", DepKind::Normal, None, 7, 5),
                ("importlib-metadata", DepKind::Normal, None, 9, 5),
                ("setuptools_scm", DepKind::Build, None, 10, 18),
                ("pytest", DepKind::Dev, None, 11, 17),
                ("mock", DepKind::Dev, None, 11, 25),
                ("sphinx", DepKind::Dev, Some("docs"), 15, 5),
                ("PyYAML", DepKind::Normal, Some("yaml"), 16, 8),
            ]
        );
        assert!(m.dependencies[5].optional && !m.dependencies[0].optional);
        assert_eq!(m.dependencies[1].markers.as_deref(), Some("python_version < \"3.10\""));
    }
}
