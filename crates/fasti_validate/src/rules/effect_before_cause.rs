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
use fasti_normalize::interval::{Dating, Interval};

use super::{
    at, claim_dating, claim_event, event_dating, shown_accepted, shown_claim, source_name,
};
use crate::Context;

#[derive(Clone, Copy)]
pub(super) enum Relation {
    CausedBy,
    After,
    Before,
}

impl Relation {
    /// Whether `effect` contradicts the relation to `other`, for every reading of both.
    pub(super) fn broken(self, effect: Interval, other: Interval) -> bool {
        match self {
            Relation::CausedBy | Relation::After => effect.certainly_before(other),
            Relation::Before => other.certainly_before(effect),
        }
    }

    /// Whether `effect` keeps the relation to `other` for every reading of both: the two share
    /// no day, in the stated order.
    fn holds(self, effect: Interval, other: Interval) -> bool {
        match self {
            Relation::CausedBy | Relation::After => other.certainly_before(effect),
            Relation::Before => effect.certainly_before(other),
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

    /// `was caused by`, `came after`, `came before`.
    pub(super) fn verb(self) -> &'static str {
        match self {
            Relation::CausedBy => "was caused by",
            Relation::After => "came after",
            Relation::Before => "came before",
        }
    }

    pub(super) fn label(self) -> &'static str {
        match self {
            Relation::CausedBy => "the cause",
            Relation::After => "the event it came after",
            Relation::Before => "the event it came before",
        }
    }
}

pub(super) fn relations<'a>(
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

/// Each relation a claim states whose other event is in the authority: the relation, its
/// reference, and the other event with its index.
pub(super) fn related<'a>(
    claim: &'a Claim,
    events: &'a [Event],
) -> impl Iterator<Item = (Relation, &'a Ref, usize, &'a Event)> {
    relations(&claim.caused_by, &claim.after, &claim.before).filter_map(
        move |(relation, reference)| {
            let index = reference.entry()?;
            Some((relation, reference, index, events.get(index)?))
        },
    )
}

/// Whether a claim states any relation.
pub(super) fn states_relation(claim: &Claim) -> bool {
    !(claim.caused_by.is_empty() && claim.after.is_empty() && claim.before.is_empty())
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

/// A source's dated claims by event: what the source itself says of the other end of a
/// relation. Built only for a source where some claim states a relation.
pub(super) struct OwnDates<'a> {
    by_event: HashMap<usize, Vec<(&'a Claim, Interval)>>,
}

impl<'a> OwnDates<'a> {
    pub(super) fn of(source: &'a Source) -> OwnDates<'a> {
        let mut by_event: HashMap<usize, Vec<(&Claim, Interval)>> =
            HashMap::with_capacity(source.claims.len());
        for other in &source.claims {
            if let (Some(event), Some(dating)) = (
                other.event.as_ref().and_then(Ref::entry),
                claim_dating(other),
            ) {
                by_event
                    .entry(event)
                    .or_default()
                    .push((other, dating.hull()));
            }
        }
        OwnDates { by_event }
    }

    /// The source's dated claims about `event`, other than `claim` itself.
    fn about(&self, event: usize, claim: &Claim) -> Vec<&(&'a Claim, Interval)> {
        self.by_event
            .get(&event)
            .map(|claims| {
                claims
                    .iter()
                    .filter(|(c, _)| c.index != claim.index)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// What a claim's own dating says of one relation it states, read against the same source's
/// dates of the other event, or the authority's when the source has none.
pub(super) enum Verdict {
    /// Certainly broken: a label on the other event's date, and that date as shown.
    Broken(Label, String),
    /// Certainly kept: the two share no day, in the stated order.
    Holds,
    /// The dates may overlap (or one of them is missing): they cannot decide.
    Undecided,
}

pub(super) fn judge(
    source: &Source,
    own: &OwnDates<'_>,
    claim: &Claim,
    relation: Relation,
    other_index: usize,
    other: &Event,
) -> Verdict {
    let Some(effect) = claim_dating(claim).map(Dating::hull) else {
        return Verdict::Undecided;
    };
    let claims = own.about(other_index, claim);
    if claims.is_empty() {
        against_authority(effect, relation, other)
    } else {
        against_claims(source, effect, relation, &claims)
    }
}

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let events = &context.authority.events;
    // Built only if some claim has a relation.
    let mut own: Option<OwnDates<'_>> = None;
    for claim in &source.claims {
        if !states_relation(claim) {
            continue;
        }
        let Some(date) = &claim.date else { continue };
        let own = own.get_or_insert_with(|| OwnDates::of(source));
        let event = claim_event(claim, context);
        for (relation, reference, other_index, other) in related(claim, events) {
            let Verdict::Broken(label, other_dates) =
                judge(source, own, claim, relation, other_index, other)
            else {
                continue;
            };
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
                        &other_dates,
                    ),
                    at(&source.file, &date.pointer, "dated here"),
                )
                .with_related(label)
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

/// Against the authority's accepted date of `other`.
fn against_authority(effect: Interval, relation: Relation, other: &Event) -> Verdict {
    let (Some(days), Some(date)) = (event_dating(other).map(Dating::hull), other.date.as_ref())
    else {
        return Verdict::Undecided;
    };
    if relation.holds(effect, days) {
        return Verdict::Holds;
    }
    if !relation.broken(effect, days) {
        return Verdict::Undecided;
    }
    Verdict::Broken(
        at(
            &other.at.file,
            &date.pointer,
            format!("{}: its accepted date", relation.label()),
        ),
        format!("{} in the authority", shown_accepted(other)),
    )
}

/// Against every dated claim of the same source about `other`: all must contradict for a
/// finding (the label goes on the closest one), all must keep it for the relation to hold.
fn against_claims(
    source: &Source,
    effect: Interval,
    relation: Relation,
    claims: &[&(&Claim, Interval)],
) -> Verdict {
    if claims.iter().all(|(_, days)| relation.holds(effect, *days)) {
        return Verdict::Holds;
    }
    if !claims
        .iter()
        .all(|(_, days)| relation.broken(effect, *days))
    {
        return Verdict::Undecided;
    }
    let closest = match relation {
        Relation::CausedBy | Relation::After => claims.iter().min_by_key(|(_, days)| days.earliest),
        Relation::Before => claims.iter().max_by_key(|(_, days)| days.latest),
    };
    let Some(((closest, _), Some(date))) = closest.map(|c| (c, c.0.date.as_ref())) else {
        return Verdict::Undecided;
    };
    Verdict::Broken(
        at(
            &source.file,
            &date.pointer,
            format!("{}, as this source dates it", relation.label()),
        ),
        shown_claim(closest),
    )
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
