//! Command-line interface.

use aireview_core::config::{parse_byte_size, ByteSize, ConfigFile, ConfigLayer, FailOn, Origin};
use aireview_report::Format;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "aireview",
    version,
    about = "Reviews AI-generated code the way a senior reviewer would."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Review files or folders (default: the current folder).
    Check(CheckArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain(ExplainArgs),
    /// Show the effective configuration for a path and where each value came from.
    Config(ConfigArgs),
    /// Install a git pre-commit hook that runs `aireview check --staged`.
    InstallHook(InstallHookArgs),
    /// Print the conventions mined from a project (which HTTP client, logger,
    /// test framework... each package root has settled on) and its wrapper modules.
    Conventions(ConventionsArgs),
    /// Manage the cache of per-file results (`.aireview_cache` at the project root).
    #[command(subcommand)]
    Cache(CacheCommand),
}

#[derive(Subcommand)]
pub enum CacheCommand {
    /// Remove the project's cache folder.
    Clean(CacheCleanArgs),
}

#[derive(Args)]
pub struct CacheCleanArgs {
    /// A folder of the project (default: the current folder); its project root holds the cache.
    pub path: Option<PathBuf>,
    /// The project root, instead of finding it.
    #[arg(long, value_name = "DIR")]
    pub project_root: Option<PathBuf>,
}

/// `--format`: the report crate's formats, with their descriptions in `--help`.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    let values = Format::ALL.iter().map(|(_, name, help)| {
        let value = PossibleValue::new(*name).help(*help);
        if *name == "human" {
            value.alias("full")
        } else {
            value
        }
    });
    PossibleValuesParser::new(values).map(|name| Format::named(&name).unwrap_or(Format::Human))
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FailOnArg {
    Error,
    Warning,
    Info,
    Never,
}

/// Flags shared by the commands that read configuration.
#[derive(Args, Clone, Default)]
pub struct ConfigFlags {
    /// Use this configuration file instead of the project's aireview.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file (user, project and sub-folder).
    #[arg(long)]
    pub isolated: bool,
    /// Rules or families to enable, replacing the configured set (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Rules or families to enable in addition.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Option<Vec<String>>,
    /// Rules or families to disable.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Option<Vec<String>>,
    /// Globs of files not to review.
    #[arg(long, value_delimiter = ',', value_name = "GLOBS")]
    pub exclude: Option<Vec<String>>,
    /// Skip files larger than this (e.g. 2MiB).
    #[arg(long, value_name = "SIZE", value_parser = parse_byte_size)]
    pub max_file_size: Option<u64>,
    /// The project root (default: the nearest folder with a manifest or .git).
    #[arg(long, value_name = "DIR")]
    pub project_root: Option<PathBuf>,
}

impl ConfigFlags {
    pub fn cli_layer(&self, fail_on: Option<FailOnArg>) -> ConfigLayer {
        ConfigLayer {
            origin: Origin::CommandLine,
            dir: String::new(),
            file: ConfigFile {
                select: self.select.clone(),
                extend_select: self.extend_select.clone(),
                ignore: self.ignore.clone(),
                exclude: self.exclude.clone(),
                max_file_size: self.max_file_size.map(ByteSize),
                fail_on: fail_on.map(|f| match f {
                    FailOnArg::Error => FailOn::Error,
                    FailOnArg::Warning => FailOn::Warning,
                    FailOnArg::Info => FailOn::Info,
                    FailOnArg::Never => FailOn::Never,
                }),
                ..ConfigFile::default()
            },
        }
    }
}

#[derive(Args)]
#[command(group(ArgGroup::new("change").args(["staged", "diff"])))]
pub struct CheckArgs {
    /// Files or folders to review. Files given explicitly are reviewed even if ignored.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format (default: github when GITHUB_ACTIONS=true, else human).
    #[arg(long, value_name = "FORMAT", value_parser = format_parser())]
    pub format: Option<Format>,
    /// Write the report to this file instead of stdout.
    #[arg(long, value_name = "PATH")]
    pub output_file: Option<PathBuf>,
    /// The lowest severity that makes the exit code 1 (default: warning).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Warnings fail the run only when there are more than this many
    /// (errors still fail as --fail-on says).
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Exit with 0 even when there are findings (2 still means the review could not run).
    #[arg(long, conflicts_with_all = ["fail_on", "max_warnings"])]
    pub exit_zero: bool,
    /// Review what is staged for commit: the staged content of staged files,
    /// read from the git index (not the working tree).
    #[arg(long)]
    pub staged: bool,
    /// Review the files and lines changed since REV (a commit, branch or
    /// tag), including uncommitted and untracked work.
    #[arg(long, visible_alias = "since", value_name = "REV")]
    pub diff: Option<String>,
    /// With --staged or --diff, report only findings on added or modified
    /// lines (the default).
    #[arg(long, requires = "change", overrides_with = "no_changed_lines_only")]
    pub changed_lines_only: bool,
    /// With --staged or --diff, report findings anywhere in the changed files.
    #[arg(long, requires = "change", overrides_with = "changed_lines_only")]
    pub no_changed_lines_only: bool,
    /// Record the current findings as accepted, in FILE (default:
    /// .aireview-baseline.json in the project root), and exit 0. Entries for
    /// files outside the reviewed paths are kept.
    #[arg(long, value_name = "FILE", num_args = 0..=1, require_equals = true,
          conflicts_with_all = ["baseline", "prune_baseline", "change"])]
    pub write_baseline: Option<Option<PathBuf>>,
    /// Report only the findings this baseline does not account for.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Drop the baseline's entries that no longer occur (the --baseline file,
    /// default .aireview-baseline.json in the project root), then report as --baseline.
    #[arg(long, conflicts_with = "change")]
    pub prune_baseline: bool,
    #[command(flatten)]
    pub config: ConfigFlags,
    /// Do not show progress on stderr.
    #[arg(long)]
    pub no_progress: bool,
    /// Print only findings: no warnings about input, no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Ask the package registries (through npm, pip and cargo as you have
    /// them configured) whether undeclared and unlocked packages exist.
    #[arg(long)]
    pub online: bool,
    /// Seconds to wait for each registry look-up with --online.
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub online_timeout: u64,
    /// Neither read nor write the cache (.aireview_cache at the project
    /// root); also AIREVIEW_NO_CACHE=1.
    #[arg(long)]
    pub no_cache: bool,
    /// Also print how many files came from the cache and what each stage took.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Args)]
pub struct RulesArgs {
    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The rule id (e.g. stub-body).
    pub rule: String,
}

#[derive(Args)]
pub struct InstallHookArgs {
    /// Replace an existing pre-commit hook.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args)]
pub struct ConfigArgs {
    /// The file or folder whose configuration to show (default: the current folder).
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigFlags,
}

#[derive(Args)]
pub struct ConventionsArgs {
    /// The project, or a folder or file in it (default: the current folder).
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigFlags,
}

/// The user layer, and the project layer override from `--config`/`--isolated`
/// (`None`: read the project's own file).
#[allow(clippy::type_complexity)]
pub fn file_layers(flags: &ConfigFlags) -> Result<(Option<ConfigLayer>, Option<Option<ConfigLayer>>), String> {
    use aireview_core::config::{read_config_file, user_config_path};
    if flags.isolated {
        return Ok((None, Some(None)));
    }
    let user = match user_config_path() {
        Some(path) => Some(ConfigLayer {
            file: read_config_file(&path).map_err(|e| e.to_string())?,
            origin: Origin::User(path),
            dir: String::new(),
        }),
        None => None,
    };
    let project = match &flags.config {
        Some(path) => Some(Some(ConfigLayer {
            file: read_config_file(path).map_err(|e| e.to_string())?,
            origin: Origin::Project(path.clone()),
            dir: String::new(),
        })),
        None => None,
    };
    Ok((user, project))
}

/// Absolute, normalised paths for what the user typed; a missing path is a usage error.
pub fn resolve_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    paths
        .iter()
        .map(|p| {
            p.canonicalize()
                .map_err(|e| format!("cannot review `{}`: {e}", p.display()))
        })
        .collect()
}

/// The project root: `--project-root`, or found from the paths.
pub fn project_root(flags: &ConfigFlags, targets: &[PathBuf]) -> Result<PathBuf, String> {
    match &flags.project_root {
        Some(dir) => dir
            .canonicalize()
            .map_err(|e| format!("cannot use project root `{}`: {e}", dir.display())),
        None => Ok(aireview_core::root::project_root(targets)),
    }
}

/// The built-in rules plus the project's `.aireview/rules`.
pub fn load_registry(root: &std::path::Path) -> Result<aireview_core::registry::Registry, String> {
    let mut registry = aireview_rules::registry().map_err(|e| format!("internal error: {e}"))?;
    registry
        .add_user_rules(&root.join(".aireview").join("rules"))
        .map_err(|e| e.to_string())?;
    Ok(registry)
}
