//! `end-before-start`: a record that certainly ends before it starts.
//!
//! Compared: a claim's `date` and `end`, an authority event's `date` and `end`, a person's
//! `born` and `died`. It fires only when the latest day the end allows is before the earliest
//! day the start allows: `1943` to `1943-03` is fine (both may be March 1943); `10 de julio`
//! to `17 de junio` is not.

use fasti_diagnostics::{Diagnostic, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::{DateValue, Source};

use super::{at, shown, source_name};
use crate::Context;

/// What the two fields are called in the message: (start, end).
type Words = (&'static str, &'static str);

const RECORD: Words = ("start date", "end date");
const LIFE: Words = ("birth date", "death date");

fn diagnostic(
    file: &FileName,
    start: &DateValue,
    end: &DateValue,
    (start_word, end_word): Words,
) -> Option<Diagnostic> {
    let (start_days, end_days) = (start.interval()?, end.interval()?);
    if !end_days.certainly_before(start_days) {
        return None;
    }
    Some(
        Diagnostic::new(
            Rule::EndBeforeStart,
            format!(
                "{end_word} {} is before {start_word} {}",
                shown(end),
                shown(start)
            ),
            at(file, &end.pointer, format!("{end_word} given here")),
        )
        .with_related(at(file, &start.pointer, format!("{start_word} given here")))
        .with_help(
            "check both dates against the document: one of them is probably mistyped, or the end was read in the wrong month or year",
        ),
    )
}

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for claim in &source.claims {
        let (Some(date), Some(end)) = (&claim.date, &claim.end) else {
            continue;
        };
        if let Some(diagnostic) = diagnostic(&source.file, date, end, RECORD) {
            let event = super::claim_event(claim, context).map(|e| e.at.id.as_str());
            out.push(diagnostic.about(event, [source_name(source)]));
        }
    }
}

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let authority = context.authority;
    for event in &authority.events {
        let (Some(date), Some(end)) = (&event.date, &event.end) else {
            continue;
        };
        if let Some(diagnostic) = diagnostic(&event.at.file, date, end, RECORD) {
            out.push(diagnostic.about(Some(&event.at.id), Vec::<String>::new()));
        }
    }
    for person in &authority.people {
        let (Some(born), Some(died)) = (&person.born, &person.died) else {
            continue;
        };
        out.extend(diagnostic(&person.at.file, born, died, LIFE));
    }
}
