//! Hallucinated imports: packages nobody declared or that do not exist,
//! first-party modules and names that were never written, names a
//! third-party package does not export, and manifest hygiene (dev-only
//! dependencies in production, unused and unlocked declarations).
//!
//! Every rule classifies imports with `aireview_core::resolve`, so they
//! agree on what an import is.

mod dev_dependency_in_production_code;
mod hallucinated_third_party_name;
mod newly_published_package;
mod nonexistent_package;
mod stdlib_module_unavailable;
mod undeclared_import;
mod unknown_import;
mod unlocked_dependency;
mod unresolved_first_party_import;
mod unused_declared_dependency;

use aireview_core::deps::Declared;
use aireview_core::facts::{FileFacts, Import};
use aireview_core::rule::ProjectRule;
use aireview_manifest::{DepKind, ManifestKind};

pub fn project_rules() -> Vec<Box<dyn ProjectRule>> {
    vec![
        Box::new(dev_dependency_in_production_code::DevDependencyInProductionCode),
        Box::new(hallucinated_third_party_name::HallucinatedThirdPartyName),
        Box::new(newly_published_package::NewlyPublishedPackage),
        Box::new(nonexistent_package::NonexistentPackage),
        Box::new(stdlib_module_unavailable::StdlibModuleUnavailable),
        Box::new(undeclared_import::UndeclaredImport),
        Box::new(unknown_import::UnknownImport),
        Box::new(unlocked_dependency::UnlockedDependency),
        Box::new(unresolved_first_party_import::UnresolvedFirstPartyImport),
        Box::new(unused_declared_dependency::UnusedDeclaredDependency),
    ]
}

/// The span to underline for an import's package or module.
fn module_span(import: &Import) -> aireview_core::Span {
    if import.module_span == aireview_core::Span::default() {
        import.span
    } else {
        import.module_span
    }
}

/// Where a missing dependency goes, in the words of the manifest's format.
fn declaration_table(manifest: &str, dev: bool, kind: Option<ManifestKind>, poetry: bool) -> String {
    let name = manifest.rsplit('/').next().unwrap_or(manifest);
    match kind {
        Some(ManifestKind::Pyproject) if poetry && dev => {
            format!("`[tool.poetry.group.dev.dependencies]` in {manifest}")
        }
        Some(ManifestKind::Pyproject) if poetry => format!("`[tool.poetry.dependencies]` in {manifest}"),
        Some(ManifestKind::Pyproject) if dev => format!("`[dependency-groups]` (or an extra) in {manifest}"),
        Some(ManifestKind::Pyproject) => format!("`[project] dependencies` in {manifest}"),
        Some(ManifestKind::SetupCfg) => format!("`[options] install_requires` in {manifest}"),
        Some(ManifestKind::SetupPy) => format!("`install_requires` in {manifest}"),
        Some(ManifestKind::PackageJson) if dev => format!("`devDependencies` in {manifest}"),
        Some(ManifestKind::PackageJson) => format!("`dependencies` in {manifest}"),
        Some(ManifestKind::CargoToml) if dev => format!("`[dev-dependencies]` in {manifest}"),
        Some(ManifestKind::CargoToml) => format!("`[dependencies]` in {manifest}"),
        _ => name.to_string(),
    }
}

/// Test code, by file role or in-file test region.
fn in_test_code(file: &FileFacts, import: &Import) -> bool {
    file.is_test() || import.in_test
}

/// Whether every declaration of a package is for development only.
fn dev_only(decls: &[&Declared]) -> bool {
    !decls.is_empty() && decls.iter().all(|d| d.dep.kind == DepKind::Dev)
}

/// A close spelling among the declared and popular packages of an
/// ecosystem (`reqeusts` -> `requests`), for a "did you mean" hint.
fn did_you_mean(name: &str, candidates: impl IntoIterator<Item = String>) -> Option<String> {
    let lower = name.to_ascii_lowercase().replace('_', "-");
    if lower.len() < 4 {
        return None;
    }
    let limit = if lower.len() <= 6 { 1 } else { 2 };
    let mut best: Option<(usize, String)> = None;
    for c in candidates {
        let cl = c.to_ascii_lowercase().replace('_', "-");
        if cl == lower || cl.len().abs_diff(lower.len()) > limit {
            continue;
        }
        let d = strsim::damerau_levenshtein(&lower, &cl);
        if d <= limit && best.as_ref().is_none_or(|(bd, bc)| (d, &c) < (*bd, bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_and_deterministic() {
        let c = || ["requests", "request", "urllib3", "lodash"].map(String::from);
        assert_eq!(did_you_mean("reqeusts", c()).as_deref(), Some("requests"));
        assert_eq!(did_you_mean("lodahs", c()).as_deref(), Some("lodash"));
        assert_eq!(did_you_mean("flask", c()), None);
        assert_eq!(did_you_mean("requests", c()).as_deref(), Some("request"));
        assert_eq!(did_you_mean("abc", c()), None);
    }
}
