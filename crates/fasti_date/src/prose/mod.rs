//! Spanish, Portuguese and English date prose.
//!
//! [`tokens`] splits the input, [`grammar`] reads one point or two joined as
//! an interval, and [`resolve`] turns them — with the reference date when
//! something is missing — into an EDTF [`Expr`]. This module holds what spans
//! the whole expression: qualifiers around it, glosses, ranges, numeric dates.
//! The words of each language, and its quirks, live in the lexicon.

mod grammar;
mod resolve;
mod tokens;

use std::ops::Range;

use grammar::{Parser, Point};
use resolve::{Resolved, Resolver, in_range};
use tokens::{Token, TokenKind, tokenize, unparseable};

use crate::calendar::{days_from_civil, month_len};
use crate::edtf::{self, DateV, End, Expr, Qual};
use crate::lexicon::W;
use crate::{Context, DateErrorKind as K, Day, Fail, Lang, NormalizedDate, Precision};

// -------------------------------------------------------------- top level

fn top_range(t: &[Token], a: usize, b: usize) -> (usize, usize) {
    // strip `(` … `)` wrapping everything
    let (mut a, mut b) = (a, b);
    while b > a + 1
        && t.get(a)
            .is_some_and(|x| x.kind == TokenKind::Punct && x.p == b'(')
        && matching_close(t, a, b) == Some(b - 1)
    {
        a += 1;
        b -= 1;
    }
    (a, b)
}

fn matching_close(t: &[Token], open: usize, b: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (k, x) in t.iter().enumerate().take(b).skip(open) {
        if x.kind == TokenKind::Punct && x.p == b'(' {
            depth += 1;
        } else if x.kind == TokenKind::Punct && x.p == b')' {
            depth -= 1;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

struct Parsed {
    left: Point,
    right: Option<Point>,
    /// the punctuation between the ends, if any
    sep: Option<u8>,
    /// joined by `or` (`Some(false)`, one of) or `and` (`Some(true)`, all of): a set
    set: Option<bool>,
}

fn l_month_only(p: &Point) -> bool {
    p.month.is_some() && p.year.is_none() && p.day.is_none() && p.part.is_none() && p.rel.is_none()
}

/// Parse tokens `a..b` as one point or a range of two.
fn parse_body(t: &[Token], a: usize, b: usize, lang: Lang) -> Result<Parsed, Fail> {
    let g = |i: usize, end: usize| Parser {
        t,
        i,
        end,
        lang,
        lead_a: false,
        lead_in: false,
    };
    let whole = |i: usize, end: usize| -> Result<Point, Fail> {
        let mut gg = g(i, end);
        let p = gg.point()?;
        if gg.i != end {
            return Err(match gg.tok() {
                Some(x) if x.kind == TokenKind::Punct => {
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
                            set: None,
                        });
                    }
                    (Err(e), _) | (_, Err(e)) => last = Some(e),
                }
            }
        }
        return Err(last.unwrap_or_else(|| {
            unparseable(
                "`entre`/`between` needs two dates joined by `y`/`e`/`and`",
                t.get(a).map_or(0..0, Token::span),
            )
        }));
    }
    let single = whole(a, b);
    if let Ok(p) = single {
        return Ok(Parsed {
            left: p,
            right: None,
            sep: None,
            set: None,
        });
    }
    let mut best = single.err();
    let from = matches!(t.get(a).and_then(|x| x.w), Some(W::From | W::Of));
    for k in a + 1..b {
        let Some(x) = t.get(k) else { break };
        let sep = match (x.kind, x.w) {
            (TokenKind::Punct, _) => x.p == b'-' || x.p == b'/',
            (TokenKind::Word, Some(W::To | W::A | W::Al | W::Or | W::And)) => true,
            _ => false,
        };
        // `septiembre u octubre`, `3 ou 4 de setembro`: one of; `mayo y junio`: all of
        let set = match x.w {
            Some(W::Or) => Some(false),
            Some(W::And) => Some(true),
            _ => None,
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
                    sep: (x.kind == TokenKind::Punct).then_some(x.p),
                    set,
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
fn distribute(l: &mut Point, r: &mut Point) {
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
    let bare_day = |p: &Point| {
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
    // `February 16–20, 1944`: the end has its day and year, and takes the month
    if r.day.is_some() && r.month.is_none() && l.month.is_some() && l.year.is_none() {
        r.month = l.month;
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

fn months_between(l: &Point, r: &Point) -> Option<i64> {
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
        julian: ctx.julian,
        ctx,
        assumed: Vec::new(),
        span: span.clone(),
    };
    let (mut a, mut b) = (0, t.len());
    let mut q = Qual::NONE;
    // ¿1943?  1943?  1943 (?)
    if t.first()
        .is_some_and(|x| x.p == b'!' && x.kind == TokenKind::Punct)
    {
        a += 1;
        q.uncertain = true;
        if t.get(b - 1).is_some_and(|x| x.p == b'?') {
            b -= 1;
        } else {
            return Err(unparseable(
                "`¿` without a closing `?`",
                t.first().map_or(0..0, Token::span),
            ));
        }
    }
    if b > a
        && t.get(b - 1)
            .is_some_and(|x| x.kind == TokenKind::Punct && x.p == b'?')
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
    // a trailing approximation or doubt: `1860 aprox.`, `1862 (uncertain)`, `1943 circa`
    loop {
        // (not a bare `c.`: the century of `19th c.`, the era of `44 a.C.`)
        if b > a + 1
            && t.get(b - 1)
                .is_some_and(|x| x.w == Some(W::Circa) && x.folded() != b"c")
        {
            q.approx = true;
            b -= 1;
        } else if b > a + 1 && t.get(b - 1).and_then(|x| x.w) == Some(W::Uncertain) {
            q.uncertain = true;
            b -= 1;
        } else if b > a + 3
            && t.get(b - 1)
                .is_some_and(|x| x.kind == TokenKind::Punct && x.p == b')')
            && t.get(b - 3)
                .is_some_and(|x| x.kind == TokenKind::Punct && x.p == b'(')
            && let Some(w @ (W::Circa | W::Uncertain)) = t.get(b - 2).and_then(|x| x.w)
        {
            if w == W::Circa {
                q.approx = true;
            } else {
                q.uncertain = true;
            }
            b -= 3;
        } else {
            break;
        }
    }
    // a Julian marker at the end: `3 September 1943 O.S.`, `(estilo antiguo)`
    if let Some(n) = julian_marker(t, a, b, lang) {
        res.julian = true;
        b -= n;
    }
    let (a, b) = top_range(t, a, b);
    // Roman-numeral months: `3-IX-1943`, `22.I.1944`, `22/I/1944`, `3 IX 1943`: day, month,
    // year in every language (the numeral marks the month).
    if let Some(e) = roman_month_date(t.get(a..b).unwrap_or(&[]), &mut res, q) {
        return done(e?, None, res, span);
    }
    // numeric dates: 3/9/1943, 9/1943, 1943–45, also after a little word (`el 3/9/43`,
    // `em 22/1/1944`, `on 3/9/1943`, `c. 3/9/1943`)
    let mut n0 = a;
    let mut nq = q;
    while let Some(w) = t.get(n0).and_then(|x| x.w) {
        match w {
            W::In | W::Art | W::A | W::Al => {}
            W::Circa => nq.approx = true,
            _ => break,
        }
        n0 += 1;
    }
    // `c. 1943–1945` qualifies its first year only (below); `c. 3/9/1943` the one date.
    let single = t.get(n0..b).is_some_and(|w| w.len() == 5);
    if n0 < b
        && (nq.approx == q.approx || single)
        && t.get(n0..b).is_some_and(|w| {
            w.iter().all(|x| {
                x.kind == TokenKind::Num
                    || (x.kind == TokenKind::Punct && matches!(x.p, b'/' | b'-' | b'.'))
            }) && w.iter().any(|x| x.kind == TokenKind::Punct)
                && w.iter().all(|x| !x.ord && !x.dec_s && !x.apos)
        })
    {
        let e = numeric(t.get(n0..b).unwrap_or(&[]), lang, &mut res, nq)?;
        return done(e, None, res, span);
    }
    if t.get(a..b).is_some_and(|w| {
        w.iter().all(|x| {
            x.kind == TokenKind::Num
                || (x.kind == TokenKind::Punct && matches!(x.p, b'/' | b'-' | b'.'))
        }) && w.iter().any(|x| x.kind == TokenKind::Punct)
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
            .is_some_and(|x| x.kind == TokenKind::Punct && x.p == b')')
        && let Some(open) = (a..b - 1).rev().find(|k| {
            t.get(*k)
                .is_some_and(|x| x.kind == TokenKind::Punct && x.p == b'(')
                && matching_close(t, *k, b) == Some(b - 1)
        })
        && open > a
    {
        gloss = Some((open + 1, b - 1));
        b = open;
    }
    let parsed = match parse_body(t, a, b, lang) {
        Ok(parsed) => parsed,
        // `later that year` is a point; only what reads no other way is a bound
        Err(e) => match bound(t, a, b, lang, &mut res, q) {
            Some(v) => return v.and_then(|e| done(e, None, res, span)),
            None => return Err(e),
        },
    };
    if let Some((ga, gb)) = gloss {
        if parsed.right.is_some() {
            return Err(unparseable(
                "a gloss can only restate a single date",
                t.get(ga).map_or(span.clone(), Token::span),
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
        let fill = |p: &mut Point| {
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
                    Resolved::One(d) => Expr::Single(d),
                    Resolved::Span(d1, d2, _) => Expr::Interval(End::Date(d1), End::Date(d2)),
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
                Resolved::One(d) => Expr::Single(d),
                Resolved::Span(d1, d2, _) => Expr::Interval(End::Date(d1), End::Date(d2)),
            }
        };
        let prec = match x {
            Resolved::Span(_, _, p) if r.is_none() => Some(p),
            _ => None,
        };
        return done(e, prec, res, span);
    }
    let Parsed {
        left,
        right,
        sep: parsed_sep,
        set,
    } = parsed;
    if let (Some(all), Some(mut r)) = (set, right) {
        // An EDTF set: its bounds run from the first member's first day to the last's last.
        let mut l = left;
        distribute(&mut l, &mut r);
        let (mut x, mut y) = range_res(&mut res, &l, &r)?;
        x.qualify(q);
        y.qualify(q);
        let item = |v: Resolved| match v {
            Resolved::One(d) => edtf::SetItem::One(d),
            Resolved::Span(d1, d2, _) => edtf::SetItem::Range(d1, d2),
        };
        let e = Expr::Set {
            all,
            items: vec![item(x), item(y)],
        };
        return done(e, None, res, span);
    }
    match right {
        None => {
            let mut x = res.point(&left)?;
            x.qualify(q);
            match x {
                Resolved::One(d) => done(Expr::Single(d), None, res, span),
                Resolved::Span(d1, d2, p) => done(
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
                Resolved::One(d) => done(Expr::Single(d), None, res, span),
                Resolved::Span(d1, d2, p) => done(
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

/// Which end a bound word leaves open, and whether the date itself is included.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// `hasta`, `até`, `until`, `by`, `not later than`, `antes de` (excluded)
    Start { inclusive: bool },
    /// `desde`, `a partir de`, `since`, `no antes de`, `después de`, `after` (excluded)
    End { inclusive: bool },
}

/// The bound words at `a`, and how many tokens they take.
fn bound_words(t: &[Token], a: usize) -> Option<(Open, usize)> {
    let w = |k: usize| t.get(a + k).and_then(|x| x.w);
    Some(match (w(0), w(1), w(2)) {
        // `no después de`, `not later than`, `não depois de`
        (Some(W::Not), Some(W::After), Some(W::Than)) => (Open::Start { inclusive: true }, 3),
        (Some(W::Not), Some(W::After), _) => (Open::Start { inclusive: true }, 2),
        (Some(W::Not), Some(W::Before), Some(W::Than)) => (Open::End { inclusive: true }, 3),
        (Some(W::Not), Some(W::Before), _) => (Open::End { inclusive: true }, 2),
        (Some(W::A), Some(W::Partir), _) => (Open::End { inclusive: true }, 2),
        (Some(W::Before), _, _) => (Open::Start { inclusive: false }, 1),
        (Some(W::After), _, _) => (Open::End { inclusive: false }, 1),
        (Some(W::To | W::By), _, _) => (Open::Start { inclusive: true }, 1),
        (Some(W::From), _, _) => (Open::End { inclusive: true }, 1),
        _ => return None,
    })
}

/// A date with one open end: `antes del 4 de junio de 1944` is `../1944-06-03`, `desde 1943`
/// is `1943/..`. Only when the words after the bound are one point; otherwise (`desde X hasta
/// Y`) it is a range, read by the caller.
fn bound(
    t: &[Token],
    a: usize,
    b: usize,
    lang: Lang,
    res: &mut Resolver<'_>,
    q: Qual,
) -> Option<Result<Expr, Fail>> {
    let (open, n) = bound_words(t, a)?;
    let mut parser = Parser {
        t,
        i: a + n,
        end: b,
        lang,
        lead_a: false,
        lead_in: false,
    };
    let p = parser.point().ok()?;
    if parser.i != b {
        return None;
    }
    Some((|| {
        let mut r = res.point(&p)?;
        r.qualify(q);
        let day = |d: i64| -> Result<DateV, Fail> {
            let (y, m, dd) = crate::calendar::civil_from_days(d);
            in_range(y, &res.span)?;
            let mut v = DateV::new(y, Some(m), Some(dd));
            v.qualify(q);
            Ok(v)
        };
        let bounds = |v: &DateV| {
            edtf::date_bounds(v).ok_or_else(|| unparseable("this bound has no day", p.s..p.e))
        };
        Ok(match open {
            Open::Start { inclusive: true } => Expr::Interval(End::Open, End::Date(r.last())),
            Open::Start { inclusive: false } => {
                let (first, _) = bounds(&r.first())?;
                Expr::Interval(End::Open, End::Date(day(first.raw() - 1)?))
            }
            Open::End { inclusive: true } => Expr::Interval(End::Date(r.first()), End::Open),
            Open::End { inclusive: false } => {
                let (_, last) = bounds(&r.last())?;
                Expr::Interval(End::Date(day(last.raw() + 1)?), End::Open)
            }
        })
    })())
}

/// Resolve both ends of a range, moving a shared year back (start) or
/// forward (end) when the months wrap around the new year by at most six
/// months (`de diciembre a febrero de 1944`).
fn range_res(res: &mut Resolver<'_>, l: &Point, r: &Point) -> Result<(Resolved, Resolved), Fail> {
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
    let mut v = edtf::finish(&e, span.clone(), prec)?;
    v.assumed = res.assumed;
    // A date counted from the previous one (`al día siguiente`, `a finales de ese mes`) is
    // counted on days already converted: only what the text itself writes is converted.
    let counted = v
        .assumed
        .iter()
        .any(|a| matches!(a, crate::Assumed::Day(_) | crate::Assumed::Month(..)));
    if res.julian && !counted {
        v = from_julian(v, span)?;
    }
    Ok(v)
}

/// How many tokens at the end of `a..b` mark the date as Julian (`O.S.`, `old style`,
/// `estilo antiguo`, `(juliano)`), if any.
fn julian_marker(t: &[Token], a: usize, b: usize, lang: Lang) -> Option<usize> {
    let paren = b >= a + 3
        && t.get(b - 1)
            .is_some_and(|x| x.kind == TokenKind::Punct && x.p == b')');
    let end = if paren { b - 1 } else { b };
    for (l, words) in crate::lexicon::JULIAN {
        if *l != lang || end < a + words.len() + 1 {
            continue;
        }
        let start = end - words.len();
        let matches = words
            .iter()
            .enumerate()
            .all(|(k, w)| t.get(start + k).is_some_and(|x| x.folded() == w.as_bytes()));
        if !matches {
            continue;
        }
        if paren {
            if start > a
                && t.get(start - 1)
                    .is_some_and(|x| x.kind == TokenKind::Punct && x.p == b'(')
            {
                return Some(words.len() + 2);
            }
            continue;
        }
        return Some(words.len());
    }
    None
}

/// A value read as Julian, converted to the Gregorian days it names: each end's first and last
/// day are taken as Julian dates. The result is written as days (`1752-09-14`, or an interval).
fn from_julian(v: NormalizedDate, span: Range<usize>) -> Result<NormalizedDate, Fail> {
    let convert = |b: crate::Bound| -> Option<DateV> {
        let d = b.day()?;
        let (y, m, dd) = d.ymd();
        let g = resolve::julian_to_day(i64::from(y), m, dd);
        let (gy, gm, gd) = crate::calendar::civil_from_days(g);
        Some(DateV::new(gy, Some(gm), Some(gd)))
    };
    let (Some(mut first), Some(mut last)) = (convert(v.earliest), convert(v.latest)) else {
        return Err(unparseable(
            "a Julian date needs both ends to convert it",
            span,
        ));
    };
    let q = Qual {
        approx: v.approximate,
        uncertain: v.uncertain,
    };
    first.qualify(q);
    last.qualify(q);
    let e = if v.earliest == v.latest {
        Expr::Single(first)
    } else {
        Expr::Interval(End::Date(first), End::Date(last))
    };
    let mut out = edtf::finish(&e, span, None)?;
    out.assumed = v.assumed;
    out.assumed.push(crate::Assumed::Julian);
    Ok(out)
}

fn roman_month_date(t: &[Token], res: &mut Resolver<'_>, q: Qual) -> Option<Result<Expr, Fail>> {
    let nums: Vec<&Token> = t.iter().filter(|x| x.kind != TokenKind::Punct).collect();
    let seps: Vec<u8> = t
        .iter()
        .filter(|x| x.kind == TokenKind::Punct)
        .map(|x| x.p)
        .collect();
    let [d, m, y] = nums.as_slice() else {
        return None;
    };
    let Some(W::Roman(month @ 1..=12)) = m.w else {
        return None;
    };
    let plain = |x: &Token| x.kind == TokenKind::Num && !x.ord && !x.apos && !x.dec_s;
    if !plain(d) || !plain(y) || d.nd > 2 {
        return None;
    }
    // (`22.I.1944`: the tokenizer takes the dot after `I` as an abbreviation's)
    let dotted = seps == [b'.'];
    if !(seps.is_empty()
        || dotted
        || (seps.len() == 2 && seps[0] == seps[1] && matches!(seps[0], b'-' | b'.' | b'/')))
    {
        return None;
    }
    Some((|| {
        let year = match y.nd {
            3 | 4 => i64::from(y.num),
            2 => res.century_of_two_digit()? + i64::from(y.num),
            _ => return Err(unparseable("expected a year", y.span())),
        };
        let year = in_range(year, &res.span)?;
        if d.num == 0 || d.num > u32::from(month_len(year, month)) {
            return Err(edtf::day_error(year, month, d.span()));
        }
        let mut v = DateV::new(year, Some(month), Some(d.num as u8));
        v.qualify(q);
        Ok(Expr::Single(v))
    })())
}

/// All-numeric dates: day-month-year in Spanish and Portuguese; in English
/// only when the day cannot be the month.
fn numeric(t: &[Token], lang: Lang, res: &mut Resolver<'_>, q: Qual) -> Result<Expr, Fail> {
    let nums: Vec<&Token> = t.iter().filter(|x| x.kind == TokenKind::Num).collect();
    let seps: Vec<u8> = t
        .iter()
        .filter(|x| x.kind == TokenKind::Punct)
        .map(|x| x.p)
        .collect();
    let alternating = t
        .iter()
        .enumerate()
        .all(|(i, x)| (i % 2 == 0) == (x.kind == TokenKind::Num))
        && t.len() % 2 == 1;
    let span = res.span.clone();
    if !alternating || seps.windows(2).any(|w| w[0] != w[1]) {
        return Err(unparseable(
            "a numeric date needs one kind of separator between numbers",
            span,
        ));
    }
    let year_of = |res: &mut Resolver<'_>, n: &Token| -> Result<i64, Fail> {
        match n.nd {
            3 | 4 => Ok(i64::from(n.num)),
            2 => Ok(res.century_of_two_digit()? + i64::from(n.num)),
            _ => Err(unparseable("expected a year", n.span())),
        }
    };
    let month_ok = |n: &Token| -> Result<u8, Fail> {
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
    if let ([a, b], [b'.']) = (nums.as_slice(), seps.as_slice())
        && a.nd == 1
        && b.nd == 3
    {
        // `1.944`: a year with a thousands separator, as Spanish and Portuguese print them.
        let mut y = DateV::new(i64::from(a.num) * 1000 + i64::from(b.num), None, None);
        y.qualify(q);
        return Ok(Expr::Single(y));
    }
    match nums.as_slice() {
        [a, b, c] => {
            let (d, m, y) = if a.nd >= 3 {
                (*c, *b, year_of(res, a)?)
            } else if crate::lexicon::quirks(lang).numeric_month_day {
                let (x, z) = (a.num, b.num);
                if x > 12 && z <= 12 {
                    (*a, *b, year_of(res, c)?)
                } else if z > 12 && x <= 12 {
                    (*b, *a, year_of(res, c)?)
                } else if x == z {
                    (*a, *b, year_of(res, c)?)
                } else if x <= 12 && z <= 12 {
                    let y = year_of(res, c)?;
                    let name = |m: u32| crate::calendar::month_name(m as u8);
                    return Err(Fail::new(
                        K::Ambiguous,
                        format!(
                            "in English a numeric date can be day-month or month-day: {x} {} {y}, or {} {z}, {y}",
                            name(z),
                            name(x),
                        ),
                        span,
                    )
                    .help(format!(
                        "write the month in words as the document means it (`{x} {} {y}` or `{} {z}, {y}`), or the ISO form",
                        name(z),
                        name(x),
                    )));
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
