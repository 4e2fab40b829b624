//! `unresolved-relative-date`: a partial or relative date with nothing earlier to lean on.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_normalize::dataset::Source;
use fasti_normalize::date::DateErrorKind;

use super::{date_label, source_dates};
use crate::Context;

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for date in source_dates(source) {
        let Err(error) = &date.value else { continue };
        if error.kind != DateErrorKind::NeedsContext {
            continue;
        }
        let label = date_label(&source.file, date, error.span.start, error.span.end)
            .with_message(error.message.clone());
        out.push(
            Diagnostic::new(
                Rule::UnresolvedRelativeDate,
                format!("date `{}` needs an earlier date to be read against, and none comes before it", date.text),
                label,
            )
            .with_help("give the source a `context` (the period it is about, e.g. `1943`), or list a fully dated event before this one"),
        );
    }
}
