//! The consistency rules: one module per rule, registered here.
//!
//! To add a rule: add its row to `fasti_diagnostics::registry` (code, name, severity, summary)
//! with its documentation in `crates/fasti_diagnostics/docs/<name>.md`; write
//! `rules/<name_in_snake_case>.rs` with a `check` function (copy a neighbour of the same kind);
//! register it below; add `crates/fasti/tests/fixtures/rules/<name>/{valid,invalid}/`.

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::{DateValue, Source};

use crate::{Context, SourceSummary};

mod ambiguous_name;
mod date_language_mismatch;
mod duplicate_id;
mod invalid_date;
mod source_id_mismatch;
mod timeline_out_of_order;
mod unknown_reference;
mod unparseable_date;
mod unresolved_relative_date;

pub(crate) type AuthorityCheck = fn(&Context<'_>, &mut Vec<Diagnostic>);
pub(crate) type SourceCheck = fn(&Source, &Context<'_>, &mut Vec<Diagnostic>);
pub(crate) type DatasetCheck = fn(&[SourceSummary], &Context<'_>, &mut Vec<Diagnostic>);

/// Rules over the authority files alone.
pub(crate) const AUTHORITY_RULES: &[(Rule, AuthorityCheck)] = &[
    (Rule::DuplicateId, duplicate_id::check_authority),
    (Rule::UnknownReference, unknown_reference::check_authority),
    (Rule::UnparseableDate, unparseable_date::check_authority),
    (Rule::InvalidDate, invalid_date::check_authority),
];

/// Rules over one source at a time.
pub(crate) const SOURCE_RULES: &[(Rule, SourceCheck)] = &[
    (Rule::SourceIdMismatch, source_id_mismatch::check),
    (Rule::UnknownReference, unknown_reference::check),
    (Rule::AmbiguousName, ambiguous_name::check),
    (Rule::UnparseableDate, unparseable_date::check),
    (Rule::InvalidDate, invalid_date::check),
    (Rule::DateLanguageMismatch, date_language_mismatch::check),
    (
        Rule::UnresolvedRelativeDate,
        unresolved_relative_date::check,
    ),
    (Rule::TimelineOutOfOrder, timeline_out_of_order::check),
];

/// Rules across sources.
pub(crate) const DATASET_RULES: &[(Rule, DatasetCheck)] =
    &[(Rule::DuplicateId, duplicate_id::check_sources)];

/// Every date field of a source: its own dates, then each claim's.
pub(crate) fn source_dates(source: &Source) -> impl Iterator<Item = &DateValue> {
    let own = source.published.iter().chain(source.context.iter());
    let claims = source
        .claims
        .iter()
        .flat_map(|claim| claim.date.iter().chain(claim.end.iter()));
    own.chain(claims)
}

/// Every date field of the authority, with its file.
pub(crate) fn authority_dates<'a>(
    context: &'a Context<'_>,
) -> impl Iterator<Item = (&'a FileName, &'a DateValue)> {
    let authority = context.authority;
    let people = authority.people.iter().flat_map(|p| {
        p.born
            .iter()
            .chain(p.died.iter())
            .map(move |d| (&p.at.file, d))
    });
    let events = authority.events.iter().flat_map(|e| {
        e.date
            .iter()
            .chain(e.end.iter())
            .map(move |d| (&e.at.file, d))
    });
    people.chain(events)
}

/// A label on the part of a date string that an error names, or on the whole value.
pub(crate) fn date_label(file: &FileName, date: &DateValue, start: usize, end: usize) -> Label {
    let anchor = if start < end && end <= date.text.len() {
        Anchor::Within {
            pointer: date.pointer.clone(),
            start,
            end,
        }
    } else {
        Anchor::value(date.pointer.clone())
    };
    Label::new(file.clone(), anchor)
}
