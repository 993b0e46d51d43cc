//! Reads every manifest of a project and resolves what crosses files:
//! Cargo `workspace = true` inheritance (and `cargo metadata` when asked),
//! requirements `-r`/`-c` includes, pyproject `[tool.setuptools.dynamic]`
//! files, names of local path requirements, and tsconfig `extends`.

use crate::files::Files;
use crate::paths::{dir_of, join};
use crate::problems::ProblemSink;
use crate::requirements::{self, Include};
use crate::{cargo, cargo_metadata_run, lockfile, package_json, pnpm, python, setup_cfg, setup_py, tsconfig};
use crate::{CargoRuns, DepKind, DepSource, Dependency, Manifest, ManifestKind, ManifestSet, ReadOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Reads all manifests of a project (root-relative `/`-separated paths, as
/// discovered), following workspace inheritance, requirements `-r`/`-c`
/// includes and tsconfig `extends`. Never panics; a broken file is a problem,
/// the rest is still read. Paths that are not manifests are ignored.
pub fn read_project_manifests(root: &Path, rels: &[String], opts: &ReadOptions) -> ManifestSet {
    let mut files = Files::new(root);
    let mut sink = ProblemSink::default();
    let mut manifests: Vec<Manifest> = Vec::new();
    let mut cargo_workspace_paths: BTreeMap<String, String> = BTreeMap::new();
    let rels: BTreeSet<String> = rels.iter().map(|r| r.replace('\\', "/")).collect();
    for rel in &rels {
        let Some(kind) = ManifestKind::of_path(rel) else {
            continue;
        };
        let text = match files.text(rel) {
            Ok(t) => t,
            Err(e) => {
                sink.push(rel, 0, 0, &format!("cannot read: {e}"));
                continue;
            }
        };
        let result = match kind {
            ManifestKind::CargoToml => cargo::read(&text, rel).map(|c| {
                if let Some(ws) = c.workspace_root {
                    cargo_workspace_paths.insert(rel.clone(), ws);
                }
                c.manifest
            }),
            ManifestKind::Pyproject => python::read(&text, rel, &mut sink).map(|p| {
                let mut m = p.manifest;
                for file in p.dynamic_files {
                    let kind = match &file.extra {
                        Some(extra) if python::is_dev_group(extra) => Some(DepKind::Dev),
                        Some(_) => Some(DepKind::Normal),
                        None => None,
                    };
                    let mut deps = Vec::new();
                    let mut seen = vec![rel.clone()];
                    include_requirements(&mut files, &mut sink, rel, (0, 0), &file.path, &mut seen, &mut deps);
                    for mut dep in deps {
                        if let Some(kind) = kind {
                            dep.kind = kind;
                            dep.optional = true;
                            dep.group = file.extra.clone();
                        }
                        m.dependencies.push(dep);
                    }
                }
                m
            }),
            ManifestKind::Requirements => {
                let mut deps = Vec::new();
                read_requirements(&mut files, &mut sink, rel, &text, &mut vec![rel.clone()], &mut deps);
                Ok(Manifest {
                    kind: Some(ManifestKind::Requirements),
                    path: rel.clone(),
                    dependencies: deps,
                    ..Manifest::default()
                })
            }
            ManifestKind::SetupCfg => Ok(setup_cfg::read(&text, rel, &mut sink)),
            ManifestKind::SetupPy => setup_py::read(&text, rel, &mut sink),
            ManifestKind::PackageJson => package_json::read(&text, rel),
            ManifestKind::Tsconfig => tsconfig::read(&text, rel, &mut files, &mut sink),
            ManifestKind::PnpmWorkspace => pnpm::read_workspace(&text, rel),
            ManifestKind::Lockfile => lockfile::read(&text, rel),
        };
        match result {
            Ok(m) => manifests.push(m),
            Err(p) => sink.0.push(p),
        }
    }
    let unresolved = resolve_cargo_inheritance(&mut files, &mut sink, &mut manifests, &cargo_workspace_paths);
    let refined = match opts.cargo {
        Some(cargo) => run_cargo_metadata(cargo, &mut manifests),
        None => BTreeSet::new(),
    };
    for (rel, line, column, what) in unresolved {
        if !refined.contains(&rel) {
            sink.push(&rel, line, column, &what);
        }
    }
    for m in &mut manifests {
        name_local_requirements(&mut files, m);
    }
    manifests.sort_by(|a, b| a.path.cmp(&b.path));
    let mut problems = sink.0;
    problems.sort_by(|a, b| (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message)));
    problems.dedup();
    ManifestSet { manifests, problems }
}

/// Reads a requirements file's lines and, recursively, its `-r` includes.
fn read_requirements(
    files: &mut Files,
    sink: &mut ProblemSink,
    rel: &str,
    text: &str,
    seen: &mut Vec<String>,
    out: &mut Vec<Dependency>,
) {
    let parsed = requirements::parse(text, rel);
    sink.0.extend(parsed.problems);
    out.extend(parsed.dependencies);
    for Include {
        path,
        constraint,
        line,
        column,
    } in parsed.includes
    {
        if constraint {
            // Constraints pin versions but declare nothing; only check they exist.
            if !files.is_file(&path) {
                sink.push(rel, line, column, &format!("constraints file {path} is not found"));
            }
            continue;
        }
        include_requirements(files, sink, rel, (line, column), &path, seen, out);
    }
}

/// Reads an included requirements file; its dependencies say where they were declared.
fn include_requirements(
    files: &mut Files,
    sink: &mut ProblemSink,
    from: &str,
    (line, column): (u32, u32),
    path: &str,
    seen: &mut Vec<String>,
    out: &mut Vec<Dependency>,
) {
    if seen.iter().any(|s| s == path) {
        return;
    }
    let text = match files.text(path) {
        Ok(t) => t,
        Err(e) => {
            sink.push(
                from,
                line,
                column,
                &format!("requirements file {path} cannot be read ({e}); its requirements are not checked"),
            );
            return;
        }
    };
    seen.push(path.to_string());
    let mut included = Vec::new();
    read_requirements(files, sink, path, &text, seen, &mut included);
    for mut dep in included {
        dep.declared_in.get_or_insert_with(|| path.to_string());
        out.push(dep);
    }
}

/// Names `-e ./lib`-style requirements from the target folder's own metadata; drops those it cannot name.
fn name_local_requirements(files: &mut Files, m: &mut Manifest) {
    if !m.dependencies.iter().any(|d| d.name.is_empty()) {
        return;
    }
    for dep in &mut m.dependencies {
        if !dep.name.is_empty() {
            continue;
        }
        let DepSource::Path(dir) = &dep.source else { continue };
        if let Some(name) = package_name_in(files, dir) {
            dep.package = name.clone();
            dep.name = name;
        }
    }
    m.dependencies.retain(|d| !d.name.is_empty());
}

/// The distribution name a Python project folder declares.
fn package_name_in(files: &mut Files, dir: &str) -> Option<String> {
    let mut scratch = ProblemSink::default();
    let pyproject = join(dir, "pyproject.toml");
    if let Ok(text) = files.text(&pyproject) {
        if let Some(name) = python::read(&text, &pyproject, &mut scratch)
            .ok()
            .and_then(|p| p.manifest.name)
        {
            return Some(name);
        }
    }
    let cfg = join(dir, "setup.cfg");
    if let Ok(text) = files.text(&cfg) {
        if let Some(name) = setup_cfg::read(&text, &cfg, &mut scratch).name {
            return Some(name);
        }
    }
    let py = join(dir, "setup.py");
    let text = files.text(&py).ok()?;
    setup_py::read(&text, &py, &mut scratch).ok()?.name
}

type Unresolved = (String, u32, u32, String);

/// Resolves `workspace = true` from the nearest workspace root (the explicit
/// `package.workspace` path, else the closest folder upwards whose
/// `Cargo.toml` has `[workspace]`, read from disk when not among `manifests`).
fn resolve_cargo_inheritance(
    files: &mut Files,
    sink: &mut ProblemSink,
    manifests: &mut [Manifest],
    explicit: &BTreeMap<String, String>,
) -> Vec<Unresolved> {
    let mut unresolved = Vec::new();
    let mut disk_roots: BTreeMap<String, Option<Manifest>> = BTreeMap::new();
    for i in 0..manifests.len() {
        let m = &manifests[i];
        if m.kind != Some(ManifestKind::CargoToml) || !m.dependencies.iter().any(|d| d.inherited) {
            continue;
        }
        let candidates: Vec<String> = match explicit.get(&m.path) {
            Some(dir) => vec![join(dir, "Cargo.toml")],
            None => {
                let mut dirs = Vec::new();
                let mut dir = Some(dir_of(&m.path).to_string());
                while let Some(d) = dir {
                    dirs.push(join(&d, "Cargo.toml"));
                    dir = (!d.is_empty()).then(|| dir_of(&d).to_string());
                }
                dirs
            }
        };
        let mut root: Option<Manifest> = None;
        for candidate in candidates {
            let found = match manifests.iter().find(|o| o.path == candidate) {
                Some(o) => Some(o.clone()),
                None => disk_roots
                    .entry(candidate.clone())
                    .or_insert_with(|| {
                        let text = files.text(&candidate).ok()?;
                        cargo::read(&text, &candidate).ok().map(|c| c.manifest)
                    })
                    .clone(),
            };
            if let Some(found) = found.filter(|f| f.is_workspace) {
                root = Some(found);
                break;
            }
        }
        let member = &mut manifests[i];
        match root {
            Some(root) => {
                for (name, line, column) in cargo::resolve_inherited(member, &root) {
                    sink.push(
                        &member.path,
                        line,
                        column,
                        &format!(
                            "{name} has `workspace = true` but {} declares no such workspace dependency",
                            root.path
                        ),
                    );
                }
            }
            None => {
                let first = member
                    .dependencies
                    .iter()
                    .find(|d| d.inherited)
                    .map_or((0, 0), |d| (d.line, d.column));
                unresolved.push((
                    member.path.clone(),
                    first.0,
                    first.1,
                    "inherits workspace dependencies but no workspace root Cargo.toml was found; their sources are unknown".to_string(),
                ));
            }
        }
    }
    unresolved
}

/// Refines every Cargo manifest with `cargo metadata`, once per workspace.
/// Returns the manifests cargo described.
fn run_cargo_metadata(cargo: &CargoRuns, manifests: &mut [Manifest]) -> BTreeSet<String> {
    let mut covered = BTreeSet::new();
    let mut tried = BTreeSet::new();
    let cargo_rels: Vec<String> = manifests
        .iter()
        .filter(|m| m.kind == Some(ManifestKind::CargoToml))
        .map(|m| m.path.clone())
        .collect();
    for rel in cargo_rels {
        if covered.contains(&rel) || tried.contains(&rel) {
            continue;
        }
        tried.insert(rel.clone());
        let run = cargo.get(dir_of(&rel));
        let Ok(packages) = &run.packages else {
            continue;
        };
        for package in packages {
            if let Some(m) = manifests.iter_mut().find(|m| m.path == package.rel) {
                cargo_metadata_run::refine(m, package);
                covered.insert(package.rel.clone());
            }
        }
    }
    covered
}
