//! The grammar of prose dates: a small recursive-descent parser that reads
//! one [`Point`] (a date, month, season, part of a year, decade, century or
//! relative expression) from tokens, without resolving it.

use std::ops::Range;

use super::tokens::{Token, TokenKind, unparseable};
use crate::lexicon::{self, FEASTS, Feast, Part, W};
use crate::{DateErrorKind as K, Fail, Lang};

// ------------------------------------------------------------------ points

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// How far `poco después` / `shortly after` reaches: up to 30 days (see `docs/dates.md`).
pub(super) const SHORTLY_DAYS: i64 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rel {
    SameDay,
    ThatMonth,
    ThatYear,
    Offset(i64, Unit),
    /// `al mes siguiente`, `the previous year`: the next or previous unit,
    /// at that unit's precision
    Step(i64, Unit),
    /// `later that year` (true) / `earlier that year` (false)
    RestOfYear(bool),
    /// `en tres días`, `within three days`: from the reference day to n units on
    Within(i64, Unit),
    /// `poco después`, `shortly after` (true) / `poco antes`, `shortly before` (false): up to
    /// [`SHORTLY_DAYS`] days after the reference's last day, or before its first
    Shortly(bool),
}

#[derive(Clone, Copy, Debug, Default)]
pub(super) struct WrittenYear {
    pub(super) y: i64,
    /// written with two digits (`del 44`, `'44`): century to be assumed
    pub(super) two: bool,
    /// two digits and no word that makes it a year: only valid as the end of
    /// a range whose start has four digits (`1943–45`)
    pub(super) bare: bool,
    /// Some(true) BCE, Some(false) CE
    pub(super) bce: Option<bool>,
    pub(super) s: usize,
    pub(super) e: usize,
}

#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Point {
    pub(super) s: usize,
    pub(super) e: usize,
    pub(super) day: Option<(u8, usize, usize)>,
    pub(super) month: Option<u8>,
    pub(super) year: Option<WrittenYear>,
    pub(super) season: Option<u8>,
    pub(super) half: Option<u8>,
    /// first year of the decade, and whether written with two digits
    pub(super) decade: Option<(i64, bool)>,
    /// century number (20 for the 1900s), and BCE
    pub(super) century: Option<(i64, bool)>,
    pub(super) part: Option<Part>,
    pub(super) rel: Option<Rel>,
    pub(super) approx: bool,
    pub(super) uncertain: bool,
    /// the year came from the other end of a range
    pub(super) year_shared: bool,
    /// a weekday written with the date (0 = Monday), and where
    pub(super) weekday: Option<(u8, usize, usize)>,
    /// `quincena`/`fortnight` rather than `half`: only of a month
    pub(super) fortnight: bool,
    /// the n-th week of a month (1–5), 0 for the last
    pub(super) week: Option<u8>,
    /// `la noche del 9 de julio`: the night that begins on the day
    pub(super) night: bool,
    /// a feast day, to be placed in the year
    pub(super) feast: Option<Feast>,
}

impl Point {
    pub(super) fn is_empty(&self) -> bool {
        self.day.is_none()
            && self.month.is_none()
            && self.year.is_none()
            && self.season.is_none()
            && self.half.is_none()
            && self.decade.is_none()
            && self.century.is_none()
            && self.rel.is_none()
            && self.feast.is_none()
    }
    /// Wants a year (has month, day, season or half but no year).
    pub(super) fn wants_year(&self) -> bool {
        self.year.is_none()
            && self.rel.is_none()
            && (self.month.is_some()
                || self.feast.is_some()
                || self.day.is_some()
                || self.season.is_some()
                || self.half.is_some()
                || (self.part.is_some() && self.decade.is_none() && self.century.is_none()))
    }
}

pub(super) struct Parser<'a> {
    /// the point began with `a`, `al` or `al cabo de` (a count after the reference)
    pub(super) lead_a: bool,
    /// the point began with `en`, `em`, `in`, `within` (a count within which it happened)
    pub(super) lead_in: bool,
    pub(super) t: &'a [Token],
    pub(super) i: usize,
    pub(super) end: usize,
    pub(super) lang: Lang,
}

impl Parser<'_> {
    pub(super) fn tok(&self) -> Option<&Token> {
        if self.i < self.end {
            self.t.get(self.i)
        } else {
            None
        }
    }
    pub(super) fn tok_at(&self, k: usize) -> Option<&Token> {
        let j = self.i + k;
        if j < self.end { self.t.get(j) } else { None }
    }
    pub(super) fn w(&self) -> Option<W> {
        self.tok().and_then(|t| t.w)
    }
    pub(super) fn w_at(&self, k: usize) -> Option<W> {
        self.tok_at(k).and_then(|t| t.w)
    }
    pub(super) fn is_p(&self, p: u8) -> bool {
        self.tok()
            .is_some_and(|t| t.kind == TokenKind::Punct && t.p == p)
    }
    pub(super) fn eat_p(&mut self, p: u8) -> bool {
        if self.is_p(p) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    pub(super) fn skip(&mut self, f: impl Fn(W) -> bool) {
        while self.w().is_some_and(&f) {
            self.i += 1;
        }
    }
    pub(super) fn here(&self) -> Range<usize> {
        match self.tok() {
            Some(t) => t.span(),
            None => {
                let e = self
                    .end
                    .checked_sub(1)
                    .and_then(|k| self.t.get(k))
                    .map_or(0, |t| t.e as usize);
                e..e
            }
        }
    }
    pub(super) fn unexpected(&self) -> Fail {
        match self.tok() {
            Some(_) => unparseable("unexpected word in a date", self.here()),
            None => unparseable("the date ends too early", self.here()),
        }
    }
    pub(super) fn last_end(&self) -> usize {
        self.i
            .checked_sub(1)
            .and_then(|k| self.t.get(k))
            .map_or(0, |t| t.e as usize)
    }

    pub(super) fn quirks(&self) -> &'static lexicon::Quirks {
        lexicon::quirks(self.lang)
    }

    /// The feast whose name starts at token `at`, and the token after it: the longest name
    /// of the language that matches word for word (an apostrophe between words is passed over).
    pub(super) fn feast_at(&self, at: usize) -> Option<(Feast, usize)> {
        let first = self.t.get(at).filter(|t| t.kind == TokenKind::Word)?;
        if !matches!(
            first.w,
            Some(W::FeastWord | W::Saint | W::Weekday(_) | W::YearW | W::Eve)
        ) {
            return None;
        }
        let mut best: Option<(Feast, usize)> = None;
        for (lang, words, feast) in FEASTS {
            if *lang != self.lang {
                continue;
            }
            let mut k = at;
            let mut ok = true;
            for word in *words {
                while self
                    .t
                    .get(k)
                    .is_some_and(|t| t.kind == TokenKind::Punct && t.p == b'\'')
                    && k < self.end
                {
                    k += 1;
                }
                match self.t.get(k) {
                    Some(t) if k < self.end && t.folded() == word.as_bytes() => k += 1,
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok && best.is_none_or(|(_, e)| k > e) {
                best = Some((*feast, k));
            }
        }
        best
    }

    /// An era after a year (`44 a.C.`, `44 BC`), consumed if present.
    pub(super) fn era(&mut self) -> Option<bool> {
        let f = |k: usize| {
            self.tok_at(k)
                .filter(|t| t.kind == TokenKind::Word)
                .map(Token::folded)
        };
        let pats = lexicon::quirks(self.lang).eras;
        for (pat, bce) in pats {
            if pat.iter().enumerate().all(|(k, w)| f(k) == Some(*w)) {
                self.i += pat.len();
                return Some(*bce);
            }
        }
        None
    }

    /// A year number at the cursor. `after_of`: a two-digit number here is
    /// a two-digit year (`abril del 44`).
    pub(super) fn year(&mut self, after_of: bool) -> Result<WrittenYear, Fail> {
        let Some(t) = self
            .tok()
            .copied()
            .filter(|t| t.kind == TokenKind::Num && !t.ord && !t.dec_s)
        else {
            return Err(self.unexpected());
        };
        self.i += 1;
        let mut y = WrittenYear {
            y: i64::from(t.num),
            s: t.s as usize,
            e: t.e as usize,
            ..WrittenYear::default()
        };
        if t.nd > 4 {
            return Err(Fail::new(
                K::OutOfRange,
                "years of more than four digits are written in EDTF (`Y12345`)",
                t.span(),
            ));
        }
        y.bce = self.era();
        if y.bce.is_none() && t.nd <= 2 {
            if t.apos || after_of {
                if t.nd != 2 {
                    return Err(unparseable("a two-digit year needs two digits", t.span()));
                }
                y.two = true;
            } else {
                y.two = true;
                y.bare = true;
            }
        }
        if (y.bce.is_some() || !y.two) && y.y == 0 {
            return Err(Fail::new(
                K::InvalidDate,
                "there is no year 0 in the count before and after Christ",
                t.span(),
            )
            .help("1 BCE is followed by 1 CE; for the astronomical year 0 write EDTF `0000`"));
        }
        y.e = self.last_end().max(y.e);
        Ok(y)
    }

    pub(super) fn unit(&self) -> Option<Unit> {
        match self.w()? {
            W::DayW | W::DaysW => Some(Unit::Day),
            W::WeekW => Some(Unit::Week),
            W::MonthW | W::MonthsW => Some(Unit::Month),
            W::YearW | W::YearsW => Some(Unit::Year),
            _ => None,
        }
    }

    /// `<n> <unit> después|later|antes|earlier|más tarde`
    pub(super) fn offset(&mut self, n: i64) -> Result<Rel, Fail> {
        let Some(u) = self.unit() else {
            return Err(self.unexpected());
        };
        self.i += 1;
        let sign = match self.w() {
            Some(W::After) => 1,
            Some(W::Before) => -1,
            Some(W::More) if self.w_at(1) == Some(W::Tarde) => {
                self.i += 1;
                1
            }
            // `a los cuatro días`, `al cabo de cuatro días`: after
            None if self.lead_a => return Ok(Rel::Offset(n, u)),
            // `en tres días`, `within three days`: from the reference day to n days on
            None if self.lead_in => return Ok(Rel::Within(n, u)),
            _ => {
                return Err(unparseable(
                    "a count of days needs `después`, `depois`, `later`, `antes` or `before`",
                    self.here(),
                ));
            }
        };
        self.i += 1;
        Ok(Rel::Offset(sign * n, u))
    }

    /// `the day after`, `día siguiente`, `next month`, ...: ±1 of a unit.
    pub(super) fn step(&mut self, u: Unit) -> Option<Rel> {
        match self.w() {
            Some(W::Next) => {
                self.i += 1;
                Some(Rel::Step(1, u))
            }
            Some(W::Prev) => {
                self.i += 1;
                Some(Rel::Step(-1, u))
            }
            // `a month later`, `the day before`: counted from the reference day
            Some(W::After) => {
                self.i += 1;
                Some(Rel::Offset(1, u))
            }
            Some(W::Before) => {
                self.i += 1;
                Some(Rel::Offset(-1, u))
            }
            _ => None,
        }
    }

    pub(super) fn decade(&mut self, p: &mut Point) -> Result<(), Fail> {
        if let Some(W::Num(n) | W::Tens(n)) = self.w()
            && n >= 20
            && n % 10 == 0
        {
            // `los años cuarenta`, `the forties`: the 1900s
            self.i += 1;
            p.decade = Some((1900 + i64::from(n), true));
            return Ok(());
        }
        let Some(t) = self.tok().copied().filter(|t| t.kind == TokenKind::Num) else {
            return Err(self.unexpected());
        };
        self.i += 1;
        let v = i64::from(t.num);
        let (start, two) = match t.nd {
            2 => (1900 + v, true),
            3 | 4 => (v, false),
            _ => return Err(unparseable("a decade is written `40` or `1940`", t.span())),
        };
        if v % 10 != 0 {
            return Err(Fail::new(
                K::InvalidDate,
                "a decade is named by its first year, which ends in 0",
                t.span(),
            )
            .help(format!("write `{}`", v - v % 10)));
        }
        p.decade = Some((start, two));
        if let Some(bce) = self.era()
            && bce
        {
            return Err(unparseable(
                "decades before the common era are not supported",
                t.s as usize..self.last_end(),
            )
            .help("write the years as an interval, e.g. `-0049/-0040`"));
        }
        Ok(())
    }

    pub(super) fn century(
        &mut self,
        p: &mut Point,
        n: i64,
        span: Range<usize>,
    ) -> Result<(), Fail> {
        if !(1..=100).contains(&n) {
            return Err(Fail::new(K::InvalidDate, "there is no such century", span));
        }
        let bce = self.era() == Some(true);
        p.century = Some((n, bce));
        Ok(())
    }

    pub(super) fn point(&mut self) -> Result<Point, Fail> {
        let mut p = Point {
            s: self.here().start,
            ..Point::default()
        };
        loop {
            match self.w() {
                Some(W::Circa) => {
                    p.approx = true;
                    self.i += 1;
                }
                Some(W::Por) if self.w_at(1) == Some(W::Circa) => self.i += 1,
                Some(W::Uncertain) => {
                    p.uncertain = true;
                    self.i += 1;
                }
                Some(W::In) => {
                    self.lead_in = true;
                    self.i += 1;
                }
                Some(W::Art | W::Of) => self.i += 1,
                // `a los cuatro días`, `al cabo de cuatro días`: a count after the reference
                Some(W::A | W::Al | W::Cabo) => {
                    self.lead_a = true;
                    self.i += 1;
                }
                // `los días 3 y 4 de mayo`: the days that follow
                Some(W::DaysW) if self.tok_at(1).is_some_and(|x| x.kind == TokenKind::Num) => {
                    self.i += 1;
                }
                // `a primera hora de la mañana del 25 de julio`: early in that day
                Some(W::Ord(1) | W::Last) if matches!(self.w_at(1), Some(W::DayPart(_))) => {
                    self.i += 1;
                }
                // `la madrugada del 25`, `the night of 9/10 July`: the day (a night also
                // takes the next morning)
                Some(W::DayPart(night))
                    if matches!(self.w_at(1), Some(W::Of | W::Art | W::In))
                        || self.tok_at(1).is_some_and(|x| x.kind == TokenKind::Num) =>
                {
                    p.night |= night;
                    self.i += 1;
                }
                // `sábado 22 de enero`, `Friday, 3 September`: kept to be checked (but
                // `Viernes Santo` is a feast).
                Some(W::Weekday(d)) if p.weekday.is_none() && self.feast_at(self.i).is_none() => {
                    let span = self.here();
                    p.weekday = Some((d, span.start, span.end));
                    self.i += 1;
                    self.eat_p(b',');
                }
                _ => break,
            }
        }
        if let (Some((_, s, e)), None) = (p.weekday, self.tok()) {
            return Err(unparseable(
                "a weekday alone names no date (fasti does not count to the next or last one)",
                s..e,
            )
            .help("give the day of the month with it, e.g. `Friday, 3 September 1943`"));
        }
        // `día de San Juan`, `the feast of`: the feast's name follows
        if self.w() == Some(W::DayW)
            && self.w_at(1) == Some(W::Of)
            && self.feast_at(self.i + 2).is_some()
        {
            self.i += 2;
        }
        if let Some((feast, end)) = self.feast_at(self.i) {
            p.feast = Some(feast);
            self.i = end;
            // `Christmas Day`, `All Saints' Day`, `New Year's Day`, `Christmas Eve, 1943`
            if self.is_p(b'\'') {
                self.i += 1;
                if self.tok().is_some_and(|t| t.folded() == b"s") {
                    self.i += 1;
                }
            }
            if self.w() == Some(W::DayW) {
                self.i += 1;
            }
            self.eat_p(b',');
            let of = self.w() == Some(W::Of);
            self.skip(|w| matches!(w, W::Of | W::Art | W::In));
            if self.tok().is_some_and(|t| t.kind == TokenKind::Num) {
                p.year = Some(self.year(of)?);
            }
            p.e = self.last_end();
            return Ok(p);
        }
        if let Some(W::Part(part)) = self.w() {
            p.part = Some(part);
            self.i += 1;
            self.eat_p(b'-');
            self.skip(|w| matches!(w, W::Of | W::Art | W::In));
        } else if let (Some(W::Ord(n @ 1..=2)), Some(w @ (W::Half | W::Fortnight))) =
            (self.w(), self.w_at(1))
        {
            // `the first half of 1944` (a semester), `primera quincena de enero` (days 1–15)
            p.half = Some(39 + n);
            p.fortnight = w == W::Fortnight;
            self.i += 2;
            self.skip(|w| matches!(w, W::Of | W::Art | W::In));
        } else if let (Some(w @ (W::Ord(1) | W::Last)), Some(W::DaysW)) = (self.w(), self.w_at(1)) {
            // `los primeros días de enero`, `the last days of May`: early or late in the month
            p.part = Some(if w == W::Last {
                Part::Late
            } else {
                Part::Early
            });
            self.i += 2;
            self.skip(|w| matches!(w, W::Of | W::Art | W::In));
        } else if let (Some(w @ (W::Ord(1..=5) | W::Last)), Some(W::WeekW)) =
            (self.w(), self.w_at(1))
        {
            // `the first week of January`: days 1–7; `la última semana`: the last seven days
            p.week = Some(match w {
                W::Ord(n) => n,
                _ => 0,
            });
            self.i += 2;
            self.skip(|w| matches!(w, W::Of | W::Art | W::In));
        }
        let Some(t) = self.tok().copied() else {
            return Err(self.unexpected());
        };
        match (t.kind, t.w) {
            (TokenKind::Num, _) => self.num_point(&mut p, t)?,
            (TokenKind::Word, Some(W::Month(_)))
                if self
                    .quirks()
                    .month_or_number
                    .is_some_and(|(word, _)| t.folded() == word)
                    && self.w_at(1).is_some_and(|w| {
                        matches!(w, W::DaysW | W::DayW | W::WeekW | W::MonthsW | W::YearsW)
                    }) =>
            {
                let n = self.quirks().month_or_number.map_or(0, |(_, n)| n);
                self.i += 1;
                p.rel = Some(self.offset(i64::from(n))?);
            }
            (TokenKind::Word, Some(W::RomanYear(y))) => {
                self.i += 1;
                p.year = Some(WrittenYear {
                    y: i64::from(y),
                    bce: self.era(),
                    s: t.s as usize,
                    e: self.last_end(),
                    ..WrittenYear::default()
                });
            }
            (TokenKind::Word, Some(W::Month(m))) => {
                self.i += 1;
                p.month = Some(m);
                self.month_tail(&mut p)?;
            }
            (TokenKind::Word, Some(W::Season(s))) => {
                self.i += 1;
                p.season = Some(s);
                let of = self.w() == Some(W::Of);
                self.skip(|w| matches!(w, W::Of | W::Art));
                if self.tok().is_some_and(|t| t.kind == TokenKind::Num) {
                    let y = self.year(of)?;
                    p.year = Some(y);
                    // winter 1943–44: the winter that begins in 1943
                    if s == 24
                        && (self.is_p(b'-') || self.is_p(b'/'))
                        && let Some(n) = self.tok_at(1).filter(|t| t.kind == TokenKind::Num)
                    {
                        let next = i64::from(n.num);
                        let ok = (n.nd == 4 && next == y.y + 1)
                            || (n.nd == 2 && next == (y.y + 1) % 100);
                        if ok {
                            self.i += 2;
                        }
                    }
                }
            }
            (TokenKind::Word, Some(W::CenturyW)) => {
                self.i += 1;
                let Some(n) = self.tok().copied() else {
                    return Err(self.unexpected());
                };
                let v = match (n.kind, n.w) {
                    (TokenKind::Word, Some(W::Roman(r))) => i64::from(r),
                    (TokenKind::Num, _) if !n.dec_s => i64::from(n.num),
                    _ => return Err(unparseable("a century needs a number, e.g. `XX`", n.span())),
                };
                self.i += 1;
                self.century(&mut p, v, n.span())?;
            }
            (TokenKind::Word, Some(W::Ord(n))) => {
                self.i += 1;
                if self.w() == Some(W::CenturyW) {
                    self.i += 1;
                    self.century(&mut p, i64::from(n), t.span())?;
                } else if self.w() == Some(W::Of) && matches!(self.w_at(1), Some(W::Month(_))) {
                    // `primero de mayo`
                    p.day = Some((n, t.s as usize, t.e as usize));
                    self.i += 1;
                    if let Some(W::Month(m)) = self.w() {
                        self.i += 1;
                        p.month = Some(m);
                        self.month_tail(&mut p)?;
                    }
                } else {
                    return Err(self.unexpected());
                }
            }
            (TokenKind::Word, Some(W::Num(20)))
                if self.quirks().hyphenated_ordinals
                    && self.tok_at(1).is_some_and(|t| t.p == b'-')
                    && matches!(self.w_at(2), Some(W::Ord(1..=9)))
                    && self.w_at(3) == Some(W::CenturyW) =>
            {
                if let Some(W::Ord(k)) = self.w_at(2) {
                    self.i += 4;
                    self.century(&mut p, 20 + i64::from(k), t.span())?;
                }
            }
            (TokenKind::Word, Some(W::Tens(_))) if self.quirks().bare_decade_words => {
                self.decade(&mut p)?;
            }
            (TokenKind::Word, Some(W::YearsW)) => {
                self.i += 1;
                self.decade(&mut p)?;
            }
            (TokenKind::Word, Some(W::DecadeW)) => {
                self.i += 1;
                self.skip(|w| matches!(w, W::Of | W::Art));
                self.decade(&mut p)?;
            }
            (TokenKind::Word, Some(W::YearW)) => {
                self.i += 1;
                if self.w() == Some(W::Of)
                    && self.tok_at(1).is_some_and(|t| t.kind == TokenKind::Num)
                {
                    // `o ano de 1943`
                    self.i += 1;
                }
                if let Some(r) = self.step(Unit::Year) {
                    p.rel = Some(r);
                } else {
                    let Some(n) = self.tok().copied().filter(|t| t.kind == TokenKind::Num) else {
                        return Err(self.unexpected());
                    };
                    self.i += 1;
                    let bce = self.era();
                    if n.num == 0 {
                        return Err(Fail::new(
                            K::InvalidDate,
                            "there is no year 0 in the count before and after Christ",
                            n.span(),
                        ));
                    }
                    if n.nd > 4 {
                        return Err(Fail::new(
                            K::OutOfRange,
                            "years of more than four digits are written in EDTF (`Y12345`)",
                            n.span(),
                        ));
                    }
                    p.year = Some(WrittenYear {
                        y: i64::from(n.num),
                        bce,
                        // `el año 44`: a year of the century the context gives, never year 44
                        // unless an era says so (`el año 44 d.C.`).
                        two: bce.is_none() && n.nd <= 2,
                        s: n.s as usize,
                        e: self.last_end(),
                        ..WrittenYear::default()
                    });
                }
            }
            (TokenKind::Word, Some(W::That | W::Same)) => {
                self.skip(|w| matches!(w, W::That | W::Same | W::Art));
                p.rel = Some(match self.w() {
                    Some(W::DayW) => Rel::SameDay,
                    Some(W::MonthW) => Rel::ThatMonth,
                    Some(W::YearW) => Rel::ThatYear,
                    _ => return Err(self.unexpected()),
                });
                self.i += 1;
            }
            (TokenKind::Word, Some(W::DayW)) => {
                self.i += 1;
                if let Some(r) = self.step(Unit::Day) {
                    p.rel = Some(r);
                } else if let Some(n) = self.tok().copied().filter(|t| t.kind == TokenKind::Num) {
                    let mut k = 1;
                    while matches!(self.w_at(k), Some(W::Of | W::Art)) {
                        k += 1;
                    }
                    if matches!(self.w_at(k), Some(W::Month(_))) {
                        self.num_point(&mut p, n)?;
                    } else if n.nd <= 2 && !n.apos && !n.dec_s {
                        // `el día 28`: the day of the reference's month
                        p.day = Some((
                            u8::try_from(n.num).unwrap_or(u8::MAX),
                            n.s as usize,
                            n.e as usize,
                        ));
                        self.i += 1;
                    } else {
                        return Err(unparseable("expected a day of the month", n.span()));
                    }
                } else {
                    return Err(self.unexpected());
                }
            }
            (TokenKind::Word, Some(W::MonthW)) => {
                self.i += 1;
                p.rel = Some(self.step(Unit::Month).ok_or_else(|| self.unexpected())?);
            }
            (TokenKind::Word, Some(W::Next | W::Prev)) => {
                let sign = if t.w == Some(W::Next) { 1 } else { -1 };
                self.i += 1;
                let u = self.unit().ok_or_else(|| self.unexpected())?;
                self.i += 1;
                p.rel = Some(Rel::Step(sign, u));
            }
            (TokenKind::Word, Some(W::Shortly))
                if matches!(self.w_at(1), Some(W::After | W::Before)) =>
            {
                p.rel = Some(Rel::Shortly(self.w_at(1) == Some(W::After)));
                self.i += 2;
            }
            (TokenKind::Word, Some(W::Eve)) => {
                self.i += 1;
                p.rel = Some(Rel::Step(-1, Unit::Day));
            }
            (TokenKind::Word, Some(W::Num(n))) => {
                self.i += 1;
                p.rel = Some(self.offset(i64::from(n))?);
            }
            (TokenKind::Word, Some(W::After | W::Before))
                if self.quirks().rest_of_year
                    && self.w_at(1) == Some(W::That)
                    && self.w_at(2) == Some(W::YearW) =>
            {
                self.i += 3;
                p.rel = Some(Rel::RestOfYear(t.w == Some(W::After)));
            }
            (TokenKind::Word, Some(W::Era)) if self.quirks().era_before_year => {
                // AD 1066
                if let Some(false) = self.era() {
                    let mut y = self.year(false)?;
                    if y.bce.is_some() {
                        return Err(unparseable("two eras", y.s..y.e));
                    }
                    y.bce = Some(false);
                    y.two = false;
                    y.bare = false;
                    p.year = Some(y);
                } else {
                    return Err(self.unexpected());
                }
            }
            _ => return Err(self.unexpected()),
        }
        // `el domingo 8`: after a weekday, a bare number of one or two digits is a day.
        if p.weekday.is_some()
            && p.month.is_none()
            && p.day.is_none()
            && let Some(y) = p.year.filter(|y| y.bare && (1..=31).contains(&y.y))
        {
            p.day = Some((y.y as u8, y.s, y.e));
            p.year = None;
        }
        p.e = self.last_end();
        Ok(p)
    }

    /// A point that starts with a number.
    pub(super) fn num_point(&mut self, p: &mut Point, t: Token) -> Result<(), Fail> {
        if t.dec_s {
            return self.decade(p);
        }
        if t.ord && self.w_at(1) == Some(W::CenturyW)
            || (t.ord
                && self.tok_at(1).is_some_and(|x| x.p == b'-')
                && self.w_at(2) == Some(W::CenturyW))
        {
            self.i += if self.w_at(1) == Some(W::CenturyW) {
                2
            } else {
                3
            };
            return self.century(p, i64::from(t.num), t.span());
        }
        if t.cent
            || (t.ord
                && self.quirks().century_c
                && self.w_at(1) == Some(W::Circa)
                && self.tok_at(1).is_some_and(|x| x.folded() == b"c"))
        {
            // `19th c.`, `19c`: the century
            self.i += if t.cent { 1 } else { 2 };
            return self.century(p, i64::from(t.num), t.span());
        }
        if t.nd == 4
            && !t.ord
            && let Some(W::Month(m)) = self.w_at(1)
        {
            // `1944 October 5`: year, month, day
            p.year = Some(self.year(false)?);
            self.i += 1;
            p.month = Some(m);
            if let Some(d) = self
                .tok()
                .copied()
                .filter(|d| d.kind == TokenKind::Num && d.nd <= 2 && !d.apos && !d.dec_s)
                && self.tok_at(1).is_none_or(|x| x.kind == TokenKind::Punct)
            {
                p.day = Some((
                    u8::try_from(d.num).unwrap_or(u8::MAX),
                    d.s as usize,
                    d.e as usize,
                ));
                self.i += 1;
            }
            return Ok(());
        }
        if t.nd <= 2
            && !t.apos
            && !t.ord
            && self
                .tok_at(1)
                .is_some_and(|x| x.kind == TokenKind::Punct && x.p == b',')
            && self
                .tok_at(2)
                .is_some_and(|x| x.kind == TokenKind::Num && x.nd == 4)
            && self.tok_at(3).is_none()
        {
            // `20, 1944`, the end of `February 16–20, 1944`: a day and its year
            p.day = Some((
                u8::try_from(t.num).unwrap_or(u8::MAX),
                t.s as usize,
                t.e as usize,
            ));
            self.i += 2;
            p.year = Some(self.year(true)?);
            return Ok(());
        }
        if !t.apos && t.nd <= 2 && self.tok_at(1).is_some_and(|_| self.unit_at(1)) {
            self.i += 1;
            p.rel = Some(self.offset(i64::from(t.num))?);
            return Ok(());
        }
        // day before month: `3 de septiembre`, `3rd of September`, `9 July`
        let mut k = 1;
        while matches!(self.w_at(k), Some(W::Of | W::Art)) {
            k += 1;
        }
        if let Some(W::Month(m)) = self.w_at(k)
            && t.nd <= 2
            && !t.apos
        {
            p.day = Some((
                u8::try_from(t.num).unwrap_or(u8::MAX),
                t.s as usize,
                t.e as usize,
            ));
            p.month = Some(m);
            self.i += k + 1;
            return self.month_tail(p);
        }
        if t.ord {
            // `el 8º` alone, or `the 28th`: a day of the month from context
            if t.nd <= 2 {
                p.day = Some((
                    u8::try_from(t.num).unwrap_or(u8::MAX),
                    t.s as usize,
                    t.e as usize,
                ));
                self.i += 1;
                return Ok(());
            }
            return Err(unparseable(
                "an ordinal here must be a day or a century",
                t.span(),
            ));
        }
        p.year = Some(self.year(false)?);
        Ok(())
    }

    pub(super) fn unit_at(&self, k: usize) -> bool {
        matches!(
            self.w_at(k),
            Some(W::DayW | W::DaysW | W::WeekW | W::MonthsW | W::YearsW)
        )
    }

    /// After a month name: English day (`September 3`), then the year.
    pub(super) fn month_tail(&mut self, p: &mut Point) -> Result<(), Fail> {
        if p.day.is_none()
            && let Some(n) = self.tok().copied()
        {
            let next_is_year_or_end = match self.tok_at(1) {
                None => true,
                Some(x) => {
                    (x.kind == TokenKind::Punct && x.p != b'\'')
                        || (x.kind == TokenKind::Num && x.nd >= 3)
                        || x.w
                            .is_some_and(|w| matches!(w, W::To | W::And | W::Al | W::A))
                }
            };
            // Spanish and Portuguese put the day first; `enero 22 de 1944` is still read
            // when a four-digit year follows, so that a two-digit year is never taken for a day.
            let full_year_follows = matches!(self.w_at(1), Some(W::Of))
                && self
                    .tok_at(2)
                    .is_some_and(|x| x.kind == TokenKind::Num && x.nd == 4);
            if n.kind == TokenKind::Num
                && !n.dec_s
                && !n.apos
                && n.nd <= 2
                && (n.ord || self.quirks().month_first || full_year_follows)
                && (next_is_year_or_end || full_year_follows)
            {
                p.day = Some((
                    u8::try_from(n.num).unwrap_or(u8::MAX),
                    n.s as usize,
                    n.e as usize,
                ));
                self.i += 1;
            }
        }
        let comma = self.eat_p(b',');
        let of = matches!(self.w(), Some(W::Of));
        if of {
            self.i += 1;
        }
        if self
            .tok()
            .is_some_and(|t| t.kind == TokenKind::Num && !t.dec_s)
        {
            // after a day and a month (`22 ene. 44`) two digits can only be a year
            p.year = Some(self.year(of || comma || p.day.is_some())?);
        } else if let Some(W::RomanYear(y)) = self.w() {
            let t = self.tok().copied().unwrap_or_default();
            self.i += 1;
            p.year = Some(WrittenYear {
                y: i64::from(y),
                s: t.s as usize,
                e: t.e as usize,
                ..WrittenYear::default()
            });
        } else if of || comma {
            // `de` not followed by a year: leave it for the caller to reject
            self.i -= usize::from(of) + usize::from(comma);
        }
        Ok(())
    }
}
