//! Resolution: a parsed [`Point`] becomes EDTF values, taking from the
//! reference date whatever the text leaves out, and noting what was assumed.

use std::ops::Range;

use super::grammar::{Point, Rel, SHORTLY_DAYS, Unit, WrittenYear};
use super::tokens::unparseable;
use crate::calendar::{civil_from_days, days_from_civil, month_len};
use crate::edtf::{self, DateV, Qual};
use crate::lexicon::{Feast, Part};
use crate::{Assumed, Bound, Context, DateErrorKind as K, Day, Fail, NormalizedDate, Precision};

// ------------------------------------------------------------- resolution

/// A resolved point: a date, or a span between two dates (parts of months,
/// decades and centuries, `later that year`).
#[derive(Clone, Copy, Debug)]
pub(super) enum Resolved {
    One(DateV),
    Span(DateV, DateV, Precision),
}

impl Resolved {
    pub(super) fn first(&self) -> DateV {
        match self {
            Resolved::One(d) | Resolved::Span(d, _, _) => *d,
        }
    }
    pub(super) fn last(&self) -> DateV {
        match self {
            Resolved::One(d) | Resolved::Span(_, d, _) => *d,
        }
    }
    pub(super) fn qualify(&mut self, q: Qual) {
        match self {
            Resolved::One(d) => d.qualify(q),
            Resolved::Span(a, b, _) => {
                a.qualify(q);
                b.qualify(q);
            }
        }
    }
}

pub(super) struct Resolver<'a> {
    /// the date is in the Julian calendar (a marker, or the source's `calendar: julian`)
    pub(super) julian: bool,
    pub(super) ctx: &'a Context,
    pub(super) assumed: Vec<Assumed>,
    pub(super) span: Range<usize>,
}

pub(super) fn in_range(y: i64, span: &Range<usize>) -> Result<i64, Fail> {
    if (-9999..=9999).contains(&y) {
        Ok(y)
    } else {
        Err(Fail::new(
            K::OutOfRange,
            "the date falls outside the years -9999 to 9999",
            span.clone(),
        ))
    }
}

pub(super) fn day_v(d: i64) -> (i64, u8, u8) {
    civil_from_days(d)
}

impl Resolver<'_> {
    pub(super) fn note(&mut self, a: Assumed) {
        if !self.assumed.contains(&a) {
            self.assumed.push(a);
        }
    }

    pub(super) fn reference(&self, what: &str) -> Result<(Day, Day, &NormalizedDate), Fail> {
        let Some(r) = &self.ctx.reference else {
            return Err(Fail::new(
                K::NeedsContext,
                format!("{what} comes from the previous date, and there is none"),
                self.span.clone(),
            )
            .help(
                "give the date of the previous event as the reference (--reference YYYY-MM-DD)",
            ));
        };
        match (r.earliest, r.latest) {
            (Bound::Day(a), Bound::Day(b)) => Ok((a, b, r)),
            _ => Err(Fail::new(
                K::NeedsContext,
                format!("the reference `{}` has an open or unknown end", r.edtf),
                self.span.clone(),
            )),
        }
    }

    pub(super) fn anchor_year(&mut self) -> Result<i64, Fail> {
        let (a, b, r) = self.reference("the year")?;
        let (ya, _, _) = a.ymd();
        let (yb, _, _) = b.ymd();
        if ya != yb {
            return Err(Fail::new(
                K::NeedsContext,
                format!(
                    "the year comes from the previous date, but `{}` spans several years",
                    r.edtf
                ),
                self.span.clone(),
            )
            .help("write the year"));
        }
        self.note(Assumed::Year(ya));
        Ok(i64::from(ya))
    }

    pub(super) fn anchor_month(&mut self) -> Result<(i64, u8), Fail> {
        let (a, b, r) = self.reference("the month")?;
        let (ya, ma, _) = a.ymd();
        let (yb, mb, _) = b.ymd();
        if (ya, ma) != (yb, mb) {
            return Err(Fail::new(
                K::NeedsContext,
                format!(
                    "the month comes from the previous date, but `{}` is not within one month",
                    r.edtf
                ),
                self.span.clone(),
            )
            .help("write the month and year"));
        }
        self.note(Assumed::Month(ya, ma));
        Ok((i64::from(ya), ma))
    }

    pub(super) fn anchor_day(&mut self) -> Result<Day, Fail> {
        let (a, b, r) = self.reference("the day")?;
        if a != b {
            return Err(Fail::new(
                K::NeedsContext,
                format!(
                    "this counts from the previous date, but `{}` is not a single day",
                    r.edtf
                ),
                self.span.clone(),
            )
            .help("write the date"));
        }
        self.note(Assumed::Day(a));
        Ok(a)
    }

    /// The century of a one- or two-digit year: the reference's (the previous claim, or the
    /// source's `context`), else the dataset period's, noted as assumed. Without either it is
    /// not guessed.
    pub(super) fn century_of_two_digit(&mut self) -> Result<i64, Fail> {
        let bounds = self.ctx.reference.as_ref().map(|r| (r.earliest, r.latest));
        let c = match (bounds, self.ctx.century) {
            (Some((Bound::Day(a), _) | (_, Bound::Day(a))), _) => {
                i64::from(a.ymd().0).div_euclid(100) * 100
            }
            (_, Some(c)) => i64::from(c),
            _ => {
                return Err(Fail::new(
                    K::NeedsContext,
                    "a year of one or two digits needs a century, and there is no earlier date to take it from",
                    self.span.clone(),
                )
                .help("write the full year, give the source a `context` (e.g. `1943`), or declare the dataset's `period` in fasti.toml"));
            }
        };
        self.note(Assumed::Century(c as i32));
        Ok(c)
    }

    pub(super) fn year_value(&mut self, y: &WrittenYear) -> Result<i64, Fail> {
        if y.bare {
            return Err(
                unparseable("a year needs at least three digits", y.s..y.e).help(format!(
                    "write the full year (e.g. `19{:02}`) or an era (`{} d.C.`, `{} AD`)",
                    y.y, y.y, y.y
                )),
            );
        }
        Ok(match y.bce {
            Some(true) => 1 - y.y,
            _ if y.two => self.century_of_two_digit()? + y.y,
            _ => y.y,
        })
    }

    pub(super) fn part_of_month(y: i64, m: u8, part: Part) -> Resolved {
        let (a, b) = match part {
            Part::Early => (1, 10),
            Part::Mid => (11, 20),
            Part::Late => (21, month_len(y, m)),
        };
        Resolved::Span(
            DateV::new(y, Some(m), Some(a)),
            DateV::new(y, Some(m), Some(b)),
            Precision::MonthPart,
        )
    }

    pub(super) fn part_of_year(y: i64, part: Part) -> Resolved {
        let code = match part {
            Part::Early => 37,
            Part::Mid => 38,
            Part::Late => 39,
        };
        Resolved::One(DateV::new(y, Some(code), None))
    }

    pub(super) fn day_res(&self, d: i64) -> Result<Resolved, Fail> {
        let (y, m, dd) = day_v(d);
        in_range(y, &self.span)?;
        Ok(Resolved::One(DateV::new(y, Some(m), Some(dd))))
    }

    pub(super) fn rel(&mut self, r: Rel, part: Option<Part>) -> Result<Resolved, Fail> {
        if part.is_some() && !matches!(r, Rel::ThatMonth | Rel::ThatYear) {
            return Err(unparseable(
                "early/mid/late can only qualify a month or a year",
                self.span.clone(),
            ));
        }
        match r {
            Rel::SameDay => {
                let d = self.anchor_day()?;
                self.day_res(d.raw())
            }
            Rel::ThatMonth => {
                let (y, m) = self.anchor_month()?;
                Ok(match part {
                    Some(p) => Self::part_of_month(y, m, p),
                    None => Resolved::One(DateV::new(y, Some(m), None)),
                })
            }
            Rel::ThatYear => {
                let y = self.anchor_year()?;
                Ok(match part {
                    Some(p) => Self::part_of_year(y, p),
                    None => Resolved::One(DateV::new(y, None, None)),
                })
            }
            Rel::Offset(n, Unit::Day | Unit::Week) => {
                let k = if matches!(r, Rel::Offset(_, Unit::Week)) {
                    7
                } else {
                    1
                };
                let d = self.anchor_day()?;
                self.day_res(d.raw() + n * k)
            }
            Rel::Offset(n, u @ (Unit::Month | Unit::Year)) => {
                let months = if u == Unit::Year { n * 12 } else { n };
                let single_day = matches!(&self.ctx.reference, Some(r) if r.earliest == r.latest && matches!(r.earliest, Bound::Day(_)));
                if single_day {
                    let d = self.anchor_day()?;
                    let (y, m, dd) = day_v(d.raw());
                    let idx = y * 12 + i64::from(m) - 1 + months;
                    let (ny, nm) = (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u8);
                    in_range(ny, &self.span)?;
                    let nd = dd.min(month_len(ny, nm));
                    Ok(Resolved::One(DateV::new(ny, Some(nm), Some(nd))))
                } else if u == Unit::Year && !self.same_month_ref() {
                    let y = self.anchor_year()? + n;
                    in_range(y, &self.span)?;
                    Ok(Resolved::One(DateV::new(y, None, None)))
                } else {
                    let (y, m) = self.anchor_month()?;
                    let idx = y * 12 + i64::from(m) - 1 + months;
                    let (ny, nm) = (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u8);
                    in_range(ny, &self.span)?;
                    Ok(Resolved::One(DateV::new(ny, Some(nm), None)))
                }
            }
            Rel::Step(n, Unit::Day | Unit::Week) => self.rel(Rel::Offset(n, Unit::Day), None),
            Rel::Step(n, Unit::Month) => {
                let (y, m) = self.anchor_month()?;
                let idx = y * 12 + i64::from(m) - 1 + n;
                let (ny, nm) = (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u8);
                in_range(ny, &self.span)?;
                Ok(Resolved::One(DateV::new(ny, Some(nm), None)))
            }
            Rel::Step(n, Unit::Year) => {
                let y = in_range(self.anchor_year()? + n, &self.span)?;
                Ok(Resolved::One(DateV::new(y, None, None)))
            }
            Rel::Within(n, u @ (Unit::Day | Unit::Week)) => {
                let k = if u == Unit::Week { 7 } else { 1 };
                let d = self.anchor_day()?;
                let (ya, ma, da) = day_v(d.raw());
                let (yb, mb, db) = day_v(d.raw() + n * k);
                in_range(yb, &self.span)?;
                Ok(Resolved::Span(
                    DateV::new(ya, Some(ma), Some(da)),
                    DateV::new(yb, Some(mb), Some(db)),
                    Precision::Interval,
                ))
            }
            Rel::Within(..) => Err(unparseable(
                "`within` a count of months or years is not read",
                self.span.clone(),
            )
            .help("write the date, or count in days or weeks")),
            Rel::Shortly(after) => {
                let (a, b, _) = self.reference("the date it is shortly after or before")?;
                self.note(Assumed::Day(if after { b } else { a }));
                let (x, y) = if after {
                    (b.raw() + 1, b.raw() + SHORTLY_DAYS)
                } else {
                    (a.raw() - SHORTLY_DAYS, a.raw() - 1)
                };
                let (ya, ma, da) = day_v(x);
                let (yb, mb, db) = day_v(y);
                in_range(ya, &self.span)?;
                in_range(yb, &self.span)?;
                let mut first = DateV::new(ya, Some(ma), Some(da));
                let mut last = DateV::new(yb, Some(mb), Some(db));
                // how soon "shortly" is, is a convention: the value says it is approximate
                first.qualify(Qual {
                    approx: true,
                    uncertain: false,
                });
                last.qualify(Qual {
                    approx: true,
                    uncertain: false,
                });
                Ok(Resolved::Span(first, last, Precision::Interval))
            }
            Rel::RestOfYear(after) => {
                let d = self.anchor_day()?;
                let (y, _, _) = day_v(d.raw());
                let (a, b) = if after {
                    (d.raw() + 1, days_from_civil(y, 12, 31))
                } else {
                    (days_from_civil(y, 1, 1), d.raw() - 1)
                };
                if a > b {
                    return Err(Fail::new(
                        K::InvalidDate,
                        "nothing of that year is left after the reference date",
                        self.span.clone(),
                    ));
                }
                let (ya, ma, da) = day_v(a);
                let (yb, mb, db) = day_v(b);
                Ok(Resolved::Span(
                    DateV::new(ya, Some(ma), Some(da)),
                    DateV::new(yb, Some(mb), Some(db)),
                    Precision::Interval,
                ))
            }
        }
    }

    pub(super) fn same_month_ref(&self) -> bool {
        match &self.ctx.reference {
            Some(r) => match (r.earliest, r.latest) {
                (Bound::Day(a), Bound::Day(b)) => {
                    let (ya, ma, _) = a.ymd();
                    let (yb, mb, _) = b.ymd();
                    (ya, ma) == (yb, mb)
                }
                _ => false,
            },
            None => false,
        }
    }

    /// Resolve one point; `default_year`/`default_month` come from the other
    /// end of a range or the text outside a gloss.
    pub(super) fn point(&mut self, p: &Point) -> Result<Resolved, Fail> {
        let q = Qual {
            approx: p.approx,
            uncertain: p.uncertain,
        };
        let mut r = self.point_inner(p)?;
        if let Some(weekday) = p.weekday {
            check_weekday(&r, weekday, self.julian)?;
        }
        if p.night {
            // a night runs from the evening of its day into the next morning
            if let Resolved::One(d) = r
                && let Some((a, b)) = edtf::date_bounds(&d)
                && a == b
            {
                let (y, m, dd) = day_v(a.raw() + 1);
                in_range(y, &self.span)?;
                r = Resolved::Span(d, DateV::new(y, Some(m), Some(dd)), Precision::Interval);
            }
        }
        r.qualify(q);
        Ok(r)
    }

    pub(super) fn point_inner(&mut self, p: &Point) -> Result<Resolved, Fail> {
        if let Some(r) = p.rel {
            return self.rel(r, p.part);
        }
        if let Some((n, bce)) = p.century {
            return Ok(century_res(n, bce, p.part));
        }
        if let Some((start, two)) = p.decade {
            if two {
                self.note(Assumed::Century(1900));
            }
            return Ok(match p.part {
                None => Resolved::One(DateV::masked_year(start, 1)),
                Some(part) => {
                    let (a, b) = match part {
                        Part::Early => (0, 3),
                        Part::Mid => (4, 6),
                        Part::Late => (7, 9),
                    };
                    Resolved::Span(
                        DateV::new(start + a, None, None),
                        DateV::new(start + b, None, None),
                        Precision::Interval,
                    )
                }
            });
        }
        if p.is_empty() {
            return Err(unparseable("this names no date", p.s..p.e));
        }
        // the day of the month, if the point has only a day
        let mut month = p.month;
        if p.day.is_some() && month.is_none() {
            let (y, m) = self.anchor_month()?;
            month = Some(m);
            if p.year.is_none() {
                return self.finish_date(p, y, month);
            }
        }
        let y = match &p.year {
            Some(y) => self.year_value(y)?,
            None => self.anchor_year()?,
        };
        let y = in_range(y, &self.span)?;
        self.finish_date(p, y, month)
    }

    pub(super) fn finish_date(
        &mut self,
        p: &Point,
        y: i64,
        month: Option<u8>,
    ) -> Result<Resolved, Fail> {
        if let Some(feast) = p.feast {
            return feast_day(feast, y, p.s..p.e).map(Resolved::One);
        }
        if let Some(s) = p.season {
            if let Some(part) = p.part {
                // Early, mid and late of a season are its first, second and third month, by
                // the convention of `docs/dates.md` (spring = March–May, …, winter =
                // December–February, the winter that begins in the year named).
                let first = i64::from(s - 21) * 3 + 3;
                let k = match part {
                    Part::Early => 0,
                    Part::Mid => 1,
                    Part::Late => 2,
                };
                let idx = y * 12 + first - 1 + k;
                let (ny, nm) = (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u8);
                return Ok(Resolved::One(DateV::new(ny, Some(nm), None)));
            }
            return Ok(Resolved::One(DateV::new(y, Some(s), None)));
        }
        if let Some(n) = p.week {
            let Some(m) = month else {
                return Err(unparseable(
                    "a week is counted within a month: name the month",
                    p.s..p.e,
                ));
            };
            let len = month_len(y, m);
            let (a, b) = if n == 0 {
                (len - 6, len)
            } else {
                (7 * (n - 1) + 1, (7 * n).min(len))
            };
            if a > len {
                return Err(Fail::new(
                    K::InvalidDate,
                    format!("{} has no week {n}", crate::calendar::month_name(m)),
                    p.s..p.e,
                ));
            }
            return Ok(Resolved::Span(
                DateV::new(y, Some(m), Some(a)),
                DateV::new(y, Some(m), Some(b)),
                Precision::MonthPart,
            ));
        }
        if let Some(h) = p.half {
            if let Some(m) = month {
                // the first or second half of a month: days 1–15, or 16 to its end
                let (a, b) = if h == 40 {
                    (1, 15)
                } else {
                    (16, month_len(y, m))
                };
                return Ok(Resolved::Span(
                    DateV::new(y, Some(m), Some(a)),
                    DateV::new(y, Some(m), Some(b)),
                    Precision::MonthPart,
                ));
            }
            if p.fortnight {
                return Err(unparseable(
                    "a fortnight is half a month: name the month",
                    p.s..p.e,
                ));
            }
            return Ok(Resolved::One(DateV::new(y, Some(h), None)));
        }
        match (month, p.day) {
            (Some(m), Some((d, ds, de))) => {
                if p.part.is_some() {
                    return Err(unparseable("early/mid/late of a day", p.s..p.e));
                }
                let len = month_len(y, m);
                if d == 0 || d > 31 {
                    return Err(Fail::new(
                        K::InvalidDate,
                        format!("there is no day {d} in any month"),
                        ds..de,
                    ));
                }
                if d > len {
                    return Err(edtf::day_error(y, m, ds..de));
                }
                Ok(Resolved::One(DateV::new(y, Some(m), Some(d))))
            }
            (Some(m), None) => Ok(match p.part {
                Some(part) => Self::part_of_month(y, m, part),
                None => Resolved::One(DateV::new(y, Some(m), None)),
            }),
            (None, _) => Ok(match p.part {
                Some(part) => Self::part_of_year(y, part),
                None => Resolved::One(DateV::new(y, None, None)),
            }),
        }
    }
}

pub(super) fn century_res(n: i64, bce: bool, part: Option<Part>) -> Resolved {
    // CE: the n-th century is written (n-1)XX, e.g. siglo XX → 19XX (1900–1999).
    // BCE: century n runs from n*100 BCE to (n-1)*100+1 BCE, i.e. the
    // astronomical years -(n*100-1) ..= -((n-1)*100): `-(n-1)XX`.
    let first = (n - 1) * 100;
    let whole = if bce {
        let mut v = DateV::masked_year(first, 2);
        if let edtf::YearRepr::Short { neg, .. } = &mut v.year {
            *neg = true;
        }
        v
    } else {
        DateV::masked_year(first, 2)
    };
    match part {
        None => Resolved::One(whole),
        Some(part) => {
            let (a, b) = match part {
                Part::Early => (0, 33),
                Part::Mid => (34, 66),
                Part::Late => (67, 99),
            };
            let (ya, yb) = if bce {
                // counting from the start of the century (its earliest year)
                let start = -(first + 99);
                (start + a, start + b)
            } else {
                (first + a, first + b)
            };
            Resolved::Span(
                DateV::new(ya, None, None),
                DateV::new(yb, None, None),
                Precision::Interval,
            )
        }
    }
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The weekday of a day, 0 = Monday (1970-01-01 was a Thursday).
pub(super) fn weekday_of(day: Day) -> u8 {
    (day.raw() + 3).rem_euclid(7) as u8
}

/// A weekday written with a date must be that date's: a mismatch is how a miscopied day shows.
fn check_weekday(
    r: &Resolved,
    (written, s, e): (u8, usize, usize),
    julian: bool,
) -> Result<(), Fail> {
    let day = match r {
        Resolved::One(d) => edtf::date_bounds(d).filter(|(a, b)| a == b).map(|(a, _)| a),
        Resolved::Span(..) => None,
    };
    let Some(day) = day else {
        return Err(unparseable(
            "a weekday goes with a single day, not with a longer period",
            s..e,
        )
        .help("remove the weekday, or give the day of the month"));
    };
    // a Julian date's weekday is that of the Gregorian day it becomes
    let day = if julian {
        let (y, m, d) = day.ymd();
        Day::from_raw(julian_to_day(i64::from(y), m, d))
    } else {
        day
    };
    let actual = weekday_of(day);
    if actual == written {
        return Ok(());
    }
    let name = |d: u8| WEEKDAYS.get(usize::from(d)).copied().unwrap_or("?");
    Err(Fail::new(
        K::WeekdayMismatch,
        format!("{day} was a {}, not a {}", name(actual), name(written)),
        s..e,
    ))
}

/// Easter Sunday of year `y` by the Gregorian computus (the anonymous Gregorian algorithm, as
/// given by Meeus and Butcher): month and day. Tested against a published table of Easter dates.
pub(crate) fn gregorian_easter(y: i64) -> (u8, u8) {
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    (month as u8, day as u8)
}

/// The day of a feast in year `y`.
fn feast_day(feast: Feast, y: i64, span: Range<usize>) -> Result<DateV, Fail> {
    match feast {
        Feast::Fixed(m, d) => Ok(DateV::new(y, Some(m), Some(d))),
        Feast::Easter(offset) => {
            if y < 1583 {
                return Err(unparseable(
                    "movable feasts before 1583 follow the Julian computus, which fasti does not compute",
                    span,
                )
                .help("write the day itself and name the feast in a `note`"));
            }
            let (m, d) = gregorian_easter(y);
            let day = days_from_civil(y, m, d) + i64::from(offset);
            let (yy, mm, dd) = day_v(day);
            Ok(DateV::new(yy, Some(mm), Some(dd)))
        }
    }
}

/// The proleptic Gregorian day of the Julian calendar date `y-m-d` (through the Julian Day
/// Number; the formula is the standard one, e.g. in the Calendar FAQ).
pub(crate) fn julian_to_day(y: i64, m: u8, d: u8) -> i64 {
    let a = (14 - i64::from(m)).div_euclid(12);
    let yy = y + 4800 - a;
    let mm = i64::from(m) + 12 * a - 3;
    let jdn = i64::from(d) + (153 * mm + 2).div_euclid(5) + 365 * yy + yy.div_euclid(4) - 32083;
    // JDN 2440588 is 1970-01-01
    jdn - 2_440_588
}
