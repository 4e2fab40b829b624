//! Throughput of `date::normalize` on the common forms (full dates,
//! month-year, year, ISO), one core.
//!
//! Run with `cargo bench -p fasti_date --bench dates`. Prints
//! expressions per second for each group and for the mix; the target is at
//! least one million per second for the mix.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use fasti_date::{Context, Lang, normalize};

const FULL: &[(&str, Lang)] = &[
    ("3 de septiembre de 1943", Lang::Es),
    ("El 10 de julio de 1943", Lang::Es),
    ("3 de Setembro de 1943", Lang::Pt),
    ("25 de julho de 1943", Lang::Pt),
    ("July 9th, 1943", Lang::En),
    ("3 September 1943", Lang::En),
    ("June 5, 1944", Lang::En),
];
const MONTH: &[(&str, Lang)] = &[
    ("septiembre de 1943", Lang::Es),
    ("en junio de 1944", Lang::Es),
    ("julho de 1943", Lang::Pt),
    ("July 1943", Lang::En),
    ("in May 1944", Lang::En),
];
const YEAR: &[(&str, Lang)] = &[
    ("1943", Lang::Es),
    ("en 1944", Lang::Es),
    ("1945", Lang::Pt),
    ("in 1943", Lang::En),
];
const ISO: &[(&str, Lang)] = &[
    ("1943-09-03", Lang::Iso),
    ("1943-07", Lang::Edtf),
    ("1944", Lang::Auto),
    ("1943-07-09/1943-08-17", Lang::Edtf),
    ("1943-09-03", Lang::Es),
];

fn measure(name: &str, set: &[(&str, Lang)]) -> f64 {
    let ctx = Context::default();
    for (s, l) in set {
        assert!(normalize(s, *l, &ctx).is_ok(), "{s} must parse");
    }
    // warm up, then run for about a second
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(200) {
        for (s, l) in set {
            black_box(normalize(black_box(s), *l, &ctx).ok());
        }
    }
    let mut n: u64 = 0;
    let start = Instant::now();
    let budget = Duration::from_secs(1);
    while start.elapsed() < budget {
        for _ in 0..64 {
            for (s, l) in set {
                black_box(normalize(black_box(s), *l, &ctx).ok());
                n += 1;
            }
        }
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    println!(
        "{name:<12} {:>12.0} expressions/s  ({:.0} ns each)",
        rate,
        1e9 / rate
    );
    rate
}

fn main() {
    let mix: Vec<(&str, Lang)> = [FULL, MONTH, YEAR, ISO].concat();
    measure("full dates", FULL);
    measure("month-year", MONTH);
    measure("year", YEAR);
    measure("iso/edtf", ISO);
    let rate = measure("mix", &mix);
    println!(
        "common forms: {:.2} million expressions per second on one core ({})",
        rate / 1e6,
        if rate >= 1e6 {
            "meets the 1M/s target"
        } else {
            "BELOW the 1M/s target"
        }
    );
}
