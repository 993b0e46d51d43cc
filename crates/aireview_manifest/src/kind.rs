//! Which files are manifests, by name (and, for `requirements/` folders, by path).

use serde::{Deserialize, Serialize};

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
            n if is_requirements_name(n) => ManifestKind::Requirements,
            n if (n.starts_with("tsconfig.") || n.starts_with("jsconfig.")) && n.ends_with(".json") => {
                ManifestKind::Tsconfig
            }
            _ => return None,
        })
    }

    /// The kind of a file by its project-relative path: like
    /// [`ManifestKind::of_file_name`], plus any `.txt`/`.in` file in a
    /// `requirements/` folder.
    pub fn of_path(rel: &str) -> Option<ManifestKind> {
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        ManifestKind::of_file_name(name).or_else(|| {
            let folder = dir.rsplit('/').next().unwrap_or(dir);
            (folder == "requirements" && (name.ends_with(".txt") || name.ends_with(".in")))
                .then_some(ManifestKind::Requirements)
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

/// `requirements*.txt`/`.in` and `*-requirements.txt`/`.in` (e.g. `dev-requirements.txt`).
fn is_requirements_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".txt").or_else(|| name.strip_suffix(".in")) else {
        return false;
    };
    stem.starts_with("requirements") || stem.ends_with("-requirements") || stem.ends_with("_requirements")
}

/// Whether a file name is one the walker should hand to the manifest reader.
pub fn is_manifest_file(name: &str) -> bool {
    ManifestKind::of_file_name(name).is_some()
}

/// Whether a project-relative path is a manifest (also `requirements/*.txt`).
pub fn is_manifest_path(rel: &str) -> bool {
    ManifestKind::of_path(rel).is_some()
}

/// Whether a folder holds a manifest that makes it a project root.
pub fn is_project_marker(name: &str) -> bool {
    ManifestKind::of_file_name(name).is_some_and(ManifestKind::marks_package_root)
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
            ManifestKind::of_file_name("requirements.in"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(
            ManifestKind::of_file_name("dev-requirements.txt"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(
            ManifestKind::of_file_name("tsconfig.build.json"),
            Some(ManifestKind::Tsconfig)
        );
        assert_eq!(ManifestKind::of_file_name("README.md"), None);
        assert_eq!(ManifestKind::of_file_name("notes.txt"), None);
        assert!(is_project_marker("Cargo.toml") && !is_project_marker("tsconfig.json"));
    }

    #[test]
    fn requirements_folders_count_by_path() {
        assert_eq!(
            ManifestKind::of_path("requirements/dev.txt"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(
            ManifestKind::of_path("app/requirements/base.in"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(ManifestKind::of_path("docs/dev.txt"), None);
        assert!(is_manifest_path("web/package.json"));
    }
}
