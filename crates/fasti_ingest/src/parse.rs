use std::path::Path;

use fasti_diagnostics::Diagnostic;
use serde_json::Value;

use crate::{FileName, Limits, Outline, json, suspicious, yaml};

/// The syntax of a data file, decided by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    /// `.json` files are JSON; every other data file is YAML (which JSON is a subset of).
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|ext| ext.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// A parsed file: its value, when the syntax allowed one, and every problem met.
#[derive(Debug, Default)]
pub struct Parsed {
    /// `None` when the file is empty or could not be parsed at all.
    pub value: Option<Value>,
    /// At most `max_findings_per_file`, in the order met.
    pub diagnostics: Vec<Diagnostic>,
    /// How many more findings there were, not kept.
    pub dropped: usize,
    /// For YAML, where the first levels of the file are, so that locating a finding later
    /// reads only the record it is in (see [`crate::SpanIndex::build_for`]).
    pub outline: Option<Outline>,
}

/// Parses a file's text. Problems that leave the rest of the file readable (a duplicate key, an
/// alias, a custom tag) are reported and parsing goes on; a syntax error stops it.
pub fn parse(file: &FileName, format: Format, text: &str, limits: &Limits) -> Parsed {
    let mut parsed = match format {
        Format::Yaml => yaml::parse(file, text, limits),
        Format::Json => json::parse(file, text, limits),
    };
    if let Some(value) = &mut parsed.value {
        let cut = crate::limits::cap_records(file, value, limits);
        parsed.diagnostics.extend(cut);
    }
    if let Some(value) = &parsed.value
        && suspicious::may_hold_any(text)
    {
        let mut found = Vec::new();
        suspicious::check(file, value, &mut found);
        let room = limits
            .max_findings_per_file
            .saturating_sub(parsed.diagnostics.len());
        parsed.dropped += found.len().saturating_sub(room);
        parsed.diagnostics.extend(found.into_iter().take(room));
    }
    parsed
}
