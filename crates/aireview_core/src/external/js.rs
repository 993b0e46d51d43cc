//! JS/TS: the names a package exports, from its type declarations in
//! `node_modules` (the package's own `.d.ts`, else `@types/<pkg>`).
//!
//! The declaration file is found the way TypeScript finds it: `exports` (the
//! `types` condition, or a `.d.ts` next to the `import`/`require`/`default`
//! target), `types`/`typings`, `typesVersions`, a `.d.ts` beside `main`, then
//! `index.d.ts`. Its names are its exports, every top-level declaration (a
//! declaration file exports them implicitly), `export * from` re-exports
//! followed on disk, and the members of a readable `export = Namespace`.
//! Untyped packages, `declare module "x"` blocks and anything unreadable give `None`.

use super::{roots_key, ExternalExports, NameSet, ParsedFile, MAX_DEPTH};
use crate::lang::Language;
use crate::parse::FieldByName;
use regex::Regex;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub(super) fn exports_name(
    cache: &ExternalExports,
    node_modules: &[PathBuf],
    specifier: &str,
    name: &str,
) -> Option<bool> {
    let (package, subpath) = split_specifier(specifier)?;
    let found = package_types(node_modules, package, subpath)?;
    let key = (roots_key(node_modules), found.file.clone(), 0);
    let set = cache.name_set(key, || {
        let mut visited = HashSet::from([found.file.clone()]);
        collect(cache, node_modules, &found.file, &mut visited, 0)
    });
    let answer = set.answer(name);
    if name == "default" && answer == Some(false) {
        let esm = found.esm || found.file.to_string_lossy().ends_with(".d.mts");
        // CommonJS packages get a synthesised default export (esModuleInterop).
        return if esm { answer } else { None };
    }
    answer
}

/// `@scope/name/sub/path` -> (`@scope/name`, `sub/path`); `None` for relative
/// paths, builtins and URLs.
fn split_specifier(specifier: &str) -> Option<(&str, &str)> {
    if specifier.is_empty()
        || specifier.starts_with(['.', '/', '#', '~'])
        || specifier.contains(':')
        || specifier.contains('\\')
    {
        return None;
    }
    let mut cut = specifier.match_indices('/');
    let end = if specifier.starts_with('@') {
        cut.nth(1)
    } else {
        cut.next()
    }
    .map(|(i, _)| i);
    let (package, subpath) = match end {
        Some(i) => (&specifier[..i], &specifier[i + 1..]),
        None => (specifier, ""),
    };
    if package.starts_with('@') && !package.contains('/') {
        return None;
    }
    if package.split('/').any(|p| p.is_empty() || p == "." || p == "..") || subpath.split('/').any(|p| p == "..") {
        return None;
    }
    Some((package, subpath))
}

/// The declaration file a specifier's types come from.
struct TypesFile {
    file: PathBuf,
    /// The package is ESM (`"type": "module"`): no synthesised default export.
    esm: bool,
}

/// Finds the declaration file for `package`/`subpath`: the package's own
/// types in the nearest `node_modules` holding it, else `@types`.
fn package_types(node_modules: &[PathBuf], package: &str, subpath: &str) -> Option<TypesFile> {
    let own = node_modules.iter().map(|nm| nm.join(package)).find(|d| d.is_dir());
    if let Some(dir) = &own {
        if let Some(found) = types_in(dir, subpath) {
            return Some(found);
        }
    }
    let mangled = match package.strip_prefix('@') {
        Some(scoped) => scoped.replacen('/', "__", 1),
        None => package.to_string(),
    };
    let types_dir = node_modules
        .iter()
        .map(|nm| nm.join("@types").join(&mangled))
        .find(|d| d.is_dir())?;
    let mut found = types_in(&types_dir, subpath)?;
    // The runtime package decides whether a default export is synthesised.
    found.esm = own
        .and_then(|d| read_json(&d.join("package.json")))
        .is_some_and(|p| is_esm(&p));
    Some(found)
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&super::read_source(path)?).ok()
}

fn is_esm(manifest: &Value) -> bool {
    manifest.get("type").and_then(Value::as_str) == Some("module")
}

/// The declaration file of `subpath` (empty for the main entry) inside one package directory.
fn types_in(dir: &Path, subpath: &str) -> Option<TypesFile> {
    let manifest = read_json(&dir.join("package.json")).unwrap_or(Value::Null);
    let esm = is_esm(&manifest);
    let found = |file: PathBuf| Some(TypesFile { file, esm });
    if let Some(exports) = manifest.get("exports") {
        if let Some(entry) = export_entry(exports, subpath) {
            let (target, star) = entry;
            let mut targets = Vec::new();
            condition_targets(target, &mut targets);
            for t in targets {
                let t = match &star {
                    Some(s) => t.replace('*', s),
                    None => t.to_string(),
                };
                if let Some(file) = declaration_for(&dir.join(t.trim_start_matches("./"))) {
                    return found(file);
                }
            }
        }
    }
    if subpath.is_empty() {
        for field in ["types", "typings"] {
            if let Some(t) = manifest.get(field).and_then(Value::as_str) {
                if let Some(file) = declaration_for(&dir.join(t.trim_start_matches("./"))) {
                    return found(file);
                }
            }
        }
    }
    if let Some(file) = types_versions(&manifest, dir, subpath) {
        return found(file);
    }
    if subpath.is_empty() {
        if let Some(main) = manifest.get("main").and_then(Value::as_str) {
            if let Some(file) = declaration_for(&dir.join(main.trim_start_matches("./"))) {
                return found(file);
            }
        }
        return declaration_for(&dir.join("index")).and_then(found);
    }
    declaration_for(&dir.join(subpath)).and_then(found)
}

/// The `exports` entry for a subpath, with the text a `*` pattern matched.
fn export_entry<'v>(exports: &'v Value, subpath: &str) -> Option<(&'v Value, Option<String>)> {
    let key = if subpath.is_empty() {
        ".".to_string()
    } else {
        format!("./{subpath}")
    };
    let map = match exports {
        Value::Object(map) if map.keys().any(|k| k.starts_with('.')) => map,
        // A string, an array or a conditions object: the main entry only.
        _ => return subpath.is_empty().then_some((exports, None)),
    };
    if let Some(entry) = map.get(&key) {
        return Some((entry, None));
    }
    // Subpath patterns: `"./*": "./dist/*.js"`; the longest prefix wins.
    let mut best: Option<(&Value, String, usize)> = None;
    for (pattern, entry) in map {
        let Some((prefix, suffix)) = pattern.split_once('*') else {
            continue;
        };
        if key.len() >= prefix.len() + suffix.len() && key.starts_with(prefix) && key.ends_with(suffix) {
            let matched = key[prefix.len()..key.len() - suffix.len()].to_string();
            if best.as_ref().is_none_or(|(_, _, len)| prefix.len() > *len) {
                best = Some((entry, matched, prefix.len()));
            }
        }
    }
    best.map(|(entry, matched, _)| (entry, Some(matched)))
}

/// The file paths of an `exports` entry, most type-like first: the `types`
/// condition, then the runtime targets whose `.d.ts` may sit beside them.
fn condition_targets<'v>(entry: &'v Value, out: &mut Vec<&'v str>) {
    match entry {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|i| condition_targets(i, out)),
        Value::Object(map) => {
            const ORDER: &[&str] = &["types", "typings", "import", "module", "node", "require", "default"];
            for key in ORDER {
                if let Some(v) = map.get(*key) {
                    condition_targets(v, out);
                }
            }
            for (key, v) in map {
                if !ORDER.contains(&key.as_str()) {
                    condition_targets(v, out);
                }
            }
        }
        _ => {}
    }
}

/// `typesVersions`: `{ "*": { "*": ["dist/*"] } }`-style redirects (any version range).
fn types_versions(manifest: &Value, dir: &Path, subpath: &str) -> Option<PathBuf> {
    let ranges = manifest.get("typesVersions")?.as_object()?;
    let wanted = if subpath.is_empty() { "index" } else { subpath };
    for mapping in ranges.values().filter_map(Value::as_object) {
        for (pattern, targets) in mapping {
            let matched = match pattern.split_once('*') {
                Some((prefix, suffix)) if wanted.starts_with(prefix) && wanted.ends_with(suffix) => {
                    wanted.get(prefix.len()..wanted.len().saturating_sub(suffix.len()))
                }
                None if pattern == wanted => Some(""),
                _ => None,
            };
            let Some(matched) = matched else { continue };
            for target in targets.as_array().into_iter().flatten().filter_map(Value::as_str) {
                let path = dir.join(target.replace('*', matched).trim_start_matches("./"));
                if let Some(file) = declaration_for(&path) {
                    return Some(file);
                }
            }
        }
    }
    None
}

/// The declaration file for a path as written in a manifest or a re-export:
/// itself when it is a declaration file, else the `.d.ts` beside a `.js` /
/// the extension-less path / its `index`.
fn declaration_for(path: &Path) -> Option<PathBuf> {
    let text = path.to_string_lossy();
    if [".d.ts", ".d.mts", ".d.cts"].iter().any(|e| text.ends_with(e)) {
        return path.is_file().then(|| path.to_path_buf());
    }
    let mut candidates = Vec::new();
    let stem = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"]
        .iter()
        .find_map(|ext| text.strip_suffix(ext).map(|s| (s, *ext)));
    match stem {
        Some((base, ext)) => {
            let dts = match ext {
                ".mjs" | ".mts" => ".d.mts",
                ".cjs" | ".cts" => ".d.cts",
                _ => ".d.ts",
            };
            candidates.push(format!("{base}{dts}"));
            candidates.push(format!("{base}.d.ts"));
            if matches!(ext, ".ts" | ".mts" | ".cts" | ".tsx") {
                // A package shipping TypeScript sources as its types.
                candidates.push(text.to_string());
            }
        }
        None => {
            for ext in [".d.ts", ".d.mts", ".d.cts", ".ts", ".tsx"] {
                candidates.push(format!("{text}{ext}"));
            }
            for index in ["index.d.ts", "index.d.mts", "index.d.cts", "index.ts"] {
                candidates.push(path.join(index).to_string_lossy().into_owned());
            }
        }
    }
    candidates.into_iter().map(PathBuf::from).find(|p| p.is_file())
}

fn is_declaration_file(path: &Path) -> bool {
    let text = path.to_string_lossy();
    [".d.ts", ".d.mts", ".d.cts"].iter().any(|e| text.ends_with(e))
}

fn collect(
    cache: &ExternalExports,
    node_modules: &[PathBuf],
    file: &Path,
    visited: &mut HashSet<PathBuf>,
    depth: usize,
) -> NameSet {
    let Some(parsed) = cache.parsed(file) else {
        return NameSet::default();
    };
    let facts = &parsed.facts;
    let mut set = NameSet::complete();
    match &parsed.export_equals {
        Some(Some(members)) => {
            set.names.extend(members.iter().cloned());
            set.names.insert("default".into());
        }
        Some(None) => {
            set.complete = false;
            set.names.insert("default".into());
        }
        None => set.complete = !parsed.dynamic,
    }
    if parsed.ambient_modules {
        set.complete = false;
    }
    set.names.extend(facts.exports.names.iter().cloned());
    set.names.extend(parsed.extra_names.iter().cloned());
    if is_declaration_file(file) {
        set.names.extend(facts.definitions.iter().map(|d| d.name.clone()));
    }
    for from in &facts.exports.star_from {
        let Some(target) = reexport_target(node_modules, file, from) else {
            set.complete = false;
            continue;
        };
        if !visited.insert(target.clone()) {
            continue;
        }
        if depth >= MAX_DEPTH {
            set.complete = false;
            continue;
        }
        let mut inner = collect(cache, node_modules, &target, visited, depth + 1);
        // `export *` never re-exports a default.
        inner.names.remove("default");
        set.complete &= inner.complete;
        set.names.extend(inner.names);
    }
    set
}

/// The declaration file an `export * from "<from>"` in `file` reads.
fn reexport_target(node_modules: &[PathBuf], file: &Path, from: &str) -> Option<PathBuf> {
    if from.starts_with("./") || from.starts_with("../") || from == "." || from == ".." {
        return declaration_for(&file.parent()?.join(from));
    }
    let (package, subpath) = split_specifier(from)?;
    // The package's own nested `node_modules` come first, as Node resolves.
    let mut roots: Vec<PathBuf> = file
        .ancestors()
        .filter(|a| a.file_name().is_some_and(|n| n == "node_modules"))
        .map(Path::to_path_buf)
        .collect();
    roots.extend(node_modules.iter().cloned());
    package_types(&roots, package, subpath).map(|t| t.file)
}

fn ambient_module_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"declare\s+module\s+['"]"#).expect("valid regex"))
}

fn export_equals_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?m)^\s*export\s*=\s*([A-Za-z_$][\w$]*)\s*;?\s*$").expect("valid regex"))
}

/// JS/TS-specific additions: ambient module blocks, and the members of an
/// `export = X` namespace.
fn export_import_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?m)^\s*export\s+import\s+([A-Za-z_$][\w$]*)\s*=").expect("valid regex"))
}

pub(super) fn refine(file: &mut ParsedFile, language: Language, text: &str) {
    file.ambient_modules = ambient_module_re().is_match(text);
    // `export import X = N.X;` is an export the facts do not record.
    file.extra_names.extend(
        export_import_re()
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str().to_string()),
    );
    if !text.contains("export") || !file.facts.exports.dynamic {
        return;
    }
    // `module.exports = ...` in plain JS stays dynamic; TS `export =` may be readable.
    if !matches!(language, Language::TypeScript | Language::Tsx) {
        return;
    }
    let Some(target) = export_equals_re().captures(text).and_then(|c| c.get(1)) else {
        return;
    };
    file.export_equals = Some(namespace_members(language, text, target.as_str()));
}

/// The members of namespace `name` declared at the top of a file, when
/// `name` is only namespaces and functions (a class's or a variable's
/// members are not read here).
fn namespace_members(language: Language, text: &str, name: &str) -> Option<HashSet<String>> {
    let tree = crate::parse::parse_tree(language, text)?;
    let root = tree.root_node();
    let mut members = HashSet::new();
    let mut seen_namespace = false;
    let mut cursor = root.walk();
    for stmt in root.named_children(&mut cursor) {
        let decl = unwrap_declaration(stmt);
        if matches!(decl.kind(), "lexical_declaration" | "variable_declaration") {
            // `declare const X: T; export = X;`: the members are T's, not read here.
            let mut names = HashSet::new();
            if member_names(decl, text, &mut names).is_none() || names.contains(name) {
                return None;
            }
            continue;
        }
        let Some(decl_name) = decl.field("name").and_then(|n| text.get(n.byte_range())) else {
            continue;
        };
        if decl_name != name {
            continue;
        }
        match decl.kind() {
            "internal_module" | "module" => {
                seen_namespace = true;
                let body = decl.field("body")?;
                let mut cursor = body.walk();
                for member in body.named_children(&mut cursor) {
                    member_names(unwrap_declaration(member), text, &mut members)?;
                }
            }
            "function_signature" | "function_declaration" | "interface_declaration" | "type_alias_declaration" => {}
            _ => return None,
        }
    }
    seen_namespace.then_some(members)
}

/// `export declare function f` -> the function node.
fn unwrap_declaration(mut node: tree_sitter::Node<'_>) -> tree_sitter::Node<'_> {
    while matches!(node.kind(), "export_statement" | "ambient_declaration") {
        let mut cursor = node.walk();
        let inner = node
            .named_children(&mut cursor)
            .find(|c| !matches!(c.kind(), "comment" | "decorator"));
        match inner {
            Some(inner) if inner.kind() != "export_clause" => node = inner,
            _ => break,
        }
    }
    node
}

/// Adds the names one namespace member declares; `None` when it is a kind
/// whose names are not read (so the namespace's list is not complete).
fn member_names(node: tree_sitter::Node<'_>, text: &str, out: &mut HashSet<String>) -> Option<()> {
    let name_of = |n: tree_sitter::Node<'_>| {
        text.get(n.byte_range())
            .map(|s| s.trim_matches(['"', '\'']).to_string())
    };
    match node.kind() {
        "comment" | "empty_statement" => {}
        "function_signature"
        | "function_declaration"
        | "generator_function_declaration"
        | "class_declaration"
        | "abstract_class_declaration"
        | "interface_declaration"
        | "type_alias_declaration"
        | "enum_declaration"
        | "internal_module"
        | "module"
        | "import_alias" => {
            out.insert(name_of(node.field("name").or_else(|| node.named_child(0))?)?);
        }
        "lexical_declaration" | "variable_declaration" => {
            let mut cursor = node.walk();
            for declarator in node.named_children(&mut cursor) {
                if declarator.kind() != "variable_declarator" {
                    continue;
                }
                let target = declarator.field("name")?;
                if target.kind() != "identifier" {
                    return None;
                }
                out.insert(name_of(target)?);
            }
        }
        "export_statement" => {
            // `export { a, b as c }` inside the namespace.
            let mut cursor = node.walk();
            let clause = node.named_children(&mut cursor).find(|c| c.kind() == "export_clause")?;
            let mut cursor = clause.walk();
            for spec in clause.named_children(&mut cursor) {
                let n = spec.field("alias").or_else(|| spec.field("name"))?;
                out.insert(name_of(n)?);
            }
        }
        _ => return None,
    }
    Some(())
}
