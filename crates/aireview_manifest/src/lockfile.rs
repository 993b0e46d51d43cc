//! Lockfiles: which package names are locked. Python lockfiles give PEP
//! 503-normalized names; npm, pnpm, Yarn and Cargo names are kept as-is.

use crate::paths::file_name;
use crate::{jsonc, normalize_python_name, pnpm, toml_source, Manifest, ManifestKind, ManifestProblem};
use serde_json::Value;
use std::collections::BTreeSet;

/// Reads a lockfile (`Cargo.lock`, `uv.lock`, `poetry.lock`, `package-lock.json`, `pnpm-lock.yaml`, `yarn.lock`).
pub fn read(text: &str, rel: &str) -> Result<Manifest, ManifestProblem> {
    let locked = match file_name(rel) {
        "Cargo.lock" => toml_packages(text, rel, false)?,
        "uv.lock" | "poetry.lock" => toml_packages(text, rel, true)?,
        "package-lock.json" | "npm-shrinkwrap.json" => npm_packages(text, rel)?,
        "pnpm-lock.yaml" => pnpm::locked_names(text, rel)?,
        "yarn.lock" => yarn_packages(text),
        _ => BTreeSet::new(),
    };
    Ok(Manifest {
        kind: Some(ManifestKind::Lockfile),
        path: rel.to_string(),
        locked: Some(locked),
        ..Manifest::default()
    })
}

/// `[[package]] name = "..."` tables.
fn toml_packages(text: &str, rel: &str, python: bool) -> Result<BTreeSet<String>, ManifestProblem> {
    let doc = toml_source::parse(text, rel)?;
    let packages = toml_source::at(&doc, &["package"]).and_then(|v| v.get_ref().as_array());
    Ok(packages
        .into_iter()
        .flat_map(|a| a.iter())
        .filter_map(|p| p.get_ref().get("name")?.get_ref().as_str())
        .map(|n| {
            if python {
                normalize_python_name(n)
            } else {
                n.to_string()
            }
        })
        .collect())
}

/// v1 `dependencies` (nested) and v2/v3 `packages` keys `node_modules/<name>`.
fn npm_packages(text: &str, rel: &str) -> Result<BTreeSet<String>, ManifestProblem> {
    let doc = jsonc::parse(text, rel, false)?;
    let mut names = BTreeSet::new();
    if let Some(packages) = doc.get("packages").and_then(Value::as_object) {
        for key in packages.keys() {
            if let Some((_, name)) = key.rsplit_once("node_modules/") {
                names.insert(name.to_string());
            }
        }
    }
    fn v1(deps: &Value, names: &mut BTreeSet<String>, depth: usize) {
        let Some(deps) = deps.as_object() else { return };
        for (name, entry) in deps {
            names.insert(name.clone());
            if let (Some(nested), true) = (entry.get("dependencies"), depth < 64) {
                v1(nested, names, depth + 1);
            }
        }
    }
    if let Some(deps) = doc.get("dependencies") {
        v1(deps, &mut names, 0);
    }
    Ok(names)
}

/// Entry headers of Yarn v1 (`"@babel/core@^7.0.0", "@babel/core@^7.1.0":`)
/// and berry (`"lodash@npm:^4.17.21":`); `__metadata` is skipped.
fn yarn_packages(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t', '#']) || !line.trim_end().ends_with(':') {
            continue;
        }
        let header = line.trim_end().trim_end_matches(':');
        for spec in header.split(", ") {
            let spec = spec.trim().trim_matches('"');
            let end = spec[1.min(spec.len())..].find('@').map_or(spec.len(), |i| i + 1);
            let name = &spec[..end];
            if !name.is_empty() && name != "__metadata" {
                names.insert(name.to_string());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locked(text: &str, rel: &str) -> Vec<String> {
        read(text, rel).unwrap().locked.unwrap().into_iter().collect()
    }

    #[test]
    fn toml_lockfiles() {
        let cargo =
            "version = 3\n[[package]]\nname = \"serde_json\"\nversion = \"1\"\n[[package]]\nname = \"my-app\"\n";
        assert_eq!(locked(cargo, "Cargo.lock"), ["my-app", "serde_json"]);
        let uv = "version = 1\n[[package]]\nname = \"Typing_Extensions\"\n[[package]]\nname = \"zope.interface\"\n";
        assert_eq!(locked(uv, "uv.lock"), ["typing-extensions", "zope-interface"]);
        assert_eq!(
            locked("[[package]]\nname = \"PyYAML\"\n", "sub/poetry.lock"),
            ["pyyaml"]
        );
        let e = read("[[package]\n", "uv.lock").unwrap_err();
        assert!(e.message.starts_with("invalid TOML at line 1"), "{}", e.message);
    }

    #[test]
    fn npm_lockfiles_v1_to_v3() {
        let v3 = r#"{"lockfileVersion": 3, "packages": {"": {"name": "app"},
            "node_modules/react": {}, "node_modules/@types/node": {},
            "node_modules/a/node_modules/b": {}, "packages/ui": {}, "node_modules/ui": {"link": true}}}"#;
        assert_eq!(locked(v3, "package-lock.json"), ["@types/node", "b", "react", "ui"]);
        let v1 = r#"{"lockfileVersion": 1, "dependencies": {"left-pad": {"version": "1"},
            "x": {"dependencies": {"@s/y": {"version": "2"}}}}}"#;
        assert_eq!(locked(v1, "package-lock.json"), ["@s/y", "left-pad", "x"]);
        assert!(read("{", "package-lock.json").is_err());
    }

    #[test]
    fn yarn_lockfiles_classic_and_berry() {
        let classic = "# yarn lockfile v1\n\n\"@babel/core@^7.0.0\", \"@babel/core@^7.1.0\":\n  version \"7.1.0\"\n\nlodash@^4.17.21:\n  version \"4.17.21\"\n";
        assert_eq!(locked(classic, "yarn.lock"), ["@babel/core", "lodash"]);
        let berry = "__metadata:\n  version: 6\n\n\"lodash@npm:^4.17.21\":\n  version: 4.17.21\n\n\"app@workspace:.\":\n  version: 0.0.0\n";
        assert_eq!(locked(berry, "yarn.lock"), ["app", "lodash"]);
    }
}
