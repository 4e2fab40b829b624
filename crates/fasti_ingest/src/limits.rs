use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use serde::{Deserialize, Deserializer, de};
use serde_json::Value;

use crate::FileName;

/// Safety limits applied while reading and parsing, so that no input can exhaust memory or
/// stack. Each can be changed in `fasti.toml` under `[limits]`, within a ceiling that keeps
/// the guarantees (see `docs/security.md`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Limits {
    /// Largest file read, in bytes. A larger file is not read at all.
    #[serde(deserialize_with = "file_size")]
    pub max_file_size: u64,
    /// Deepest nesting of mappings and sequences; deeper parts are not read.
    #[serde(deserialize_with = "depth")]
    pub max_depth: usize,
    /// Longest single string (value or key), in bytes.
    pub max_string_length: usize,
    /// Most findings kept per file; the rest are counted and summarized in one finding.
    #[serde(deserialize_with = "findings")]
    pub max_findings_per_file: usize,
    /// Most findings kept in a whole run; the rest are counted in one closing finding.
    #[serde(deserialize_with = "at_least_one")]
    pub max_findings: usize,
    /// Most records read from one list of a file (a source's `events`, an authority file's
    /// `people`, `places` or `events`); the rest are not checked, and one finding says so.
    #[serde(deserialize_with = "at_least_one")]
    pub max_records_per_list: usize,
}

impl Limits {
    /// The highest `max-depth` accepted. Every stage after parsing (schema check, typed records,
    /// dropping the value) recurses over the nesting; 128 levels fit easily in the 2 MiB stack
    /// of a worker thread, and serde_json stops at 128 levels by itself anyway.
    pub const MAX_DEPTH_CEILING: usize = 128;
    /// The highest `max-file-size` accepted, 1 GiB: byte offsets are kept in 32 bits.
    pub const MAX_FILE_SIZE_CEILING: u64 = 1 << 30;
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_size: 16 * 1024 * 1024,
            max_depth: 64,
            max_string_length: 1024 * 1024,
            max_findings_per_file: 1000,
            max_findings: 10_000,
            max_records_per_list: 100_000,
        }
    }
}

fn depth<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    let depth = usize::deserialize(deserializer)?;
    if depth == 0 || depth > Limits::MAX_DEPTH_CEILING {
        return Err(de::Error::custom(format!(
            "`max-depth` must be between 1 and {}",
            Limits::MAX_DEPTH_CEILING
        )));
    }
    Ok(depth)
}

fn file_size<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let size = u64::deserialize(deserializer)?;
    if size > Limits::MAX_FILE_SIZE_CEILING {
        return Err(de::Error::custom(format!(
            "`max-file-size` must be at most {} (1 GiB)",
            Limits::MAX_FILE_SIZE_CEILING
        )));
    }
    Ok(size)
}

fn findings<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    let count = usize::deserialize(deserializer)?;
    if count == 0 {
        return Err(de::Error::custom(
            "`max-findings-per-file` must be at least 1",
        ));
    }
    Ok(count)
}

fn at_least_one<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    let count = usize::deserialize(deserializer)?;
    if count == 0 {
        return Err(de::Error::custom("the limit must be at least 1"));
    }
    Ok(count)
}

/// The lists of records a data file may hold: a source's `events`, an authority file's `people`,
/// `places` and `events`.
const RECORD_LISTS: [&str; 3] = ["events", "people", "places"];

/// Cuts each list of records in `value` to `max-records-per-list`, before anything else looks at
/// them, and reports each cut at the first record left out. The cut records are dropped at once:
/// a file of 400,000 empty claims (`[{},{},…]`, 1.2 MB) is a few hundred megabytes of findings if
/// every claim is checked.
pub(crate) fn cap_records(file: &FileName, value: &mut Value, limits: &Limits) -> Vec<Diagnostic> {
    let limit = limits.max_records_per_list;
    let Some(map) = value.as_object_mut() else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for list in RECORD_LISTS {
        let Some(Value::Array(records)) = map.get_mut(list) else {
            continue;
        };
        if records.len() <= limit {
            continue;
        }
        let total = records.len();
        records.truncate(limit);
        found.push(
            Diagnostic::new(
                Rule::LimitExceeded,
                format!(
                    "`{list}` has {total} records, more than the limit of {limit}; the last {} are not checked",
                    total - limit
                ),
                Label::new(file.clone(), Anchor::value(format!("/{list}/{limit}"))),
            )
            .with_help("split the file, or raise `max-records-per-list` under `[limits]` in fasti.toml"),
        );
    }
    found
}
