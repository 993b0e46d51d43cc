//! Third-party facts kept between runs in the project's cache folder
//! (`external.bin`), so a warm review reads no dependency source again:
//! each file's export facts, and the `macro_rules!` names of each file the
//! Rust macro search reads.
//!
//! An entry is found by its kind and the file's absolute path, and used
//! only when the file's stamp (size, times, inode) is the one recorded and
//! the build that wrote it is this one. As for the project's own files
//! (`cache`), a stamp is recorded only once both its times are settled, the
//! file is written through a temporary file and a rename, and a file that
//! is corrupt is ignored, reported once and rebuilt.

use crate::cache::{
    as_bytes, prepare_dir, read_checked, settled_before_now, write_checked, Blob, CacheOptions, Stamp, HEADER_LEN,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use xxhash_rust::xxh3::xxh3_64;

/// The file's name in the cache folder.
pub(crate) const FILE_NAME: &str = "external.bin";
/// File magic; the last two bytes are the format version.
const MAGIC: &[u8; 8] = b"AIRVWX01";

/// What an entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum Kind {
    /// A `ParsedFile`.
    Exports,
    /// The file's `macro_rules!` names.
    Macros,
}

type Key = (Kind, String);

/// An entry as the file holds it, borrowed from the file's bytes.
#[derive(Serialize, Deserialize)]
struct EntryOnDisk<'a> {
    kind: Kind,
    path: &'a str,
    stamp: Stamp,
    #[serde(serialize_with = "as_bytes")]
    blob: &'a [u8],
}

struct Entry {
    stamp: Stamp,
    blob: Blob,
}

/// What was read from the folder when first asked.
#[derive(Default)]
struct Loaded {
    entries: HashMap<Key, Entry>,
    /// Why the file could not be used.
    corrupt: Option<String>,
}

/// The store of one review. `Send + Sync`: project rules ask it from many threads.
pub struct ExternalStore {
    dir: PathBuf,
    /// Hash of the build: entries of another build are not used.
    build: u64,
    /// Stamps with a later time are not recorded (see `cache`).
    settled_before: i128,
    loaded: OnceLock<Loaded>,
    fresh: Mutex<HashMap<Key, Entry>>,
}

impl ExternalStore {
    pub fn new(opts: &CacheOptions) -> ExternalStore {
        ExternalStore::with_settled_before(opts, settled_before_now())
    }

    pub(crate) fn with_settled_before(opts: &CacheOptions, settled_before: i128) -> ExternalStore {
        ExternalStore {
            dir: opts.dir.clone(),
            build: xxh3_64(opts.build_id.as_bytes()),
            settled_before,
            loaded: OnceLock::new(),
            fresh: Mutex::new(HashMap::new()),
        }
    }

    fn loaded(&self) -> &Loaded {
        self.loaded
            .get_or_init(|| match read(&self.dir.join(FILE_NAME), self.build) {
                Ok(entries) => Loaded { entries, corrupt: None },
                Err(why) => Loaded {
                    entries: HashMap::new(),
                    corrupt: Some(why),
                },
            })
    }

    /// The stored value of `path` when its stamp is still `stamp`.
    pub(crate) fn get(&self, kind: Kind, path: &Path, stamp: &Stamp) -> Option<&[u8]> {
        let key = (kind, path.to_str()?.to_string());
        self.loaded()
            .entries
            .get(&key)
            .filter(|e| e.stamp == *stamp)
            .map(|e| e.blob.bytes())
    }

    /// Keeps `blob` for `path`, read when the file had `stamp` (taken
    /// before reading), if that stamp is settled.
    pub(crate) fn put(&self, kind: Kind, path: &Path, stamp: Stamp, blob: Vec<u8>) {
        let Some(path) = path.to_str() else {
            return;
        };
        if !stamp.is_settled(self.settled_before) {
            return;
        }
        let entry = Entry {
            stamp,
            blob: Blob::Owned(blob),
        };
        self.fresh
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((kind, path.to_string()), entry);
    }

    /// Writes the file when this run added entries or found it corrupt:
    /// the new entries, and the old ones whose files still have their
    /// stamps. Returns what went wrong, one line each.
    pub fn save(&self) -> Vec<String> {
        let loaded = self.loaded();
        let fresh = self.fresh.lock().unwrap_or_else(|e| e.into_inner());
        let mut problems = Vec::new();
        if let Some(why) = &loaded.corrupt {
            problems.push(format!(
                "cache: ignored and rebuilt a corrupt file in {} ({FILE_NAME}: {why})",
                self.dir.display()
            ));
        }
        if fresh.is_empty() && loaded.corrupt.is_none() {
            return problems;
        }
        let still = |path: &str, stamp: &Stamp| {
            std::fs::metadata(path)
                .ok()
                .and_then(|m| Stamp::of(&m))
                .is_some_and(|s| s == *stamp)
        };
        let mut entries: Vec<EntryOnDisk> = fresh
            .iter()
            .chain(
                loaded
                    .entries
                    .iter()
                    .filter(|(key, e)| !fresh.contains_key(*key) && still(&key.1, &e.stamp)),
            )
            .map(|((kind, path), e)| EntryOnDisk {
                kind: *kind,
                path,
                stamp: e.stamp,
                blob: e.blob.bytes(),
            })
            .collect();
        entries.sort_by(|a, b| (a.kind, a.path).cmp(&(b.kind, b.path)));
        let written = postcard::to_stdvec(&entries)
            .map_err(std::io::Error::other)
            .and_then(|encoded| {
                let mut payload = self.build.to_le_bytes().to_vec();
                payload.extend_from_slice(&encoded);
                prepare_dir(&self.dir)?;
                write_checked(&self.dir, FILE_NAME, MAGIC, &payload)
            });
        if let Err(e) = written {
            problems.push(format!("cache: cannot write {}: {e}", self.dir.display()));
        }
        problems
    }
}

/// Reads the file: its entries when it was written by this build (none when
/// missing, of an older format or of another build), `Err` when corrupt.
fn read(path: &Path, build: u64) -> Result<HashMap<Key, Entry>, String> {
    let Some(bytes) = read_checked(path, MAGIC)? else {
        return Ok(HashMap::new());
    };
    let file = Arc::new(bytes);
    let Some((head, encoded)) = file[HEADER_LEN..].split_first_chunk::<8>() else {
        return Err("cannot decode: too short".into());
    };
    if u64::from_le_bytes(*head) != build {
        return Ok(HashMap::new());
    }
    let base = file.as_ptr() as usize;
    let entries: Vec<EntryOnDisk> = postcard::from_bytes(encoded).map_err(|e| format!("cannot decode: {e}"))?;
    Ok(entries
        .into_iter()
        .map(|e| {
            let start = e.blob.as_ptr() as usize - base;
            let entry = Entry {
                stamp: e.stamp,
                blob: Blob::File(Arc::clone(&file), start..start + e.blob.len()),
            };
            ((e.kind, e.path.to_string()), entry)
        })
        .collect())
}
