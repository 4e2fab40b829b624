//! Reasoning over uncertain dates.
//!
//! Every date is an interval of days `[earliest, latest]`; an open or unknown end is unbounded.
//! The comparisons answer "is this *certainly* so, for every reading of both dates?": a rule that
//! reports an error on them never fires on a mere possibility (`1943` is not before `1943-07`).

use crate::date::{Bound, Context, Day, Lang, NormalizedDate, Precision, normalize};

/// The days a date may denote. `None` for an end means unbounded on that side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interval {
    pub earliest: Option<Day>,
    pub latest: Option<Day>,
}

impl Interval {
    pub fn of(date: &NormalizedDate) -> Interval {
        Interval {
            earliest: day(date.earliest),
            latest: day(date.latest),
        }
    }

    /// From the start of `start` to the end of `end`: an event given with a start and an end.
    pub fn spanning(start: &NormalizedDate, end: Option<&NormalizedDate>) -> Interval {
        let latest = match end {
            Some(end) => day(end.latest),
            None => day(start.latest),
        };
        Interval {
            earliest: day(start.earliest),
            latest,
        }
    }

    /// Every day of `self` is before every day of `other`.
    pub fn certainly_before(self, other: Interval) -> bool {
        matches!((self.latest, other.earliest), (Some(a), Some(b)) if a < b)
    }

    /// No day belongs to both: the two dates cannot denote the same moment.
    pub fn certainly_disjoint(self, other: Interval) -> bool {
        self.certainly_before(other) || other.certainly_before(self)
    }

    /// The number of days from the end of `self` to the start of `other` (positive when `other`
    /// is later), when both are bounded there.
    pub fn gap_days(self, other: Interval) -> Option<i64> {
        Some(other.earliest?.days_since_epoch() - self.latest?.days_since_epoch())
    }

    /// Every day of `self` is more than `tolerance` days before every day of `other`.
    /// With a tolerance of 0 this is [`Interval::certainly_before`].
    pub fn certainly_before_by(self, other: Interval, tolerance: u32) -> bool {
        self.gap_days(other)
            .is_some_and(|gap| gap > i64::from(tolerance))
    }

    /// More than `tolerance` days lie between the two, whichever comes first.
    pub fn certainly_apart(self, other: Interval, tolerance: u32) -> bool {
        self.certainly_before_by(other, tolerance) || other.certainly_before_by(self, tolerance)
    }

    /// The latest day comes before the earliest: a record whose end is certainly before its
    /// start. No reading of it exists, so rules other than `end-before-start` skip it.
    pub fn is_reversed(self) -> bool {
        matches!((self.earliest, self.latest), (Some(a), Some(b)) if b < a)
    }
}

/// What a record says of an event's extent in time.
///
/// A single date (`July 1943`) says only that the event happened, or was under way, within it:
/// nothing certain about where the event began or ended. A span (a `date` with an `end`, or an
/// EDTF interval such as `1943-07-09/1943-08-17`) says when it began and when it ended, each
/// with its own uncertainty; so two spans can certainly disagree about the start even when they
/// overlap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dating {
    Within(Interval),
    Span { start: Interval, end: Interval },
}

/// Which part of two datings certainly differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// No day is common to the two.
    Whole,
    /// Both are spans, and they begin on certainly different days.
    Start,
    /// Both are spans, and they end on certainly different days.
    End,
}

impl Dating {
    /// What a source's claim says: a span when it gives an end or its date is an interval,
    /// else a single date.
    pub fn claimed(date: &NormalizedDate, end: Option<&NormalizedDate>) -> Dating {
        match end {
            Some(end) => Dating::Span {
                start: start_of(date),
                end: end_of(end),
            },
            None if date.precision == Precision::Interval => Dating::Span {
                start: start_of(date),
                end: end_of(date),
            },
            None => Dating::Within(Interval::of(date)),
        }
    }

    /// What the authority accepts: always a span; without an `end`, the event begins and ends
    /// within its `date`.
    pub fn accepted(date: &NormalizedDate, end: Option<&NormalizedDate>) -> Dating {
        Dating::Span {
            start: start_of(date),
            end: end_of(end.unwrap_or(date)),
        }
    }

    /// Every day the event may touch: from the earliest start to the latest end.
    pub fn hull(self) -> Interval {
        match self {
            Dating::Within(interval) => interval,
            Dating::Span { start, end } => Interval {
                earliest: start.earliest,
                latest: end.latest,
            },
        }
    }

    /// The days the event may begin on (for a single date, the date itself).
    pub fn start(self) -> Interval {
        match self {
            Dating::Within(interval) => interval,
            Dating::Span { start, .. } => start,
        }
    }

    /// The days the event may end on (for a single date, the date itself).
    pub fn end(self) -> Interval {
        match self {
            Dating::Within(interval) => interval,
            Dating::Span { end, .. } => end,
        }
    }

    pub fn is_span(self) -> bool {
        matches!(self, Dating::Span { .. })
    }

    /// Whether the two cannot both be right, for every reading of their dates, allowing
    /// `tolerance` days of difference; and if so, which part shows it. A single date only
    /// conflicts with what it cannot overlap; two spans also conflict when their starts, or
    /// their ends, are certainly apart.
    pub fn certainly_differs(self, other: Dating, tolerance: u32) -> Option<Part> {
        if self.hull().certainly_apart(other.hull(), tolerance) {
            return Some(Part::Whole);
        }
        let (Dating::Span { start: s1, end: e1 }, Dating::Span { start: s2, end: e2 }) =
            (self, other)
        else {
            return None;
        };
        if s1.certainly_apart(s2, tolerance) {
            Some(Part::Start)
        } else if e1.certainly_apart(e2, tolerance) {
            Some(Part::End)
        } else {
            None
        }
    }

    /// Whether `self` certainly does not lie within `parent`: no day in common, or (for a span)
    /// it certainly begins before the parent begins or ends after the parent ends.
    pub fn certainly_outside(self, parent: Dating) -> Option<Part> {
        if self.hull().certainly_disjoint(parent.hull()) {
            return Some(Part::Whole);
        }
        let Dating::Span { start, end } = self else {
            return None;
        };
        if start.certainly_before(parent.start()) {
            Some(Part::Start)
        } else if parent.end().certainly_before(end) {
            Some(Part::End)
        } else {
            None
        }
    }
}

/// The days an interval value may begin on: its first half (`1943-06` of `1943-06/1943-08`).
/// Anything else, or a half that is open or unknown, gives the whole value: wider is safe.
fn start_of(date: &NormalizedDate) -> Interval {
    let whole = Interval::of(date);
    match halves(date) {
        Some((Some(first), _)) => Interval {
            earliest: whole.earliest,
            latest: first.latest.or(whole.latest),
        },
        _ => whole,
    }
}

/// The days an interval value may end on: its second half.
fn end_of(date: &NormalizedDate) -> Interval {
    let whole = Interval::of(date);
    match halves(date) {
        Some((_, Some(second))) => Interval {
            earliest: second.earliest.or(whole.earliest),
            latest: whole.latest,
        },
        _ => whole,
    }
}

/// The two halves of an interval value, each read on its own when it is a date.
fn halves(date: &NormalizedDate) -> Option<(Option<Interval>, Option<Interval>)> {
    if date.precision != Precision::Interval {
        return None;
    }
    let (first, second) = date.edtf.split_once('/')?;
    if second.contains('/') {
        return None;
    }
    let read = |half: &str| {
        normalize(half, Lang::Edtf, &Context::default())
            .ok()
            .map(|value| Interval::of(&value))
    };
    Some((read(first), read(second)))
}

fn day(bound: Bound) -> Option<Day> {
    bound.day()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(a: (i32, u8, u8), b: (i32, u8, u8)) -> Interval {
        Interval {
            earliest: Day::from_ymd(a.0, a.1, a.2),
            latest: Day::from_ymd(b.0, b.1, b.2),
        }
    }

    #[test]
    fn certainty_over_imprecise_dates() {
        let year = iv((1943, 1, 1), (1943, 12, 31));
        let july = iv((1943, 7, 1), (1943, 7, 31));
        let sept = iv((1943, 9, 1), (1943, 9, 30));
        assert!(
            !year.certainly_before(july),
            "1943 is not certainly before July 1943"
        );
        assert!(july.certainly_before(sept));
        assert!(!july.certainly_disjoint(year));
        assert!(july.certainly_disjoint(sept));
        let open = Interval {
            earliest: None,
            latest: None,
        };
        assert!(!open.certainly_disjoint(july));
        assert_eq!(july.gap_days(sept), Some(32));
    }

    #[test]
    fn tolerance_and_reversal() {
        let d24 = iv((1943, 7, 24), (1943, 7, 24));
        let d25 = iv((1943, 7, 25), (1943, 7, 25));
        let d27 = iv((1943, 7, 27), (1943, 7, 27));
        assert!(d24.certainly_apart(d25, 0));
        assert!(!d24.certainly_apart(d25, 1));
        assert!(d27.certainly_apart(d25, 1), "two days apart, one tolerated");
        assert!(!d25.certainly_apart(d25, 0));
        assert!(iv((1943, 8, 1), (1943, 7, 1)).is_reversed());
        assert!(!d25.is_reversed());
    }

    fn date(text: &str) -> NormalizedDate {
        normalize(text, Lang::Edtf, &Context::default()).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn spans_have_a_start_and_an_end() {
        let span = Dating::claimed(&date("1943-07-09/1943-08-17"), None);
        assert!(span.is_span());
        assert_eq!(span.start(), iv((1943, 7, 9), (1943, 7, 9)));
        assert_eq!(span.end(), iv((1943, 8, 17), (1943, 8, 17)));
        let months = Dating::claimed(&date("1944-02/1944-05"), None);
        assert_eq!(months.start(), iv((1944, 2, 1), (1944, 2, 29)));
        assert_eq!(months.end(), iv((1944, 5, 1), (1944, 5, 31)));
        let open = Dating::claimed(&date("../1943"), None);
        assert_eq!(
            open.start(),
            open.hull(),
            "an open start is the whole value"
        );
        let with_end = Dating::claimed(&date("1943-07-10"), Some(&date("1943-08-17")));
        assert_eq!(with_end.hull(), iv((1943, 7, 10), (1943, 8, 17)));
        let single = Dating::claimed(&date("1943-07"), None);
        assert!(!single.is_span());
    }

    #[test]
    fn single_dates_only_conflict_when_disjoint() {
        let campaign = Dating::accepted(&date("1943-07-10"), Some(&date("1945-05-02")));
        let early_1944 = Dating::claimed(&date("1944-37"), None);
        assert_eq!(early_1944.certainly_differs(campaign, 0), None);
        let from_september = Dating::claimed(&date("1943-09-03/1945-05-02"), None);
        assert_eq!(
            from_september.certainly_differs(campaign, 0),
            Some(Part::Start)
        );
        let fall = Dating::accepted(&date("1943-07-25"), None);
        let july_24 = Dating::claimed(&date("1943-07-24"), None);
        assert_eq!(july_24.certainly_differs(fall, 0), Some(Part::Whole));
        assert_eq!(july_24.certainly_differs(fall, 1), None);
        let cassino = Dating::claimed(&date("1944-01/1944-05"), None);
        let cassino_feb = Dating::claimed(&date("1944-02/1944-05"), None);
        assert_eq!(cassino.certainly_differs(cassino_feb, 0), Some(Part::Start));
        let ends = Dating::claimed(&date("1944-06-04"), Some(&date("1944-06-05")));
        let liberation = Dating::accepted(&date("1944-06-04"), None);
        assert_eq!(ends.certainly_differs(liberation, 0), Some(Part::End));
    }

    #[test]
    fn outside_a_parent() {
        let campaign = Dating::accepted(&date("1943-07-10"), Some(&date("1945-05-02")));
        let sicily = Dating::claimed(&date("1943-07-09/1943-08-17"), None);
        assert_eq!(sicily.certainly_outside(campaign), Some(Part::Start));
        let july = Dating::claimed(&date("1943-07"), None);
        assert_eq!(july.certainly_outside(campaign), None);
        let late = Dating::claimed(&date("1945-04-06"), Some(&date("1945-05-08")));
        assert_eq!(late.certainly_outside(campaign), Some(Part::End));
        let before = Dating::claimed(&date("1943-06-30"), None);
        assert_eq!(before.certainly_outside(campaign), Some(Part::Whole));
    }
}
