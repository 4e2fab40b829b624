//! Suppressions (`allow` on a claim) and adjudications (decisions recorded in the authority).
//!
//! An `allow` removes the findings of its rule whose primary location lies in its claim; an
//! adjudication keeps the findings of its rule about its event whose sources it all lists, but
//! marks them adjudicated, so that every report still shows them. Either that matches nothing
//! is itself reported.

use std::collections::HashMap;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule, Status};

use crate::{Context, SourceSummary};

pub(crate) fn apply_allows(
    diagnostics: &mut Vec<Diagnostic>,
    summaries: &[SourceSummary],
    context: &Context<'_>,
) {
    let mut used = vec![false; 0];
    let allows: Vec<(&str, &crate::AllowSummary)> = summaries
        .iter()
        .flat_map(|s| s.allows.iter().map(move |a| (&*s.file, a)))
        .collect();
    used.resize(allows.len(), false);
    // Allows are few: index them by file.
    let mut by_file: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (file, _)) in allows.iter().enumerate() {
        by_file.entry(file).or_default().push(i);
    }
    diagnostics.retain(|diagnostic| {
        let Some(candidates) = by_file.get(&*diagnostic.primary.file) else {
            return true;
        };
        let Some(pointer) = diagnostic.primary.anchor.pointer() else {
            return true;
        };
        for &i in candidates {
            let allow = allows[i].1;
            let inside = pointer == allow.claim_pointer
                || pointer
                    .strip_prefix(allow.claim_pointer.as_str())
                    .is_some_and(|rest| rest.starts_with('/'));
            if inside && allow.rule == Some(diagnostic.rule) && diagnostic.rule != Rule::UnusedAllow
            {
                used[i] = true;
                return false;
            }
        }
        true
    });
    for (i, (file, allow)) in allows.iter().enumerate() {
        if used[i] {
            continue;
        }
        let label = Label::new(
            (*file).into(),
            Anchor::value(format!("{}/rule", allow.pointer)),
        );
        // An allow for a rule turned off suppresses nothing, rightly: it is kept for when the
        // rule is turned on again.
        let diagnostic = match allow.rule {
            Some(rule)
                if !context.settings.is_enabled(Rule::UnusedAllow)
                    || !context.settings.is_enabled(rule) =>
            {
                continue;
            }
            Some(rule) => Diagnostic::new(
                Rule::UnusedAllow,
                format!("`allow: {}` suppresses nothing on this event", rule.name()),
                label,
            )
            .with_help("remove the allow entry; the finding it was written for is gone"),
            None => Diagnostic::new(
                Rule::UnknownRule,
                format!(
                    "`allow` names rule `{}`, which fasti does not have",
                    allow.written
                ),
                label,
            )
            .with_help(Rule::unknown_help(&allow.written)),
        };
        diagnostics.push(diagnostic);
    }
}

pub(crate) fn apply_adjudications(
    diagnostics: &mut Vec<Diagnostic>,
    summaries: &[SourceSummary],
    context: &Context<'_>,
) {
    let authority = context.authority;
    // Every source of the dataset by the name adjudications use (its id, and its file name when
    // the two differ: `source-id-mismatch` reports that), and whether it was checked.
    let sources: HashMap<&str, &SourceSummary> = summaries
        .iter()
        .flat_map(|s| [(s.name(), s), (crate::rules::file_stem(&s.file), s)])
        .collect();

    // Adjudications not matched because a source they name was not checked, by that source.
    let mut waiting: HashMap<&str, usize> = HashMap::new();
    let index: HashMap<&str, usize> = authority
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.at.id.as_str(), i))
        .collect();
    let mut used: HashMap<(usize, usize), bool> = HashMap::new();
    for diagnostic in diagnostics.iter_mut() {
        let Some(event) = diagnostic.event.as_deref().and_then(|id| index.get(id)) else {
            continue;
        };
        for (a, adjudication) in authority.events[*event].adjudications.iter().enumerate() {
            // By name or code, as everywhere else a rule is named.
            let rule_matches =
                adjudication.rule.as_deref().and_then(Rule::find) == Some(diagnostic.rule);
            let sources_listed = !diagnostic.sources.is_empty()
                && diagnostic
                    .sources
                    .iter()
                    .all(|s| adjudication.sources.iter().any(|listed| &listed.text == s));
            if rule_matches && sources_listed {
                used.insert((*event, a), true);
                diagnostic.status = Status::Adjudicated {
                    decision: adjudication.decision.clone(),
                    reason: adjudication.reason.clone(),
                    at: Box::new(Label::new(
                        adjudication.file.clone(),
                        Anchor::Head {
                            pointer: adjudication.pointer.clone(),
                        },
                    )),
                };
                break;
            }
        }
    }
    // Files with open errors: an adjudication that matches nothing may follow from them.
    let mut erring: HashMap<std::sync::Arc<str>, usize> = HashMap::new();
    for diagnostic in diagnostics.iter().filter(|d| d.is_failing()) {
        *erring.entry(diagnostic.primary.file.clone()).or_default() += 1;
    }
    for (e, event) in authority.events.iter().enumerate() {
        for (a, adjudication) in event.adjudications.iter().enumerate() {
            if used.contains_key(&(e, a)) {
                continue;
            }
            let label = Label::new(
                adjudication.file.clone(),
                Anchor::Head {
                    pointer: adjudication.pointer.clone(),
                },
            );
            // A source that was not checked cannot have the finding: not a sign of a stale
            // adjudication. The source's own problem says so instead.
            let unchecked: Vec<&str> = adjudication
                .sources
                .iter()
                .filter_map(|s| sources.get(s.text.as_str()))
                .filter(|s| !s.checked)
                .map(|s| s.name())
                .collect();
            if !unchecked.is_empty() {
                for name in unchecked {
                    *waiting.entry(name).or_default() += 1;
                }
                continue;
            }
            if !sources.is_empty()
                && let Some(unknown) = adjudication
                    .sources
                    .iter()
                    .find(|s| !sources.contains_key(s.text.as_str()))
            {
                if context.settings.is_enabled(Rule::UnknownSource) {
                    let pointer = format!("{}/sources/{}", adjudication.pointer, unknown.index);
                    diagnostics.push(unknown_source(
                        &adjudication.file,
                        &pointer,
                        &unknown.text,
                        &sources,
                    ));
                }
                continue;
            }
            let diagnostic = match adjudication.rule.as_deref().and_then(Rule::find) {
                Some(rule)
                    if context.settings.is_enabled(Rule::UnusedAdjudication)
                        && context.settings.is_enabled(rule) =>
                {
                    Diagnostic::new(
                    Rule::UnusedAdjudication,
                    format!(
                        "adjudication of `{}` on `{}` for {} matches no finding",
                        rule.name(),
                        event.at.id,
                        adjudication.sources.iter().map(|s| format!("`{}`", s.text)).collect::<Vec<_>>().join(", ")
                    ),
                    label,
                )
                .with_help("remove it, or check that the rule, the event and the sources are the ones the finding names")
                }
                Some(_) => continue,
                None => Diagnostic::new(
                    Rule::UnknownRule,
                    format!("adjudication names rule `{}`, which fasti does not have", adjudication.rule.as_deref().unwrap_or("")),
                    label,
                )
                .with_help(Rule::unknown_help(adjudication.rule.as_deref().unwrap_or(""))),
            };
            let mut diagnostic = diagnostic;
            if diagnostic.rule == Rule::UnusedAdjudication {
                for listed in &adjudication.sources {
                    let Some(summary) = sources.get(listed.text.as_str()) else {
                        continue;
                    };
                    if let Some(errors) = erring.get(&*summary.file) {
                        let (errors, them) = if *errors == 1 {
                            ("1 open error".to_owned(), "it")
                        } else {
                            (format!("{errors} open errors"), "them")
                        };
                        diagnostic.notes.push(format!(
                            "`{}` has {errors} that may explain this: fix {them} first",
                            summary.file
                        ));
                    }
                }
            }
            diagnostics.push(diagnostic);
        }
    }
    note_waiting(diagnostics, &sources, &waiting);
}

/// An adjudication names a source that is not in the dataset: a misspelled id, most often.
fn unknown_source(
    file: &fasti_ingest::FileName,
    pointer: &str,
    name: &str,
    sources: &HashMap<&str, &SourceSummary>,
) -> Diagnostic {
    let mut names: Vec<&str> = sources.keys().copied().collect();
    names.sort_unstable();
    let closest = names
        .iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), *candidate))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate);
    let help = closest.map_or_else(
        || "name a source by its `id`, the file name without its extension".to_owned(),
        |close| format!("did you mean `{close}`?"),
    );
    Diagnostic::new(
        Rule::UnknownSource,
        format!("adjudication names source `{name}`, which is not in the dataset"),
        Label::new(file.clone(), Anchor::value(pointer)).with_message("no source has this id"),
    )
    .with_help(help)
}

/// Adds to the problem that stopped a source from being checked a note on the adjudications
/// waiting for it, which are not reported as unused meanwhile.
fn note_waiting(
    diagnostics: &mut [Diagnostic],
    sources: &HashMap<&str, &SourceSummary>,
    waiting: &HashMap<&str, usize>,
) {
    for (name, count) in waiting {
        let Some(summary) = sources.get(name) else {
            continue;
        };
        let cause = diagnostics
            .iter_mut()
            .find(|d| d.primary.file == summary.file && d.rule.stops_checking());
        if let Some(cause) = cause {
            let what = if *count == 1 {
                "1 adjudication in the authority names this source: it is".to_owned()
            } else {
                format!("{count} adjudications in the authority name this source: they are")
            };
            cause
                .notes
                .push(format!("{what} checked once this file reads"));
        }
    }
}
