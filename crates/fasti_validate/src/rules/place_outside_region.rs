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

/// The places a place lies within, for a message: the first few, then how many more up to the
/// top (a chain 40,000 places deep must not make a message of 40,000 ids).
fn path(authority: &Authority, place: usize) -> String {
    const SHOWN: usize = 5;
    let shown: Vec<String> = authority
        .ancestors(place)
        .skip(1)
        .take(SHOWN)
        .filter_map(|i| authority.places.get(i))
        .map(|p| format!("`{}`", p.at.id))
        .collect();
    let mut path = shown.join(" › ");
    if let Some((depth, top)) = authority.hierarchy().depth_and_top(place)
        && depth > SHOWN
        && let Some(top) = authority.places.get(top)
    {
        if depth > SHOWN + 1 {
            path.push_str(&format!(" › … ({} more)", depth - SHOWN - 1));
        }
        path.push_str(&format!(" › `{}`", top.at.id));
    }
    path
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
        let hierarchy = authority.hierarchy();
        if !hierarchy.is_complete(region) {
            continue;
        }
        let Some(region_place) = authority.places.get(region) else {
            continue;
        };
        for place in &claim.places {
            let Some(index) = place.entry() else {
                continue;
            };
            // Inside the region, or containing it; `None`: a chain that does not resolve, or
            // that loops (`reference-cycle` reports it), so the place might lie anywhere.
            let inside = hierarchy.contains(region, index);
            let around = hierarchy.contains(index, region);
            if inside != Some(false) || around != Some(false) {
                continue;
            }
            let Some(entry) = authority.places.get(index) else {
                continue;
            };
            let within = path(authority, index);
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
