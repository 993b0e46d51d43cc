//! Dependency manifests: which files are manifests, and what they declare.
//!
//! The project model reads every manifest once; rules ask the model, never
//! the file system.

pub mod installed;
pub mod tables;

use serde::{Deserialize, Serialize};
use std::path::Path;
use thiserror::Error;

/// The kinds of manifest aireview understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ManifestKind {
    Pyproject,
    SetupPy,
    SetupCfg,
    Requirements,
    PackageJson,
    Tsconfig,
    PnpmWorkspace,
    CargoToml,
    Lockfile,
}

impl ManifestKind {
    /// The kind of a file by its name, or `None` when it is not a manifest.
    pub fn of_file_name(name: &str) -> Option<ManifestKind> {
        Some(match name {
            "pyproject.toml" => ManifestKind::Pyproject,
            "setup.py" => ManifestKind::SetupPy,
            "setup.cfg" => ManifestKind::SetupCfg,
            "package.json" => ManifestKind::PackageJson,
            "tsconfig.json" | "jsconfig.json" => ManifestKind::Tsconfig,
            "pnpm-workspace.yaml" => ManifestKind::PnpmWorkspace,
            "Cargo.toml" => ManifestKind::CargoToml,
            "Cargo.lock" | "uv.lock" | "poetry.lock" | "package-lock.json" | "pnpm-lock.yaml" | "yarn.lock" => {
                ManifestKind::Lockfile
            }
            n if (n.starts_with("requirements") && (n.ends_with(".txt") || n.ends_with(".in"))) => {
                ManifestKind::Requirements
            }
            n if n.starts_with("tsconfig.") && n.ends_with(".json") => ManifestKind::Tsconfig,
            _ => return None,
        })
    }

    /// Whether a folder holding this file is a package root (a unit with its
    /// own declared dependencies).
    pub fn marks_package_root(self) -> bool {
        matches!(
            self,
            ManifestKind::Pyproject
                | ManifestKind::SetupPy
                | ManifestKind::SetupCfg
                | ManifestKind::Requirements
                | ManifestKind::PackageJson
                | ManifestKind::CargoToml
        )
    }
}

/// Whether a file name is one the walker should hand to the manifest reader.
pub fn is_manifest_file(name: &str) -> bool {
    ManifestKind::of_file_name(name).is_some()
}

/// Whether a folder holds a manifest that makes it a project root.
pub fn is_project_marker(name: &str) -> bool {
    ManifestKind::of_file_name(name).is_some_and(ManifestKind::marks_package_root)
}

/// What one manifest file says. Later readers fill in the declarations.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub kind: Option<ManifestKind>,
    /// Project-relative path.
    pub path: String,
    /// The package's own name, when declared.
    pub name: Option<String>,
    /// Declares a workspace (Cargo `[workspace]`, package.json `workspaces`, pnpm-workspace.yaml).
    pub is_workspace: bool,
}

#[derive(Debug, Error)]
#[error("{message}")]
pub struct ManifestError {
    pub message: String,
}

/// Reads one manifest. `rel` is its project-relative path. A parse error
/// names the problem; the caller turns it into a warning naming the file.
pub fn read_manifest(abs: &Path, rel: &str) -> Result<Manifest, ManifestError> {
    let file_name = Path::new(rel).file_name().and_then(|n| n.to_str()).unwrap_or("");
    let kind = ManifestKind::of_file_name(file_name);
    let mut manifest = Manifest {
        kind,
        path: rel.to_string(),
        ..Manifest::default()
    };
    let text = || {
        std::fs::read_to_string(abs).map_err(|e| ManifestError {
            message: format!("cannot read: {e}"),
        })
    };
    match kind {
        Some(ManifestKind::Pyproject) => {
            let doc = parse_toml(&text()?)?;
            manifest.name = doc
                .get("project")
                .and_then(|p| p.get("name"))
                .or_else(|| {
                    doc.get("tool")
                        .and_then(|t| t.get("poetry"))
                        .and_then(|p| p.get("name"))
                })
                .and_then(|n| n.as_str())
                .map(str::to_string);
        }
        Some(ManifestKind::CargoToml) => {
            let doc = parse_toml(&text()?)?;
            manifest.name = doc
                .get("package")
                .and_then(|p| p.get("name"))
                .and_then(|n| n.as_str())
                .map(str::to_string);
            manifest.is_workspace = doc.contains_key("workspace");
        }
        Some(ManifestKind::PackageJson) => {
            let doc: serde_json::Value = serde_json::from_str(&text()?).map_err(|e| ManifestError {
                message: format!("invalid JSON at line {}, column {}: {e}", e.line(), e.column()),
            })?;
            manifest.name = doc.get("name").and_then(|n| n.as_str()).map(str::to_string);
            manifest.is_workspace = doc.get("workspaces").is_some();
        }
        Some(ManifestKind::PnpmWorkspace) => manifest.is_workspace = true,
        _ => {}
    }
    Ok(manifest)
}

fn parse_toml(text: &str) -> Result<toml::Table, ManifestError> {
    text.parse::<toml::Table>().map_err(|e| {
        let position = e
            .span()
            .map(|s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                format!("line {line}, column {col}: ")
            })
            .unwrap_or_default();
        ManifestError {
            message: format!("invalid TOML at {position}{}", e.message().trim()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_manifest_names() {
        assert_eq!(
            ManifestKind::of_file_name("requirements-dev.txt"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(
            ManifestKind::of_file_name("tsconfig.build.json"),
            Some(ManifestKind::Tsconfig)
        );
        assert_eq!(ManifestKind::of_file_name("README.md"), None);
        assert!(is_project_marker("Cargo.toml") && !is_project_marker("tsconfig.json"));
    }

    #[test]
    fn broken_manifests_name_the_position() {
        let dir = std::env::temp_dir().join(format!("aireview-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let py = dir.join("pyproject.toml");
        std::fs::write(&py, "[project\nname = 'x'\n").unwrap();
        let e = read_manifest(&py, "pyproject.toml").unwrap_err();
        assert!(e.message.starts_with("invalid TOML at line 1"), "{}", e.message);
        let pj = dir.join("package.json");
        std::fs::write(&pj, "{\"name\": \"x\",}").unwrap();
        let e = read_manifest(&pj, "package.json").unwrap_err();
        assert!(e.message.starts_with("invalid JSON at line 1"), "{}", e.message);
        std::fs::write(&pj, "{\"name\": \"web\", \"workspaces\": [\"a\"]}").unwrap();
        let m = read_manifest(&pj, "package.json").unwrap();
        assert_eq!(m.name.as_deref(), Some("web"));
        assert!(m.is_workspace);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
