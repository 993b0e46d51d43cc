//! Pattern drift: new code judged against the project's own conventions
//! (the convention profile the project model mines once), its wrapper
//! modules, and its existing helpers.

mod bypasses_project_wrapper;
mod convention_drift;
mod reimplemented_helper;
mod unwrap_in_propagating_code;

use aireview_core::conventions::{families, ConventionUse, Family};
use aireview_core::facts::FileFacts;
use aireview_core::model::ProjectModel;
use aireview_core::rule::ProjectRule;

pub fn project_rules() -> Vec<Box<dyn ProjectRule>> {
    vec![
        Box::new(bypasses_project_wrapper::BypassesProjectWrapper),
        Box::new(convention_drift::ConventionDrift),
        Box::new(reimplemented_helper::ReimplementedHelper),
        Box::new(unwrap_in_propagating_code::UnwrapInPropagatingCode),
    ]
}

/// The file's uses of convention families, each family and alternative
/// once (its first use), with the family they belong to.
fn first_uses<'m>(file: &FileFacts, model: &'m ProjectModel) -> Vec<(&'m ConventionUse, &'static Family)> {
    let Some(id) = model.file_id(&file.path) else {
        return Vec::new();
    };
    let mut seen = std::collections::BTreeSet::new();
    model.conventions.uses[id]
        .iter()
        .filter(|u| seen.insert((u.family, u.alternative)))
        .map(|u| (u, &families()[u.family]))
        .collect()
}
