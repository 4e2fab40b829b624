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
            .with_help("`fasti rules` lists every rule"),
        };
        diagnostics.push(diagnostic);
    }
}

pub(crate) fn apply_adjudications(diagnostics: &mut Vec<Diagnostic>, context: &Context<'_>) {
    let authority = context.authority;
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
                .with_help("`fasti rules` lists every rule"),
            };
            diagnostics.push(diagnostic);
        }
    }
}
