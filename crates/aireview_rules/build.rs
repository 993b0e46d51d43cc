//! Embeds the rule catalogue (`rules/<family>/<id>.toml` at the workspace
//! root) into the binary, so aireview needs no files at run time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml")
            // Convention families: data the core embeds itself, not a rule.
            && !path.ends_with("drift/conventions.toml")
        {
            out.push(path);
        }
    }
}

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let rules_dir = manifest_dir.join("../../rules");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    let mut files = Vec::new();
    collect(&rules_dir, &mut files);
    files.sort();
    let mut code = String::from("/// Embedded catalogue files: (path under rules/, contents).\npub static CATALOGUE_FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file
            .strip_prefix(&rules_dir)
            .expect("under rules/")
            .to_string_lossy()
            .replace('\\', "/");
        let abs = file.canonicalize().expect("readable catalogue file");
        writeln!(
            code,
            "    ({:?}, include_str!({:?})),",
            format!("rules/{rel}"),
            abs.display().to_string()
        )
        .expect("write to string");
    }
    // Folders too, so adding a rule file re-runs this script.
    let mut dirs = vec![rules_dir.clone()];
    while let Some(d) = dirs.pop() {
        println!("cargo:rerun-if-changed={}", d.display());
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if entry.path().is_dir() {
                dirs.push(entry.path());
            }
        }
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("catalogue.rs");
    std::fs::write(out, code).expect("write generated catalogue");
}
