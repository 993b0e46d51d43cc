//! `package.json`: the four dependency sections with positions, npm aliases
//! (`"x": "npm:y@1"`), `workspaces` and `imports` subpath patterns.

use crate::paths::{dir_of, join};
use crate::{jsonc, DepKind, DepSource, Dependency, Manifest, ManifestKind, ManifestProblem};
use serde_json::Value;

const SECTIONS: [(&str, DepKind, bool); 4] = [
    ("dependencies", DepKind::Normal, false),
    ("devDependencies", DepKind::Dev, false),
    ("peerDependencies", DepKind::Peer, false),
    ("optionalDependencies", DepKind::Normal, true),
];

/// Reads a `package.json`.
pub fn read(text: &str, rel: &str) -> Result<Manifest, ManifestProblem> {
    let doc = jsonc::parse(text, rel, false)?;
    let dir = dir_of(rel);
    let positions = jsonc::key_positions(text, 2);
    let position = |section: &str, name: &str| {
        positions
            .iter()
            .find(|(path, _, _)| path.len() == 2 && path[0] == section && path[1] == name)
            .map_or((0, 0), |(_, l, c)| (*l, *c))
    };
    let mut m = Manifest {
        kind: Some(ManifestKind::PackageJson),
        path: rel.to_string(),
        name: doc.get("name").and_then(Value::as_str).map(str::to_string),
        ..Manifest::default()
    };
    for (section, kind, optional) in SECTIONS {
        let Some(deps) = doc.get(section).and_then(Value::as_object) else {
            continue;
        };
        for (name, spec) in deps {
            let (line, column) = position(section, name);
            let mut dep = Dependency {
                name: name.clone(),
                package: name.clone(),
                kind,
                optional,
                line,
                column,
                ..Dependency::default()
            };
            if let Some(spec) = spec.as_str() {
                apply_spec(&mut dep, dir, spec);
            }
            m.dependencies.push(dep);
        }
    }
    // peerDependenciesMeta marks optional peers.
    if let Some(meta) = doc.get("peerDependenciesMeta").and_then(Value::as_object) {
        for dep in m.dependencies.iter_mut().filter(|d| d.kind == DepKind::Peer) {
            if meta
                .get(&dep.name)
                .and_then(|v| v.get("optional"))
                .and_then(Value::as_bool)
                == Some(true)
            {
                dep.optional = true;
            }
        }
    }
    m.dependencies
        .sort_by(|a, b| (a.line, a.column, &a.name).cmp(&(b.line, b.column, &b.name)));
    let workspaces = doc.get("workspaces");
    let members = workspaces.and_then(|w| w.as_array().or_else(|| w.get("packages").and_then(Value::as_array)));
    m.is_workspace = workspaces.is_some();
    m.workspace_members = members
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    if let Some(imports) = doc.get("imports").and_then(Value::as_object) {
        m.subpath_imports = imports.keys().cloned().collect();
        m.subpath_imports.sort();
    }
    Ok(m)
}

/// Reads the version field: aliases, local paths, Git and tarball URLs.
fn apply_spec(dep: &mut Dependency, dir: &str, spec: &str) {
    dep.version = Some(spec.to_string());
    if let Some(alias) = spec.strip_prefix("npm:") {
        // `npm:@scope/real@^1`: the name ends at the '@' after its first character.
        let end = alias[1.min(alias.len())..].find('@').map_or(alias.len(), |i| i + 1);
        dep.package = alias[..end].to_string();
        dep.version = Some(alias[end..].trim_start_matches('@').to_string()).filter(|v| !v.is_empty());
    } else if let Some(path) = spec.strip_prefix("file:").or_else(|| spec.strip_prefix("link:")) {
        dep.source = DepSource::Path(join(dir, path));
    } else if spec.starts_with("git+") || spec.starts_with("git://") || spec.starts_with("github:") {
        dep.source = DepSource::Git(crate::cargo::clean_git_url(spec));
    } else if spec.starts_with("http://") || spec.starts_with("https://") {
        dep.source = DepSource::Url(spec.to_string());
    } else if is_github_shorthand(spec) {
        dep.source = DepSource::Git(spec.to_string());
    } else if spec.starts_with("./") || spec.starts_with("../") || spec.starts_with('/') {
        dep.source = DepSource::Path(join(dir, spec));
    }
}

/// `user/repo` or `user/repo#ref` (npm's GitHub shorthand).
fn is_github_shorthand(spec: &str) -> bool {
    let base = spec.split('#').next().unwrap_or(spec);
    let mut parts = base.split('/');
    matches!((parts.next(), parts.next(), parts.next()), (Some(u), Some(r), None)
        if !u.is_empty() && !r.is_empty() && !u.starts_with(['@', '.']) && !u.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PKG: &str = r##"{
  "name": "@acme/web",
  "workspaces": { "packages": ["packages/*", "apps/*"] },
  "imports": { "#internal/*": "./src/internal/*.js", "#config": "./config.js" },
  "dependencies": {
    "react": "^18.2.0",
    "lodash-es": "npm:lodash@^4",
    "@acme/ui": "workspace:*",
    "local": "file:../local",
    "gitdep": "git+https://github.com/o/gitdep.git#v1",
    "short": "o/short#main"
  },
  "devDependencies": { "typescript": "~5.4.0", "@types/react": "18" },
  "peerDependencies": { "react-dom": ">=18" },
  "peerDependenciesMeta": { "react-dom": { "optional": true } },
  "optionalDependencies": { "fsevents": "2" }
}"##;

    #[test]
    fn reads_sections_workspaces_and_imports() {
        let m = read(PKG, "web/package.json").unwrap();
        assert_eq!(m.name.as_deref(), Some("@acme/web"));
        assert!(m.is_workspace);
        assert_eq!(m.workspace_members, ["packages/*", "apps/*"]);
        assert_eq!(m.subpath_imports, ["#config", "#internal/*"]);
        let d = |n: &str| {
            m.dependencies
                .iter()
                .find(|d| d.name == n)
                .unwrap_or_else(|| panic!("{n}"))
        };
        assert_eq!(
            (d("react").line, d("react").column, d("react").kind),
            (6, 6, DepKind::Normal)
        );
        assert_eq!(d("lodash-es").package, "lodash");
        assert_eq!(d("lodash-es").version.as_deref(), Some("^4"));
        assert_eq!(d("local").source, DepSource::Path("local".into()));
        assert_eq!(
            d("gitdep").source,
            DepSource::Git("https://github.com/o/gitdep.git".into())
        );
        assert_eq!(d("short").source, DepSource::Git("o/short#main".into()));
        assert_eq!(d("@acme/ui").source, DepSource::Registry);
        assert_eq!(
            (d("typescript").kind, d("@types/react").kind),
            (DepKind::Dev, DepKind::Dev)
        );
        assert_eq!((d("react-dom").kind, d("react-dom").optional), (DepKind::Peer, true));
        assert!(d("fsevents").optional && d("fsevents").kind == DepKind::Normal);
        assert_eq!(m.dependencies[0].name, "react");
    }

    #[test]
    fn array_workspaces_and_scoped_aliases() {
        let m = read(
            r#"{"workspaces": ["a"], "dependencies": {"x": "npm:@s/real@2"}}"#,
            "package.json",
        )
        .unwrap();
        assert_eq!(m.workspace_members, ["a"]);
        assert_eq!(m.dependencies[0].package, "@s/real");
        let m = read(r#"{"name": "solo"}"#, "package.json").unwrap();
        assert!(!m.is_workspace && m.dependencies.is_empty());
    }
}
