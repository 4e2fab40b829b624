//! `contradicts-authority`: a source dates an event where the authority's accepted date cannot be.
//!
//! A claim's `date` is when the event happened or, for an event that lasts, when it began (the
//! contract in `schema/source.schema.json`): a single date contradicts the authority when it is
//! certainly apart from the accepted `date` (for a lasting event, its start; `princípio de 1944`
//! for a campaign accepted as beginning on 1943-07-10). A claim that gives a span (an `end`, or
//! an interval such as `1943-09-03/1945-05-02`) contradicts it when it shares no day with the
//! accepted interval, or when its start is certainly apart from the accepted start, or its end
//! from the accepted end. `tolerance-days` in `fasti.toml` allows that many days of difference.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_normalize::dataset::{DateValue, Event, Source};
use fasti_normalize::interval::{Dating, Part};

use super::{
    at, claim_dating, claim_event, event_dating, shown_accepted, shown_claim, source_name,
};
use crate::Context;

/// The authority's date field a part is compared with.
fn accepted_field(event: &Event, part: Part) -> Option<&DateValue> {
    match part {
        Part::End => event.end.as_ref().or(event.date.as_ref()),
        Part::Whole | Part::Start => event.date.as_ref(),
    }
}

fn message(id: &str, claimed: &str, accepted: &str, part: Part) -> String {
    match part {
        Part::Whole => {
            format!(
                "this source dates `{id}` {claimed}; the authority's accepted date is {accepted}"
            )
        }
        Part::Start => format!(
            "this source has `{id}` begin {claimed}; the authority's accepted start is {accepted}"
        ),
        Part::End => format!(
            "this source has `{id}` end {claimed}; the authority's accepted end is {accepted}"
        ),
    }
}

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let tolerance = context.settings.tolerance_days(Rule::ContradictsAuthority);
    for claim in &source.claims {
        let Some(event) = claim_event(claim, context) else {
            continue;
        };
        let (Some(claimed), Some(accepted)) = (claim_dating(claim), event_dating(event)) else {
            continue;
        };
        let part = match claimed {
            // A single date of a lasting event is its start.
            Dating::Within(date) if event.end.is_some() => date
                .certainly_apart(accepted.start(), tolerance)
                .then_some(Part::Start),
            _ => claimed.certainly_differs(accepted, tolerance),
        };
        let Some(part) = part else {
            continue;
        };
        let (Some(field), Some(date)) = (accepted_field(event, part), &claim.date) else {
            continue;
        };
        let (accepted_text, claimed_field) = match part {
            Part::Whole => (shown_accepted(event), date),
            Part::Start => (split(&field.text).0.to_owned(), date),
            Part::End => (
                split(&field.text).1.to_owned(),
                claim
                    .end
                    .as_ref()
                    .filter(|end| end.value.is_ok())
                    .unwrap_or(date),
            ),
        };
        out.push(
            Diagnostic::new(
                Rule::ContradictsAuthority,
                message(&event.at.id, &shown_claim(claim), &accepted_text, part),
                at(&source.file, &claimed_field.pointer, "this source's date"),
            )
            .with_related(at(
                &event.at.file,
                &field.pointer,
                format!("the accepted date of `{}`", event.at.id),
            ))
            .with_help("check the date against the document; if the source is wrong, or reads the event by another convention, keep its date as written and record the decision as an adjudication on the event")
            .about(Some(&event.at.id), [source_name(source)]),
        );
    }
}

/// The two halves of an EDTF interval as written (`1943-07-10/1943-08-17`), or the text twice.
fn split(text: &str) -> (&str, &str) {
    let text = text.trim();
    text.split_once('/').unwrap_or((text, text))
}
