//! Where a Rust workspace's dependencies keep their sources, read from the
//! document of `cargo metadata` with dependencies (see `cargo_metadata_run`).
//! Only the fields needed here are read, so a document that a stricter
//! reader rejects still gives its sources.

use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    #[serde(default)]
    workspace_members: Vec<String>,
    resolve: Option<Resolve>,
}

#[derive(Deserialize)]
struct Package {
    id: String,
    targets: Vec<Target>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
    src_path: PathBuf,
}

#[derive(Deserialize)]
struct Resolve {
    nodes: Vec<Node>,
}

#[derive(Deserialize)]
struct Node {
    id: String,
    #[serde(default)]
    deps: Vec<NodeDep>,
}

#[derive(Deserialize)]
struct NodeDep {
    /// The crate name as the dependent uses it (renames applied, underscored).
    name: String,
    pkg: String,
}

/// Maps each dependency's crate name as used in code to its library's root
/// file. The names workspace members use (renames included) come first;
/// other packages of the graph fill in names not taken. Empty when the
/// document does not read.
pub fn crate_sources(json: &[u8]) -> BTreeMap<String, PathBuf> {
    let Ok(meta) = serde_json::from_slice::<Metadata>(json) else {
        return BTreeMap::new();
    };
    let lib_of = |pkg: &Package| {
        pkg.targets
            .iter()
            .find(|t| {
                t.kind
                    .iter()
                    .any(|k| matches!(k.as_str(), "lib" | "rlib" | "dylib" | "proc-macro"))
            })
            .map(|t| (t.name.replace('-', "_"), t.src_path.clone()))
    };
    let by_id: BTreeMap<&str, &Package> = meta.packages.iter().map(|p| (p.id.as_str(), p)).collect();
    let members: HashSet<&str> = meta.workspace_members.iter().map(String::as_str).collect();
    let mut crates = BTreeMap::new();
    for node in meta.resolve.iter().flat_map(|r| &r.nodes) {
        if !members.contains(node.id.as_str()) {
            continue;
        }
        for dep in &node.deps {
            if let Some((_, src)) = by_id.get(dep.pkg.as_str()).and_then(|p| lib_of(p)) {
                crates.entry(dep.name.replace('-', "_")).or_insert(src);
            }
        }
    }
    for pkg in &meta.packages {
        if members.contains(pkg.id.as_str()) {
            continue;
        }
        if let Some((name, src)) = lib_of(pkg) {
            crates.entry(name).or_insert(src);
        }
    }
    crates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renamed_dependencies_keep_the_name_used_in_code() {
        let json = r#"{
          "packages": [
            {"id": "app 0.1.0", "targets": [{"name": "app", "kind": ["lib"], "src_path": "/w/src/lib.rs"}]},
            {"id": "serde-json 1.0", "targets": [{"name": "serde_json", "kind": ["lib"], "src_path": "/r/sj/src/lib.rs"}]},
            {"id": "bar 2.0", "targets": [{"name": "bar", "kind": ["lib"], "src_path": "/r/bar/src/lib.rs"},
                                            {"name": "bar-cli", "kind": ["bin"], "src_path": "/r/bar/src/main.rs"}]},
            {"id": "macros 1.0", "targets": [{"name": "my-macros", "kind": ["proc-macro"], "src_path": "/r/m/lib.rs"}]}
          ],
          "workspace_members": ["app 0.1.0"],
          "resolve": {"nodes": [
            {"id": "app 0.1.0", "deps": [{"name": "foo", "pkg": "bar 2.0"}, {"name": "serde_json", "pkg": "serde-json 1.0"}]},
            {"id": "bar 2.0", "deps": []}
          ]}
        }"#;
        let crates = crate_sources(json.as_bytes());
        let names: Vec<&str> = crates.keys().map(String::as_str).collect();
        assert_eq!(names, ["bar", "foo", "my_macros", "serde_json"]);
        assert_eq!(crates["foo"], PathBuf::from("/r/bar/src/lib.rs"));
        assert!(!crates.contains_key("app"), "workspace members are first-party");
        assert!(crate_sources(b"not json").is_empty());
    }
}
