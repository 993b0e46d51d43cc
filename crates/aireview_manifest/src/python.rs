//! `pyproject.toml`: PEP 621 `[project]`, PEP 735 `[dependency-groups]`,
//! Poetry, PDM and uv declarations, and `requires-python`.

use crate::paths::{dir_of, join};
use crate::toml_source::{self, entries, Value};
use crate::{normalize_python_name, pep508, requirements, DepKind, DepSource, Dependency, Manifest, ManifestKind};
use crate::{ManifestProblem, ProblemSink};
use toml::de::DeTable;

/// A requirements file that `[tool.setuptools.dynamic]` names as the source of
/// `dependencies` or of one extra of `optional-dependencies`.
#[derive(Debug, PartialEq, Eq)]
pub struct DynamicFile {
    /// Project-relative path.
    pub path: String,
    /// The extra, when it feeds `optional-dependencies`.
    pub extra: Option<String>,
}

/// What the pyproject says, plus the requirements files it defers to.
pub struct Pyproject {
    pub manifest: Manifest,
    pub dynamic_files: Vec<DynamicFile>,
}

/// Extras and groups whose names mark development-only dependencies.
pub fn is_dev_group(name: &str) -> bool {
    matches!(
        normalize_python_name(name).as_str(),
        "test"
            | "tests"
            | "testing"
            | "dev"
            | "develop"
            | "development"
            | "docs"
            | "doc"
            | "lint"
            | "linting"
            | "typing"
            | "mypy"
            | "coverage"
    )
}

/// Reads a `pyproject.toml`. Requirement strings that do not parse are problems; the rest is kept.
pub fn read(text: &str, rel: &str, problems: &mut ProblemSink) -> Result<Pyproject, ManifestProblem> {
    let doc = toml_source::parse(text, rel)?;
    let mut reader = Reader {
        text,
        rel,
        dir: dir_of(rel),
        problems,
        deps: Vec::new(),
    };
    let mut m = Manifest {
        kind: Some(ManifestKind::Pyproject),
        path: rel.to_string(),
        name: toml_source::str_at(&doc, &["project", "name"])
            .or_else(|| toml_source::str_at(&doc, &["tool", "poetry", "name"]))
            .map(str::to_string),
        requires_python: toml_source::str_at(&doc, &["project", "requires-python"])
            .or_else(|| toml_source::str_at(&doc, &["tool", "poetry", "dependencies", "python"]))
            .map(str::to_string),
        ..Manifest::default()
    };
    if let Some(v) = toml_source::at(&doc, &["build-system", "requires"]) {
        m.build_requires = toml_source::strings(v)
            .into_iter()
            .filter_map(|(s, _)| crate::pep508::parse(s).ok())
            .map(|r| normalize_python_name(&r.name))
            .collect();
    }
    if let Some(v) = toml_source::at(&doc, &["project", "dependencies"]) {
        reader.requirement_list(v, DepKind::Normal, None, false);
    }
    if let Some(extras) = toml_source::table_at(&doc, &["project", "optional-dependencies"]) {
        for (extra, v) in entries(extras) {
            let kind = if is_dev_group(extra.get_ref()) {
                DepKind::Dev
            } else {
                DepKind::Normal
            };
            reader.requirement_list(v, kind, Some(extra.get_ref()), true);
        }
    }
    if let Some(groups) = toml_source::table_at(&doc, &["dependency-groups"]) {
        reader.dependency_groups(groups);
    }
    reader.poetry(&doc);
    if let Some(groups) = toml_source::table_at(&doc, &["tool", "pdm", "dev-dependencies"]) {
        for (group, v) in entries(groups) {
            reader.requirement_list(v, DepKind::Dev, Some(group.get_ref()), false);
        }
    }
    if let Some(v) = toml_source::at(&doc, &["tool", "uv", "dev-dependencies"]) {
        reader.requirement_list(v, DepKind::Dev, Some("dev"), false);
    }
    if let Some(sources) = toml_source::table_at(&doc, &["tool", "uv", "sources"]) {
        reader.apply_uv_sources(sources);
    }
    if let Some(members) = toml_source::at(&doc, &["tool", "uv", "workspace", "members"]) {
        m.is_workspace = true;
        m.workspace_members = toml_source::strings(members)
            .into_iter()
            .map(|(s, _)| s.to_string())
            .collect();
    }
    let mut dynamic_files = Vec::new();
    let dynamic = |path: &[&str]| toml_source::at(&doc, path).and_then(|v| v.get_ref().as_table()?.get("file"));
    if let Some(files) = dynamic(&["tool", "setuptools", "dynamic", "dependencies"]) {
        dynamic_files.extend(file_list(files).into_iter().map(|f| DynamicFile {
            path: join(reader.dir, &f),
            extra: None,
        }));
    }
    if let Some(extras) = toml_source::table_at(&doc, &["tool", "setuptools", "dynamic", "optional-dependencies"]) {
        for (extra, spec) in entries(extras) {
            if let Some(files) = spec.get_ref().as_table().and_then(|t| t.get("file")) {
                dynamic_files.extend(file_list(files).into_iter().map(|f| DynamicFile {
                    path: join(reader.dir, &f),
                    extra: Some(extra.get_ref().to_string()),
                }));
            }
        }
    }
    m.dependencies = reader.deps;
    m.dependencies.sort_by_key(|d| (d.line, d.column));
    Ok(Pyproject {
        manifest: m,
        dynamic_files,
    })
}

/// `file = "a.txt"` or `file = ["a.txt", "b.txt"]`.
fn file_list(value: &Value<'_>) -> Vec<String> {
    match value.get_ref().as_str() {
        Some(s) => vec![s.to_string()],
        None => toml_source::strings(value)
            .into_iter()
            .map(|(s, _)| s.to_string())
            .collect(),
    }
}

struct Reader<'a> {
    text: &'a str,
    rel: &'a str,
    dir: &'a str,
    problems: &'a mut ProblemSink,
    deps: Vec<Dependency>,
}

impl Reader<'_> {
    /// An array of PEP 508 strings (PDM also allows `-e` entries).
    fn requirement_list(&mut self, value: &Value<'_>, kind: DepKind, group: Option<&str>, optional: bool) {
        for (s, quote) in toml_source::strings(value) {
            self.requirement(s, quote, kind, group, optional);
        }
    }

    fn requirement(&mut self, s: &str, quote: usize, kind: DepKind, group: Option<&str>, optional: bool) {
        if let Some(location) = s.trim_start().strip_prefix("-e").map(str::trim_start) {
            let offset = s.len() - location.len();
            let (line, column) = toml_source::string_position(self.text, quote, offset);
            let mut dep = requirements::located_dep(location, self.dir, kind, line, column);
            if dep.name.is_empty() {
                return;
            }
            dep.group = group.map(str::to_string);
            dep.optional = optional;
            self.deps.push(dep);
            return;
        }
        match pep508::parse(s) {
            Ok(r) => {
                let (line, column) = toml_source::string_position(self.text, quote, r.name_offset);
                self.deps.push(Dependency {
                    package: r.name.clone(),
                    name: r.name,
                    kind,
                    optional,
                    group: group.map(str::to_string),
                    source: r
                        .url
                        .map_or(DepSource::Registry, |u| requirements::url_source(&u, self.dir)),
                    line,
                    column,
                    version: r.version,
                    markers: r.markers,
                    ..Dependency::default()
                });
            }
            Err(e) => {
                let (line, column) = toml_source::string_position(self.text, quote, 0);
                self.problems.push(self.rel, line, column, &e);
            }
        }
    }

    /// PEP 735: strings and `{include-group = "..."}` tables. Included groups
    /// are read under their own name; a missing one is a problem.
    fn dependency_groups(&mut self, groups: &DeTable<'_>) {
        for (group, v) in entries(groups) {
            let Some(items) = v.get_ref().as_array() else { continue };
            for item in items.iter() {
                if let Some(s) = item.get_ref().as_str() {
                    self.requirement(s, item.span().start, DepKind::Dev, Some(group.get_ref()), false);
                } else if let Some(include) = item.get_ref().as_table().and_then(|t| t.get("include-group")) {
                    let name = include.get_ref().as_str().unwrap_or("");
                    let known = groups
                        .iter()
                        .any(|(g, _)| normalize_python_name(g.get_ref()) == normalize_python_name(name));
                    if !known {
                        let (line, column) = toml_source::string_position(self.text, include.span().start, 0);
                        self.problems.push(
                            self.rel,
                            line,
                            column,
                            &format!("include-group {name:?} is not a dependency group"),
                        );
                    }
                }
            }
        }
    }

    fn poetry(&mut self, doc: &DeTable<'_>) {
        let extras_of = |dep: &str| -> Option<String> {
            let extras = toml_source::table_at(doc, &["tool", "poetry", "extras"])?;
            entries(extras).into_iter().find_map(|(extra, list)| {
                toml_source::strings(list)
                    .iter()
                    .any(|(d, _)| normalize_python_name(d) == normalize_python_name(dep))
                    .then(|| extra.get_ref().to_string())
            })
        };
        if let Some(table) = toml_source::table_at(doc, &["tool", "poetry", "dependencies"]) {
            self.poetry_table(table, DepKind::Normal, None, &extras_of);
        }
        if let Some(table) = toml_source::table_at(doc, &["tool", "poetry", "dev-dependencies"]) {
            self.poetry_table(table, DepKind::Dev, Some("dev"), &extras_of);
        }
        if let Some(groups) = toml_source::table_at(doc, &["tool", "poetry", "group"]) {
            for (group, g) in entries(groups) {
                let Some(table) = g.get_ref().as_table().and_then(|t| t.get("dependencies")) else {
                    continue;
                };
                let Some(table) = table.get_ref().as_table() else {
                    continue;
                };
                let kind = if group.get_ref() == "main" {
                    DepKind::Normal
                } else {
                    DepKind::Dev
                };
                self.poetry_table(table, kind, Some(group.get_ref()), &extras_of);
            }
        }
    }

    fn poetry_table(
        &mut self,
        table: &DeTable<'_>,
        kind: DepKind,
        group: Option<&str>,
        extras_of: &dyn Fn(&str) -> Option<String>,
    ) {
        for (key, value) in entries(table) {
            let name = key.get_ref().to_string();
            if name == "python" {
                continue;
            }
            let (line, column) = toml_source::key_position(self.text, key.span().start);
            let mut dep = Dependency {
                package: name.clone(),
                name,
                kind,
                group: group.map(str::to_string),
                line,
                column,
                ..Dependency::default()
            };
            // A list of constraints (per Python version or platform): the first one speaks for the source.
            let spec = match value.get_ref().as_array() {
                Some(a) => a.iter().next().map(|v| v.get_ref()),
                None => Some(value.get_ref()),
            };
            if let Some(version) = spec.and_then(|s| s.as_str()) {
                dep.version = Some(version.to_string());
            } else if let Some(t) = spec.and_then(|s| s.as_table()) {
                let s = |k: &str| t.get(k).and_then(|v| v.get_ref().as_str());
                dep.version = s("version").map(str::to_string);
                dep.markers = s("markers").map(str::to_string);
                dep.optional = t.get("optional").and_then(|v| v.get_ref().as_bool()).unwrap_or(false);
                if let Some(p) = s("path") {
                    dep.source = DepSource::Path(join(self.dir, p));
                } else if let Some(g) = s("git") {
                    dep.source = DepSource::Git(crate::cargo::clean_git_url(g));
                } else if let Some(u) = s("url") {
                    dep.source = DepSource::Url(u.to_string());
                }
            }
            if dep.optional && dep.group.is_none() {
                dep.group = extras_of(&dep.name);
            }
            self.deps.push(dep);
        }
    }

    /// `[tool.uv.sources]`: where a declared dependency really comes from.
    fn apply_uv_sources(&mut self, sources: &DeTable<'_>) {
        for (name, spec) in entries(sources) {
            let Some(t) = spec.get_ref().as_table() else { continue };
            let s = |k: &str| t.get(k).and_then(|v| v.get_ref().as_str());
            let source = if let Some(p) = s("path") {
                DepSource::Path(join(self.dir, p))
            } else if let Some(g) = s("git") {
                DepSource::Git(crate::cargo::clean_git_url(g))
            } else if let Some(u) = s("url") {
                DepSource::Url(u.to_string())
            } else {
                continue;
            };
            let wanted = normalize_python_name(name.get_ref());
            for dep in self
                .deps
                .iter_mut()
                .filter(|d| normalize_python_name(&d.name) == wanted)
            {
                dep.source = source.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(text: &str) -> (Pyproject, ProblemSink) {
        let mut sink = ProblemSink::default();
        let p = read(text, "pyproject.toml", &mut sink).unwrap();
        (p, sink)
    }

    #[test]
    fn reads_pep_621_and_735() {
        let (p, sink) = read_ok(
            r#"[project]
name = "app"
requires-python = ">=3.9"
dependencies = [
    "requests[socks]>=2",
    "tomli; python_version < '3.11'",
    "mylib @ git+https://github.com/o/mylib.git@v1",
    "not a req!",
]
[project.optional-dependencies]
test = ["pytest>=7"]
fast = ["orjson"]
[dependency-groups]
lint = ["ruff"]
ci = [{include-group = "lint"}, {include-group = "missing"}, "tox"]
"#,
        );
        let m = &p.manifest;
        assert_eq!(m.name.as_deref(), Some("app"));
        assert_eq!(m.requires_python.as_deref(), Some(">=3.9"));
        let d = |n: &str| {
            m.dependencies
                .iter()
                .find(|d| d.name == n)
                .unwrap_or_else(|| panic!("{n}"))
        };
        assert_eq!((d("requests").line, d("requests").column), (5, 6));
        assert_eq!(d("tomli").markers.as_deref(), Some("python_version < '3.11'"));
        assert_eq!(
            d("mylib").source,
            DepSource::Git("https://github.com/o/mylib.git".into())
        );
        assert_eq!(
            (d("pytest").kind, d("pytest").optional, d("pytest").group.as_deref()),
            (DepKind::Dev, true, Some("test"))
        );
        assert_eq!((d("orjson").kind, d("orjson").optional), (DepKind::Normal, true));
        assert_eq!(
            (d("ruff").kind, d("ruff").group.as_deref()),
            (DepKind::Dev, Some("lint"))
        );
        assert_eq!(d("tox").group.as_deref(), Some("ci"));
        let messages: Vec<&str> = sink.0.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.starts_with("line 8, column 6: ")));
        assert!(messages.iter().any(|m| m.contains("\"missing\"")));
    }

    #[test]
    fn reads_poetry_pdm_and_uv() {
        let (p, sink) = read_ok(
            r#"[tool.poetry]
name = "poet"
[tool.poetry.dependencies]
python = "^3.10"
Flask = "^3.0"
local = { path = "../local", develop = true }
fancy = { version = "^1", optional = true }
multi = [{ version = "1", python = "<3.11" }, { version = "2", python = ">=3.11" }]
[tool.poetry.extras]
speed = ["fancy"]
[tool.poetry.dev-dependencies]
black = "*"
[tool.poetry.group.test.dependencies]
pytest = "^8"
[tool.poetry.group.main.dependencies]
click = "*"
[tool.pdm.dev-dependencies]
docs = ["mkdocs", "-e file:///${PROJECT_ROOT}/sub#egg=subpkg"]
[tool.uv]
dev-dependencies = ["mypy"]
[tool.uv.sources]
mypy = { git = "https://github.com/python/mypy" }
[tool.uv.workspace]
members = ["packages/*"]
"#,
        );
        assert!(sink.0.is_empty(), "{:?}", sink.0);
        let m = &p.manifest;
        assert_eq!(m.name.as_deref(), Some("poet"));
        assert_eq!(m.requires_python.as_deref(), Some("^3.10"));
        assert!(m.is_workspace && m.workspace_members == ["packages/*"]);
        let d = |n: &str| {
            m.dependencies
                .iter()
                .find(|d| d.name == n)
                .unwrap_or_else(|| panic!("{n}"))
        };
        assert!(m.dependencies.iter().all(|d| d.name != "python"));
        assert_eq!(
            (d("Flask").line, d("Flask").column, d("Flask").kind),
            (5, 1, DepKind::Normal)
        );
        assert_eq!(d("local").source, DepSource::Path("../local".into()));
        assert_eq!(
            (d("fancy").optional, d("fancy").group.as_deref()),
            (true, Some("speed"))
        );
        assert_eq!(d("multi").version.as_deref(), Some("1"));
        assert_eq!(
            (d("black").kind, d("black").group.as_deref()),
            (DepKind::Dev, Some("dev"))
        );
        assert_eq!(
            (d("pytest").kind, d("pytest").group.as_deref()),
            (DepKind::Dev, Some("test"))
        );
        assert_eq!(d("click").kind, DepKind::Normal);
        assert_eq!(
            (d("mkdocs").kind, d("mkdocs").group.as_deref()),
            (DepKind::Dev, Some("docs"))
        );
        assert_eq!(d("subpkg").kind, DepKind::Dev);
        assert_eq!(
            d("mypy").source,
            DepSource::Git("https://github.com/python/mypy".into())
        );
    }

    #[test]
    fn names_dynamic_requirement_files() {
        let (p, _) = read_ok(
            "[project]\nname = 'd'\ndynamic = ['dependencies']\n[tool.setuptools.dynamic]\ndependencies = { file = ['requirements.in'] }\noptional-dependencies.dev = { file = ['dev.txt'] }\n",
        );
        assert_eq!(
            p.dynamic_files,
            [
                DynamicFile {
                    path: "requirements.in".into(),
                    extra: None
                },
                DynamicFile {
                    path: "dev.txt".into(),
                    extra: Some("dev".into())
                },
            ]
        );
        assert!(is_dev_group("Tests") && is_dev_group("DOCS") && !is_dev_group("server"));
    }
}
