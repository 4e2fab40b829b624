//! Reasoning over uncertain dates.
//!
//! Every date is an interval of days `[earliest, latest]`; an open or unknown end is unbounded.
//! The comparisons answer "is this *certainly* so, for every reading of both dates?": a rule that
//! reports an error on them never fires on a mere possibility (`1943` is not before `1943-07`).

use crate::date::{Bound, Day, NormalizedDate};

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
}
