//! The parse pass: each file is read and parsed exactly once; one walk of the
//! tree feeds the facts extractor and dispatches each node to the file rules
//! that asked for its kind; then `check_file` and the declarative queries
//! run, and the tree is dropped.

use crate::diagnostic::{Diagnostic, Warning};
use crate::discover::SourceFile;
use crate::facts::{FactsExtractor, FileFacts, FileRole};
use crate::lang::Language;
use crate::registry::{DispatchTable, Registry, RuleIdx, RuleImpl};
use crate::rule::{FileContext, FileRule, Reporter};
use crate::config::Settings;
use crate::span::normalized_line_hash;
use std::cell::RefCell;
use tree_sitter::{Node, Parser, Tree};

/// What the parse pass produces for one file.
#[derive(Debug, Default)]
pub struct FileOutput {
    pub facts: FileFacts,
    /// File-rule findings (only for reported files).
    pub diagnostics: Vec<Diagnostic>,
    pub warnings: Vec<Warning>,
}

/// Shared, read-only inputs of the parse pass.
pub struct ParsePlan<'a> {
    pub registry: &'a Registry,
    /// One dispatch table per `Language::ALL` entry.
    pub tables: Vec<DispatchTable>,
}

impl<'a> ParsePlan<'a> {
    pub fn new(registry: &'a Registry) -> Self {
        ParsePlan {
            tables: Language::ALL.iter().map(|&l| registry.dispatch_table(l)).collect(),
            registry,
        }
    }
}

/// The role of a file from its path.
pub fn role_of(rel: &str, language: Language) -> FileRole {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name.ends_with(".pyi") || name.ends_with(".d.ts") || name.ends_with(".d.mts") || name.ends_with(".d.cts") {
        return FileRole::Stub;
    }
    let dirs: Vec<&str> = rel.split('/').collect();
    let dirs = &dirs[..dirs.len() - 1];
    let test_dir = dirs
        .iter()
        .any(|d| matches!(*d, "tests" | "test" | "__tests__" | "__mocks__" | "testing" | "e2e" | "spec"));
    let stem = name.split('.').next().unwrap_or(name);
    let test_name = match language {
        Language::Python => stem.starts_with("test_") || stem.ends_with("_test") || stem == "conftest" || stem == "tests",
        Language::Rust => stem.ends_with("_test") || stem == "tests",
        _ => {
            let parts: Vec<&str> = name.split('.').collect();
            parts.len() > 2 && parts[1..parts.len() - 1].iter().any(|p| matches!(*p, "test" | "spec" | "e2e"))
        }
    };
    if test_dir || test_name {
        return FileRole::Test;
    }
    if dirs
        .iter()
        .any(|d| matches!(*d, "examples" | "example" | "docs" | "doc" | "docs_src" | "benches" | "bench" | "benchmarks"))
    {
        return FileRole::Example;
    }
    FileRole::Source
}

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new(Parser::new());
}

/// Parses `text` with the grammar of `language`.
pub fn parse_tree(language: Language, text: &str) -> Option<Tree> {
    PARSER.with(|p| {
        let mut parser = p.borrow_mut();
        parser.set_language(language.grammar()).ok()?;
        parser.parse(text, None)
    })
}

/// Runs the parse pass on one file whose text has been read.
/// `settings`/`enabled` are the file's configuration; rules run only when
/// `file.reported`.
pub fn parse_file(
    plan: &ParsePlan<'_>,
    file: &SourceFile,
    text: &str,
    settings: &Settings,
    enabled: &[bool],
) -> FileOutput {
    let language = file.language;
    let mut out = FileOutput::default();
    let role = role_of(&file.rel, language);
    let Some(tree) = parse_tree(language, text) else {
        out.warnings.push(Warning::new(&file.rel, "the parser gave up on this file; skipped"));
        out.facts.path = file.rel.clone();
        return out;
    };
    let root = tree.root_node();
    let mut extractor = FactsExtractor::new(text, language, file.rel.clone(), role);
    extractor.facts.line_hashes = text.lines().map(normalized_line_hash).collect();
    if root.has_error() {
        extractor.facts.has_syntax_errors = true;
        let (line, col) = first_error(root).map_or((1, 1), |n| {
            let p = n.start_position();
            (p.row + 1, p.column + 1)
        });
        out.warnings.push(Warning::new(
            &file.rel,
            format!("syntax error at line {line}, column {col}; the rest of the file was still reviewed"),
        ));
    }
    let table = &plan.tables[language as usize];
    let run_rules = file.reported;
    let mut diagnostics = Vec::new();
    walk(root, |node, entering| {
        if !entering {
            extractor.leave(node);
            return;
        }
        extractor.enter(node);
        if !run_rules {
            return;
        }
        for &idx in table.rules_for(node.kind_id()) {
            if !enabled[idx] {
                continue;
            }
            let RuleImpl::File(rule) = &plan.registry.rules[idx].imp else { continue };
            let mut cx = context(plan, idx, settings, text, language, root, &extractor, &mut diagnostics);
            rule.check_node(node, &mut cx);
        }
    });
    if run_rules {
        for (idx, rule) in plan.registry.rules.iter().enumerate() {
            let RuleImpl::File(imp) = &rule.imp else { continue };
            if !enabled[idx] {
                continue;
            }
            let mut cx = context(plan, idx, settings, text, language, root, &extractor, &mut diagnostics);
            FileRule::check_file(imp.as_ref(), &mut cx);
        }
        if !plan.registry.queries.is_empty_for(language) {
            let facts = &extractor.facts;
            let in_test = |offset: usize| facts.is_test() || facts.in_test_range(offset as u32);
            let is_enabled = |idx: RuleIdx| enabled[idx];
            for (idx, span, message) in plan.registry.queries.run(language, root, text, &in_test, &is_enabled) {
                let mut reporter = Reporter {
                    rule: &plan.registry.rules[idx].meta.id,
                    severity: settings.severity[idx],
                    path: &file.rel,
                    line_hashes: &facts.line_hashes,
                    out: &mut diagnostics,
                };
                reporter.report(span, message);
            }
        }
    }
    out.facts = extractor.finish();
    out.diagnostics = diagnostics;
    drop(tree);
    out
}

#[allow(clippy::too_many_arguments)]
fn context<'a, 'tree>(
    plan: &'a ParsePlan<'_>,
    idx: RuleIdx,
    settings: &'a Settings,
    text: &'a str,
    language: Language,
    root: Node<'tree>,
    extractor: &'a FactsExtractor<'_>,
    sink: &'a mut Vec<Diagnostic>,
) -> FileContext<'a, 'tree> {
    FileContext {
        source: text,
        language,
        root,
        facts: &extractor.facts,
        scope: &extractor.scope,
        prepared: &settings.prepared[idx],
        options: &settings.options[idx],
        reporter: Reporter {
            rule: &plan.registry.rules[idx].meta.id,
            severity: settings.severity[idx],
            path: &extractor.facts.path,
            line_hashes: &extractor.facts.line_hashes,
            out: sink,
        },
    }
}

/// Pre-order walk with enter/leave events, using one cursor.
pub fn walk<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>, bool)) {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        visit(node, true);
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            visit(cursor.node(), false);
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

fn first_error(root: Node<'_>) -> Option<Node<'_>> {
    let mut found = None;
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            found = Some(node);
            break;
        }
        // Only descend into subtrees that contain an error.
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return found;
            }
        }
    }
    found
}

/// Facts of a file without running any rule: for third-party sources read
/// lazily (installed packages, type declarations) and for tests.
pub fn extract_facts(rel: &str, language: Language, text: &str) -> FileFacts {
    let Some(tree) = parse_tree(language, text) else {
        return FileFacts {
            path: rel.to_string(),
            language: Some(language),
            ..FileFacts::default()
        };
    };
    let mut extractor = FactsExtractor::new(text, language, rel.to_string(), role_of(rel, language));
    extractor.facts.line_hashes = text.lines().map(normalized_line_hash).collect();
    extractor.facts.has_syntax_errors = tree.root_node().has_error();
    walk(tree.root_node(), |node, entering| {
        if entering {
            extractor.enter(node)
        } else {
            extractor.leave(node)
        }
    });
    extractor.finish()
}
