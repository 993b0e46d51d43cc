//! Configuration cascade: catalogue defaults, then the user file
//! (`$XDG_CONFIG_HOME/aireview/config.toml`), then the project's
//! `aireview.toml` (or `[tool.aireview]` in pyproject.toml), then
//! `aireview.toml` files in sub-folders for the files under them, then
//! command-line flags. Each file's values are validated against the
//! registry: an unknown key, rule id or option is an error naming both.

use crate::catalogue::toml_error;
use crate::diagnostic::Severity;
use crate::registry::{Registry, RuleIdx, RuleImpl};
use crate::rule::{no_options, Prepared};
use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use thiserror::Error;

pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;
pub const CONFIG_FILE: &str = "aireview.toml";

/// The lowest severity that makes the run fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Never => false,
            FailOn::Info => true,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Error => severity == Severity::Error,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::Never => "never",
        }
    }
}

/// A size in bytes, written as a number or as `"2MiB"`, `"512KiB"`, `"3MB"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Int(n) => Ok(ByteSize(n)),
            Raw::Text(s) => parse_byte_size(&s).map(ByteSize).map_err(serde::de::Error::custom),
        }
    }
}

pub fn parse_byte_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num.parse().map_err(|_| format!("invalid size `{s}`"))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}` in `{s}` (use B, KiB, MiB, GiB)")),
    };
    Ok(n * mult)
}

/// One configuration file (or the flags), as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ConfigFile {
    /// Rules or families to enable, replacing the set from earlier layers (`all` for every rule).
    pub select: Option<Vec<String>>,
    /// Rules or families to enable in addition.
    pub extend_select: Option<Vec<String>>,
    /// Rules or families to disable.
    pub ignore: Option<Vec<String>>,
    /// Per-rule (or per-family) severity.
    pub severity: Option<BTreeMap<String, Severity>>,
    /// Globs of files not to review, relative to this file's folder.
    pub exclude: Option<Vec<String>>,
    /// Glob -> rules or families to ignore in matching files.
    pub per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
    /// Files larger than this are skipped with a warning.
    pub max_file_size: Option<ByteSize>,
    /// The lowest severity that fails the run (project and user level only).
    pub fail_on: Option<FailOn>,
    /// Rule options: `[rules.<rule-id>]` tables.
    pub rules: Option<BTreeMap<String, toml::Table>>,
    /// How imports map to packages (user and project level).
    pub imports: Option<ImportsConfig>,
    /// `[conventions]`: family id -> the alternative the project has chosen
    /// (`http-client = "httpx"`); wins over what mining finds.
    pub conventions: Option<BTreeMap<String, String>>,
}

/// `[imports]`: what aireview cannot know from the manifests alone.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ImportsConfig {
    /// Import name -> the package (or packages) that provide it: `{ yaml = "PyYAML" }`.
    pub package_map: Option<BTreeMap<String, PackageNames>>,
    /// Modules or packages that are the project's own (generated code, monorepo links).
    pub first_party: Option<Vec<String>>,
    /// Modules provided by the platform the code runs on (never reported).
    pub known: Option<Vec<String>>,
}

/// One package name or several.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum PackageNames {
    One(String),
    Many(Vec<String>),
}

impl ConfigSet {
    /// The `[imports]` settings: user, then project, then command line,
    /// later layers adding to earlier ones (one set for the whole project).
    pub fn import_settings(&self) -> crate::deps::ImportSettings {
        let mut out = crate::deps::ImportSettings::default();
        for layer in self
            .user
            .iter()
            .chain(self.project.iter())
            .chain(std::iter::once(&self.cli))
        {
            let Some(imports) = &layer.file.imports else {
                continue;
            };
            for (import, names) in imports.package_map.iter().flatten() {
                let names = match names {
                    PackageNames::One(n) => vec![n.clone()],
                    PackageNames::Many(v) => v.clone(),
                };
                out.package_map.insert(import.clone(), names);
            }
            out.first_party.extend(imports.first_party.iter().flatten().cloned());
            out.known.extend(imports.known.iter().flatten().cloned());
        }
        out
    }

    /// The `[conventions]` pins: user, then project, then command line,
    /// later layers overriding earlier ones.
    pub fn convention_pins(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for layer in self
            .user
            .iter()
            .chain(self.project.iter())
            .chain(std::iter::once(&self.cli))
        {
            out.extend(
                layer
                    .file
                    .conventions
                    .iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Default,
    User(PathBuf),
    Project(PathBuf),
    Subfolder(PathBuf),
    CommandLine,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::User(p) | Origin::Project(p) | Origin::Subfolder(p) => {
                write!(f, "{}", p.display())
            }
            Origin::CommandLine => f.write_str("command line"),
        }
    }
}

/// A configuration file placed in the cascade.
#[derive(Clone, Debug)]
pub struct ConfigLayer {
    pub origin: Origin,
    /// Folder the file's globs are relative to, relative to the project root ("" for the root).
    pub dir: String,
    pub file: ConfigFile,
}

#[derive(Debug, Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub message: String,
}

fn err(origin: &Origin, message: impl Into<String>) -> ConfigError {
    ConfigError {
        file: origin.to_string(),
        message: message.into(),
    }
}

/// Reads an `aireview.toml`-shaped file.
pub fn read_config_file(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: path.display().to_string(),
        message: format!("cannot read: {e}"),
    })?;
    parse_config_text(&text).map_err(|message| ConfigError {
        file: path.display().to_string(),
        message,
    })
}

pub fn parse_config_text(text: &str) -> Result<ConfigFile, String> {
    toml::from_str(text).map_err(|e| toml_error(text, &e))
}

/// The `[tool.aireview]` table of a pyproject.toml, if present. A pyproject
/// that is not valid TOML is not a configuration error (it is reported as a
/// broken manifest), so that case returns `Ok(None)`.
pub fn read_pyproject_config(path: &Path) -> Result<Option<ConfigFile>, ConfigError> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(None);
    };
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Ok(None);
    };
    let Some(table) = doc.get("tool").and_then(|t| t.get("aireview")) else {
        return Ok(None);
    };
    table
        .clone()
        .try_into()
        .map(Some)
        .map_err(|e: toml::de::Error| ConfigError {
            file: format!("{} [tool.aireview]", path.display()),
            message: e.message().trim().to_string(),
        })
}

/// The user-level configuration file, if one exists.
pub fn user_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    let path = base.join("aireview").join("config.toml");
    path.is_file().then_some(path)
}

/// The project-level layer: `aireview.toml` at the root, else `[tool.aireview]`.
pub fn project_layer(root: &Path) -> Result<Option<ConfigLayer>, ConfigError> {
    let own = root.join(CONFIG_FILE);
    if own.is_file() {
        return Ok(Some(ConfigLayer {
            file: read_config_file(&own)?,
            origin: Origin::Project(own),
            dir: String::new(),
        }));
    }
    let pyproject = root.join("pyproject.toml");
    Ok(read_pyproject_config(&pyproject)?.map(|file| ConfigLayer {
        origin: Origin::Project(pyproject.clone()),
        dir: String::new(),
        file,
    }))
}

/// Where one effective value came from, for `aireview config`.
#[derive(Clone, Debug)]
pub struct Provenance {
    pub key: String,
    pub value: String,
    pub origin: Origin,
}

/// A per-file-ignores entry, compiled.
#[derive(Clone, Debug)]
pub struct PerFileIgnore {
    pub pattern: String,
    matcher: GlobMatcher,
    pub rules: Vec<RuleIdx>,
}

/// The effective settings for the files of one configuration scope.
#[derive(Clone)]
pub struct Settings {
    pub enabled: Vec<bool>,
    pub severity: Vec<Severity>,
    pub options: Vec<toml::Table>,
    pub prepared: Vec<Prepared>,
    pub per_file_ignores: Vec<PerFileIgnore>,
    pub exclude_patterns: Vec<String>,
    exclude: GlobSet,
    pub max_file_size: u64,
    pub fail_on: FailOn,
    pub provenance: Vec<Provenance>,
}

/// Compiles a glob relative to `dir` (project-relative). A pattern without
/// `/` matches at any depth; a match on a folder covers what is beneath it.
fn compile_globs(dir: &str, pattern: &str) -> Result<Vec<Glob>, String> {
    let trimmed = pattern.trim_start_matches("./");
    let anchored = if let Some(rooted) = trimmed.strip_prefix('/') {
        rooted.to_string()
    } else if trimmed.contains('/') {
        trimmed.to_string()
    } else {
        format!("**/{trimmed}")
    };
    let full = if dir.is_empty() {
        anchored
    } else {
        format!("{dir}/{anchored}")
    };
    let full = full.trim_end_matches('/').to_string();
    let mut globs = Vec::new();
    for p in [full.clone(), format!("{full}/**")] {
        let glob = GlobBuilder::new(&p)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("invalid glob `{pattern}`: {e}"))?;
        globs.push(glob);
    }
    Ok(globs)
}

impl Settings {
    /// Applies `layers` in order over the catalogue defaults.
    /// Compiled options are taken from `reuse` where a rule's options are the
    /// same there (compiling phrase regexes is the costly part of this).
    pub fn resolve(
        registry: &Registry,
        layers: &[&ConfigLayer],
        reuse: Option<&Settings>,
    ) -> Result<Settings, ConfigError> {
        let n = registry.len();
        let mut s = Settings {
            enabled: registry.rules.iter().map(|r| r.meta.default_enabled).collect(),
            severity: registry.rules.iter().map(|r| r.meta.severity).collect(),
            options: registry.rules.iter().map(|r| r.meta.options.clone()).collect(),
            prepared: vec![no_options(); n],
            per_file_ignores: Vec::new(),
            exclude_patterns: Vec::new(),
            exclude: GlobSet::empty(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            fail_on: FailOn::Warning,
            provenance: Vec::new(),
        };
        let mut enabled_origin = vec![Origin::Default; n];
        let mut severity_origin = vec![Origin::Default; n];
        let mut option_origin: Vec<BTreeMap<String, Origin>> = vec![BTreeMap::new(); n];
        let mut exclude = GlobSetBuilder::new();
        let mut size_origin = Origin::Default;
        let mut fail_origin = Origin::Default;
        for layer in layers {
            let o = &layer.origin;
            let f = &layer.file;
            let expand = |key: &str, sel: &str| {
                registry
                    .expand_selector(sel)
                    .ok_or_else(|| err(o, format!("`{key}`: unknown rule or family `{sel}`")))
            };
            if let Some(select) = &f.select {
                let mut next = vec![false; n];
                for sel in select {
                    for i in expand("select", sel)? {
                        next[i] = true;
                    }
                }
                s.enabled = next;
                enabled_origin = vec![o.clone(); n];
            }
            for sel in f.extend_select.iter().flatten() {
                for i in expand("extend-select", sel)? {
                    s.enabled[i] = true;
                    enabled_origin[i] = o.clone();
                }
            }
            for sel in f.ignore.iter().flatten() {
                for i in expand("ignore", sel)? {
                    s.enabled[i] = false;
                    enabled_origin[i] = o.clone();
                }
            }
            for (sel, sev) in f.severity.iter().flatten() {
                for i in expand("severity", sel)? {
                    s.severity[i] = *sev;
                    severity_origin[i] = o.clone();
                }
            }
            for (id, table) in f.rules.iter().flatten() {
                let i = registry
                    .get(id)
                    .ok_or_else(|| err(o, format!("`[rules.{id}]`: unknown rule `{id}`")))?;
                let defaults = &registry.meta(i).options;
                for (key, value) in table {
                    let Some(default) = defaults.get(key) else {
                        let known: Vec<&str> = defaults.keys().map(String::as_str).collect();
                        let hint = if known.is_empty() {
                            "this rule has no options".to_string()
                        } else {
                            format!("known options: {}", known.join(", "))
                        };
                        return Err(err(o, format!("`[rules.{id}]`: unknown option `{key}` ({hint})")));
                    };
                    if default.type_str() != value.type_str() {
                        return Err(err(
                            o,
                            format!(
                                "`[rules.{id}] {key}`: expected {}, found {}",
                                default.type_str(),
                                value.type_str()
                            ),
                        ));
                    }
                    s.options[i].insert(key.clone(), value.clone());
                    option_origin[i].insert(key.clone(), o.clone());
                }
            }
            for pattern in f.exclude.iter().flatten() {
                for g in compile_globs(&layer.dir, pattern).map_err(|m| err(o, format!("`exclude`: {m}")))? {
                    exclude.add(g);
                }
                s.exclude_patterns.push(pattern.clone());
                s.provenance.push(Provenance {
                    key: "exclude".into(),
                    value: pattern.clone(),
                    origin: o.clone(),
                });
            }
            for (pattern, sels) in f.per_file_ignores.iter().flatten() {
                let mut rules = Vec::new();
                for sel in sels {
                    rules.extend(expand("per-file-ignores", sel)?);
                }
                for g in compile_globs(&layer.dir, pattern).map_err(|m| err(o, format!("`per-file-ignores`: {m}")))? {
                    s.per_file_ignores.push(PerFileIgnore {
                        pattern: pattern.clone(),
                        matcher: g.compile_matcher(),
                        rules: rules.clone(),
                    });
                }
                s.provenance.push(Provenance {
                    key: format!("per-file-ignores \"{pattern}\""),
                    value: sels.join(", "),
                    origin: o.clone(),
                });
            }
            if let Some(size) = f.max_file_size {
                s.max_file_size = size.0;
                size_origin = o.clone();
            }
            if let Some(fail_on) = f.fail_on {
                if matches!(o, Origin::Subfolder(_)) {
                    return Err(err(
                        o,
                        "`fail-on` applies to the whole run: set it in the project's aireview.toml",
                    ));
                }
                s.fail_on = fail_on;
                fail_origin = o.clone();
            }
        }
        s.exclude = exclude
            .build()
            .map_err(|e| err(&Origin::Default, format!("exclude globs: {e}")))?;
        // Preparing compiles each rule's patterns: in parallel, and the
        // first failure in rule order is the one reported.
        let prepared: Vec<Result<Prepared, String>> = {
            use rayon::prelude::*;
            let options = &s.options;
            registry
                .rules
                .par_iter()
                .enumerate()
                .map(|(i, rule)| {
                    if let Some(prev) = reuse.filter(|r| r.options.get(i) == Some(&options[i])) {
                        return Ok(prev.prepared[i].clone());
                    }
                    match &rule.imp {
                        RuleImpl::File(r) => r.prepare(&options[i]),
                        RuleImpl::Project(r) => r.prepare(&options[i]),
                        RuleImpl::Query | RuleImpl::Engine => Ok(no_options()),
                    }
                })
                .collect()
        };
        for (i, (rule, prepared)) in registry.rules.iter().zip(prepared).enumerate() {
            s.prepared[i] = prepared.map_err(|m| {
                let origin = option_origin[i].values().next().cloned().unwrap_or(Origin::Default);
                err(&origin, format!("`[rules.{}]`: {m}", rule.meta.id))
            })?;
        }
        // Provenance of every rule setting, for `aireview config`.
        for (i, rule) in registry.rules.iter().enumerate() {
            let id = &rule.meta.id;
            s.provenance.push(Provenance {
                key: format!("{id}.enabled"),
                value: s.enabled[i].to_string(),
                origin: enabled_origin[i].clone(),
            });
            s.provenance.push(Provenance {
                key: format!("{id}.severity"),
                value: s.severity[i].to_string(),
                origin: severity_origin[i].clone(),
            });
            for (key, value) in &s.options[i] {
                s.provenance.push(Provenance {
                    key: format!("{id}.{key}"),
                    value: value.to_string(),
                    origin: option_origin[i].get(key).cloned().unwrap_or(Origin::Default),
                });
            }
        }
        s.provenance.push(Provenance {
            key: "max-file-size".into(),
            value: s.max_file_size.to_string(),
            origin: size_origin,
        });
        s.provenance.push(Provenance {
            key: "fail-on".into(),
            value: s.fail_on.as_str().into(),
            origin: fail_origin,
        });
        Ok(s)
    }

    /// Whether a project-relative path is excluded by configuration.
    pub fn is_excluded(&self, rel_path: &str) -> bool {
        self.exclude.is_match(rel_path)
    }

    /// The rules enabled for one file: the scope's set minus per-file ignores.
    pub fn enabled_for(&self, rel_path: &str) -> Vec<bool> {
        let mut enabled = self.enabled.clone();
        for pfi in &self.per_file_ignores {
            if pfi.matcher.is_match(rel_path) {
                for &i in &pfi.rules {
                    enabled[i] = false;
                }
            }
        }
        enabled
    }
}

/// The whole cascade for one run: the shared layers and the sub-folder files.
pub struct ConfigSet {
    pub user: Option<ConfigLayer>,
    pub project: Option<ConfigLayer>,
    /// Sub-folder layers sorted by folder; `dir` is project-relative.
    pub subfolders: Vec<ConfigLayer>,
    pub cli: ConfigLayer,
    /// Resolved settings per scope: index 0 is the project scope, then one per sub-folder.
    pub scopes: Vec<Settings>,
}

impl ConfigSet {
    /// Resolves every scope. Sub-folder files are given by path relative to the root.
    /// `reuse`: settings resolved earlier whose compiled options may be shared.
    pub fn build(
        registry: &Registry,
        user: Option<ConfigLayer>,
        project: Option<ConfigLayer>,
        subfolders: Vec<ConfigLayer>,
        cli: ConfigLayer,
        reuse: Option<&Settings>,
    ) -> Result<ConfigSet, ConfigError> {
        let mut set = ConfigSet {
            user,
            project,
            subfolders,
            cli,
            scopes: Vec::new(),
        };
        set.subfolders.sort_by(|a, b| a.dir.cmp(&b.dir));
        for layer in set
            .user
            .iter()
            .chain(set.project.iter())
            .chain(set.subfolders.iter())
            .chain(std::iter::once(&set.cli))
        {
            for (family, choice) in layer.file.conventions.iter().flatten() {
                crate::conventions::validate_pin(family, choice).map_err(|m| err(&layer.origin, m))?;
            }
            if layer.file.conventions.is_some() && matches!(layer.origin, Origin::Subfolder(_)) {
                return Err(err(
                    &layer.origin,
                    "[conventions] applies to the whole project: set it in the project's aireview.toml",
                ));
            }
        }
        let root_scope = Settings::resolve(registry, &set.layers_for_dir(None), reuse)?;
        set.scopes.push(root_scope);
        for i in 0..set.subfolders.len() {
            let layers = set.layers_for_dir(Some(i));
            let settings = Settings::resolve(registry, &layers, Some(&set.scopes[0]))?;
            set.scopes.push(settings);
        }
        Ok(set)
    }

    /// The layers that apply to sub-folder scope `sub` (or the root scope).
    fn layers_for_dir(&self, sub: Option<usize>) -> Vec<&ConfigLayer> {
        let mut layers: Vec<&ConfigLayer> = self.user.iter().chain(self.project.iter()).collect();
        if let Some(i) = sub {
            let dir = &self.subfolders[i].dir;
            for layer in &self.subfolders {
                if is_within(dir, &layer.dir) {
                    layers.push(layer);
                }
            }
        }
        layers.push(&self.cli);
        layers
    }

    /// The scope index for a project-relative file path: its deepest sub-folder config.
    pub fn scope_of(&self, rel_path: &str) -> usize {
        let mut best = 0;
        let mut best_len = 0;
        for (i, layer) in self.subfolders.iter().enumerate() {
            if is_within(rel_path, &layer.dir) && layer.dir.len() >= best_len {
                best = i + 1;
                best_len = layer.dir.len();
            }
        }
        best
    }

    pub fn root(&self) -> &Settings {
        &self.scopes[0]
    }

    pub fn settings_for(&self, rel_path: &str) -> &Settings {
        &self.scopes[self.scope_of(rel_path)]
    }
}

/// Whether project-relative `path` is `dir` or beneath it.
fn is_within(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_errors_with_position() {
        let e = parse_config_text("selct = [\"slop\"]\n").unwrap_err();
        assert!(e.starts_with("1:1:") && e.contains("selct"), "{e}");
        let e = parse_config_text("fail-on = \"sometimes\"\n").unwrap_err();
        assert!(e.contains("sometimes"), "{e}");
    }

    #[test]
    fn byte_sizes() {
        assert_eq!(parse_byte_size("2MiB").unwrap(), 2 * 1024 * 1024);
        assert_eq!(parse_byte_size("1000").unwrap(), 1000);
        assert!(parse_byte_size("2 parsecs").is_err());
        let f = parse_config_text("max-file-size = \"512KiB\"").unwrap();
        assert_eq!(f.max_file_size, Some(ByteSize(512 * 1024)));
    }

    #[test]
    fn globs_are_relative_to_their_folder() {
        let set = |dir: &str, p: &str| {
            let mut b = GlobSetBuilder::new();
            for g in compile_globs(dir, p).unwrap() {
                b.add(g);
            }
            b.build().unwrap()
        };
        let g = set("", "generated");
        assert!(g.is_match("generated/a.py") && g.is_match("pkg/generated/x/a.py"));
        let g = set("pkg", "gen/*.py");
        assert!(g.is_match("pkg/gen/a.py") && !g.is_match("gen/a.py") && !g.is_match("pkg/gen/x/a.py"));
        let g = set("", "/top.py");
        assert!(g.is_match("top.py") && !g.is_match("a/top.py"));
    }

    #[test]
    fn within() {
        assert!(is_within("a/b.py", "a") && is_within("a/b.py", "") && !is_within("ab/c.py", "a"));
    }
}
