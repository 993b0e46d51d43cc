//! The floor for a tree-sitter linter: walk, read, parse and visit every node
//! of every file, in parallel, with no facts and no rules. `bench/run.py`
//! compares a full review with this.
//!
//! Usage: cargo run --release -p aireview_core --example parse_floor -- DIR

use aireview_core::discover::discover;
use aireview_core::parse::{parse_tree, walk};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: parse_floor DIR");
        std::process::exit(2);
    };
    let start = Instant::now();
    let root = dir.canonicalize().expect("readable folder");
    let found = discover(&root, std::slice::from_ref(&root), &|_| false);
    let (files, bytes, nodes) = found
        .files
        .par_iter()
        .map(|f| {
            let Ok(text) = std::fs::read_to_string(&f.path) else {
                return (0, 0, 0);
            };
            let Some(tree) = parse_tree(f.language, &text) else {
                return (0, 0, 0);
            };
            let mut nodes = 0usize;
            walk(tree.root_node(), |_, entering, _| nodes += usize::from(entering));
            (1usize, text.len(), nodes)
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    let secs = start.elapsed().as_secs_f64();
    println!("{{\"files\": {files}, \"bytes\": {bytes}, \"nodes\": {nodes}, \"seconds\": {secs:.4}}}");
}
