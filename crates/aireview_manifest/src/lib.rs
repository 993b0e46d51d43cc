//! Dependency manifests: which files are manifests, and what they declare.
//!
//! The project model reads every manifest once; rules ask the model, never
//! the file system. Each format has its own reader module; [`read_project_manifests`]
//! reads a whole project and resolves what crosses files (Cargo workspace
//! inheritance, requirements includes, tsconfig `extends`).

mod cargo;
mod cargo_crate_sources;
mod cargo_metadata_run;
mod files;
pub mod installed;
mod jsonc;
mod kind;
mod lockfile;
mod package_json;
pub mod package_lookup;
mod paths;
mod pep508;
mod pnpm;
mod position;
mod problems;
mod project;
mod python;
mod requirements;
mod setup_cfg;
mod setup_py;
pub mod tables;
mod toml_source;
mod tsconfig;
mod yaml_source;

pub use cargo_metadata_run::{CargoMetadata, CargoRuns};
pub use kind::{is_manifest_file, is_manifest_path, is_project_marker, ManifestKind};
pub use project::read_project_manifests;

use problems::ProblemSink;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::Path;
use thiserror::Error;

/// What one manifest file says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub kind: Option<ManifestKind>,
    /// Project-relative path.
    pub path: String,
    /// The package's own name, when declared.
    pub name: Option<String>,
    /// Declares a workspace (Cargo `[workspace]`, package.json `workspaces`, pnpm-workspace.yaml, uv workspace).
    pub is_workspace: bool,
    /// Cargo `[lib] name`, when declared.
    pub lib_name: Option<String>,
    /// Everything declared here, `workspace = true` resolved when the workspace root was found.
    pub dependencies: Vec<Dependency>,
    /// Cargo `[workspace.dependencies]`.
    pub workspace_dependencies: Vec<Dependency>,
    /// Member globs as written (Cargo `[workspace] members`, package.json `workspaces`,
    /// pnpm-workspace.yaml `packages`, `[tool.uv.workspace] members`).
    pub workspace_members: Vec<String>,
    /// Raw `requires-python` specifier (or Poetry's `python` constraint), e.g. `>=3.9`.
    pub requires_python: Option<String>,
    /// pyproject `[build-system] requires`, PEP 503-normalised names: what a
    /// build backend hook (`pdm_build.py`) may import.
    #[serde(default)]
    pub build_requires: Vec<String>,
    /// package.json `imports` keys, e.g. `#internal/*`.
    pub subpath_imports: Vec<String>,
    /// tsconfig/jsconfig compiler options after following `extends`.
    pub tsconfig: Option<TsConfig>,
    /// Lockfiles: names of the locked packages (PEP 503-normalized for Python lockfiles, as-is otherwise).
    pub locked: Option<BTreeSet<String>>,
}

/// The module-resolution part of a tsconfig/jsconfig.
///
/// `base_url` and the `paths` targets are project-relative and `/`-separated
/// (the empty string is the project root), already resolved against the
/// tsconfig that declared them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TsConfig {
    pub base_url: Option<String>,
    /// Pattern (e.g. `@/*`) to its targets, in declaration order.
    pub paths: Vec<(String, Vec<String>)>,
}

/// One declared dependency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dependency {
    /// The name code uses before ecosystem mapping: Cargo's dependency key (the
    /// renamed name), Python's distribution name as written, npm's package name.
    pub name: String,
    /// The registry package (Cargo `package = "x"`), else equal to `name`.
    pub package: String,
    pub kind: DepKind,
    /// Cargo `optional = true`, Python extras, npm `optionalDependencies`.
    pub optional: bool,
    /// Extra name, dependency group, Poetry group, PDM group or Cargo target cfg string.
    pub group: Option<String>,
    pub source: DepSource,
    /// Cargo `workspace = true`.
    pub inherited: bool,
    /// 1-based line of the declaration; 0 if unknown.
    pub line: u32,
    /// 1-based column of the name; 0 if unknown.
    pub column: u32,
    /// The file holding the declaration when it is not this manifest (a
    /// requirements `-r` include, a `[tool.setuptools.dynamic]` file); project-relative.
    pub declared_in: Option<String>,
    /// The version requirement as written (`>=2.0`, `^1.2`, `1`), if any.
    pub version: Option<String>,
    /// PEP 508 environment markers as written (`python_version < "3.11"`), if any.
    pub markers: Option<String>,
}

/// Which part of a build needs a dependency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DepKind {
    #[default]
    Normal,
    Dev,
    Build,
    Peer,
}

/// Where a dependency comes from. Paths are project-relative and `/`-separated
/// (they may start with `../` when they leave the project); URLs are as written,
/// Git URLs without a `git+` prefix, query or fragment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "value")]
pub enum DepSource {
    #[default]
    Registry,
    Path(String),
    Git(String),
    Url(String),
}

/// All manifests of a project and what went wrong reading them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestSet {
    /// Sorted by path; includes lockfiles.
    pub manifests: Vec<Manifest>,
    /// Sorted by path, then position.
    pub problems: Vec<ManifestProblem>,
}

/// One thing wrong with a manifest: a file that does not parse (then it has no
/// entry in [`ManifestSet::manifests`]) or a reference that does not resolve
/// (then the rest of the file is still read).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestProblem {
    /// Project-relative path of the file at fault.
    pub path: String,
    /// One line: what is wrong and where.
    pub message: String,
    /// 1-based position; 0 when unknown.
    pub line: u32,
    pub column: u32,
}

/// How to read a project.
#[derive(Clone, Copy, Default)]
pub struct ReadOptions<'a> {
    /// Ask `cargo metadata` about Cargo workspaces through these runs (the
    /// TOML reading stands when cargo fails); `None` reads the TOML only.
    pub cargo: Option<&'a CargoRuns>,
}

/// PEP 503 normalisation: lowercase, every run of `-`, `_` and `.` becomes one `-`.
pub fn normalize_python_name(name: &str) -> String {
    let name = name.trim();
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    // Import and package names are nearly always ASCII: byte by byte, without
    // the Unicode lowercase tables (this runs for every import of every file).
    if name.is_ascii() {
        for b in name.bytes() {
            if matches!(b, b'-' | b'_' | b'.') {
                if !in_run {
                    out.push('-');
                }
                in_run = true;
            } else {
                out.push(char::from(b.to_ascii_lowercase()));
                in_run = false;
            }
        }
        return out;
    }
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

#[derive(Debug, Error)]
#[error("{message}")]
pub struct ManifestError {
    pub message: String,
}

/// Reads one manifest. `rel` is its project-relative path and `abs` its
/// location on disk. References to other files (includes, `extends`, the Cargo
/// workspace root) are followed on disk. Fails only when the file itself cannot
/// be read or parsed.
pub fn read_manifest(abs: &Path, rel: &str) -> Result<Manifest, ManifestError> {
    let root = paths::root_of(abs, rel);
    let rel = rel.replace('\\', "/");
    let mut set = read_project_manifests(&root, std::slice::from_ref(&rel), &ReadOptions::default());
    match set.manifests.iter().position(|m| m.path == rel) {
        Some(i) => Ok(set.manifests.swap_remove(i)),
        None => Err(ManifestError {
            message: set
                .problems
                .into_iter()
                .find(|p| p.path == rel)
                .map_or_else(|| "cannot read".to_string(), |p| p.message),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_python_names() {
        assert_eq!(normalize_python_name("Flask_SQLAlchemy"), "flask-sqlalchemy");
        assert_eq!(normalize_python_name("zope.interface"), "zope-interface");
        assert_eq!(normalize_python_name("a-_.b"), "a-b");
        assert_eq!(normalize_python_name("PyYAML"), "pyyaml");
    }

    #[test]
    fn broken_manifests_name_the_position() {
        let dir = tempfile::tempdir().unwrap();
        let py = dir.path().join("pyproject.toml");
        std::fs::write(&py, "[project\nname = 'x'\n").unwrap();
        let e = read_manifest(&py, "pyproject.toml").unwrap_err();
        assert!(e.message.starts_with("invalid TOML at line 1"), "{}", e.message);
        let pj = dir.path().join("package.json");
        std::fs::write(&pj, "{\"name\": \"x\",}").unwrap();
        let e = read_manifest(&pj, "package.json").unwrap_err();
        assert!(e.message.starts_with("invalid JSON at line 1"), "{}", e.message);
        std::fs::write(&pj, "{\"name\": \"web\", \"workspaces\": [\"a\"]}").unwrap();
        let m = read_manifest(&pj, "package.json").unwrap();
        assert_eq!(m.name.as_deref(), Some("web"));
        assert!(m.is_workspace);
        assert_eq!(m.workspace_members, vec!["a".to_string()]);
    }

    #[test]
    fn unreadable_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_manifest(&dir.path().join("Cargo.toml"), "Cargo.toml").unwrap_err();
        assert!(e.message.starts_with("cannot read"), "{}", e.message);
    }
}
