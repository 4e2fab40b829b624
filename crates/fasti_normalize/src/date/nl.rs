//! Spanish, Portuguese and English date prose.
//!
//! The input is split into at most [`MAX_TOKENS`] tokens kept on the stack;
//! each word is folded into a 16-byte buffer and looked up in the lexicon of
//! the language. A small recursive-descent grammar reads one *point* (a date,
//! month, season, part of a year, decade, century or relative expression),
//! or two points joined as an interval, and resolves them — with the
//! reference date when something is missing — into an EDTF [`Expr`].

use std::ops::Range;

use super::calendar::{civil_from_days, days_from_civil, month_len};
use super::edtf::{self, DateV, End, Expr, Qual};
use super::lexicon::{self, Part, W};
use super::{
    Assumed, Bound, Context, DateErrorKind as K, Day, Fail, Lang, NormalizedDate, Precision,
};

const MAX_TOKENS: usize = 48;

#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
enum TK {
    #[default]
    Punct,
    Num,
    Word,
}

#[derive(Clone, Copy, Default, Debug)]
struct Tok {
    kind: TK,
    s: u32,
    e: u32,
    num: u32,
    nd: u8,
    /// `9th`, `1º`, `1.º`
    ord: bool,
    /// `1940s`, `40s`
    dec_s: bool,
    /// `'44`
    apos: bool,
    /// punctuation class: `-` (any dash), `/`, `,`, `(`, `)`, `?`, `¿` as `!`, `.`
    p: u8,
    w: Option<W>,
    f: [u8; 16],
    fl: u8,
}

impl Tok {
    fn folded(&self) -> &[u8] {
        self.f.get(..usize::from(self.fl)).unwrap_or(&[])
    }
    fn span(&self) -> Range<usize> {
        self.s as usize..self.e as usize
    }
}

struct Toks {
    t: [Tok; MAX_TOKENS],
    n: usize,
}

fn unparseable(msg: impl Into<std::borrow::Cow<'static, str>>, span: Range<usize>) -> Fail {
    Fail::new(K::Unparseable, msg, span)
}

fn tokenize(s: &str, base: usize, lang: Lang) -> Result<Toks, Fail> {
    let mut out = Toks {
        t: [Tok::default(); MAX_TOKENS],
        n: 0,
    };
    let b = s.as_bytes();
    let mut i = 0;
    let mut apos = false;
    while i < b.len() {
        let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        let cl = c.len_utf8();
        if c.is_whitespace() {
            i += cl;
            continue;
        }
        let mut tok = Tok {
            s: (base + i) as u32,
            ..Tok::default()
        };
        if c.is_ascii_digit() {
            let st = i;
            let mut v: u32 = 0;
            while let Some(d @ b'0'..=b'9') = b.get(i).copied() {
                v = v.saturating_mul(10).saturating_add(u32::from(d - b'0'));
                i += 1;
            }
            tok.kind = TK::Num;
            tok.num = v;
            tok.nd = u8::try_from(i - st).unwrap_or(u8::MAX);
            tok.apos = apos;
            apos = false;
            tok.e = (base + i) as u32;
            // ordinal and decade suffixes
            let rest = s.get(i..).unwrap_or("");
            if let Some(r) = rest
                .strip_prefix('.')
                .filter(|r| r.starts_with(['º', 'ª', '°']))
            {
                i += 1 + r.chars().next().map_or(0, char::len_utf8);
                tok.ord = true;
            } else if rest.starts_with(['º', 'ª', '°']) {
                i += rest.chars().next().map_or(0, char::len_utf8);
                tok.ord = true;
            } else if rest.starts_with(|ch: char| ch.is_ascii_alphabetic()) {
                let l = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
                let suf = rest.get(..l).unwrap_or("");
                let mut low = [0u8; 4];
                let sl = if l <= 4 {
                    for (d, c) in low.iter_mut().zip(suf.bytes()) {
                        *d = c.to_ascii_lowercase();
                    }
                    std::str::from_utf8(low.get(..l).unwrap_or(&[])).unwrap_or("")
                } else {
                    ""
                };
                match sl {
                    "st" | "nd" | "rd" | "th" | "o" | "a" | "er" | "ro" | "do" | "to" | "vo"
                    | "no" | "mo" => tok.ord = true,
                    "s" => tok.dec_s = true,
                    _ => {
                        return Err(unparseable(
                            format!("unexpected `{suf}` after a number"),
                            base + i..base + i + l,
                        ));
                    }
                }
                i += l;
            } else if (rest.starts_with("'s") || rest.starts_with("’s"))
                && !rest
                    .get(rest.find('s').map_or(0, |k| k + 1)..)
                    .is_some_and(|r| r.starts_with(|ch: char| ch.is_alphabetic()))
            {
                // `the 1940's`
                tok.dec_s = true;
                i += rest.find('s').map_or(0, |k| k + 1);
            }
        } else if c.is_alphabetic() {
            let st = i;
            let mut fl = 0usize;
            let mut foldable = true;
            while let Some(ch) = s.get(i..).and_then(|r| r.chars().next()) {
                if !ch.is_alphabetic() {
                    break;
                }
                match lexicon::fold(ch) {
                    Some(f) if fl < 16 => {
                        if let Some(slot) = tok.f.get_mut(fl) {
                            *slot = f;
                        }
                        fl += 1;
                    }
                    _ => foldable = false,
                }
                i += ch.len_utf8();
            }
            tok.kind = TK::Word;
            tok.e = (base + i) as u32;
            tok.fl = fl as u8;
            if b.get(i) == Some(&b'.') {
                i += 1;
            }
            tok.w = if foldable {
                lexicon::lookup(lang, tok.folded())
            } else {
                None
            };
            if tok.w.is_none() {
                let word = s.get(st..i).unwrap_or("").trim_end_matches('.');
                let f: String = word
                    .chars()
                    .map(|ch| lexicon::fold(ch).map_or(ch, char::from))
                    .collect();
                let mut fail = Fail::new(
                    K::UnknownWord,
                    format!("unknown word `{word}`"),
                    base + st..base + st + word.len(),
                );
                if let Some(sug) = lexicon::suggest(lang, &f) {
                    fail = fail.help(format!("did you mean `{sug}`?"));
                }
                return Err(fail);
            }
        } else {
            tok.p = match c {
                '-' | '‐' | '‑' | '‒' | '–' | '—' | '−' => b'-',
                '/' => b'/',
                ',' => b',',
                '(' | '[' => b'(',
                ')' | ']' => b')',
                '?' => b'?',
                '¿' => b'!',
                '.' => b'.',
                '\'' | '’' | '‘' => {
                    if b.get(i + cl).is_some_and(u8::is_ascii_digit) {
                        apos = true;
                        i += cl;
                        continue;
                    }
                    b'\''
                }
                _ => {
                    return Err(unparseable(
                        format!("unexpected `{c}`"),
                        base + i..base + i + cl,
                    ));
                }
            };
            i += cl;
            tok.e = (base + i) as u32;
        }
        let Some(slot) = out.t.get_mut(out.n) else {
            return Err(unparseable(
                "the expression has too many words for a date",
                base..base + s.len(),
            ));
        };
        *slot = tok;
        out.n += 1;
    }
    // A sentence-final period is not part of the date.
    if out.n > 0
        && out
            .t
            .get(out.n - 1)
            .is_some_and(|t| t.kind == TK::Punct && t.p == b'.')
    {
        out.n -= 1;
    }
    Ok(out)
}

// ------------------------------------------------------------------ points

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rel {
    SameDay,
    ThatMonth,
    ThatYear,
    Offset(i64, Unit),
    /// `al mes siguiente`, `the previous year`: the next or previous unit,
    /// at that unit's precision
    Step(i64, Unit),
    /// `later that year` (true) / `earlier that year` (false)
    RestOfYear(bool),
}

#[derive(Clone, Copy, Debug, Default)]
struct Yr {
    y: i64,
    /// written with two digits (`del 44`, `'44`): century to be assumed
    two: bool,
    /// two digits and no word that makes it a year: only valid as the end of
    /// a range whose start has four digits (`1943–45`)
    bare: bool,
    /// Some(true) BCE, Some(false) CE
    bce: Option<bool>,
    s: usize,
    e: usize,
}

#[derive(Clone, Copy, Debug, Default)]
struct Pt {
    s: usize,
    e: usize,
    day: Option<(u8, usize, usize)>,
    month: Option<u8>,
    year: Option<Yr>,
    season: Option<u8>,
    half: Option<u8>,
    /// first year of the decade, and whether written with two digits
    decade: Option<(i64, bool)>,
    /// century number (20 for the 1900s), and BCE
    century: Option<(i64, bool)>,
    part: Option<Part>,
    rel: Option<Rel>,
    approx: bool,
    uncertain: bool,
    /// the year came from the other end of a range
    year_shared: bool,
}

impl Pt {
    fn is_empty(&self) -> bool {
        self.day.is_none()
            && self.month.is_none()
            && self.year.is_none()
            && self.season.is_none()
            && self.half.is_none()
            && self.decade.is_none()
            && self.century.is_none()
            && self.rel.is_none()
    }
    /// Wants a year (has month, day, season or half but no year).
    fn wants_year(&self) -> bool {
        self.year.is_none()
            && self.rel.is_none()
            && (self.month.is_some()
                || self.day.is_some()
                || self.season.is_some()
                || self.half.is_some()
                || (self.part.is_some() && self.decade.is_none() && self.century.is_none()))
    }
}

struct G<'a> {
    t: &'a [Tok],
    i: usize,
    end: usize,
    lang: Lang,
}

impl G<'_> {
    fn tok(&self) -> Option<&Tok> {
        if self.i < self.end {
            self.t.get(self.i)
        } else {
            None
        }
    }
    fn tok_at(&self, k: usize) -> Option<&Tok> {
        let j = self.i + k;
        if j < self.end { self.t.get(j) } else { None }
    }
    fn w(&self) -> Option<W> {
        self.tok().and_then(|t| t.w)
    }
    fn w_at(&self, k: usize) -> Option<W> {
        self.tok_at(k).and_then(|t| t.w)
    }
    fn is_p(&self, p: u8) -> bool {
        self.tok().is_some_and(|t| t.kind == TK::Punct && t.p == p)
    }
    fn eat_p(&mut self, p: u8) -> bool {
        if self.is_p(p) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn skip(&mut self, f: impl Fn(W) -> bool) {
        while self.w().is_some_and(&f) {
            self.i += 1;
        }
    }
    fn here(&self) -> Range<usize> {
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
    fn unexpected(&self) -> Fail {
        match self.tok() {
            Some(_) => unparseable("unexpected word in a date", self.here()),
            None => unparseable("the date ends too early", self.here()),
        }
    }
    fn last_end(&self) -> usize {
        self.i
            .checked_sub(1)
            .and_then(|k| self.t.get(k))
            .map_or(0, |t| t.e as usize)
    }

    /// An era after a year (`44 a.C.`, `44 BC`), consumed if present.
    fn era(&mut self) -> Option<bool> {
        let f = |k: usize| {
            self.tok_at(k)
                .filter(|t| t.kind == TK::Word)
                .map(Tok::folded)
        };
        let pats: &[(&[&[u8]], bool)] = match self.lang {
            Lang::En => &[
                (&[b"b", b"c", b"e"], true),
                (&[b"b", b"c"], true),
                (&[b"bc"], true),
                (&[b"bce"], true),
                (&[b"a", b"d"], false),
                (&[b"ad"], false),
                (&[b"c", b"e"], false),
                (&[b"ce"], false),
            ],
            _ => &[
                (&[b"a", b"c"], true),
                (&[b"ac"], true),
                (&[b"aec"], true),
                (&[b"antes", b"de", b"cristo"], true),
                (&[b"d", b"c"], false),
                (&[b"dc"], false),
                (&[b"ec"], false),
                (&[b"despues", b"de", b"cristo"], false),
                (&[b"depois", b"de", b"cristo"], false),
            ],
        };
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
    fn year(&mut self, after_of: bool) -> Result<Yr, Fail> {
        let Some(t) = self
            .tok()
            .copied()
            .filter(|t| t.kind == TK::Num && !t.ord && !t.dec_s)
        else {
            return Err(self.unexpected());
        };
        self.i += 1;
        let mut y = Yr {
            y: i64::from(t.num),
            s: t.s as usize,
            e: t.e as usize,
            ..Yr::default()
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

    fn unit(&self) -> Option<Unit> {
        match self.w()? {
            W::DayW | W::DaysW => Some(Unit::Day),
            W::WeekW => Some(Unit::Week),
            W::MonthW | W::MonthsW => Some(Unit::Month),
            W::YearW | W::YearsW => Some(Unit::Year),
            _ => None,
        }
    }

    /// `<n> <unit> después|later|antes|earlier|más tarde`
    fn offset(&mut self, n: i64) -> Result<Rel, Fail> {
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
    fn step(&mut self, u: Unit) -> Option<Rel> {
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

    fn decade(&mut self, p: &mut Pt) -> Result<(), Fail> {
        if let Some(W::Num(n) | W::Tens(n)) = self.w()
            && n >= 20
            && n % 10 == 0
        {
            // `los años cuarenta`, `the forties`: the 1900s
            self.i += 1;
            p.decade = Some((1900 + i64::from(n), true));
            return Ok(());
        }
        let Some(t) = self.tok().copied().filter(|t| t.kind == TK::Num) else {
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

    fn century(&mut self, p: &mut Pt, n: i64, span: Range<usize>) -> Result<(), Fail> {
        if !(1..=100).contains(&n) {
            return Err(Fail::new(K::InvalidDate, "there is no such century", span));
        }
        let bce = self.era() == Some(true);
        p.century = Some((n, bce));
        Ok(())
    }

    fn point(&mut self) -> Result<Pt, Fail> {
        let mut p = Pt {
            s: self.here().start,
            ..Pt::default()
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
                Some(W::In | W::Art | W::A | W::Al | W::Of) => self.i += 1,
                _ => break,
            }
        }
        if let Some(W::Part(part)) = self.w() {
            p.part = Some(part);
            self.i += 1;
            self.eat_p(b'-');
            self.skip(|w| matches!(w, W::Of | W::Art | W::In));
        } else if let (Some(W::Ord(n @ 1..=2)), Some(W::Half)) = (self.w(), self.w_at(1)) {
            p.half = Some(39 + n);
            self.i += 2;
            self.skip(|w| matches!(w, W::Of | W::Art | W::In));
        }
        let Some(t) = self.tok().copied() else {
            return Err(self.unexpected());
        };
        match (t.kind, t.w) {
            (TK::Num, _) => self.num_point(&mut p, t)?,
            (TK::Word, Some(W::Month(12)))
                if self.lang == Lang::Pt
                    && t.folded() == b"dez"
                    && self.w_at(1).is_some_and(|w| {
                        matches!(w, W::DaysW | W::DayW | W::WeekW | W::MonthsW | W::YearsW)
                    }) =>
            {
                self.i += 1;
                p.rel = Some(self.offset(10)?);
            }
            (TK::Word, Some(W::Month(m))) => {
                self.i += 1;
                p.month = Some(m);
                self.month_tail(&mut p)?;
            }
            (TK::Word, Some(W::Season(s))) => {
                self.i += 1;
                p.season = Some(s);
                let of = self.w() == Some(W::Of);
                self.skip(|w| matches!(w, W::Of | W::Art));
                if self.tok().is_some_and(|t| t.kind == TK::Num) {
                    let y = self.year(of)?;
                    p.year = Some(y);
                    // winter 1943–44: the winter that begins in 1943
                    if s == 24
                        && (self.is_p(b'-') || self.is_p(b'/'))
                        && let Some(n) = self.tok_at(1).filter(|t| t.kind == TK::Num)
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
            (TK::Word, Some(W::CenturyW)) => {
                self.i += 1;
                let Some(n) = self.tok().copied() else {
                    return Err(self.unexpected());
                };
                let v = match (n.kind, n.w) {
                    (TK::Word, Some(W::Roman(r))) => i64::from(r),
                    (TK::Num, _) if !n.dec_s => i64::from(n.num),
                    _ => return Err(unparseable("a century needs a number, e.g. `XX`", n.span())),
                };
                self.i += 1;
                self.century(&mut p, v, n.span())?;
            }
            (TK::Word, Some(W::Ord(n))) => {
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
            (TK::Word, Some(W::Num(20)))
                if self.lang == Lang::En
                    && self.tok_at(1).is_some_and(|t| t.p == b'-')
                    && matches!(self.w_at(2), Some(W::Ord(1..=9)))
                    && self.w_at(3) == Some(W::CenturyW) =>
            {
                if let Some(W::Ord(k)) = self.w_at(2) {
                    self.i += 4;
                    self.century(&mut p, 20 + i64::from(k), t.span())?;
                }
            }
            (TK::Word, Some(W::Tens(_))) if self.lang == Lang::En => {
                self.decade(&mut p)?;
            }
            (TK::Word, Some(W::YearsW)) => {
                self.i += 1;
                self.decade(&mut p)?;
            }
            (TK::Word, Some(W::DecadeW)) => {
                self.i += 1;
                self.skip(|w| matches!(w, W::Of | W::Art));
                self.decade(&mut p)?;
            }
            (TK::Word, Some(W::YearW)) => {
                self.i += 1;
                if self.w() == Some(W::Of) && self.tok_at(1).is_some_and(|t| t.kind == TK::Num) {
                    // `o ano de 1943`
                    self.i += 1;
                }
                if let Some(r) = self.step(Unit::Year) {
                    p.rel = Some(r);
                } else {
                    let Some(n) = self.tok().copied().filter(|t| t.kind == TK::Num) else {
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
                    p.year = Some(Yr {
                        y: i64::from(n.num),
                        bce,
                        s: n.s as usize,
                        e: self.last_end(),
                        ..Yr::default()
                    });
                }
            }
            (TK::Word, Some(W::That | W::Same)) => {
                self.skip(|w| matches!(w, W::That | W::Same | W::Art));
                p.rel = Some(match self.w() {
                    Some(W::DayW) => Rel::SameDay,
                    Some(W::MonthW) => Rel::ThatMonth,
                    Some(W::YearW) => Rel::ThatYear,
                    _ => return Err(self.unexpected()),
                });
                self.i += 1;
            }
            (TK::Word, Some(W::DayW)) => {
                self.i += 1;
                if let Some(r) = self.step(Unit::Day) {
                    p.rel = Some(r);
                } else if let Some(n) = self.tok().copied().filter(|t| t.kind == TK::Num) {
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
            (TK::Word, Some(W::MonthW)) => {
                self.i += 1;
                p.rel = Some(self.step(Unit::Month).ok_or_else(|| self.unexpected())?);
            }
            (TK::Word, Some(W::Next | W::Prev)) => {
                let sign = if t.w == Some(W::Next) { 1 } else { -1 };
                self.i += 1;
                let u = self.unit().ok_or_else(|| self.unexpected())?;
                self.i += 1;
                p.rel = Some(Rel::Step(sign, u));
            }
            (TK::Word, Some(W::Eve)) => {
                self.i += 1;
                p.rel = Some(Rel::Step(-1, Unit::Day));
            }
            (TK::Word, Some(W::Num(n))) => {
                self.i += 1;
                p.rel = Some(self.offset(i64::from(n))?);
            }
            (TK::Word, Some(W::After | W::Before))
                if self.lang == Lang::En
                    && self.w_at(1) == Some(W::That)
                    && self.w_at(2) == Some(W::YearW) =>
            {
                self.i += 3;
                p.rel = Some(Rel::RestOfYear(t.w == Some(W::After)));
            }
            (TK::Word, Some(W::Era)) if self.lang == Lang::En => {
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
        p.e = self.last_end();
        Ok(p)
    }

    /// A point that starts with a number.
    fn num_point(&mut self, p: &mut Pt, t: Tok) -> Result<(), Fail> {
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

    fn unit_at(&self, k: usize) -> bool {
        matches!(
            self.w_at(k),
            Some(W::DayW | W::DaysW | W::WeekW | W::MonthsW | W::YearsW)
        )
    }

    /// After a month name: English day (`September 3`), then the year.
    fn month_tail(&mut self, p: &mut Pt) -> Result<(), Fail> {
        if p.day.is_none()
            && let Some(n) = self.tok().copied()
        {
            let next_is_year_or_end = match self.tok_at(1) {
                None => true,
                Some(x) => {
                    (x.kind == TK::Punct && x.p != b'\'')
                        || (x.kind == TK::Num && x.nd >= 3)
                        || x.w
                            .is_some_and(|w| matches!(w, W::To | W::And | W::Al | W::A))
                }
            };
            if n.kind == TK::Num
                && !n.dec_s
                && !n.apos
                && n.nd <= 2
                && (n.ord || self.lang == Lang::En)
                && next_is_year_or_end
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
        if self.tok().is_some_and(|t| t.kind == TK::Num && !t.dec_s) {
            p.year = Some(self.year(of || comma)?);
        } else if of || comma {
            // `de` not followed by a year: leave it for the caller to reject
            self.i -= usize::from(of) + usize::from(comma);
        }
        Ok(())
    }
}

// ------------------------------------------------------------- resolution

/// A resolved point: a date, or a span between two dates (parts of months,
/// decades and centuries, `later that year`).
#[derive(Clone, Copy, Debug)]
enum Res {
    One(DateV),
    Span(DateV, DateV, Precision),
}

impl Res {
    fn first(&self) -> DateV {
        match self {
            Res::One(d) | Res::Span(d, _, _) => *d,
        }
    }
    fn last(&self) -> DateV {
        match self {
            Res::One(d) | Res::Span(_, d, _) => *d,
        }
    }
    fn qualify(&mut self, q: Qual) {
        match self {
            Res::One(d) => d.qualify(q),
            Res::Span(a, b, _) => {
                a.qualify(q);
                b.qualify(q);
            }
        }
    }
}

struct Resolver<'a> {
    ctx: &'a Context,
    assumed: Vec<Assumed>,
    span: Range<usize>,
}

fn in_range(y: i64, span: &Range<usize>) -> Result<i64, Fail> {
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

fn day_v(d: i64) -> (i64, u8, u8) {
    civil_from_days(d)
}

impl Resolver<'_> {
    fn note(&mut self, a: Assumed) {
        if !self.assumed.contains(&a) {
            self.assumed.push(a);
        }
    }

    fn reference(&self, what: &str) -> Result<(Day, Day, &NormalizedDate), Fail> {
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

    fn anchor_year(&mut self) -> Result<i64, Fail> {
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

    fn anchor_month(&mut self) -> Result<(i64, u8), Fail> {
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

    fn anchor_day(&mut self) -> Result<Day, Fail> {
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

    fn century_of_two_digit(&mut self) -> i64 {
        let c = match &self.ctx.reference {
            Some(r) => match (r.earliest, r.latest) {
                (Bound::Day(a), _) | (_, Bound::Day(a)) => {
                    i64::from(a.ymd().0).div_euclid(100) * 100
                }
                _ => 1900,
            },
            None => 1900,
        };
        self.note(Assumed::Century(c as i32));
        c
    }

    fn year_value(&mut self, y: &Yr) -> Result<i64, Fail> {
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
            _ if y.two => self.century_of_two_digit() + y.y,
            _ => y.y,
        })
    }

    fn part_of_month(y: i64, m: u8, part: Part) -> Res {
        let (a, b) = match part {
            Part::Early => (1, 10),
            Part::Mid => (11, 20),
            Part::Late => (21, month_len(y, m)),
        };
        Res::Span(
            DateV::new(y, Some(m), Some(a)),
            DateV::new(y, Some(m), Some(b)),
            Precision::MonthPart,
        )
    }

    fn part_of_year(y: i64, part: Part) -> Res {
        let code = match part {
            Part::Early => 37,
            Part::Mid => 38,
            Part::Late => 39,
        };
        Res::One(DateV::new(y, Some(code), None))
    }

    fn day_res(&self, d: i64) -> Result<Res, Fail> {
        let (y, m, dd) = day_v(d);
        in_range(y, &self.span)?;
        Ok(Res::One(DateV::new(y, Some(m), Some(dd))))
    }

    fn rel(&mut self, r: Rel, part: Option<Part>) -> Result<Res, Fail> {
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
                    None => Res::One(DateV::new(y, Some(m), None)),
                })
            }
            Rel::ThatYear => {
                let y = self.anchor_year()?;
                Ok(match part {
                    Some(p) => Self::part_of_year(y, p),
                    None => Res::One(DateV::new(y, None, None)),
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
                    Ok(Res::One(DateV::new(ny, Some(nm), Some(nd))))
                } else if u == Unit::Year && !self.same_month_ref() {
                    let y = self.anchor_year()? + n;
                    in_range(y, &self.span)?;
                    Ok(Res::One(DateV::new(y, None, None)))
                } else {
                    let (y, m) = self.anchor_month()?;
                    let idx = y * 12 + i64::from(m) - 1 + months;
                    let (ny, nm) = (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u8);
                    in_range(ny, &self.span)?;
                    Ok(Res::One(DateV::new(ny, Some(nm), None)))
                }
            }
            Rel::Step(n, Unit::Day | Unit::Week) => self.rel(Rel::Offset(n, Unit::Day), None),
            Rel::Step(n, Unit::Month) => {
                let (y, m) = self.anchor_month()?;
                let idx = y * 12 + i64::from(m) - 1 + n;
                let (ny, nm) = (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u8);
                in_range(ny, &self.span)?;
                Ok(Res::One(DateV::new(ny, Some(nm), None)))
            }
            Rel::Step(n, Unit::Year) => {
                let y = in_range(self.anchor_year()? + n, &self.span)?;
                Ok(Res::One(DateV::new(y, None, None)))
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
                Ok(Res::Span(
                    DateV::new(ya, Some(ma), Some(da)),
                    DateV::new(yb, Some(mb), Some(db)),
                    Precision::Interval,
                ))
            }
        }
    }

    fn same_month_ref(&self) -> bool {
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
    fn point(&mut self, p: &Pt) -> Result<Res, Fail> {
        let q = Qual {
            approx: p.approx,
            uncertain: p.uncertain,
        };
        let mut r = self.point_inner(p)?;
        r.qualify(q);
        Ok(r)
    }

    fn point_inner(&mut self, p: &Pt) -> Result<Res, Fail> {
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
                None => Res::One(DateV::masked_year(start, 1)),
                Some(part) => {
                    let (a, b) = match part {
                        Part::Early => (0, 3),
                        Part::Mid => (4, 6),
                        Part::Late => (7, 9),
                    };
                    Res::Span(
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

    fn finish_date(&mut self, p: &Pt, y: i64, month: Option<u8>) -> Result<Res, Fail> {
        if let Some(s) = p.season {
            if p.part.is_some() {
                return Err(
                    unparseable("early/mid/late of a season is not supported", p.s..p.e)
                        .help("write the months, e.g. `junio de 1943`"),
                );
            }
            return Ok(Res::One(DateV::new(y, Some(s), None)));
        }
        if let Some(h) = p.half {
            return Ok(Res::One(DateV::new(y, Some(h), None)));
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
                Ok(Res::One(DateV::new(y, Some(m), Some(d))))
            }
            (Some(m), None) => Ok(match p.part {
                Some(part) => Self::part_of_month(y, m, part),
                None => Res::One(DateV::new(y, Some(m), None)),
            }),
            (None, _) => Ok(match p.part {
                Some(part) => Self::part_of_year(y, part),
                None => Res::One(DateV::new(y, None, None)),
            }),
        }
    }
}

fn century_res(n: i64, bce: bool, part: Option<Part>) -> Res {
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
        None => Res::One(whole),
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
            Res::Span(
                DateV::new(ya, None, None),
                DateV::new(yb, None, None),
                Precision::Interval,
            )
        }
    }
}

// -------------------------------------------------------------- top level

fn top_range(t: &[Tok], a: usize, b: usize) -> (usize, usize) {
    // strip `(` … `)` wrapping everything
    let (mut a, mut b) = (a, b);
    while b > a + 1
        && t.get(a).is_some_and(|x| x.kind == TK::Punct && x.p == b'(')
        && matching_close(t, a, b) == Some(b - 1)
    {
        a += 1;
        b -= 1;
    }
    (a, b)
}

fn matching_close(t: &[Tok], open: usize, b: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (k, x) in t.iter().enumerate().take(b).skip(open) {
        if x.kind == TK::Punct && x.p == b'(' {
            depth += 1;
        } else if x.kind == TK::Punct && x.p == b')' {
            depth -= 1;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

struct Parsed {
    left: Pt,
    right: Option<Pt>,
    /// the punctuation between the ends, if any
    sep: Option<u8>,
}

fn l_month_only(p: &Pt) -> bool {
    p.month.is_some() && p.year.is_none() && p.day.is_none() && p.part.is_none() && p.rel.is_none()
}

/// Parse tokens `a..b` as one point or a range of two.
fn parse_body(t: &[Tok], a: usize, b: usize, lang: Lang) -> Result<Parsed, Fail> {
    let g = |i: usize, end: usize| G { t, i, end, lang };
    let whole = |i: usize, end: usize| -> Result<Pt, Fail> {
        let mut gg = g(i, end);
        let p = gg.point()?;
        if gg.i != end {
            return Err(match gg.tok() {
                Some(x) if x.kind == TK::Punct => {
                    unparseable("unexpected punctuation in a date", x.span())
                }
                _ => gg.unexpected(),
            });
        }
        Ok(p)
    };
    if a >= b {
        let e = t.get(b.saturating_sub(1)).map_or(0, |x| x.e as usize);
        return Err(unparseable("nothing to read here", e..e));
    }
    // entre X y Y / between X and Y
    if t.get(a).and_then(|x| x.w) == Some(W::Between) {
        let mut last = None;
        for k in a + 2..b {
            if t.get(k).and_then(|x| x.w) == Some(W::And) {
                match (whole(a + 1, k), whole(k + 1, b)) {
                    (Ok(l), Ok(r)) => {
                        return Ok(Parsed {
                            left: l,
                            right: Some(r),
                            sep: None,
                        });
                    }
                    (Err(e), _) | (_, Err(e)) => last = Some(e),
                }
            }
        }
        return Err(last.unwrap_or_else(|| {
            unparseable(
                "`entre`/`between` needs two dates joined by `y`/`e`/`and`",
                t.get(a).map_or(0..0, Tok::span),
            )
        }));
    }
    let single = whole(a, b);
    if let Ok(p) = single {
        return Ok(Parsed {
            left: p,
            right: None,
            sep: None,
        });
    }
    let mut best = single.err();
    let from = matches!(t.get(a).and_then(|x| x.w), Some(W::From | W::Of));
    for k in a + 1..b {
        let Some(x) = t.get(k) else { break };
        let sep = match (x.kind, x.w) {
            (TK::Punct, _) => x.p == b'-' || x.p == b'/',
            (TK::Word, Some(W::To | W::A | W::Al)) => true,
            _ => false,
        };
        if !sep {
            continue;
        }
        let l0 = if from { a + 1 } else { a };
        let lres = whole(l0, k).or_else(|e| if from { whole(a, k) } else { Err(e) });
        match (lres, whole(k + 1, b)) {
            (Ok(l), Ok(r)) => {
                return Ok(Parsed {
                    left: l,
                    right: Some(r),
                    sep: (x.kind == TK::Punct).then_some(x.p),
                });
            }
            (Err(e), _) | (_, Err(e)) => {
                if best.as_ref().is_none_or(|b| rank(&e) > rank(b)) {
                    best = Some(e);
                }
            }
        }
    }
    Err(best.unwrap_or_else(|| unparseable("not a date", 0..0)))
}

/// Errors that show the words were understood beat generic ones; then the
/// one that got furthest.
fn rank(f: &Fail) -> (bool, usize) {
    (f.kind != K::Unparseable, f.span.start)
}

/// Fill what one end of a range lacks from the other (`9 July–17 August 1943`).
fn distribute(l: &mut Pt, r: &mut Pt) {
    // era: `de 100 a 44 a.C.`
    if let (Some(ly), Some(ry)) = (&mut l.year, &r.year) {
        if ly.bce.is_none() && ry.bce == Some(true) && !ly.two {
            ly.bce = Some(true);
        }
        if ly.bce.is_none() && ly.two && ly.bare && ry.bce.is_some() {
            ly.bce = ry.bce;
            ly.two = false;
            ly.bare = false;
        }
    }
    // `del 9 al 17 de julio`, `9–17 July`: a bare number beside a day is a day
    let bare_day = |p: &Pt| {
        p.year
            .filter(|y| y.bare && y.bce.is_none())
            .map(|y| y.y)
            .filter(|_| {
                p.day.is_none() && p.month.is_none() && p.season.is_none() && p.part.is_none()
            })
    };
    if r.day.is_some()
        && let Some(d) = bare_day(l)
    {
        l.day = Some((u8::try_from(d).unwrap_or(u8::MAX), l.s, l.e));
        l.year = None;
    }
    if l.day.is_some()
        && let Some(d) = bare_day(r)
    {
        r.day = Some((u8::try_from(d).unwrap_or(u8::MAX), r.s, r.e));
        r.year = None;
    }
    // two-digit end of a year range: 1943–45
    if let (Some(ly), Some(ry)) = (&l.year, &mut r.year)
        && ry.bare
        && !ly.two
        && ly.bce.is_none()
    {
        let mut y = ly.y - ly.y.rem_euclid(100) + ry.y;
        if y < ly.y {
            y += 100;
        }
        ry.y = y;
        ry.two = false;
        ry.bare = false;
    }
    if l.day.is_some() && l.month.is_none() && l.year.is_none() && r.month.is_some() {
        l.month = r.month;
    }
    if r.day.is_some() && r.month.is_none() && r.year.is_none() && l.month.is_some() {
        r.month = l.month;
    }
    if l.wants_year() && r.year.is_some() {
        l.year = r.year;
        l.year_shared = true;
    } else if r.wants_year() && l.year.is_some() {
        r.year = l.year;
        r.year_shared = true;
    }
}

fn months_between(l: &Pt, r: &Pt) -> Option<i64> {
    let lm = l.month.or(l.season.map(|s| (s - 20) * 3))?;
    let rm = r.month.or(r.season.map(|s| (s - 20) * 3))?;
    Some(i64::from(rm) - i64::from(lm))
}

pub(crate) fn normalize(
    s: &str,
    base: usize,
    lang: Lang,
    ctx: &Context,
) -> Result<NormalizedDate, Fail> {
    let toks = tokenize(s, base, lang)?;
    let t = toks.t.get(..toks.n).unwrap_or(&[]);
    let span = base..base + s.len();
    if t.is_empty() {
        return Err(unparseable("no date here", span));
    }
    let mut res = Resolver {
        ctx,
        assumed: Vec::new(),
        span: span.clone(),
    };
    let (mut a, mut b) = (0, t.len());
    let mut q = Qual::NONE;
    // ¿1943?  1943?  1943 (?)
    if t.first()
        .is_some_and(|x| x.p == b'!' && x.kind == TK::Punct)
    {
        a += 1;
        q.uncertain = true;
        if t.get(b - 1).is_some_and(|x| x.p == b'?') {
            b -= 1;
        } else {
            return Err(unparseable(
                "`¿` without a closing `?`",
                t.first().map_or(0..0, Tok::span),
            ));
        }
    }
    if b > a
        && t.get(b - 1)
            .is_some_and(|x| x.kind == TK::Punct && x.p == b'?')
    {
        b -= 1;
        q.uncertain = true;
    }
    if b >= a + 3
        && t.get(b - 1).is_some_and(|x| x.p == b')')
        && t.get(b - 2).is_some_and(|x| x.p == b'?')
        && t.get(b - 3).is_some_and(|x| x.p == b'(')
    {
        b -= 3;
        q.uncertain = true;
    }
    let (a, b) = top_range(t, a, b);
    // numeric dates: 3/9/1943, 9/1943, 1943–45
    if t.get(a..b).is_some_and(|w| {
        w.iter().all(|x| {
            x.kind == TK::Num || (x.kind == TK::Punct && matches!(x.p, b'/' | b'-' | b'.'))
        }) && w.iter().any(|x| x.kind == TK::Punct)
            && w.iter().all(|x| !x.ord && !x.dec_s && !x.apos)
    }) {
        let e = numeric(t.get(a..b).unwrap_or(&[]), lang, &mut res, q)?;
        return done(e, None, res, span);
    }
    // a trailing gloss: verão de 1943 (junho-agosto)
    let mut gloss: Option<(usize, usize)> = None;
    let mut b = b;
    if b > a + 2
        && t.get(b - 1)
            .is_some_and(|x| x.kind == TK::Punct && x.p == b')')
        && let Some(open) = (a..b - 1).rev().find(|k| {
            t.get(*k)
                .is_some_and(|x| x.kind == TK::Punct && x.p == b'(')
                && matching_close(t, *k, b) == Some(b - 1)
        })
        && open > a
    {
        gloss = Some((open + 1, b - 1));
        b = open;
    }
    let parsed = parse_body(t, a, b, lang)?;
    if let Some((ga, gb)) = gloss {
        if parsed.right.is_some() {
            return Err(unparseable(
                "a gloss can only restate a single date",
                t.get(ga).map_or(span.clone(), Tok::span),
            ));
        }
        let outer = parsed.left;
        let outer_res = res.point(&outer)?;
        let outer_bounds = (
            edtf::date_bounds(&outer_res.first()),
            edtf::date_bounds(&outer_res.last()),
        );
        let g = parse_body(t, ga, gb, lang)?;
        let gspan =
            t.get(ga).map_or(0, |x| x.s as usize)..t.get(gb - 1).map_or(0, |x| x.e as usize);
        let mut l = g.left;
        let mut r = g.right;
        // the gloss takes the year (and month) written outside it
        let fill = |p: &mut Pt| {
            if let Some(y) = p.year.filter(|y| y.bare && outer.month.is_some()) {
                // `julho de 1943 (9-17)`: bare numbers are days of that month
                if p.month.is_none() && p.day.is_none() {
                    p.day = Some((u8::try_from(y.y).unwrap_or(u8::MAX), y.s, y.e));
                    p.year = None;
                }
            }
            if p.wants_year() {
                p.year = outer.year;
            }
            if p.day.is_some() && p.month.is_none() {
                p.month = outer.month;
            }
        };
        fill(&mut l);
        let (res_l, res_r) = match &mut r {
            Some(rp) => {
                if let Some(y) = rp.year.filter(|y| y.bare && outer.month.is_some())
                    && rp.month.is_none()
                    && rp.day.is_none()
                {
                    rp.day = Some((u8::try_from(y.y).unwrap_or(u8::MAX), y.s, y.e));
                    rp.year = None;
                }
                if rp.wants_year() {
                    rp.year = l.year;
                    rp.year_shared = true;
                }
                if rp.day.is_some() && rp.month.is_none() {
                    rp.month = l.month;
                }
                range_res(&mut res, &l, rp)?
            }
            None => {
                let x = res.point(&l)?;
                (x, x)
            }
        };
        let (Some((oa, ob)), Some((ga_d, _)), Some((_, gb_d))) = (
            outer_bounds
                .0
                .map(|x| (x.0, x.1))
                .zip(outer_bounds.1)
                .map(|(a, b)| (a.0, b.1)),
            edtf::date_bounds(&res_l.first()),
            edtf::date_bounds(&res_r.last()),
        ) else {
            return Err(unparseable("the gloss names no date", gspan));
        };
        let consistent = if outer.season.is_some() {
            ga_d.ymd().0 == oa.ymd().0
        } else {
            ga_d >= oa && gb_d <= ob
        };
        if !consistent {
            return Err(Fail::new(
                K::InvalidDate,
                format!("the gloss does not fall within the date it explains ({oa} to {ob})"),
                gspan,
            ));
        }
        let mut q2 = q;
        q2.approx |= outer.approx;
        q2.uncertain |= outer.uncertain;
        let (mut x, mut y) = (res_l, res_r);
        x.qualify(q2);
        y.qualify(q2);
        // A season glossed with its months (`verão de 1943 (junho-agosto)`) is still a season:
        // one time within it, not a span that begins on the first month and ends on the last.
        // The same months as the convention keep the season code; other months (a source that
        // counts summer from July) become "one of" those months, `[1943-07..1943-09]`.
        if r.is_some() && outer.season.is_some() {
            if ga_d == oa && gb_d == ob {
                let mut o = outer_res;
                o.qualify(q2);
                let e = match o {
                    Res::One(d) => Expr::Single(d),
                    Res::Span(d1, d2, _) => Expr::Interval(End::Date(d1), End::Date(d2)),
                };
                return done(e, None, res, span);
            }
            let e = Expr::Set {
                all: false,
                items: vec![edtf::SetItem::Range(x.first(), y.last())],
            };
            return done(e, Some(Precision::Season), res, span);
        }
        let e = if r.is_some() {
            Expr::Interval(End::Date(x.first()), End::Date(y.last()))
        } else {
            match x {
                Res::One(d) => Expr::Single(d),
                Res::Span(d1, d2, _) => Expr::Interval(End::Date(d1), End::Date(d2)),
            }
        };
        let prec = match x {
            Res::Span(_, _, p) if r.is_none() => Some(p),
            _ => None,
        };
        return done(e, prec, res, span);
    }
    let Parsed {
        left,
        right,
        sep: parsed_sep,
    } = parsed;
    match right {
        None => {
            let mut x = res.point(&left)?;
            x.qualify(q);
            match x {
                Res::One(d) => done(Expr::Single(d), None, res, span),
                Res::Span(d1, d2, p) => done(
                    Expr::Interval(End::Date(d1), End::Date(d2)),
                    Some(p),
                    res,
                    span,
                ),
            }
        }
        Some(r)
            if l_month_only(&left)
                && r.year.is_some_and(|y| !y.two)
                && r.month.is_none()
                && r.day.is_none()
                && r.season.is_none()
                && r.part.is_none()
                && r.rel.is_none()
                && parsed_sep == Some(b'/') =>
        {
            // `setembro/1943`: the month of that year, not an interval
            let mut l = left;
            l.year = r.year;
            let mut x = res.point(&l)?;
            x.qualify(q);
            match x {
                Res::One(d) => done(Expr::Single(d), None, res, span),
                Res::Span(d1, d2, p) => done(
                    Expr::Interval(End::Date(d1), End::Date(d2)),
                    Some(p),
                    res,
                    span,
                ),
            }
        }
        Some(mut r) => {
            let mut l = left;
            distribute(&mut l, &mut r);
            let (mut x, mut y) = range_res(&mut res, &l, &r)?;
            x.qualify(q);
            y.qualify(q);
            done(
                Expr::Interval(End::Date(x.first()), End::Date(y.last())),
                None,
                res,
                span,
            )
        }
    }
}

/// Resolve both ends of a range, moving a shared year back (start) or
/// forward (end) when the months wrap around the new year by at most six
/// months (`de diciembre a febrero de 1944`).
fn range_res(res: &mut Resolver<'_>, l: &Pt, r: &Pt) -> Result<(Res, Res), Fail> {
    let x = res.point(l)?;
    let y = res.point(r)?;
    let (Some((xa, _)), Some((_, yb))) =
        (edtf::date_bounds(&x.first()), edtf::date_bounds(&y.last()))
    else {
        return Ok((x, y));
    };
    if xa <= yb {
        return Ok((x, y));
    }
    let wrap = months_between(l, r).map(|d| d + 12);
    if wrap.is_some_and(|w| (1..=6).contains(&w)) && (l.year_shared || r.year_shared) {
        let (mut l2, mut r2) = (*l, *r);
        if r.year_shared {
            if let Some(yr) = &mut r2.year {
                yr.y += if yr.bce == Some(true) { -1 } else { 1 };
            }
        } else if let Some(yr) = &mut l2.year {
            yr.y -= if yr.bce == Some(true) { -1 } else { 1 };
        }
        let x2 = res.point(&l2)?;
        let y2 = res.point(&r2)?;
        return Ok((x2, y2));
    }
    Err(edtf::reversed(xa, yb, res.span.clone()))
}

fn done(
    e: Expr,
    prec: Option<Precision>,
    res: Resolver<'_>,
    span: Range<usize>,
) -> Result<NormalizedDate, Fail> {
    let mut v = edtf::finish(&e, span, prec)?;
    v.assumed = res.assumed;
    Ok(v)
}

/// All-numeric dates: day-month-year in Spanish and Portuguese; in English
/// only when the day cannot be the month.
fn numeric(t: &[Tok], lang: Lang, res: &mut Resolver<'_>, q: Qual) -> Result<Expr, Fail> {
    let nums: Vec<&Tok> = t.iter().filter(|x| x.kind == TK::Num).collect();
    let seps: Vec<u8> = t
        .iter()
        .filter(|x| x.kind == TK::Punct)
        .map(|x| x.p)
        .collect();
    let alternating = t
        .iter()
        .enumerate()
        .all(|(i, x)| (i % 2 == 0) == (x.kind == TK::Num))
        && t.len() % 2 == 1;
    let span = res.span.clone();
    if !alternating || seps.windows(2).any(|w| w[0] != w[1]) {
        return Err(unparseable(
            "a numeric date needs one kind of separator between numbers",
            span,
        ));
    }
    let year_of = |res: &mut Resolver<'_>, n: &Tok| -> Result<i64, Fail> {
        match n.nd {
            3 | 4 => Ok(i64::from(n.num)),
            2 => Ok(res.century_of_two_digit() + i64::from(n.num)),
            _ => Err(unparseable("expected a year", n.span())),
        }
    };
    let month_ok = |n: &Tok| -> Result<u8, Fail> {
        if (1..=12).contains(&n.num) && n.nd <= 2 {
            Ok(n.num as u8)
        } else {
            Err(Fail::new(
                K::InvalidDate,
                format!("there is no month {}", n.num),
                n.span(),
            ))
        }
    };
    let one = |d: DateV| {
        let mut d = d;
        d.qualify(q);
        Ok(Expr::Single(d))
    };
    match nums.as_slice() {
        [a, b, c] => {
            let (d, m, y) = if a.nd >= 3 {
                (*c, *b, year_of(res, a)?)
            } else if lang == Lang::En {
                let (x, z) = (a.num, b.num);
                if x > 12 && z <= 12 {
                    (*a, *b, year_of(res, c)?)
                } else if z > 12 && x <= 12 {
                    (*b, *a, year_of(res, c)?)
                } else if x == z {
                    (*a, *b, year_of(res, c)?)
                } else if x <= 12 && z <= 12 {
                    return Err(Fail::new(
                        K::Ambiguous,
                        "in English a numeric date can be day-month or month-day",
                        span,
                    )
                    .help("write the ISO form (`1943-09-03`) or the month in words (`3 September 1943`)"));
                } else {
                    (*a, *b, year_of(res, c)?)
                }
            } else {
                (*a, *b, year_of(res, c)?)
            };
            let m = month_ok(m)?;
            let y = in_range(y, &span)?;
            if d.nd > 2 || d.num == 0 || d.num > u32::from(month_len(y, m)) {
                if d.num == 0 || d.num > 31 || d.nd > 2 {
                    return Err(Fail::new(
                        K::InvalidDate,
                        format!("there is no day {}", d.num),
                        d.span(),
                    ));
                }
                return Err(edtf::day_error(y, m, d.span()));
            }
            one(DateV::new(y, Some(m), Some(d.num as u8)))
        }
        [a, b] => {
            if a.nd > 4 || b.nd > 4 {
                Err(unparseable(
                    "a year in a numeric date has at most four digits",
                    span,
                ))
            } else if a.nd <= 2 && b.nd >= 3 {
                let m = month_ok(a)?;
                one(DateV::new(i64::from(b.num), Some(m), None))
            } else if a.nd >= 3 && (b.nd >= 3 || (b.nd == 2 && a.nd == 4)) {
                let ya = i64::from(a.num);
                let yb = if b.nd == 2 {
                    let mut y = ya - ya % 100 + i64::from(b.num);
                    if y < ya {
                        y += 100;
                    }
                    y
                } else {
                    i64::from(b.num)
                };
                if yb < ya {
                    return Err(edtf::reversed(
                        Day::from_raw(days_from_civil(ya, 1, 1)),
                        Day::from_raw(days_from_civil(yb, 12, 31)),
                        span,
                    ));
                }
                let mut x = DateV::new(ya, None, None);
                let mut y = DateV::new(yb, None, None);
                x.qualify(q);
                y.qualify(q);
                Ok(Expr::Interval(End::Date(x), End::Date(y)))
            } else {
                Err(unparseable("not a numeric date", span))
            }
        }
        _ => Err(unparseable("not a numeric date", span)),
    }
}
