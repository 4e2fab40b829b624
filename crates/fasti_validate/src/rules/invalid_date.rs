//! `invalid-date`: a day that does not exist, or an interval that ends before it starts.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::{DateValue, Source};

use super::{authority_dates, date_finding, source_dates};
use crate::Context;

fn diagnostic(file: &FileName, date: &DateValue) -> Option<Diagnostic> {
    date_finding(
        file,
        date,
        Rule::InvalidDate,
        "is impossible",
        "check the date against the source; if the source itself is wrong, record it as written and add a `note`",
    )
}

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(source_dates(source).filter_map(|date| diagnostic(&source.file, date)));
}

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(authority_dates(context).filter_map(|(file, date)| diagnostic(file, date)));
}
