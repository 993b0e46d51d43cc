//! Baselines: the findings a project has accepted for now, so a gate fails
//! only on new ones. Findings are recorded by fingerprint (rule + path + the
//! flagged line, whitespace-normalised) and counted per file and rule, so
//! moving lines or reordering code does not make old findings look new,
//! while a third copy of a finding that was there twice does.
//!
//! The file is pretty JSON with sorted keys and a version field: one count
//! per line, so a baseline update reads well in a diff.

use crate::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use thiserror::Error;

/// The baseline file `--write-baseline` and `--baseline` use by default, in the project root.
pub const DEFAULT_BASELINE_FILE: &str = ".aireview-baseline.json";

/// The version this aireview writes and reads.
pub const BASELINE_VERSION: u32 = 1;

/// path → rule → fingerprint → how many findings have it.
type Counts = BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>>;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Counts,
}

#[derive(Debug, Error)]
pub enum BaselineError {
    #[error("cannot read baseline `{path}`: {cause}")]
    Read { path: String, cause: String },
    #[error("`{path}` is not an aireview baseline: {cause}")]
    Invalid { path: String, cause: String },
    #[error("baseline `{path}` has version {found}; this aireview reads version {BASELINE_VERSION}")]
    Version { path: String, found: u32 },
    #[error("cannot write baseline `{path}`: {cause}")]
    Write { path: String, cause: String },
}

impl Baseline {
    /// The baseline that accepts exactly `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Baseline {
        let mut findings = Counts::new();
        for d in diagnostics {
            *findings
                .entry(d.path.clone())
                .or_default()
                .entry(d.rule.clone())
                .or_default()
                .entry(d.fingerprint.clone())
                .or_default() += 1;
        }
        Baseline {
            version: BASELINE_VERSION,
            findings,
        }
    }

    pub fn parse(path: &Path, text: &str) -> Result<Baseline, BaselineError> {
        let shown = path.display().to_string();
        #[derive(Deserialize)]
        struct Versioned {
            version: u32,
        }
        let version: Versioned = serde_json::from_str(text).map_err(|e| BaselineError::Invalid {
            path: shown.clone(),
            cause: e.to_string(),
        })?;
        if version.version != BASELINE_VERSION {
            return Err(BaselineError::Version {
                path: shown,
                found: version.version,
            });
        }
        serde_json::from_str(text).map_err(|e| BaselineError::Invalid {
            path: shown,
            cause: e.to_string(),
        })
    }

    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Read {
            path: path.display().to_string(),
            cause: e.to_string(),
        })?;
        Baseline::parse(path, &text)
    }

    /// The file's text: pretty, sorted, ending in a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        std::fs::write(path, self.to_json()).map_err(|e| BaselineError::Write {
            path: path.display().to_string(),
            cause: e.to_string(),
        })
    }

    /// How many findings the baseline accepts.
    pub fn len(&self) -> usize {
        self.findings
            .values()
            .flat_map(|r| r.values())
            .flat_map(|f| f.values())
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes the findings the baseline accepts from `diagnostics` (which
    /// are sorted), up to the recorded count per fingerprint; the rest are
    /// new. Returns how many were removed.
    pub fn remove_accepted(&self, diagnostics: &mut Vec<Diagnostic>) -> usize {
        let mut left = self.findings.clone();
        let before = diagnostics.len();
        diagnostics.retain(|d| {
            let count = left
                .get_mut(&d.path)
                .and_then(|r| r.get_mut(&d.rule))
                .and_then(|p| p.get_mut(&d.fingerprint));
            match count {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        before - diagnostics.len()
    }

    /// This baseline with the entries of the files `reviewed` says were
    /// reviewed replaced by `current`'s: recording a review of some paths
    /// keeps what the baseline says about the others.
    pub fn updated(&self, current: &[Diagnostic], reviewed: &dyn Fn(&str) -> bool) -> Baseline {
        let mut next = Baseline::of(current);
        for (path, rules) in &self.findings {
            if !reviewed(path) {
                next.findings.insert(path.clone(), rules.clone());
            }
        }
        next
    }

    /// The baseline without what no longer occurs in `current` (each count
    /// lowered to the number of current findings) in the files `reviewed`
    /// says were reviewed, and how many findings were dropped.
    pub fn pruned(&self, current: &[Diagnostic], reviewed: &dyn Fn(&str) -> bool) -> (Baseline, usize) {
        let now = Baseline::of(current);
        let mut kept = Baseline {
            version: BASELINE_VERSION,
            findings: Counts::new(),
        };
        for (path, rules) in &self.findings {
            for (rule, prints) in rules {
                for (print, n) in prints {
                    if !reviewed(path) {
                        kept.findings
                            .entry(path.clone())
                            .or_default()
                            .entry(rule.clone())
                            .or_default()
                            .insert(print.clone(), *n);
                        continue;
                    }
                    let still = now
                        .findings
                        .get(path)
                        .and_then(|r| r.get(rule))
                        .and_then(|p| p.get(print))
                        .map_or(0, |c| (*c).min(*n));
                    if still > 0 {
                        kept.findings
                            .entry(path.clone())
                            .or_default()
                            .entry(rule.clone())
                            .or_default()
                            .insert(print.clone(), still);
                    }
                }
            }
        }
        let dropped = self.len() - kept.len();
        (kept, dropped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Severity, Span};

    fn finding(path: &str, rule: &str, print: &str, line: u32) -> Diagnostic {
        Diagnostic {
            rule: rule.into(),
            severity: Severity::Warning,
            path: path.into(),
            span: Span {
                start_line: line,
                end_line: line,
                start_col: 1,
                end_col: 2,
                ..Span::default()
            },
            message: "m".into(),
            help: None,
            related: Vec::new(),
            fingerprint: print.into(),
        }
    }

    #[test]
    fn counts_decide_what_is_new() {
        let old = vec![
            finding("a.py", "stub-body", "f1", 3),
            finding("a.py", "stub-body", "f1", 9),
        ];
        let baseline = Baseline::of(&old);
        let mut now = vec![
            finding("a.py", "stub-body", "f1", 5),
            finding("a.py", "stub-body", "f1", 11),
            finding("a.py", "stub-body", "f1", 20),
            finding("b.py", "stub-body", "f1", 1),
        ];
        assert_eq!(baseline.remove_accepted(&mut now), 2);
        assert_eq!(now.len(), 2);
        assert_eq!(now[0].span.start_line, 20);
        assert_eq!(now[1].path, "b.py");
    }

    #[test]
    fn pruning_keeps_what_still_occurs() {
        let baseline = Baseline::of(&[
            finding("a.py", "stub-body", "f1", 3),
            finding("a.py", "stub-body", "f1", 9),
            finding("a.py", "elided-code", "f2", 4),
        ]);
        let (pruned, dropped) = baseline.pruned(&[finding("a.py", "stub-body", "f1", 3)], &|_| true);
        assert_eq!(dropped, 2);
        assert_eq!(pruned, Baseline::of(&[finding("a.py", "stub-body", "f1", 3)]));
        // Files that were not reviewed keep their entries.
        let (pruned, dropped) = baseline.pruned(&[], &|p| p != "a.py");
        assert_eq!((pruned, dropped), (baseline, 0));
    }

    #[test]
    fn updating_replaces_only_the_reviewed_files() {
        let old = Baseline::of(&[
            finding("a.py", "stub-body", "f1", 3),
            finding("b.py", "stub-body", "f2", 3),
        ]);
        let next = old.updated(&[finding("a.py", "elided-code", "f3", 1)], &|p| p == "a.py");
        assert_eq!(
            next,
            Baseline::of(&[
                finding("a.py", "elided-code", "f3", 1),
                finding("b.py", "stub-body", "f2", 3)
            ])
        );
    }

    #[test]
    fn round_trips_and_rejects_other_versions() {
        let baseline = Baseline::of(&[finding("a.py", "stub-body", "f1", 3)]);
        let text = baseline.to_json();
        assert_eq!(Baseline::parse(Path::new("b.json"), &text).unwrap(), baseline);
        let err = Baseline::parse(Path::new("b.json"), &text.replace("\"version\": 1", "\"version\": 7")).unwrap_err();
        assert!(err.to_string().contains("has version 7"), "{err}");
        let err = Baseline::parse(Path::new("b.json"), "[]").unwrap_err();
        assert!(
            err.to_string().starts_with("`b.json` is not an aireview baseline"),
            "{err}"
        );
    }
}
