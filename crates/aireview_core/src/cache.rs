//! The warm cache: each file's parse-pass output (its facts, its file-rule
//! findings and its warnings), kept in `.aireview_cache/` at the project root
//! so that a second run parses only the files that changed. The project model
//! and the project rules are always rebuilt from the facts.
//!
//! An entry is found by the file's path and trusted only when its key
//! matches: a hash of the build (version and executable), the rule catalogue
//! (built-in and the project's own rules), the file's effective settings
//! (enabled rules, severities, options, size limit) and the file's bytes.
//!
//! So that an unchanged file need not even be read, an entry also keeps the
//! file's stamp (size, modification and status-change times, inode) when the
//! entry was last verified; a file whose settings key and stamp both match is
//! a hit without reading it. A stamp is recorded only when both times are
//! more than `SETTLED` older than the start of the run that verified the
//! bytes (as git does for its racy index entries): a file written in the
//! same clock tick as it was read could otherwise change again with the same
//! stamp. A stamp that differs sends the file back to its content hash; when
//! that still matches, the entry is kept and its stamp updated (a `touch`).
//!
//! Layout: `SHARDS` files, each holding the entries of the paths that hash to
//! it, so a run that changed one file rewrites one shard. A shard starts with
//! a magic/format header and a checksum of its payload; a shard that fails
//! either, or does not decode, is ignored and rebuilt, never trusted. Shards
//! are written to a temporary file and renamed, so concurrent runs and
//! interrupted runs leave either the old or the new shard, never a torn one.

use crate::config::ConfigSet;
use crate::diagnostic::{Diagnostic, Warning};
use crate::facts::FileFacts;
use crate::parse::FileOutput;
use crate::registry::Registry;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

/// The cache folder's name, at the project root.
pub const CACHE_DIR: &str = ".aireview_cache";
/// How many shard files the entries are spread over.
const SHARDS: usize = 64;
/// File magic; the last two bytes are the format version.
const MAGIC: &[u8; 8] = b"AIRVWC03";
/// A cache file's header: its magic, then the xxh3 checksum of the rest.
pub(crate) const HEADER_LEN: usize = MAGIC.len() + 8;
const GITIGNORE: &str = "# Written by aireview: its cache, never committed.\n*\n";

/// What a cache entry must match besides the file (see the module docs).
type Key = [u64; 2];

/// How much older than the run that verified a file its times must be for
/// its stamp to be trusted.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

/// What the file system says about a file: while these are unchanged, so
/// are its bytes (see the module docs for the times too close to call).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    /// Modification and status-change times, nanoseconds since the epoch.
    mtime: i128,
    ctime: i128,
    inode: u64,
    device: u64,
}

/// Nanoseconds since the epoch before which a stamp's times must lie to be
/// recorded by a run starting now (see the module docs).
pub(crate) fn settled_before_now() -> i128 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128);
    now - SETTLED.as_nanos() as i128
}

impl Stamp {
    /// Both times lie before `settled_before`: the stamp may stand in for the content.
    pub(crate) fn is_settled(&self, settled_before: i128) -> bool {
        self.mtime < settled_before && self.ctime < settled_before
    }

    /// The stamp of a file, from its metadata (`None` where the platform
    /// does not give a status-change time).
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let nanos = |secs: i64, nsec: i64| i128::from(secs) * 1_000_000_000 + i128::from(nsec);
            Some(Stamp {
                len: meta.len(),
                mtime: nanos(meta.mtime(), meta.mtime_nsec()),
                ctime: nanos(meta.ctime(), meta.ctime_nsec()),
                inode: meta.ino(),
                device: meta.dev(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

#[derive(Debug)]
struct StoredEntry {
    path: String,
    key: Key,
    /// The part of `key` that is not the file's bytes (build, rules, settings, path).
    settings: u64,
    /// The file's stamp when its bytes last matched `key`, if it was settled.
    stamp: Option<Stamp>,
    /// File rules ran (the file was reported when the entry was made).
    rules_ran: bool,
    /// A `StoredOutput`, decoded only when the entry is used.
    blob: Blob,
}

/// An entry's encoded value: a slice of the cache file it was read from
/// (never copied), or the bytes of an entry made in this run. The shards
/// and the store of third-party facts (`external::store`) both hold these.
#[derive(Debug)]
pub(crate) enum Blob {
    File(Arc<Vec<u8>>, std::ops::Range<usize>),
    Owned(Vec<u8>),
}

impl Blob {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Blob::File(file, range) => &file[range.clone()],
            Blob::Owned(bytes) => bytes,
        }
    }
}

/// A `StoredEntry` as a shard file holds it, borrowed from the file's bytes.
#[derive(Serialize, Deserialize)]
struct EntryOnDisk<'a> {
    path: &'a str,
    key: Key,
    settings: u64,
    stamp: Option<Stamp>,
    rules_ran: bool,
    /// As bytes (one copy), not as a sequence of `u8` values.
    #[serde(serialize_with = "as_bytes")]
    blob: &'a [u8],
}

pub(crate) fn as_bytes<S: serde::Serializer>(bytes: &&[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bytes(bytes)
}

/// Written with `F = &FileFacts` (no copy of the facts), read with `F = FileFacts`.
#[derive(Serialize, Deserialize)]
struct StoredOutput<'a, F> {
    /// Length of the decoded text.
    len: u64,
    facts: F,
    /// The facts' line hashes, 8 little-endian bytes each: only a reported
    /// file needs them (for fingerprints), so the others skip them.
    #[serde(serialize_with = "as_bytes")]
    line_hashes: &'a [u8],
    /// The file-rule findings as JSON: `Diagnostic` leaves out empty fields
    /// for the JSON report, which postcard's positional encoding cannot read
    /// back. A file has few findings, so the slower encoding costs nothing.
    diagnostics: String,
    warnings: Vec<Warning>,
}

/// Where the cache lives and which build is asking.
#[derive(Clone, Debug)]
pub struct CacheOptions {
    pub dir: PathBuf,
    /// Identifies the build: entries written by another build are not used.
    pub build_id: String,
}

/// What the cache did in one run.
#[derive(Clone, Debug, Default)]
pub struct CacheReport {
    pub dir: PathBuf,
    /// Files whose parse-pass output came from the cache.
    pub hits: usize,
    /// Of the hits, those found by their unchanged stamp, without reading the file.
    pub stamp_hits: usize,
    /// Files parsed (and then cached).
    pub misses: usize,
    /// Problems with the cache itself (at most one line each: a corrupt
    /// cache, a folder that cannot be written); the review is unaffected.
    pub problems: Vec<String>,
}

/// The outcome of looking a file up.
pub enum Lookup {
    /// The output, the text's length, and the stamp to record when it changed.
    Hit(Box<FileOutput>, u64, Option<Stamp>),
    Miss(Key),
}

/// The cache as loaded at the start of a run.
pub struct FileCache {
    dir: PathBuf,
    /// Hash of the build and the rule catalogue: part of every key.
    salt: Key,
    /// Per `ConfigSet` scope: hash of its severities, options and size limit.
    scope_digests: Vec<u64>,
    /// Nanoseconds since the epoch when the run started, less `SETTLED`:
    /// stamps with a later time are not recorded.
    settled_before: i128,
    shards: Vec<HashMap<String, StoredEntry>>,
    /// Cache files that could not be used (shards, and what `note_corrupt`
    /// adds), with the reason.
    corrupt: Vec<(String, String)>,
}

fn shard_of(path: &str) -> usize {
    (xxh3_64(path.as_bytes()) % SHARDS as u64) as usize
}

fn shard_name(shard: usize) -> String {
    format!("shard-{shard:02}.bin")
}

fn shard_file(dir: &Path, shard: usize) -> PathBuf {
    dir.join(shard_name(shard))
}

fn digest128(h: &Xxh3) -> Key {
    let d = h.digest128();
    [d as u64, (d >> 64) as u64]
}

/// Reads a cache file written by `write_checked` with this `magic`: its
/// bytes, header included (the payload starts at `HEADER_LEN`); `None` when
/// there is none, or one of an older format (rebuilt without a word: not
/// corrupt); `Err` names what is wrong with it.
pub(crate) fn read_checked(path: &Path, magic: &[u8; 8]) -> Result<Option<Vec<u8>>, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read: {e}")),
    };
    let format = magic.len() - 2;
    if bytes.len() >= HEADER_LEN && bytes[..format] == magic[..format] && bytes[..magic.len()] != magic[..] {
        return Ok(None);
    }
    if bytes.len() < HEADER_LEN || &bytes[..magic.len()] != magic {
        return Err("not a cache file of this format".into());
    }
    let (head, payload) = bytes.split_at(HEADER_LEN);
    let mut sum = [0u8; 8];
    sum.copy_from_slice(&head[magic.len()..]);
    if u64::from_le_bytes(sum) != xxh3_64(payload) {
        return Err("checksum mismatch".into());
    }
    Ok(Some(bytes))
}

/// Writes `payload` under a `magic`/checksum header to `dir/name`, through
/// a temporary file and an atomic rename: readers see the old file or the
/// new one, never a torn one.
pub(crate) fn write_checked(dir: &Path, name: &str, magic: &[u8; 8], payload: &[u8]) -> std::io::Result<()> {
    let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
    bytes.extend_from_slice(magic);
    bytes.extend_from_slice(&xxh3_64(payload).to_le_bytes());
    bytes.extend_from_slice(payload);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = dir.join(format!(".{name}.{}.{nanos}.tmp", std::process::id()));
    std::fs::write(&tmp, &bytes)?;
    std::fs::rename(&tmp, dir.join(name)).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Reads one shard; `Err` names what is wrong with it.
fn read_shard(path: &Path) -> Result<HashMap<String, StoredEntry>, String> {
    let Some(bytes) = read_checked(path, MAGIC)? else {
        return Ok(HashMap::new());
    };
    let file = Arc::new(bytes);
    let payload = &file[HEADER_LEN..];
    let entries: Vec<EntryOnDisk> = postcard::from_bytes(payload).map_err(|e| format!("cannot decode: {e}"))?;
    let base = file.as_ptr() as usize;
    Ok(entries
        .into_iter()
        .map(|e| {
            let start = e.blob.as_ptr() as usize - base;
            let entry = StoredEntry {
                path: e.path.to_string(),
                key: e.key,
                settings: e.settings,
                stamp: e.stamp,
                rules_ran: e.rules_ran,
                blob: Blob::File(Arc::clone(&file), start..start + e.blob.len()),
            };
            (e.path.to_string(), entry)
        })
        .collect())
}

/// Writes a shard through a temporary file and an atomic rename.
fn write_shard(dir: &Path, shard: usize, entries: &[&StoredEntry]) -> std::io::Result<()> {
    let entries: Vec<EntryOnDisk> = entries
        .iter()
        .map(|e| EntryOnDisk {
            path: &e.path,
            key: e.key,
            settings: e.settings,
            stamp: e.stamp,
            rules_ran: e.rules_ran,
            blob: e.blob.bytes(),
        })
        .collect();
    let payload = postcard::to_stdvec(&entries).map_err(std::io::Error::other)?;
    write_checked(dir, &shard_name(shard), MAGIC, &payload)
}

impl FileCache {
    /// Loads every shard (in parallel). Unreadable or corrupt shards are
    /// remembered, reported once, and rebuilt by `store`.
    pub fn open(opts: &CacheOptions, registry: &Registry, config: &ConfigSet) -> FileCache {
        let mut salt = Xxh3::new();
        salt.update(opts.build_id.as_bytes());
        for rule in &registry.rules {
            salt.update(format!("{:?}", rule.meta).as_bytes());
        }
        let scope_digests = config
            .scopes
            .iter()
            .map(|s| xxh3_64(format!("{:?}{:?}{}", s.severity, s.options, s.max_file_size).as_bytes()))
            .collect();
        let loaded: Vec<Result<HashMap<String, StoredEntry>, String>> = (0..SHARDS)
            .into_par_iter()
            .map(|i| read_shard(&shard_file(&opts.dir, i)))
            .collect();
        let mut shards = Vec::with_capacity(SHARDS);
        let mut corrupt = Vec::new();
        for (i, shard) in loaded.into_iter().enumerate() {
            match shard {
                Ok(entries) => shards.push(entries),
                Err(why) => {
                    corrupt.push((shard_name(i), why));
                    shards.push(HashMap::new());
                }
            }
        }
        FileCache {
            dir: opts.dir.clone(),
            salt: digest128(&salt),
            scope_digests,
            settled_before: settled_before_now(),
            shards,
            corrupt,
        }
    }

    /// Adds another cache file that was corrupt (the walk's) to the one
    /// warning `store` gives.
    pub fn note_corrupt(&mut self, name: &str, why: String) {
        self.corrupt.push((name.to_string(), why));
    }

    /// The part of a file's key that is not its bytes: the build, the rules,
    /// the file's scope settings and enabled rules, and its path.
    pub fn settings_key(&self, path: &str, scope: usize, enabled: &[bool]) -> u64 {
        let mut h = Xxh3::new();
        h.update(&self.salt[0].to_le_bytes());
        h.update(&self.salt[1].to_le_bytes());
        h.update(&self.scope_digests[scope].to_le_bytes());
        let bits: Vec<u8> = enabled.iter().map(|&e| u8::from(e)).collect();
        h.update(&bits);
        h.update(path.as_bytes());
        h.digest()
    }

    /// The stamp to record for a file: only a settled one (see the module docs).
    fn settled(&self, stamp: Option<Stamp>) -> Option<Stamp> {
        stamp.filter(|s| s.is_settled(self.settled_before))
    }

    /// The entry of `path` usable for a file with these settings.
    fn usable(&self, path: &str, settings: u64, reported: bool) -> Option<&StoredEntry> {
        self.shards[shard_of(path)]
            .get(path)
            .filter(|e| e.settings == settings && (e.rules_ran || !reported))
    }

    /// A hit without reading the file: its settings and its (settled) stamp
    /// match the entry's.
    pub fn lookup_stamp(&self, path: &str, settings: u64, reported: bool, stamp: &Stamp) -> Option<Lookup> {
        let entry = self
            .usable(path, settings, reported)
            .filter(|e| e.stamp.as_ref() == Some(stamp))?;
        let (out, len) = decode(entry, reported)?;
        Some(Lookup::Hit(Box::new(out), len, None))
    }

    /// Looks up `path` with these settings and bytes: a hit gives the stored
    /// output, the text's length and the stamp to record if it changed; a
    /// miss gives the key to store under. `stamp` was taken before reading.
    pub fn lookup(&self, path: &str, settings: u64, reported: bool, bytes: &[u8], stamp: Option<Stamp>) -> Lookup {
        let key = content_key(settings, bytes);
        let found = self
            .usable(path, settings, reported)
            .filter(|e| e.key == key)
            .and_then(|e| Some((decode(e, reported)?, e.stamp)));
        match found {
            Some(((out, len), old)) => {
                let restamp = self.settled(stamp).filter(|s| old != Some(*s));
                Lookup::Hit(Box::new(out), len, restamp)
            }
            None => Lookup::Miss(key),
        }
    }

    /// Encodes a freshly computed output for `store`; `stamp` was taken
    /// before the file was read.
    #[allow(clippy::too_many_arguments)]
    pub fn entry(
        &self,
        path: &str,
        key: Key,
        settings: u64,
        stamp: Option<Stamp>,
        rules_ran: bool,
        out: &FileOutput,
        len: u64,
    ) -> Option<NewEntry> {
        let hashes: Vec<u8> = out.facts.line_hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
        let stored = StoredOutput {
            len,
            facts: &out.facts,
            line_hashes: &hashes,
            diagnostics: serde_json::to_string(&out.diagnostics).ok()?,
            warnings: out.warnings.clone(),
        };
        let blob = postcard::to_stdvec(&stored).ok()?;
        Some(NewEntry(StoredEntry {
            path: path.to_string(),
            key,
            settings,
            stamp: self.settled(stamp),
            rules_ran,
            blob: Blob::Owned(blob),
        }))
    }

    /// Writes the shards that changed: new entries replace old ones, hits
    /// with a new stamp in `restamped` get it, and entries of files not in
    /// `hit` or `fresh` (deleted, renamed, now unreadable) are dropped.
    /// Returns what went wrong, at most one line for corruption and one for
    /// writing.
    pub fn store(mut self, fresh: Vec<NewEntry>, hit: &HashSet<&str>, restamped: &[(&str, Stamp)]) -> Vec<String> {
        let mut stamp_changed = HashSet::new();
        for &(path, stamp) in restamped {
            let shard = shard_of(path);
            if let Some(entry) = self.shards[shard].get_mut(path) {
                entry.stamp = Some(stamp);
                stamp_changed.insert(shard);
            }
        }
        let mut problems = Vec::new();
        if !self.corrupt.is_empty() {
            problems.push(format!(
                "cache: ignored and rebuilt {} in {} ({})",
                if self.corrupt.len() == 1 {
                    "a corrupt file".to_string()
                } else {
                    format!("{} corrupt files", self.corrupt.len())
                },
                self.dir.display(),
                self.corrupt
                    .iter()
                    .map(|(name, why)| format!("{name}: {why}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        let corrupt: HashSet<usize> = (0..SHARDS)
            .filter(|&i| self.corrupt.iter().any(|(name, _)| *name == shard_name(i)))
            .collect();
        let mut by_shard: Vec<Vec<StoredEntry>> = (0..SHARDS).map(|_| Vec::new()).collect();
        for NewEntry(e) in fresh {
            by_shard[shard_of(&e.path)].push(e);
        }
        let work: Vec<(usize, HashMap<String, StoredEntry>, Vec<StoredEntry>)> = self
            .shards
            .into_iter()
            .zip(by_shard)
            .enumerate()
            .filter(|(i, (old, new))| {
                !new.is_empty()
                    || corrupt.contains(i)
                    || stamp_changed.contains(i)
                    || old.keys().any(|p| !hit.contains(p.as_str()))
            })
            .map(|(i, (old, new))| (i, old, new))
            .collect();
        if work.is_empty() {
            return problems;
        }
        if let Err(e) = prepare_dir(&self.dir) {
            problems.push(format!("cache: cannot write {}: {e}", self.dir.display()));
            return problems;
        }
        let failed: Vec<String> = work
            .into_par_iter()
            .filter_map(|(i, old, new)| {
                let mut entries: Vec<&StoredEntry> = old.values().filter(|e| hit.contains(e.path.as_str())).collect();
                entries.extend(new.iter());
                entries.sort_by(|a, b| a.path.cmp(&b.path));
                write_shard(&self.dir, i, &entries).err().map(|e| e.to_string())
            })
            .collect();
        if let Some(first) = failed.first() {
            problems.push(format!("cache: cannot write {}: {first}", self.dir.display()));
        }
        problems
    }
}

/// A cache entry made in this run, waiting to be stored.
pub struct NewEntry(StoredEntry);

/// The full key of a file: its settings key and its bytes.
fn content_key(settings: u64, bytes: &[u8]) -> Key {
    let mut h = Xxh3::new();
    h.update(&settings.to_le_bytes());
    h.update(bytes);
    digest128(&h)
}

/// An entry's stored output and text length (the line hashes only when
/// `reported`); `None` if it does not decode.
fn decode(entry: &StoredEntry, reported: bool) -> Option<(FileOutput, u64)> {
    let stored = postcard::from_bytes::<StoredOutput<FileFacts>>(entry.blob.bytes()).ok()?;
    let diagnostics: Vec<Diagnostic> = serde_json::from_str(&stored.diagnostics).ok()?;
    let mut facts = stored.facts;
    if reported {
        facts.line_hashes = stored
            .line_hashes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
            .collect();
    }
    let out = FileOutput {
        facts,
        diagnostics,
        warnings: stored.warnings,
    };
    Some((out, stored.len))
}

/// Creates the cache folder with its `.gitignore`, so it is never committed.
pub(crate) fn prepare_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let ignore = dir.join(".gitignore");
    if !ignore.is_file() {
        std::fs::write(ignore, GITIGNORE)?;
    }
    Ok(())
}

/// `aireview cache clean`: removes the cache folder of the project at
/// `root`. Returns whether there was one.
pub fn clean(root: &Path) -> std::io::Result<bool> {
    let dir = root.join(CACHE_DIR);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_round_trip_and_corruption_is_detected() {
        let tmp = tempfile::tempdir().unwrap();
        let entry = StoredEntry {
            path: "a.py".into(),
            key: [1, 2],
            settings: 3,
            stamp: None,
            rules_ran: true,
            blob: Blob::Owned(vec![1, 2, 3]),
        };
        write_shard(tmp.path(), 3, &[&entry]).unwrap();
        let file = shard_file(tmp.path(), 3);
        let read = read_shard(&file).unwrap();
        assert_eq!(read["a.py"].key, [1, 2]);
        assert_eq!(read["a.py"].blob.bytes(), [1, 2, 3]);
        let mut bytes = std::fs::read(&file).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&file, &bytes).unwrap();
        assert!(read_shard(&file).unwrap_err().contains("checksum"));
        std::fs::write(&file, b"garbage").unwrap();
        assert!(read_shard(&file).is_err());
        assert!(read_shard(&tmp.path().join("missing.bin")).unwrap().is_empty());
    }

    /// Every facts and findings field survives the encoding (an attribute that
    /// needs a self-describing format would fail here).
    /// A cache with no entries whose stamps settle before `settled_before`.
    fn empty_cache(settled_before: i128) -> FileCache {
        FileCache {
            dir: PathBuf::new(),
            salt: [0, 0],
            scope_digests: vec![0],
            settled_before,
            shards: (0..SHARDS).map(|_| HashMap::new()).collect(),
            corrupt: Vec::new(),
        }
    }

    #[test]
    fn a_stamp_is_trusted_only_when_settled_and_equal() {
        let stamp = |mtime, ctime, len| Stamp {
            len,
            mtime,
            ctime,
            inode: 7,
            device: 1,
        };
        let mut cache = empty_cache(100);
        let settings = cache.settings_key("a.py", 0, &[true]);
        let out = FileOutput::default();
        let key = content_key(settings, b"x = 1\n");
        // Written or changed too close to the run: not recorded.
        let racy = cache.entry("a.py", key, settings, Some(stamp(50, 100, 6)), true, &out, 6);
        assert_eq!(racy.unwrap().0.stamp, None);
        let NewEntry(entry) = cache
            .entry("a.py", key, settings, Some(stamp(50, 60, 6)), true, &out, 6)
            .unwrap();
        assert_eq!(entry.stamp, Some(stamp(50, 60, 6)));
        cache.shards[shard_of("a.py")].insert("a.py".into(), entry);
        assert!(cache.lookup_stamp("a.py", settings, true, &stamp(50, 60, 6)).is_some());
        // Same mtime, another size or status-change time: not trusted.
        assert!(cache.lookup_stamp("a.py", settings, true, &stamp(50, 60, 7)).is_none());
        assert!(cache.lookup_stamp("a.py", settings, true, &stamp(50, 61, 6)).is_none());
        // Other settings never match.
        assert!(cache
            .lookup_stamp("a.py", settings ^ 1, true, &stamp(50, 60, 6))
            .is_none());
        // A touch: the content decides, and the new stamp is to be recorded.
        match cache.lookup("a.py", settings, true, b"x = 1\n", Some(stamp(70, 70, 6))) {
            Lookup::Hit(_, _, restamp) => assert_eq!(restamp, Some(stamp(70, 70, 6))),
            Lookup::Miss(_) => panic!("same bytes must hit"),
        }
        assert!(matches!(
            cache.lookup("a.py", settings, true, b"x = 2\n", Some(stamp(50, 60, 6))),
            Lookup::Miss(_)
        ));
    }

    #[test]
    fn facts_of_every_language_round_trip() {
        let cache = empty_cache(0);
        use crate::lang::Language;
        use crate::parse::extract_facts;
        let samples = [
            ("a.py", Language::Python, "import os\nfrom x import y as z\n__all__ = ['f']\nclass A(B):\n    def f(self):\n        raise NotImplementedError('later')\n    def g(self):\n        pass\n# aireview: ignore[stub-body]\nR = {'a': A}\nA(1).build()\n"),
            ("a.ts", Language::TypeScript, "import {a} from './b';\nexport interface I { f(): void }\nexport class C implements I { f() { throw new Error('Not implemented'); } }\nconst s: I = { f() {} };\nnew C();\n"),
            ("src/lib.rs", Language::Rust, "use serde::Serialize;\npub mod m;\npub trait T { fn f(&self); }\nimpl T for S { fn f(&self) { todo!() } }\n#[cfg(test)]\nmod tests {}\n"),
        ];
        let mut with_help = Diagnostic {
            rule: "stub-body".into(),
            severity: crate::Severity::Warning,
            path: "a.py".into(),
            span: crate::Span::default(),
            message: "m".into(),
            help: None,
            related: Vec::new(),
            fingerprint: "0".into(),
        };
        let plain = with_help.clone();
        with_help
            .with_help("h")
            .with_related("b.py", crate::Span::default(), "r");
        for (path, language, text) in samples {
            let facts = extract_facts(path, language, text);
            let out = FileOutput {
                facts,
                diagnostics: vec![plain.clone(), with_help.clone()],
                warnings: vec![Warning::new(path, "w")],
            };
            let entry = cache
                .entry(path, [1, 2], 3, None, true, &out, text.len() as u64)
                .unwrap()
                .0;
            let (back_out, _) = decode(&entry, true).unwrap();
            assert_eq!(format!("{:?}", back_out.facts), format!("{:?}", out.facts), "{path}");
            assert!(!out.facts.line_hashes.is_empty());
            let (unreported, _) = decode(&entry, false).unwrap();
            assert!(unreported.facts.line_hashes.is_empty());
            let back: StoredOutput<FileFacts> = postcard::from_bytes(entry.blob.bytes()).unwrap();
            assert_eq!(back.warnings, out.warnings);
            let diagnostics: Vec<Diagnostic> = serde_json::from_str(&back.diagnostics).unwrap();
            assert_eq!(diagnostics, out.diagnostics);
        }
    }
}
