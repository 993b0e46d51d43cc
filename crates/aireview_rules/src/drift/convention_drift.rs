//! `convention-drift`: a file does a job (HTTP, logging, validation...)
//! with a different library or style than the rest of its package.

use super::first_uses;
use aireview_core::conventions::{judged_class, DEFAULT_MIN_FILES, DEFAULT_MIN_SHARE};
use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::rule::{Prepared, ProjectContext, ProjectRule};
use std::sync::Arc;

pub struct ConventionDrift;

/// The `min-files` and `min-share` options.
struct Thresholds {
    min_files: u32,
    min_share: f64,
}

impl ProjectRule for ConventionDrift {
    fn id(&self) -> &'static str {
        "convention-drift"
    }

    fn prepare(&self, options: &toml::Table) -> Result<Prepared, String> {
        let mut t = Thresholds {
            min_files: DEFAULT_MIN_FILES,
            min_share: DEFAULT_MIN_SHARE,
        };
        for (key, value) in options {
            match key.as_str() {
                "min-files" => {
                    t.min_files = value
                        .as_integer()
                        .and_then(|n| u32::try_from(n).ok())
                        .filter(|&n| n >= 1)
                        .ok_or("`min-files` must be a whole number of at least 1")?;
                }
                "min-share" => {
                    t.min_share = value
                        .as_float()
                        .filter(|s| (0.5..=1.0).contains(s))
                        .ok_or("`min-share` must be a number between 0.5 and 1.0")?;
                }
                other => return Err(format!("unknown option `{other}`")),
            }
        }
        Ok(Arc::new(t))
    }

    fn check(&self, file: &FileFacts, model: &ProjectModel, cx: &mut ProjectContext<'_>) {
        let (min_files, min_share) = cx
            .prepared::<Thresholds>()
            .map_or((DEFAULT_MIN_FILES, DEFAULT_MIN_SHARE), |t| (t.min_files, t.min_share));
        let Some(id) = model.file_id(&file.path) else {
            return;
        };
        let package = model.package_of(&file.path).map(|p| p.dir.clone()).unwrap_or_default();
        let profile = &model.conventions;
        for (u, family) in first_uses(file, model) {
            if u.class != judged_class(family) {
                continue;
            }
            // A wrapped library is `bypasses-project-wrapper`'s question.
            if profile.wrapper(u.family).is_some() {
                continue;
            }
            let key = (u.family, package.clone(), u.class);
            let Some(est) = profile.established(&key, min_files, min_share) else {
                continue;
            };
            // A file that also does it the project's way knows the
            // convention: the other use is deliberate (flask's one
            // `pathlib.Path` among its `os.path` calls).
            let uses = &profile.uses[id];
            if est.alternative == u.alternative
                || uses
                    .iter()
                    .any(|o| o.family == u.family && o.class == u.class && o.alternative == est.alternative)
            {
                continue;
            }
            let chosen = &family.alternatives[est.alternative].name;
            let used = &family.alternatives[u.alternative].name;
            let basis = if est.pinned {
                "the project's choice in [conventions]".to_string()
            } else {
                format!("used by {} of {} files that do this", est.files, est.total)
            };
            let where_ = if package.is_empty() {
                "this project".to_string()
            } else {
                format!("{package}/")
            };
            let d = cx.report(
                u.span,
                format!(
                    "{} drift: `{used}` here, but {where_} uses `{chosen}` ({basis})",
                    family.label
                ),
            );
            d.with_help(format!(
                "use `{chosen}` like the rest of the code, or pin a different choice with `[conventions] {} = \"...\"`",
                family.id
            ));
            if let Some((example, span)) = profile.example(&key, est.alternative) {
                d.with_related(
                    model.files[example].path.clone(),
                    span,
                    format!("`{chosen}` is used here"),
                );
            }
        }
    }
}
