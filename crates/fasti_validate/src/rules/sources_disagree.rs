//! `sources-disagree`: two sources give dates for one event that cannot both be right.
//!
//! Claims are grouped by event; within an event, each pair of sources is compared once. Two
//! claims disagree only when they share no day, from the start of `date` to the end of `end`:
//! `January to May 1944` and `fevereiro/maio` (February to May) overlap, so they do not
//! disagree here, though their starts differ; each is compared with the accepted start by
//! `contradicts-authority`. `tolerance-days` in `fasti.toml` allows that many days between them.
//!
//! For each source only its extreme claims matter (the one that ends earliest, the one that
//! begins latest), so an event with many claims costs one pass over them plus one comparison
//! per pair of sources; at most [`MAX_PAIRS_PER_EVENT`] pairs are reported per event.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_normalize::date::Day;
use fasti_normalize::interval::Interval;

use super::at;
use crate::{ClaimSummary, Context, SourceSummary};

/// The most pairs of sources reported about one event; the rest are summed up in a note.
const MAX_PAIRS_PER_EVENT: usize = 100;

/// One side of a comparison: the claim that ends earliest and the one that begins latest.
#[derive(Clone, Copy, Default)]
struct Side {
    min_latest: Option<(Day, usize)>,
    max_earliest: Option<(Day, usize)>,
}

impl Side {
    fn add(&mut self, days: Interval, claim: usize) {
        if let Some(latest) = days.latest
            && self.min_latest.is_none_or(|(day, _)| latest < day)
        {
            self.min_latest = Some((latest, claim));
        }
        if let Some(earliest) = days.earliest
            && self.max_earliest.is_none_or(|(day, _)| earliest > day)
        {
            self.max_earliest = Some((earliest, claim));
        }
    }

    /// Claims `(of self, of other)` certainly more than `tolerance` days apart, if any.
    fn apart(&self, other: &Side, tolerance: u32) -> Option<(usize, usize)> {
        let gap = |latest: Day, earliest: Day| {
            earliest.days_since_epoch() - latest.days_since_epoch() > i64::from(tolerance)
        };
        if let (Some((latest, mine)), Some((earliest, theirs))) =
            (self.min_latest, other.max_earliest)
            && gap(latest, earliest)
        {
            return Some((mine, theirs));
        }
        if let (Some((latest, theirs)), Some((earliest, mine))) =
            (other.min_latest, self.max_earliest)
            && gap(latest, earliest)
        {
            return Some((mine, theirs));
        }
        None
    }
}

/// A source's claims about one event.
struct Extremes {
    source: usize,
    side: Side,
}
fn message(event: &str, says: [(&str, &str); 2]) -> String {
    let [(a, a_says), (b, b_says)] = says;
    format!("sources disagree on the date of `{event}`: `{a}` says {a_says}, `{b}` says {b_says}")
}

pub(super) fn check(summaries: &[SourceSummary], context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let tolerance = context.settings.tolerance_days(Rule::SourcesDisagree);
    // Sources in file order, so that pairs and their labels come out the same every run.
    let mut order: Vec<usize> = (0..summaries.len()).collect();
    order.sort_by(|&a, &b| summaries[a].file.cmp(&summaries[b].file));
    let events = &context.authority.events;
    // Claims grouped by event, each group in source order: a counting sort, since events are
    // dense indices. (A map of groups was most of this rule's time at a million claims.)
    let mut starts = vec![0_usize; events.len() + 1];
    for summary in summaries {
        for claim in summary
            .claims
            .iter()
            .filter(|c| (c.event as usize) < events.len())
        {
            starts[claim.event as usize] += 1;
        }
    }
    let mut total = 0;
    for start in &mut starts {
        (*start, total) = (total, total + *start);
    }
    let mut next = starts.clone();
    let mut grouped = vec![(0, 0); starts[events.len()]];
    for &source in &order {
        for (claim, summary) in summaries[source].claims.iter().enumerate() {
            let event = summary.event as usize;
            if event < events.len() {
                grouped[next[event]] = (source, claim);
                next[event] += 1;
            }
        }
    }
    for (event, bounds) in events.iter().zip(starts.windows(2)) {
        let members = grouped[bounds[0]..bounds[1]].iter().copied();
        // Members are in source order, so each source's claims are contiguous.
        let mut sources: Vec<Extremes> = Vec::new();
        for (source, claim) in members {
            if sources.last().is_none_or(|last| last.source != source) {
                sources.push(Extremes {
                    source,
                    side: Side::default(),
                });
            }
            if let (Some(last), Some(summary)) =
                (sources.last_mut(), summaries[source].claims.get(claim))
            {
                last.side.add(summary.dating.hull(), claim);
            }
        }
        if sources.len() < 2 {
            continue;
        }
        let mut reported = 0;
        let mut left_out = 0;
        for (i, first) in sources.iter().enumerate() {
            for second in &sources[i + 1..] {
                let Some((a, b)) = first.side.apart(&second.side, tolerance) else {
                    continue;
                };
                if reported == MAX_PAIRS_PER_EVENT {
                    left_out += 1;
                    continue;
                }
                let (source_a, source_b) = (&summaries[first.source], &summaries[second.source]);
                let (Some(claim_a), Some(claim_b)) =
                    (source_a.claims.get(a), source_b.claims.get(b))
                else {
                    continue;
                };
                out.push(diagnostic(
                    &event.at.id,
                    (source_a, claim_a),
                    (source_b, claim_b),
                ));
                reported += 1;
            }
        }
        if left_out > 0
            && let Some(last) = out.last_mut()
        {
            last.notes.push(format!(
                "{left_out} more pairs of sources disagree about `{}`; only the first {MAX_PAIRS_PER_EVENT} are reported",
                event.at.id
            ));
        }
    }
}

fn diagnostic(
    event: &str,
    (source_a, claim_a): (&SourceSummary, &ClaimSummary),
    (source_b, claim_b): (&SourceSummary, &ClaimSummary),
) -> Diagnostic {
    let (a, b) = (source_a.name(), source_b.name());
    Diagnostic::new(
        Rule::SourcesDisagree,
        message(event, [(a, &claim_a.shown), (b, &claim_b.shown)]),
        at(&source_a.file, &claim_a.pointer(false), format!("`{a}` says {}", claim_a.shown)),
    )
    .with_related(at(&source_b.file, &claim_b.pointer(false), format!("`{b}` says {}", claim_b.shown)))
    .with_help("check both dates against their documents, then record which is right (or that both readings stand) as an adjudication on the event that lists both sources")
    .about(Some(event), [a, b])
}
