//! The filter stage: inline suppressions and the findings about suppressions
//! that suppress nothing (as ruff's unused-noqa).

use crate::diagnostic::{fingerprint, Diagnostic};
use crate::facts::FileFacts;
use crate::registry::Registry;

pub const UNUSED_SUPPRESSION: &str = "unused-suppression";

/// Drops suppressed diagnostics of one file, then reports its suppressions
/// that covered nothing. `enabled` is the file's enabled-rule set.
pub fn apply_suppressions(
    registry: &Registry,
    facts: &FileFacts,
    enabled: &[bool],
    severity_of_unused: Option<crate::Severity>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if facts.suppressions.is_empty() {
        return;
    }
    // used[s][k]: suppression s, code k (or the blanket code at index 0 when empty) matched something.
    let mut used: Vec<Vec<bool>> = facts
        .suppressions
        .iter()
        .map(|s| vec![false; s.rules.len().max(1)])
        .collect();
    diagnostics.retain(|d| {
        let family = registry.get(&d.rule).map_or("", |i| registry.meta(i).family.as_str());
        let mut keep = true;
        for (si, s) in facts.suppressions.iter().enumerate() {
            if !s.covers_line(d.span.start_line) || !s.covers_rule(&d.rule, family) {
                continue;
            }
            keep = false;
            if s.rules.is_empty() {
                used[si][0] = true;
            } else {
                for (k, code) in s.rules.iter().enumerate() {
                    if code == &d.rule || code == family {
                        used[si][k] = true;
                    }
                }
            }
        }
        keep
    });
    let Some(severity) = severity_of_unused else {
        return;
    };
    for (si, s) in facts.suppressions.iter().enumerate() {
        let mut report = |message: String| {
            diagnostics.push(Diagnostic {
                rule: UNUSED_SUPPRESSION.into(),
                severity,
                path: facts.path.clone(),
                span: s.span,
                message,
                help: Some("remove the suppression, or correct the rule id".into()),
                related: Vec::new(),
                fingerprint: fingerprint(UNUSED_SUPPRESSION, &facts.path, facts.line_hash(s.span.start_line)),
            });
        };
        if s.rules.is_empty() {
            if !used[si][0] {
                report("unused suppression: no finding on this line to ignore".into());
            }
            continue;
        }
        for (k, code) in s.rules.iter().enumerate() {
            if used[si][k] {
                continue;
            }
            match registry.expand_selector(code) {
                None => report(format!("suppression names unknown rule `{code}`")),
                // Only when one of the named rules ran: a disabled rule cannot be judged.
                Some(rules) if rules.iter().any(|&i| enabled[i]) => {
                    report(format!("unused suppression: no `{code}` finding to ignore here"))
                }
                Some(_) => {}
            }
        }
    }
}
