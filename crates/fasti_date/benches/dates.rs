//! Throughput of `fasti_date::normalize` on the common forms (full dates,
//! month-year, year, ISO) and on the forms added for issue 14, one core.
//!
//! Run with `cargo bench -p fasti_date --bench dates`. Prints
//! expressions per second for each group and for the mix; the targets are at
//! least one million per second for the mix and 500,000 for the new forms.
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

/// The forms of issue 14 (weekdays, Roman numerals, ranges sharing a month, nights, parts of
/// months and seasons, bounds, sets, approximation after the year, century shorthand, feasts,
/// Julian markers, eras, prose year ranges); relative ones are read against 1943-09-03.
const NEW_FORMS: &[(&str, Lang)] = &[
    ("sábado 22 de enero de 1944", Lang::Es),
    ("segunda-feira, 6 de setembro de 1943", Lang::Pt),
    ("Friday, 3 September 1943", Lang::En),
    ("3-IX-1943", Lang::Es),
    ("22.I.1944", Lang::Pt),
    ("February 16–20, 1944", Lang::En),
    ("del 3 al 5 de mayo de 1944", Lang::Es),
    ("la noche del 9 al 10 de julio de 1943", Lang::Es),
    ("primeira quinzena de janeiro de 1944", Lang::Pt),
    ("early autumn 1943", Lang::En),
    ("antes del 4 de junio de 1944", Lang::Es),
    ("not later than June 5, 1944", Lang::En),
    ("septiembre u octubre de 1943", Lang::Es),
    ("1860 aprox.", Lang::Es),
    ("séc. XIX", Lang::Pt),
    ("Easter 1944", Lang::En),
    ("Natal de 1943", Lang::Pt),
    ("25 October 1917 O.S.", Lang::En),
    ("44 a. C.", Lang::Es),
    ("1936-39", Lang::Es),
    ("poco después", Lang::Es),
    ("four days later", Lang::En),
];

fn measure(name: &str, set: &[(&str, Lang)]) -> f64 {
    let reference = normalize("1943-09-03", Lang::Edtf, &Context::default());
    let ctx = Context::with_reference(reference.expect("a valid reference"));
    for (s, l) in set {
        assert!(normalize(s, *l, &ctx).is_ok(), "{s} must parse");
    }
    // Warm up, then run for a second of this thread's CPU time. CPU time rather than wall time:
    // on a shared machine the thread is descheduled for long stretches, and what we measure is
    // the cost of reading dates on one core.
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(200) {
        for (s, l) in set {
            black_box(normalize(black_box(s), *l, &ctx).ok());
        }
    }
    let mut n: u64 = 0;
    let (cpu0, wall0) = (thread_cpu(), Instant::now());
    let budget = Duration::from_secs(1);
    let elapsed = || match (cpu0, thread_cpu()) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => wall0.elapsed(),
    };
    while elapsed() < budget {
        for _ in 0..64 {
            for (s, l) in set {
                black_box(normalize(black_box(s), *l, &ctx).ok());
                n += 1;
            }
        }
    }
    let spent = elapsed().as_secs_f64();
    let rate = n as f64 / spent;
    println!(
        "{name:<12} {:>12.0} expressions/s  ({:.0} ns each)",
        rate,
        1e9 / rate
    );
    rate
}

/// This thread's CPU time (user + system) from `/proc/thread-self/stat`, in clock ticks of
/// 10 ms (Linux's USER_HZ); `None` elsewhere, and the wall clock is used.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
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
    let rate = measure("new forms", NEW_FORMS);
    println!(
        "new forms: {:.2} million expressions per second on one core ({})",
        rate / 1e6,
        if rate >= 5e5 {
            "meets the 500k/s target"
        } else {
            "BELOW the 500k/s target"
        }
    );
}
