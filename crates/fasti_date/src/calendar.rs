//! Proleptic Gregorian arithmetic on day numbers (days since 1970-01-01).
//!
//! The algorithms are Howard Hinnant's `days_from_civil` / `civil_from_days`,
//! done in `i64` so that every `i32` year has a day number.

/// Whether `y` (astronomical numbering: 0 = 1 BCE) is a Gregorian leap year.
pub(crate) fn is_leap(y: i64) -> bool {
    y.rem_euclid(4) == 0 && (y.rem_euclid(100) != 0 || y.rem_euclid(400) == 0)
}

/// Number of days in month `m` (1–12) of year `y`; 0 for an invalid month.
pub(crate) fn month_len(y: i64, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Day number of a civil date. The caller guarantees `1 <= m <= 12`,
/// `1 <= d <= 31`; `y` may be any value with `|y| < 2^40`.
pub(crate) fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    let m = i64::from(m);
    let d = i64::from(d);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date of a day number.
pub(crate) fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    // m is in 1..=12 and d in 1..=31 by construction.
    (y, m as u8, d as u8)
}

/// English month names, for messages.
pub(crate) fn month_name(m: u8) -> &'static str {
    match m {
        1 => "January",
        2 => "February",
        3 => "March",
        4 => "April",
        5 => "May",
        6 => "June",
        7 => "July",
        8 => "August",
        9 => "September",
        10 => "October",
        11 => "November",
        12 => "December",
        _ => "month",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        // 15 March 44 BCE (astronomical -43) to 25 May 1810: 676 865 days.
        assert_eq!(
            days_from_civil(1810, 5, 25) - days_from_civil(-43, 3, 15),
            676_865
        );
    }

    #[test]
    fn leap_years() {
        assert!(is_leap(2000));
        assert!(!is_leap(1900));
        assert!(!is_leap(1500));
        assert!(is_leap(0));
        assert!(is_leap(-4));
        assert!(!is_leap(-1));
        assert_eq!(month_len(1943, 2), 28);
        assert_eq!(month_len(1944, 2), 29);
    }

    #[test]
    fn round_trip_wide() {
        for z in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }
}
