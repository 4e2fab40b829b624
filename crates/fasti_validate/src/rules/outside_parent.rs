//! `outside-parent`: an event falls outside the event it is part of.
//!
//! A claim's event is part of the event named by its own `part_of`, and of the one its
//! authority entry's `part_of` names; an authority event is part of its `part_of`. Each is
//! compared with the parent's accepted interval (`date` to `end`). A single date is reported
//! when it shares no day with the parent; a span (an `end`, or an interval value) also when it
//! certainly begins before the parent begins, or certainly ends after the parent ends.

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::{DateValue, Event, Ref, Source};
use fasti_normalize::interval::{Dating, Part};

use super::{
    at, claim_dating, claim_event, event_dating, shown, shown_accepted, shown_claim, source_name,
};
use crate::Context;

/// How the child relates to its parent, in the message.
fn relation(part: Part) -> &'static str {
    match part {
        Part::Whole => "outside",
        Part::Start => "so it begins before",
        Part::End => "so it ends after",
    }
}

/// `child` dated `dates` (at `date` of `file`), part of `parent` as `part_of` says.
struct Child<'a> {
    file: &'a FileName,
    /// The child's event id, when it has one.
    id: Option<&'a str>,
    /// The dates as a message shows them: formatted only for a finding, since most children are
    /// inside their parents.
    dates: &'a dyn Fn() -> String,
    date: &'a DateValue,
    dating: Dating,
    part_of: &'a Ref,
    part_of_file: &'a FileName,
}

fn diagnostic(child: &Child<'_>, parent: &Event) -> Option<Diagnostic> {
    let part = child.dating.certainly_outside(event_dating(parent)?)?;
    let parent_date = parent.date.as_ref()?;
    let name = child
        .id
        .map_or_else(|| "this event".to_owned(), |id| format!("`{id}`"));
    let mut found = Diagnostic::new(
        Rule::OutsideParent,
        format!(
            "{name} is dated {}, {} `{}` ({}), which it is part of",
            (child.dates)(),
            relation(part),
            parent.at.id,
            shown_accepted(parent)
        ),
        at(
            child.file,
            &child.date.pointer,
            format!("outside `{}`", parent.at.id),
        ),
    )
    .with_related(at(
        &parent.at.file,
        &parent_date.pointer,
        format!("the accepted date of `{}`", parent.at.id),
    ));
    found = found.with_related(
        Label::new(
            child.part_of_file.clone(),
            Anchor::value(child.part_of.pointer.clone()),
        )
        .with_message("said to be part of it here"),
    );
    Some(found.with_help("check the dates and the `part_of` against the document; if the source dates the event by another convention, adjudicate the finding on the event"))
}

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let events = &context.authority.events;
    for claim in &source.claims {
        let (Some(dating), Some(date)) = (claim_dating(claim), &claim.date) else {
            continue;
        };
        let event = claim_event(claim, context);
        let own = claim.part_of.as_ref().map(|r| (r, &source.file));
        let inherited = event.and_then(|e| e.part_of.as_ref().map(|r| (r, &e.at.file)));
        let claim_parent = own.and_then(|(r, _)| r.entry());
        let inherited = inherited.filter(|(r, _)| r.entry() != claim_parent);
        for (part_of, part_of_file) in own.into_iter().chain(inherited) {
            let Some(parent) = part_of.entry().and_then(|i| events.get(i)) else {
                continue;
            };
            let child = Child {
                file: &source.file,
                id: event.map(|e| e.at.id.as_str()),
                dates: &|| shown_claim(claim),
                date,
                dating,
                part_of,
                part_of_file,
            };
            if let Some(found) = diagnostic(&child, parent) {
                out.push(found.about(event.map(|e| e.at.id.as_str()), [source_name(source)]));
            }
        }
    }
}

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let events = &context.authority.events;
    for event in events {
        let (Some(part_of), Some(dating), Some(date)) =
            (&event.part_of, event_dating(event), &event.date)
        else {
            continue;
        };
        let Some(parent) = part_of.entry().and_then(|i| events.get(i)) else {
            continue;
        };
        let dates = || match &event.end {
            Some(end) => format!("{} to {}", shown(date), shown(end)),
            None => shown(date),
        };
        let child = Child {
            file: &event.at.file,
            id: Some(&event.at.id),
            dates: &dates,
            date,
            dating,
            part_of,
            part_of_file: &event.at.file,
        };
        if let Some(found) = diagnostic(&child, parent) {
            out.push(found.about(Some(&event.at.id), Vec::<String>::new()));
        }
    }
}
