//! The on-disk answer cache: one JSON file with sorted keys, so it diffs
//! cleanly and two runs write the same bytes.
//!
//! Only definite answers (`Exists`, `Missing`) are stored. A file that cannot
//! be read as a cache is reported, ignored and rewritten.

use super::PackageStatus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The cache file's name inside `LookupOptions::cache_dir`.
pub const CACHE_FILE_NAME: &str = "package-lookups.json";
const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct CacheFile {
    entries: BTreeMap<String, CachedAnswer>,
    version: u32,
}

/// Fields in alphabetical order: serde writes them in declaration order.
#[derive(Clone, Serialize, Deserialize)]
struct CachedAnswer {
    /// Unix seconds when the client gave this answer.
    checked: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    exists: bool,
}

pub(crate) struct AnswerCache {
    path: PathBuf,
    entries: BTreeMap<String, CachedAnswer>,
    dirty: bool,
}

impl AnswerCache {
    /// Reads the cache in `dir`; an absent file is an empty cache.
    pub(crate) fn load(dir: &Path, warnings: &mut Vec<String>) -> AnswerCache {
        let path = dir.join(CACHE_FILE_NAME);
        let mut cache = AnswerCache {
            path,
            entries: BTreeMap::new(),
            dirty: false,
        };
        let text = match std::fs::read_to_string(&cache.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return cache,
            Err(e) => {
                warnings.push(format!(
                    "{}: cannot read the package look-up cache: {e}; asking again",
                    cache.path.display()
                ));
                cache.dirty = true;
                return cache;
            }
        };
        match serde_json::from_str::<CacheFile>(&text) {
            Ok(file) if file.version == FORMAT_VERSION => cache.entries = file.entries,
            Ok(file) => {
                warnings.push(format!(
                    "{}: package look-up cache has format version {}, expected {FORMAT_VERSION}; ignored and rewritten",
                    cache.path.display(),
                    file.version
                ));
                cache.dirty = true;
            }
            Err(e) => {
                warnings.push(format!(
                    "{}: package look-up cache is not valid ({e}); ignored and rewritten",
                    cache.path.display()
                ));
                cache.dirty = true;
            }
        }
        cache
    }

    /// The stored answer for `key` if it was given less than `ttl` seconds
    /// before `now`. An answer dated after `now` (a clock change) is stale.
    pub(crate) fn fresh(&self, key: &str, now: u64, ttl: u64) -> Option<PackageStatus> {
        let answer = self.entries.get(key)?;
        let age = now.checked_sub(answer.checked)?;
        (age < ttl).then(|| {
            if answer.exists {
                PackageStatus::Exists {
                    created: answer.created.clone(),
                }
            } else {
                PackageStatus::Missing
            }
        })
    }

    /// Records a definite answer; `Unknown` is never stored.
    pub(crate) fn record(&mut self, key: String, status: &PackageStatus, now: u64) {
        let answer = match status {
            PackageStatus::Exists { created } => CachedAnswer {
                checked: now,
                created: created.clone(),
                exists: true,
            },
            PackageStatus::Missing => CachedAnswer {
                checked: now,
                created: None,
                exists: false,
            },
            PackageStatus::Unknown(_) => return,
        };
        self.entries.insert(key, answer);
        self.dirty = true;
    }

    /// Writes the cache when it changed, dropping expired answers. The file
    /// is replaced by a rename so a reader never sees half of it.
    pub(crate) fn save(mut self, now: u64, ttl: u64, warnings: &mut Vec<String>) {
        if !self.dirty {
            return;
        }
        self.entries
            .retain(|_, answer| now.checked_sub(answer.checked).is_some_and(|age| age < ttl));
        let file = CacheFile {
            entries: self.entries,
            version: FORMAT_VERSION,
        };
        let result = serde_json::to_string_pretty(&file)
            .map_err(|e| e.to_string())
            .and_then(|mut json| {
                json.push('\n');
                if let Some(dir) = self.path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                }
                let temporary = self.path.with_extension(format!("json.{}.tmp", std::process::id()));
                std::fs::write(&temporary, json).map_err(|e| e.to_string())?;
                std::fs::rename(&temporary, &self.path).map_err(|e| {
                    let _ = std::fs::remove_file(&temporary);
                    e.to_string()
                })
            });
        if let Err(e) = result {
            warnings.push(format!(
                "{}: cannot write the package look-up cache: {e}",
                self.path.display()
            ));
        }
    }
}
