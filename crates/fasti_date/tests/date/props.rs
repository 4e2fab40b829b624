//! Property tests: no panics, sane bounds, EDTF round trips.

use fasti_date::{Bound, Context, Day, Lang, NormalizedDate, normalize};
use proptest::prelude::*;

const LANGS: [Lang; 6] = [
    Lang::Es,
    Lang::Pt,
    Lang::En,
    Lang::Iso,
    Lang::Edtf,
    Lang::Auto,
];

fn lang() -> impl Strategy<Value = Lang> {
    prop::sample::select(&LANGS[..])
}

/// Pieces of date expressions, glued at random, to reach deep paths.
fn dateish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "3",
        "31",
        "1943",
        "44",
        "'44",
        "0",
        "9th",
        "1º",
        "1.º",
        "1940s",
        "de",
        "del",
        "a",
        "al",
        "y",
        "e",
        "and",
        "to",
        "entre",
        "between",
        "from",
        "desde",
        "hasta",
        "até",
        "julio",
        "Julho",
        "July",
        "sept.",
        "set.",
        "primavera",
        "verão",
        "winter",
        "principios",
        "finales",
        "fins",
        "mid-",
        "early",
        "late",
        "siglo",
        "século",
        "century",
        "XX",
        "XIX",
        "a.C.",
        "BC",
        "AD",
        "c.",
        "circa",
        "hacia",
        "por",
        "volta",
        "¿",
        "?",
        "~",
        "%",
        "(",
        ")",
        "-",
        "–",
        "/",
        ",",
        ".",
        "..",
        "[",
        "]",
        "{",
        "}",
        "X",
        "Y",
        "E",
        "S",
        "T",
        "ese",
        "mismo",
        "día",
        "días",
        "después",
        "later",
        "six",
        "seis",
        "años",
        "anos",
        "the",
        "the same",
        "that",
        "year",
        "mes",
        "month",
        "next",
        "siguiente",
        "víspera",
        "2004-06-11",
        "-0043",
        "1985-04",
        "Y170000002",
        "2001-21",
        "156X",
        "unknown",
        // the forms of issue 14
        "sábado",
        "segunda-feira",
        "Friday",
        "IX",
        "MCMXLIII",
        "noche",
        "night",
        "quincena",
        "half",
        "week",
        "primeros",
        "última",
        "antes",
        "hasta",
        "by",
        "not",
        "no",
        "a partir",
        "since",
        "u",
        "ou",
        "or",
        "y",
        "and",
        "aprox.",
        "uncertain",
        "19c",
        "19th",
        "Navidad",
        "Easter",
        "Pascua",
        "San",
        "Juan",
        "Whit",
        "Monday",
        "O.S.",
        "estilo",
        "antiguo",
        "poco",
        "shortly",
        "cabo",
        "en",
        "within",
        "hora",
        "1936-39",
        "1908-10",
        "1.944",
        "open",
        "ñ",
        "ß",
        "\u{0301}",
        "😀",
        " ",
        "  ",
    ]);
    prop::collection::vec(atoms, 0..12).prop_map(|v| v.join(" "))
}

fn glued() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "1", "9", "0", "X", "-", "/", "..", "?", "~", "%", "[", "]", "{", "}", ",", "Y", "E", "S",
        "T", ":", "Z", "+", "2", "1985", "-04", "-12", "-31", "-21",
    ]);
    prop::collection::vec(atoms, 0..14).prop_map(|v| v.concat())
}

fn reference() -> impl Strategy<Value = Context> {
    prop_oneof![
        Just(Context::default()),
        Just(ctx("1943-09-03")),
        Just(ctx("1945-05")),
        Just(ctx("1943/1945")),
        Just(ctx("1943-12-31")),
        Just(ctx("1944-02-29")),
        Just(ctx("../1943")),
    ]
}

fn ctx(r: &str) -> Context {
    match normalize(r, Lang::Edtf, &Context::default()) {
        Ok(v) => Context::with_reference(v),
        Err(_) => Context::default(),
    }
}

fn check_value(v: &NormalizedDate) -> Result<(), TestCaseError> {
    if let (Bound::Day(a), Bound::Day(b)) = (v.earliest, v.latest) {
        prop_assert!(a <= b, "{} has earliest {a} after latest {b}", v.edtf);
    }
    // the EDTF re-parses to the same bounds, and is a fixed point
    let again = normalize(&v.edtf, Lang::Edtf, &Context::default());
    prop_assert!(again.is_ok(), "`{}` does not re-parse: {again:?}", v.edtf);
    if let Ok(w) = again {
        prop_assert_eq!(&w.edtf, &v.edtf);
        prop_assert_eq!(w.earliest, v.earliest);
        prop_assert_eq!(w.latest, v.latest);
        prop_assert_eq!(w.approximate, v.approximate);
        prop_assert_eq!(w.uncertain, v.uncertain);
    }
    Ok(())
}

fn check_any(s: &str, lang: Lang, ctx: &Context) -> Result<(), TestCaseError> {
    match normalize(s, lang, ctx) {
        Ok(v) => check_value(&v),
        Err(e) => {
            prop_assert!(e.span.start <= e.span.end && e.span.end <= s.len());
            prop_assert!(s.is_char_boundary(e.span.start) && s.is_char_boundary(e.span.end));
            prop_assert!(!e.message.is_empty());
            prop_assert!(!e.message.ends_with('.'), "{}", e.message);
            Ok(())
        }
    }
}

const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTHS_PT: [&str; 12] = [
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_any_string(s in any::<String>(), lang in lang(), ctx in reference()) {
        check_any(&s, lang, &ctx)?;
    }

    #[test]
    fn never_panics_on_date_like_text(s in dateish(), lang in lang(), ctx in reference()) {
        check_any(&s, lang, &ctx)?;
    }

    #[test]
    fn never_panics_on_edtf_like_text(s in glued(), lang in lang(), ctx in reference()) {
        check_any(&s, lang, &ctx)?;
    }

    #[test]
    // Years below 100 in prose are two-digit years (`abril del 44`) or need an
    // era, so prose years start at 100; ISO takes any four-digit year.
    fn full_dates_in_every_language(y in 100i32..=9999, m in 1u8..=12, d in 1u8..=31, form in 0usize..6) {
        let i = usize::from(m - 1);
        let (s, lang) = match form {
            0 => (format!("{d} de {} de {y}", MONTHS_ES[i]), Lang::Es),
            1 => (format!("{d} de {} de {y}", MONTHS_PT[i]), Lang::Pt),
            2 => (format!("{} {d}, {y}", MONTHS_EN[i]), Lang::En),
            3 => (format!("{d} {} {y}", MONTHS_EN[i]), Lang::En),
            4 => (format!("{d}/{m}/{y}"), Lang::Es),
            _ => (format!("{y:04}-{m:02}-{d:02}"), Lang::Iso),
        };
        let r = normalize(&s, lang, &Context::default());
        match Day::from_ymd(y, m, d) {
            Some(day) => {
                let v = r.map_err(|e| TestCaseError::fail(format!("{s}: {e:?}")))?;
                prop_assert_eq!(v.earliest, Bound::Day(day));
                prop_assert_eq!(v.latest, Bound::Day(day));
                prop_assert_eq!(v.edtf, format!("{y:04}-{m:02}-{d:02}"));
            }
            None => {
                let e = r.err().ok_or_else(|| TestCaseError::fail(format!("{s} accepted")))?;
                prop_assert_eq!(e.kind, fasti_date::DateErrorKind::InvalidDate);
            }
        }
    }

    #[test]
    fn day_round_trips(y in any::<i32>(), m in 1u8..=12, d in 1u8..=28) {
        let day = Day::from_ymd(y, m, d).ok_or_else(|| TestCaseError::fail("valid day"))?;
        prop_assert_eq!(day.ymd(), (y, m, d));
    }

    #[test]
    fn consecutive_days_are_consecutive(n in -3_000_000i64..3_000_000) {
        let base = Day::from_ymd(1970, 1, 1).ok_or_else(|| TestCaseError::fail("epoch"))?;
        let a = base.add_days(n).ok_or_else(|| TestCaseError::fail("in range"))?;
        let b = base.add_days(n + 1).ok_or_else(|| TestCaseError::fail("in range"))?;
        let (y, m, d) = a.ymd();
        prop_assert_eq!(Day::from_ymd(y, m, d), Some(a));
        prop_assert_eq!(b.days_since_epoch() - a.days_since_epoch(), 1);
        prop_assert!(a < b);
    }
}
