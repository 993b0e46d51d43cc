//! `aireview rules` and `aireview explain`.

use crate::cli::{load_registry, ExplainArgs, RulesArgs};

pub fn list(args: RulesArgs) -> Result<u8, String> {
    let root = std::env::current_dir().map_err(|e| e.to_string())?;
    let root = aireview_core::root::project_root(&[root]);
    let registry = load_registry(&root)?;
    if args.json {
        let rules: Vec<serde_json::Value> = registry
            .rules
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.meta.id,
                    "family": r.meta.family,
                    "severity": r.meta.severity,
                    "category": r.meta.category,
                    "default_enabled": r.meta.default_enabled,
                    "message": r.meta.message,
                    "user_defined": r.user_defined,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rules).map_err(|e| e.to_string())?);
        return Ok(0);
    }
    let width = registry.rules.iter().map(|r| r.meta.id.len()).max().unwrap_or(0);
    for (family, title) in aireview_core::catalogue::FAMILIES {
        let rules: Vec<_> = registry.rules.iter().filter(|r| r.meta.family == *family).collect();
        if rules.is_empty() {
            continue;
        }
        println!("{family} ({title})");
        for r in rules {
            let state = if r.meta.default_enabled {
                ""
            } else {
                " [off by default]"
            };
            println!(
                "  {:width$}  {:7}  {}{state}",
                r.meta.id,
                r.meta.severity.as_str(),
                r.meta.message
            );
        }
    }
    Ok(0)
}

pub fn explain(args: ExplainArgs) -> Result<u8, String> {
    let root = std::env::current_dir().map_err(|e| e.to_string())?;
    let root = aireview_core::root::project_root(&[root]);
    let registry = load_registry(&root)?;
    let Some(idx) = registry.get(&args.rule) else {
        return Err(format!("unknown rule `{}` (see `aireview rules`)", args.rule));
    };
    let m = registry.meta(idx);
    println!("# {}\n", m.id);
    println!(
        "Family: {} | Default severity: {} | Category: {:?} | Enabled by default: {}\n",
        m.family,
        m.severity,
        m.category,
        if m.default_enabled { "yes" } else { "no" }
    );
    println!("{}\n", m.message);
    println!("{}", m.docs.trim());
    Ok(0)
}
