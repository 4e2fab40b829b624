//! `place-outside-region`: a claim lists a place that lies outside its event's region.
//!
//! Places are compared through the authority's `within` hierarchy: a place inside the event's
//! `region` (Messina for an event in Sicily) or containing it (Italy for an event in Sicily) is
//! fine. A place is reported only when it is neither, and both chains of `within` are complete;
//! names that do not resolve are left to `unknown-reference` and `ambiguous-name`.

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_normalize::dataset::{Authority, Source};

use super::{at, claim_event, source_name};
use crate::Context;

/// The chain from `place` up to the top, or `None` when a `within` on the way does not resolve
/// (the place might then lie anywhere).
fn chain(authority: &Authority, place: usize) -> Option<Vec<usize>> {
    let chain = authority.ancestors(place);
    let top = authority.places.get(*chain.last()?)?;
    match &top.within {
        Some(parent) if parent.entry().is_none() => None,
        _ => Some(chain),
    }
}

fn path(authority: &Authority, chain: &[usize]) -> String {
    chain
        .iter()
        .skip(1)
        .filter_map(|&i| authority.places.get(i))
        .map(|p| format!("`{}`", p.at.id))
        .collect::<Vec<_>>()
        .join(" › ")
}

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let authority = context.authority;
    for claim in &source.claims {
        if claim.places.is_empty() {
            continue;
        }
        let Some(event) = claim_event(claim, context) else {
            continue;
        };
        let Some(region_ref) = &event.region else {
            continue;
        };
        let Some(region) = region_ref.entry() else {
            continue;
        };
        let Some(region_chain) = chain(authority, region) else {
            continue;
        };
        let Some(region_place) = authority.places.get(region) else {
            continue;
        };
        for place in &claim.places {
            let Some(index) = place.entry() else {
                continue;
            };
            if region_chain.contains(&index) {
                continue;
            }
            let Some(place_chain) = chain(authority, index) else {
                continue;
            };
            if place_chain.contains(&region) {
                continue;
            }
            let Some(entry) = authority.places.get(index) else {
                continue;
            };
            let within = path(authority, &place_chain);
            let located = if within.is_empty() {
                format!("`{}`", entry.at.id)
            } else {
                format!("`{}`, within {within}", entry.at.id)
            };
            out.push(
                Diagnostic::new(
                    Rule::PlaceOutsideRegion,
                    format!(
                        "`{}` ({located}) is not in `{}`, the region of `{}`",
                        place.text, region_place.at.id, event.at.id
                    ),
                    Label::new(source.file.clone(), Anchor::value(place.pointer.clone()))
                        .with_message(format!("outside `{}`", region_place.at.id)),
                )
                .with_related(at(
                    &event.at.file,
                    &region_ref.pointer,
                    format!("`{}` took place in `{}`", event.at.id, region_place.at.id),
                ))
                .with_help("check the place against the document; if the source names a wrong place, keep it as written and adjudicate the finding on the event; if the region is too narrow, widen it in authority/events.yaml")
                .about(Some(&event.at.id), [source_name(source)]),
            );
        }
    }
}
