//! `timeline-out-of-order`: claims not listed in the order the source declares.
//!
//! Chronological sources must list claims by date: a claim is out of order when it is certainly
//! earlier than a claim listed before it (an imprecise date that may fall either side is not).
//! Narrative sources must list claims by locator (`¶2` before `¶5`), the order in which relative
//! dates are read.

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_ingest::model::Order;
use fasti_normalize::dataset::{Claim, Source};
use fasti_normalize::date::Day;

use crate::Context;

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    match source.order {
        Order::Chronological => chronological(source, out),
        Order::Narrative => narrative(source, out),
    }
}

fn chronological(source: &Source, out: &mut Vec<Diagnostic>) {
    // The claim listed so far whose earliest day is the latest: a later claim that ends before
    // that day is certainly out of order.
    let mut latest_start: Option<(Day, &Claim)> = None;
    for claim in &source.claims {
        let (Some(interval), Some(date)) = (
            super::claim_dating(claim).map(|dating| dating.hull()),
            claim.date.as_ref(),
        ) else {
            continue;
        };
        if let (Some((start, earlier)), Some(end)) = (latest_start, interval.latest)
            && end < start
        {
            {
                let earlier_date = earlier.date.as_ref().map_or("", |d| d.text.as_str());
                out.push(
                    Diagnostic::new(
                        Rule::TimelineOutOfOrder,
                        format!("`{}` is listed after `{earlier_date}` but is earlier", date.text),
                        Label::new(source.file.clone(), Anchor::value(date.pointer.clone())).with_message("listed here"),
                    )
                    .with_related(
                        Label::new(source.file.clone(), Anchor::value(format!("{}/date", earlier.pointer)))
                            .with_message("later date listed before it"),
                    )
                    .with_help("move the event to its place by date, or declare `order: narrative` if the source tells events out of date order"),
                );
                continue;
            }
        }
        if let Some(start) = interval.earliest
            && latest_start.is_none_or(|(max, _)| start > max)
        {
            latest_start = Some((start, claim));
        }
    }
}

fn narrative(source: &Source, out: &mut Vec<Diagnostic>) {
    let mut furthest: Option<(Vec<u64>, &Claim)> = None;
    for claim in &source.claims {
        let Some(locator) = claim.locator.as_deref() else {
            continue;
        };
        let key = locator_key(locator);
        if key.is_empty() {
            continue;
        }
        if let Some((max, earlier)) = &furthest
            && key < *max
        {
            {
                let earlier_locator = earlier.locator.as_deref().unwrap_or("");
                out.push(
                    Diagnostic::new(
                        Rule::TimelineOutOfOrder,
                        format!("event at `{locator}` is listed after the event at `{earlier_locator}`, but the source tells it earlier"),
                        Label::new(source.file.clone(), Anchor::value(format!("{}/locator", claim.pointer))).with_message("listed here"),
                    )
                    .with_related(
                        Label::new(source.file.clone(), Anchor::value(format!("{}/locator", earlier.pointer)))
                            .with_message("later passage listed before it"),
                    )
                    .with_help("list the events in the order the document tells them (the order relative dates are read in)"),
                );
                continue;
            }
        }
        if furthest.as_ref().is_none_or(|(max, _)| key > *max) {
            furthest = Some((key, claim));
        }
    }
}

/// The numbers of a locator, in order: `¶3` → [3], `p. 12, n. 4` → [12, 4], `fol. 12r` → [12].
fn locator_key(locator: &str) -> Vec<u64> {
    locator
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .filter_map(|part| part.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::locator_key;

    #[test]
    fn locators_compare_by_their_numbers() {
        assert_eq!(locator_key("¶3"), [3]);
        assert_eq!(locator_key("S12"), [12]);
        assert!(locator_key("¶10") > locator_key("¶9"));
        assert!(locator_key("p. 12, n. 4") < locator_key("p. 13"));
        assert!(locator_key("sin número").is_empty());
    }
}
