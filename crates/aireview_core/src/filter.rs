//! The filter stage: inline suppressions and the findings about suppressions
//! that suppress nothing (as ruff's unused-noqa), findings made redundant by
//! a more specific one on the same line, then the caller's change scope and
//! baseline.

use crate::baseline::Baseline;
use crate::diagnostic::{fingerprint, Diagnostic};
use crate::facts::FileFacts;
use crate::git::ChangeScope;
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

/// The filter stage's choices that come from the caller, not from the
/// files. The default filters nothing.
#[derive(Default)]
pub struct FilterOptions<'a> {
    /// `--staged`/`--diff`: keep only the findings in changed files.
    pub change_scope: Option<&'a ChangeScope>,
    /// With a change scope: keep only the findings whose span touches an
    /// added or modified line.
    pub changed_lines_only: bool,
    /// `--baseline`: hide the findings it accepts. The caller reads it, so a
    /// broken baseline stops the run before the review.
    pub baseline: Option<Baseline>,
    /// `--prune-baseline`: first drop the baseline's entries that no longer
    /// occur in the reviewed files.
    pub prune_baseline: bool,
}

/// What the baseline did in the filter stage.
#[derive(Debug, PartialEq)]
pub struct BaselineOutcome {
    /// How many findings it accepted, left out of the review's findings.
    pub hidden: usize,
    /// With `prune_baseline`: the pruned baseline and how many findings it
    /// dropped, for the caller to write (a review writes no files).
    pub pruned: Option<(Baseline, usize)>,
}

/// Keeps the findings in the change scope, then prunes the baseline (when
/// asked) and drops the findings it accepts: the baseline judges only what
/// the change shows. `diagnostics` are sorted (a fingerprint's first findings
/// are the accepted ones); `reviewed` says which files were reviewed, whose
/// baseline entries pruning may drop.
pub fn apply_scope_and_baseline(
    opts: FilterOptions<'_>,
    reviewed: &dyn Fn(&str) -> bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<BaselineOutcome> {
    if let Some(scope) = opts.change_scope {
        diagnostics.retain(|d| scope.touches(d, opts.changed_lines_only));
    }
    let baseline = opts.baseline?;
    let pruned = opts.prune_baseline.then(|| baseline.pruned(diagnostics, reviewed));
    let accepted = pruned.as_ref().map_or(&baseline, |(kept, _)| kept);
    let hidden = accepted.remove_accepted(diagnostics);
    Some(BaselineOutcome { hidden, pruned })
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

    /// A finding whose fingerprint stands for the flagged line's content
    /// (`content`), wherever the line now is.
    fn at(line: u32, content: u64) -> Diagnostic {
        Diagnostic {
            fingerprint: fingerprint("general", "app.py", content),
            ..finding("general", line)
        }
    }

    /// `app.py` changed on lines 10-12.
    fn change() -> ChangeScope {
        let files = [("app.py".to_string(), ("app.py".to_string(), vec![(10, 12)]))];
        ChangeScope {
            toplevel: "/repo".into(),
            files: files.into_iter().collect(),
            staged: false,
        }
    }

    fn lines(diagnostics: &[Diagnostic]) -> Vec<u32> {
        diagnostics.iter().map(|d| d.span.start_line).collect()
    }

    #[test]
    fn the_change_scope_keeps_changed_files_and_with_changed_lines_only_their_changed_lines() {
        let scope = change();
        let other = Diagnostic {
            path: "other.py".into(),
            ..finding("general", 11)
        };
        let found = || vec![finding("general", 3), finding("general", 11), other.clone()];
        let filter = |changed_lines_only| {
            let mut kept = found();
            let opts = FilterOptions {
                change_scope: Some(&scope),
                changed_lines_only,
                ..FilterOptions::default()
            };
            assert_eq!(apply_scope_and_baseline(opts, &|_| true, &mut kept), None);
            kept
        };
        assert_eq!(lines(&filter(false)), [3, 11]);
        assert_eq!(lines(&filter(true)), [11]);
        // Without a scope or a baseline, nothing is filtered.
        let mut all = found();
        assert_eq!(
            apply_scope_and_baseline(FilterOptions::default(), &|_| true, &mut all),
            None
        );
        assert_eq!(all.len(), 3);
    }

    #[test]
    fn the_baseline_accepts_findings_whose_lines_moved_and_prunes_what_no_longer_occurs() {
        // Recorded on lines 3 and 9 (the same content twice) and 20 (since fixed).
        let baseline = Baseline::of(&[at(3, 1), at(9, 1), at(20, 2)]);
        // Lines were inserted above: the old findings moved; line 30 is new.
        let now = || vec![at(5, 1), at(11, 1), at(30, 3)];
        let filter = |prune_baseline| {
            let mut kept = now();
            let opts = FilterOptions {
                baseline: Some(baseline.clone()),
                prune_baseline,
                ..FilterOptions::default()
            };
            let outcome = apply_scope_and_baseline(opts, &|_| true, &mut kept);
            (lines(&kept), outcome)
        };
        let (kept, outcome) = filter(false);
        assert_eq!(kept, [30]);
        assert_eq!(
            outcome,
            Some(BaselineOutcome {
                hidden: 2,
                pruned: None
            })
        );
        let (kept, outcome) = filter(true);
        assert_eq!(kept, [30]);
        let pruned = Baseline::of(&[at(3, 1), at(9, 1)]);
        assert_eq!(
            outcome,
            Some(BaselineOutcome {
                hidden: 2,
                pruned: Some((pruned, 1))
            })
        );
    }

    #[test]
    fn the_baseline_judges_only_the_findings_in_the_change_scope() {
        let scope = change();
        // One accepted copy of a line that now occurs twice: outside the
        // change (line 3) and on a changed line (11); and a finding outside
        // the change (line 4) that pruning does not see.
        let baseline = Baseline::of(&[at(3, 1), at(4, 4)]);
        let mut found = vec![at(3, 1), at(4, 4), at(11, 1), at(12, 2)];
        let opts = FilterOptions {
            change_scope: Some(&scope),
            changed_lines_only: true,
            baseline: Some(baseline),
            prune_baseline: true,
        };
        let outcome = apply_scope_and_baseline(opts, &|_| true, &mut found);
        // Applied first, the baseline would have spent its copy on line 3,
        // shown line 11 and kept line 4's entry.
        assert_eq!(lines(&found), [12]);
        assert_eq!(
            outcome,
            Some(BaselineOutcome {
                hidden: 1,
                pruned: Some((Baseline::of(&[at(3, 1)]), 1))
            })
        );
    }
}
