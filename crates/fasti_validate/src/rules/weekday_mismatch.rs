//! `weekday-mismatch`: a date whose weekday is not the weekday of the day it names
//! (`sábado 23 de enero de 1944`: 23 January 1944 was a Sunday).

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::{DateValue, Source};

use super::{authority_dates, date_finding, source_dates};
use crate::Context;

fn diagnostic(file: &FileName, date: &DateValue) -> Option<Diagnostic> {
    date_finding(
        file,
        date,
        Rule::WeekdayMismatch,
        "contradicts itself",
        "check the document: either the weekday or the day was miscopied; if the document itself is wrong, record it as written and adjudicate",
    )
}

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(source_dates(source).filter_map(|date| diagnostic(&source.file, date)));
}

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(authority_dates(context).filter_map(|(file, date)| diagnostic(file, date)));
}
