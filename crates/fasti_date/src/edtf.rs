//! EDTF (ISO 8601-2:2019 profile, levels 0–2) parsing, rendering and bounds.
//!
//! The same [`Expr`] tree is produced by the prose grammar, so every value
//! fasti emits is rendered by [`render`] and re-parses to itself.

use std::borrow::Cow;
use std::ops::Range;

use super::calendar::{days_from_civil, is_leap, month_len, month_name};
use super::{Bound, DateErrorKind as K, Day, Fail, NormalizedDate, Precision};

/// Approximate (`~`) and uncertain (`?`) flags of one component.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Qual {
    pub(crate) approx: bool,
    pub(crate) uncertain: bool,
}

impl Qual {
    pub(crate) const NONE: Qual = Qual {
        approx: false,
        uncertain: false,
    };
    fn any(self) -> bool {
        self.approx || self.uncertain
    }
    fn or(self, o: Qual) -> Qual {
        Qual {
            approx: self.approx || o.approx,
            uncertain: self.uncertain || o.uncertain,
        }
    }
    fn ch(self) -> Option<char> {
        match (self.approx, self.uncertain) {
            (true, true) => Some('%'),
            (true, false) => Some('~'),
            (false, true) => Some('?'),
            (false, false) => None,
        }
    }
}

/// How the year is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum YearRepr {
    /// Four characters, each an ASCII digit or `X`, with an optional minus.
    Short { neg: bool, d: [u8; 4] },
    /// `Y`-prefixed year; `exp` keeps `Y17E7` as (17, 7).
    Long { v: i64, exp: Option<(i64, u32)> },
}

/// One EDTF date: year, optional month (or sub-year code 21–41), optional day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DateV {
    pub(crate) year: YearRepr,
    /// Significant digits (`1950S2`).
    pub(crate) sig: Option<u8>,
    pub(crate) month: Option<[u8; 2]>,
    pub(crate) day: Option<[u8; 2]>,
    /// Qualifiers of year, month and day.
    pub(crate) q: [Qual; 3],
}

fn two(n: u8) -> [u8; 2] {
    [b'0' + n / 10 % 10, b'0' + n % 10]
}

impl DateV {
    /// A fully specified date; the caller keeps `|y| <= 9999`.
    pub(crate) fn new(y: i64, m: Option<u8>, d: Option<u8>) -> DateV {
        let a = y.unsigned_abs();
        let year = if a <= 9999 {
            YearRepr::Short {
                neg: y < 0,
                d: [
                    b'0' + (a / 1000 % 10) as u8,
                    b'0' + (a / 100 % 10) as u8,
                    b'0' + (a / 10 % 10) as u8,
                    b'0' + (a % 10) as u8,
                ],
            }
        } else {
            YearRepr::Long { v: y, exp: None }
        };
        DateV {
            year,
            sig: None,
            month: m.map(two),
            day: d.map(two),
            q: [Qual::NONE; 3],
        }
    }

    /// A year with its last `x` digits unspecified (`194X`, `19XX`); `y >= 0`.
    pub(crate) fn masked_year(y: i64, x: usize) -> DateV {
        let mut v = DateV::new(y, None, None);
        if let YearRepr::Short { d, .. } = &mut v.year {
            for c in d.iter_mut().rev().take(x) {
                *c = b'X';
            }
        }
        v
    }

    pub(crate) fn qualify(&mut self, q: Qual) {
        let n = self.ncomp();
        for c in self.q.iter_mut().take(n) {
            *c = c.or(q);
        }
    }

    fn ncomp(&self) -> usize {
        1 + usize::from(self.month.is_some()) + usize::from(self.day.is_some())
    }

    fn quals(&self) -> Qual {
        self.q.iter().fold(Qual::NONE, |a, q| a.or(*q))
    }

    fn is_level0(&self) -> bool {
        matches!(self.year, YearRepr::Short { neg: false, d } if !d.contains(&b'X'))
            && self.sig.is_none()
            && !self.quals().any()
            && self
                .month
                .is_none_or(|m| !m.contains(&b'X') && val2(m) <= 12)
            && self.day.is_none_or(|d| !d.contains(&b'X'))
    }
}

fn val2(m: [u8; 2]) -> u8 {
    m[0].wrapping_sub(b'0') * 10 + m[1].wrapping_sub(b'0')
}

fn matches2(p: [u8; 2], v: u8) -> bool {
    let t = two(v);
    (p[0] == b'X' || p[0] == t[0]) && (p[1] == b'X' || p[1] == t[1])
}

/// One end of an interval.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum End {
    Date(DateV),
    Open,
    Unknown,
}

/// One member of a set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SetItem {
    One(DateV),
    Range(DateV, DateV),
    Before(DateV),
    After(DateV),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Expr {
    Single(DateV),
    Interval(End, End),
    /// `all == false`: `[..]` one of; `all == true`: `{..}` all of.
    Set {
        all: bool,
        items: Vec<SetItem>,
    },
}

// ---------------------------------------------------------------- bounds

/// Years matching the year part, as an inclusive range plus a filter.
struct Years {
    lo: i64,
    hi: i64,
    neg: bool,
    pat: Option<[u8; 4]>,
}

impl Years {
    fn of(d: &DateV) -> Years {
        match d.year {
            YearRepr::Short { neg, d: p } => {
                let mut lo = 0i64;
                let mut hi = 0i64;
                for c in p {
                    let (a, b) = if c == b'X' {
                        (0, 9)
                    } else {
                        (i64::from(c - b'0'), i64::from(c - b'0'))
                    };
                    lo = lo * 10 + a;
                    hi = hi * 10 + b;
                }
                if let Some(s) = d.sig {
                    let (l, h) = sig_range(lo, 4, s);
                    lo = l;
                    hi = h;
                }
                let pat = p.contains(&b'X').then_some(p);
                if neg {
                    Years {
                        lo: -hi,
                        hi: -lo,
                        neg,
                        pat,
                    }
                } else {
                    Years { lo, hi, neg, pat }
                }
            }
            YearRepr::Long { v, .. } => {
                let (lo, hi) = match d.sig {
                    Some(s) => {
                        let a = v.unsigned_abs() as i64;
                        let n = digits(a);
                        let (l, h) = sig_range(a, n, s);
                        if v < 0 { (-h, -l) } else { (l, h) }
                    }
                    None => (v, v),
                };
                Years {
                    lo,
                    hi,
                    neg: v < 0,
                    pat: None,
                }
            }
        }
    }

    fn ok(&self, y: i64) -> bool {
        match self.pat {
            None => true,
            Some(p) => {
                let mut a = y.unsigned_abs();
                if (y < 0) != self.neg && y != 0 {
                    return false;
                }
                for c in p.iter().rev() {
                    let dg = (a % 10) as u8 + b'0';
                    if *c != b'X' && *c != dg {
                        return false;
                    }
                    a /= 10;
                }
                a == 0
            }
        }
    }
}

fn digits(mut a: i64) -> u32 {
    let mut n = 1;
    while a >= 10 {
        a /= 10;
        n += 1;
    }
    n
}

/// Range of values with the first `s` of `n` digits of `a` kept.
fn sig_range(a: i64, n: u32, s: u8) -> (i64, i64) {
    let drop = n.saturating_sub(u32::from(s)).min(18);
    let p = 10i64.pow(drop);
    let lo = a / p * p;
    (lo, lo + p - 1)
}

/// First (or last) day of a sub-year code in year `y`: (start, end) months
/// and year offset of the end.
fn code_months(code: u8) -> Option<(u8, u8, i64)> {
    Some(match code {
        21 | 25 => (3, 5, 0),
        22 | 26 => (6, 8, 0),
        23 | 27 => (9, 11, 0),
        24 | 28 => (12, 2, 1),
        29 => (9, 11, 0),
        30 => (12, 2, 1),
        31 => (3, 5, 0),
        32 => (6, 8, 0),
        33 => (1, 3, 0),
        34 => (4, 6, 0),
        35 => (7, 9, 0),
        36 => (10, 12, 0),
        37 => (1, 4, 0),
        38 => (5, 8, 0),
        39 => (9, 12, 0),
        40 => (1, 6, 0),
        41 => (7, 12, 0),
        _ => return None,
    })
}

fn last_of_month(y: i64, m: u8) -> i64 {
    days_from_civil(y, m, month_len(y, m))
}

/// Earliest (`asc`) or latest day allowed by `d`, or `None` if no day is.
fn extreme(d: &DateV, asc: bool) -> Option<i64> {
    // Fast path: every digit specified (the common case).
    if let (YearRepr::Short { neg, d: yd }, None) = (d.year, d.sig) {
        let plain = |p: &[u8]| p.iter().all(u8::is_ascii_digit);
        if plain(&yd) && d.month.is_none_or(|m| plain(&m)) && d.day.is_none_or(|x| plain(&x)) {
            let v = yd.iter().fold(0i64, |a, c| a * 10 + i64::from(c - b'0'));
            let y = if neg { -v } else { v };
            return Some(match (d.month.map(val2), d.day.map(val2)) {
                (None, _) => {
                    if asc {
                        days_from_civil(y, 1, 1)
                    } else {
                        days_from_civil(y, 12, 31)
                    }
                }
                (Some(m @ 1..=12), None) => {
                    if asc {
                        days_from_civil(y, m, 1)
                    } else {
                        last_of_month(y, m)
                    }
                }
                (Some(m @ 1..=12), Some(dd)) => {
                    if dd == 0 || dd > month_len(y, m) {
                        return None;
                    }
                    days_from_civil(y, m, dd)
                }
                (Some(code), _) => {
                    let (a, b, off) = code_months(code)?;
                    if asc {
                        days_from_civil(y, a, 1)
                    } else {
                        last_of_month(y + off, b)
                    }
                }
            });
        }
    }
    let ys = Years::of(d);
    let mut y = if asc { ys.lo } else { ys.hi };
    let mut steps = 0u32;
    loop {
        if (asc && y > ys.hi) || (!asc && y < ys.lo) || steps > 20_000 {
            return None;
        }
        steps += 1;
        if ys.ok(y) {
            match d.month {
                None => {
                    return Some(if asc {
                        days_from_civil(y, 1, 1)
                    } else {
                        days_from_civil(y, 12, 31)
                    });
                }
                Some(mp) if !mp.contains(&b'X') && val2(mp) > 12 => {
                    let (a, b, off) = code_months(val2(mp))?;
                    return Some(if asc {
                        days_from_civil(y, a, 1)
                    } else {
                        last_of_month(y + off, b)
                    });
                }
                Some(mp) => {
                    for i in 0..12u8 {
                        let m = if asc { i + 1 } else { 12 - i };
                        if !matches2(mp, m) {
                            continue;
                        }
                        match d.day {
                            None => {
                                return Some(if asc {
                                    days_from_civil(y, m, 1)
                                } else {
                                    last_of_month(y, m)
                                });
                            }
                            Some(dp) => {
                                let len = month_len(y, m);
                                for j in 0..len {
                                    let dd = if asc { j + 1 } else { len - j };
                                    if matches2(dp, dd) {
                                        return Some(days_from_civil(y, m, dd));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        y = if asc { y + 1 } else { y - 1 };
    }
}

/// Earliest and latest day of a date.
pub(crate) fn date_bounds(d: &DateV) -> Option<(Day, Day)> {
    Some((
        Day::from_raw(extreme(d, true)?),
        Day::from_raw(extreme(d, false)?),
    ))
}

pub(crate) fn date_precision(d: &DateV) -> Precision {
    let coarse = |n: u32| match n {
        0 => None,
        1 => Some(Precision::Decade),
        2 => Some(Precision::Century),
        _ => Some(Precision::Millennium),
    };
    if let Some(s) = d.sig {
        let n = match d.year {
            YearRepr::Short { .. } => 4,
            YearRepr::Long { v, .. } => digits(v.unsigned_abs() as i64),
        };
        if let Some(p) = coarse(n.saturating_sub(u32::from(s))) {
            return p;
        }
    }
    if let YearRepr::Short { d: p, .. } = d.year {
        let x = p.iter().filter(|c| **c == b'X').count() as u32;
        if let Some(p) = coarse(x) {
            return p;
        }
    }
    match (d.month, d.day) {
        (None, _) => Precision::Year,
        (Some(m), _) if m.contains(&b'X') => Precision::Year,
        (Some(m), _) if val2(m) > 12 => match val2(m) {
            21..=32 => Precision::Season,
            33..=36 => Precision::Quarter,
            37..=39 => Precision::Quadrimester,
            _ => Precision::Semester,
        },
        (Some(_), None) => Precision::Month,
        (Some(_), Some(dd)) if dd.contains(&b'X') => Precision::Month,
        (Some(_), Some(_)) => Precision::Day,
    }
}

/// Everything a [`NormalizedDate`] holds except `assumed` and the language.
pub(crate) struct Summary {
    pub(crate) earliest: Bound,
    pub(crate) latest: Bound,
    pub(crate) precision: Precision,
    pub(crate) approximate: bool,
    pub(crate) uncertain: bool,
}

fn no_day(span: Range<usize>) -> Fail {
    Fail::new(K::InvalidDate, "no day matches this date", span)
}

pub(crate) fn summarize(e: &Expr, span: Range<usize>) -> Result<Summary, Fail> {
    match e {
        Expr::Single(d) => {
            let (a, b) = date_bounds(d).ok_or_else(|| no_day(span))?;
            let q = d.quals();
            Ok(Summary {
                earliest: Bound::Day(a),
                latest: Bound::Day(b),
                precision: date_precision(d),
                approximate: q.approx,
                uncertain: q.uncertain,
            })
        }
        Expr::Interval(s, t) => {
            let mut q = Qual::NONE;
            let mut end = |x: &End, first: bool| -> Result<Bound, Fail> {
                Ok(match x {
                    End::Date(d) => {
                        q = q.or(d.quals());
                        let (a, b) = date_bounds(d).ok_or_else(|| no_day(span.clone()))?;
                        Bound::Day(if first { a } else { b })
                    }
                    End::Open => Bound::Open,
                    End::Unknown => Bound::Unknown,
                })
            };
            let earliest = end(s, true)?;
            let latest = end(t, false)?;
            if let (End::Date(a), End::Date(b)) = (s, t) {
                let sa = date_bounds(a).map(|x| x.0);
                let eb = date_bounds(b).map(|x| x.1);
                if let (Some(sa), Some(eb)) = (sa, eb)
                    && sa > eb
                {
                    return Err(reversed(sa, eb, span));
                }
            }
            Ok(Summary {
                earliest,
                latest,
                precision: Precision::Interval,
                approximate: q.approx,
                uncertain: q.uncertain,
            })
        }
        Expr::Set { items, .. } => {
            let mut lo: Option<Bound> = None;
            let mut hi: Option<Bound> = None;
            let mut q = Qual::NONE;
            let mut take = |l: Bound, h: Bound| {
                lo = Some(match (lo, l) {
                    (Some(Bound::Open), _) | (_, Bound::Open) => Bound::Open,
                    (Some(Bound::Day(a)), Bound::Day(b)) => Bound::Day(a.min(b)),
                    _ => l,
                });
                hi = Some(match (hi, h) {
                    (Some(Bound::Open), _) | (_, Bound::Open) => Bound::Open,
                    (Some(Bound::Day(a)), Bound::Day(b)) => Bound::Day(a.max(b)),
                    _ => h,
                });
            };
            for it in items {
                let b = |d: &DateV| date_bounds(d).ok_or_else(|| no_day(span.clone()));
                match it {
                    SetItem::One(d) => {
                        q = q.or(d.quals());
                        let (a, z) = b(d)?;
                        take(Bound::Day(a), Bound::Day(z));
                    }
                    SetItem::Range(d, e) => {
                        q = q.or(d.quals()).or(e.quals());
                        let (a, _) = b(d)?;
                        let (_, z) = b(e)?;
                        if a > z {
                            return Err(reversed(a, z, span));
                        }
                        take(Bound::Day(a), Bound::Day(z));
                    }
                    SetItem::Before(d) => {
                        q = q.or(d.quals());
                        let (_, z) = b(d)?;
                        take(Bound::Open, Bound::Day(z));
                    }
                    SetItem::After(d) => {
                        q = q.or(d.quals());
                        let (a, _) = b(d)?;
                        take(Bound::Day(a), Bound::Open);
                    }
                }
            }
            Ok(Summary {
                earliest: lo.unwrap_or(Bound::Unknown),
                latest: hi.unwrap_or(Bound::Unknown),
                precision: Precision::Set,
                approximate: q.approx,
                uncertain: q.uncertain,
            })
        }
    }
}

pub(crate) fn reversed(a: Day, b: Day, span: Range<usize>) -> Fail {
    Fail::new(
        K::ReversedInterval,
        format!("the interval ends ({b}) before it starts ({a})"),
        span,
    )
    .help("write the earlier date first")
}

// ---------------------------------------------------------------- render

fn render_year(out: &mut String, d: &DateV) {
    match d.year {
        YearRepr::Short { neg, d: p } => {
            if neg {
                out.push('-');
            }
            for c in p {
                out.push(char::from(c));
            }
        }
        YearRepr::Long { v, exp } => {
            out.push('Y');
            match exp {
                Some((m, e)) => {
                    push_int(out, m);
                    out.push('E');
                    push_int(out, i64::from(e));
                }
                None => push_int(out, v),
            }
        }
    }
    if let Some(s) = d.sig {
        out.push('S');
        push_int(out, i64::from(s));
    }
}

fn push_int(out: &mut String, v: i64) {
    if v < 0 {
        out.push('-');
    }
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut a = v.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (a % 10) as u8;
        a /= 10;
        if a == 0 || i == 0 {
            break;
        }
    }
    for c in &buf[i..] {
        out.push(char::from(*c));
    }
}

pub(crate) fn render_date(out: &mut String, d: &DateV) {
    let n = d.ncomp();
    let q = &d.q[..n];
    // Trailing form: components 0..=k share one qualifier, the rest none.
    let mut trailing: Option<usize> = None;
    if q.iter().any(|c| c.any()) {
        for k in (0..n).rev() {
            if q[k].any() {
                if q[..=k].iter().all(|c| *c == q[k]) {
                    trailing = Some(k);
                }
                break;
            }
        }
    }
    let pre = |out: &mut String, i: usize| {
        if trailing.is_none()
            && let Some(c) = q.get(i).and_then(|c| c.ch())
        {
            out.push(c);
        }
    };
    let post = |out: &mut String, i: usize| {
        if trailing == Some(i)
            && let Some(c) = q[i].ch()
        {
            out.push(c);
        }
    };
    pre(out, 0);
    render_year(out, d);
    post(out, 0);
    for (i, part) in [d.month, d.day].into_iter().enumerate() {
        if let Some(p) = part {
            out.push('-');
            pre(out, i + 1);
            out.push(char::from(p[0]));
            out.push(char::from(p[1]));
            post(out, i + 1);
        }
    }
}

pub(crate) fn render(e: &Expr) -> String {
    let mut out = String::with_capacity(24);
    let end = |out: &mut String, x: &End| match x {
        End::Date(d) => render_date(out, d),
        End::Open => out.push_str(".."),
        End::Unknown => {}
    };
    match e {
        Expr::Single(d) => render_date(&mut out, d),
        Expr::Interval(a, b) => {
            end(&mut out, a);
            out.push('/');
            end(&mut out, b);
        }
        Expr::Set { all, items } => {
            out.push(if *all { '{' } else { '[' });
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match it {
                    SetItem::One(d) => render_date(&mut out, d),
                    SetItem::Range(a, b) => {
                        render_date(&mut out, a);
                        out.push_str("..");
                        render_date(&mut out, b);
                    }
                    SetItem::Before(d) => {
                        out.push_str("..");
                        render_date(&mut out, d);
                    }
                    SetItem::After(d) => {
                        render_date(&mut out, d);
                        out.push_str("..");
                    }
                }
            }
            out.push(if *all { '}' } else { ']' });
        }
    }
    out
}

// ---------------------------------------------------------------- parse

struct P<'a> {
    b: &'a [u8],
    i: usize,
    base: usize,
}

fn syn(msg: impl Into<Cow<'static, str>>, span: Range<usize>) -> Fail {
    Fail::new(K::EdtfSyntax, msg, span)
}

impl P<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn at(&self, k: usize) -> Option<u8> {
        self.b.get(self.i + k).copied()
    }
    fn sp(&self, a: usize, b: usize) -> Range<usize> {
        self.base + a..self.base + b.max(a)
    }
    fn here(&self) -> Range<usize> {
        let e = if self.i < self.b.len() {
            self.i + 1
        } else {
            self.i
        };
        self.sp(self.i, e)
    }
    fn unexpected(&self) -> Fail {
        match self.peek() {
            None => syn("the EDTF date ends too early", self.here()),
            Some(c) if c.is_ascii_graphic() => syn(
                format!("unexpected `{}` in EDTF", char::from(c)),
                self.here(),
            ),
            Some(_) => syn("unexpected character in EDTF", self.here()),
        }
    }

    fn qual(&mut self) -> Result<Qual, Fail> {
        let q = match self.peek() {
            Some(b'?') => Qual {
                approx: false,
                uncertain: true,
            },
            Some(b'~') => Qual {
                approx: true,
                uncertain: false,
            },
            Some(b'%') => Qual {
                approx: true,
                uncertain: true,
            },
            _ => return Ok(Qual::NONE),
        };
        self.i += 1;
        if matches!(self.peek(), Some(b'?' | b'~' | b'%')) {
            return Err(syn("two qualifiers in a row", self.sp(self.i - 1, self.i + 1))
                .help("`%` means approximate and uncertain at once (the 2012 draft's `?~` was withdrawn)"));
        }
        Ok(q)
    }

    fn digits_x(&mut self, n: usize, what: &'static str) -> Result<[u8; 4], Fail> {
        let mut out = [b'0'; 4];
        let start = self.i;
        for slot in out.iter_mut().take(n) {
            match self.peek() {
                Some(c @ (b'0'..=b'9' | b'X')) => {
                    *slot = c;
                    self.i += 1;
                }
                Some(b'x' | b'u') => {
                    return Err(syn(
                        format!("unspecified digits are written with `X` ({what})"),
                        self.here(),
                    )
                    .help("the 2012 draft's `u` and lowercase `x` were replaced by `X`: `199X`"));
                }
                Some(c)
                    if !c.is_ascii_digit() && c != b'-' && self.i == start && what == "a year" =>
                {
                    return Err(syn("this is not an EDTF date", self.here()));
                }
                _ => {
                    return Err(syn(
                        format!("{what} needs {n} digits"),
                        self.sp(start, self.i.max(start + 1).min(self.b.len())),
                    ));
                }
            }
        }
        Ok(out)
    }

    fn int(&mut self) -> Option<(i64, usize)> {
        let s = self.i;
        let mut v: i64 = 0;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            v = v.checked_mul(10)?.checked_add(i64::from(c - b'0'))?;
            self.i += 1;
        }
        (self.i > s).then_some((v, self.i - s))
    }

    fn date(&mut self, allow_time: bool) -> Result<(DateV, Range<usize>), Fail> {
        let start = self.i;
        let mut q = [Qual::NONE; 3];
        q[0] = self.qual()?;
        let ys = self.i;
        let year = match self.peek() {
            Some(b'Y') => {
                self.i += 1;
                let neg = self.peek() == Some(b'-');
                if neg {
                    self.i += 1;
                }
                let ds = self.i;
                let (m, n) = self
                    .int()
                    .ok_or_else(|| syn("a `Y` year needs digits", self.here()))?;
                let big = || Fail::new(K::OutOfRange, "the year is too large", 0..0);
                if self.peek() == Some(b'E') {
                    self.i += 1;
                    let (e, _) = self
                        .int()
                        .ok_or_else(|| syn("an exponent needs digits", self.here()))?;
                    let e = u32::try_from(e).map_err(|_| big())?;
                    let v = 10i64
                        .checked_pow(e)
                        .and_then(|p| p.checked_mul(m))
                        .ok_or_else(big)
                        .map_err(|f| Fail {
                            span: self.sp(ys, self.i),
                            ..f
                        })?;
                    let v = if neg { -v } else { v };
                    YearRepr::Long {
                        v,
                        exp: Some((if neg { -m } else { m }, e)),
                    }
                } else {
                    if n <= 4 || m <= 9999 {
                        return Err(syn(
                            "a `Y` year must have more than four digits",
                            self.sp(ys, self.i),
                        )
                        .help("write years of up to four digits without `Y`, e.g. `1985`"));
                    }
                    let _ = ds;
                    YearRepr::Long {
                        v: if neg { -m } else { m },
                        exp: None,
                    }
                }
            }
            Some(b'y') => {
                return Err(syn("`y` must be uppercase", self.here())
                    .help("the 2012 draft's lowercase `y` became `Y`: `Y170000002`"));
            }
            _ => {
                let neg = self.peek() == Some(b'-');
                if neg {
                    self.i += 1;
                }
                let d = self.digits_x(4, "a year")?;
                if let Some(b'0'..=b'9' | b'X') = self.peek() {
                    return Err(syn("a year has four digits", self.sp(ys, self.i + 1))
                        .help("write a year of more than four digits with `Y`: `Y12345`"));
                }
                if neg && d == *b"0000" {
                    return Err(syn("year zero has no sign", self.sp(ys, self.i))
                        .help("write `0000` (1 BCE)"));
                }
                YearRepr::Short { neg, d }
            }
        };
        if let YearRepr::Long { v, .. } = year
            && i32::try_from(v).is_err()
        {
            return Err(Fail::new(
                K::OutOfRange,
                "years beyond ±2147483647 are not supported",
                self.sp(ys, self.i),
            ));
        }
        let year_end = self.i;
        let mut sig = None;
        if self.peek() == Some(b'S') {
            self.i += 1;
            let (s, _) = self
                .int()
                .ok_or_else(|| syn("significant digits need a number", self.here()))?;
            let n = match year {
                YearRepr::Short { .. } => 4,
                YearRepr::Long { v, .. } => digits(v.unsigned_abs() as i64) as i64,
            };
            if s == 0 || s > n {
                return Err(Fail::new(
                    K::InvalidDate,
                    format!("the year has {n} digits, so {s} of them cannot be significant"),
                    self.sp(year_end, self.i),
                ));
            }
            sig = Some(s as u8);
        }
        let post = self.qual()?;
        q[0] = q[0].or(post);
        let mut month = None;
        let mut day = None;
        let mut mspan = 0..0;
        let mut dspan = 0..0;
        let short = matches!(year, YearRepr::Short { .. }) && sig.is_none();
        if short
            && self.peek() == Some(b'-')
            && matches!(
                self.at(1),
                Some(b'0'..=b'9' | b'X' | b'x' | b'u' | b'?' | b'~' | b'%')
            )
        {
            self.i += 1;
            q[1] = self.qual()?;
            let ms = self.i;
            let m = self.digits_x(2, "a month")?;
            let m = [m[0], m[1]];
            mspan = self.sp(ms, self.i);
            if let Some(b'0'..=b'9') = self.peek() {
                return Err(syn("a month has two digits", self.sp(ms, self.i + 1)));
            }
            let post = self.qual()?;
            for c in q.iter_mut().take(2) {
                *c = c.or(post);
            }
            month = Some(m);
            if self.peek() == Some(b'-')
                && matches!(
                    self.at(1),
                    Some(b'0'..=b'9' | b'X' | b'x' | b'u' | b'?' | b'~' | b'%')
                )
            {
                self.i += 1;
                q[2] = self.qual()?;
                let ds = self.i;
                let d = self.digits_x(2, "a day")?;
                dspan = self.sp(ds, self.i);
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(syn("a day has two digits", self.sp(ds, self.i + 1)));
                }
                let post = self.qual()?;
                for c in q.iter_mut() {
                    *c = c.or(post);
                }
                day = Some([d[0], d[1]]);
            }
        }
        if self.peek() == Some(b'(') || self.peek() == Some(b')') {
            return Err(syn("parentheses are not EDTF", self.here()).help(
                "the 2012 draft's parenthesized qualifiers were withdrawn: put the qualifier before the component, e.g. `2004-?06-11`",
            ));
        }
        if self.peek() == Some(b'^') {
            return Err(syn("season qualifiers (`^`) are not EDTF", self.here())
                .help("use the hemisphere codes 25–32, e.g. `2001-29` for southern spring"));
        }
        if self.peek() == Some(b'T') {
            if !allow_time {
                return Err(syn(
                    "an EDTF interval or set takes dates without a time of day",
                    self.here(),
                ));
            }
            if day.is_none() {
                return Err(syn("a time needs a full date", self.here()));
            }
            if q.iter().any(|c| c.any()) {
                return Err(syn("a date with a time cannot be qualified", self.here()));
            }
            self.time()?;
        }
        let v = DateV {
            year,
            sig,
            month,
            day,
            q,
        };
        self.check(&v, mspan, dspan)?;
        Ok((v, self.sp(start, self.i)))
    }

    fn time(&mut self) -> Result<(), Fail> {
        let ts = self.i;
        self.i += 1;
        let field = |p: &mut Self, max: i64, what: &'static str| -> Result<(), Fail> {
            let s = p.i;
            match p.int() {
                Some((v, 2)) if v <= max => Ok(()),
                Some(_) => Err(Fail::new(
                    K::InvalidDate,
                    format!("{what} out of range"),
                    p.sp(s, p.i),
                )),
                None => Err(syn(format!("the time needs {what}"), p.here())),
            }
        };
        field(self, 23, "the hour")?;
        if self.peek() == Some(b':') {
            self.i += 1;
            field(self, 59, "the minutes")?;
            if self.peek() == Some(b':') {
                self.i += 1;
                field(self, 60, "the seconds")?;
                if self.peek() == Some(b'.') || self.peek() == Some(b',') {
                    self.i += 1;
                    if self.int().is_none() {
                        return Err(syn("the fraction needs digits", self.here()));
                    }
                }
            }
        }
        match self.peek() {
            Some(b'Z') => self.i += 1,
            Some(b'+' | b'-') => {
                self.i += 1;
                field(self, 23, "the zone hours")?;
                if self.peek() == Some(b':') {
                    self.i += 1;
                }
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    field(self, 59, "the zone minutes")?;
                }
            }
            _ => {}
        }
        let _ = ts;
        Ok(())
    }

    fn check(&self, v: &DateV, mspan: Range<usize>, dspan: Range<usize>) -> Result<(), Fail> {
        if let Some(m) = v.month {
            if !m.contains(&b'X') {
                let n = val2(m);
                if n > 12 {
                    if code_months(n).is_none() {
                        return Err(Fail::new(
                            K::InvalidDate,
                            format!("there is no month {}{}", char::from(m[0]), char::from(m[1])),
                            mspan,
                        )
                        .help(month_help(v, n)));
                    }
                    if v.day.is_some() {
                        return Err(syn("a season or part of a year cannot have a day", dspan));
                    }
                } else if n == 0 {
                    return Err(Fail::new(K::InvalidDate, "there is no month 00", mspan));
                }
            } else if !(1..=12).any(|k| matches2(m, k)) {
                return Err(Fail::new(K::InvalidDate, "no month matches", mspan));
            }
        }
        if let (Some(m), Some(d)) = (v.month, v.day)
            && !d.contains(&b'X')
        {
            let dd = val2(d);
            if dd == 0 {
                return Err(Fail::new(K::InvalidDate, "there is no day 00", dspan));
            }
            if dd > 31 {
                return Err(Fail::new(
                    K::InvalidDate,
                    format!("no month has {dd} days"),
                    dspan,
                ));
            }
            if !m.contains(&b'X') {
                let mm = val2(m);
                if let YearRepr::Short { d: yd, neg } = v.year
                    && !yd.contains(&b'X')
                {
                    let y = Years::of(v).lo;
                    let _ = neg;
                    let len = month_len(y, mm);
                    if dd > len {
                        return Err(day_error(y, mm, dspan));
                    }
                }
            }
        }
        if extreme(v, true).is_none() {
            let span = if dspan.is_empty() { mspan } else { dspan };
            return Err(Fail::new(K::InvalidDate, "no day matches this date", span));
        }
        Ok(())
    }

    fn set(&mut self) -> Result<Expr, Fail> {
        let open = self.peek();
        let all = open == Some(b'{');
        let close = if all { b'}' } else { b']' };
        self.i += 1;
        let mut items = Vec::new();
        loop {
            if self.peek() == Some(b'.') && self.at(1) == Some(b'.') {
                self.i += 2;
                let (d, _) = self.date(false)?;
                items.push(SetItem::Before(d));
            } else {
                let (d, s) = self.date(false)?;
                if self.peek() == Some(b'.') && self.at(1) == Some(b'.') {
                    self.i += 2;
                    if matches!(self.peek(), Some(b',') | Some(b']') | Some(b'}')) {
                        items.push(SetItem::After(d));
                    } else {
                        let (e, s2) = self.date(false)?;
                        if let (Some(a), Some(b)) = (date_bounds(&d), date_bounds(&e))
                            && a.0 > b.1
                        {
                            return Err(reversed(a.0, b.1, s.start..s2.end));
                        }
                        items.push(SetItem::Range(d, e));
                    }
                } else {
                    items.push(SetItem::One(d));
                }
            }
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(c) if c == close => {
                    self.i += 1;
                    break;
                }
                _ => return Err(self.unexpected()),
            }
        }
        Ok(Expr::Set { all, items })
    }

    fn end(&mut self, to: usize, first: bool) -> Result<End, Fail> {
        let part = &self.b[self.i..to];
        if part.is_empty() {
            return Ok(End::Unknown);
        }
        if part == b".." {
            self.i = to;
            return Ok(End::Open);
        }
        // EDTF (level 0 on) excludes the time of day from intervals; edtf-validate's test
        // suite lists `2005-07-25T10:10:10Z/2006-01` among the invalid.
        let (d, _) = self.date(false)?;
        if self.i != to {
            return Err(self.unexpected());
        }
        let _ = first;
        Ok(End::Date(d))
    }

    fn expr(&mut self) -> Result<Expr, Fail> {
        if matches!(self.peek(), Some(b'[' | b'{')) {
            let e = self.set()?;
            if self.i != self.b.len() {
                return Err(self.unexpected());
            }
            return Ok(e);
        }
        if let Some(slash) = self.b.iter().position(|c| *c == b'/') {
            let a = self.end(slash, true)?;
            if self.i != slash {
                return Err(self.unexpected());
            }
            self.i = slash + 1;
            let b = self.end(self.b.len(), false)?;
            if self.i != self.b.len() && !matches!(b, End::Unknown) {
                return Err(self.unexpected());
            }
            if matches!(a, End::Open | End::Unknown) && matches!(b, End::Open | End::Unknown) {
                return Err(syn(
                    "an interval needs at least one date",
                    self.sp(0, self.b.len()),
                ));
            }
            return Ok(Expr::Interval(a, b));
        }
        let (d, _) = self.date(true)?;
        if self.i != self.b.len() {
            return Err(self.unexpected());
        }
        Ok(Expr::Single(d))
    }
}

fn month_help(v: &DateV, n: u8) -> String {
    if let YearRepr::Short { neg: false, d } = v.year
        && !d.contains(&b'X')
        && v.day.is_none()
    {
        let y = i64::from(d[0] - b'0') * 1000
            + i64::from(d[1] - b'0') * 100
            + i64::from(d[2] - b'0') * 10
            + i64::from(d[3] - b'0');
        let end = y - y % 100 + i64::from(n);
        if end > y {
            return format!(
                "months are 01–12 and seasons 21–41; for the years {y} to {end} write `{y}/{end}`"
            );
        }
    }
    "months are 01–12; seasons and other parts of a year are 21–41".to_owned()
}

pub(crate) fn day_error(y: i64, m: u8, span: Range<usize>) -> Fail {
    let len = month_len(y, m);
    let msg = if m == 2 {
        let yw = if y <= 0 {
            format!("{} BCE", 1 - y)
        } else {
            y.to_string()
        };
        if is_leap(y) {
            format!("February {yw} has 29 days")
        } else {
            format!("February {yw} has 28 days ({yw} is not a leap year)")
        }
    } else {
        format!("{} has {len} days", month_name(m))
    };
    Fail::new(K::InvalidDate, msg, span)
}

fn draft_hint(s: &str) -> Option<&'static str> {
    let l = s.to_ascii_lowercase();
    if l.contains("unknown") {
        Some("the 2012 draft's `unknown` end is now written as nothing: `1985-04-12/`")
    } else if l.contains("open") {
        Some("the 2012 draft's `open` end is now written `..`: `1985-04-12/..`")
    } else {
        None
    }
}

pub(crate) fn parse(s: &str, base: usize) -> Result<Expr, Fail> {
    parse_inner(s, base).map_err(|f| match draft_hint(s) {
        Some(h) => syn("withdrawn EDTF draft syntax", base..base + s.len()).help(h),
        None => f,
    })
}

fn parse_inner(s: &str, base: usize) -> Result<Expr, Fail> {
    if let Some(p) = s.find(['(', ')']) {
        return Err(syn("parentheses are not EDTF", base + p..base + p + 1).help(
            "the 2012 draft's parenthesized qualifiers were withdrawn: put the qualifier before the component, e.g. `2004-?06-11`",
        ));
    }
    if s == "[]" || s == "{}" {
        return Err(syn("an empty set", base..base + 2));
    }
    if let Some(p) = s.find(char::is_whitespace) {
        return Err(syn("EDTF has no spaces", base + p..base + p + 1));
    }
    let mut p = P {
        b: s.as_bytes(),
        i: 0,
        base,
    };
    p.expr()
}

fn is_level0(e: &Expr) -> bool {
    match e {
        Expr::Single(d) => d.is_level0(),
        Expr::Interval(End::Date(a), End::Date(b)) => a.is_level0() && b.is_level0(),
        _ => false,
    }
}

/// Build the public value from an expression.
pub(crate) fn finish(
    e: &Expr,
    span: Range<usize>,
    precision: Option<Precision>,
) -> Result<NormalizedDate, Fail> {
    let s = summarize(e, span)?;
    Ok(NormalizedDate {
        edtf: render(e),
        earliest: s.earliest,
        latest: s.latest,
        precision: precision.unwrap_or(s.precision),
        approximate: s.approximate,
        uncertain: s.uncertain,
        assumed: Vec::new(),
        language_mismatch: None,
    })
}

/// Parse EDTF (or only ISO 8601 / EDTF level 0 when `iso_only`).
pub(crate) fn normalize(s: &str, base: usize, iso_only: bool) -> Result<NormalizedDate, Fail> {
    let e = parse(s, base)?;
    if iso_only && !is_level0(&e) {
        return Err(syn(
            "this is EDTF beyond ISO 8601 (qualifiers, unspecified digits, seasons, open ends, sets or negative years)",
            base..base + s.len(),
        )
        .help("use --lang edtf"));
    }
    finish(&e, base..base + s.len(), None)
}
