//! The two kinds of rules and what they see.
//!
//! *File rules* run in the parse pass while the tree is alive: the one walk
//! of each tree hands every node to the rules that asked for its kind, then
//! `check_file` runs once with the file's complete facts. *Project rules* run
//! afterwards, in parallel per file, on that file's facts and the read-only
//! project model; they never see a tree or touch the file system.

use crate::diagnostic::{fingerprint, Diagnostic, Severity};
use crate::facts::Scope;
use crate::facts::{FileFacts, FileRole};
use crate::lang::Language;
use crate::model::ProjectModel;
use crate::span::Span;
use std::any::Any;
use std::sync::Arc;
use tree_sitter::Node;

/// A rule's options after validation, compiled once per configuration scope
/// (regexes, sets), so no rule re-parses options per node.
pub type Prepared = Arc<dyn Any + Send + Sync>;

/// The value `prepare` returns for rules without options.
pub fn no_options() -> Prepared {
    Arc::new(())
}

pub trait FileRule: Send + Sync {
    fn id(&self) -> &'static str;

    /// The named node kinds this rule wants to see in files of `language`.
    fn node_kinds(&self, language: Language) -> &'static [&'static str];

    /// Called for each node of a wanted kind, in document order.
    fn check_node(&self, _node: Node<'_>, _cx: &mut FileContext<'_, '_>) {}

    /// Called once per file after the walk, with complete facts and the tree
    /// still alive (`cx.root`). Prefer `check_node`: do not walk the tree here.
    fn check_file(&self, _cx: &mut FileContext<'_, '_>) {}

    /// Validates this rule's options (catalogue defaults merged with config)
    /// and compiles them. An `Err` is a configuration error naming the option.
    fn prepare(&self, _options: &toml::Table) -> Result<Prepared, String> {
        Ok(no_options())
    }

    /// The part of this rule that runs on facts and the project model, for
    /// a rule that answers one question partly in a file and partly across
    /// files (`raw-html-output`: a handler here, its template elsewhere).
    /// It reports under this rule's id and configuration.
    fn project_part(&self) -> Option<&dyn ProjectRule> {
        None
    }
}

pub trait ProjectRule: Send + Sync {
    fn id(&self) -> &'static str;

    /// Checks one file against the project model.
    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>);

    /// Checks what belongs to no source file (dependency manifests), once
    /// per run, after the per-file checks.
    fn check_project(&self, _model: &ProjectModel, _cx: &mut ManifestContext<'_>) {}

    fn prepare(&self, _options: &toml::Table) -> Result<Prepared, String> {
        Ok(no_options())
    }
}

/// Creates diagnostics for one rule in one file, with severity from the
/// configuration and a fingerprint from the file's line hashes.
pub struct Reporter<'a> {
    pub(crate) rule: &'a str,
    pub(crate) severity: Severity,
    pub(crate) path: &'a str,
    pub(crate) line_hashes: &'a [u64],
    pub(crate) out: &'a mut Vec<Diagnostic>,
}

impl Reporter<'_> {
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        let line_hash = self
            .line_hashes
            .get(span.start_line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(0);
        self.out.push(Diagnostic {
            rule: self.rule.to_string(),
            severity: self.severity,
            path: self.path.to_string(),
            span,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fingerprint: fingerprint(self.rule, self.path, line_hash),
        });
        self.out.last_mut().expect("just pushed")
    }
}

/// What a file rule sees.
pub struct FileContext<'a, 'tree> {
    pub source: &'a str,
    pub language: Language,
    /// The root of the file's syntax tree.
    pub root: Node<'tree>,
    /// The current node's ancestors, root first (empty in `check_file`).
    /// Use these instead of `Node::parent`, which re-descends from the root.
    pub ancestors: &'a [Node<'tree>],
    /// Facts extracted so far (complete in `check_file`; in `check_node`,
    /// everything before the node in document order).
    pub facts: &'a FileFacts,
    /// Where the current node is: function, class, test code, guards.
    pub scope: &'a Scope,
    pub(crate) prepared: &'a Prepared,
    pub(crate) options: &'a toml::Table,
    pub(crate) reporter: Reporter<'a>,
    pub(crate) memo: &'a NodeMemo,
    /// Template renders recorded for the file's facts (see `record_template_render`).
    pub(crate) template_renders: &'a mut Vec<crate::facts::TemplateRender>,
}

/// Results that several file rules compute for the same node (the taint
/// analysis of a function, which every validation rule reads), kept for one
/// file's walk: the first rule to ask computes it, the others get a copy.
#[derive(Default)]
pub struct NodeMemo {
    /// (node id, start and end byte, result type, caller's key) -> result.
    values: std::cell::RefCell<std::collections::HashMap<MemoKey, Box<dyn Any>>>,
}

type MemoKey = (usize, usize, usize, std::any::TypeId, u64);

impl<'tree> FileContext<'_, 'tree> {
    /// `compute()` for `node` and `key`, computed once per file however
    /// many rules ask; each caller gets a clone. `compute` must depend only
    /// on the node, the file and `key` (not on the asking rule's options).
    pub fn shared<T: Clone + 'static>(&self, node: Node<'_>, key: u64, compute: impl FnOnce() -> T) -> T {
        let at: MemoKey = (
            node.id(),
            node.start_byte(),
            node.end_byte(),
            std::any::TypeId::of::<T>(),
            key,
        );
        let known = self
            .memo
            .values
            .borrow()
            .get(&at)
            .and_then(|v| v.downcast_ref::<T>().cloned());
        if let Some(value) = known {
            return value;
        }
        // Not borrowed while computing: `compute` may ask for other nodes.
        let value = compute();
        self.memo.values.borrow_mut().insert(at, Box::new(value.clone()));
        value
    }

    /// Records a render of a template file for this file's facts: a fact
    /// only a rule's handler analysis can see, checked later against the
    /// template in the project model.
    pub fn record_template_render(&mut self, render: crate::facts::TemplateRender) {
        self.template_renders.push(render);
    }

    pub fn path(&self) -> &str {
        &self.facts.path
    }

    pub fn role(&self) -> FileRole {
        self.facts.role
    }

    /// The current node's parent (`None` in `check_file`).
    pub fn parent(&self) -> Option<Node<'tree>> {
        self.ancestors.last().copied()
    }

    pub fn text(&self, node: Node<'_>) -> &str {
        &self.source[node.byte_range()]
    }

    pub fn span(&self, node: Node<'_>) -> Span {
        Span::of_node(node, self.source)
    }

    /// In a test file or in-file test code at this point of the walk.
    pub fn in_test_code(&self) -> bool {
        self.scope.in_test()
    }

    /// Test code by byte offset (for `check_file`, where the walk is over).
    pub fn in_test_at(&self, offset: usize) -> bool {
        self.facts.is_test() || self.facts.in_test_range(offset as u32)
    }

    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.reporter.report(span, message)
    }

    /// The rule's compiled options (see `FileRule::prepare`).
    pub fn prepared<T: 'static>(&self) -> Option<&T> {
        self.prepared.downcast_ref::<T>()
    }

    /// The rule's effective options table.
    pub fn options(&self) -> &toml::Table {
        self.options
    }
}

/// What a project rule sees besides the facts and the model.
pub struct ProjectContext<'a> {
    pub(crate) prepared: &'a Prepared,
    pub(crate) options: &'a toml::Table,
    pub(crate) reporter: Reporter<'a>,
    /// The run reviews explicit files or a change, not the whole project:
    /// project-wide conventions are then mined from the rest of the project.
    pub narrowed_scope: bool,
}

impl ProjectContext<'_> {
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.reporter.report(span, message)
    }

    pub fn prepared<T: 'static>(&self) -> Option<&T> {
        self.prepared.downcast_ref::<T>()
    }

    pub fn options(&self) -> &toml::Table {
        self.options
    }
}

/// What a rule sees when it checks the project's manifests.
pub struct ManifestContext<'a> {
    pub(crate) prepared: &'a Prepared,
    pub(crate) options: &'a toml::Table,
    pub(crate) rule: &'a str,
    pub(crate) severity: Severity,
    pub(crate) out: &'a mut Vec<Diagnostic>,
    /// Whether findings in this manifest answer the user's question (it lies
    /// under a reviewed path).
    pub(crate) in_scope: &'a dyn Fn(&str) -> bool,
}

impl ManifestContext<'_> {
    pub fn in_scope(&self, manifest: &str) -> bool {
        (self.in_scope)(manifest)
    }

    /// Reports at `line`:`column` (1-based, characters) of a manifest, underlining `len` characters.
    pub fn report_in_manifest(
        &mut self,
        model: &ProjectModel,
        manifest: &str,
        line: u32,
        column: u32,
        len: usize,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let span = model.deps.manifest_span(manifest, line, column, len);
        let line_hash = model.deps.manifest_line_hash(manifest, span.start_line);
        self.out.push(Diagnostic {
            rule: self.rule.to_string(),
            severity: self.severity,
            path: manifest.to_string(),
            span,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fingerprint: fingerprint(self.rule, manifest, line_hash),
        });
        self.out.last_mut().expect("just pushed")
    }

    pub fn prepared<T: 'static>(&self) -> Option<&T> {
        self.prepared.downcast_ref::<T>()
    }

    pub fn options(&self) -> &toml::Table {
        self.options
    }
}
