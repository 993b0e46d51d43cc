//! Finding the project root for the paths a user gives.

use std::path::{Path, PathBuf};

/// Whether `dir` is a project root: it holds a dependency manifest or `.git`.
fn is_root_marker_dir(dir: &Path) -> bool {
    if dir.join(".git").exists() {
        return true;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_str().is_some_and(aireview_manifest::is_project_marker))
}

/// The member globs of a workspace declared in `dir` for a member holding
/// a manifest named `member_manifest` (Cargo `[workspace] members`,
/// package.json `workspaces`, pnpm-workspace.yaml `packages`).
fn workspace_members(dir: &Path, member_manifest: &str) -> Vec<String> {
    match member_manifest {
        "Cargo.toml" => {
            let text = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
            let Ok(doc) = text.parse::<toml::Table>() else {
                return Vec::new();
            };
            let members = doc
                .get("workspace")
                .and_then(|w| w.get("members"))
                .and_then(|m| m.as_array());
            members
                .map(|m| m.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                .unwrap_or_default()
        }
        "package.json" => {
            let mut globs = Vec::new();
            if let Ok(text) = std::fs::read_to_string(dir.join("package.json")) {
                if let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) {
                    let ws = doc.get("workspaces");
                    let list = ws.and_then(|w| w.as_array().or_else(|| w.get("packages").and_then(|p| p.as_array())));
                    globs.extend(
                        list.into_iter()
                            .flatten()
                            .filter_map(|v| v.as_str().map(str::to_string)),
                    );
                }
            }
            // pnpm-workspace.yaml: `packages:` followed by `- 'glob'` lines.
            if let Ok(text) = std::fs::read_to_string(dir.join("pnpm-workspace.yaml")) {
                let mut in_packages = false;
                for line in text.lines() {
                    let t = line.trim();
                    if !line.starts_with([' ', '-']) && !t.is_empty() {
                        in_packages = t.starts_with("packages:");
                    } else if in_packages {
                        if let Some(item) = t.strip_prefix('-') {
                            let g = item.trim().trim_matches(['"', '\'']);
                            if !g.starts_with('!') && !g.is_empty() {
                                globs.push(g.to_string());
                            }
                        }
                    }
                }
            }
            globs
        }
        _ => Vec::new(),
    }
}

/// Whether `member` is a member of a workspace declared in `workspace`.
fn is_workspace_member(workspace: &Path, member: &Path) -> bool {
    let Some(rel) = crate::discover::relative_path(workspace, member) else {
        return false;
    };
    ["Cargo.toml", "package.json"].iter().any(|manifest| {
        member.join(manifest).is_file()
            && workspace_members(workspace, manifest).iter().any(|g| {
                let g = g.trim_start_matches("./").trim_end_matches('/');
                globset::Glob::new(g).is_ok_and(|glob| glob.compile_matcher().is_match(&rel))
            })
    })
}

/// The project root for one path: the nearest folder at or above it with a
/// manifest or `.git`, widened to an enclosing workspace that lists it as a
/// member (Cargo, npm/yarn or pnpm), so monorepo members are reviewed with
/// the workspace's declarations. Falls back to the path's own folder.
pub fn project_root_for(path: &Path) -> PathBuf {
    let start = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let Some(nearest) = start.ancestors().find(|d| is_root_marker_dir(d)) else {
        return start;
    };
    if nearest.join(".git").exists() {
        return nearest.to_path_buf();
    }
    for ancestor in nearest.ancestors().skip(1) {
        if is_workspace_member(ancestor, nearest) {
            return ancestor.to_path_buf();
        }
        if ancestor.join(".git").exists() {
            break;
        }
    }
    nearest.to_path_buf()
}

/// One root for several paths: their shared root, or the nearest root above
/// their common folder when they belong to different packages.
pub fn project_root(paths: &[PathBuf]) -> PathBuf {
    let roots: Vec<PathBuf> = paths.iter().map(|p| project_root_for(p)).collect();
    let Some(first) = roots.first() else {
        return PathBuf::from(".");
    };
    if roots.iter().all(|r| r == first) {
        return first.clone();
    }
    let mut common = first.clone();
    for r in &roots[1..] {
        while !r.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    project_root_for(&common)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_manifest_widened_to_workspace() {
        let tmp = tempfile::tempdir().unwrap();
        let ws = tmp.path();
        std::fs::write(ws.join("package.json"), r#"{"workspaces": ["packages/*"]}"#).unwrap();
        let crate_ws = ws.join("rs");
        std::fs::create_dir_all(crate_ws.join("crates/core/src")).unwrap();
        std::fs::write(crate_ws.join("Cargo.toml"), "[workspace]\nmembers = [\"crates/*\"]\n").unwrap();
        std::fs::write(crate_ws.join("crates/core/Cargo.toml"), "[package]\nname = \"core\"\n").unwrap();
        assert_eq!(project_root_for(&crate_ws.join("crates/core/src")), crate_ws);
        let member = ws.join("packages/a");
        std::fs::create_dir_all(member.join("src")).unwrap();
        std::fs::write(member.join("package.json"), "{}").unwrap();
        std::fs::write(member.join("src/x.ts"), "").unwrap();
        assert_eq!(project_root_for(&member.join("src/x.ts")), ws);
        let plain = tmp.path().join("plain");
        std::fs::create_dir_all(plain.join("pkg")).unwrap();
        std::fs::write(plain.join("pyproject.toml"), "").unwrap();
        // Not listed as a workspace member: its own root.
        assert_eq!(project_root_for(&plain.join("pkg")), plain);
        let none = tmp.path().join("none");
        std::fs::create_dir_all(&none).unwrap();
        // `none` has no marker, but `tmp` has package.json: the nearest wins.
        assert_eq!(project_root_for(&none), tmp.path());
    }
}
