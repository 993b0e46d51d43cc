//! `Cargo.toml`: the crate's name, `[lib] name`, its dependencies of every
//! kind and target, and the workspace it declares. Read from the TOML itself
//! (spans give each dependency's line); `cargo metadata` refines it when asked
//! (see `cargo_metadata_run`).

use crate::paths::{dir_of, join};
use crate::toml_source::{self, entries, Value};
use crate::{DepKind, DepSource, Dependency, Manifest, ManifestKind, ManifestProblem};
use toml::de::DeTable;

/// What the TOML says, plus the explicit `package.workspace` path (project-relative), if any.
pub struct CargoToml {
    pub manifest: Manifest,
    pub workspace_root: Option<String>,
}

/// Reads one `Cargo.toml`. `workspace = true` dependencies stay unresolved
/// (`inherited`, registry source) until [`resolve_inherited`] sees the root.
pub fn read(text: &str, rel: &str) -> Result<CargoToml, ManifestProblem> {
    let doc = toml_source::parse(text, rel)?;
    let dir = dir_of(rel);
    let mut m = Manifest {
        kind: Some(ManifestKind::CargoToml),
        path: rel.to_string(),
        name: toml_source::str_at(&doc, &["package", "name"]).map(str::to_string),
        lib_name: toml_source::str_at(&doc, &["lib", "name"]).map(str::to_string),
        is_workspace: doc.contains_key("workspace"),
        ..Manifest::default()
    };
    for (key, kind) in SECTIONS {
        if let Some(table) = toml_source::table_at(&doc, &[key]) {
            read_dep_table(text, dir, table, kind, None, &mut m.dependencies);
        }
    }
    if let Some(targets) = toml_source::table_at(&doc, &["target"]) {
        for (cfg, target) in entries(targets) {
            let Some(target) = target.get_ref().as_table() else {
                continue;
            };
            for (key, kind) in SECTIONS {
                if let Some(table) = toml_source::table_at(target, &[key]) {
                    read_dep_table(text, dir, table, kind, Some(cfg.get_ref()), &mut m.dependencies);
                }
            }
        }
    }
    if let Some(ws) = toml_source::table_at(&doc, &["workspace"]) {
        if let Some(members) = ws.get("members") {
            m.workspace_members = toml_source::strings(members)
                .into_iter()
                .map(|(s, _)| s.to_string())
                .collect();
        }
        if let Some(table) = toml_source::table_at(ws, &["dependencies"]) {
            read_dep_table(text, dir, table, DepKind::Normal, None, &mut m.workspace_dependencies);
        }
    }
    m.dependencies.sort_by_key(|d| (d.line, d.column));
    m.workspace_dependencies.sort_by_key(|d| (d.line, d.column));
    let workspace_root = match toml_source::at(&doc, &["package", "workspace"]).map(|v| v.get_ref()) {
        Some(v) => v.as_str().map(|p| join(dir, p)),
        None => None,
    };
    Ok(CargoToml {
        manifest: m,
        workspace_root,
    })
}

const SECTIONS: [(&str, DepKind); 5] = [
    ("dependencies", DepKind::Normal),
    ("dev-dependencies", DepKind::Dev),
    ("dev_dependencies", DepKind::Dev),
    ("build-dependencies", DepKind::Build),
    ("build_dependencies", DepKind::Build),
];

fn read_dep_table(
    text: &str,
    dir: &str,
    table: &DeTable<'_>,
    kind: DepKind,
    target: Option<&str>,
    out: &mut Vec<Dependency>,
) {
    for (key, value) in entries(table) {
        let (line, column) = toml_source::key_position(text, key.span().start);
        let mut dep = Dependency {
            name: key.get_ref().to_string(),
            package: key.get_ref().to_string(),
            kind,
            group: target.map(str::to_string),
            line,
            column,
            ..Dependency::default()
        };
        apply_spec(&mut dep, dir, value);
        out.push(dep);
    }
}

/// Fills a dependency from its value: a version string or a detail table.
fn apply_spec(dep: &mut Dependency, dir: &str, value: &Value<'_>) {
    let value = value.get_ref();
    if let Some(version) = value.as_str() {
        dep.version = Some(version.to_string());
        return;
    }
    let Some(spec) = value.as_table() else { return };
    let s = |k: &str| spec.get(k).and_then(|v| v.get_ref().as_str());
    if let Some(package) = s("package") {
        dep.package = package.to_string();
    }
    dep.version = s("version").map(str::to_string);
    dep.optional = spec
        .get("optional")
        .and_then(|v| v.get_ref().as_bool())
        .unwrap_or(false);
    dep.inherited = spec
        .get("workspace")
        .and_then(|v| v.get_ref().as_bool())
        .unwrap_or(false);
    if let Some(path) = s("path") {
        dep.source = DepSource::Path(join(dir, path));
    } else if let Some(git) = s("git") {
        dep.source = DepSource::Git(clean_git_url(git));
    }
}

/// A Git URL without `git+`, query (`?branch=`) or fragment (`#rev`).
pub fn clean_git_url(url: &str) -> String {
    let url = url.strip_prefix("git+").unwrap_or(url);
    let end = url.find(['?', '#']).unwrap_or(url.len());
    url[..end].to_string()
}

/// Resolves a member's `workspace = true` dependencies from the workspace
/// root's `[workspace.dependencies]`: the registry package, version and source
/// come from the root; kind, target, `optional` and position stay the member's.
/// Returns the names that the root does not declare.
pub fn resolve_inherited(member: &mut Manifest, root: &Manifest) -> Vec<(String, u32, u32)> {
    let mut missing = Vec::new();
    for dep in member.dependencies.iter_mut().filter(|d| d.inherited) {
        match root.workspace_dependencies.iter().find(|w| w.name == dep.name) {
            Some(w) => {
                dep.package = w.package.clone();
                dep.source = w.source.clone();
                dep.version = w.version.clone();
                dep.optional |= w.optional;
            }
            None => missing.push((dep.name.clone(), dep.line, dep.column)),
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMBER: &str = r#"[package]
name = "my-tool"
version = "0.1.0"

[lib]
name = "mytool"

[dependencies]
serde = { version = "1", features = ["derive"] }
json = { package = "serde_json", version = "1" }
local = { path = "../local" }
remote = { git = "https://github.com/o/remote?x", branch = "main" }
"quoted" = "2"
anyhow.workspace = true
maybe = { version = "1", optional = true }

[dev-dependencies]
insta = "1"

[build-dependencies]
cc = "1"

[target.'cfg(unix)'.dependencies]
libc = "0.2"

[dependencies.tokio]
version = "1"
"#;

    #[test]
    fn reads_every_kind_of_dependency() {
        let c = read(MEMBER, "crates/tool/Cargo.toml").unwrap();
        let m = c.manifest;
        assert_eq!(m.name.as_deref(), Some("my-tool"));
        assert_eq!(m.lib_name.as_deref(), Some("mytool"));
        assert!(!m.is_workspace);
        let d = |n: &str| {
            m.dependencies
                .iter()
                .find(|d| d.name == n)
                .unwrap_or_else(|| panic!("{n}"))
        };
        assert_eq!((d("serde").line, d("serde").column), (9, 1));
        assert_eq!(d("json").package, "serde_json");
        assert_eq!(d("local").source, DepSource::Path("crates/local".into()));
        assert_eq!(d("remote").source, DepSource::Git("https://github.com/o/remote".into()));
        assert_eq!((d("quoted").line, d("quoted").column), (13, 2));
        assert!(d("anyhow").inherited);
        assert!(d("maybe").optional && !d("serde").optional);
        assert_eq!(d("insta").kind, DepKind::Dev);
        assert_eq!(d("cc").kind, DepKind::Build);
        assert_eq!(d("libc").group.as_deref(), Some("cfg(unix)"));
        assert_eq!(d("tokio").line, 26);
        assert_eq!(d("serde").version.as_deref(), Some("1"));
        let lines: Vec<u32> = m.dependencies.iter().map(|d| d.line).collect();
        assert!(lines.windows(2).all(|w| w[0] <= w[1]), "sorted by position");
    }

    #[test]
    fn resolves_workspace_inheritance() {
        let root = read(
            "[workspace]\nmembers = [\"crates/*\"]\n[workspace.dependencies]\nanyhow = { version = \"1\" }\nj = { package = \"serde_json\", path = \"vendor/j\" }\n",
            "Cargo.toml",
        )
        .unwrap()
        .manifest;
        assert!(root.is_workspace);
        assert_eq!(root.workspace_members, ["crates/*"]);
        assert_eq!(
            root.workspace_dependencies[1].source,
            DepSource::Path("vendor/j".into())
        );
        let mut member = read(
            "[package]\nname = \"a\"\n[dependencies]\nanyhow = { workspace = true, optional = true }\nj.workspace = true\nnope.workspace = true\n",
            "crates/a/Cargo.toml",
        )
        .unwrap()
        .manifest;
        let missing = resolve_inherited(&mut member, &root);
        assert_eq!(missing, [("nope".to_string(), 6, 1)]);
        let j = member.dependencies.iter().find(|d| d.name == "j").unwrap();
        assert_eq!((j.package.as_str(), j.inherited), ("serde_json", true));
        assert_eq!(j.source, DepSource::Path("vendor/j".into()));
        let anyhow = &member.dependencies[0];
        assert!(anyhow.optional && anyhow.version.as_deref() == Some("1"));
    }

    #[test]
    fn explicit_workspace_path_is_kept() {
        let c = read("[package]\nname = \"a\"\nworkspace = \"../..\"\n", "x/y/Cargo.toml").unwrap();
        assert_eq!(c.workspace_root.as_deref(), Some(""));
        assert!(read("[package\n", "Cargo.toml").is_err());
    }
}
