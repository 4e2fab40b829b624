//! `unparseable-date`: a date not written in any form fasti reads.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::{DateValue, Source};

use super::{authority_dates, date_finding, source_dates};
use crate::Context;

fn diagnostic(file: &FileName, date: &DateValue) -> Option<Diagnostic> {
    date_finding(
        file,
        date,
        Rule::UnparseableDate,
        "cannot be read",
        "write the date as the source does, in a form listed in docs/dates.md, or as EDTF",
    )
}

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(source_dates(source).filter_map(|date| diagnostic(&source.file, date)));
}

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(authority_dates(context).filter_map(|(file, date)| diagnostic(file, date)));
}
