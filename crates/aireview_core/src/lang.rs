//! Supported languages, how files map to them, and their tree-sitter grammars.

use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::OnceLock;

/// A grammar aireview parses. TypeScript and TSX are separate grammars; plain
/// JavaScript (including JSX) uses the JavaScript grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Python,
    TypeScript,
    Tsx,
    JavaScript,
    Rust,
}

/// The package ecosystem a language belongs to: manifests, module resolution
/// and conventions are per ecosystem, not per grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Python,
    Js,
    Rust,
}

impl Language {
    pub const ALL: [Language; 5] = [
        Language::Python,
        Language::TypeScript,
        Language::Tsx,
        Language::JavaScript,
        Language::Rust,
    ];

    /// The language of a file by its extension, or `None` when aireview does not review it.
    pub fn from_path(path: &Path) -> Option<Language> {
        let ext = path.extension()?.to_str()?;
        Some(match ext {
            "py" | "pyi" => Language::Python,
            "ts" | "mts" | "cts" => Language::TypeScript,
            "tsx" => Language::Tsx,
            "js" | "jsx" | "mjs" | "cjs" => Language::JavaScript,
            "rs" => Language::Rust,
            _ => return None,
        })
    }

    /// Name used in configuration and rule files.
    pub fn name(self) -> &'static str {
        match self {
            Language::Python => "python",
            Language::TypeScript => "typescript",
            Language::Tsx => "tsx",
            Language::JavaScript => "javascript",
            Language::Rust => "rust",
        }
    }

    pub fn from_name(name: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.name() == name)
    }

    pub fn ecosystem(self) -> Ecosystem {
        match self {
            Language::Python => Ecosystem::Python,
            Language::TypeScript | Language::Tsx | Language::JavaScript => Ecosystem::Js,
            Language::Rust => Ecosystem::Rust,
        }
    }

    /// The compiled grammar, created once per process.
    pub fn grammar(self) -> &'static tree_sitter::Language {
        static GRAMMARS: OnceLock<[tree_sitter::Language; 5]> = OnceLock::new();
        let all = GRAMMARS.get_or_init(|| {
            [
                tree_sitter_python::LANGUAGE.into(),
                tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
                tree_sitter_typescript::LANGUAGE_TSX.into(),
                tree_sitter_javascript::LANGUAGE.into(),
                tree_sitter_rust::LANGUAGE.into(),
            ]
        });
        &all[self as usize]
    }

    /// Node kinds that are comments in this grammar.
    pub fn comment_kinds(self) -> &'static [&'static str] {
        match self {
            Language::Rust => &["line_comment", "block_comment"],
            _ => &["comment"],
        }
    }

    pub fn is_comment_kind(self, kind: &str) -> bool {
        self.comment_kinds().contains(&kind)
    }
}

impl Ecosystem {
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::Python => "python",
            Ecosystem::Js => "js",
            Ecosystem::Rust => "rust",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_extensions() {
        for (file, lang) in [
            ("a.py", Some(Language::Python)),
            ("a.pyi", Some(Language::Python)),
            ("a.mts", Some(Language::TypeScript)),
            ("a.tsx", Some(Language::Tsx)),
            ("a.cjs", Some(Language::JavaScript)),
            ("a.jsx", Some(Language::JavaScript)),
            ("a.rs", Some(Language::Rust)),
            ("a.md", None),
            ("Makefile", None),
        ] {
            assert_eq!(Language::from_path(Path::new(file)), lang, "{file}");
        }
    }

    #[test]
    fn grammars_load_in_declared_order() {
        for lang in Language::ALL {
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(lang.grammar()).unwrap();
            assert!(parser.parse("", None).is_some(), "{lang:?}");
        }
        assert!(Language::Rust.grammar().id_for_node_kind("macro_invocation", true) != 0);
        assert!(Language::Tsx.grammar().id_for_node_kind("jsx_element", true) != 0);
    }
}
