//! `actor-not-alive`: a claim names a person as acting before birth or after death.
//!
//! The claim's whole extent is compared with the authority's `born` and `died`: the actor is
//! reported only when every day the claim allows is after the latest day `died` allows (or
//! before the earliest day `born` allows). Acting on the day of one's death is not reported.

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_normalize::dataset::{DateValue, Person, Source};

use super::{at, claim_dating, claim_event, shown, shown_claim, source_name};
use crate::Context;

fn diagnostic(
    source: &Source,
    text: &str,
    pointer: &str,
    person: &Person,
    claimed: &str,
    (word, date): (&str, &DateValue),
) -> Diagnostic {
    Diagnostic::new(
        Rule::ActorNotAlive,
        format!(
            "`{text}` (`{}`) is named as acting on {claimed}, but {word} on {}",
            person.at.id,
            shown(date)
        ),
        Label::new(source.file.clone(), Anchor::value(pointer)).with_message(format!("not alive on {claimed}")),
    )
    .with_related(at(&person.at.file, &date.pointer, format!("{} here", if word == "died" { "died" } else { "born" })))
    .with_help("check the actor and the date against the document; if the source names the wrong person, keep it as written and adjudicate the finding on the event")
}

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let people = &context.authority.people;
    for claim in &source.claims {
        if claim.actors.is_empty() {
            continue;
        }
        let Some(days) = claim_dating(claim).map(|dating| dating.hull()) else {
            continue;
        };
        let event = claim_event(claim, context).map(|e| e.at.id.as_str());
        for actor in &claim.actors {
            let Some(person) = actor.entry().and_then(|i| people.get(i)) else {
                continue;
            };
            // (the authority field, its date, what the actor was on the claim's dates)
            let died = person
                .died
                .as_ref()
                .filter(|died| died.interval().is_some_and(|d| d.certainly_before(days)))
                .map(|died| ("died", died, "dead"));
            let born = person
                .born
                .as_ref()
                .filter(|born| born.interval().is_some_and(|b| days.certainly_before(b)))
                .map(|born| ("born", born, "not yet born"));
            let Some((field, date, state)) = died.or(born) else {
                continue;
            };
            let mut found = diagnostic(
                source,
                &actor.text,
                &actor.pointer,
                person,
                &shown_claim(claim),
                (if field == "died" { "died" } else { "was born" }, date),
            );
            if let Some(claim_date) = &claim.date {
                found = found.with_related(at(
                    &source.file,
                    &claim_date.pointer,
                    format!("the event is dated here; the actor was {state} then"),
                ));
            }
            out.push(found.about(event, [source_name(source)]));
        }
    }
}
