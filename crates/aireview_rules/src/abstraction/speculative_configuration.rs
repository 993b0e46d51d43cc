//! `speculative-configuration`: configuration whose values never vary: an
//! options class built once in the whole project, with constants, or a
//! parameter every call site passes the same constant.

use super::{code_list, count_option, counted, plain_class, reviewable};
use aireview_core::facts::{FileFacts, FunctionFact};
use aireview_core::model::ProjectModel;
use aireview_core::rule::{Prepared, ProjectContext, ProjectRule};
use std::sync::Arc;

pub struct SpeculativeConfiguration;

struct Options {
    min_fields: u32,
    min_calls: u32,
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
            min_calls: count_option(options, "min-calls", 3, 2)?,
        }))
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        if !reviewable(file) {
            return;
        }
        let (min, min_calls) = cx
            .prepared::<Options>()
            .map_or((2, 3), |o| (o.min_fields as usize, o.min_calls));
        constant_parameters(file, model, cx, min_calls);
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

/// Module-level functions whose every call (at least `min_calls`) passes
/// the same literal for some argument.
fn constant_parameters(file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>, min_calls: u32) {
    let Some(id) = model.file_id(&file.path) else {
        return;
    };
    for f in &file.functions {
        // Public functions may be called from outside the project (library
        // users, frameworks loading them by name): their calls are not all here.
        if f.public
            || file.exports.names.contains(&f.name)
            || !is_plain_function(f)
            || file.in_test_range(f.span.start)
            || model.functions_named(&f.name) != 1
        {
            continue;
        }
        let Some(totals) = model.calls_of(&f.name).filter(|t| t.count >= min_calls) else {
            continue;
        };
        let constant: Vec<String> = totals
            .args
            .iter()
            .filter(|a| a.calls == totals.count)
            .filter_map(|a| {
                let value = a.value.as_deref()?;
                Some(match a.key.parse::<usize>() {
                    Ok(i) => format!("`{value}` as argument {}", i + 1),
                    Err(_) => format!("`{}={value}`", a.key),
                })
            })
            .collect();
        if constant.is_empty() || model.is_public_api(id, &f.name, f.public) {
            continue;
        }
        let list = match constant.as_slice() {
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
            [] => continue,
        };
        let diagnostic = cx.report(
            f.name_span,
            format!(
                "every one of the {} calls of `{}` passes {list}: the parameter never varies",
                totals.count, f.name
            ),
        );
        diagnostic.with_help("drop the parameter and use the value inside the function (or make it the default)");
        if let Some((first, span)) = totals.first {
            diagnostic.with_related(&model.files[first].path, span, "first call");
        }
    }
}

/// A module-level function of the code itself: not a method, not nested,
/// not decorated (a decorator may register it to be called by a framework),
/// not a test.
fn is_plain_function(f: &FunctionFact) -> bool {
    f.container.is_none() && !f.nested && !f.in_test && !f.conditional && f.decorators.is_empty() && f.stub.is_none()
}
