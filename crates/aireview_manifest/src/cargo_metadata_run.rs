//! `cargo metadata --no-deps --offline`: cargo's own view of a workspace,
//! which settles inheritance, renames and targets exactly as cargo does,
//! including a workspace root outside the scanned folder. It has no line
//! numbers, so it refines the TOML reading rather than replacing it.

use crate::cargo::clean_git_url;
use crate::paths::relative_to_root;
use crate::{DepKind, DepSource, Dependency, Manifest};
use cargo_metadata::{DependencyKind, MetadataCommand};
use std::path::Path;

/// One workspace package as cargo reports it.
pub struct MetaPackage {
    /// Project-relative path of its `Cargo.toml`.
    pub rel: String,
    pub name: String,
    pub dependencies: Vec<Dependency>,
}

/// Runs `cargo metadata` for the manifest `rel` under `root`; returns the
/// workspace packages under the root, or cargo's error in one line.
pub fn run(root: &Path, rel: &str) -> Result<Vec<MetaPackage>, String> {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let metadata = MetadataCommand::new()
        .manifest_path(crate::paths::on_disk(&canonical_root, rel))
        .no_deps()
        .other_options(vec!["--offline".to_string()])
        .exec()
        .map_err(|e| {
            e.to_string()
                .lines()
                .next()
                .unwrap_or("cargo metadata failed")
                .to_string()
        })?;
    let mut out = Vec::new();
    for package in metadata.workspace_packages() {
        let Some(pkg_rel) = relative_to_root(&canonical_root, package.manifest_path.as_std_path()) else {
            continue;
        };
        let dependencies = package
            .dependencies
            .iter()
            .map(|d| Dependency {
                name: d.rename.clone().unwrap_or_else(|| d.name.clone()),
                package: d.name.clone(),
                kind: match d.kind {
                    DependencyKind::Development => DepKind::Dev,
                    DependencyKind::Build => DepKind::Build,
                    _ => DepKind::Normal,
                },
                optional: d.optional,
                group: d.target.as_ref().map(ToString::to_string),
                source: if let Some(path) = &d.path {
                    relative_to_root(&canonical_root, path.as_std_path()).map_or(DepSource::Registry, DepSource::Path)
                } else {
                    match d.source.as_ref().map(|s| s.repr.as_str()) {
                        Some(s) if s.starts_with("git+") => DepSource::Git(clean_git_url(s)),
                        _ => DepSource::Registry,
                    }
                },
                ..Dependency::default()
            })
            .collect();
        out.push(MetaPackage {
            rel: pkg_rel,
            name: package.name.to_string(),
            dependencies,
        });
    }
    Ok(out)
}

/// Refines a TOML reading with cargo's: cargo decides the package, optional
/// flag and source; the TOML keeps positions, version text and `inherited`.
/// Dependencies only cargo knows are added without a position.
pub fn refine(manifest: &mut Manifest, package: &MetaPackage) {
    manifest.name = Some(package.name.clone());
    for meta in &package.dependencies {
        let found = manifest
            .dependencies
            .iter_mut()
            .find(|d| d.name == meta.name && d.kind == meta.kind && d.group == meta.group);
        match found {
            Some(dep) => {
                dep.package = meta.package.clone();
                dep.optional = meta.optional;
                if meta.source != DepSource::Registry || !matches!(dep.source, DepSource::Path(_)) {
                    dep.source = meta.source.clone();
                }
            }
            None => manifest.dependencies.push(meta.clone()),
        }
    }
}
