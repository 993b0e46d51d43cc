//! The rule catalogue: one TOML file per rule with its id, family, default
//! severity, message, documentation, options and (for declarative rules)
//! tree-sitter queries. Built-in entries are embedded in the binary; projects
//! add their own in `.aireview/rules/*.toml`.

use crate::diagnostic::Severity;
use crate::lang::Language;
use serde::Deserialize;
use std::collections::BTreeMap;
use thiserror::Error;

/// The rule families; each maps to one item of the AI-code review checklist.
pub const FAMILIES: &[(&str, &str)] = &[
    ("imports", "Hallucinated dependencies"),
    ("drift", "Pattern consistency"),
    ("abstraction", "Over-engineering"),
    ("validation", "Security blind spots"),
    ("security", "Secrets and insecure calls"),
    ("slop", "AI slop"),
    ("meta", "Suppressions and configuration"),
    ("custom", "Project rules"),
];

/// How sure a rule is when it fires (as oxlint's categories): defaults are
/// strict about precision, so `pedantic` and `nursery` rules start disabled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Almost certainly wrong.
    Correctness,
    /// Most likely wrong; look-alikes are excluded by negative fixtures.
    Suspicious,
    /// A matter of style or strictness.
    Pedantic,
    /// New and still being tuned.
    Nursery,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RuleMeta {
    pub id: String,
    pub family: String,
    pub severity: Severity,
    pub category: Category,
    #[serde(default = "default_true")]
    pub default_enabled: bool,
    /// One line, shown with every finding unless the rule words its own.
    pub message: String,
    /// Markdown: What it does / Why is this bad? / Example / Use instead / Options / Suppress.
    pub docs: String,
    /// Option names with their defaults; config may override them per rule.
    #[serde(default)]
    pub options: toml::Table,
    /// The reported spans hold secrets: the human format masks them in
    /// source snippets (messages must mask them too).
    #[serde(default)]
    pub redact_source: bool,
    /// Rules whose findings on the same line this rule's finding makes
    /// redundant (`tainted-command` says more than the `shell=True`
    /// finding of `insecure-transport-or-parsing`): those are dropped.
    #[serde(default)]
    pub supersedes: Vec<String>,
    /// Declarative rules: per-language tree-sitter queries.
    #[serde(default, rename = "query")]
    pub queries: Vec<QuerySpec>,
    /// Where the entry came from (file name), for error messages.
    #[serde(skip)]
    pub source: String,
}

fn default_true() -> bool {
    true
}

/// One tree-sitter query of a declarative rule.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct QuerySpec {
    /// Language names (`python`, `typescript`, `tsx`, `javascript`, `rust`);
    /// `typescript` also covers `tsx`.
    #[serde(deserialize_with = "one_or_many")]
    pub language: Vec<String>,
    /// The query, with text predicates (`#eq?`, `#match?`, `#any-of?`, and their `not-` forms).
    pub query: String,
    /// Message for matches of this query; `{name}` is replaced by the text of capture `@name`.
    pub message: Option<String>,
    /// The capture whose span is reported (default `match`, else the first capture).
    pub report: Option<String>,
    /// Skip matches in test code (default true).
    #[serde(default = "default_true")]
    pub exclude_tests: bool,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

#[derive(Debug, Error)]
pub enum CatalogueError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

impl QuerySpec {
    /// The grammars this query is compiled for.
    pub fn languages(&self) -> Result<Vec<Language>, String> {
        let mut out = Vec::new();
        for name in &self.language {
            match name.as_str() {
                "typescript" => out.extend([Language::TypeScript, Language::Tsx]),
                other => out.push(Language::from_name(other).ok_or_else(|| {
                    format!("unknown language `{other}` (expected python, typescript, tsx, javascript or rust)")
                })?),
            }
        }
        out.dedup();
        Ok(out)
    }
}

/// Parses one catalogue file. `file` names it in errors.
pub fn parse_rule_file(file: &str, text: &str) -> Result<RuleMeta, CatalogueError> {
    let invalid = |message: String| CatalogueError::Invalid {
        file: file.to_string(),
        message,
    };
    let mut meta: RuleMeta = toml::from_str(text).map_err(|e| invalid(toml_error(text, &e)))?;
    meta.source = file.to_string();
    if meta.id.is_empty()
        || !meta
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(invalid(format!("rule id `{}` must be kebab-case", meta.id)));
    }
    if !FAMILIES.iter().any(|(f, _)| *f == meta.family) {
        let known: Vec<_> = FAMILIES.iter().map(|(f, _)| *f).collect();
        return Err(invalid(format!(
            "unknown family `{}` (expected one of {})",
            meta.family,
            known.join(", ")
        )));
    }
    if meta.message.contains('\n') {
        return Err(invalid("`message` must be one line".into()));
    }
    for q in &meta.queries {
        q.languages().map_err(invalid)?;
    }
    Ok(meta)
}

/// `line:col: message` for a TOML error.
pub fn toml_error(text: &str, err: &toml::de::Error) -> String {
    match err.span() {
        Some(span) => {
            let (line, col) = crate::span::line_col(text, span.start);
            format!("{line}:{col}: {}", err.message().trim())
        }
        None => err.message().trim().to_string(),
    }
}

/// All catalogue entries by id.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    pub rules: BTreeMap<String, RuleMeta>,
}

impl Catalogue {
    /// Parses embedded `(file, text)` pairs; duplicates are errors.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Catalogue, CatalogueError> {
        let mut cat = Catalogue::default();
        for (file, text) in files {
            cat.insert(parse_rule_file(file, text)?)?;
        }
        Ok(cat)
    }

    pub fn insert(&mut self, meta: RuleMeta) -> Result<(), CatalogueError> {
        if let Some(prev) = self.rules.get(&meta.id) {
            return Err(CatalogueError::Invalid {
                file: meta.source.clone(),
                message: format!("rule id `{}` is already defined in {}", meta.id, prev.source),
            });
        }
        self.rules.insert(meta.id.clone(), meta);
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&RuleMeta> {
        self.rules.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r###"
id = "no-eval"
family = "custom"
severity = "error"
category = "correctness"
message = "Do not call eval"
docs = "## What it does"
[[query]]
language = "typescript"
query = "(call_expression function: (identifier) @f (#eq? @f \"eval\")) @match"
"###;

    #[test]
    fn parses_a_declarative_rule() {
        let meta = parse_rule_file("no-eval.toml", GOOD).unwrap();
        assert_eq!(meta.queries.len(), 1);
        assert_eq!(
            meta.queries[0].languages().unwrap(),
            vec![Language::TypeScript, Language::Tsx]
        );
        assert!(meta.default_enabled && meta.queries[0].exclude_tests);
    }

    #[test]
    fn errors_name_the_problem() {
        let err = parse_rule_file("x.toml", &GOOD.replace("severity", "sevrity")).unwrap_err();
        assert!(
            err.to_string().contains("x.toml") && err.to_string().contains("sevrity"),
            "{err}"
        );
        let err = parse_rule_file("x.toml", &GOOD.replace("\"custom\"", "\"misc\"")).unwrap_err();
        assert!(err.to_string().contains("unknown family `misc`"), "{err}");
        let err = parse_rule_file("x.toml", &GOOD.replace("\"typescript\"", "\"cobol\"")).unwrap_err();
        assert!(err.to_string().contains("unknown language `cobol`"), "{err}");
    }
}
