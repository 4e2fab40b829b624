//! The normalized dataset as plain rows: what the `html` timeline draws and `fasti export` writes.
//!
//! The pipeline fills it only when asked (it keeps every claim, which the findings alone never
//! need). Everything here is owned text and numbers, so this crate needs nothing from the
//! normalizer: days are counted from 1970-01-01 for drawing, and written as ISO 8601 for reading.

/// The sources, their claims and the authority, each list in a fixed order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dataset {
    /// Sorted by file.
    pub sources: Vec<SourceRow>,
    /// Sorted by file, then by position in the source.
    pub claims: Vec<ClaimRow>,
    /// In the authority's order: by file, then by position.
    pub events: Vec<EventRow>,
    pub people: Vec<PersonRow>,
    pub places: Vec<PlaceRow>,
    /// The files whose records could not be read (a syntax error, an unreadable file, a failure
    /// of fasti): nothing of them is in the rows above. Sorted.
    pub unread: Vec<String>,
}

/// A source document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceRow {
    pub file: String,
    pub id: Option<String>,
    pub title: Option<String>,
    /// The BCP 47 tag as written (`es`, `pt-BR`).
    pub language: Option<String>,
}

/// Where a record is: its file, its JSON pointer and the line it starts on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub pointer: String,
    /// 1-based; `None` when the record could not be found in the file again.
    pub line: Option<usize>,
}

/// A reference to an authority entry: as written, and the id it resolved to (`None` when it
/// names no entry, or several).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefRow {
    pub written: String,
    pub id: Option<String>,
}

impl RefRow {
    /// The id, or the text as written when it did not resolve.
    pub fn shown(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.written)
    }
}

/// A date as written and how fasti read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateRow {
    pub written: String,
    /// The reading, or why there is none.
    pub reading: Result<Reading, String>,
}

/// A date read as an interval of days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    pub edtf: String,
    pub earliest: End,
    pub latest: End,
    /// The ends as `fasti date` writes them: `YYYY-MM-DD`, or `..` for an open or unknown end.
    pub earliest_iso: String,
    pub latest_iso: String,
    /// `day`, `month`, `season`, `year`...
    pub precision: String,
    /// `approximate`, `uncertain`: in that order, each at most once.
    pub qualifiers: Vec<&'static str>,
    /// What was taken from an earlier date or a convention rather than read (`the year 1943`).
    pub assumed: Vec<String>,
}

/// One end of an interval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum End {
    /// A known day, counted from 1970-01-01.
    Day(i64),
    /// The interval runs on indefinitely (`..` in EDTF).
    Open,
    /// The end is not known (an empty end in EDTF).
    #[default]
    Unknown,
}

impl End {
    pub fn day(self) -> Option<i64> {
        match self {
            End::Day(day) => Some(day),
            End::Open | End::Unknown => None,
        }
    }
}

/// The whole extent a record gives: from the start of its date to the end of its end (or of its
/// date). `None` when the date could not be read.
pub fn extent(date: Option<&DateRow>, end: Option<&DateRow>) -> Option<(End, End)> {
    let start = date?.reading.as_ref().ok()?;
    let latest = match end.map(|end| end.reading.as_ref()) {
        Some(Ok(end)) => end.latest,
        // An end that cannot be read says nothing of where the record ends.
        Some(Err(_)) => End::Unknown,
        None => start.latest,
    };
    Some((start.earliest, latest))
}

/// One claim of a source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaimRow {
    pub at: Location,
    /// The claim's position in the source's list, from 0.
    pub index: usize,
    pub source: Option<String>,
    pub language: Option<String>,
    pub event: Option<RefRow>,
    pub title: Option<String>,
    pub date: Option<DateRow>,
    pub end: Option<DateRow>,
    pub places: Vec<RefRow>,
    pub actors: Vec<RefRow>,
    pub part_of: Option<RefRow>,
    pub after: Vec<RefRow>,
    pub before: Vec<RefRow>,
    pub caused_by: Vec<RefRow>,
    pub locator: Option<String>,
}

impl ClaimRow {
    pub fn extent(&self) -> Option<(End, End)> {
        extent(self.date.as_ref(), self.end.as_ref())
    }

    /// The event id, resolved or as written.
    pub fn event_key(&self) -> Option<&str> {
        self.event.as_ref().map(RefRow::shown)
    }
}

/// A canonical event with its accepted dates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventRow {
    pub at: Location,
    pub id: String,
    /// `(language, name)`, sorted by language.
    pub names: Vec<(String, String)>,
    pub date: Option<DateRow>,
    pub end: Option<DateRow>,
    pub region: Option<RefRow>,
    pub part_of: Option<RefRow>,
    pub after: Vec<RefRow>,
    pub before: Vec<RefRow>,
    pub caused_by: Vec<RefRow>,
}

impl EventRow {
    /// The accepted interval.
    pub fn extent(&self) -> Option<(End, End)> {
        extent(self.date.as_ref(), self.end.as_ref())
    }

    /// The English name, else the first, else the id.
    pub fn name(&self) -> &str {
        name(&self.names, &self.id)
    }
}

/// A person.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonRow {
    pub at: Location,
    pub id: String,
    pub names: Vec<(String, String)>,
    pub born: Option<DateRow>,
    pub died: Option<DateRow>,
}

/// A place, with the chain of places it lies within.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlaceRow {
    pub at: Location,
    pub id: String,
    pub names: Vec<(String, String)>,
    pub kind: Option<String>,
    pub within: Option<RefRow>,
    /// The ids of the places it lies within, the nearest first, up to the top of the hierarchy.
    pub ancestors: Vec<String>,
}

fn name<'a>(names: &'a [(String, String)], id: &'a str) -> &'a str {
    names
        .iter()
        .find(|(language, _)| language == "en")
        .or_else(|| names.first())
        .map_or(id, |(_, name)| name)
}

/// Year, month and day of a day counted from 1970-01-01 (proleptic Gregorian): Howard Hinnant's
/// `civil_from_days`. The normalizer has the same function; this crate keeps its own rather than
/// depend on the normalizer for the year labels of a time axis.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The inverse of [`civil_from_days`].
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_convert_both_ways() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-9_657), (1943, 7, 25));
        assert_eq!(civil_from_days(-719_469), (0, 2, 29));
        for day in [-800_000, -719_469, -1, 0, 1, 11_016, 2_000_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }
}
