//! `aireview install-hook`: a git pre-commit hook that reviews what is
//! about to be committed.

use crate::cli::InstallHookArgs;

/// The hook script. `--staged` reads the staged content, so unstaged edits
/// neither hide nor add findings.
pub const PRE_COMMIT_HOOK: &str = "#!/bin/sh\n\
# Installed by `aireview install-hook`: review the staged changes before each commit.\n\
# Skip it once with `git commit --no-verify`.\n\
exec aireview check --staged --no-progress\n";

pub fn install(args: InstallHookArgs) -> Result<u8, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let hooks = aireview_core::git::hooks_dir(&cwd).map_err(|e| e.to_string())?;
    let hook = hooks.join("pre-commit");
    if hook.symlink_metadata().is_ok() && !args.force {
        return Err(format!(
            "`{}` already exists; use --force to replace it",
            hook.display()
        ));
    }
    if args.force {
        // Replace a symlinked hook rather than write through the link.
        let _ = std::fs::remove_file(&hook);
    }
    std::fs::create_dir_all(&hooks).map_err(|e| format!("cannot create `{}`: {e}", hooks.display()))?;
    std::fs::write(&hook, PRE_COMMIT_HOOK).map_err(|e| format!("cannot write `{}`: {e}", hook.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("cannot make `{}` executable: {e}", hook.display()))?;
    }
    println!("Installed the pre-commit hook in {}", hook.display());
    Ok(0)
}
