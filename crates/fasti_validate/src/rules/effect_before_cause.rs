//! `effect-before-cause`: an event dated before what caused it or what it came after, or after
//! what it came before.
//!
//! A claim's `caused_by`, `after` and `before` are checked against the same source's dated
//! claims about the other event when it has any (all of them: the source's own dates must
//! contradict it), else against the authority's accepted date; the authority's own relations
//! against each other. For `caused_by` and `after`, the whole event (to the end of its `end`)
//! must be certainly before the other begins; for `before`, it must certainly begin after the
//! other has ended. Events that merely may overlap are not reported.

// foldhash rather than SipHash: the map is built for every source with a relation.
use foldhash::{HashMap, HashMapExt};

use fasti_diagnostics::{Diagnostic, Label, Rule};
use fasti_normalize::dataset::{Claim, Event, Ref, Source};
use fasti_normalize::interval::Interval;

use super::{
    at, claim_dating, claim_event, event_dating, shown_accepted, shown_claim, source_name,
};
use crate::Context;

#[derive(Clone, Copy)]
enum Relation {
    CausedBy,
    After,
    Before,
}

impl Relation {
    /// Whether `effect` contradicts the relation to `other`, for every reading of both.
    fn broken(self, effect: Interval, other: Interval) -> bool {
        match self {
            Relation::CausedBy | Relation::After => effect.certainly_before(other),
            Relation::Before => other.certainly_before(effect),
        }
    }

    /// `its cause \`x\``, `\`x\`, which it came after`, ...
    fn describe(self, other: &str) -> String {
        match self {
            Relation::CausedBy => format!("its cause `{other}`"),
            Relation::After => format!("`{other}`, which it came after,"),
            Relation::Before => format!("`{other}`, which it came before,"),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Relation::CausedBy => "the cause",
            Relation::After => "the event it came after",
            Relation::Before => "the event it came before",
        }
    }
}

fn relations<'a>(
    caused_by: &'a [Ref],
    after: &'a [Ref],
    before: &'a [Ref],
) -> impl Iterator<Item = (Relation, &'a Ref)> {
    let tag = |relation: Relation| move |r: &'a Ref| (relation, r);
    caused_by
        .iter()
        .map(tag(Relation::CausedBy))
        .chain(after.iter().map(tag(Relation::After)))
        .chain(before.iter().map(tag(Relation::Before)))
}

fn message(
    effect: &str,
    dates: &str,
    relation: Relation,
    other: &str,
    other_dates: &str,
) -> String {
    format!(
        "{effect} is dated {dates}, but {} is dated {other_dates}",
        relation.describe(other)
    )
}

const HELP: &str = "check both dates and the relation against the document; if the source says so wrongly, keep it as written and adjudicate the finding on the event";

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let events = &context.authority.events;
    // The source's dated claims by event, built only if some claim has a relation.
    let mut by_event: Option<HashMap<usize, Vec<(&Claim, Interval)>>> = None;
    for claim in &source.claims {
        if claim.caused_by.is_empty() && claim.after.is_empty() && claim.before.is_empty() {
            continue;
        }
        let (Some(dating), Some(date)) = (claim_dating(claim), &claim.date) else {
            continue;
        };
        let effect_days = dating.hull();
        let by_event = by_event.get_or_insert_with(|| {
            let mut map: HashMap<usize, Vec<(&Claim, Interval)>> =
                HashMap::with_capacity(source.claims.len());
            for other in &source.claims {
                if let (Some(event), Some(dating)) = (
                    other.event.as_ref().and_then(Ref::entry),
                    claim_dating(other),
                ) {
                    map.entry(event).or_default().push((other, dating.hull()));
                }
            }
            map
        });
        let event = claim_event(claim, context);
        for (relation, reference) in relations(&claim.caused_by, &claim.after, &claim.before) {
            let Some((other_index, other)) = reference
                .entry()
                .and_then(|i| events.get(i).map(|e| (i, e)))
            else {
                continue;
            };
            let own: Vec<&(&Claim, Interval)> = by_event
                .get(&other_index)
                .map(|claims| {
                    claims
                        .iter()
                        .filter(|(c, _)| c.index != claim.index)
                        .collect()
                })
                .unwrap_or_default();
            let found = if own.is_empty() {
                against_authority(effect_days, relation, other)
            } else {
                against_claims(source, effect_days, relation, &own)
            };
            let Some(found) = found else { continue };
            // Formatted only for a finding, not for every claim with a relation.
            let effect =
                event.map_or_else(|| "this event".to_owned(), |e| format!("`{}`", e.at.id));
            out.push(
                Diagnostic::new(
                    Rule::EffectBeforeCause,
                    message(
                        &effect,
                        &shown_claim(claim),
                        relation,
                        &other.at.id,
                        &found.1,
                    ),
                    at(&source.file, &date.pointer, "dated here"),
                )
                .with_related(found.0)
                .with_related(at(
                    &source.file,
                    &reference.pointer,
                    "the relation is stated here",
                ))
                .with_help(HELP)
                .about(event.map(|e| e.at.id.as_str()), [source_name(source)]),
            );
        }
    }
}

/// Against the authority's accepted date of `other`: the label on it, and its dates as shown.
fn against_authority(
    effect: Interval,
    relation: Relation,
    other: &Event,
) -> Option<(Label, String)> {
    let days = event_dating(other)?.hull();
    if !relation.broken(effect, days) {
        return None;
    }
    let date = other.date.as_ref()?;
    Some((
        at(
            &other.at.file,
            &date.pointer,
            format!("{}: its accepted date", relation.label()),
        ),
        format!("{} in the authority", shown_accepted(other)),
    ))
}

/// Against every dated claim of the same source about `other`: all must contradict. The label
/// goes on the closest one.
fn against_claims(
    source: &Source,
    effect: Interval,
    relation: Relation,
    claims: &[&(&Claim, Interval)],
) -> Option<(Label, String)> {
    if !claims
        .iter()
        .all(|(_, days)| relation.broken(effect, *days))
    {
        return None;
    }
    let closest = match relation {
        Relation::CausedBy | Relation::After => claims.iter().min_by_key(|(_, days)| days.earliest),
        Relation::Before => claims.iter().max_by_key(|(_, days)| days.latest),
    }?;
    let date = closest.0.date.as_ref()?;
    Some((
        at(
            &source.file,
            &date.pointer,
            format!("{}, as this source dates it", relation.label()),
        ),
        shown_claim(closest.0),
    ))
}

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let events = &context.authority.events;
    for event in events {
        let (Some(dating), Some(date)) = (event_dating(event), &event.date) else {
            continue;
        };
        let effect = format!("`{}`", event.at.id);
        let dates = shown_accepted(event);
        for (relation, reference) in relations(&event.caused_by, &event.after, &event.before) {
            let Some(other) = reference.entry().and_then(|i| events.get(i)) else {
                continue;
            };
            let (Some(other_dating), Some(other_date)) = (event_dating(other), &other.date) else {
                continue;
            };
            if !relation.broken(dating.hull(), other_dating.hull()) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Rule::EffectBeforeCause,
                    message(
                        &effect,
                        &dates,
                        relation,
                        &other.at.id,
                        &shown_accepted(other),
                    ),
                    at(&event.at.file, &date.pointer, "dated here"),
                )
                .with_related(at(&other.at.file, &other_date.pointer, relation.label()))
                .with_related(at(
                    &event.at.file,
                    &reference.pointer,
                    "the relation is stated here",
                ))
                .with_help("check both accepted dates and the relation")
                .about(Some(&event.at.id), Vec::<String>::new()),
            );
        }
    }
}
