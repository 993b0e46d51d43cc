//! `aireview cache clean`: removes a project's cache of per-file results.

use crate::cli::{CacheCleanArgs, CacheCommand};
use aireview_core::cache::{clean, CACHE_DIR};

pub fn run(command: CacheCommand) -> Result<u8, String> {
    match command {
        CacheCommand::Clean(args) => clean_cache(args),
    }
}

fn clean_cache(args: CacheCleanArgs) -> Result<u8, String> {
    let root = match &args.project_root {
        Some(dir) => dir.clone(),
        None => {
            let path = args.path.clone().unwrap_or_else(|| ".".into());
            let path = path
                .canonicalize()
                .map_err(|e| format!("cannot use `{}`: {e}", path.display()))?;
            aireview_core::root::project_root(&[path])
        }
    };
    let dir = root.join(CACHE_DIR);
    match clean(&root) {
        Ok(true) => println!("Removed {}", dir.display()),
        Ok(false) => println!("No cache at {}", dir.display()),
        Err(e) => return Err(format!("cannot remove `{}`: {e}", dir.display())),
    }
    Ok(0)
}
