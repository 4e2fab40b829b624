//! `weekday-mismatch`: a date whose weekday is not the weekday of the day it names
//! (`sábado 23 de enero de 1944`: 23 January 1944 was a Sunday).

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::{DateValue, Source};

use super::{authority_dates, date_error, date_label, source_dates};
use crate::Context;

fn diagnostic(file: &FileName, date: &DateValue) -> Option<Diagnostic> {
    let error = date_error(date, Rule::WeekdayMismatch)?;
    let label = date_label(file, date, error.span.start, error.span.end)
        .with_message(error.message.clone());
    let mut diagnostic = Diagnostic::new(
        Rule::WeekdayMismatch,
        format!("date `{}` contradicts itself: {}", date.text, error.message),
        label,
    );
    diagnostic.help = Some(error.help.clone().unwrap_or_else(|| {
        "check the document: either the weekday or the day was miscopied; if the document itself is wrong, record it as written and adjudicate".to_owned()
    }));
    Some(diagnostic)
}

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(source_dates(source).filter_map(|date| diagnostic(&source.file, date)));
}

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(authority_dates(context).filter_map(|(file, date)| diagnostic(file, date)));
}
