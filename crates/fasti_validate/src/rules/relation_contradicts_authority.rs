//! `relation-contradicts-authority`: a claim's `caused_by`, `after` or `before` that the
//! source's own dates cannot decide, and the authority's accepted dates contradict.
//!
//! `effect-before-cause` judges a relation by the source's own dates (or, for an event the source
//! does not date, the accepted one). When those may overlap (`Septiembre` for the effect, the
//! 8th to the 19th of September for the cause), or the claim has no date at all, it says
//! nothing. This rule then compares the accepted dates of both events. They are spans with a
//! known start, so the test is on starts: an effect cannot begin before its cause began, an event
//! that came after another cannot begin before that one began (and conversely for `before`).
//! A warning by default: the source's own words did not fix the dates that break the relation.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_normalize::dataset::{Claim, Event, Source};

use super::effect_before_cause::{OwnDates, Relation, Verdict, judge, related, states_relation};
use super::{at, claim_event, event_dating, shown_claim, source_name};
use crate::Context;

const HELP: &str = "check the relation against the document; if the source states it wrongly, keep it as written and adjudicate the finding on the event, with this rule and the source's id";

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let events = &context.authority.events;
    let mut own: Option<OwnDates<'_>> = None;
    for claim in &source.claims {
        if !states_relation(claim) {
            continue;
        }
        // Without an accepted date for the claim's own event there is nothing to compare.
        let Some((effect, effect_dating)) =
            claim_event(claim, context).and_then(|e| Some((e, event_dating(e)?)))
        else {
            continue;
        };
        let own = own.get_or_insert_with(|| OwnDates::of(source));
        for (relation, reference, other_index, other) in related(claim, events) {
            let Some(other_dating) = event_dating(other) else {
                continue;
            };
            if !relation.broken(effect_dating.start(), other_dating.start()) {
                continue;
            }
            // Only where the source's own dates leave the order open: when they decide it,
            // `effect-before-cause` reports a break, and a kept order is the source's to make.
            if !matches!(
                judge(source, own, claim, relation, other_index, other),
                Verdict::Undecided
            ) {
                continue;
            }
            out.push(finding(
                source,
                claim,
                relation,
                effect,
                other,
                &reference.pointer,
            ));
        }
    }
}

fn finding(
    source: &Source,
    claim: &Claim,
    relation: Relation,
    effect: &Event,
    other: &Event,
    relation_pointer: &str,
) -> Diagnostic {
    let own_dates = match &claim.date {
        Some(_) => format!("its own date, {},", shown_claim(claim)),
        None => "with no date of its own, it".to_owned(),
    };
    let order = match relation {
        Relation::CausedBy | Relation::After => "before",
        Relation::Before => "after",
    };
    let start = |event: &Event| event.date.as_ref().map_or("", |d| d.text.trim()).to_owned();
    let message = format!(
        "this source says `{}` {} `{}`; {own_dates} cannot decide the order, but the accepted dates do: `{}` began {}, {order} `{}` began {}",
        effect.at.id,
        relation.verb(),
        other.at.id,
        effect.at.id,
        start(effect),
        other.at.id,
        start(other),
    );
    let mut diagnostic = Diagnostic::new(
        Rule::RelationContradictsAuthority,
        message,
        at(
            &source.file,
            relation_pointer,
            format!("the source says it {} `{}`", relation.verb(), other.at.id),
        ),
    );
    if let Some(date) = &claim.date {
        diagnostic = diagnostic.with_related(at(
            &source.file,
            &date.pointer,
            "the source's date, which may fall on either side",
        ));
    }
    if let Some(date) = &effect.date {
        diagnostic = diagnostic.with_related(at(
            &effect.at.file,
            &date.pointer,
            "this event's accepted date",
        ));
    }
    if let Some(date) = &other.date {
        diagnostic = diagnostic.with_related(at(
            &other.at.file,
            &date.pointer,
            format!("{}: its accepted date", relation.label()),
        ));
    }
    diagnostic
        .with_help(HELP)
        .about(Some(&effect.at.id), [source_name(source)])
}
