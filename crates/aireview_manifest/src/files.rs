//! Reading project files by project-relative path, each at most once.

use crate::paths::on_disk;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Cached reads of project files; also follows the files a manifest refers to.
pub struct Files {
    root: PathBuf,
    cache: HashMap<String, Result<String, String>>,
}

impl Files {
    pub fn new(root: &Path) -> Files {
        Files {
            root: root.to_path_buf(),
            cache: HashMap::new(),
        }
    }

    /// The text of a project-relative file, or why it cannot be read.
    /// Paths that leave the project (`../`) are refused.
    pub fn text(&mut self, rel: &str) -> Result<String, String> {
        if rel.starts_with("../") || rel == ".." || rel.starts_with('/') {
            return Err("outside the project".to_string());
        }
        let root = &self.root;
        self.cache
            .entry(rel.to_string())
            .or_insert_with(|| std::fs::read_to_string(on_disk(root, rel)).map_err(|e| e.to_string()))
            .clone()
    }

    /// Whether a project-relative path is a file.
    pub fn is_file(&self, rel: &str) -> bool {
        !rel.starts_with("../") && on_disk(&self.root, rel).is_file()
    }
}
