//! `ambiguous-date`: a date that reads two plausible ways (`06/04/1944` in English, `1908-10`
//! in prose), with nothing in the source to choose between them.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::{DateValue, Source};

use super::{authority_dates, date_finding, source_dates};
use crate::Context;

fn diagnostic(file: &FileName, date: &DateValue) -> Option<Diagnostic> {
    date_finding(
        file,
        date,
        Rule::AmbiguousDate,
        "is ambiguous",
        "check the document for the reading it means and write that one unambiguously",
    )
}

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(source_dates(source).filter_map(|date| diagnostic(&source.file, date)));
}

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(authority_dates(context).filter_map(|(file, date)| diagnostic(file, date)));
}
