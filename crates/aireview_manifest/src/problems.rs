//! Collects the problems that do not stop a file from being read.

use crate::ManifestProblem;

/// Problems found while reading, in the order found.
#[derive(Debug, Default)]
pub struct ProblemSink(pub Vec<ManifestProblem>);

impl ProblemSink {
    /// Records a problem at a 1-based position (0 = unknown); the message gets the position in front.
    pub fn push(&mut self, path: &str, line: u32, column: u32, what: &str) {
        let message = if line > 0 {
            format!("line {line}, column {column}: {what}")
        } else {
            what.to_string()
        };
        self.0.push(ManifestProblem {
            path: path.to_string(),
            message,
            line,
            column,
        });
    }
}
