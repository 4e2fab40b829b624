//! Dates as sources write them, turned into intervals of days.
//!
//! [`normalize`] reads one date expression — EDTF/ISO 8601, or Spanish,
//! Portuguese or English prose such as `3 de septiembre de 1943`,
//! `verão de 1943 (junho-agosto)` or `six days later` — and returns a
//! [`NormalizedDate`]: an EDTF string, the earliest and latest possible day
//! (proleptic Gregorian), a [`Precision`] and the approximate/uncertain flags.
//! What it cannot read is a [`DateError`] with the byte span of the bad part.
//!
//! The conventions (seasons, early/mid/late, decades, centuries, BCE, numeric
//! dates, context) are documented for historians in `docs/dates.md`.

mod calendar;
mod edtf;
mod json;
mod lexicon;
mod prose;

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Serialize, Serializer};

pub use json::to_json;

/// The language an expression is declared to be written in.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Spanish prose (plus any ISO/EDTF form).
    Es,
    /// Portuguese prose (plus any ISO/EDTF form).
    Pt,
    /// English prose (plus any ISO/EDTF form).
    En,
    /// ISO 8601 dates, date-times and intervals (EDTF level 0) only.
    Iso,
    /// EDTF, levels 0, 1 and 2.
    Edtf,
    /// Try EDTF/ISO, then Spanish, Portuguese and English.
    Auto,
}

impl Lang {
    /// The lowercase code: `es`, `pt`, `en`, `iso`, `edtf` or `auto`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::En => "en",
            Lang::Iso => "iso",
            Lang::Edtf => "edtf",
            Lang::Auto => "auto",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error of [`Lang::from_str`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct UnknownLang(pub String);

impl fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown language `{}`: expected es, pt, en, iso, edtf or auto",
            self.0
        )
    }
}

impl std::error::Error for UnknownLang {}

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        for l in [
            Lang::Es,
            Lang::Pt,
            Lang::En,
            Lang::Iso,
            Lang::Edtf,
            Lang::Auto,
        ] {
            if t.eq_ignore_ascii_case(l.as_str()) {
                return Ok(l);
            }
        }
        Err(UnknownLang(s.to_owned()))
    }
}

/// How finely a value pins down the time it names.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// One day.
    Day,
    /// Early (1–10), mid (11–20) or late (21–end) part of a month.
    MonthPart,
    /// One month.
    Month,
    /// A season (EDTF 21–32).
    Season,
    /// A quarter of a year (EDTF 33–36).
    Quarter,
    /// Early, mid or late part of a year: January–April, May–August,
    /// September–December (EDTF 37–39).
    Quadrimester,
    /// A half year (EDTF 40–41).
    Semester,
    /// One year.
    Year,
    /// A decade (`194X`).
    Decade,
    /// A century (`19XX`).
    Century,
    /// A millennium or coarser (`1XXX`).
    Millennium,
    /// An interval whose ends may each have their own precision.
    Interval,
    /// An EDTF set (`[..]` one of, `{..}` all of).
    Set,
}

impl Precision {
    /// The lowercase name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::MonthPart => "monthpart",
            Precision::Month => "month",
            Precision::Season => "season",
            Precision::Quarter => "quarter",
            Precision::Quadrimester => "quadrimester",
            Precision::Semester => "semester",
            Precision::Year => "year",
            Precision::Decade => "decade",
            Precision::Century => "century",
            Precision::Millennium => "millennium",
            Precision::Interval => "interval",
            Precision::Set => "set",
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A day of the proleptic Gregorian calendar, counted from 1970-01-01.
///
/// Years use astronomical numbering (1 BCE is year 0, 44 BCE is -43).
/// Every `i32` year is representable.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Day(i64);

impl Day {
    /// The day `y-m-d`, or `None` when there is no such day.
    pub fn from_ymd(y: i32, m: u8, d: u8) -> Option<Day> {
        let y = i64::from(y);
        if !(1..=12).contains(&m) || d == 0 || d > calendar::month_len(y, m) {
            return None;
        }
        Some(Day(calendar::days_from_civil(y, m, d)))
    }

    /// Year (astronomical), month (1–12) and day (1–31).
    pub fn ymd(self) -> (i32, u8, u8) {
        let (y, m, d) = calendar::civil_from_days(self.0);
        // Day values are only built from i32 years (see `from_parts`).
        (
            y.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
            m,
            d,
        )
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        self.0
    }

    /// The day `n` days later (or earlier for negative `n`), if its year
    /// still fits in `i32`.
    pub fn add_days(self, n: i64) -> Option<Day> {
        let d = Day(self.0.checked_add(n)?);
        let (y, _, _) = calendar::civil_from_days(d.0);
        i32::try_from(y).ok().map(|_| d)
    }

    /// Internal constructor from an already validated day number.
    pub(crate) fn from_raw(n: i64) -> Day {
        Day(n)
    }

    pub(crate) fn raw(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = calendar::civil_from_days(self.0);
        if (0..=9999).contains(&y) {
            write!(f, "{y:04}-{m:02}-{d:02}")
        } else if (-9999..0).contains(&y) {
            write!(f, "-{:04}-{m:02}-{d:02}", -y)
        } else {
            write!(f, "Y{y}-{m:02}-{d:02}")
        }
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One end of a normalized value.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Bound {
    /// A known day.
    Day(Day),
    /// An open end (`..` in EDTF): the interval runs on indefinitely.
    Open,
    /// An unknown end (an empty end in EDTF, as in `1943/`).
    Unknown,
}

impl Bound {
    /// The day, if this end is a day.
    pub fn day(self) -> Option<Day> {
        match self {
            Bound::Day(d) => Some(d),
            Bound::Open | Bound::Unknown => None,
        }
    }
}

impl fmt::Display for Bound {
    /// `YYYY-MM-DD`, or `..` for an open or unknown end.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::Day(d) => d.fmt(f),
            Bound::Open | Bound::Unknown => f.write_str(".."),
        }
    }
}

impl Serialize for Bound {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Something the value took from outside the expression itself.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Assumed {
    /// The year, taken from the reference (`el 8 de septiembre`).
    Year(i32),
    /// The month and its year, taken from the reference (`a finales de ese mes`).
    Month(i32, u8),
    /// The day counted from (`seis días después`, `ese mismo día`).
    Day(Day),
    /// The century of a two-digit year or decade (`abril del 44`, `the '40s`):
    /// the first year of the century, e.g. 1900.
    Century(i32),
    /// The date was written in the Julian calendar (`O.S.`, `estilo antiguo`, or the source's
    /// `calendar: julian`) and converted to the proleptic Gregorian days it names.
    Julian,
}

impl fmt::Display for Assumed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Assumed::Year(y) => write!(f, "the year {}", YearWords(*y)),
            Assumed::Month(y, m) => {
                write!(
                    f,
                    "the month {} {}",
                    calendar::month_name(*m),
                    YearWords(*y)
                )
            }
            Assumed::Day(d) => write!(f, "the day {d}"),
            Assumed::Century(c) => write!(f, "the century {c}–{} for a two-digit year", c + 99),
            Assumed::Julian => f.write_str("converted from the Julian calendar"),
        }
    }
}

struct YearWords(i32);
impl fmt::Display for YearWords {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 <= 0 {
            write!(f, "{} BCE", 1 - i64::from(self.0))
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl Serialize for Assumed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A date expression turned into an interval of days.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct NormalizedDate {
    /// The value in EDTF (for early/mid/late of a month, an interval of days).
    pub edtf: String,
    /// The earliest day the value allows.
    pub earliest: Bound,
    /// The latest day the value allows.
    pub latest: Bound,
    /// How finely the value is known.
    pub precision: Precision,
    /// Some part is approximate (`~`, `%`, `circa`, `hacia`, `about`...).
    pub approximate: bool,
    /// Some part is uncertain (`?`, `%`, `¿1943?`...).
    pub uncertain: bool,
    /// What was taken from the context or a convention rather than read.
    pub assumed: Vec<Assumed>,
    /// `Some(l)`: the words are not of the declared language but of `l`.
    pub language_mismatch: Option<Lang>,
}

/// What an expression may lean on: the previous dated event of the source.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Context {
    /// The previous dated event of the same source, or `--reference`.
    pub reference: Option<NormalizedDate>,
    /// Prose dates are in the Julian calendar (a source's `calendar: julian`): convert them.
    pub julian: bool,
    /// The century (its first year, e.g. 1900) to read a one- or two-digit year in when no
    /// reference gives one: the dataset's declared period, when it lies within one century.
    pub century: Option<i32>,
}

impl Context {
    /// A context with `reference` as the previous date.
    pub fn with_reference(reference: NormalizedDate) -> Context {
        Context {
            reference: Some(reference),
            julian: false,
            century: None,
        }
    }
}

/// Why an expression was rejected.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateErrorKind {
    /// Nothing to read.
    Empty,
    /// The words are known but do not form a date.
    Unparseable,
    /// A word that is not in the lexicon of the language.
    UnknownWord,
    /// A day, month or year that does not exist (`31 de junio`, month 13).
    InvalidDate,
    /// An interval that ends before it starts.
    ReversedInterval,
    /// Malformed EDTF / ISO 8601, including the withdrawn 2012 draft syntax.
    EdtfSyntax,
    /// A relative or partial date and no reference to complete it.
    NeedsContext,
    /// An all-numeric date whose day and month cannot be told apart.
    Ambiguous,
    /// A year outside the supported range (`i32`).
    OutOfRange,
    /// A weekday that is not the weekday of the date it names
    /// (`sábado 23 de enero de 1944`): how transcription errors show.
    WeekdayMismatch,
}

impl DateErrorKind {
    /// Every kind, in declaration order (for tests that must cover each).
    pub const ALL: &'static [DateErrorKind] = &[
        DateErrorKind::Empty,
        DateErrorKind::Unparseable,
        DateErrorKind::UnknownWord,
        DateErrorKind::InvalidDate,
        DateErrorKind::ReversedInterval,
        DateErrorKind::EdtfSyntax,
        DateErrorKind::NeedsContext,
        DateErrorKind::Ambiguous,
        DateErrorKind::OutOfRange,
        DateErrorKind::WeekdayMismatch,
    ];
}

impl DateErrorKind {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DateErrorKind::Empty => "empty",
            DateErrorKind::Unparseable => "unparseable",
            DateErrorKind::UnknownWord => "unknown_word",
            DateErrorKind::InvalidDate => "invalid_date",
            DateErrorKind::ReversedInterval => "reversed_interval",
            DateErrorKind::EdtfSyntax => "edtf_syntax",
            DateErrorKind::NeedsContext => "needs_context",
            DateErrorKind::Ambiguous => "ambiguous",
            DateErrorKind::OutOfRange => "out_of_range",
            DateErrorKind::WeekdayMismatch => "weekday_mismatch",
        }
    }
}

impl fmt::Display for DateErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rejected expression: what is wrong, where, and what to do.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct DateError {
    /// The class of problem.
    pub kind: DateErrorKind,
    /// Lowercase, no trailing period: `June has 30 days`.
    pub message: String,
    /// Byte range of the bad part inside the input.
    pub span: Range<usize>,
    /// What to write instead, when we can tell.
    pub help: Option<String>,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateError {}

/// Internal error: messages are static on the fast failure paths.
#[derive(Clone, Debug)]
pub(crate) struct Fail {
    pub(crate) kind: DateErrorKind,
    pub(crate) msg: Cow<'static, str>,
    pub(crate) span: Range<usize>,
    pub(crate) help: Option<Cow<'static, str>>,
}

impl Fail {
    pub(crate) fn new(
        kind: DateErrorKind,
        msg: impl Into<Cow<'static, str>>,
        span: Range<usize>,
    ) -> Fail {
        Fail {
            kind,
            msg: msg.into(),
            span,
            help: None,
        }
    }

    pub(crate) fn help(mut self, h: impl Into<Cow<'static, str>>) -> Fail {
        self.help = Some(h.into());
        self
    }

    fn into_error(self, input: &str) -> DateError {
        // Keep the span inside the input and on char boundaries.
        let mut s = self.span.start.min(input.len());
        let mut e = self.span.end.clamp(s, input.len());
        while s > 0 && !input.is_char_boundary(s) {
            s -= 1;
        }
        while e < input.len() && !input.is_char_boundary(e) {
            e += 1;
        }
        DateError {
            kind: self.kind,
            message: self.msg.into_owned(),
            span: s..e,
            help: self.help.map(Cow::into_owned),
        }
    }
}

/// The longest expression accepted, in bytes.
pub const MAX_INPUT_LEN: usize = 512;

/// Normalize one date expression written in `lang`, completing relative or
/// partial expressions from `ctx`.
///
/// ```
/// use fasti_date::{normalize, Context, Lang, Precision};
/// let d = normalize("3 de septiembre de 1943", Lang::Es, &Context::default()).unwrap();
/// assert_eq!(d.edtf, "1943-09-03");
/// assert_eq!(d.precision, Precision::Day);
/// ```
pub fn normalize(input: &str, lang: Lang, ctx: &Context) -> Result<NormalizedDate, DateError> {
    normalize_inner(input, lang, ctx).map_err(|f| f.into_error(input))
}

fn normalize_inner(input: &str, lang: Lang, ctx: &Context) -> Result<NormalizedDate, Fail> {
    let trimmed = input.trim_start();
    let base = input.len() - trimmed.len();
    let trimmed = trimmed.trim_end();
    if trimmed.is_empty() {
        return Err(Fail::new(
            DateErrorKind::Empty,
            "the date is empty",
            0..input.len(),
        ));
    }
    if input.len() > MAX_INPUT_LEN {
        return Err(Fail::new(
            DateErrorKind::Unparseable,
            "the expression is longer than 512 bytes",
            0..input.len(),
        ));
    }
    let span = base..base + trimmed.len();
    match lang {
        Lang::Iso | Lang::Edtf => match edtf::normalize(trimmed, base, lang == Lang::Iso) {
            Ok(v) => Ok(v),
            Err(mut f) => {
                if f.help.is_none() && trimmed.bytes().any(|b| b.is_ascii_alphabetic()) {
                    for l in [Lang::Es, Lang::Pt, Lang::En] {
                        if prose::normalize(trimmed, base, l, ctx).is_ok() {
                            f.help = Some(Cow::Owned(format!(
                                "this reads as a date in `{l}`: use --lang {l} or auto"
                            )));
                            break;
                        }
                    }
                }
                Err(f)
            }
        },
        Lang::Es | Lang::Pt | Lang::En => {
            if let Some(pair) = year_pair(trimmed) {
                return prose_year_pair(trimmed, base, lang, ctx, pair);
            }
            let edtf_err = match try_edtf(trimmed, base) {
                Some(Ok(v)) => return Ok(v),
                // EDTF in form but not in substance (`1985-13`): say so
                // rather than read it another way.
                Some(Err(f)) if f.kind != DateErrorKind::EdtfSyntax => return Err(f),
                Some(Err(f)) => Some(f),
                None => None,
            };
            let first = match prose::normalize(trimmed, base, lang, ctx) {
                Ok(v) => return Ok(v),
                Err(f) => f,
            };
            if matches!(
                first.kind,
                DateErrorKind::UnknownWord | DateErrorKind::Unparseable
            ) {
                for other in [Lang::Es, Lang::Pt, Lang::En] {
                    if other == lang {
                        continue;
                    }
                    if let Ok(mut v) = prose::normalize(trimmed, base, other, ctx) {
                        v.language_mismatch = Some(other);
                        return Ok(v);
                    }
                }
            }
            Err(pick(edtf_err, first, trimmed, span))
        }
        Lang::Auto => {
            if let Some(pair) = year_pair(trimmed)
                && pair.1 > pair.0 % 100
                && pair.1 > 41
            {
                // `1943-45`: no EDTF code, so only the years 1943 to 1945.
                return prose::normalize(trimmed, base, Lang::Es, ctx);
            }
            if let Some(pair) = year_pair(trimmed)
                && pair.1 > pair.0 % 100
                && pair.1 > 12
            {
                // `1936-39`: EDTF's September–December 1936, or the years 1936 to 1939 in prose.
                return Err(two_readings(
                    trimmed,
                    base,
                    &edtf_reading(trimmed, base),
                    &year_range_reading(pair),
                )
                .help(
                    "declare the language: --lang edtf for the EDTF code, es/pt/en for the years",
                ));
            }
            let edtf_err = match try_edtf(trimmed, base) {
                Some(Ok(v)) => return Ok(v),
                // EDTF in form but not in substance (`1985-13`): say so
                // rather than read it another way.
                Some(Err(f)) if f.kind != DateErrorKind::EdtfSyntax => return Err(f),
                Some(Err(f)) => Some(f),
                None => None,
            };
            let mut best: Option<Fail> = None;
            for l in [Lang::Es, Lang::Pt, Lang::En] {
                match prose::normalize(trimmed, base, l, ctx) {
                    Ok(v) => return Ok(v),
                    Err(f) => {
                        let better = match &best {
                            None => true,
                            Some(b) => rank(&f) > rank(b),
                        };
                        if better {
                            best = Some(f);
                        }
                    }
                }
            }
            let first = best.unwrap_or_else(|| {
                Fail::new(DateErrorKind::Unparseable, "not a date", span.clone())
            });
            Err(pick(edtf_err, first, trimmed, span))
        }
    }
}

/// `YYYY-NN` (four digits, a hyphen, two digits): the start year and the two digits.
fn year_pair(s: &str) -> Option<(u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 7 || b.get(4) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let d = b.get(r)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| d.iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0')))
    };
    Some((num(0..4)?, num(5..7)?))
}

fn year_range_reading((start, two): (u32, u32)) -> String {
    format!("the years {start} to {}", start - start % 100 + two)
}

fn edtf_reading(s: &str, base: usize) -> String {
    match edtf::normalize(s, base, false) {
        Ok(v) => format!("`{}` ({} to {}) as ISO/EDTF", v.edtf, v.earliest, v.latest),
        Err(_) => "an ISO/EDTF code".to_owned(),
    }
}

fn two_readings(s: &str, base: usize, a: &str, b: &str) -> Fail {
    Fail::new(
        DateErrorKind::Ambiguous,
        format!("`{s}` has two readings: {a}, or {b}"),
        base..base + s.len(),
    )
}

/// `YYYY-NN` in prose. Historians write `1936-39` for the years 1936 to 1939; EDTF reads the
/// same characters as a part of 1936 (its codes 21–41), which in prose would be a silent
/// misreading. So in es, pt and en: two digits after the start year's are the end year;
/// `1943-07` (07 not after 43) is the ISO month; and where both fit (`1908-10`: October 1908,
/// or 1908 to 1910) the date is ambiguous and says so.
fn prose_year_pair(
    s: &str,
    base: usize,
    lang: Lang,
    ctx: &Context,
    pair: (u32, u32),
) -> Result<NormalizedDate, Fail> {
    let (start, two) = pair;
    let range = two > start % 100;
    let month = (1..=12).contains(&two);
    match (range, month) {
        (true, true) => Err(two_readings(
            s,
            base,
            &edtf_reading(s, base),
            &year_range_reading(pair),
        )
        .help(format!(
            "write the month in words (`{} {start}`) or the years in full (`{start}/{}`)",
            calendar::month_name(two as u8),
            start - start % 100 + two
        ))),
        // The prose reader reads `1936–39` as a year range; the hyphen is the same dash.
        (true, false) => prose::normalize(s, base, lang, ctx),
        (false, true) => edtf::normalize(s, base, false),
        (false, false) => Err(Fail::new(
            DateErrorKind::InvalidDate,
            format!(
                "`{s}` is neither a month nor a year range ({two:02} is not after {:02})",
                start % 100
            ),
            base + 5..base + 7,
        )
        .help(format!(
            "for the years write them in full (`{start}/{}`); EDTF's codes 21–41 need the EDTF form declared",
            start - start % 100 + two + 100
        ))),
    }
}

/// Rank of a prose failure under `auto`: errors that show the words were
/// understood beat unknown words; then the one that got furthest.
fn rank(f: &Fail) -> (u8, usize) {
    let k = match f.kind {
        DateErrorKind::UnknownWord => 0,
        DateErrorKind::Unparseable => 1,
        _ => 2,
    };
    (k, f.span.start)
}

/// EDTF is tried first when the expression is one EDTF-looking token.
fn try_edtf(s: &str, base: usize) -> Option<Result<NormalizedDate, Fail>> {
    if looks_edtf(s) {
        Some(edtf::normalize(s, base, false))
    } else {
        None
    }
}

fn looks_edtf(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_digit() || b"-+Y[{./?~%X".contains(c) => {}
        _ => return false,
    }
    !b.iter().any(|c| c.is_ascii_whitespace() || !c.is_ascii())
}

fn pick(edtf_err: Option<Fail>, nl_err: Fail, _s: &str, _span: Range<usize>) -> Fail {
    match edtf_err {
        Some(e)
            if matches!(
                nl_err.kind,
                DateErrorKind::UnknownWord | DateErrorKind::Unparseable
            ) =>
        {
            e
        }
        _ => nl_err,
    }
}
