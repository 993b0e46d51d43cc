//! Registry look-ups through the ecosystem's own clients (`npm view`,
//! `pip index versions`, `cargo info`), for `--online` checks such as
//! `nonexistent-package` and `newly-published-package`.
//!
//! Asking the client the user already has configured means their mirrors,
//! proxies and credentials apply, and no registry address is written into
//! aireview. Look-ups run in parallel with a timeout per client run, answers
//! are cached on disk, and anything short of a clear answer is
//! [`PackageStatus::Unknown`] plus a one-line warning, never a finding.

mod cache;
mod client;
mod interpret;
mod names;
mod rfc3339;

pub use cache::CACHE_FILE_NAME;

use cache::AnswerCache;
use client::{ChildSetup, ClientFailure};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A package registry, named for the ecosystem whose client is asked:
/// npm (`npm`), the Python Package Index (`pip`), crates.io or whatever
/// registry cargo is configured to use (`cargo`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Npm,
    PyPI,
    Crates,
}

impl Ecosystem {
    /// A short lowercase name: `npm`, `pypi`, `crates`.
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Crates => "crates",
        }
    }

    /// The client command that answers, as warnings name it.
    pub fn client_command(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm view",
            Ecosystem::PyPI => "pip index versions",
            Ecosystem::Crates => "cargo info",
        }
    }
}

/// One package to look up, by its registry name (not its import name).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PackageQuery {
    pub ecosystem: Ecosystem,
    pub name: String,
}

impl PackageQuery {
    pub fn new(ecosystem: Ecosystem, name: impl Into<String>) -> PackageQuery {
        PackageQuery {
            ecosystem,
            name: name.into(),
        }
    }
}

/// What the registry said about a package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PackageStatus {
    /// Published. `created` is the first publication time (RFC 3339) when the
    /// client reports one (npm only).
    Exists { created: Option<String> },
    /// The registry answered "not found". npm also answers 404 for a private
    /// package the configured credentials cannot read, so a `Missing` scoped
    /// npm name may deserve a softer message.
    Missing,
    /// No clear answer (client missing, failed, timed out, odd output, or an
    /// invalid name); the reason is one line.
    Unknown(String),
}

/// How to run the look-ups. `Default` gives a 20 s timeout, 4 threads, no
/// cache, a one-week expiry and the current time.
#[derive(Clone, Debug)]
pub struct LookupOptions {
    /// Per client run; the client and what it started are killed after it.
    pub timeout: Duration,
    /// Client runs at once (at least 1).
    pub parallelism: usize,
    /// Folder of the answer cache ([`CACHE_FILE_NAME`]); `None` = no cache.
    pub cache_dir: Option<PathBuf>,
    /// Answers older than this are asked again. `Unknown` is never cached.
    pub cache_ttl: Duration,
    /// The current time, injected so tests control expiry.
    pub now: SystemTime,
    /// Prepended to `PATH` for the clients (`PATH` syntax, may list several
    /// folders); tests point it at stand-in clients.
    pub extra_path: Option<OsString>,
    /// Use `extra_path` as the whole `PATH` (empty when `None`), so no real
    /// client is reachable: how tests guarantee they never use the network.
    pub replace_path: bool,
    /// Where the clients run; the project root, so project-level client
    /// configuration (`.npmrc`, `.cargo/config.toml`) applies. `None` = ours.
    pub working_dir: Option<PathBuf>,
}

impl Default for LookupOptions {
    fn default() -> LookupOptions {
        LookupOptions {
            timeout: Duration::from_secs(20),
            parallelism: 4,
            cache_dir: None,
            cache_ttl: Duration::from_secs(7 * 24 * 3600),
            now: SystemTime::now(),
            extra_path: None,
            replace_path: false,
            working_dir: None,
        }
    }
}

/// The answers, one per distinct package in query order, and the warnings
/// (cache problems first, then failed look-ups in query order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LookupReport {
    pub answers: Vec<(PackageQuery, PackageStatus)>,
    pub warnings: Vec<String>,
}

impl LookupReport {
    /// The answer for `query`, matching names as the registry does (PEP 503
    /// for PyPI, case and `-`/`_` for crates), so `PyYAML` finds `pyyaml`.
    pub fn status_of(&self, query: &PackageQuery) -> Option<&PackageStatus> {
        let key = names::registry_key(query.ecosystem, &query.name);
        self.answers
            .iter()
            .find(|(q, _)| names::registry_key(q.ecosystem, &q.name) == key)
            .map(|(_, status)| status)
    }
}

/// Asks each package's registry client whether it exists. Never fails:
/// problems become `Unknown` answers and warnings.
pub fn lookup_packages(queries: &[PackageQuery], opts: &LookupOptions) -> LookupReport {
    let mut warnings = Vec::new();
    let now = unix_seconds(opts.now);
    let ttl = opts.cache_ttl.as_secs();

    let mut seen = std::collections::BTreeSet::new();
    let unique: Vec<(&PackageQuery, String)> = queries
        .iter()
        .map(|q| (q, names::registry_key(q.ecosystem, &q.name)))
        .filter(|(_, key)| seen.insert(key.clone()))
        .collect();

    let mut cache = opts
        .cache_dir
        .as_deref()
        .map(|dir| AnswerCache::load(dir, &mut warnings));
    let mut answers: Vec<Option<PackageStatus>> = vec![None; unique.len()];
    let mut to_ask = Vec::new();
    for (index, (query, key)) in unique.iter().enumerate() {
        if let Err(reason) = names::validate(query.ecosystem, &query.name) {
            answers[index] = Some(PackageStatus::Unknown(format!("{reason}; not looked up")));
        } else if let Some(status) = cache.as_ref().and_then(|c| c.fresh(key, now, ttl)) {
            answers[index] = Some(status);
        } else {
            to_ask.push(index);
        }
    }

    let asked = ask_in_parallel(&to_ask.iter().map(|&i| unique[i].0).collect::<Vec<_>>(), opts);
    for (&index, status) in to_ask.iter().zip(asked) {
        if let Some(cache) = cache.as_mut() {
            cache.record(unique[index].1.clone(), &status, now);
        }
        answers[index] = Some(status);
    }

    let answers: Vec<(PackageQuery, PackageStatus)> = unique
        .iter()
        .zip(answers)
        .map(|((query, _), status)| {
            let status = status.unwrap_or_else(|| PackageStatus::Unknown("look-up did not finish".into()));
            ((*query).clone(), status)
        })
        .collect();
    for (query, status) in &answers {
        if let PackageStatus::Unknown(reason) = status {
            // Escaped: an invalid name may hold anything, even a newline.
            warnings.push(format!(
                "`{} {}`: {reason}",
                query.ecosystem.client_command(),
                query.name.escape_debug()
            ));
        }
    }
    if let Some(cache) = cache {
        cache.save(now, ttl, &mut warnings);
    }
    LookupReport { answers, warnings }
}

/// Whole days from `created_rfc3339` to `now` (0 when it lies in the future),
/// or `None` when it is not an RFC 3339 timestamp. For
/// `newly-published-package`.
pub fn age_in_days(created_rfc3339: &str, now: SystemTime) -> Option<u64> {
    let created = rfc3339::parse_unix_seconds(created_rfc3339)?;
    let now = match now.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).ok()?,
        Err(e) => -i64::try_from(e.duration().as_secs()).ok()?,
    };
    Some(u64::try_from(now.saturating_sub(created).max(0) / 86_400).unwrap_or(0))
}

/// Runs the look-ups on at most `parallelism` threads; the answers come back
/// in the order of `queries`.
fn ask_in_parallel(queries: &[&PackageQuery], opts: &LookupOptions) -> Vec<PackageStatus> {
    if queries.is_empty() {
        return Vec::new();
    }
    let setup = ChildSetup {
        path: child_path(opts),
        working_dir: opts.working_dir.clone(),
        timeout: opts.timeout,
    };
    let next = AtomicUsize::new(0);
    let workers = opts.parallelism.clamp(1, queries.len());
    let mut by_index: BTreeMap<usize, PackageStatus> = BTreeMap::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(query) = queries.get(index) else { break };
                        done.push((index, ask_one(query, &setup)));
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            // A panicked worker loses its answers; they become `Unknown` below.
            if let Ok(done) = handle.join() {
                by_index.extend(done);
            }
        }
    });
    (0..queries.len())
        .map(|i| {
            by_index
                .remove(&i)
                .unwrap_or_else(|| PackageStatus::Unknown("look-up failed unexpectedly".into()))
        })
        .collect()
}

fn ask_one(query: &PackageQuery, setup: &ChildSetup) -> PackageStatus {
    let args = interpret::arguments(query.ecosystem, &query.name);
    let programs = interpret::programs(query.ecosystem);
    for program in programs {
        match client::run_client(program, &args, setup) {
            Ok(output) => return interpret::interpret(query.ecosystem, &query.name, &output),
            Err(ClientFailure::NotFound) => continue,
            Err(ClientFailure::TimedOut) => {
                return PackageStatus::Unknown(format!("{program} timed out after {:?}", setup.timeout))
            }
            Err(ClientFailure::Io(message)) => return PackageStatus::Unknown(message),
        }
    }
    PackageStatus::Unknown(format!("{} is not installed or not on PATH", programs.join(" or ")))
}

/// The clients' `PATH`: `extra_path` first, or alone with `replace_path`.
fn child_path(opts: &LookupOptions) -> Option<OsString> {
    if opts.replace_path {
        return Some(opts.extra_path.clone().unwrap_or_default());
    }
    let extra = opts.extra_path.as_ref()?;
    let mut path = extra.clone();
    if let Some(inherited) = std::env::var_os("PATH").filter(|p| !p.is_empty()) {
        path.push(if cfg!(windows) { ";" } else { ":" });
        path.push(inherited);
    }
    Some(path)
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_in_whole_days() {
        let now = UNIX_EPOCH + Duration::from_secs(1_395_429_117 + 3 * 86_400 + 5);
        assert_eq!(age_in_days("2014-03-21T19:11:57.357Z", now), Some(3));
        assert_eq!(age_in_days("2014-03-21T20:11:57+01:00", now), Some(3));
        assert_eq!(age_in_days("2030-01-01T00:00:00Z", now), Some(0));
        assert_eq!(age_in_days("yesterday", now), None);
        assert_eq!(age_in_days("1960-01-01T00:00:00Z", UNIX_EPOCH), Some(3653));
    }

    #[test]
    fn path_is_prepended_or_replaced() {
        let mut opts = LookupOptions {
            extra_path: Some("/stand-ins".into()),
            ..LookupOptions::default()
        };
        let prepended = child_path(&opts).unwrap_or_default();
        assert!(prepended.to_string_lossy().starts_with("/stand-ins"));
        opts.replace_path = true;
        assert_eq!(child_path(&opts), Some(OsString::from("/stand-ins")));
        opts.extra_path = None;
        assert_eq!(child_path(&opts), Some(OsString::new()));
        opts.replace_path = false;
        assert_eq!(child_path(&opts), None);
    }
}
