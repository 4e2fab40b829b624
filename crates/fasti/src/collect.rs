//! The normalized dataset as rows ([`fasti_report::Dataset`]), for the `html` timeline and
//! `fasti export`: built from the same normalized sources and authority the rules check, only
//! when a run asks for it.

use std::collections::{BTreeMap, BTreeSet};

use fasti_diagnostics::Anchor;
use fasti_ingest::model::{AuthorityRecord, Names};
use fasti_ingest::{DataFile, FileName, Format, Limits, ReadOutcome, SpanIndex, read_file};
use fasti_normalize::dataset::{Authority, DateValue, Ref, Source};
use fasti_normalize::date::{Bound, DateError, NormalizedDate};
use fasti_report::Dataset;
use fasti_report::dataset::{
    ClaimRow, DateRow, End, EventRow, Location, PersonRow, PlaceRow, Reading, RefRow, SourceRow,
};
use rayon::prelude::*;

/// What the rows need of a source that normalizing drops: its title and language tag, and each
/// claim's title.
#[derive(Debug, Default)]
pub(crate) struct SourceText {
    pub(crate) title: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) claim_titles: Vec<Option<String>>,
}

/// What the rows need of the authority files that building the authority drops: the names of
/// each entry, by file and pointer (normalizing keeps them only in its name indices), and which
/// files had records at all.
#[derive(Debug, Default)]
pub(crate) struct EntryNames {
    names: BTreeMap<(FileName, String), Vec<(String, String)>>,
    pub(crate) read: BTreeSet<FileName>,
}

/// The names of every entry of the authority files, before they are built into the authority.
pub(crate) fn entry_names(records: &[(FileName, AuthorityRecord)]) -> EntryNames {
    let mut names = BTreeMap::new();
    let read = records.iter().map(|(file, _)| file.clone()).collect();
    let mut add = |file: &FileName, list: &str, index: usize, entry: &Names| {
        names.insert(
            (file.clone(), format!("/{list}/{index}")),
            entry.by_language.clone(),
        );
    };
    for (file, record) in records {
        for person in &record.people {
            add(file, "people", person.index, &person.names);
        }
        for place in &record.places {
            add(file, "places", place.index, &place.names);
        }
        for event in &record.events {
            add(file, "events", event.index, &event.names);
        }
    }
    EntryNames { names, read }
}

/// A source and its claims as rows (lines are filled in later, by [`add_lines`]).
pub(crate) fn source_rows(
    source: &Source,
    text: SourceText,
    authority: &Authority,
) -> (SourceRow, Vec<ClaimRow>) {
    let row = SourceRow {
        file: source.file.to_string(),
        id: source.id.clone(),
        title: text.title,
        language: text.language.clone(),
    };
    let events = |r: &Ref| ref_row(r, |i| authority.events.get(i).map(|e| &e.at.id));
    let places = |r: &Ref| ref_row(r, |i| authority.places.get(i).map(|e| &e.at.id));
    let people = |r: &Ref| ref_row(r, |i| authority.people.get(i).map(|e| &e.at.id));
    let claims = source
        .claims
        .iter()
        .map(|claim| ClaimRow {
            at: location(&source.file, &claim.pointer),
            index: claim.index,
            source: source.id.clone(),
            language: text.language.clone(),
            event: claim.event.as_ref().map(events),
            title: text.claim_titles.get(claim.index).cloned().flatten(),
            date: claim.date.as_ref().map(date_row),
            end: claim.end.as_ref().map(date_row),
            places: claim.places.iter().map(places).collect(),
            actors: claim.actors.iter().map(people).collect(),
            part_of: claim.part_of.as_ref().map(events),
            after: claim.after.iter().map(events).collect(),
            before: claim.before.iter().map(events).collect(),
            caused_by: claim.caused_by.iter().map(events).collect(),
            locator: claim.locator.clone(),
        })
        .collect();
    (row, claims)
}

/// The authority's events, people and places as rows.
pub(crate) fn authority_rows(authority: &Authority, names: &EntryNames, dataset: &mut Dataset) {
    let names_of = |file: &FileName, pointer: &str| {
        names
            .names
            .get(&(file.clone(), pointer.to_owned()))
            .cloned()
            .unwrap_or_default()
    };
    let events = |r: &Ref| ref_row(r, |i| authority.events.get(i).map(|e| &e.at.id));
    let places = |r: &Ref| ref_row(r, |i| authority.places.get(i).map(|e| &e.at.id));
    dataset.events = authority
        .events
        .iter()
        .map(|event| EventRow {
            at: location(&event.at.file, &event.at.pointer),
            id: event.at.id.clone(),
            names: names_of(&event.at.file, &event.at.pointer),
            date: event.date.as_ref().map(date_row),
            end: event.end.as_ref().map(date_row),
            region: event.region.as_ref().map(places),
            part_of: event.part_of.as_ref().map(events),
            after: event.after.iter().map(events).collect(),
            before: event.before.iter().map(events).collect(),
            caused_by: event.caused_by.iter().map(events).collect(),
        })
        .collect();
    dataset.people = authority
        .people
        .iter()
        .map(|person| PersonRow {
            at: location(&person.at.file, &person.at.pointer),
            id: person.at.id.clone(),
            names: names_of(&person.at.file, &person.at.pointer),
            born: person.born.as_ref().map(date_row),
            died: person.died.as_ref().map(date_row),
        })
        .collect();
    dataset.places = authority
        .places
        .iter()
        .enumerate()
        .map(|(index, place)| PlaceRow {
            at: location(&place.at.file, &place.at.pointer),
            id: place.at.id.clone(),
            names: names_of(&place.at.file, &place.at.pointer),
            kind: place.kind.clone(),
            within: place.within.as_ref().map(places),
            ancestors: authority
                .ancestors(index)
                .skip(1)
                .filter_map(|i| authority.places.get(i).map(|p| p.at.id.clone()))
                .collect(),
        })
        .collect();
}

/// Fills in the line each record starts on, reading again the files the rows come from (in
/// parallel, one file per task; each records only the rows' pointers).
pub(crate) fn add_lines(dataset: &mut Dataset, files: &BTreeMap<&str, &DataFile>, limits: &Limits) {
    let mut wanted: BTreeMap<String, Vec<Anchor>> = BTreeMap::new();
    let locations = dataset
        .claims
        .iter()
        .map(|c| &c.at)
        .chain(dataset.events.iter().map(|e| &e.at))
        .chain(dataset.people.iter().map(|p| &p.at))
        .chain(dataset.places.iter().map(|p| &p.at));
    for at in locations {
        wanted
            .entry(at.file.clone())
            .or_default()
            .push(Anchor::Head {
                pointer: at.pointer.clone(),
            });
    }
    let lines: BTreeMap<(String, String), usize> = wanted
        .par_iter()
        .flat_map_iter(|(name, anchors)| {
            let found: Vec<((String, String), usize)> = match files.get(name.as_str()) {
                Some(file) => lines_in(file, anchors, limits)
                    .into_iter()
                    .map(|(pointer, line)| ((name.clone(), pointer), line))
                    .collect(),
                None => Vec::new(),
            };
            found
        })
        .collect();
    let set = |at: &mut Location| {
        at.line = lines.get(&(at.file.clone(), at.pointer.clone())).copied();
    };
    dataset.claims.iter_mut().for_each(|c| set(&mut c.at));
    dataset.events.iter_mut().for_each(|e| set(&mut e.at));
    dataset.people.iter_mut().for_each(|p| set(&mut p.at));
    dataset.places.iter_mut().for_each(|p| set(&mut p.at));
}

/// The line of each anchor's record in one file.
fn lines_in(file: &DataFile, anchors: &[Anchor], limits: &Limits) -> Vec<(String, usize)> {
    let ReadOutcome::Text(text) = read_file(file, limits) else {
        return Vec::new();
    };
    let name = file.name.clone();
    let index = SpanIndex::build_for(&name, Format::of(&file.path), &text, limits, anchors, None);
    // One pass over the text for all the file's lines, rather than a scan per record.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    anchors
        .iter()
        .filter_map(|anchor| {
            let pointer = anchor.pointer()?;
            let span = index.resolve(anchor, &text)?;
            let line = starts.partition_point(|&start| start <= span.start);
            Some((pointer.to_owned(), line))
        })
        .collect()
}

fn location(file: &FileName, pointer: &str) -> Location {
    Location {
        file: file.to_string(),
        pointer: pointer.to_owned(),
        line: None,
    }
}

fn ref_row<'a>(r: &Ref, id: impl Fn(usize) -> Option<&'a String>) -> RefRow {
    RefRow {
        written: r.text.clone(),
        id: r.entry().and_then(id).cloned(),
    }
}

/// A date as written, read.
pub(crate) fn date_row(value: &DateValue) -> DateRow {
    DateRow {
        written: value.text.clone(),
        reading: reading(&value.value),
    }
}

fn reading(value: &Result<NormalizedDate, DateError>) -> Result<Reading, String> {
    let date = value.as_ref().map_err(|error| error.message.clone())?;
    let mut qualifiers = Vec::new();
    if date.approximate {
        qualifiers.push("approximate");
    }
    if date.uncertain {
        qualifiers.push("uncertain");
    }
    Ok(Reading {
        edtf: date.edtf.clone(),
        earliest: end(date.earliest),
        latest: end(date.latest),
        earliest_iso: date.earliest.to_string(),
        latest_iso: date.latest.to_string(),
        precision: date.precision.as_str().to_owned(),
        qualifiers,
        assumed: date.assumed.iter().map(ToString::to_string).collect(),
    })
}

fn end(bound: Bound) -> End {
    match bound {
        Bound::Day(day) => End::Day(day.days_since_epoch()),
        Bound::Open => End::Open,
        Bound::Unknown => End::Unknown,
    }
}
