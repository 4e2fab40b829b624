//! What the editor features need to know about the dataset: the authority's entries with their
//! names and where they are, and for each file the references it writes and where.
//!
//! Built from the same texts the diagnostics are checked on (open buffers over the files on
//! disk), through `fasti_ingest` and `fasti_normalize`. Each file's facts are kept with a hash
//! of its text and reused until the text changes.

use std::collections::BTreeMap;
use std::sync::Arc;

use fasti_diagnostics::Span;
use fasti_ingest::model::{AuthorityRecord, SourceRecord};
use fasti_ingest::{DataFile, FileKind, FileName, Format, Limits, ReadOutcome, SpanIndex, parse};
use fasti_normalize::dataset::{Authority, Ref, normalize_source};
use fasti_normalize::names::Resolution;
use serde_json::Value;

use crate::{Overlay, read_text};

/// Which list of the authority an id or a name belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    Person,
    Place,
    Event,
}

impl Kind {
    pub(crate) fn list(self) -> &'static str {
        match self {
            Kind::Person => "people",
            Kind::Place => "places",
            Kind::Event => "events",
        }
    }

    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Place => "place",
            Kind::Event => "event",
        }
    }
}

/// What a value at a JSON pointer is, by its place in a source or an authority file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// A name or key that refers to an authority entry.
    Reference(Kind),
    /// The `id` of an authority entry: where it is defined.
    Definition(Kind),
    Date,
    /// A rule name (`allow`, `adjudications`).
    Rule,
    /// A source id in an adjudication's `sources`.
    SourceId,
}

/// The role of the value at `pointer` in a file of `kind`.
pub(crate) fn role(kind: FileKind, pointer: &str) -> Option<Role> {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    let is_index = |s: &str| s.parse::<usize>().is_ok();
    match (kind, segments.as_slice()) {
        (FileKind::Source, ["events", n, field]) if is_index(n) => match *field {
            "event" | "part_of" => Some(Role::Reference(Kind::Event)),
            "date" | "end" => Some(Role::Date),
            _ => None,
        },
        (FileKind::Source, ["events", n, field, m]) if is_index(n) && is_index(m) => match *field {
            "after" | "before" | "caused_by" => Some(Role::Reference(Kind::Event)),
            "places" => Some(Role::Reference(Kind::Place)),
            "actors" => Some(Role::Reference(Kind::Person)),
            _ => None,
        },
        (FileKind::Source, ["events", n, "allow", m, "rule"]) if is_index(n) && is_index(m) => {
            Some(Role::Rule)
        }
        (FileKind::Source, ["published" | "context"]) => Some(Role::Date),
        (FileKind::Authority, [list, n, field]) if is_index(n) => {
            let kind = match *list {
                "people" => Kind::Person,
                "places" => Kind::Place,
                "events" => Kind::Event,
                _ => return None,
            };
            match (kind, *field) {
                (_, "id") => Some(Role::Definition(kind)),
                (Kind::Person, "born" | "died") | (Kind::Event, "date" | "end") => Some(Role::Date),
                (Kind::Place, "within") | (Kind::Event, "region") => {
                    Some(Role::Reference(Kind::Place))
                }
                (Kind::Event, "part_of") => Some(Role::Reference(Kind::Event)),
                _ => None,
            }
        }
        (FileKind::Authority, ["events", n, "after" | "before" | "caused_by", m])
            if is_index(n) && is_index(m) =>
        {
            Some(Role::Reference(Kind::Event))
        }
        (FileKind::Authority, ["events", n, "adjudications", m, "rule"])
            if is_index(n) && is_index(m) =>
        {
            Some(Role::Rule)
        }
        (FileKind::Authority, ["events", n, "adjudications", m, "sources", _])
            if is_index(n) && is_index(m) =>
        {
            Some(Role::SourceId)
        }
        _ => None,
    }
}

/// A string value with a role, and where it is written.
#[derive(Clone, Debug)]
pub(crate) struct Fact {
    pub(crate) pointer: String,
    pub(crate) role: Role,
    pub(crate) text: String,
    pub(crate) span: Span,
}

/// One parsed file: its text, the facts in it, and (for an open buffer, or the authority) its
/// value and the span of every value.
#[derive(Debug)]
pub(crate) struct FileFacts {
    pub(crate) name: FileName,
    pub(crate) kind: FileKind,
    pub(crate) text: Arc<str>,
    pub(crate) hash: u64,
    /// Whether the text parsed.
    pub(crate) parsed: bool,
    /// Kept for open buffers and authority files only: a dataset's sources are most of its
    /// size, and the features need only their facts.
    pub(crate) value: Option<Value>,
    /// Empty unless kept, as `value`.
    pub(crate) spans: SpanIndex,
    /// Sorted by position.
    pub(crate) facts: Vec<Fact>,
    /// A source's id as adjudications name it: its `id`, else its file name's stem.
    pub(crate) source_id: Option<String>,
}

impl FileFacts {
    /// The facts of a file; `whole` keeps its value and spans whatever its kind.
    pub(crate) fn build(
        name: FileName,
        kind: FileKind,
        text: Arc<str>,
        limits: &Limits,
        whole: bool,
    ) -> Self {
        let format = Format::of(std::path::Path::new(&*name));
        let parsed = parse(&name, format, &text, limits);
        let spans = SpanIndex::build(&name, format, &text, limits);
        let mut facts: Vec<Fact> = Vec::new();
        if let Some(value) = &parsed.value {
            for pointer in spans.pointers() {
                let (Some(role), Some(span)) = (role(kind, pointer), spans.value(pointer)) else {
                    continue;
                };
                let Some(text) = value.pointer(pointer).and_then(Value::as_str) else {
                    continue;
                };
                facts.push(Fact {
                    pointer: pointer.to_owned(),
                    role,
                    text: text.to_owned(),
                    span,
                });
            }
        }
        facts.sort_by_key(|fact| (fact.span.start, fact.span.end));
        let source_id = (kind == FileKind::Source).then(|| {
            let id = parsed
                .value
                .as_ref()
                .and_then(|v| v.get("id"))
                .and_then(Value::as_str);
            match id {
                Some(id) => id.to_owned(),
                None => {
                    let file = name.rsplit('/').next().unwrap_or(&name);
                    file.rsplit_once('.')
                        .map_or(file, |(stem, _)| stem)
                        .to_owned()
                }
            }
        });
        let keep = whole || kind == FileKind::Authority;
        FileFacts {
            hash: hash(&text),
            name,
            kind,
            text,
            parsed: parsed.value.is_some(),
            value: parsed.value.filter(|_| keep),
            spans: if keep { spans } else { SpanIndex::default() },
            facts,
            source_id,
        }
    }

    /// Where the value at `pointer` is, when it is a fact (an id, a reference, a date...).
    pub(crate) fn fact_span(&self, pointer: &str) -> Option<Span> {
        self.facts
            .iter()
            .find(|fact| fact.pointer == pointer)
            .map(|fact| fact.span)
    }

    /// The smallest value containing byte `offset` (its end included: a cursor just after a
    /// word is on it), and its pointer.
    pub(crate) fn pointer_at(&self, offset: usize) -> Option<(&str, Span)> {
        self.spans
            .pointers()
            .filter_map(|pointer| Some((pointer, self.spans.value(pointer)?)))
            .filter(|(_, span)| span.start <= offset && offset <= span.end)
            .min_by_key(|(pointer, span)| (span.len(), std::cmp::Reverse(pointer.len())))
    }

    /// The fact at byte `offset`, if the cursor is on one.
    pub(crate) fn fact_at(&self, offset: usize) -> Option<&Fact> {
        self.facts
            .iter()
            .filter(|fact| fact.span.start <= offset && offset <= fact.span.end)
            .min_by_key(|fact| fact.span.len())
    }
}

pub(crate) fn hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// An authority entry as the editor shows it.
#[derive(Clone, Debug)]
pub(crate) struct EntryInfo {
    pub(crate) kind: Kind,
    pub(crate) id: String,
    pub(crate) file: FileName,
    /// `/events/3`.
    pub(crate) pointer: String,
    /// `(language, name)`, sorted by language.
    pub(crate) names: Vec<(String, String)>,
    pub(crate) aliases: Vec<String>,
    /// `date` and `end` of an event, `born` and `died` of a person, as written.
    pub(crate) start: Option<String>,
    pub(crate) end: Option<String>,
    /// An event's `region`, a place's `within`.
    pub(crate) within: Option<String>,
    pub(crate) adjudications: usize,
    /// The id, names and aliases folded as names are matched, one a line: what completion
    /// narrows by.
    pub(crate) search: String,
}

impl EntryInfo {
    /// The name in `language`, else in English, else the first.
    pub(crate) fn name_in(&self, language: Option<&str>) -> Option<&str> {
        let find = |lang: &str| {
            self.names
                .iter()
                .find(|(l, _)| l == lang)
                .map(|(_, n)| n.as_str())
        };
        language
            .and_then(|l| find(l.split('-').next().unwrap_or(l)))
            .or_else(|| find("en"))
            .or_else(|| self.names.first().map(|(_, n)| n.as_str()))
    }

    /// The accepted dates as written: `1943-07-10/1943-08-17`, `1887-11-17 – 1976-03-24`.
    pub(crate) fn dates(&self) -> Option<String> {
        match (&self.start, &self.end) {
            (Some(start), Some(end)) => Some(format!("{start} – {end}")),
            (Some(start), None) => Some(start.clone()),
            (None, Some(end)) => Some(format!("? – {end}")),
            (None, None) => None,
        }
    }
}

/// The authority, normalized (to resolve names as the rules do) and as written (to show).
pub(crate) struct AuthorityIndex {
    /// The hashes of the authority files it was built from.
    pub(crate) key: Vec<u64>,
    pub(crate) authority: Authority,
    /// By kind and id; of two entries with the same id, the first.
    pub(crate) entries: BTreeMap<(Kind, String), EntryInfo>,
}

impl AuthorityIndex {
    pub(crate) fn build(files: &[Arc<FileFacts>]) -> AuthorityIndex {
        let mut records = Vec::new();
        let mut entries = BTreeMap::new();
        for file in files.iter().filter(|f| f.kind == FileKind::Authority) {
            let Some(value) = &file.value else { continue };
            let record = AuthorityRecord::from_value(value.clone());
            let mut add = |info: EntryInfo| {
                entries.entry((info.kind, info.id.clone())).or_insert(info);
            };
            let base = |kind: Kind,
                        index: usize,
                        id: &Option<String>,
                        names: &fasti_ingest::model::Names| {
                id.as_ref().map(|id| EntryInfo {
                    kind,
                    id: id.clone(),
                    file: file.name.clone(),
                    pointer: format!("/{}/{index}", kind.list()),
                    names: names.by_language.clone(),
                    aliases: names.aliases.iter().map(|a| a.text.clone()).collect(),
                    start: None,
                    end: None,
                    within: None,
                    adjudications: 0,
                    search: std::iter::once(id.as_str())
                        .chain(names.by_language.iter().map(|(_, n)| n.as_str()))
                        .chain(names.aliases.iter().map(|a| a.text.as_str()))
                        .map(fasti_normalize::names::fold)
                        .collect::<Vec<_>>()
                        .join("\n"),
                })
            };
            for p in &record.people {
                if let Some(mut info) = base(Kind::Person, p.index, &p.id, &p.names) {
                    info.start.clone_from(&p.born);
                    info.end.clone_from(&p.died);
                    add(info);
                }
            }
            for p in &record.places {
                if let Some(mut info) = base(Kind::Place, p.index, &p.id, &p.names) {
                    info.within.clone_from(&p.within);
                    add(info);
                }
            }
            for e in &record.events {
                if let Some(mut info) = base(Kind::Event, e.index, &e.id, &e.names) {
                    info.start.clone_from(&e.date);
                    info.end.clone_from(&e.end);
                    info.within.clone_from(&e.region);
                    info.adjudications = e.adjudications.len();
                    add(info);
                }
            }
            records.push((file.name.clone(), record));
        }
        AuthorityIndex {
            key: files.iter().map(|f| f.hash).collect(),
            authority: Authority::build(records),
            entries,
        }
    }

    /// The entry a reference of `kind` written as `text` names, as the rules resolve it.
    pub(crate) fn resolve(&self, kind: Kind, text: &str) -> Result<&EntryInfo, Vec<String>> {
        let r = self.reference(kind, text);
        let id = match (&r.resolution, kind) {
            (Resolution::Found(i), Kind::Person) => self.authority.people.get(*i).map(|e| &e.at),
            (Resolution::Found(i), Kind::Place) => self.authority.places.get(*i).map(|e| &e.at),
            (Resolution::Found(i), Kind::Event) => self.authority.events.get(*i).map(|e| &e.at),
            (Resolution::Unknown { suggestions }, _) => return Err(suggestions.clone()),
            _ => None,
        };
        id.and_then(|at| self.entries.get(&(kind, at.id.clone())))
            .ok_or_else(Vec::new)
    }

    pub(crate) fn reference(&self, kind: Kind, text: &str) -> Ref {
        let (text, pointer) = (text.to_owned(), String::new());
        match kind {
            Kind::Person => self.authority.person_ref(text, pointer),
            Kind::Place => self.authority.place_ref(text, pointer),
            Kind::Event => self.authority.event_ref(text, pointer),
        }
    }
}

/// Reads every data file of the dataset (open buffers first), reusing the facts of files whose
/// text has not changed.
pub(crate) fn refresh(
    files: &[DataFile],
    overlay: &Overlay,
    limits: &Limits,
    previous: &BTreeMap<FileName, Arc<FileFacts>>,
) -> BTreeMap<FileName, Arc<FileFacts>> {
    use rayon::prelude::*;
    files
        .par_iter()
        .filter_map(|file| {
            let text: Arc<str> = match read_text(file, limits, overlay) {
                ReadOutcome::Text(text) => Arc::from(text),
                ReadOutcome::Unreadable { .. } => return None,
            };
            let facts = match previous.get(&file.name) {
                Some(old) if old.hash == hash(&text) && *old.text == *text => old.clone(),
                _ => Arc::new(FileFacts::build(
                    file.name.clone(),
                    file.kind,
                    text,
                    limits,
                    false,
                )),
            };
            Some((file.name.clone(), facts))
        })
        .collect()
}

/// A source's dates as fasti reads them, in reading order, by pointer.
pub(crate) fn source_dates(
    facts: &FileFacts,
    authority: &Authority,
) -> BTreeMap<String, fasti_normalize::dataset::DateValue> {
    let mut dates = BTreeMap::new();
    let Some(value) = &facts.value else {
        return dates;
    };
    let source = normalize_source(
        facts.name.clone(),
        SourceRecord::from_value(value.clone()),
        authority,
    );
    for date in source.published.into_iter().chain(source.context) {
        dates.insert(date.pointer.clone(), date);
    }
    for claim in source.claims {
        for date in claim.date.into_iter().chain(claim.end) {
            dates.insert(date.pointer.clone(), date);
        }
    }
    dates
}
