//! The runner: discover, parse pass, project model, project rules, filter.

use crate::cache::{CacheOptions, CacheReport, FileCache, Lookup, NewEntry, Stamp};
use crate::config::{project_layer, ConfigError, ConfigLayer, ConfigSet, Origin};
use crate::diagnostic::{Diagnostic, Warning};
use crate::discover::{apply_targets, walk, SourceFile};
use crate::filter::{
    apply_scope_and_baseline, apply_suppressions, drop_superseded, BaselineOutcome, FilterOptions, UNUSED_SUPPRESSION,
};
use crate::model::{ModelInputs, ProjectModel};
use crate::parse::{parse_file, FileOutput, ParsePlan};
use crate::registry::Registry;
use crate::rule::{ManifestContext, ProjectContext, Reporter};
use crate::source::{decode_source, read_file_bytes};
use crate::template::{scan, TemplateIndex, TemplateScan};
use crate::walk_cache::{walk_or_reuse, CachedWalk, WALK_FILE};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Reads a file's bytes; `max_size` lets a disk reader refuse big files
/// before reading. The default reads the working tree; a change-scoped run
/// can read staged content instead.
pub type ContentReader<'a> = dyn Fn(&SourceFile, u64) -> Result<Vec<u8>, String> + Sync + 'a;

pub fn read_from_disk(file: &SourceFile, max_size: u64) -> Result<Vec<u8>, String> {
    read_file_bytes(&file.path, max_size)
}

pub struct ReviewOptions<'a> {
    pub root: PathBuf,
    /// Absolute paths the user asked to review (folders or files).
    pub targets: Vec<PathBuf>,
    /// The user-level and command-line layers; the project and sub-folder
    /// layers are read from `root` unless `project_layer_override` is set.
    pub user_layer: Option<ConfigLayer>,
    pub cli_layer: ConfigLayer,
    /// `--config FILE` / `--isolated`: use this project layer (or none).
    pub project_layer_override: Option<Option<ConfigLayer>>,
    /// Read sub-folder `aireview.toml` files (off with `--isolated`).
    pub subfolder_configs: bool,
    /// Explicit files or a change scope: project conventions come from the rest.
    pub narrowed_scope: bool,
    /// `--online`: ask the package registries about undeclared and unlocked packages.
    pub online: Option<aireview_manifest::package_lookup::LookupOptions>,
    /// Ask `cargo metadata` about Cargo workspaces and dependency sources.
    pub use_cargo: bool,
    /// `$VIRTUAL_ENV`, where the root package's Python environment may be.
    pub virtual_env: Option<PathBuf>,
    /// Reuse and keep each file's parse-pass output (off with `--no-cache`).
    pub cache: Option<CacheOptions>,
    /// Files the reader takes from elsewhere than the working tree (staged
    /// content): the cache cannot go by their file stamps.
    pub read_elsewhere: HashSet<String>,
    /// The change scope and baseline the filter stage applies.
    pub filter: FilterOptions<'a>,
}

pub struct Review {
    /// The paths asked for, relative to the root ("" for the root itself).
    pub targets: Vec<String>,
    /// Sorted by (path, line, column, rule id, message); what the filter
    /// stage left.
    pub diagnostics: Vec<Diagnostic>,
    /// Sorted by path.
    pub warnings: Vec<Warning>,
    pub files_reviewed: usize,
    pub bytes_reviewed: u64,
    pub model: ProjectModel,
    pub config: ConfigSet,
    /// What the cache did, when it was on.
    pub cache: Option<CacheReport>,
    /// Wall time of each stage, in order (`check --verbose` prints them).
    pub stages: Vec<(&'static str, std::time::Duration)>,
    /// What the baseline hid and, when pruning, the pruned baseline to write.
    pub baseline: Option<BaselineOutcome>,
}

/// Records the wall time of each stage of a review.
struct StageClock {
    last: std::time::Instant,
    stages: Vec<(&'static str, std::time::Duration)>,
}

impl StageClock {
    fn start() -> StageClock {
        StageClock {
            last: std::time::Instant::now(),
            stages: Vec::new(),
        }
    }

    /// Ends the stage `name`, which began at the previous call.
    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.stages.push((name, now - self.last));
        self.last = now;
    }
}

/// Where a file's parse-pass output came from.
enum Source {
    /// From the cache: found by its stamp, and the new stamp to record.
    Cache(bool, Option<Stamp>),
    /// Parsed now; the entry to cache, if the cache is on.
    Parsed(Option<NewEntry>),
    /// Not reviewable (unreadable, binary, ...): nothing to cache.
    Unread,
}

/// Progress callback: (files parsed so far, total files).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

pub fn review(
    registry: &Registry,
    opts: ReviewOptions<'_>,
    reader: &ContentReader<'_>,
    progress: Option<Progress<'_>>,
) -> Result<Review, ConfigError> {
    let mut clock = StageClock::start();
    let root = opts.root.clone();
    // cargo answers while the project is walked and parsed; the model waits
    // for it. The root's own manifest needs no walk to be found.
    let cargo = opts.use_cargo.then(|| {
        let runs = aireview_manifest::CargoRuns::new(&root);
        if root.join("Cargo.toml").is_file() {
            runs.start("");
        }
        runs
    });
    let project = match opts.project_layer_override {
        Some(layer) => layer,
        None => project_layer(&root)?,
    };
    // The root scope decides what the walk excludes.
    let pre = ConfigSet::build(
        registry,
        opts.user_layer.clone(),
        project.clone(),
        Vec::new(),
        opts.cli_layer.clone(),
        None,
    )?;
    clock.lap("config");
    let excluded = |rel: &str| pre.root().is_excluded(rel);
    let walked = match &opts.cache {
        Some(c) => walk_or_reuse(&root, c, &pre.root().exclude_patterns, &excluded),
        None => CachedWalk {
            listing: walk(&root, &excluded).listing,
            reused: false,
            corrupt: None,
            write_error: None,
        },
    };
    let discovery = apply_targets(&root, walked.listing, &opts.targets);
    if let Some(cargo) = &cargo {
        cargo.start_for(&discovery.manifests);
    }
    clock.lap(if walked.reused { "walk (reused)" } else { "walk" });
    let target_dirs: Vec<String> = opts
        .targets
        .iter()
        .filter_map(|t| crate::discover::relative_path(&root, t))
        .collect();
    let under_target = |rel: &str| covers(&target_dirs, rel);
    let mut warnings: Vec<Warning> = discovery
        .warnings
        .into_iter()
        .filter(|w| under_target(&w.path))
        .collect();
    let mut subfolders = Vec::new();
    if opts.subfolder_configs {
        for rel in &discovery.config_files {
            let path = root.join(rel);
            let file = crate::config::read_config_file(&path)?;
            subfolders.push(ConfigLayer {
                origin: Origin::Subfolder(path),
                dir: rel.rsplit_once('/').map_or("", |(d, _)| d).to_string(),
                file,
            });
        }
    }
    let config = ConfigSet::build(
        registry,
        opts.user_layer,
        project,
        subfolders,
        opts.cli_layer,
        Some(pre.root()),
    )?;
    // Sub-folder excludes apply to the files under them. (`is_file` is a
    // `stat`: asked last.)
    let files: Vec<SourceFile> = discovery
        .files
        .into_iter()
        .filter(|f| {
            (f.reported && opts.targets.contains(&f.path) && f.path.is_file())
                || !config.settings_for(&f.rel).is_excluded(&f.rel)
        })
        .collect();

    clock.lap("sub-folder config");
    let plan = ParsePlan::new(registry);
    let cache = opts.cache.as_ref().map(|c| {
        let mut cache = FileCache::open(c, registry, &config);
        if let Some(why) = walked.corrupt {
            cache.note_corrupt(WALK_FILE, why);
        }
        cache
    });
    clock.lap("cache load");
    let done = AtomicUsize::new(0);
    let total = files.len();
    let unread = |file: &SourceFile, reason: String| {
        let mut out = FileOutput::default();
        out.facts.path = file.rel.clone();
        out.warnings.push(Warning::new(&file.rel, reason));
        (out, 0, Source::Unread)
    };
    let outputs: Vec<(FileOutput, u64, Source)> = files
        .par_iter()
        .map(|file| {
            let settings = config.settings_for(&file.rel);
            let enabled = settings.enabled_for(&file.rel);
            let cache = cache
                .as_ref()
                .map(|c| (c, c.settings_key(&file.rel, config.scope_of(&file.rel), &enabled)));
            // The stamp is taken before the file is read (see `cache`).
            let stamp = cache
                .filter(|_| !opts.read_elsewhere.contains(&file.rel))
                .and_then(|_| std::fs::metadata(&file.path).ok())
                .and_then(|m| Stamp::of(&m));
            let unchanged = cache
                .zip(stamp.as_ref())
                .and_then(|((c, settings), stamp)| c.lookup_stamp(&file.rel, settings, file.reported, stamp));
            let out = match unchanged {
                Some(Lookup::Hit(out, len, _)) => (*out, len, Source::Cache(true, None)),
                _ => match reader(file, settings.max_file_size) {
                    Err(reason) => unread(file, reason),
                    Ok(bytes) => {
                        let lookup = cache.map(|(c, key)| c.lookup(&file.rel, key, file.reported, &bytes, stamp));
                        match (lookup, decode_source(bytes, settings.max_file_size)) {
                            (Some(Lookup::Hit(out, len, restamp)), _) => (*out, len, Source::Cache(false, restamp)),
                            (_, Err(reason)) => unread(file, reason),
                            (lookup, Ok(text)) => {
                                let len = text.len() as u64;
                                // A bug in a rule must not lose the rest of the review.
                                let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    parse_file(&plan, file, &text, settings, &enabled)
                                }));
                                match parsed {
                                    Ok(out) => {
                                        let entry = match (cache, lookup) {
                                            (Some((c, key)), Some(Lookup::Miss(full))) => {
                                                c.entry(&file.rel, full, key, stamp, file.reported, &out, len)
                                            }
                                            _ => None,
                                        };
                                        (out, len, Source::Parsed(entry))
                                    }
                                    Err(panic) => (internal_error(&file.rel, &*panic), 0, Source::Unread),
                                }
                            }
                        }
                    }
                },
            };
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(p) = progress {
                p(n, total);
            }
            out
        })
        .collect();

    clock.lap("parse pass");
    let mut all_facts = Vec::with_capacity(outputs.len());
    let mut file_diagnostics = Vec::with_capacity(outputs.len());
    let mut files_reviewed = 0;
    let mut bytes_reviewed = 0;
    let mut hit = HashSet::new();
    let mut stamp_hits = 0;
    let mut restamped = Vec::new();
    let mut fresh = Vec::new();
    for (file, (out, len, source)) in files.iter().zip(outputs) {
        match source {
            Source::Cache(by_stamp, restamp) => {
                hit.insert(file.rel.as_str());
                stamp_hits += usize::from(by_stamp);
                restamped.extend(restamp.map(|s| (file.rel.as_str(), s)));
            }
            Source::Parsed(entry) => fresh.extend(entry),
            Source::Unread => {}
        }
        // Files that only feed the model are not the user's question: their
        // problems would be noise in a pre-commit run on two files.
        if file.reported {
            warnings.extend(out.warnings);
        }
        if file.reported && out.facts.language.is_some() {
            files_reviewed += 1;
            bytes_reviewed += len;
        }
        all_facts.push(out.facts);
        file_diagnostics.push(out.diagnostics);
    }
    let mut cache_report = cache.map(|cache| {
        let misses = fresh.len();
        let dir = opts.cache.as_ref().map(|c| c.dir.clone()).unwrap_or_default();
        let mut problems = cache.store(fresh, &hit, &restamped);
        // At most one line for writing.
        if let Some(e) = walked.write_error {
            if !problems.iter().any(|p| p.starts_with("cache: cannot write")) {
                problems.push(format!("cache: cannot write {}: {e}", dir.display()));
            }
        }
        CacheReport {
            dir,
            hits: hit.len(),
            stamp_hits,
            misses,
            problems,
        }
    });
    clock.lap("cache store");
    let reported: Vec<bool> = files.iter().map(|f| f.reported).collect();
    let inputs = ModelInputs {
        manifests: discovery.manifests,
        native_modules: discovery.native_modules,
        imports: config.import_settings(),
        virtual_env: opts.virtual_env.clone(),
        cargo,
        narrowed_scope: opts.narrowed_scope,
        convention_pins: config.convention_pins(),
        cache: opts.cache.clone(),
    };
    let templates = scan_templates(
        &discovery.templates,
        &all_facts,
        &config,
        reader,
        &mut warnings,
        &under_target,
    );
    let mut model = ProjectModel::build_with(&root, all_facts, reported, inputs, &mut warnings);
    model.templates = templates;
    if let Some(lookup) = &opts.online {
        let report = crate::online::ask_registries(&model, lookup);
        warnings.extend(report.warnings);
        model.registry = report.answers;
    }
    clock.lap("project model");

    // Project rules, then the filter stage, per reported file in parallel.
    let unused_idx = registry.get(UNUSED_SUPPRESSION);
    let crashed = std::sync::Mutex::new(Vec::new());
    let per_file: Vec<Vec<Diagnostic>> = file_diagnostics
        .into_par_iter()
        .enumerate()
        .map(|(id, mut diagnostics)| {
            let facts = &model.files[id];
            if !model.reported[id] || facts.language.is_none() {
                return Vec::new();
            }
            let settings = config.settings_for(&facts.path);
            let enabled = settings.enabled_for(&facts.path);
            for (idx, rule) in registry.rules.iter().enumerate() {
                let Some(imp) = rule.imp.project() else {
                    continue;
                };
                if !enabled[idx] {
                    continue;
                }
                let mut cx = ProjectContext {
                    prepared: &settings.prepared[idx],
                    options: &settings.options[idx],
                    reporter: Reporter {
                        rule: &rule.meta.id,
                        severity: settings.severity[idx],
                        path: &facts.path,
                        line_hashes: &facts.line_hashes,
                        out: &mut diagnostics,
                    },
                    narrowed_scope: opts.narrowed_scope,
                };
                let checked =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| imp.check(facts, &model, &mut cx)));
                if let Err(panic) = checked {
                    let w = internal_error(&facts.path, &*panic).warnings.remove(0);
                    crashed
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(w);
                }
            }
            let unused = unused_idx.filter(|&i| enabled[i]).map(|i| settings.severity[i]);
            apply_suppressions(registry, facts, &enabled, unused, &mut diagnostics);
            drop_superseded(registry, &mut diagnostics);
            diagnostics
        })
        .collect();
    let mut diagnostics: Vec<Diagnostic> = per_file.into_iter().flatten().collect();
    // Project-wide checks (manifests), under the root scope's settings.
    let root_settings = config.root();
    // A manifest answers the user's question when it lies under a reviewed
    // folder or was named explicitly (a pre-commit hook passes staged manifests).
    let in_scope = |path: &str| under_target(path);
    for (idx, rule) in registry.rules.iter().enumerate() {
        let Some(imp) = rule.imp.project() else {
            continue;
        };
        if !root_settings.enabled[idx] {
            continue;
        }
        let mut found = Vec::new();
        let mut cx = ManifestContext {
            prepared: &root_settings.prepared[idx],
            options: &root_settings.options[idx],
            rule: &rule.meta.id,
            severity: root_settings.severity[idx],
            out: &mut found,
            in_scope: &in_scope,
        };
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| imp.check_project(&model, &mut cx)));
        if checked.is_err() {
            warnings.push(Warning::new(
                "",
                format!("internal error in rule {}; please report it", rule.meta.id),
            ));
        }
        diagnostics.extend(found.into_iter().filter(|d| {
            let settings = config.settings_for(&d.path);
            settings.enabled_for(&d.path)[idx]
        }));
    }
    let store_problems = model.external.save();
    if let Some(report) = cache_report.as_mut() {
        report.problems.extend(store_problems);
    }
    clock.lap("project rules");
    warnings.extend(crashed.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner));
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.span == b.span);
    // The rest of the filter stage runs on the sorted findings of all files.
    let baseline = apply_scope_and_baseline(opts.filter, &under_target, &mut diagnostics);
    warnings.sort();
    warnings.dedup();
    Ok(Review {
        targets: target_dirs,
        diagnostics,
        warnings,
        files_reviewed,
        bytes_reviewed,
        model,
        config,
        cache: cache_report,
        stages: clock.stages,
        baseline,
    })
}

/// Reads and scans the template files some handler renders with request
/// input (see `FileFacts::template_renders`), and the templates those
/// include or extend, each once; the others are only listed, so a project
/// with a thousand templates and no such handler reads none of them.
/// Unreadable templates are warnings like other files.
fn scan_templates(
    templates: &[SourceFile],
    facts: &[crate::facts::FileFacts],
    config: &ConfigSet,
    reader: &ContentReader<'_>,
    warnings: &mut Vec<Warning>,
    under_target: &dyn Fn(&str) -> bool,
) -> TemplateIndex {
    let templates: Vec<&SourceFile> = templates
        .iter()
        .filter(|t| !config.settings_for(&t.rel).is_excluded(&t.rel))
        .collect();
    let paths: Vec<String> = templates.iter().map(|t| t.rel.clone()).collect();
    let listed = TemplateIndex::new(paths.clone(), HashMap::new());
    let mut wanted: HashSet<String> = facts
        .iter()
        .flat_map(|f| &f.template_renders)
        .flat_map(|r| listed.candidates(&r.template))
        .map(str::to_string)
        .collect();
    let mut tried = HashSet::new();
    let mut scanned = HashMap::new();
    // Each round reads what the previous one included; includes nest a few deep.
    for _ in 0..crate::template::MAX_INCLUDED {
        wanted.retain(|rel| !tried.contains(rel));
        if wanted.is_empty() {
            break;
        }
        let read: Vec<(String, Result<TemplateScan, String>)> = templates
            .par_iter()
            .filter(|t| wanted.contains(&t.rel))
            .map(|t| {
                let max = config.settings_for(&t.rel).max_file_size;
                let found = reader(t, max)
                    .and_then(|bytes| decode_source(bytes, max))
                    .map(|text| scan(&text, true));
                (t.rel.clone(), found)
            })
            .collect();
        tried.extend(wanted.drain());
        for (rel, result) in read {
            match result {
                Ok(found) => {
                    wanted.extend(listed.includes(&rel, &found).map(str::to_string));
                    scanned.insert(rel, found);
                }
                Err(reason) if under_target(&rel) => warnings.push(Warning::new(&rel, reason)),
                Err(_) => {}
            }
        }
    }
    TemplateIndex::new(paths, scanned)
}

/// `rel` is one of the project-relative `targets` or lies under one.
pub fn covers(targets: &[String], rel: &str) -> bool {
    targets
        .iter()
        .any(|t| t.is_empty() || rel == t || rel.starts_with(&format!("{t}/")) || rel == ".")
}

impl Review {
    /// The user asked about `rel` (a file under a reviewed path).
    pub fn covers(&self, rel: &str) -> bool {
        covers(&self.targets, rel)
    }
}

/// The text a panic was raised with.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// The output for a file whose review panicked: a warning, no findings.
fn internal_error(rel: &str, panic: &(dyn std::any::Any + Send)) -> FileOutput {
    let what = panic_message(panic);
    let mut out = FileOutput::default();
    out.facts.path = rel.to_string();
    out.warnings.push(Warning::new(
        rel,
        format!(
            "internal error while reviewing this file ({}); please report it",
            what.lines().next().unwrap_or("")
        ),
    ));
    out
}
