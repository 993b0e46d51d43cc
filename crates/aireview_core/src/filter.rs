//! The filter stage: inline suppressions and the findings about suppressions
//! that suppress nothing (as ruff's unused-noqa), and findings made
//! redundant by a more specific one on the same line.

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

/// Drops, from one file's findings, each finding of a rule that another
/// finding on the same line supersedes (catalogue `supersedes`): one line,
/// one finding, the one that says the most. Runs after suppressions, so a
/// suppressed specific finding leaves the general one in place.
pub fn drop_superseded(registry: &Registry, diagnostics: &mut Vec<Diagnostic>) {
    let superseding: Vec<(u32, &[String])> = diagnostics
        .iter()
        .filter_map(|d| {
            let idx = registry.get(&d.rule)?;
            let supersedes = &registry.rules[idx].meta.supersedes;
            (!supersedes.is_empty()).then_some((d.span.start_line, supersedes.as_slice()))
        })
        .collect();
    if superseding.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        !superseding
            .iter()
            .any(|(line, ids)| *line == d.span.start_line && ids.contains(&d.rule))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::span::Span;

    fn finding(rule: &str, line: u32) -> Diagnostic {
        Diagnostic {
            rule: rule.to_string(),
            severity: crate::Severity::Warning,
            path: "app.py".to_string(),
            span: Span {
                start_line: line,
                end_line: line,
                ..Span::default()
            },
            message: String::new(),
            help: None,
            related: Vec::new(),
            fingerprint: String::new(),
        }
    }

    #[test]
    fn a_superseding_finding_drops_the_general_one_on_its_line_only() {
        let rule = |id: &str, supersedes: &str| {
            let extra = if supersedes.is_empty() {
                String::new()
            } else {
                format!("supersedes = [\"{supersedes}\"]\n")
            };
            format!(
                "id = \"{id}\"\nfamily = \"custom\"\nseverity = \"warning\"\ncategory = \"suspicious\"\nmessage = \"m\"\n{extra}docs = \"d\"\n\n[[query]]\nlanguage = \"python\"\nquery = \"(pass_statement) @x\"\n"
            )
        };
        let catalogue = Catalogue::from_files([
            ("specific.toml", rule("specific", "general").as_str()),
            ("general.toml", rule("general", "").as_str()),
            (
                "unused-suppression.toml",
                "id = \"unused-suppression\"\nfamily = \"meta\"\nseverity = \"warning\"\ncategory = \"suspicious\"\nmessage = \"m\"\ndocs = \"d\"\n",
            ),
        ])
        .unwrap();
        let registry = Registry::new(catalogue, Vec::new(), Vec::new()).unwrap();
        let mut found = vec![finding("general", 3), finding("specific", 3), finding("general", 5)];
        drop_superseded(&registry, &mut found);
        let left: Vec<(&str, u32)> = found.iter().map(|d| (d.rule.as_str(), d.span.start_line)).collect();
        assert_eq!(left, [("specific", 3), ("general", 5)]);
    }
}
