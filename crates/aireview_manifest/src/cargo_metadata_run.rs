//! `cargo metadata`: cargo's own view of a workspace, which settles
//! inheritance, renames and targets exactly as cargo does, including a
//! workspace root outside the scanned folder. It has no line numbers, so it
//! refines the TOML reading rather than replacing it. The same document
//! with dependencies says where each dependency's sources are.
//!
//! One run per folder answers both questions: `cargo metadata --offline
//! --locked` with dependencies (it needs `Cargo.lock` and downloaded
//! sources, never the network), and only when that fails `--no-deps
//! --offline` for the workspace packages. A review starts the runs it will
//! need on background threads as soon as the walk has found the manifests,
//! so cargo works while the files are parsed; the model waits for them.

use crate::cargo::clean_git_url;
use crate::cargo_crate_sources::crate_sources;
use crate::paths::{dir_of, file_name, join, on_disk, relative_to_root};
use crate::{DepKind, DepSource, Dependency, Manifest};
use cargo_metadata::{DependencyKind, Metadata, MetadataCommand};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long `cargo metadata` with dependencies may run before it is given up
/// (it can wait on the package cache lock held by another cargo).
const TIMEOUT: Duration = Duration::from_secs(60);

/// One workspace package as cargo reports it.
pub struct MetaPackage {
    /// Project-relative path of its `Cargo.toml`.
    pub rel: String,
    pub name: String,
    pub dependencies: Vec<Dependency>,
}

/// What cargo says, run in one folder of the project.
pub struct CargoMetadata {
    /// The workspace packages under the root, or cargo's error in one line.
    pub packages: Result<Vec<MetaPackage>, String>,
    /// Crate name as used in code (underscored) -> its library's root source
    /// file, for the dependencies of the workspace; empty when the run with
    /// dependencies failed.
    pub crate_sources: BTreeMap<String, PathBuf>,
}

type Slot = Arc<OnceLock<Arc<CargoMetadata>>>;

/// The `cargo metadata` runs of one review, by the project-relative folder
/// cargo runs in. Each runs at most once: `start` begins it on a background
/// thread, `get` waits for it or runs it then.
pub struct CargoRuns {
    root: PathBuf,
    /// `$CARGO` (as cargo sets it for the programs it runs), else `cargo`.
    program: PathBuf,
    runs: Mutex<BTreeMap<String, Slot>>,
}

impl CargoRuns {
    pub fn new(root: &Path) -> CargoRuns {
        let program = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
        CargoRuns::with_program(root, program)
    }

    /// Runs `program` as cargo.
    pub fn with_program(root: &Path, program: PathBuf) -> CargoRuns {
        CargoRuns {
            root: root.to_path_buf(),
            program,
            runs: Mutex::new(BTreeMap::new()),
        }
    }

    /// Starts the runs a review of these manifests (project-relative paths)
    /// will ask for: in the folder of the first `Cargo.toml`, where the
    /// manifests are refined first, and in the folder of each `Cargo.lock`,
    /// where dependency sources are looked up.
    pub fn start_for(&self, manifests: &[String]) {
        let rels: Vec<String> = manifests.iter().map(|r| r.replace('\\', "/")).collect();
        let first_toml = rels.iter().filter(|r| file_name(r) == "Cargo.toml").min();
        let locks = rels.iter().filter(|r| file_name(r) == "Cargo.lock");
        for rel in first_toml.into_iter().chain(locks) {
            self.start(dir_of(rel));
        }
    }

    /// Begins the run in `dir` on a background thread, unless it was begun
    /// or asked for already.
    pub fn start(&self, dir: &str) {
        let slot = {
            let mut runs = self.runs.lock().unwrap_or_else(|e| e.into_inner());
            if runs.contains_key(dir) {
                return;
            }
            runs.entry(dir.to_string()).or_default().clone()
        };
        let (root, program, dir) = (self.root.clone(), self.program.clone(), dir.to_string());
        // If no thread can be had, `get` runs it.
        let _ = std::thread::Builder::new()
            .name("cargo-metadata".into())
            .spawn(move || {
                slot.get_or_init(|| Arc::new(run(&root, &program, &dir)));
            });
    }

    /// The run in `dir` (project-relative), waiting for it when it was started.
    pub fn get(&self, dir: &str) -> Arc<CargoMetadata> {
        let slot = self
            .runs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(dir.to_string())
            .or_default()
            .clone();
        slot.get_or_init(|| Arc::new(run(&self.root, &self.program, dir)))
            .clone()
    }
}

/// One folder's run: with dependencies, and `--no-deps` only when that fails.
fn run(root: &Path, program: &Path, dir: &str) -> CargoMetadata {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let full = run_with_deps(program, &on_disk(root, dir));
    let crate_sources = full.as_deref().map(crate_sources).unwrap_or_default();
    let from_full = full
        .as_deref()
        .and_then(|out| parse_document(out).ok())
        .map(|metadata| workspace_packages(&canonical_root, &metadata));
    let packages = match from_full {
        Some(packages) => Ok(packages),
        None => run_no_deps(program, &canonical_root, &join(dir, "Cargo.toml")),
    };
    CargoMetadata {
        packages,
        crate_sources,
    }
}

/// `cargo metadata --offline --locked` in `dir`: its output when it succeeds
/// within `TIMEOUT`.
fn run_with_deps(program: &Path, dir: &Path) -> Option<Vec<u8>> {
    let started = Instant::now();
    let mut child = Command::new(program)
        .args(["metadata", "--offline", "--locked", "--format-version", "1"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    // Read stdout on a thread so a large document cannot fill the pipe
    // while we wait; it ends when cargo closes its output, normally on exit.
    let mut stdout = child.stdout.take()?;
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = sender.send(stdout.read_to_end(&mut buf).map(|_| buf));
    });
    let out = match receiver.recv_timeout(TIMEOUT) {
        Ok(read) => read.ok(),
        Err(_) => None,
    };
    let Some(out) = out else {
        let _ = child.kill();
        let _ = child.wait();
        return None;
    };
    let left = TIMEOUT.saturating_sub(started.elapsed());
    let status = wait_within(&mut child, left)?;
    status.success().then_some(out)
}

/// The child's exit status, or `None` (and the child killed) when it has
/// not exited within `limit`.
fn wait_within(child: &mut std::process::Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if started.elapsed() < limit => std::thread::sleep(Duration::from_millis(1)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Reads cargo's output as `MetadataCommand::exec` does: the first line
/// that starts a JSON object.
fn parse_document(out: &[u8]) -> Result<Metadata, String> {
    let text = std::str::from_utf8(out).map_err(|e| e.to_string())?;
    let line = text
        .lines()
        .find(|line| line.starts_with('{'))
        .ok_or("cargo metadata printed no JSON")?;
    MetadataCommand::parse(line).map_err(|e| e.to_string())
}

/// `cargo metadata --no-deps --offline` for the manifest `rel`; the
/// workspace packages under the root, or cargo's error in one line.
fn run_no_deps(program: &Path, canonical_root: &Path, rel: &str) -> Result<Vec<MetaPackage>, String> {
    let metadata = MetadataCommand::new()
        .cargo_path(program)
        .manifest_path(on_disk(canonical_root, rel))
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
    Ok(workspace_packages(canonical_root, &metadata))
}

/// The workspace packages whose manifests are under the root.
fn workspace_packages(canonical_root: &Path, metadata: &Metadata) -> Vec<MetaPackage> {
    let mut out = Vec::new();
    for package in metadata.workspace_packages() {
        let Some(pkg_rel) = relative_to_root(canonical_root, package.manifest_path.as_std_path()) else {
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
                    relative_to_root(canonical_root, path.as_std_path()).map_or(DepSource::Registry, DepSource::Path)
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
    out
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::{read_project_manifests, ReadOptions};

    /// A project with a path dependency, so it resolves offline, and a
    /// stand-in cargo that logs each call and hands it to the real one.
    fn project(with_lock: bool) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("app");
        let files = [
            (
                "Cargo.toml",
                "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nhelper = { path = \"helper\", package = \"helper-lib\" }\n",
            ),
            ("src/main.rs", "fn main() {}\n"),
            (
                "helper/Cargo.toml",
                "[package]\nname = \"helper-lib\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            ),
            ("helper/src/lib.rs", "pub fn help() {}\n"),
        ];
        for (rel, text) in files {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let real = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
        if with_lock {
            let status = Command::new(&real)
                .args(["generate-lockfile", "--offline"])
                .current_dir(&root)
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
        }
        let script = tmp.path().join("cargo");
        let log = tmp.path().join("calls.log");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
                log.display(),
                real.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        (tmp, root)
    }

    fn calls(tmp: &tempfile::TempDir) -> Vec<String> {
        std::fs::read_to_string(tmp.path().join("calls.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn read(runs: &CargoRuns, root: &Path) -> Manifest {
        let rels = ["Cargo.lock".to_string(), "Cargo.toml".to_string()];
        let set = read_project_manifests(root, &rels, &ReadOptions { cargo: Some(runs) });
        set.manifests.into_iter().find(|m| m.path == "Cargo.toml").unwrap()
    }

    #[test]
    fn one_run_with_dependencies_refines_manifests_and_finds_sources() {
        let (tmp, root) = project(true);
        let runs = CargoRuns::with_program(&root, tmp.path().join("cargo"));
        runs.start_for(&["Cargo.lock".into(), "Cargo.toml".into(), "helper/Cargo.toml".into()]);
        let manifest = read(&runs, &root);
        let helper = manifest.dependencies.iter().find(|d| d.name == "helper").unwrap();
        assert_eq!(helper.package, "helper-lib", "cargo's reading");
        let sources = runs.get("").crate_sources.clone();
        let lib = sources.get("helper").expect("the renamed path dependency");
        assert!(lib.ends_with("helper/src/lib.rs"), "{}", lib.display());
        let calls = calls(&tmp);
        assert_eq!(calls.len(), 1, "{calls:?}");
        assert!(
            calls[0].contains("--locked") && !calls[0].contains("--no-deps"),
            "{calls:?}"
        );
    }

    #[test]
    fn without_a_lock_file_the_packages_come_from_no_deps() {
        let (tmp, root) = project(false);
        let runs = CargoRuns::with_program(&root, tmp.path().join("cargo"));
        runs.start_for(&["Cargo.toml".into()]);
        let manifest = read(&runs, &root);
        let helper = manifest.dependencies.iter().find(|d| d.name == "helper").unwrap();
        assert_eq!(helper.package, "helper-lib");
        assert!(runs.get("").crate_sources.is_empty());
        let calls = calls(&tmp);
        assert_eq!(calls.len(), 2, "{calls:?}");
        assert!(calls[0].contains("--locked"), "{calls:?}");
        assert!(
            calls[1].contains("--no-deps") && !calls[1].contains("--locked"),
            "{calls:?}"
        );
        assert!(!root.join("Cargo.lock").exists(), "cargo must not write a lock file");
    }

    #[test]
    fn a_folder_without_a_manifest_gives_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let run = CargoRuns::new(dir.path()).get("");
        assert!(run.crate_sources.is_empty());
        assert!(run.packages.is_err());
    }
}
