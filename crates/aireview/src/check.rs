//! `aireview check`.

use crate::cli::{file_layers, load_registry, project_root, resolve_paths, CheckArgs};
use crate::progress::ProgressBar;
use aireview_core::baseline::{Baseline, DEFAULT_BASELINE_FILE};
use aireview_core::cache::{CacheOptions, CACHE_DIR};
use aireview_core::discover::SourceFile;
use aireview_core::filter::{BaselineOutcome, FilterOptions};
use aireview_core::git::{change_scope, Change};
use aireview_core::review::{read_from_disk, review, Review, ReviewOptions};
use aireview_core::source::{decode_source, read_file_bytes};
use aireview_core::Language;
use aireview_manifest::package_lookup::LookupOptions;
use aireview_report::{plural, render, summary_line, Format, ReportInput};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// `$XDG_CACHE_HOME/aireview`, else `~/.cache/aireview`: where registry answers are kept.
fn user_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("aireview"))
}

/// The build asking the cache: the version, and the executable's size and
/// modification time, so a rebuilt binary (a development build with changed
/// rules under the same version) never trusts an older build's entries.
fn build_id() -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{mtime}", m.len())
        })
        .unwrap_or_default();
    format!("aireview {} {exe}", env!("CARGO_PKG_VERSION"))
}

/// `--no-cache`, or `AIREVIEW_NO_CACHE` set to anything but empty or `0`.
fn cache_disabled(flag: bool) -> bool {
    flag || std::env::var("AIREVIEW_NO_CACHE").is_ok_and(|v| !v.is_empty() && v != "0")
}

pub fn run(args: CheckArgs) -> Result<u8, String> {
    let start = Instant::now();
    let requested = resolve_paths(&args.paths)?;
    let root = project_root(&args.config, &requested)?;
    let change = match (&args.diff, args.staged) {
        (Some(rev), _) => Some(Change::Since(rev)),
        (None, true) => Some(Change::Staged),
        (None, false) => None,
    };
    let scope = change
        .map(|c| change_scope(&root, c))
        .transpose()
        .map_err(|e| e.to_string())?;
    let targets = match &scope {
        // The changed source files and manifests under the paths asked for.
        Some(scope) => scope
            .files
            .keys()
            .map(|rel| (rel, root.join(rel)))
            .filter(|(rel, path)| {
                requested.iter().any(|t| path.starts_with(t))
                    && path.is_file()
                    && (Language::from_path(path).is_some() || aireview_manifest::is_manifest_path(rel))
            })
            .map(|(_, path)| path)
            .collect(),
        None => requested,
    };
    let registry = load_registry(&root)?;
    let default_baseline = || root.join(DEFAULT_BASELINE_FILE);
    // Read the baseline first: a broken one stops the run before the review.
    let baseline = match (&args.baseline, args.prune_baseline) {
        (Some(path), _) => Some((path.clone(), Baseline::read(path).map_err(|e| e.to_string())?)),
        (None, true) => {
            let path = default_baseline();
            let read = Baseline::read(&path).map_err(|e| e.to_string())?;
            Some((path, read))
        }
        (None, false) => None,
    };
    let (baseline_path, baseline) = baseline.unzip();
    let (user_layer, project_layer_override) = file_layers(&args.config)?;
    let narrowed_scope = scope.is_some() || targets.iter().any(|t| t.is_file());
    let opts = ReviewOptions {
        root: root.clone(),
        targets,
        user_layer,
        cli_layer: args.config.cli_layer(args.fail_on),
        project_layer_override,
        subfolder_configs: !args.config.isolated,
        narrowed_scope,
        online: args.online.then(|| LookupOptions {
            timeout: Duration::from_secs(args.online_timeout.max(1)),
            cache_dir: user_cache_dir(),
            working_dir: Some(root.clone()),
            ..LookupOptions::default()
        }),
        use_cargo: true,
        virtual_env: std::env::var_os("VIRTUAL_ENV").map(PathBuf::from),
        cache: (!cache_disabled(args.no_cache)).then(|| CacheOptions {
            dir: root.join(CACHE_DIR),
            build_id: build_id(),
        }),
        read_elsewhere: scope
            .as_ref()
            .filter(|s| s.staged)
            .map(|s| s.files.keys().cloned().collect())
            .unwrap_or_default(),
        filter: FilterOptions {
            change_scope: scope.as_ref(),
            changed_lines_only: args.changed_lines_only || !args.no_changed_lines_only,
            baseline,
            prune_baseline: args.prune_baseline,
        },
    };
    let progress = ProgressBar::start(!args.no_progress && !args.quiet);
    let update = |done: usize, total: usize| progress.update(done, total);
    // A staged review reads the changed files from the index.
    let staged = |rel: &str| scope.as_ref().and_then(|s| s.staged_content(rel));
    let reader = |file: &SourceFile, max: u64| staged(&file.rel).unwrap_or_else(|| read_from_disk(file, max));
    let result = review(&registry, opts, &reader, Some(&update));
    progress.finish();
    // Freeing the facts and the model one allocation at a time takes longer
    // than the rules that read them; the process ends right after, so leave
    // that to the operating system.
    let review = std::mem::ManuallyDrop::new(result.map_err(|e| e.to_string())?);

    if !args.quiet {
        for w in &review.warnings {
            eprintln!("warning: {w}");
        }
    }
    if let Some(cache) = &review.cache {
        if !args.quiet {
            for problem in &cache.problems {
                eprintln!("warning: {problem}");
            }
        }
        if args.verbose {
            eprintln!(
                "cache: {} hit, {} miss, {} unread (unchanged stamp) ({})",
                cache.hits,
                cache.misses,
                cache.stamp_hits,
                cache.dir.display()
            );
        }
    }
    if args.verbose {
        let stages: Vec<String> = review
            .stages
            .iter()
            .map(|(name, took)| format!("{name} {:.1} ms", took.as_secs_f64() * 1e3))
            .collect();
        eprintln!("stages: {}", stages.join(", "));
    }
    if let Some(path) = &args.write_baseline {
        let path = path.clone().unwrap_or_else(default_baseline);
        write_baseline(&review, &path, args.quiet)?;
        return Ok(0);
    }
    if let (Some(outcome), Some(path)) = (&review.baseline, &baseline_path) {
        report_baseline(outcome, path, args.quiet)?;
    }
    let format = report_format(args.format);
    let max = review.config.root().max_file_size;
    let source = |rel: &str| {
        staged(rel)
            .unwrap_or_else(|| read_file_bytes(&root.join(rel), max))
            .and_then(|b| decode_source(b, max))
            .ok()
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let root_from_cwd = aireview_core::discover::relative_path(&cwd, &root).filter(|r| !r.is_empty());
    let path_prefix = root_from_cwd.as_ref().map(|r| format!("{r}/")).unwrap_or_default();
    let link_base = github_blob_url();
    let color = args.output_file.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = render(
        format,
        &ReportInput {
            diagnostics: &review.diagnostics,
            warnings: &review.warnings,
            files_reviewed: review.files_reviewed,
            registry: &registry,
            source: &source,
            color,
            path_prefix: &path_prefix,
            link_base: link_base.as_deref(),
        },
    );
    let code = exit_code(&review, &args);
    if let Some(path) = &args.output_file {
        std::fs::write(path, text.as_bytes()).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    } else {
        let mut stdout = std::io::stdout().lock();
        if stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()).is_err() {
            // A closed pipe (`aireview check | head`) is not an error of the review.
            return Ok(code);
        }
    }
    if !args.quiet {
        let where_ = root_from_cwd
            .map(|r| format!(" (project root: {r})"))
            .unwrap_or_default();
        eprintln!(
            "{}{where_}",
            summary_line(
                review.files_reviewed,
                review.bytes_reviewed,
                &review.diagnostics,
                start.elapsed().as_secs_f64()
            )
        );
    }
    Ok(code)
}

/// `--write-baseline`: the review's findings become the accepted ones;
/// entries for files outside the reviewed paths stay as they were.
fn write_baseline(review: &Review, path: &Path, quiet: bool) -> Result<(), String> {
    let previous = Baseline::read(path).unwrap_or_default();
    let written = previous.updated(&review.diagnostics, &|p| review.covers(p));
    written.write(path).map_err(|e| e.to_string())?;
    if !quiet {
        eprintln!(
            "Wrote {} in {} to {}.",
            plural(written.len(), "finding", "findings"),
            plural(written.findings.len(), "file", "files"),
            path.display()
        );
    }
    Ok(())
}

/// `--baseline`: says how many findings the baseline hid; with
/// `--prune-baseline`, first writes the pruned baseline back to `path`.
fn report_baseline(outcome: &BaselineOutcome, path: &Path, quiet: bool) -> Result<(), String> {
    if let Some((pruned, dropped)) = &outcome.pruned {
        pruned.write(path).map_err(|e| e.to_string())?;
        if !quiet {
            eprintln!(
                "Pruned {} no longer found from {}.",
                plural(*dropped, "finding", "findings"),
                path.display()
            );
        }
    }
    let hidden = outcome.hidden;
    if !quiet && hidden > 0 {
        eprintln!(
            "{} in the baseline {} not shown.",
            plural(hidden, "finding", "findings"),
            if hidden == 1 { "is" } else { "are" }
        );
    }
    Ok(())
}

/// `--format`, else `github` inside GitHub Actions, else `human`.
fn report_format(arg: Option<Format>) -> Format {
    let in_actions = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    match arg {
        Some(format) => format,
        None if in_actions => Format::Github,
        None => Format::Human,
    }
}

/// Inside GitHub Actions, the commit's file view (`.../blob/<sha>/`), which
/// the markdown format links findings to.
fn github_blob_url() -> Option<String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    Some(format!(
        "{}/{}/blob/{}/",
        var("GITHUB_SERVER_URL")?,
        var("GITHUB_REPOSITORY")?,
        var("GITHUB_SHA")?
    ))
}

/// 1 when a finding is at or above `fail-on` (warnings only past
/// `--max-warnings` when it is given), 0 otherwise or with `--exit-zero`.
fn exit_code(review: &Review, args: &CheckArgs) -> u8 {
    if args.exit_zero {
        return 0;
    }
    let fail_on = review.config.root().fail_on;
    let is_warning = |d: &&aireview_core::Diagnostic| d.severity == aireview_core::Severity::Warning;
    let failing = review
        .diagnostics
        .iter()
        .filter(|d| args.max_warnings.is_none() || !is_warning(d))
        .any(|d| fail_on.fails(d.severity));
    let warnings = review.diagnostics.iter().filter(is_warning).count();
    u8::from(failing || args.max_warnings.is_some_and(|n| warnings > n))
}
