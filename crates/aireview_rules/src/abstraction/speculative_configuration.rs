//! `speculative-configuration`: a configuration or options class whose
//! values never vary: built once in the whole project, with constants.

use super::{code_list, count_option, counted, plain_class};
use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::rule::{Prepared, ProjectContext, ProjectRule};
use std::sync::Arc;

pub struct SpeculativeConfiguration;

struct Options {
    min_fields: u32,
}

/// Decorators that turn a class into a record without adding behaviour.
const RECORD_DECORATORS: &[&str] = &["dataclass", "s", "attrs", "define", "frozen", "mutable"];

/// What configuration classes are called.
const SUFFIXES: &[&str] = &["Config", "Configuration", "Options", "Settings", "Params", "Parameters"];

impl ProjectRule for SpeculativeConfiguration {
    fn id(&self) -> &'static str {
        "speculative-configuration"
    }

    fn prepare(&self, options: &toml::Table) -> Result<Prepared, String> {
        Ok(Arc::new(Options {
            min_fields: count_option(options, "min-fields", 2, 1)?,
        }))
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        if !file.is_production() {
            return;
        }
        let min = cx.prepared::<Options>().map_or(2, |o| o.min_fields) as usize;
        for t in &file.types {
            if !SUFFIXES.iter().any(|s| t.name.ends_with(s) && t.name.len() > s.len())
                || t.constant_fields.len() < min
                || !plain_class(file, model, t, RECORD_DECORATORS)
            {
                continue;
            }
            let Some((site_file, site)) = model.only_construction(&t.name) else {
                continue;
            };
            if !site.constant_args || site.in_test {
                continue;
            }
            let fields: Vec<&str> = t.constant_fields.iter().map(String::as_str).collect();
            let diagnostic = cx.report(
                t.span,
                format!(
                    "`{}` is built once ({}:{}), with constant arguments: its {} ({}) never vary",
                    t.name,
                    site_file.path,
                    site.span.start_line,
                    counted(fields.len(), "field"),
                    code_list(&fields)
                ),
            );
            diagnostic.with_help(
                "use module-level constants or plain parameters with defaults until a caller needs other values",
            );
            diagnostic.with_related(&site_file.path, site.span, "the only construction");
        }
    }
}
