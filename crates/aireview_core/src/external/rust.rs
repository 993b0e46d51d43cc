//! Rust: the names of a dependency's module, from its sources in the cargo
//! registry (or any path `cargo metadata` reports).
//!
//! From the library root the lookup follows `mod` declarations to files
//! (`x.rs`, `x/mod.rs`, `#[path]`), counts every module-level item (private
//! and `cfg`-gated ones too: present is what matters, not reachable), `pub use`
//! re-exports and globs within the crate, and `#[macro_export]` macros at the
//! crate root. Inline modules, globs into other crates and item-producing
//! macros make the answer `None`.

use super::store::Kind;
use super::{either, ExternalExports, ParsedFile, MAX_DEPTH};
use crate::facts::ImportKind;
use crate::parse::FieldByName;
use regex::Regex;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tree_sitter::Node;

pub(super) fn exports_name(
    cache: &ExternalExports,
    crates: &BTreeMap<String, PathBuf>,
    module: &str,
    name: &str,
) -> Option<bool> {
    let mut segments = module.trim_start_matches("::").split("::");
    let krate = segments.next()?.replace('-', "_");
    let root = ModFile::root(crates.get(&krate)?.clone());
    let segments: Vec<&str> = segments.collect();
    let files = match walk(cache, vec![root.clone()], &segments) {
        Step::Files(files) => files,
        Step::Absent => return Some(false),
        Step::Unsure => return None,
    };
    if name == "self" {
        return Some(true);
    }
    let mut answer: Option<Option<bool>> = None;
    for file in &files {
        let this = find(cache, file, name);
        answer = Some(answer.map_or(this, |a| either(a, this)));
        if this == Some(true) {
            break;
        }
    }
    let answer = answer.flatten();
    if answer != Some(true) && segments.is_empty() && defines_macro(cache, &root.path, name) {
        return Some(true);
    }
    answer
}

/// A file holding one module of a crate.
#[derive(Clone, Debug)]
struct ModFile {
    path: PathBuf,
    /// The crate root, for `crate::` and `super::` paths.
    root: PathBuf,
    /// Module path from the crate root (empty for the root).
    module_path: Vec<String>,
    /// A `lib.rs`/`mod.rs`-style file: its child modules sit next to it
    /// rather than in a directory named after it.
    mod_rs: bool,
}

impl ModFile {
    fn root(path: PathBuf) -> ModFile {
        ModFile {
            root: path.clone(),
            path,
            module_path: Vec::new(),
            mod_rs: true,
        }
    }
}

/// The outcome of following a module path.
enum Step {
    Files(Vec<ModFile>),
    /// The path names nothing in a module whose names are all known.
    Absent,
    Unsure,
}

/// Follows `segments` from `files` through `mod` declarations.
fn walk(cache: &ExternalExports, mut files: Vec<ModFile>, segments: &[&str]) -> Step {
    for seg in segments {
        let mut next = Vec::new();
        let mut all_absent = true;
        for file in &files {
            let Some(parsed) = cache.parsed(&file.path) else {
                return Step::Unsure;
            };
            let decls: Vec<_> = parsed.facts.modules.iter().filter(|m| m.name == *seg).collect();
            if decls.is_empty() {
                // An enum, a type, a re-exported module: not a file to read.
                if find(cache, file, seg) != Some(false) {
                    all_absent = false;
                }
                continue;
            }
            all_absent = false;
            for decl in decls {
                if decl.inline {
                    return Step::Unsure;
                }
                match child_file(file, seg, decl.path_attr.as_deref()) {
                    Some(child) => next.push(child),
                    None => return Step::Unsure,
                }
            }
        }
        if next.is_empty() {
            return if all_absent { Step::Absent } else { Step::Unsure };
        }
        files = next;
    }
    Step::Files(files)
}

/// The file of `mod name;` declared in `parent`.
fn child_file(parent: &ModFile, name: &str, path_attr: Option<&str>) -> Option<ModFile> {
    let here = parent.path.parent()?;
    let mut module_path = parent.module_path.clone();
    module_path.push(name.to_string());
    let make = |path: PathBuf, mod_rs: bool| ModFile {
        path,
        root: parent.root.clone(),
        module_path: module_path.clone(),
        mod_rs,
    };
    if let Some(rel) = path_attr {
        // `#[path]` is relative to the declaring file's directory; the file
        // it names owns its directory like a `mod.rs`.
        let path = here.join(rel);
        return path.is_file().then(|| make(path, true));
    }
    let dir = if parent.mod_rs {
        here.to_path_buf()
    } else {
        here.join(parent.path.file_stem()?)
    };
    let flat = dir.join(format!("{name}.rs"));
    if flat.is_file() {
        return Some(make(flat, false));
    }
    let nested = dir.join(name).join("mod.rs");
    nested.is_file().then(|| make(nested, true))
}

/// Does the module in `file` name `name`, directly or through its `pub
/// use` globs inside the crate? `Some(false)` only when all its names are
/// known. Globs are followed in order, parsing their targets only while the
/// name is not found: a hit in the first target leaves the others unread.
fn find(cache: &ExternalExports, file: &ModFile, name: &str) -> Option<bool> {
    let mut visited = HashSet::from([file.path.clone()]);
    find_in(cache, file, name, &mut visited, 0)
}

fn find_in(
    cache: &ExternalExports,
    file: &ModFile,
    name: &str,
    visited: &mut HashSet<PathBuf>,
    depth: usize,
) -> Option<bool> {
    let parsed = cache.parsed(&file.path)?;
    let facts = &parsed.facts;
    let named = facts.definitions.iter().any(|d| d.name == name)
        || facts.exports.names.iter().any(|n| n == name)
        || facts.modules.iter().any(|m| m.name == name)
        || facts
            .imports
            .iter()
            .filter(|i| i.kind == ImportKind::ExternCrate)
            .any(|i| i.alias.as_ref().unwrap_or(&i.module) == name);
    if named {
        return Some(true);
    }
    let mut complete = !parsed.dynamic;
    for glob in &facts.exports.star_from {
        let targets = match glob_target(cache, file, glob) {
            Step::Files(files) => files,
            Step::Absent | Step::Unsure => {
                complete = false;
                continue;
            }
        };
        for target in targets {
            if !visited.insert(target.path.clone()) {
                continue;
            }
            if depth >= MAX_DEPTH {
                complete = false;
                continue;
            }
            match find_in(cache, &target, name, visited, depth + 1) {
                Some(true) => return Some(true),
                Some(false) => {}
                None => complete = false,
            }
        }
    }
    complete.then_some(false)
}

/// The module files a `pub use <path>::*` in `file` names, when they are in this crate.
fn glob_target(cache: &ExternalExports, file: &ModFile, path: &str) -> Step {
    let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let Some((first, rest)) = segments.split_first() else {
        return Step::Unsure;
    };
    let from_root = |module_path: &[String], rest: &[&str]| {
        let mut all: Vec<&str> = module_path.iter().map(String::as_str).collect();
        all.extend_from_slice(rest);
        walk(cache, vec![ModFile::root(file.root.clone())], &all)
    };
    match *first {
        "crate" => from_root(&[], rest),
        "self" => walk(cache, vec![file.clone()], rest),
        "super" => {
            let mut module_path = file.module_path.clone();
            let mut rest = rest;
            if module_path.pop().is_none() {
                return Step::Unsure;
            }
            while let Some((&"super", tail)) = rest.split_first() {
                if module_path.pop().is_none() {
                    return Step::Unsure;
                }
                rest = tail;
            }
            from_root(&module_path, rest)
        }
        local => {
            // 2018 paths: a child module of this file, else another crate (not followed).
            let declared = cache
                .parsed(&file.path)
                .is_some_and(|p| p.facts.modules.iter().any(|m| m.name == local));
            if declared {
                walk(cache, vec![file.clone()], &segments)
            } else {
                Step::Unsure
            }
        }
    }
}

/// Whether any source file of the crate defines `macro_rules! name` (a
/// `#[macro_export]` macro is importable from the crate root wherever it is
/// written). A text search: cheap per crate, and it sees macros in inline
/// modules too. The crate's macro names are gathered once per process
/// (libc's 190 files are read once, not once per name asked).
fn defines_macro(cache: &ExternalExports, lib_rs: &Path, name: &str) -> bool {
    let Some(dir) = lib_rs.parent() else {
        return false;
    };
    if word().is_match(name) {
        return cache.has_macro(dir, name, || macro_names(cache, dir));
    }
    // Not one identifier-like word: a search for exactly this text.
    let Ok(re) = Regex::new(&format!(r"macro_rules!\s*{}\b", regex::escape(name))) else {
        return false;
    };
    let mut budget = SCAN_BUDGET;
    any_rust_file(dir, 0, &mut budget, &mut |path| {
        super::read_source(path).is_some_and(|text| text.contains("macro_rules!") && re.is_match(&text))
    })
}

/// How many directory entries the macro search looks at in one crate.
const SCAN_BUDGET: usize = 4000;

/// A name of word characters only (as the search's `\b` sees them).
fn word() -> &'static Regex {
    static WORD: OnceLock<Regex> = OnceLock::new();
    WORD.get_or_init(|| Regex::new(r"^\w+$").expect("valid regex"))
}

/// The names of every `macro_rules!` in the crate's files under `dir`
/// that the search reaches within its budget. For a name of word
/// characters, `macro_rules!\s*name\b` matches a file exactly when the
/// word after some `macro_rules!` is that name.
fn macro_names(cache: &ExternalExports, dir: &Path) -> HashSet<String> {
    static DEFINITION: OnceLock<Regex> = OnceLock::new();
    let re = DEFINITION.get_or_init(|| Regex::new(r"macro_rules!\s*(\w+)").expect("valid regex"));
    let in_file = |path: &Path| {
        let text = super::read_source(path)?;
        let names: Vec<String> = if text.contains("macro_rules!") {
            re.captures_iter(&text).map(|c| c[1].to_string()).collect()
        } else {
            Vec::new()
        };
        Some(names)
    };
    let mut names = HashSet::new();
    let mut budget = SCAN_BUDGET;
    any_rust_file(dir, 0, &mut budget, &mut |path| {
        names.extend(cache.stored(Kind::Macros, path, in_file).unwrap_or_default());
        false
    });
    names
}

/// Whether `found` holds for some `.rs` file under `dir`, in name order,
/// looking at no more than `budget` directory entries.
fn any_rust_file(dir: &Path, depth: usize, budget: &mut usize, found: &mut impl FnMut(&Path) -> bool) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        // `file_type` does not follow symlinks: no loops.
        let Ok(kind) = entry.file_type() else { continue };
        let path = entry.path();
        if kind.is_dir() && depth < MAX_DEPTH {
            if any_rust_file(&path, depth + 1, budget, found) {
                return true;
            }
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "rs") && found(&path) {
            return true;
        }
    }
    false
}

/// Module-level macros that expand to no nameable item (the facts mark any
/// module-level macro as dynamic).
const ITEMLESS_MACROS: &[&str] = &[
    "compile_error",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "const_assert",
    "const_assert_eq",
    "const_assert_ne",
    "assert_impl_all",
    "assert_impl_any",
    "assert_not_impl_all",
    "assert_not_impl_any",
    "assert_obj_safe",
    "assert_eq_size",
    "assert_fields",
    "assert_type_eq_all",
    "static_assert",
    "doc_comment",
    "doctest",
];

/// Rust-specific corrections: a module whose only module-level macros are
/// known to define nothing keeps a complete name list.
/// `root` is the tree the facts were read from.
pub(super) fn refine(file: &mut ParsedFile, text: &str, root: Option<Node<'_>>) {
    if !file.dynamic {
        return;
    }
    let Some(root) = root else {
        return;
    };
    let mut cursor = root.walk();
    // `name!(..);` at module level parses as an expression statement
    // holding the macro (`include!("Windows/mod.rs");` in windows-sys).
    let itemless = root
        .named_children(&mut cursor)
        .filter_map(|n| match n.kind() {
            "macro_invocation" => Some(n),
            "expression_statement" => n.named_child(0).filter(|m| m.kind() == "macro_invocation"),
            _ => None,
        })
        .all(|mac| {
            let name = mac
                .field("macro")
                .and_then(|m| text.get(m.byte_range()))
                .map_or("", |t| t.rsplit("::").next().unwrap_or(t));
            ITEMLESS_MACROS.contains(&name)
        });
    if itemless {
        file.dynamic = false;
    }
}
