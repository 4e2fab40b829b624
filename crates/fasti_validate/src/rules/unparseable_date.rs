//! `unparseable-date`: a date not written in any form fasti reads.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::{DateValue, Source};
use fasti_normalize::date::DateErrorKind;

use super::{authority_dates, date_label, source_dates};
use crate::Context;

fn diagnostic(file: &FileName, date: &DateValue) -> Option<Diagnostic> {
    let error = date.value.as_ref().err()?;
    let kind = error.kind;
    if !matches!(
        kind,
        DateErrorKind::Unparseable
            | DateErrorKind::UnknownWord
            | DateErrorKind::EdtfSyntax
            | DateErrorKind::Empty
    ) {
        return None;
    }
    let label = date_label(file, date, error.span.start, error.span.end)
        .with_message(error.message.clone());
    let mut diagnostic = Diagnostic::new(
        Rule::UnparseableDate,
        format!("date `{}` cannot be read: {}", date.text, error.message),
        label,
    );
    diagnostic.help = Some(error.help.clone().unwrap_or_else(|| {
        "write the date as the source does, in a form listed in docs/dates.md, or as EDTF"
            .to_owned()
    }));
    Some(diagnostic)
}

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(source_dates(source).filter_map(|date| diagnostic(&source.file, date)));
}

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(authority_dates(context).filter_map(|(file, date)| diagnostic(file, date)));
}
