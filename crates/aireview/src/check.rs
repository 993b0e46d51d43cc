//! `aireview check`.

use crate::cli::{file_layers, load_registry, project_root, resolve_paths, CheckArgs, OutputFormat};
use crate::progress::ProgressBar;
use aireview_core::review::{read_from_disk, review, ReviewOptions};
use aireview_core::source::{decode_source, read_file_bytes};
use aireview_manifest::package_lookup::LookupOptions;
use aireview_report::{render, summary_line, Format, ReportInput};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// `$XDG_CACHE_HOME/aireview`, else `~/.cache/aireview`: where registry answers are kept.
fn user_cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("aireview"))
}

pub fn run(args: CheckArgs) -> Result<u8, String> {
    let start = Instant::now();
    let targets = resolve_paths(&args.paths)?;
    let root = project_root(&args.config, &targets)?;
    let registry = load_registry(&root)?;
    let (user_layer, project_layer_override) = file_layers(&args.config)?;
    let narrowed_scope = targets.iter().any(|t| t.is_file());
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
    };
    let progress = ProgressBar::start(!args.no_progress && !args.quiet);
    let update = |done: usize, total: usize| progress.update(done, total);
    let result = review(&registry, opts, &read_from_disk, Some(&update));
    progress.finish();
    let review = result.map_err(|e| e.to_string())?;

    if !args.quiet {
        for w in &review.warnings {
            eprintln!("warning: {w}");
        }
    }
    let format = match args.format {
        OutputFormat::Human | OutputFormat::Full => Format::Human,
        OutputFormat::Concise => Format::Concise,
        OutputFormat::Json => Format::Json,
    };
    let max = review.config.root().max_file_size;
    let source = |rel: &str| {
        read_file_bytes(&root.join(rel), max)
            .and_then(|b| decode_source(b, max))
            .ok()
    };
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = render(
        format,
        &ReportInput {
            diagnostics: &review.diagnostics,
            warnings: &review.warnings,
            files_reviewed: review.files_reviewed,
            registry: &registry,
            source: &source,
            color,
        },
    );
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()).is_err() {
        // A closed pipe (`aireview check | head`) is not an error of the review.
        return Ok(exit_code(&review));
    }
    if !args.quiet {
        let where_ = aireview_core::discover::relative_path(&std::env::current_dir().unwrap_or_default(), &root)
            .filter(|r| !r.is_empty())
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
    Ok(exit_code(&review))
}

fn exit_code(review: &aireview_core::review::Review) -> u8 {
    let fail_on = review.config.root().fail_on;
    u8::from(review.diagnostics.iter().any(|d| fail_on.fails(d.severity)))
}
