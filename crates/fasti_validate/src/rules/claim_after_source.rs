//! `claim-after-source`: a source reports an event dated after its own publication.
//!
//! Fires when the earliest day the claim allows is after the latest day `published` allows: a
//! book published in `1944` may report an event of `December 1944`, not one of `1945-04-28`.
//! An event that began before publication and went on after it is not reported.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_normalize::dataset::Source;

use super::{at, claim_dating, claim_event, shown, shown_claim, source_name};
use crate::Context;

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(published) = &source.published else {
        return;
    };
    let Some(published_days) = published.interval() else {
        return;
    };
    for claim in &source.claims {
        let (Some(dating), Some(date)) = (claim_dating(claim), &claim.date) else {
            continue;
        };
        if !published_days.certainly_before(dating.hull()) {
            continue;
        }
        let event = claim_event(claim, context).map(|e| e.at.id.as_str());
        let what = event.map_or_else(|| "this event".to_owned(), |id| format!("`{id}`"));
        out.push(
            Diagnostic::new(
                Rule::ClaimAfterSource,
                format!(
                    "{what} is dated {}, after the source was published ({})",
                    shown_claim(claim),
                    shown(published)
                ),
                at(&source.file, &date.pointer, "dated after publication"),
            )
            .with_related(at(&source.file, &published.pointer, "published here"))
            .with_help("check the date and the source's `published` against the document: a year is probably mistyped, or the document is a later edition")
            .about(event, [source_name(source)]),
        );
    }
}
