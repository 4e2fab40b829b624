//! `sources-disagree`: two sources give dates for one event that cannot both be right.
//!
//! Claims are grouped by event; within an event, each pair of sources is compared once. Two
//! claims disagree only when they share no day, from the start of `date` to the end of `end`:
//! `January to May 1944` and `fevereiro/maio` (February to May) overlap, so they do not
//! disagree here, though their starts differ; each is compared with the accepted start by
//! `contradicts-authority`. `tolerance-days` in `fasti.toml` allows that many days between them.
//!
//! For each source only its extreme claims matter (the one that ends earliest, the one that
//! begins latest), so an event with many claims costs one pass over them. Sources are not
//! compared pair by pair: a source that disagrees with none after it is passed over in one
//! comparison with the extremes of all of them, and at most [`MAX_PAIRS_PER_EVENT`] pairs are
//! reported per event; the pairs left out are counted by a sweep, in O(n log n). So 200,000
//! sources reporting one event cost a few passes, not 20 billion comparisons.

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

impl Side {
    /// The side that says the most of both: the earliest end and the latest start of the two.
    fn widened(&self, other: &Side) -> Side {
        let min_latest = match (self.min_latest, other.min_latest) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
        let max_earliest = match (self.max_earliest, other.max_earliest) {
            (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
            (a, b) => a.or(b),
        };
        Side {
            min_latest,
            max_earliest,
        }
    }
}

/// How many pairs of `sources` are [`Side::apart`], without comparing every pair: O(n log n).
///
/// Two sources agree when neither ends (plus the tolerance) before the other starts: with
/// `a = earliest end + tolerance` and `b = latest start`, when `b₂ ≤ a₁` and `b₁ ≤ a₂`. Sweeping
/// the sources by `a` while adding them by `b`, a Fenwick tree over the `a` of those added
/// counts, for each source, the others that agree with it. Hand-written: a dozen lines, and no
/// crate in the workspace offers one.
fn disagreeing_pairs(sources: &[Extremes], tolerance: u32) -> u64 {
    let n = sources.len();
    let a_of = |side: &Side| {
        side.min_latest.map_or(i64::MAX, |(day, _)| {
            day.days_since_epoch().saturating_add(i64::from(tolerance))
        })
    };
    let b_of = |side: &Side| {
        side.max_earliest
            .map_or(i64::MIN, |(day, _)| day.days_since_epoch())
    };
    let points: Vec<(i64, i64)> = sources
        .iter()
        .map(|s| (a_of(&s.side), b_of(&s.side)))
        .collect();
    let mut by_a: Vec<usize> = (0..n).collect();
    by_a.sort_by_key(|&i| points[i].0);
    let mut by_b: Vec<usize> = (0..n).collect();
    by_b.sort_by_key(|&i| points[i].1);
    // Rank of each source's `a` among all (ties share the lowest rank).
    let sorted_a: Vec<i64> = by_a.iter().map(|&i| points[i].0).collect();
    let mut tree = vec![0_u64; n + 1];
    let mut added = 0;
    let mut agreeing = 0_u64;
    for &i in &by_a {
        let (a, b) = points[i];
        while added < n && points[by_b[added]].1 <= a {
            let rank = sorted_a.partition_point(|&x| x < points[by_b[added]].0);
            let mut k = rank + 1;
            while k <= n {
                tree[k] += 1;
                k += k & k.wrapping_neg();
            }
            added += 1;
        }
        // Added sources whose `a` is at least this one's `b`: all added, less those below `b`.
        let below = sorted_a.partition_point(|&x| x < b);
        let mut k = below;
        let mut count_below = 0;
        while k > 0 {
            count_below += tree[k];
            k -= k & k.wrapping_neg();
        }
        agreeing += added as u64 - count_below;
        // A source agrees with itself when its own start is not after its own end.
        if b <= a {
            agreeing -= 1;
        }
    }
    let pairs = n as u64 * (n as u64 - 1) / 2;
    pairs - agreeing / 2
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
        // The most any later source could say against each source: the latest start and the
        // earliest end among the sources after it. A source with no disagreement with any of
        // them is passed over at once, so an event reported by 200,000 sources that agree costs
        // one pass, not 20 billion comparisons; each source that is scanned gives a finding.
        let mut later = vec![Side::default(); sources.len() + 1];
        for i in (0..sources.len()).rev() {
            later[i] = later[i + 1].widened(&sources[i].side);
        }
        let mut reported = 0;
        for (i, first) in sources.iter().enumerate() {
            if reported == MAX_PAIRS_PER_EVENT {
                break;
            }
            if first.side.apart(&later[i + 1], tolerance).is_none() {
                continue;
            }
            for second in &sources[i + 1..] {
                if reported == MAX_PAIRS_PER_EVENT {
                    break;
                }
                let Some((a, b)) = first.side.apart(&second.side, tolerance) else {
                    continue;
                };
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
        if reported == MAX_PAIRS_PER_EVENT {
            let left_out = disagreeing_pairs(&sources, tolerance) - reported as u64;
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Sides from a small deterministic stream: days in one month, some sides missing an end or
    /// a start, some inconsistent in themselves (a start after the end).
    fn sides(seed: u64, n: usize) -> Vec<Extremes> {
        let mut state = seed;
        let mut next = move |m: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        (0..n)
            .map(|source| {
                let day = |d: u64| Day::from_ymd(1943, 7, u8::try_from(d + 1).unwrap()).unwrap();
                let mut side = Side::default();
                if next(5) > 0 {
                    side.min_latest = Some((day(next(28)), 0));
                }
                if next(5) > 0 {
                    side.max_earliest = Some((day(next(28)), 0));
                }
                Extremes { source, side }
            })
            .collect()
    }

    #[test]
    fn the_sweep_counts_what_comparing_every_pair_counts() {
        for seed in 0..200 {
            let sources = sides(seed, (seed % 40) as usize + 2);
            for tolerance in [0, 1, 5] {
                let mut pairs = 0;
                for (i, a) in sources.iter().enumerate() {
                    for b in &sources[i + 1..] {
                        pairs += u64::from(a.side.apart(&b.side, tolerance).is_some());
                    }
                }
                assert_eq!(
                    disagreeing_pairs(&sources, tolerance),
                    pairs,
                    "seed {seed}, tolerance {tolerance}"
                );
            }
        }
    }
}
