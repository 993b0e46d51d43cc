//! The walk cache: the previous walk's listing (`discover::Listing`), kept
//! in the cache folder and reused while nothing the walk depends on changed,
//! so a warm run `stat`s the project's folders instead of reading them all
//! and looking for ignore files in each.
//!
//! The listing is stored with the stamps (`cache::Stamp`) of every folder
//! the walk listed or looked into, and of the paths whose state decides it
//! beyond those folders: the ignore files found in them, `.git/info/exclude`
//! (through a worktree's `.git` file where there is one), the ignore files
//! the `ignore` crate reads in the root's ancestors, the global git excludes
//! file, and the targets of followed symbolic links. A missing path is
//! recorded as missing. A folder's times change when an entry is added,
//! removed or renamed in it, so new files, deletions and new ignore files
//! show up in its stamp; edits of an ignore file show up in the file's own.
//! The root's ancestors are not stamped (`/tmp` or a home folder change all
//! the time): their ignore-file paths are, present or missing.
//!
//! A walk is stored only when every stamp is settled (both times more than
//! 2 s older than the run: git's racy-entry rule, as for file stamps) and
//! it gave no warnings (an unreadable folder or a broken link can be mended
//! without any stamp here changing): otherwise the next run walks again.
//! A run that finds the stored walk differing by a change too recent to
//! store walks without trying to (so the runs right after an edit cost a
//! walk, not a walk and a `stat` of every folder), and leaves the stored
//! walk: it cannot match again (a status-change time never goes back). The
//! entry is keyed by the build, the root, the root scope's `exclude`
//! patterns and the global excludes file (and the current folder, which
//! that file's patterns are matched from). Which files are reported, and
//! explicit file targets, are decided per run (`discover::apply_targets`).
//! The file has the same header and checksum as the shards; one that fails
//! them is ignored and rebuilt, never trusted.

use crate::cache::{prepare_dir, read_checked, settled_before_now, write_checked, CacheOptions, Stamp, HEADER_LEN};
use crate::discover::{relative_path, walk, Listing, Walk, IGNORE_FILE};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::Xxh3;

/// The walk's file in the cache folder.
pub const WALK_FILE: &str = "walk.bin";
/// File magic; the last two bytes are the format version.
const MAGIC: &[u8; 8] = b"AIRVWW01";
/// The ignore files the walker reads in each folder it lists.
const IGNORE_FILES: [&str; 3] = [IGNORE_FILE, ".ignore", ".gitignore"];

#[derive(Serialize, Deserialize)]
struct StoredWalk {
    key: u64,
    /// Each folder looked into.
    folders: Vec<Folder>,
    /// Other paths whose state decides the walk.
    probes: Vec<StoredProbe>,
    listing: Listing,
}

#[derive(Serialize, Deserialize)]
struct Folder {
    /// Project-relative ("" is the root).
    rel: String,
    stamp: Stamp,
    /// Which of `IGNORE_FILES` (bits 0-2) and `.git` (bit 3) it holds: the
    /// same while its stamp is, so a walk stored again after a change
    /// looks for them only in the folders that changed.
    holds: u8,
}

/// `Folder::holds`'s bit for `.git`.
const HOLDS_GIT: u8 = 1 << IGNORE_FILES.len();

/// What `walk_or_reuse` did.
pub struct CachedWalk {
    pub listing: Listing,
    /// The stored listing was used: nothing was walked.
    pub reused: bool,
    /// The stored walk was corrupt (and was rebuilt): why.
    pub corrupt: Option<String>,
    /// The walk could not be stored: why.
    pub write_error: Option<String>,
}

/// The stored listing of `root` when every stamp still matches; otherwise
/// a walk, stored for the next run when it can be trusted then.
/// `exclude_patterns` are the root scope's, which `excluded` answers for.
pub fn walk_or_reuse(
    root: &Path,
    opts: &CacheOptions,
    exclude_patterns: &[String],
    excluded: &dyn Fn(&str) -> bool,
) -> CachedWalk {
    let settled_before = settled_before_now();
    let global = ignore::gitignore::gitconfig_excludes_path();
    let key = walk_key(root, opts, exclude_patterns, global.as_deref());
    let path = opts.dir.join(WALK_FILE);
    let mut corrupt = None;
    let previous = match read_checked(&path, MAGIC) {
        Ok(Some(bytes)) => postcard::from_bytes::<StoredWalk>(&bytes[HEADER_LEN..])
            .map_err(|e| corrupt = Some(format!("cannot decode: {e}")))
            .ok(),
        Ok(None) => None,
        Err(why) => {
            corrupt = Some(why);
            None
        }
    };
    // A stored walk that differs by a change too recent to be stamped now:
    // the next run walks again anyway, so this one stores nothing.
    let mut recent_change = false;
    if let Some(stored) = previous.as_ref().filter(|s| s.key == key) {
        match first_change(root, stored) {
            None => {
                let mut listing = previous.map(|s| s.listing).unwrap_or_default();
                for file in &mut listing.files {
                    file.path = root.join(&file.rel);
                }
                return CachedWalk {
                    listing,
                    reused: true,
                    corrupt: None,
                    write_error: None,
                };
            }
            Some(now) => recent_change = now.is_some_and(|s| !s.is_settled(settled_before)),
        }
    }
    let walked = walk(root, excluded);
    if recent_change && walked.listing.warnings.is_empty() {
        // The stored walk stays: it cannot match again (a status-change
        // time never goes back), and it tells the next run what changed.
        return CachedWalk {
            listing: walked.listing,
            reused: false,
            corrupt: None,
            write_error: None,
        };
    }
    // Creating the cache folder changes the root's stamp: before stamping.
    if let Err(e) = prepare_dir(&opts.dir) {
        return CachedWalk {
            listing: walked.listing,
            reused: false,
            corrupt,
            write_error: Some(e.to_string()),
        };
    }
    let record = walked
        .listing
        .warnings
        .is_empty()
        .then(|| record(root, &walked, global.as_deref(), settled_before, previous.as_ref()))
        .flatten();
    let write_error = match record {
        Some((folders, probes)) => {
            let stored = StoredWalk {
                key,
                folders,
                probes,
                listing: walked.listing,
            };
            let written = postcard::to_stdvec(&stored)
                .map_err(std::io::Error::other)
                .and_then(|payload| write_checked(&opts.dir, WALK_FILE, MAGIC, &payload));
            return CachedWalk {
                listing: stored.listing,
                reused: false,
                corrupt,
                write_error: written.err().map(|e| e.to_string()),
            };
        }
        // Not to be trusted next time: walk again then.
        None => match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Some(e.to_string()),
            _ => None,
        },
    };
    CachedWalk {
        listing: walked.listing,
        reused: false,
        corrupt,
        write_error,
    }
}

/// What a stored walk must match besides its stamps.
fn walk_key(root: &Path, opts: &CacheOptions, exclude_patterns: &[String], global: Option<&Path>) -> u64 {
    let mut h = Xxh3::new();
    for part in [opts.build_id.as_str(), &root.to_string_lossy()]
        .into_iter()
        .chain(exclude_patterns.iter().map(String::as_str))
    {
        h.update(part.as_bytes());
        h.update(&[0]);
    }
    // The global excludes file's patterns are matched from the current folder.
    if let Some(global) = global.filter(|g| g.exists()) {
        h.update(global.to_string_lossy().as_bytes());
        h.update(&[0]);
        let cwd = std::env::current_dir().unwrap_or_default();
        h.update(cwd.to_string_lossy().as_bytes());
    }
    h.digest()
}

fn stamp_of(path: &Path) -> Option<Stamp> {
    std::fs::metadata(path).ok().and_then(|m| Stamp::of(&m))
}

/// `None` when every stamp of `stored` matches the file system now;
/// otherwise the current stamp of a path that differs (`Some(None)`: it is
/// missing now). One thread: `stat`ing django's 3248 folders took
/// 5.8 ms on one thread and on two (this two-core machine, busy).
fn first_change(root: &Path, stored: &StoredWalk) -> Option<Option<Stamp>> {
    let probe = stored.probes.iter().find_map(|(path, stamp)| {
        let now = stamp_of(Path::new(path));
        (now != *stamp).then_some(now)
    });
    probe.or_else(|| {
        stored.folders.iter().find_map(|folder| {
            let now = stamp_of(&root.join(&folder.rel));
            (now.as_ref() != Some(&folder.stamp)).then_some(now)
        })
    })
}

/// The folder stamps and the probes for a walk, or `None` when it cannot
/// be trusted next time: a stamp too recent or missing, or a path that
/// would not read back the same (not UTF-8, or not `root` joined with its
/// relative path). `previous` tells which ignore files the folders whose
/// stamp it has held.
fn record(
    root: &Path,
    walked: &Walk,
    global: Option<&Path>,
    settled_before: i128,
    previous: Option<&StoredWalk>,
) -> Option<(Vec<Folder>, Vec<StoredProbe>)> {
    let settled = |stamp: Option<Stamp>| stamp.filter(|s| s.is_settled(settled_before));
    let same_path = |rel: &str, path: &Path| {
        if rel.is_empty() {
            path == root
        } else {
            root.join(rel).as_os_str() == path.as_os_str()
        }
    };
    if !walked.listing.files.iter().all(|f| same_path(&f.rel, &f.path)) {
        return None;
    }
    // The root first: creating the cache folder changed it on a first run.
    settled(stamp_of(root))?;
    let known: HashMap<&str, (&Stamp, u8)> = previous
        .map(|p| {
            p.folders
                .iter()
                .map(|f| (f.rel.as_str(), (&f.stamp, f.holds)))
                .collect()
        })
        .unwrap_or_default();
    let folders: Vec<Folder> = walked
        .folders
        .par_iter()
        .map(|folder| {
            let rel = relative_path(root, folder).filter(|rel| same_path(rel, folder))?;
            let stamp = settled(stamp_of(folder))?;
            let holds = match known.get(rel.as_str()) {
                Some(&(old, holds)) if *old == stamp => holds,
                // Four `stat`s: only in folders new or changed since the last walk stored.
                _ => IGNORE_FILES
                    .iter()
                    .chain([&".git"])
                    .enumerate()
                    .filter(|(_, name)| folder.join(name).symlink_metadata().is_ok())
                    .fold(0, |bits, (i, _)| bits | 1 << i),
            };
            Some(Folder { rel, stamp, holds })
        })
        .collect::<Option<_>>()?;
    // A missing ignore file needs no probe: creating it changes the folder.
    let mut probes: Vec<Probe> = folders
        .par_iter()
        .filter(|f| f.holds != 0)
        .flat_map_iter(|f| {
            let dir = root.join(&f.rel);
            let mut probes: Vec<Probe> = IGNORE_FILES
                .iter()
                .enumerate()
                .filter(|(i, _)| f.holds & 1 << i != 0)
                .map(|(_, name)| {
                    let path = dir.join(name);
                    let stamp = stamp_of(&path);
                    (path, stamp)
                })
                .collect();
            let dot_git = dir.join(".git");
            if f.holds & HOLDS_GIT != 0 {
                if let Ok(meta) = std::fs::metadata(&dot_git) {
                    probes.extend(git_exclude_probes(&dot_git, &meta));
                }
            }
            probes
        })
        .collect();
    // The `ignore` crate reads these in each ancestor of the root.
    let canonical = root.canonicalize().ok()?;
    for ancestor in canonical.ancestors().skip(1) {
        for name in IGNORE_FILES {
            let path = ancestor.join(name);
            probes.push((path.clone(), stamp_of(&path)));
        }
        let dot_git = ancestor.join(".git");
        match std::fs::metadata(&dot_git) {
            Ok(meta) => probes.extend(git_exclude_probes(&dot_git, &meta)),
            Err(_) => probes.push((dot_git, None)),
        }
    }
    if let Some(global) = global {
        probes.push((global.to_path_buf(), stamp_of(global)));
    }
    probes.extend(walked.links.iter().map(|link| (link.clone(), stamp_of(link))));
    let probes = probes
        .into_iter()
        .map(|(path, stamp)| {
            let stamp = match stamp {
                Some(s) => Some(settled(Some(s))?),
                None => None,
            };
            Some((path.to_str()?.to_string(), stamp))
        })
        .collect::<Option<Vec<_>>>()?;
    Some((folders, probes))
}

/// A path as stored, and its stamp (`None`: missing).
type StoredProbe = (String, Option<Stamp>);

/// A path and its stamp (`None`: missing).
type Probe = (PathBuf, Option<Stamp>);

/// The paths that decide which `info/exclude` the `ignore` crate reads for
/// a folder with this `.git`: in a `.git` folder; for a worktree's `.git`
/// file, the file itself, its git folder's `commondir` and the exclude file
/// in the common folder (as `ignore` resolves them). The `.git` folder
/// itself changes with every commit and is not stamped.
fn git_exclude_probes(dot_git: &Path, meta: &std::fs::Metadata) -> Vec<Probe> {
    let probe = |path: PathBuf| {
        let stamp = stamp_of(&path);
        (path, stamp)
    };
    if !meta.is_file() {
        return vec![probe(dot_git.join("info/exclude"))];
    }
    let mut probes = vec![(dot_git.to_path_buf(), Stamp::of(meta))];
    let first_line = |path: &Path| {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| text.lines().next().map(str::to_string))
    };
    let Some(git_dir) = first_line(dot_git).and_then(|l| l.strip_prefix("gitdir: ").map(PathBuf::from)) else {
        return probes;
    };
    let commondir_file = git_dir.join("commondir");
    probes.push(probe(commondir_file.clone()));
    if let Some(line) = first_line(&commondir_file) {
        let common = if line.starts_with('.') {
            git_dir.join(line)
        } else {
            PathBuf::from(line)
        };
        probes.push(probe(common.join("info/exclude")));
    }
    probes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A project whose files and folders are older than `SETTLED`: their
    /// stamps can be trusted by the next run.
    fn settled_project() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("pkg/sub")).unwrap();
        std::fs::write(root.join("pkg/a.py"), "x = 1\n").unwrap();
        std::fs::write(root.join("pkg/sub/b.py"), "y = 2\n").unwrap();
        std::fs::write(root.join(".gitignore"), "ignored.py\n").unwrap();
        std::fs::write(root.join("pkg/ignored.py"), "z = 3\n").unwrap();
        prepare_dir(&root.join(crate::cache::CACHE_DIR)).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2200));
        tmp
    }

    fn opts(root: &Path) -> CacheOptions {
        CacheOptions {
            dir: root.join(crate::cache::CACHE_DIR),
            build_id: "test".into(),
        }
    }

    fn rels(walk: &CachedWalk) -> Vec<&str> {
        walk.listing.files.iter().map(|f| f.rel.as_str()).collect()
    }

    #[test]
    fn an_unchanged_tree_is_reused_and_a_new_file_is_walked() {
        let tmp = settled_project();
        let root = tmp.path();
        let first = walk_or_reuse(root, &opts(root), &[], &|_| false);
        assert!(!first.reused);
        assert_eq!(rels(&first), ["pkg/a.py", "pkg/sub/b.py"]);
        let second = walk_or_reuse(root, &opts(root), &[], &|_| false);
        assert!(second.reused);
        assert_eq!(second.listing, first.listing);
        assert_eq!(second.listing.files[0].path, root.join("pkg/a.py"));
        // Another exclude list is another key.
        let excluded = walk_or_reuse(root, &opts(root), &["sub".into()], &|rel| rel.contains("sub/"));
        assert!(!excluded.reused);
        assert_eq!(rels(&excluded), ["pkg/a.py"]);
        assert!(!walk_or_reuse(root, &opts(root), &[], &|_| false).reused);
        assert!(walk_or_reuse(root, &opts(root), &[], &|_| false).reused);
        // A new file in a sub-folder: walked again, and too recent to store
        // (the old walk stays, and is not used).
        std::fs::write(root.join("pkg/sub/c.py"), "").unwrap();
        let third = walk_or_reuse(root, &opts(root), &[], &|_| false);
        assert!(!third.reused);
        assert_eq!(rels(&third), ["pkg/a.py", "pkg/sub/b.py", "pkg/sub/c.py"]);
        let fourth = walk_or_reuse(root, &opts(root), &[], &|_| false);
        assert!(!fourth.reused);
        assert_eq!(fourth.listing, third.listing);
        // Once settled, stored and reused.
        std::thread::sleep(std::time::Duration::from_millis(2200));
        assert!(!walk_or_reuse(root, &opts(root), &[], &|_| false).reused);
        let settled = walk_or_reuse(root, &opts(root), &[], &|_| false);
        assert!(settled.reused);
        assert_eq!(settled.listing, third.listing);
    }

    #[cfg(unix)]
    #[test]
    fn a_followed_link_stamps_the_folder_it_points_to() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("shared.py"), "").unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::os::unix::fs::symlink(outside.path(), root.join("linked")).unwrap();
        prepare_dir(&root.join(crate::cache::CACHE_DIR)).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2200));
        assert!(!walk_or_reuse(root, &opts(root), &[], &|_| false).reused);
        let warm = walk_or_reuse(root, &opts(root), &[], &|_| false);
        assert!(warm.reused);
        assert_eq!(rels(&warm), ["linked/shared.py"]);
        // A file added where the link points: nothing under the root changed.
        std::fs::write(outside.path().join("more.py"), "").unwrap();
        let after = walk_or_reuse(root, &opts(root), &[], &|_| false);
        assert!(!after.reused);
        assert_eq!(rels(&after), ["linked/more.py", "linked/shared.py"]);
    }

    #[test]
    fn an_edited_ignore_file_and_a_corrupt_entry_are_walked_again() {
        let tmp = settled_project();
        let root = tmp.path();
        walk_or_reuse(root, &opts(root), &[], &|_| false);
        assert!(walk_or_reuse(root, &opts(root), &[], &|_| false).reused);
        std::fs::write(root.join(".gitignore"), "sub/\n").unwrap();
        let edited = walk_or_reuse(root, &opts(root), &[], &|_| false);
        assert!(!edited.reused);
        assert_eq!(rels(&edited), ["pkg/a.py", "pkg/ignored.py"]);

        let tmp = settled_project();
        let root = tmp.path();
        walk_or_reuse(root, &opts(root), &[], &|_| false);
        let file = opts(root).dir.join(WALK_FILE);
        let mut bytes = std::fs::read(&file).unwrap();
        *bytes.last_mut().unwrap() ^= 0x55;
        std::fs::write(&file, bytes).unwrap();
        let rebuilt = walk_or_reuse(root, &opts(root), &[], &|_| false);
        assert!(!rebuilt.reused);
        assert!(rebuilt.corrupt.as_deref().unwrap_or("").contains("checksum"));
        assert_eq!(rels(&rebuilt), ["pkg/a.py", "pkg/sub/b.py"]);
    }
}
