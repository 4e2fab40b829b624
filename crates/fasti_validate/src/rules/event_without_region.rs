//! `event-without-region`: a claim lists places for an event that has no `region` in the
//! authority, so `place-outside-region` cannot check them.
//!
//! Reported once per event and source, at the first claim that lists places: silence here
//! would look like places that passed the check.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_normalize::dataset::Source;

use super::{at, claim_event};
use crate::Context;

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut reported: Vec<&str> = Vec::new();
    for claim in &source.claims {
        if claim.places.is_empty() {
            continue;
        }
        let Some(event) = claim_event(claim, context) else {
            continue;
        };
        if event.region.is_some() || reported.contains(&event.at.id.as_str()) {
            continue;
        }
        reported.push(&event.at.id);
        out.push(
            Diagnostic::new(
                Rule::EventWithoutRegion,
                format!(
                    "the places of `{}` cannot be checked: the event has no `region` in the authority",
                    event.at.id
                ),
                at(
                    &source.file,
                    &format!("{}/places", claim.pointer),
                    "these places are not checked",
                ),
            )
            .with_related(at(
                &event.at.file,
                &format!("{}/id", event.at.pointer),
                "this event has no `region`",
            ))
            .with_help(format!(
                "add `region:` to `{}` in `{}`: the place (from `authority/places.yaml`) that contains where it happened",
                event.at.id, event.at.file
            )),
        );
    }
}
