//! `unknown-reference`: an event key, person or place that is not in the authority files.

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_ingest::FileName;
use fasti_normalize::dataset::{Ref, Source};
use fasti_normalize::names::Resolution;

use crate::Context;

/// What a reference names, in words.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    Event,
    Person,
    Place,
}

impl Kind {
    pub(super) fn noun(self) -> &'static str {
        match self {
            Kind::Event => "event",
            Kind::Person => "person",
            Kind::Place => "place",
        }
    }

    fn file(self) -> &'static str {
        match self {
            Kind::Event => "events",
            Kind::Person => "people",
            Kind::Place => "places",
        }
    }
}

/// Every reference of a source, with what it names.
pub(super) fn source_refs(source: &Source) -> impl Iterator<Item = (Kind, &Ref)> {
    source.claims.iter().flat_map(|claim| {
        let events = claim
            .event
            .iter()
            .chain(&claim.after)
            .chain(&claim.before)
            .chain(&claim.caused_by)
            .chain(claim.part_of.iter())
            .map(|r| (Kind::Event, r));
        let places = claim.places.iter().map(|r| (Kind::Place, r));
        let people = claim.actors.iter().map(|r| (Kind::Person, r));
        events.chain(places).chain(people)
    })
}

fn diagnostic(file: &FileName, kind: Kind, reference: &Ref) -> Option<Diagnostic> {
    let Resolution::Unknown { suggestions } = &reference.resolution else {
        return None;
    };
    let noun = kind.noun();
    let help = match suggestions.as_slice() {
        [] => format!(
            "add the {noun} to `authority/{}.yaml`, or an alias to the entry it is",
            kind.file()
        ),
        [one] => format!("did you mean `{one}`?"),
        many => format!(
            "did you mean one of {}?",
            many.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    // Events are named by id; people and places by any of their names and aliases.
    let by = match kind {
        Kind::Event => "id",
        Kind::Person | Kind::Place => "name or alias",
    };
    Some(
        Diagnostic::new(
            Rule::UnknownReference,
            format!(
                "unknown {noun} `{}`: no {noun} in `authority/{}.yaml` has this {by}",
                reference.text,
                kind.file()
            ),
            Label::new(file.clone(), Anchor::value(reference.pointer.clone())),
        )
        .with_help(help),
    )
}

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    out.extend(
        source_refs(source)
            .filter_map(|(kind, reference)| diagnostic(&source.file, kind, reference)),
    );
}

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let authority = context.authority;
    for place in &authority.places {
        out.extend(
            place
                .within
                .iter()
                .filter_map(|r| diagnostic(&place.at.file, Kind::Place, r)),
        );
    }
    for event in &authority.events {
        let file = &event.at.file;
        out.extend(
            event
                .region
                .iter()
                .filter_map(|r| diagnostic(file, Kind::Place, r)),
        );
        let events = event
            .part_of
            .iter()
            .chain(&event.after)
            .chain(&event.before)
            .chain(&event.caused_by);
        out.extend(events.filter_map(|r| diagnostic(file, Kind::Event, r)));
    }
}
