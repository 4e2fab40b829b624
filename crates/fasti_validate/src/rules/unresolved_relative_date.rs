//! `unresolved-relative-date`: a partial or relative date with nothing earlier to lean on.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::{DateValue, Source};

use super::{authority_dates, date_error, date_label, source_dates};
use crate::Context;

fn diagnostic(file: &FileName, date: &DateValue) -> Option<Diagnostic> {
    let error = date_error(date, Rule::UnresolvedRelativeDate)?;
    let label = date_label(file, date, error.span.start, error.span.end)
        .with_message(error.message.clone());
    Some(
        Diagnostic::new(
            Rule::UnresolvedRelativeDate,
            format!(
                "date `{}` needs an earlier date to be read against, and none comes before it",
                date.text
            ),
            label,
        )
        .with_help("give the source a `context` (the period it is about, e.g. `1943`), or list a fully dated event before this one"),
    )
}

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(source_dates(source).filter_map(|date| diagnostic(&source.file, date)));
}

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(authority_dates(context).filter_map(|(file, date)| diagnostic(file, date)));
}
