//! `outside-period`: a claim's date falls outside the dataset's declared period.
//!
//! Each of a claim's `date` and `end` is compared on its own with `[dataset] period` in
//! `fasti.toml`; it is reported only when no day it allows lies within the period. A warning by
//! default: the usual cause is a mistyped year (`1493` for `1943`), but a source may rightly
//! recall an earlier event as background.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_normalize::dataset::Source;

use super::{at, claim_event, shown, source_name};
use crate::Context;

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some((period, period_days)) = &context.settings.period else {
        return;
    };
    for claim in &source.claims {
        for date in claim.date.iter().chain(&claim.end) {
            let Some(days) = date.interval() else {
                continue;
            };
            if !days.certainly_disjoint(*period_days) {
                continue;
            }
            let event = claim_event(claim, context).map(|e| e.at.id.as_str());
            out.push(
                Diagnostic::new(
                    Rule::OutsidePeriod,
                    format!(
                        "date {} is outside the dataset's period {period}",
                        shown(date)
                    ),
                    at(&source.file, &date.pointer, format!("outside {period}")),
                )
                .with_help("check the year for a typo; if the source really dates the event outside the period, add an `allow` for `outside-period` with the reason")
                .with_note("the period is set by `[dataset] period` in fasti.toml")
                .about(event, [source_name(source)]),
            );
        }
    }
}
