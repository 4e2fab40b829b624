//! The consistency rules: one module per rule, registered here.
//!
//! To add a rule: add its row to `fasti_diagnostics::registry` (code, name, severity, summary)
//! with its documentation in `crates/fasti_diagnostics/docs/<name>.md`; write
//! `rules/<name_in_snake_case>.rs` with a `check` function (copy a neighbour of the same kind);
//! register it below; add `crates/fasti/tests/fixtures/rules/<name>/{valid,invalid}/`.

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::{Claim, DateValue, Event, Source};
use fasti_normalize::date::{DateError, DateErrorKind};
use fasti_normalize::interval::Dating;

use crate::{Context, SourceSummary};

mod actor_not_alive;
mod ambiguous_date;
mod ambiguous_name;
mod claim_after_source;
mod confusable_names;
mod contradicts_authority;
mod date_language_mismatch;
mod duplicate_claim;
mod duplicate_id;
mod effect_before_cause;
mod end_before_start;
mod event_without_region;
mod invalid_date;
mod outside_parent;
mod outside_period;
mod place_outside_region;
mod reference_cycle;
mod relation_contradicts_authority;
mod source_id_mismatch;
mod sources_disagree;
mod timeline_out_of_order;
mod unknown_reference;
mod unparseable_date;
mod unresolved_relative_date;
mod weekday_mismatch;

pub(crate) type AuthorityCheck = fn(&Context<'_>, &mut Vec<Diagnostic>);
pub(crate) type SourceCheck = fn(&Source, &Context<'_>, &mut Vec<Diagnostic>);
pub(crate) type DatasetCheck = fn(&[SourceSummary], &Context<'_>, &mut Vec<Diagnostic>);

/// Rules over the authority files alone.
pub(crate) const AUTHORITY_RULES: &[(Rule, AuthorityCheck)] = &[
    (Rule::DuplicateId, duplicate_id::check_authority),
    (Rule::UnknownReference, unknown_reference::check_authority),
    (Rule::UnparseableDate, unparseable_date::check_authority),
    (Rule::InvalidDate, invalid_date::check_authority),
    (Rule::AmbiguousDate, ambiguous_date::check_authority),
    (Rule::WeekdayMismatch, weekday_mismatch::check_authority),
    (
        Rule::UnresolvedRelativeDate,
        unresolved_relative_date::check_authority,
    ),
    (Rule::EndBeforeStart, end_before_start::check_authority),
    (
        Rule::EffectBeforeCause,
        effect_before_cause::check_authority,
    ),
    (Rule::OutsideParent, outside_parent::check_authority),
    (Rule::ConfusableNames, confusable_names::check_authority),
];

/// Rules over one source at a time.
pub(crate) const SOURCE_RULES: &[(Rule, SourceCheck)] = &[
    (Rule::SourceIdMismatch, source_id_mismatch::check),
    (Rule::UnknownReference, unknown_reference::check),
    (Rule::AmbiguousName, ambiguous_name::check),
    (Rule::UnparseableDate, unparseable_date::check),
    (Rule::InvalidDate, invalid_date::check),
    (Rule::AmbiguousDate, ambiguous_date::check),
    (Rule::WeekdayMismatch, weekday_mismatch::check),
    (Rule::DateLanguageMismatch, date_language_mismatch::check),
    (
        Rule::UnresolvedRelativeDate,
        unresolved_relative_date::check,
    ),
    (Rule::TimelineOutOfOrder, timeline_out_of_order::check),
    (Rule::EndBeforeStart, end_before_start::check),
    (Rule::EffectBeforeCause, effect_before_cause::check),
    (
        Rule::RelationContradictsAuthority,
        relation_contradicts_authority::check,
    ),
    (Rule::OutsideParent, outside_parent::check),
    (Rule::ActorNotAlive, actor_not_alive::check),
    (Rule::ClaimAfterSource, claim_after_source::check),
    (Rule::OutsidePeriod, outside_period::check),
    (Rule::PlaceOutsideRegion, place_outside_region::check),
    (Rule::EventWithoutRegion, event_without_region::check),
    (Rule::DuplicateClaim, duplicate_claim::check),
    (Rule::ContradictsAuthority, contradicts_authority::check),
];

/// Rules across sources.
pub(crate) const DATASET_RULES: &[(Rule, DatasetCheck)] = &[
    (Rule::DuplicateId, duplicate_id::check_sources),
    (Rule::SourcesDisagree, sources_disagree::check),
    (Rule::ReferenceCycle, reference_cycle::check),
];

/// The rule that reports a date the reader rejects with `kind`. The match is exhaustive on
/// purpose: a new error kind does not compile until a rule reports it, so a rejected date can
/// never drop out of a run silently (tested over every kind in `tests/commands`).
pub(crate) fn date_rule(kind: DateErrorKind) -> Rule {
    match kind {
        DateErrorKind::Empty
        | DateErrorKind::Unparseable
        | DateErrorKind::UnknownWord
        | DateErrorKind::EdtfSyntax => Rule::UnparseableDate,
        DateErrorKind::InvalidDate
        | DateErrorKind::ReversedInterval
        | DateErrorKind::OutOfRange => Rule::InvalidDate,
        DateErrorKind::NeedsContext => Rule::UnresolvedRelativeDate,
        DateErrorKind::Ambiguous => Rule::AmbiguousDate,
        DateErrorKind::WeekdayMismatch => Rule::WeekdayMismatch,
    }
}

/// The reader's error on `date`, when `rule` is the one that reports it.
pub(crate) fn date_error(date: &DateValue, rule: Rule) -> Option<&DateError> {
    date.value
        .as_ref()
        .err()
        .filter(|error| date_rule(error.kind) == rule)
}

/// The finding for a date that `rule` reports, if the reader rejected it with one of that
/// rule's kinds: the message says `what` of the date and gives the reader's message; the
/// reader's help comes first, else `help`.
pub(crate) fn date_finding(
    file: &FileName,
    date: &DateValue,
    rule: Rule,
    what: &str,
    help: &str,
) -> Option<Diagnostic> {
    let error = date_error(date, rule)?;
    let label = date_label(file, date, error.span.start, error.span.end)
        .with_message(error.message.clone());
    let mut diagnostic = Diagnostic::new(
        rule,
        format!("date `{}` {what}: {}", date.text, error.message),
        label,
    );
    diagnostic.help = Some(error.help.clone().unwrap_or_else(|| help.to_owned()));
    Some(diagnostic)
}

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

/// A file name without its directories and extension: `sources/rome-1943-en.yaml` →
/// `rome-1943-en`.
pub(crate) fn file_stem(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// The id adjudications name a source by: its `id`, else its file name's stem.
pub(crate) fn source_name(source: &Source) -> &str {
    source
        .id
        .as_deref()
        .unwrap_or_else(|| file_stem(&source.file))
}

/// What a claim says of its event's extent; `None` when it has no readable date, or when it
/// ends before it starts (`end-before-start` reports that, and no other rule reads it).
pub(crate) fn claim_dating(claim: &Claim) -> Option<Dating> {
    let date = claim.date.as_ref()?.value.as_ref().ok()?;
    let end = claim.end.as_ref().and_then(|end| end.value.as_ref().ok());
    let dating = Dating::claimed(date, end);
    (!dating.hull().is_reversed()).then_some(dating)
}

/// What the authority accepts for an event; `None` without a readable date or when reversed.
pub(crate) fn event_dating(event: &Event) -> Option<Dating> {
    let date = event.date.as_ref()?.value.as_ref().ok()?;
    let end = event.end.as_ref().and_then(|end| end.value.as_ref().ok());
    let dating = Dating::accepted(date, end);
    (!dating.hull().is_reversed()).then_some(dating)
}

/// A date for a message: `` `25 de julio` (1943-07-25) ``, or `` `1943-07-25` `` when the text
/// is already the EDTF.
pub(crate) fn shown(date: &DateValue) -> String {
    let mut shown = String::new();
    push_shown(&mut shown, date);
    shown
}

/// [`shown`], appended. Written with `push_str`: every claim's dates are shown once for the
/// cross-source rules, and through `format!` that was 2% of a run.
fn push_shown(shown: &mut String, date: &DateValue) {
    shown.push('`');
    shown.push_str(&date.text);
    shown.push('`');
    if let Ok(value) = &date.value
        && value.edtf != date.text.trim()
    {
        shown.push_str(" (");
        shown.push_str(&value.edtf);
        shown.push(')');
    }
}

/// A claim's dates for a message: the date, and its end when it has one.
pub(crate) fn shown_claim(claim: &Claim) -> String {
    let Some(date) = &claim.date else {
        return String::new();
    };
    // Sized up front: grown push by push, this string was reallocated several times.
    let room = |date: &DateValue| {
        date.text.len() + date.value.as_ref().map_or(0, |value| value.edtf.len()) + 5
    };
    let mut shown =
        String::with_capacity(room(date) + claim.end.as_ref().map_or(0, |end| room(end) + 4));
    push_shown(&mut shown, date);
    if let Some(end) = claim.end.as_ref().filter(|end| end.value.is_ok()) {
        shown.push_str(" to ");
        push_shown(&mut shown, end);
    }
    shown
}

/// An authority event's accepted dates for a message: `1943-07-10 to 1945-05-02`.
pub(crate) fn shown_accepted(event: &Event) -> String {
    let text = |date: &DateValue| date.text.trim().to_owned();
    match (&event.date, &event.end) {
        (Some(date), Some(end)) => format!("{} to {}", text(date), text(end)),
        (Some(date), None) => text(date),
        _ => String::new(),
    }
}

/// The authority's id of a claim's event, when it names exactly one.
pub(crate) fn claim_event<'a>(claim: &Claim, context: &'a Context<'_>) -> Option<&'a Event> {
    context.authority.events.get(claim.event.as_ref()?.entry()?)
}

/// A label on a value of a file.
pub(crate) fn at(file: &FileName, pointer: &str, message: impl Into<String>) -> Label {
    Label::new(file.clone(), Anchor::value(pointer)).with_message(message)
}
