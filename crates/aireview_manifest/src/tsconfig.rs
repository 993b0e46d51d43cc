//! `tsconfig.json` / `jsconfig.json` (JSONC): `compilerOptions.baseUrl` and
//! `paths`, following `extends` (relative files and packages in
//! `node_modules`, single or array) the way TypeScript does: the nearest
//! config that sets an option wins, `paths` targets are relative to the
//! effective `baseUrl`, else to the config that declared `paths`.

use crate::files::Files;
use crate::paths::{dir_of, join};
use crate::problems::ProblemSink;
use crate::{jsonc, Manifest, ManifestKind, ManifestProblem, TsConfig};
use serde_json::Value;

/// How many `extends` hops are followed before assuming a cycle.
const MAX_CHAIN: usize = 32;

/// One config file's own options, before inheritance.
struct Layer {
    rel: String,
    base_url: Option<String>,
    paths: Option<Vec<(String, Vec<String>)>>,
}

/// Reads a tsconfig and the configs it extends.
pub fn read(text: &str, rel: &str, files: &mut Files, problems: &mut ProblemSink) -> Result<Manifest, ManifestProblem> {
    let doc = jsonc::parse(text, rel, true)?;
    let mut layers = Vec::new();
    let mut seen = vec![rel.to_string()];
    collect(&doc, text, rel, files, problems, &mut layers, &mut seen);
    let leaf_dir = dir_of(rel);
    // Nearest first: the leaf's own layer is last in `layers` (bases come before).
    let base = layers
        .iter()
        .rev()
        .find_map(|l| l.base_url.as_ref().map(|b| (b.clone(), &l.rel)));
    let base_url = base.map(|(b, declared_in)| expand(&b, dir_of(declared_in), leaf_dir));
    let paths = layers
        .iter()
        .rev()
        .find_map(|l| l.paths.as_ref().map(|p| (p, &l.rel)))
        .map(|(paths, declared_in)| {
            let target_base = base_url.clone().unwrap_or_else(|| dir_of(declared_in).to_string());
            paths
                .iter()
                .map(|(pattern, targets)| {
                    (
                        pattern.clone(),
                        targets.iter().map(|t| expand(t, &target_base, leaf_dir)).collect(),
                    )
                })
                .collect()
        });
    Ok(Manifest {
        kind: Some(ManifestKind::Tsconfig),
        path: rel.to_string(),
        tsconfig: Some(TsConfig {
            base_url,
            paths: paths.unwrap_or_default(),
        }),
        ..Manifest::default()
    })
}

/// A path option resolved against `dir`, or against the leaf config's folder for `${configDir}`.
fn expand(value: &str, dir: &str, leaf_dir: &str) -> String {
    match value.strip_prefix("${configDir}") {
        Some(rest) => join(leaf_dir, rest.trim_start_matches('/')),
        None => join(dir, value),
    }
}

/// Pushes the layers of `doc` (bases first, then its own).
fn collect(
    doc: &Value,
    text: &str,
    rel: &str,
    files: &mut Files,
    problems: &mut ProblemSink,
    layers: &mut Vec<Layer>,
    seen: &mut Vec<String>,
) {
    let extends: Vec<&str> = match doc.get("extends") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for spec in extends {
        let position = || {
            jsonc::key_positions(&jsonc::strip(text), 1)
                .into_iter()
                .find(|(p, _, _)| p == &["extends"])
                .map_or((0, 0), |(_, l, c)| (l, c))
        };
        let Some(target) = resolve_extends(files, dir_of(rel), spec) else {
            let (l, c) = position();
            problems.push(
                rel,
                l,
                c,
                &format!("extends {spec:?}, which is not found; its options are not applied"),
            );
            continue;
        };
        if seen.contains(&target) || seen.len() > MAX_CHAIN {
            let (l, c) = position();
            problems.push(rel, l, c, &format!("extends {spec:?} again (a cycle)"));
            continue;
        }
        seen.push(target.clone());
        let parsed = files.text(&target).map_err(|e| (0, 0, e)).and_then(|t| {
            jsonc::parse(&t, &target, true)
                .map(|v| (v, t))
                .map_err(|p| (p.line, p.column, p.message))
        });
        match parsed {
            Ok((base_doc, base_text)) => collect(&base_doc, &base_text, &target, files, problems, layers, seen),
            Err((l, c, e)) => problems.push(&target, l, c, &format!("extended by {rel}: {e}")),
        }
    }
    let options = doc.get("compilerOptions");
    let paths = options
        .and_then(|o| o.get("paths"))
        .and_then(Value::as_object)
        .map(|paths| {
            paths
                .iter()
                .map(|(pattern, targets)| {
                    let targets = targets
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_string);
                    (pattern.clone(), targets.collect())
                })
                .collect()
        });
    layers.push(Layer {
        rel: rel.to_string(),
        base_url: options
            .and_then(|o| o.get("baseUrl"))
            .and_then(Value::as_str)
            .map(str::to_string),
        paths,
    });
}

/// The project-relative file an `extends` value names: a relative path
/// (with or without `.json`), or a package config in the nearest
/// `node_modules` up from the extending config.
fn resolve_extends(files: &mut Files, dir: &str, spec: &str) -> Option<String> {
    let with_json = |p: String| -> Vec<String> {
        if p.ends_with(".json") {
            vec![p]
        } else {
            vec![p.clone(), format!("{p}.json"), format!("{p}/tsconfig.json")]
        }
    };
    if spec.starts_with('.') || spec.starts_with('/') {
        return with_json(join(dir, spec)).into_iter().find(|c| files.is_file(c));
    }
    let mut folder = Some(dir.to_string());
    while let Some(current) = folder {
        let base = join(&current, &format!("node_modules/{spec}"));
        for candidate in with_json(base.clone()) {
            if files.is_file(&candidate) {
                return Some(candidate);
            }
        }
        // A bare package name: its package.json `tsconfig` field.
        if let Ok(text) = files.text(&format!("{base}/package.json")) {
            if let Some(field) = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v.get("tsconfig")?.as_str().map(str::to_string))
            {
                let candidate = join(&base, &field);
                if files.is_file(&candidate) {
                    return Some(candidate);
                }
            }
        }
        folder = if current.is_empty() {
            None
        } else {
            Some(dir_of(&current).to_string())
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &std::path::Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read_at(root: &std::path::Path, rel: &str) -> (Manifest, Vec<ManifestProblem>) {
        let mut files = Files::new(root);
        let mut sink = ProblemSink::default();
        let text = files.text(rel).unwrap();
        let m = read(&text, rel, &mut files, &mut sink).unwrap();
        (m, sink.0)
    }

    #[test]
    fn follows_extends_chains_with_ts_semantics() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "tsconfig.base.json", "{\n  // shared\n  \"compilerOptions\": { \"baseUrl\": \"./src\", \"paths\": { \"@lib/*\": [\"lib/*\"], }, },\n}");
        write(
            root,
            "apps/web/tsconfig.json",
            "{ \"extends\": \"../../tsconfig.base.json\", \"compilerOptions\": { \"strict\": true } }",
        );
        let (m, problems) = read_at(root, "apps/web/tsconfig.json");
        assert!(problems.is_empty(), "{problems:?}");
        let ts = m.tsconfig.unwrap();
        assert_eq!(ts.base_url.as_deref(), Some("src"));
        assert_eq!(ts.paths, [("@lib/*".to_string(), vec!["src/lib/*".to_string()])]);

        // Own paths without baseUrl anywhere: relative to the declaring config.
        write(
            root,
            "pkg/tsconfig.json",
            "{ \"compilerOptions\": { \"paths\": { \"@/*\": [\"./src/*\"] } } }",
        );
        let (m, _) = read_at(root, "pkg/tsconfig.json");
        let ts = m.tsconfig.unwrap();
        assert_eq!(
            (ts.base_url, ts.paths[0].1.clone()),
            (None, vec!["pkg/src/*".to_string()])
        );

        // Child paths with an inherited baseUrl resolve against that baseUrl.
        write(root, "apps/api/tsconfig.json", "{ \"extends\": \"../../tsconfig.base\", \"compilerOptions\": { \"paths\": { \"~/*\": [\"${configDir}/src/*\", \"x/*\"] } } }");
        let (m, _) = read_at(root, "apps/api/tsconfig.json");
        let ts = m.tsconfig.unwrap();
        assert_eq!(
            ts.paths,
            [(
                "~/*".to_string(),
                vec!["apps/api/src/*".to_string(), "src/x/*".to_string()]
            )]
        );
    }

    #[test]
    fn extends_packages_in_node_modules() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "node_modules/@tsconfig/strictest/tsconfig.json",
            "{ \"compilerOptions\": { \"baseUrl\": \".\" } }",
        );
        write(
            root,
            "node_modules/cfgpkg/package.json",
            "{ \"tsconfig\": \"./base.json\" }",
        );
        write(
            root,
            "node_modules/cfgpkg/base.json",
            "{ \"compilerOptions\": { \"paths\": { \"a\": [\"./a.ts\"] } } }",
        );
        write(
            root,
            "web/tsconfig.json",
            "{ \"extends\": [\"@tsconfig/strictest/tsconfig.json\", \"cfgpkg\"] }",
        );
        let (m, problems) = read_at(root, "web/tsconfig.json");
        assert!(problems.is_empty(), "{problems:?}");
        let ts = m.tsconfig.unwrap();
        assert_eq!(ts.base_url.as_deref(), Some("node_modules/@tsconfig/strictest"));
        assert_eq!(ts.paths[0].1, ["node_modules/@tsconfig/strictest/a.ts"]);
    }

    #[test]
    fn missing_and_cyclic_extends_are_problems() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "tsconfig.json",
            "{\n  \"extends\": [\"./missing.json\", \"./b.json\"],\n  \"compilerOptions\": { \"baseUrl\": \"src\" }\n}",
        );
        write(root, "b.json", "{ \"extends\": \"./tsconfig.json\" }");
        let (m, problems) = read_at(root, "tsconfig.json");
        assert_eq!(m.tsconfig.unwrap().base_url.as_deref(), Some("src"));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!((problems[0].line, problems[0].column), (2, 4));
        assert!(problems[0].message.contains("\"./missing.json\", which is not found"));
        assert!(problems[1].message.contains("cycle"));
    }
}
