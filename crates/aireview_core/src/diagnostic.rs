//! What a rule reports.

use crate::span::{fnv1a, Span};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location that explains a finding, possibly in another file
/// ("convention established here", "already defined here").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub path: String,
    pub span: Span,
    pub message: String,
}

/// One finding. `path` is relative to the project root with `/` separators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub rule: String,
    pub severity: Severity,
    pub path: String,
    pub span: Span,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub related: Vec<Related>,
    /// Stable identity: rule + path + the flagged line with whitespace
    /// normalised, so the finding keeps its identity when lines shift.
    pub fingerprint: String,
}

impl Diagnostic {
    pub fn with_help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(&mut self, path: impl Into<String>, span: Span, message: impl Into<String>) -> &mut Self {
        self.related.push(Related {
            path: path.into(),
            span,
            message: message.into(),
        });
        self
    }

    /// The sort key that makes output deterministic.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.path,
            self.span.start_line,
            self.span.start_col,
            &self.rule,
            &self.message,
        )
    }
}

/// The fingerprint of a finding of `rule` in `path` whose first line hashes to `line_hash`.
pub fn fingerprint(rule: &str, path: &str, line_hash: u64) -> String {
    let mut bytes = Vec::with_capacity(rule.len() + path.len() + 10);
    bytes.extend_from_slice(rule.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(path.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(&line_hash.to_le_bytes());
    format!("{:016x}", fnv1a(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_depends_on_rule_path_and_line() {
        let a = fingerprint("stub-body", "a.py", 1);
        assert_eq!(a, fingerprint("stub-body", "a.py", 1));
        assert_ne!(a, fingerprint("stub-body", "b.py", 1));
        assert_ne!(a, fingerprint("swallowed-error", "a.py", 1));
        assert_ne!(a, fingerprint("stub-body", "a.py", 2));
        assert_eq!(a.len(), 16);
    }
}

/// A problem with the input (an unreadable file, a broken manifest): printed
/// on stderr as one line naming the path and the cause; never stops the run.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Warning {
    pub path: String,
    pub message: String,
}

impl Warning {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Warning {
        Warning {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Some warnings are about the run, not a file (a registry client).
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}
