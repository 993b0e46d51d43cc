//! Where an import comes from: the standard library, the project's own code
//! (resolved to a file when possible), or a third-party package (with the
//! keys its declaration would be found under). Every import rule asks this
//! one function, so they never disagree about what an import is.

use crate::deps::{is_under, rust_key, DependencyModel};
use crate::facts::{DefKind, FileFacts, Import, ImportKind};
use crate::lang::{Ecosystem, Language};
use crate::model::{FileId, ProjectModel};
use aireview_manifest::tables::{self, StdlibAnswer};
use aireview_manifest::ManifestKind;

/// What an import refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Standard library, Node builtin, Rust `std`/`core`/...
    Builtin,
    /// A standard-library module that some supported Python version lacks.
    BuiltinUnavailable { reason: String },
    /// The project's own code.
    Local(Local),
    /// A third-party package.
    External(External),
    /// Cannot be told statically (URL and virtual specifiers, assets, local
    /// Rust items, configured `known` names): no rule reports it.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Local {
    /// The module is this file.
    Module(FileId),
    /// The module or file does not exist: the whole message, naming it
    /// and where it was looked for.
    Missing(String),
    /// Exists or may exist, but its names cannot be checked (inline Rust
    /// modules, namespace folders, `#[path]` modules, folder imports).
    Opaque,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct External {
    pub ecosystem: Ecosystem,
    /// The package as users name it (`PyYAML` for `import yaml`, `@scope/pkg`, `serde_json`).
    pub package: String,
    /// Keys a declaration may be filed under (see `DependencyModel`).
    pub keys: Vec<String>,
    /// The module path inside the package, for export checks
    /// (`requests.adapters`, `lodash/fp`, `serde_json::value`).
    pub module: String,
}

/// Extensions of files a JS import may name without them being code.
const ASSET_EXTENSIONS: &[&str] = &[
    "css", "scss", "sass", "less", "styl", "svg", "png", "jpg", "jpeg", "gif", "webp", "avif", "ico", "bmp", "woff",
    "woff2", "ttf", "otf", "eot", "json", "json5", "wasm", "html", "md", "mdx", "txt", "yaml", "yml", "toml", "csv",
    "graphql", "gql", "vue", "svelte", "astro", "node", "mp3", "mp4", "webm", "wav", "glsl", "frag", "vert", "xml",
];

const JS_CODE_EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"];

pub fn resolve_import(model: &ProjectModel, file: &FileFacts, import: &Import) -> Origin {
    if let Some(known) = model.resolved(file, import) {
        return known.clone();
    }
    match file.language.map(Language::ecosystem) {
        Some(Ecosystem::Python) => resolve_python(model, file, import),
        Some(Ecosystem::Js) => resolve_js(model, file, import),
        Some(Ecosystem::Rust) => resolve_rust(model, file, import),
        None => Origin::Unknown,
    }
}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn join_path(dir: &str, rest: &str) -> String {
    if dir.is_empty() {
        rest.to_string()
    } else if rest.is_empty() {
        dir.to_string()
    } else {
        format!("{dir}/{rest}")
    }
}

/// Joins and normalises `.` and `..`; `None` when it climbs above the project root.
fn normalize_path(dir: &str, spec: &str) -> Option<String> {
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for seg in spec.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

// ---------------------------------------------------------------- Python

fn resolve_python(model: &ProjectModel, file: &FileFacts, import: &Import) -> Origin {
    let deps = &model.deps;
    if import.level > 0 {
        return resolve_python_relative(model, file, import);
    }
    let dotted = import.module.as_str();
    let top = dotted.split('.').next().unwrap_or(dotted);
    if top.is_empty() || top == "__future__" {
        return Origin::Builtin;
    }
    if deps.settings.known.contains(top) || deps.settings.known.contains(dotted) {
        return Origin::Unknown;
    }
    let keys = deps.python_candidates(&file.path, dotted);
    let declared = matches!(
        deps.declaration(&file.path, Ecosystem::Python, &keys),
        crate::deps::Declaration::Declared(_)
    );
    if !declared {
        match model.python_top_level(top) {
            Some(_) => return resolve_python_absolute(model, dotted),
            None if deps.settings.first_party.contains(top) || is_own_python_name(model, file, top) => {
                return Origin::Local(Local::Opaque)
            }
            None => {}
        }
        let versions = deps.python_versions(&file.path);
        let range = versions.unwrap_or_else(|| tables::supported_python_range(None));
        match tables::is_python_stdlib(top, range) {
            StdlibAnswer::Yes => return Origin::Builtin,
            StdlibAnswer::Removed { in_version } if versions.is_some() => {
                return Origin::BuiltinUnavailable {
                    reason: format!(
                        "`{top}` was removed from the standard library in Python {}.{}",
                        in_version.0, in_version.1
                    ),
                }
            }
            StdlibAnswer::NotYet { added_in } if versions.is_some() => {
                return Origin::BuiltinUnavailable {
                    reason: format!(
                        "`{top}` is in the standard library only from Python {}.{}",
                        added_in.0, added_in.1
                    ),
                }
            }
            StdlibAnswer::Removed { .. } | StdlibAnswer::NotYet { .. } => return Origin::Builtin,
            StdlibAnswer::No => {}
        }
    }
    let package = tables::distributions_for_import(dotted)
        .first()
        .map_or_else(|| top.to_string(), |d| d.to_string());
    Origin::External(External {
        ecosystem: Ecosystem::Python,
        package,
        keys,
        module: dotted.to_string(),
    })
}

fn is_own_python_name(model: &ProjectModel, file: &FileFacts, top: &str) -> bool {
    let norm = aireview_manifest::normalize_python_name(top);
    model
        .deps
        .chain(&file.path, Ecosystem::Python)
        .iter()
        .any(|r| r.python.as_ref().is_some_and(|d| d.own_names.contains(&norm)))
}

/// `import a.b.c` / `from a.b import c` where `a` is first-party.
fn resolve_python_absolute(model: &ProjectModel, dotted: &str) -> Origin {
    if let Some(id) = model.python_module(dotted) {
        return Origin::Local(Local::Module(id));
    }
    if model.python_namespace(dotted) {
        return Origin::Local(Local::Opaque);
    }
    // Find the longest existing prefix: if it is a module that cannot be
    // known statically, or defines the next part as a name, stay silent.
    let parts: Vec<&str> = dotted.split('.').collect();
    for n in (1..parts.len()).rev() {
        let prefix = parts[..n].join(".");
        if let Some(id) = model.python_module(&prefix) {
            // A plain module (not a package) has submodules only through
            // `sys.modules` tricks (requests.packages): cannot be known.
            let package = model.files[id]
                .path
                .rsplit('/')
                .next()
                .is_some_and(|f| f.starts_with("__init__."));
            if !package {
                return Origin::Local(Local::Opaque);
            }
            return match module_exports(model, id, parts[n]) {
                Some(false) if !model.has_native_module(&join_path(&prefix.replace('.', "/"), parts[n])) => {
                    Origin::Local(Local::Missing(format!(
                        "module `{dotted}` does not exist in this project"
                    )))
                }
                _ => Origin::Local(Local::Opaque),
            };
        }
        if model.python_namespace(&prefix) {
            return Origin::Local(Local::Missing(format!(
                "module `{dotted}` does not exist in this project"
            )));
        }
    }
    Origin::Local(Local::Opaque)
}

fn resolve_python_relative(model: &ProjectModel, file: &FileFacts, import: &Import) -> Origin {
    let mut dir = dir_of(&file.path).to_string();
    for _ in 1..import.level {
        if dir.is_empty() {
            return Origin::Local(Local::Missing(format!(
                "relative import `{}{}` climbs above the top of the project",
                ".".repeat(import.level as usize),
                import.module
            )));
        }
        dir = dir_of(&dir).to_string();
    }
    let rel_parts: Vec<&str> = import.module.split('.').filter(|p| !p.is_empty()).collect();
    let mut path = dir.clone();
    for (i, part) in rel_parts.iter().enumerate() {
        let next = join_path(&path, part);
        let is_last = i + 1 == rel_parts.len();
        if is_last {
            if let Some(id) = python_file(model, &next) {
                return Origin::Local(Local::Module(id));
            }
            if model.has_python_folder(&next) {
                return Origin::Local(Local::Opaque);
            }
            // `from .pkg import x` where `pkg` is a name in `pkg`'s parent.
            if let Some(id) = python_file(model, &path) {
                if module_exports(model, id, part) != Some(false) {
                    return Origin::Local(Local::Opaque);
                }
            }
            if model.has_native_module(&next) {
                return Origin::Local(Local::Opaque);
            }
            return Origin::Local(Local::Missing(format!(
                "module `{}{}` does not exist in this project (no {next}.py or {next}/__init__.py)",
                ".".repeat(import.level as usize),
                import.module
            )));
        }
        if python_file(model, &next).is_none() && !model.has_python_folder(&next) {
            if model.has_native_module(&next) {
                return Origin::Local(Local::Opaque);
            }
            return Origin::Local(Local::Missing(format!(
                "module `{}{}` does not exist in this project (no package {next})",
                ".".repeat(import.level as usize),
                import.module
            )));
        }
        path = next;
    }
    // `from . import x`: the package itself.
    match python_file(model, &path) {
        Some(id) => Origin::Local(Local::Module(id)),
        None => Origin::Local(Local::Opaque),
    }
}

/// The file of a Python module at a project-relative path without extension.
fn python_file(model: &ProjectModel, stem: &str) -> Option<FileId> {
    let init = |ext: &str| join_path(stem, &format!("__init__.{ext}"));
    model
        .file_id(&format!("{stem}.py"))
        .or_else(|| model.file_id(&init("py")))
        .or_else(|| model.file_id(&format!("{stem}.pyi")))
        .or_else(|| model.file_id(&init("pyi")))
}

// ---------------------------------------------------------------- JS / TS

fn resolve_js(model: &ProjectModel, file: &FileFacts, import: &Import) -> Origin {
    let spec = import.module.as_str();
    if spec.is_empty() {
        return Origin::Unknown;
    }
    if tables::is_node_builtin(spec) {
        return Origin::Builtin;
    }
    if spec.starts_with("bun:") || spec == "bun" {
        let bun = model
            .deps
            .chain(&file.path, Ecosystem::Js)
            .iter()
            .any(|r| r.runtimes.contains("bun"));
        return if bun && tables::is_bun_builtin(spec) {
            Origin::Builtin
        } else {
            Origin::Unknown
        };
    }
    if spec.contains(':') || spec.starts_with("//") {
        // URL, `npm:`/`jsr:` (Deno), `virtual:` and loader-prefixed specifiers.
        return Origin::Unknown;
    }
    if spec.starts_with('/') {
        // A web-root URL (`/static/app.js`) or a machine path: which folder
        // it starts from is not the project's to say.
        return match normalize_path("", spec).map(|t| resolve_js_file(model, &t, spec)) {
            Some(found @ Origin::Local(Local::Module(_))) => found,
            _ => Origin::Local(Local::Opaque),
        };
    }
    if spec.starts_with('.') {
        return match normalize_path(dir_of(&file.path), spec) {
            Some(target) => resolve_js_file(model, &target, spec),
            None => Origin::Local(Local::Missing(format!("`{spec}` climbs above the project root"))),
        };
    }
    if spec.starts_with('#') {
        return resolve_js_subpath_import(model, file, spec);
    }
    if let Some(origin) = resolve_ts_paths(model, file, spec) {
        return origin;
    }
    let Some(package) = DependencyModel::js_package_name(spec) else {
        return Origin::Unknown;
    };
    if !valid_npm_name(package) || model.deps.settings.known.contains(package) {
        return Origin::Unknown;
    }
    if model.deps.settings.first_party.contains(package) || is_js_workspace_package(model, package) {
        return Origin::Local(Local::Opaque);
    }
    let mut keys = vec![package.to_string()];
    if import.type_only {
        keys.push(types_package(package));
    }
    Origin::External(External {
        ecosystem: Ecosystem::Js,
        package: package.to_string(),
        keys,
        module: spec.to_string(),
    })
}

/// `@types/x` for `x`, `@types/scope__x` for `@scope/x`.
pub fn types_package(package: &str) -> String {
    match package.strip_prefix('@') {
        Some(scoped) => format!("@types/{}", scoped.replace('/', "__")),
        None => format!("@types/{package}"),
    }
}

fn valid_npm_name(name: &str) -> bool {
    let body = name.strip_prefix('@').unwrap_or(name);
    !body.is_empty()
        && !name.starts_with('~')
        && !body.starts_with('/')
        && !body.ends_with('/')
        && body
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | '/' | '~'))
        && !body.starts_with('.')
        && !body.starts_with('_')
}

fn is_js_workspace_package(model: &ProjectModel, package: &str) -> bool {
    model
        .deps
        .roots
        .iter()
        .any(|r| r.js.as_ref().is_some_and(|d| d.own_names.contains(package)))
}

/// A project-relative target path (maybe with an extension) to a file.
fn resolve_js_file(model: &ProjectModel, target: &str, spec: &str) -> Origin {
    let name = target.rsplit('/').next().unwrap_or(target);
    let ext = name.rsplit_once('.').map(|(_, e)| e);
    if let Some(e) = ext {
        if ASSET_EXTENSIONS.contains(&e) {
            return Origin::Unknown;
        }
    }
    let stem = match ext {
        Some(e) if JS_CODE_EXTENSIONS.contains(&e) => &target[..target.len() - e.len() - 1],
        _ => target,
    };
    if let Some(id) = model.js_module(stem).or_else(|| model.js_module(target)) {
        return Origin::Local(Local::Module(id));
    }
    // A folder with a package.json `main`, a file of another kind, or a
    // dotted name that is not an extension (`./jquery.min`).
    if model.has_any_file_under(target) || (ext.is_some() && !JS_CODE_EXTENSIONS.contains(&ext.unwrap_or(""))) {
        return Origin::Local(Local::Opaque);
    }
    Origin::Local(Local::Missing(format!(
        "`{spec}` does not exist in this project (no file {stem}.ts, .tsx, .js, ... or {stem}/index)"
    )))
}

/// `#name` specifiers from the nearest package.json `imports`.
fn resolve_js_subpath_import(model: &ProjectModel, file: &FileFacts, spec: &str) -> Origin {
    let Some(root) = model.deps.nearest(&file.path, Ecosystem::Js) else {
        return Origin::Unknown;
    };
    let Some(manifest) = root
        .js
        .as_ref()
        .and_then(|d| d.manifests.first())
        .and_then(|p| model.deps.manifests.get(p))
    else {
        return Origin::Unknown;
    };
    let matched = manifest
        .subpath_imports
        .iter()
        .any(|pattern| match pattern.split_once('*') {
            Some((pre, post)) => spec.starts_with(pre) && spec.ends_with(post) && spec.len() >= pre.len() + post.len(),
            None => pattern == spec,
        });
    if matched {
        Origin::Local(Local::Opaque)
    } else if manifest.subpath_imports.is_empty() && !root.broken.is_empty() {
        Origin::Unknown
    } else {
        Origin::Local(Local::Missing(format!(
            "`{spec}` matches no entry of `imports` in {}",
            manifest.path
        )))
    }
}

/// tsconfig/jsconfig `paths` and `baseUrl` of the config governing the file.
fn resolve_ts_paths(model: &ProjectModel, file: &FileFacts, spec: &str) -> Option<Origin> {
    let config = model
        .deps
        .manifests
        .values()
        .filter(|m| m.kind == Some(ManifestKind::Tsconfig) && m.tsconfig.is_some())
        .filter(|m| is_under(&file.path, dir_of(&m.path)))
        // The nearest folder wins; within a folder, `tsconfig.json` before `tsconfig.*.json`.
        .max_by(|a, b| {
            let key = |m: &aireview_manifest::Manifest| {
                let name = m.path.rsplit('/').next().unwrap_or("").to_string();
                (
                    dir_of(&m.path).len(),
                    name == "tsconfig.json" || name == "jsconfig.json",
                    std::cmp::Reverse(name),
                )
            };
            key(a).cmp(&key(b))
        })?;
    let ts = config.tsconfig.as_ref()?;
    let mut best: Option<(usize, &Vec<String>, &str)> = None;
    for (pattern, targets) in &ts.paths {
        let captured = match pattern.split_once('*') {
            Some((pre, post))
                if spec.starts_with(pre) && spec.ends_with(post) && spec.len() >= pre.len() + post.len() =>
            {
                Some((pre.len(), &spec[pre.len()..spec.len() - post.len()]))
            }
            None if pattern == spec => Some((pattern.len() + 1, "")),
            _ => None,
        };
        if let Some((weight, star)) = captured {
            if best.is_none_or(|(w, _, _)| weight > w) {
                best = Some((weight, targets, star));
            }
        }
    }
    if let Some((_, targets, star)) = best {
        let mut missing = None;
        for t in targets {
            let target = t.replacen('*', star, 1);
            if target.contains("node_modules") || target.starts_with("..") {
                return Some(Origin::Unknown);
            }
            match resolve_js_file(model, &target, spec) {
                Origin::Local(Local::Missing(m)) => missing = missing.or(Some(m)),
                other => return Some(other),
            }
        }
        return Some(Origin::Local(Local::Missing(
            missing.unwrap_or_else(|| format!("`{spec}` does not exist in this project")),
        )));
    }
    if let Some(base) = &ts.base_url {
        if let Some(target) = normalize_path(base, spec) {
            if let Origin::Local(local @ (Local::Module(_) | Local::Opaque)) = resolve_js_file(model, &target, spec) {
                if local != Local::Opaque || model.has_any_file_under(&target) {
                    return Some(Origin::Local(local));
                }
            }
        }
    }
    None
}

// ---------------------------------------------------------------- Rust

const RUST_BUILTIN_ROOTS: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

fn resolve_rust(model: &ProjectModel, file: &FileFacts, import: &Import) -> Origin {
    let path = import.module.trim_start_matches("::");
    let first = path.split("::").next().unwrap_or(path);
    if first.is_empty() || first == "$crate" {
        return Origin::Unknown;
    }
    if RUST_BUILTIN_ROOTS.contains(&first) || tables::is_rust_builtin_crate(first) {
        return Origin::Builtin;
    }
    let deps = &model.deps;
    let pkg = deps.nearest(&file.path, Ecosystem::Rust);
    if matches!(first, "crate" | "self" | "super") {
        let Some(pkg) = pkg else {
            return Origin::Unknown;
        };
        let Some(current) = model.rust_module_of(&file.path) else {
            return Origin::Local(Local::Opaque);
        };
        let mut base: Vec<String> = if first == "crate" {
            Vec::new()
        } else {
            current
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        let mut segs: Vec<&str> = path.split("::").collect();
        segs.remove(0);
        if first == "super" && base.pop().is_none() {
            return Origin::Unknown;
        }
        while segs.first() == Some(&"super") {
            segs.remove(0);
            if base.pop().is_none() {
                return Origin::Unknown;
            }
        }
        // An inline `mod` of this file is not a file of its own (and from
        // inside another inline module, `super::` is this file).
        if first == "self" || first == "super" {
            if let Some(seg) = segs.first() {
                if file.modules.iter().any(|m| m.name == *seg && m.inline) {
                    return Origin::Local(Local::Opaque);
                }
            }
        }
        return walk_rust_modules(model, &pkg.dir, base, &segs, path);
    }
    // A module or item of this file (`mod db; use db::Pool;`): a local path.
    if file.definitions.iter().any(|d| d.name == first)
        || file.modules.iter().any(|m| m.name == first)
        || file.types.iter().any(|t| t.name == first)
    {
        return Origin::Unknown;
    }
    let key = rust_key(first);
    if deps.settings.known.contains(&key) {
        return Origin::Unknown;
    }
    if let Some(pkg) = pkg {
        let own = pkg.rust.as_ref().is_some_and(|d| d.own_names.contains(&key));
        // `use mycrate::x` from tests/, examples/, benches/ and binaries.
        if own {
            let segs: Vec<&str> = path.split("::").skip(1).collect();
            return walk_rust_modules(model, &pkg.dir, Vec::new(), &segs, path);
        }
    }
    let declared = matches!(
        deps.declaration(&file.path, Ecosystem::Rust, std::slice::from_ref(&key)),
        crate::deps::Declaration::Declared(_)
    );
    if declared {
        // A workspace member crate is first-party.
        if let Some(member) = deps.roots.iter().find(|r| {
            r.rust.as_ref().is_some_and(|d| d.own_names.contains(&key)) && model.rust_module(&r.dir, "").is_some()
        }) {
            let segs: Vec<&str> = path.split("::").skip(1).collect();
            return walk_rust_modules(model, &member.dir, Vec::new(), &segs, path);
        }
    } else if deps.settings.first_party.contains(&key) {
        return Origin::Local(Local::Opaque);
    }
    Origin::External(External {
        ecosystem: Ecosystem::Rust,
        package: first.to_string(),
        keys: vec![key],
        module: path.to_string(),
    })
}

/// Follows module segments from `base` through the crate's files. Stops
/// (opaque) at anything that is not a file module: inline and `#[path]`
/// modules, types, enums, macro-generated items.
fn walk_rust_modules(model: &ProjectModel, pkg_dir: &str, mut base: Vec<String>, segs: &[&str], full: &str) -> Origin {
    let Some(mut id) = model.rust_module(pkg_dir, &base.join("::")) else {
        return Origin::Local(Local::Opaque);
    };
    for seg in segs {
        base.push(seg.to_string());
        if let Some(next) = model.rust_module(pkg_dir, &base.join("::")) {
            id = next;
            continue;
        }
        let f = &model.files[id];
        let declared_mod = f.modules.iter().any(|m| m.name == *seg);
        let defined_item = f
            .definitions
            .iter()
            .any(|d| d.name == *seg && d.kind != DefKind::Module)
            || f.types.iter().any(|t| t.name == *seg);
        if declared_mod || defined_item || module_exports(model, id, seg) != Some(false) {
            return Origin::Local(Local::Opaque);
        }
        return Origin::Local(Local::Missing(format!(
            "module `{full}` does not exist in this project"
        )));
    }
    Origin::Local(Local::Module(id))
}

/// Whether file `id`'s module makes `name` importable, following the
/// project's own wholesale re-exports (`from .x import *`, `export * from
/// "./x"`, `pub use x::*`) to the modules they name. `None` when that cannot be
/// told: dynamic exports, or a wholesale re-export from outside the project or
/// from a module that cannot be resolved.
pub fn module_exports(model: &ProjectModel, id: FileId, name: &str) -> Option<bool> {
    let mut seen = std::collections::HashSet::new();
    exports_through_stars(model, id, name, &mut seen)
}

fn exports_through_stars(
    model: &ProjectModel,
    id: FileId,
    name: &str,
    seen: &mut std::collections::HashSet<FileId>,
) -> Option<bool> {
    if !seen.insert(id) {
        // A re-export cycle adds nothing new.
        return Some(false);
    }
    if model.module_names(id).contains(name) {
        return Some(true);
    }
    let f = &model.files[id];
    if f.exports.dynamic {
        return None;
    }
    let mut answer = Some(false);
    for star in wholesale_reexports(f) {
        // Python's `import *` skips private names unless `__all__` lists them.
        if star.kind == ImportKind::From && name.starts_with('_') {
            continue;
        }
        let origin = match f.language {
            Some(Language::Rust) => resolve_rust_star(model, f, star),
            _ => resolve_import(model, f, star),
        };
        let found = match origin {
            Origin::Local(Local::Module(target)) => exports_through_stars(model, target, name, seen),
            _ => None,
        };
        match found {
            Some(true) => return Some(true),
            Some(false) => {}
            None => answer = None,
        }
    }
    answer
}

/// The imports that re-export another module wholesale.
fn wholesale_reexports(f: &FileFacts) -> impl Iterator<Item = &Import> {
    f.imports.iter().filter(move |i| {
        i.star
            && match i.kind {
                ImportKind::From => !i.in_function,
                _ => f.exports.star_from.contains(&i.module),
            }
    })
}

/// `pub use child::*` names a child module of this file without `self::`.
fn resolve_rust_star(model: &ProjectModel, f: &FileFacts, star: &Import) -> Origin {
    let first = star.module.split("::").next().unwrap_or_default();
    if f.modules.iter().any(|m| m.name == first) {
        let mut relative = star.clone();
        relative.module = format!("self::{}", star.module);
        return resolve_import(model, f, &relative);
    }
    resolve_import(model, f, star)
}

/// Whether an import is written so that a missing module is handled or
/// never reached: `try/except ImportError`, `if TYPE_CHECKING:`, a
/// `#[cfg(feature)]`, a JS `try/catch` around `require`/`import()`.
pub fn is_guarded(import: &Import) -> bool {
    import.guarded || import.type_checking || import.cfg_feature.is_some()
}

/// Imports that bring names in: which names each import asks a module for.
pub fn imported_names(import: &Import) -> impl Iterator<Item = &crate::facts::ImportedName> {
    import.names.iter().filter(move |n| match import.kind {
        ImportKind::Use => n.name != "self" && n.name != "*",
        _ => n.name != "*",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalise() {
        assert_eq!(normalize_path("src/a", "../b/c").as_deref(), Some("src/b/c"));
        assert_eq!(normalize_path("", "./x").as_deref(), Some("x"));
        assert_eq!(normalize_path("", "../x"), None);
    }

    #[test]
    fn npm_names() {
        assert!(valid_npm_name("lodash"));
        assert!(valid_npm_name("@tanstack/react-query"));
        assert!(!valid_npm_name("~/lib"));
        assert!(!valid_npm_name("@/lib"));
        assert!(!valid_npm_name("Components"));
        assert_eq!(types_package("@scope/x"), "@types/scope__x");
    }
}
