//! `aireview conventions [PATH]`: the convention profile mined from a
//! project, per package root, and the project's wrapper modules.

use crate::cli::{file_layers, load_registry, project_root, resolve_paths, ConventionsArgs};
use aireview_core::conventions::{families, judged_class, DEFAULT_MIN_FILES, DEFAULT_MIN_SHARE};
use aireview_core::review::{read_from_disk, review, ReviewOptions};
use std::fmt::Write as _;

pub fn run(args: ConventionsArgs) -> Result<u8, String> {
    let paths: Vec<_> = args.path.iter().cloned().collect();
    let targets = resolve_paths(&paths)?;
    let root = project_root(&args.config, &targets)?;
    let registry = load_registry(&root)?;
    let (user_layer, project_layer_override) = file_layers(&args.config)?;
    let opts = ReviewOptions {
        root: root.clone(),
        // The whole project: the profile is the project's, whatever the path.
        targets: vec![root.clone()],
        user_layer,
        cli_layer: args.config.cli_layer(None),
        project_layer_override,
        subfolder_configs: !args.config.isolated,
        narrowed_scope: false,
        online: None,
        use_cargo: true,
        virtual_env: std::env::var_os("VIRTUAL_ENV").map(std::path::PathBuf::from),
        // A read-only report: it neither needs nor writes the cache.
        cache: None,
        read_elsewhere: Default::default(),
        filter: Default::default(),
    };
    let result = review(&registry, opts, &read_from_disk, None).map_err(|e| e.to_string())?;
    // The thresholds `convention-drift` uses at the project root.
    let options = registry
        .get("convention-drift")
        .map(|i| result.config.root().options[i].clone())
        .unwrap_or_default();
    let min_files = options
        .get("min-files")
        .and_then(toml::Value::as_integer)
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(DEFAULT_MIN_FILES);
    let min_share = options
        .get("min-share")
        .and_then(toml::Value::as_float)
        .unwrap_or(DEFAULT_MIN_SHARE);
    print!("{}", render(&result.model, min_files, min_share));
    Ok(0)
}

fn render(model: &aireview_core::model::ProjectModel, min_files: u32, min_share: f64) -> String {
    let profile = &model.conventions;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Conventions (established: at least {min_files} files and {:.0}% of those doing the job)",
        min_share * 100.0
    );
    let mut current: Option<&str> = None;
    for (key, tally) in &profile.tallies {
        let (fi, package, class) = key;
        let family = &families()[*fi];
        // Tests and scripts are counted on their own; show what is judged.
        if *class != judged_class(family) {
            continue;
        }
        if current != Some(package.as_str()) {
            let shown = if package.is_empty() { "." } else { package.as_str() };
            let _ = writeln!(out, "\npackage root {shown}");
            current = Some(package.as_str());
        }
        let head = format!(
            "  {:<6} {:<16} {:<12}",
            language_name(family.language),
            family.id,
            class.label()
        );
        match profile.established(key, min_files, min_share) {
            Some(est) => {
                let name = &family.alternatives[est.alternative].name;
                let pinned = if est.pinned { ", pinned in [conventions]" } else { "" };
                let _ = writeln!(
                    out,
                    "{head} {name} ({:.0}%, {} of {} files{pinned})",
                    est.files as f64 * 100.0 / est.total.max(1) as f64,
                    est.files,
                    est.total
                );
            }
            None => {
                let mut counts: Vec<(usize, &str)> = tally
                    .files
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| !f.is_empty())
                    .map(|(a, f)| (f.len(), family.alternatives[a].name.as_str()))
                    .collect();
                counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
                let list: Vec<String> = counts.iter().map(|(n, name)| format!("{name} {n}")).collect();
                let _ = writeln!(
                    out,
                    "{head} no convention ({} of {} files)",
                    list.join(", "),
                    tally.total.len()
                );
            }
        }
    }
    if profile.tallies.is_empty() {
        let _ = writeln!(out, "\nno file uses a known convention family");
    }
    if !profile.wrappers.is_empty() {
        let _ = writeln!(out, "\nwrappers");
        for w in &profile.wrappers {
            let family = &families()[w.family];
            let _ = writeln!(
                out,
                "  {:<6} {:<16} {} wraps {} ({} modules import it)",
                language_name(family.language),
                family.id,
                model.files[w.file].path,
                family.alternatives[w.alternative].name,
                w.importers
            );
        }
    }
    out
}

fn language_name(eco: aireview_core::Ecosystem) -> &'static str {
    match eco {
        aireview_core::Ecosystem::Python => "python",
        aireview_core::Ecosystem::Js => "js",
        aireview_core::Ecosystem::Rust => "rust",
    }
}
