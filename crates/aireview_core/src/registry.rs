//! The registry: every rule the engine can run, joined with its catalogue
//! entry, plus the compiled queries of declarative rules.

use crate::catalogue::{parse_rule_file, Catalogue, CatalogueError, RuleMeta};
use crate::lang::Language;
use crate::query_rule::QuerySet;
use crate::rule::{FileRule, ProjectRule};
use std::collections::HashMap;
use std::path::Path;
use thiserror::Error;

/// Index of a rule in `Registry::rules`.
pub type RuleIdx = usize;

/// Rules the engine implements itself (suppression bookkeeping).
pub const ENGINE_RULES: &[&str] = &["unused-suppression"];

pub enum RuleImpl {
    File(Box<dyn FileRule>),
    Project(Box<dyn ProjectRule>),
    /// A declarative rule: its catalogue entry's queries.
    Query,
    /// Implemented by the engine (see `ENGINE_RULES`).
    Engine,
}

impl RuleImpl {
    /// What runs on facts and the model: a project rule, or a file rule's project part.
    pub fn project(&self) -> Option<&dyn ProjectRule> {
        match self {
            RuleImpl::Project(imp) => Some(imp.as_ref()),
            RuleImpl::File(imp) => imp.project_part(),
            RuleImpl::Query | RuleImpl::Engine => None,
        }
    }
}

pub struct RegisteredRule {
    pub meta: RuleMeta,
    pub imp: RuleImpl,
    /// From the project's `.aireview/rules`, not built in.
    pub user_defined: bool,
}

impl RegisteredRule {
    pub fn id(&self) -> &str {
        &self.meta.id
    }
}

#[derive(Debug, Error)]
pub enum RegistryError {
    #[error("rule `{0}` is implemented but has no catalogue entry in rules/")]
    MissingCatalogueEntry(String),
    #[error("catalogue entry `{0}` ({1}) has no implementation and no queries")]
    Unimplemented(String, String),
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    #[error("{file}: {message}")]
    UserRule { file: String, message: String },
    #[error("{0}: `supersedes` names `{1}`, which is not a rule")]
    UnknownSuperseded(String, String),
}

pub struct Registry {
    pub rules: Vec<RegisteredRule>,
    index: HashMap<String, RuleIdx>,
    pub queries: QuerySet,
}

impl Registry {
    /// Joins implementations with catalogue entries; every implementation
    /// needs an entry and every entry an implementation (or queries).
    pub fn new(
        catalogue: Catalogue,
        file_rules: Vec<Box<dyn FileRule>>,
        project_rules: Vec<Box<dyn ProjectRule>>,
    ) -> Result<Registry, RegistryError> {
        let mut impls: HashMap<String, RuleImpl> = HashMap::new();
        for r in file_rules {
            impls.insert(r.id().to_string(), RuleImpl::File(r));
        }
        for r in project_rules {
            impls.insert(r.id().to_string(), RuleImpl::Project(r));
        }
        for id in ENGINE_RULES {
            impls.insert(id.to_string(), RuleImpl::Engine);
        }
        let mut rules = Vec::new();
        for (id, meta) in catalogue.rules {
            let imp = match impls.remove(&id) {
                Some(imp) => imp,
                None if !meta.queries.is_empty() => RuleImpl::Query,
                None => return Err(RegistryError::Unimplemented(id, meta.source)),
            };
            rules.push(RegisteredRule {
                meta,
                imp,
                user_defined: false,
            });
        }
        if let Some(id) = impls.into_keys().min() {
            return Err(RegistryError::MissingCatalogueEntry(id));
        }
        let mut reg = Registry {
            rules,
            index: HashMap::new(),
            queries: QuerySet::default(),
        };
        reg.reindex()?;
        Ok(reg)
    }

    fn reindex(&mut self) -> Result<(), RegistryError> {
        self.rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        self.index = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.meta.id.clone(), i))
            .collect();
        for rule in &self.rules {
            if let Some(id) = rule.meta.supersedes.iter().find(|id| !self.index.contains_key(*id)) {
                return Err(RegistryError::UnknownSuperseded(rule.meta.source.clone(), id.clone()));
            }
        }
        self.queries =
            QuerySet::compile(&self.rules).map_err(|(file, message)| RegistryError::UserRule { file, message })?;
        Ok(())
    }

    /// Adds the project's own declarative rules from `dir` (`.aireview/rules`).
    /// A malformed file is an error naming the file and the problem.
    pub fn add_user_rules(&mut self, dir: &Path) -> Result<usize, RegistryError> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(0);
        };
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        let added = files.len();
        for path in files {
            let file = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| RegistryError::UserRule {
                file: file.clone(),
                message: e.to_string(),
            })?;
            let meta = parse_rule_file(&file, &text)?;
            if meta.queries.is_empty() {
                return Err(RegistryError::UserRule {
                    file,
                    message: "a project rule needs at least one [[query]]".into(),
                });
            }
            if let Some(&i) = self.index.get(&meta.id) {
                return Err(RegistryError::UserRule {
                    file,
                    message: format!(
                        "rule id `{}` is already defined by {}",
                        meta.id, self.rules[i].meta.source
                    ),
                });
            }
            self.index.insert(meta.id.clone(), usize::MAX);
            self.rules.push(RegisteredRule {
                meta,
                imp: RuleImpl::Query,
                user_defined: true,
            });
        }
        self.reindex()?;
        Ok(added)
    }

    pub fn get(&self, id: &str) -> Option<RuleIdx> {
        self.index.get(id).copied()
    }

    pub fn meta(&self, idx: RuleIdx) -> &RuleMeta {
        &self.rules[idx].meta
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Expands a selector (rule id, family name or `all`) to rule indices.
    pub fn expand_selector(&self, selector: &str) -> Option<Vec<RuleIdx>> {
        if selector == "all" {
            return Some((0..self.rules.len()).collect());
        }
        if let Some(i) = self.get(selector) {
            return Some(vec![i]);
        }
        let family: Vec<RuleIdx> = (0..self.rules.len())
            .filter(|&i| self.rules[i].meta.family == selector)
            .collect();
        let is_family = crate::catalogue::FAMILIES.iter().any(|(f, _)| *f == selector);
        (is_family || !family.is_empty()).then_some(family)
    }

    /// File rules with, per language, a table from node kind id to the rules wanting it.
    pub fn dispatch_table(&self, language: Language) -> DispatchTable {
        let grammar = language.grammar();
        let count = grammar.node_kind_count();
        let mut by_kind: Vec<Vec<RuleIdx>> = vec![Vec::new(); count];
        for (idx, rule) in self.rules.iter().enumerate() {
            let RuleImpl::File(imp) = &rule.imp else {
                continue;
            };
            for kind in imp.node_kinds(language) {
                let mut found = false;
                for id in 0..count as u16 {
                    if grammar.node_kind_is_named(id) && grammar.node_kind_for_id(id) == Some(*kind) {
                        by_kind[id as usize].push(idx);
                        found = true;
                    }
                }
                debug_assert!(
                    found,
                    "rule {} asks for unknown {} node kind `{kind}`",
                    rule.meta.id,
                    language.name()
                );
            }
        }
        DispatchTable { by_kind }
    }
}

/// Node kind id -> file rules that asked for it, for one language.
pub struct DispatchTable {
    pub(crate) by_kind: Vec<Vec<RuleIdx>>,
}

impl DispatchTable {
    pub fn rules_for(&self, kind_id: u16) -> &[RuleIdx] {
        self.by_kind.get(kind_id as usize).map_or(&[], Vec::as_slice)
    }
}
