//! YAML via `yaml-rust2`: pnpm files use flow sequences, quoting styles and
//! anchors that a line-based reader would misread; `yaml-rust2` is a pure-Rust,
//! maintained YAML 1.2 parser (serde_yaml is archived) whose errors carry a position.

use crate::ManifestProblem;
use yaml_rust2::{Yaml, YamlLoader};

/// Parses the first document of a YAML file (an empty file is `Null`).
pub fn parse(text: &str, rel: &str) -> Result<Yaml, ManifestProblem> {
    match YamlLoader::load_from_str(text) {
        Ok(mut docs) => Ok(if docs.is_empty() {
            Yaml::Null
        } else {
            docs.swap_remove(0)
        }),
        Err(e) => {
            let line = u32::try_from(e.marker().line()).unwrap_or(0);
            let column = u32::try_from(e.marker().col() + 1).unwrap_or(0);
            Err(ManifestProblem {
                path: rel.to_string(),
                message: format!("invalid YAML at line {line}, column {column}: {}", e.info()),
                line,
                column,
            })
        }
    }
}

/// The value under a string key of a mapping.
pub fn get<'a>(doc: &'a Yaml, key: &str) -> Option<&'a Yaml> {
    doc.as_hash()?.get(&Yaml::String(key.to_string()))
}

/// The string keys of a mapping.
pub fn keys(doc: &Yaml) -> impl Iterator<Item = &str> {
    doc.as_hash()
        .into_iter()
        .flat_map(|h| h.keys())
        .filter_map(Yaml::as_str)
}
