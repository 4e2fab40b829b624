//! `duplicate-claim`: a source lists the same claim twice: the same event, the same date (and
//! end) as written, at the same locator.
//!
//! Usually a copy-and-paste slip. It is not harmless: every rule that counts a source's claims
//! (a disagreement between sources, the order of a timeline) sees the claim twice.

// foldhash rather than SipHash: a map per source.
use foldhash::{HashMap, HashMapExt};

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_normalize::dataset::{Claim, Source};

use super::at;
use crate::Context;

/// What makes two claims the same: the event and the dates as written, and the locator.
fn key(claim: &Claim) -> Option<(&str, &str, &str, &str)> {
    let event = claim.event.as_ref()?.text.as_str();
    let date = claim.date.as_ref().map_or("", |d| d.text.trim());
    let end = claim.end.as_ref().map_or("", |d| d.text.trim());
    let locator = claim.locator.as_deref().unwrap_or("").trim();
    Some((event, date, end, locator))
}

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<(&str, &str, &str, &str), &Claim> =
        HashMap::with_capacity(source.claims.len());
    for claim in &source.claims {
        let Some(key) = key(claim) else { continue };
        let Some(earlier) = first.get(&key) else {
            first.insert(key, claim);
            continue;
        };
        let (event, date, _, locator) = key;
        let (Some(event_ref), Some(earlier_event)) = (&claim.event, &earlier.event) else {
            continue;
        };
        let at_locator = if locator.is_empty() {
            String::new()
        } else {
            format!(" at `{locator}`")
        };
        let dated = if date.is_empty() {
            String::new()
        } else {
            format!(" `{date}`")
        };
        out.push(
            Diagnostic::new(
                Rule::DuplicateClaim,
                format!(
                    "event {} repeats event {}: `{event}`{dated}{at_locator} is claimed twice",
                    claim.index + 1,
                    earlier.index + 1
                ),
                at(&source.file, &event_ref.pointer, "claimed again here"),
            )
            .with_related(at(&source.file, &earlier_event.pointer, "first claimed here"))
            .with_help("remove one of the two; if the document tells the event twice, give each its own locator"),
        );
    }
}
