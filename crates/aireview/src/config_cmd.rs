//! `aireview config [PATH]`: the effective configuration for a path, and the
//! file (or default, or flag) each value came from.

use crate::cli::{file_layers, load_registry, project_root, resolve_paths, ConfigArgs};
use aireview_core::config::{project_layer, read_config_file, ConfigLayer, ConfigSet, Origin, CONFIG_FILE};
use aireview_core::discover::relative_path;

pub fn run(args: ConfigArgs) -> Result<u8, String> {
    let targets = resolve_paths(&args.path.iter().cloned().collect::<Vec<_>>())?;
    let root = project_root(&args.config, &targets)?;
    let registry = load_registry(&root)?;
    let (user, project_override) = file_layers(&args.config)?;
    let project = match project_override {
        Some(layer) => layer,
        None => project_layer(&root).map_err(|e| e.to_string())?,
    };
    let target = &targets[0];
    let rel = relative_path(&root, target).unwrap_or_default();
    // Sub-folder files on the way from the root down to the path.
    let mut subfolders = Vec::new();
    if !args.config.isolated {
        let mut dir = String::new();
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        for part in parts.iter().take(if target.is_dir() {
            parts.len()
        } else {
            parts.len().saturating_sub(1)
        }) {
            dir = if dir.is_empty() {
                part.to_string()
            } else {
                format!("{dir}/{part}")
            };
            let file = root.join(&dir).join(CONFIG_FILE);
            if file.is_file() {
                subfolders.push(ConfigLayer {
                    file: read_config_file(&file).map_err(|e| e.to_string())?,
                    origin: Origin::Subfolder(file),
                    dir: dir.clone(),
                });
            }
        }
    }
    let layer_names: Vec<String> = user
        .iter()
        .chain(project.iter())
        .chain(subfolders.iter())
        .map(|l| format!("{} ({})", l.origin, kind(&l.origin)))
        .collect();
    let set = ConfigSet::build(&registry, user, project, subfolders, args.config.cli_layer(None), None)
        .map_err(|e| e.to_string())?;
    let probe = if target.is_dir() && !rel.is_empty() {
        format!("{rel}/_")
    } else {
        rel.clone()
    };
    let settings = set.settings_for(&probe);
    println!(
        "# Effective configuration for `{}`",
        if rel.is_empty() { "." } else { &rel }
    );
    println!("# Project root: {}", root.display());
    if layer_names.is_empty() {
        println!("# Configuration files: none (defaults only)");
    } else {
        println!("# Configuration files, in the order applied:");
        for l in &layer_names {
            println!("#   {l}");
        }
    }
    let width = settings
        .provenance
        .iter()
        .map(|p| p.key.len() + p.value.len() + 3)
        .max()
        .unwrap_or(0);
    for p in &settings.provenance {
        let line = format!("{} = {}", p.key, p.value);
        println!("{line:width$}  # {}", p.origin);
    }
    Ok(0)
}

fn kind(origin: &Origin) -> &'static str {
    match origin {
        Origin::Default => "default",
        Origin::User(_) => "user",
        Origin::Project(_) => "project",
        Origin::Subfolder(_) => "sub-folder",
        Origin::CommandLine => "command line",
    }
}
