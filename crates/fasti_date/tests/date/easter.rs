//! Movable feasts follow the Gregorian computus. Checked against published tables of Western
//! Easter Sundays: the years 1990–2050 as listed in python-dateutil's test suite, sample years
//! from 1704 to 4099 from the tables at dates.gmarts.org (as used by the `annual` package's
//! tests), and the war years of the bundled dataset. Only the dates are taken.

use fasti_date::{Context, Lang, normalize};

/// (year, month, day) of Easter Sunday.
const EASTER: &[(i32, u8, u8)] = &[
    (1704, 3, 23),
    (1844, 4, 7),
    (1939, 4, 9),
    (1940, 3, 24),
    (1941, 4, 13),
    (1942, 4, 5),
    (1943, 4, 25),
    (1944, 4, 9),
    (1945, 4, 1),
    (1950, 4, 9),
    (1990, 4, 15),
    (1991, 3, 31),
    (1992, 4, 19),
    (1993, 4, 11),
    (1994, 4, 3),
    (1995, 4, 16),
    (1996, 4, 7),
    (1997, 3, 30),
    (1998, 4, 12),
    (1999, 4, 4),
    (2000, 4, 23),
    (2001, 4, 15),
    (2002, 3, 31),
    (2003, 4, 20),
    (2004, 4, 11),
    (2005, 3, 27),
    (2006, 4, 16),
    (2007, 4, 8),
    (2008, 3, 23),
    (2009, 4, 12),
    (2010, 4, 4),
    (2011, 4, 24),
    (2012, 4, 8),
    (2013, 3, 31),
    (2014, 4, 20),
    (2015, 4, 5),
    (2016, 3, 27),
    (2017, 4, 16),
    (2018, 4, 1),
    (2019, 4, 21),
    (2020, 4, 12),
    (2021, 4, 4),
    (2022, 4, 17),
    (2023, 4, 9),
    (2024, 3, 31),
    (2025, 4, 20),
    (2026, 4, 5),
    (2027, 3, 28),
    (2028, 4, 16),
    (2029, 4, 1),
    (2030, 4, 21),
    (2031, 4, 13),
    (2032, 3, 28),
    (2033, 4, 17),
    (2034, 4, 9),
    (2035, 3, 25),
    (2036, 4, 13),
    (2037, 4, 5),
    (2038, 4, 25),
    (2039, 4, 10),
    (2040, 4, 1),
    (2041, 4, 21),
    (2042, 4, 6),
    (2043, 3, 29),
    (2044, 4, 17),
    (2045, 4, 9),
    (2046, 3, 25),
    (2047, 4, 14),
    (2048, 4, 5),
    (2049, 4, 18),
    (2050, 4, 10),
    (3249, 4, 25),
    (3401, 3, 22),
    (4099, 4, 19),
];

#[test]
fn easter_matches_the_published_tables_in_every_language() {
    for &(y, m, d) in EASTER {
        let want = format!("{y:04}-{m:02}-{d:02}");
        for (text, lang) in [
            (format!("Easter {y}"), Lang::En),
            (format!("Pascua de {y}"), Lang::Es),
            (format!("Páscoa de {y}"), Lang::Pt),
        ] {
            let got = normalize(&text, lang, &Context::default())
                .unwrap_or_else(|e| panic!("`{text}`: {}", e.message));
            assert_eq!(got.edtf, want, "`{text}`");
        }
    }
}

#[test]
fn movable_feasts_keep_their_distance_from_easter() {
    // 1944: Easter 9 April.
    for (text, lang, want) in [
        ("Ash Wednesday 1944", Lang::En, "1944-02-23"),
        ("Good Friday 1944", Lang::En, "1944-04-07"),
        ("Ascension 1944", Lang::En, "1944-05-18"),
        ("Pentecost 1944", Lang::En, "1944-05-28"),
        ("Whit Monday 1944", Lang::En, "1944-05-29"),
        ("Corpus Christi 1944", Lang::En, "1944-06-08"),
    ] {
        let got = normalize(text, lang, &Context::default()).map(|v| v.edtf);
        assert_eq!(got.as_deref(), Ok(want), "`{text}`");
    }
}
