//! Declarative rules: tree-sitter queries from catalogue entries, compiled
//! once per process into one combined query per language, so each file is
//! matched in a single pass whatever the number of query rules.

use crate::catalogue::QuerySpec;
use crate::lang::Language;
use crate::registry::{RegisteredRule, RuleIdx};
use crate::span::Span;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, Query, QueryCursor};

struct PatternOwner {
    rule: RuleIdx,
    spec: usize,
    /// Byte range of this spec's text in the combined source.
    start: usize,
    end: usize,
}

struct CombinedQuery {
    query: Query,
    owners: Vec<PatternOwner>,
    specs: Vec<QuerySpec>,
}

#[derive(Default)]
pub struct QuerySet {
    per_language: Vec<(Language, CombinedQuery)>,
}

impl QuerySet {
    /// Compiles every query of every declarative rule. Errors are `(file, message)`.
    pub(crate) fn compile(rules: &[RegisteredRule]) -> Result<QuerySet, (String, String)> {
        let mut set = QuerySet::default();
        for language in Language::ALL {
            let mut source = String::new();
            let mut owners = Vec::new();
            let mut specs = Vec::new();
            for (idx, rule) in rules.iter().enumerate() {
                for spec in &rule.meta.queries {
                    let langs = spec.languages().map_err(|m| (rule.meta.source.clone(), m))?;
                    if !langs.contains(&language) {
                        continue;
                    }
                    // Compile alone first, so an error names its own file.
                    Query::new(language.grammar(), &spec.query).map_err(|e| {
                        (
                            rule.meta.source.clone(),
                            format!(
                                "invalid {} query at row {}, column {}: {:?} error near `{}`",
                                language.name(),
                                e.row + 1,
                                e.column + 1,
                                e.kind,
                                e.message
                            ),
                        )
                    })?;
                    let start = source.len();
                    source.push_str(&spec.query);
                    source.push('\n');
                    owners.push(PatternOwner {
                        rule: idx,
                        spec: specs.len(),
                        start,
                        end: source.len(),
                    });
                    let mut spec = spec.clone();
                    spec.message.get_or_insert_with(|| rule.meta.message.clone());
                    specs.push(spec);
                }
            }
            if owners.is_empty() {
                continue;
            }
            let query = Query::new(language.grammar(), &source)
                .map_err(|e| ("declarative rules".to_string(), format!("combined query failed: {e}")))?;
            set.per_language
                .push((language, CombinedQuery { query, owners, specs }));
        }
        Ok(set)
    }

    pub fn is_empty_for(&self, language: Language) -> bool {
        !self.per_language.iter().any(|(l, _)| *l == language)
    }

    /// Runs the language's combined query over a file; returns the matches
    /// of enabled rules as (rule, span, message).
    pub(crate) fn run(
        &self,
        language: Language,
        root: Node<'_>,
        source: &str,
        in_test: &dyn Fn(usize) -> bool,
        enabled: &dyn Fn(RuleIdx) -> bool,
    ) -> Vec<(RuleIdx, Span, String)> {
        let mut found = Vec::new();
        let Some((_, combined)) = self.per_language.iter().find(|(l, _)| *l == language) else {
            return found;
        };
        let query = &combined.query;
        let names = query.capture_names();
        let mut cursor = QueryCursor::new();
        let mut matches = cursor.matches(query, root, source.as_bytes());
        while let Some(m) = matches.next() {
            let start = query.start_byte_for_pattern(m.pattern_index);
            let Some(owner) = combined.owners.iter().find(|o| o.start <= start && start < o.end) else {
                continue;
            };
            let spec = &combined.specs[owner.spec];
            let wanted = spec.report.as_deref().unwrap_or("match");
            let reported = m
                .captures()
                .iter()
                .find(|c| names[c.index as usize] == wanted)
                .or_else(|| m.captures().first());
            let Some(reported) = reported else { continue };
            if spec.exclude_tests && in_test(reported.node.start_byte()) {
                continue;
            }
            if !enabled(owner.rule) {
                continue;
            }
            let mut message = spec.message.clone().unwrap_or_default();
            for c in m.captures() {
                let placeholder = format!("{{{}}}", names[c.index as usize]);
                if message.contains(&placeholder) {
                    let text: String = source[c.node.byte_range()].chars().take(80).collect();
                    message = message.replace(&placeholder, &text);
                }
            }
            found.push((owner.rule, Span::of_node(reported.node, source), message));
        }
        found
    }
}
