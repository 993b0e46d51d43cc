//! pnpm: `pnpm-workspace.yaml` member globs, and the package names a
//! `pnpm-lock.yaml` locks (lockfile formats 5 to 9).

use crate::yaml_source::{self, get, keys};
use crate::{Manifest, ManifestKind, ManifestProblem};
use std::collections::BTreeSet;
use yaml_rust2::Yaml;

/// Reads `pnpm-workspace.yaml`: `packages` globs as written (`!`-negations included).
pub fn read_workspace(text: &str, rel: &str) -> Result<Manifest, ManifestProblem> {
    let doc = yaml_source::parse(text, rel)?;
    let members = get(&doc, "packages")
        .and_then(Yaml::as_vec)
        .into_iter()
        .flatten()
        .filter_map(Yaml::as_str)
        .map(str::to_string)
        .collect();
    Ok(Manifest {
        kind: Some(ManifestKind::PnpmWorkspace),
        path: rel.to_string(),
        is_workspace: true,
        workspace_members: members,
        ..Manifest::default()
    })
}

/// Names locked by a `pnpm-lock.yaml`: the importers' (or v5 single
/// project's) direct dependencies and every `packages`/`snapshots` key.
pub fn locked_names(text: &str, rel: &str) -> Result<BTreeSet<String>, ManifestProblem> {
    let doc = yaml_source::parse(text, rel)?;
    let mut names = BTreeSet::new();
    let sections = ["dependencies", "devDependencies", "optionalDependencies"];
    let mut direct = |project: &Yaml| {
        for section in sections {
            if let Some(deps) = get(project, section) {
                names.extend(keys(deps).map(str::to_string));
            }
        }
    };
    direct(&doc);
    if let Some(importers) = get(&doc, "importers").and_then(Yaml::as_hash) {
        for project in importers.values() {
            direct(project);
        }
    }
    for table in ["packages", "snapshots"] {
        if let Some(packages) = get(&doc, table) {
            names.extend(keys(packages).filter_map(name_of_package_key));
        }
    }
    Ok(names)
}

/// The package name in a `packages` key: `/name/1.0.0` and
/// `/@scope/name/1.0.0_peer@1` (v5), `/name@1.0.0(peer@1)` (v6),
/// `name@1.0.0` and `@scope/name@1.0.0` (v9).
fn name_of_package_key(key: &str) -> Option<String> {
    let key = key.strip_prefix('/').unwrap_or(key);
    let key = key.split('(').next().unwrap_or(key);
    let (scope, rest) = match key.strip_prefix('@') {
        Some(after) => {
            let (scope, rest) = after.split_once('/')?;
            (Some(scope), rest)
        }
        None => (None, key),
    };
    let end = rest.find(['@', '/']).unwrap_or(rest.len());
    let name = &rest[..end];
    // Tarball or Git keys (`github.com/o/r/sha`, `registry.example/x/-/x-1.tgz`) name a host, not a package.
    if name.is_empty() || (scope.is_none() && name.contains('.') && rest[end..].starts_with('/')) {
        return None;
    }
    Some(match scope {
        Some(scope) => format!("@{scope}/{name}"),
        None => name.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_workspace_globs() {
        let m = read_workspace(
            "packages:\n  - 'packages/*'\n  - \"apps/**\"\n  - '!**/test/**'\n",
            "pnpm-workspace.yaml",
        )
        .unwrap();
        assert!(m.is_workspace);
        assert_eq!(m.workspace_members, ["packages/*", "apps/**", "!**/test/**"]);
        let m = read_workspace("packages: [a, b]\n", "pnpm-workspace.yaml").unwrap();
        assert_eq!(m.workspace_members, ["a", "b"]);
        let e = read_workspace("packages:\n  - a\n - b: [\n", "pnpm-workspace.yaml").unwrap_err();
        assert!(e.message.starts_with("invalid YAML at line "), "{}", e.message);
        assert!(e.line > 0);
    }

    #[test]
    fn package_keys_of_every_lockfile_version() {
        let cases = [
            ("/lodash/4.17.21", Some("lodash")),
            ("/@babel/core/7.22.0_supports-color@5", Some("@babel/core")),
            ("/react-dom@18.2.0(react@18.2.0)", Some("react-dom")),
            ("/@types/node@20.1.0", Some("@types/node")),
            ("typescript@5.4.5", Some("typescript")),
            ("@scope/pkg@1.0.0(@types/node@20.0.0)", Some("@scope/pkg")),
            ("github.com/o/r/abc123", None),
        ];
        for (key, want) in cases {
            assert_eq!(name_of_package_key(key).as_deref(), want, "{key}");
        }
    }

    #[test]
    fn locks_importers_and_packages() {
        let v9 = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      react:\n        specifier: ^18\n        version: 18.2.0\n  packages/ui:\n    devDependencies:\n      vitest:\n        specifier: ^1\n        version: 1.0.0\npackages:\n  react@18.2.0:\n    resolution: {integrity: x}\n  '@vitest/runner@1.0.0':\n    resolution: {integrity: y}\nsnapshots:\n  loose-envify@1.4.0: {}\n";
        let names = locked_names(v9, "pnpm-lock.yaml").unwrap();
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            ["@vitest/runner", "loose-envify", "react", "vitest"]
        );
        let v5 = "lockfileVersion: 5.4\nspecifiers:\n  left-pad: ^1\ndependencies:\n  left-pad: 1.3.0\npackages:\n  /left-pad/1.3.0:\n    dev: false\n";
        let names = locked_names(v5, "pnpm-lock.yaml").unwrap();
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["left-pad"]);
    }
}
