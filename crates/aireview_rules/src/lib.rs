//! aireview's built-in rules, one file per rule, grouped by family, and the
//! embedded rule catalogue (`rules/` at the repository root).

pub mod abstraction;
pub mod drift;
pub mod imports;
mod patterns;
pub mod security;
pub mod slop;
pub mod validation;

use aireview_core::catalogue::{Catalogue, CatalogueError};
use aireview_core::registry::{Registry, RegistryError};
use aireview_core::rule::{FileRule, ProjectRule};

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// The built-in catalogue.
pub fn catalogue() -> Result<Catalogue, CatalogueError> {
    Catalogue::from_files(CATALOGUE_FILES.iter().copied())
}

fn file_rules() -> Vec<Box<dyn FileRule>> {
    let mut rules = Vec::new();
    rules.extend(slop::file_rules());
    rules.extend(security::file_rules());
    rules.extend(validation::file_rules());
    rules
}

fn project_rules() -> Vec<Box<dyn ProjectRule>> {
    let mut rules = Vec::new();
    rules.extend(abstraction::project_rules());
    rules.extend(drift::project_rules());
    rules.extend(imports::project_rules());
    rules.extend(security::project_rules());
    rules.extend(slop::project_rules());
    rules
}

/// Every built-in rule joined with its catalogue entry.
pub fn registry() -> Result<Registry, RegistryError> {
    Registry::new(catalogue()?, file_rules(), project_rules())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_catalogue_entry_and_every_entry_a_rule() {
        // `Registry::new` fails on either mismatch.
        let registry = registry().expect("catalogue and implementations agree");
        assert!(registry.len() >= 7);
    }

    #[test]
    fn catalogue_files_live_in_their_family_folder_and_follow_the_doc_headings() {
        for (path, text) in CATALOGUE_FILES {
            let meta = aireview_core::catalogue::parse_rule_file(path, text).unwrap();
            assert_eq!(
                *path,
                format!("rules/{}/{}.toml", meta.family, meta.id),
                "file name must be <family>/<id>.toml"
            );
            for heading in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
                "## Suppress",
            ] {
                assert!(meta.docs.contains(heading), "{path}: docs lack `{heading}`");
            }
        }
    }
}
