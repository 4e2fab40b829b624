//! The dataset in comparable form: the authority with its name indices, and each source's
//! claims with their dates normalized in reading order and their names resolved.
//!
//! Nothing here reports: problems stay in the values (`Result`, [`Resolution`]) for the rules of
//! `fasti_validate` to turn into findings, each with its JSON pointer.

// foldhash rather than SipHash: every claim looks its event up by id.
use foldhash::HashMap;

use fasti_ingest::FileName;
use fasti_ingest::model::{AuthorityRecord, ClaimRecord, Item, Names, Order, SourceRecord};

use crate::date::{Context, DateError, Lang, NormalizedDate, normalize};
use crate::interval::Interval;
use crate::names::{NameIndex, Resolution};

/// A date field as written, where it is, and what it means.
#[derive(Clone, Debug, PartialEq)]
pub struct DateValue {
    pub text: String,
    pub pointer: String,
    pub value: Result<NormalizedDate, DateError>,
    /// When something was assumed from an earlier date: that date's pointer and text.
    pub assumed_from: Option<(String, String)>,
}

impl DateValue {
    pub fn interval(&self) -> Option<Interval> {
        self.value.as_ref().ok().map(Interval::of)
    }
}

/// A reference to an authority entry, as written, where it is, and what it resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub text: String,
    pub pointer: String,
    pub resolution: Resolution,
}

impl Ref {
    /// The index of the entry it names, when it names exactly one.
    pub fn entry(&self) -> Option<usize> {
        match self.resolution {
            Resolution::Found(index) => Some(index),
            _ => None,
        }
    }
}

/// Where an authority entry is defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub file: FileName,
    /// `/people/3`, `/places/0`, `/events/12`.
    pub pointer: String,
    pub id: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub at: Entry,
    pub born: Option<DateValue>,
    pub died: Option<DateValue>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub at: Entry,
    pub kind: Option<String>,
    /// The parent place.
    pub within: Option<Ref>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub at: Entry,
    pub date: Option<DateValue>,
    pub end: Option<DateValue>,
    pub region: Option<Ref>,
    pub part_of: Option<Ref>,
    pub after: Vec<Ref>,
    pub before: Vec<Ref>,
    pub caused_by: Vec<Ref>,
    pub adjudications: Vec<Adjudication>,
}

impl Event {
    /// The accepted interval: from the start of `date` to the end of `end` (or of `date`).
    pub fn interval(&self) -> Option<Interval> {
        let start = self.date.as_ref()?.value.as_ref().ok()?;
        let end = self.end.as_ref().and_then(|end| end.value.as_ref().ok());
        Some(Interval::spanning(start, end))
    }
}

/// A recorded decision about findings of `rule` on an event in the listed sources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjudication {
    pub file: FileName,
    pub pointer: String,
    pub rule: Option<String>,
    pub sources: Vec<Item>,
    pub decision: String,
    pub reason: String,
}

/// An id defined twice: the first definition wins; the second is reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    pub first: Entry,
    pub second: Entry,
}

/// The canonical people, places and events, with their name indices.
#[derive(Debug, Default)]
pub struct Authority {
    pub people: Vec<Person>,
    pub places: Vec<Place>,
    pub events: Vec<Event>,
    pub duplicates: Vec<Duplicate>,
    person_names: NameIndex,
    place_names: NameIndex,
    event_names: NameIndex,
    event_ids: HashMap<String, usize>,
    hierarchy: Hierarchy,
    /// Every name of every entry as written (its id first), by list: people, places, events.
    pub names: [Vec<(usize, Vec<String>)>; 3],
}

impl Authority {
    /// Builds the authority from its files, in the order given (sorted by name).
    pub fn build(files: Vec<(FileName, AuthorityRecord)>) -> Authority {
        let mut authority = Authority::default();
        let mut person_names = Vec::new();
        let mut place_names = Vec::new();
        let mut event_names = Vec::new();
        let mut raw_places = Vec::new();
        let mut raw_events = Vec::new();
        let mut seen: [HashMap<String, Entry>; 3] = Default::default();
        for (file, record) in files {
            for person in record.people {
                let Some(at) = entry(
                    &file,
                    "people",
                    person.index,
                    person.id,
                    &mut seen[0],
                    &mut authority.duplicates,
                ) else {
                    continue;
                };
                person_names.push((authority.people.len(), names_of(&at.id, &person.names)));
                let date = |text: Option<String>, field: &str| {
                    text.map(|text| authority_date(text, format!("{}/{field}", at.pointer)))
                };
                let (born, died) = (date(person.born, "born"), date(person.died, "died"));
                authority.people.push(Person { at, born, died });
            }
            for place in record.places {
                let Some(at) = entry(
                    &file,
                    "places",
                    place.index,
                    place.id,
                    &mut seen[1],
                    &mut authority.duplicates,
                ) else {
                    continue;
                };
                place_names.push((raw_places.len(), names_of(&at.id, &place.names)));
                raw_places.push((at, place.kind, place.within));
            }
            for event in record.events {
                let Some(at) = entry(
                    &file,
                    "events",
                    event.index,
                    event.id.clone(),
                    &mut seen[2],
                    &mut authority.duplicates,
                ) else {
                    continue;
                };
                event_names.push((raw_events.len(), names_of(&at.id, &event.names)));
                raw_events.push((at, event));
            }
        }
        authority.person_names = NameIndex::new(
            person_names
                .iter()
                .map(|(i, n)| (*i, n.iter().map(String::as_str).collect())),
        );
        authority.place_names = NameIndex::new(
            place_names
                .iter()
                .map(|(i, n)| (*i, n.iter().map(String::as_str).collect())),
        );
        authority.event_names = NameIndex::new(
            event_names
                .iter()
                .map(|(i, n)| (*i, n.iter().map(String::as_str).collect())),
        );
        authority.names = [person_names, place_names, event_names];
        authority.event_ids = raw_events
            .iter()
            .enumerate()
            .map(|(i, (at, _))| (at.id.clone(), i))
            .collect();

        for (at, kind, within) in raw_places {
            let within =
                within.map(|text| authority.place_ref(text, format!("{}/within", at.pointer)));
            authority.places.push(Place { at, kind, within });
        }
        authority.hierarchy = Hierarchy::build(&authority.places);
        for (at, event) in raw_events {
            let pointer = |field: &str| format!("{}/{field}", at.pointer);
            let date = event.date.map(|text| authority_date(text, pointer("date")));
            let end = event.end.map(|text| authority_date(text, pointer("end")));
            let region = event
                .region
                .map(|text| authority.place_ref(text, pointer("region")));
            let part_of = event
                .part_of
                .map(|text| authority.event_ref(text, pointer("part_of")));
            let list = |items: Vec<Item>, field: &str| -> Vec<Ref> {
                items
                    .into_iter()
                    .map(|item| {
                        authority.event_ref(item.text, format!("{}/{}", pointer(field), item.index))
                    })
                    .collect()
            };
            let (after, before, caused_by) = (
                list(event.after, "after"),
                list(event.before, "before"),
                list(event.caused_by, "caused_by"),
            );
            let adjudications = event
                .adjudications
                .into_iter()
                .map(|adjudication| Adjudication {
                    file: at.file.clone(),
                    pointer: format!("{}/adjudications/{}", at.pointer, adjudication.index),
                    rule: adjudication.rule,
                    sources: adjudication.sources,
                    decision: adjudication.decision.unwrap_or_default(),
                    reason: adjudication.reason.unwrap_or_default(),
                })
                .collect();
            authority.events.push(Event {
                at,
                date,
                end,
                region,
                part_of,
                after,
                before,
                caused_by,
                adjudications,
            });
        }
        authority
    }

    /// Resolves a person's name as a source writes it.
    pub fn person_ref(&self, text: String, pointer: String) -> Ref {
        let resolution = self.person_names.resolve(&text);
        Ref {
            text,
            pointer,
            resolution,
        }
    }

    /// Resolves a place's name as a source writes it.
    pub fn place_ref(&self, text: String, pointer: String) -> Ref {
        let resolution = self.place_names.resolve(&text);
        Ref {
            text,
            pointer,
            resolution,
        }
    }

    /// Resolves an event key. Keys are canonical ids and match exactly; a key that matches none
    /// gets suggestions from the events' ids and names.
    pub fn event_ref(&self, text: String, pointer: String) -> Ref {
        let resolution = match self.event_ids.get(&text) {
            Some(&index) => Resolution::Found(index),
            None => match self.event_names.resolve(&text) {
                Resolution::Found(index) => Resolution::Unknown {
                    suggestions: vec![self.events[index].at.id.clone()],
                },
                Resolution::Ambiguous { first, .. } => Resolution::Unknown {
                    suggestions: first
                        .iter()
                        .map(|&i| self.events[i].at.id.clone())
                        .collect(),
                },
                unknown @ Resolution::Unknown { .. } => unknown,
            },
        };
        Ref {
            text,
            pointer,
            resolution,
        }
    }

    /// The `within` hierarchy.
    pub fn hierarchy(&self) -> &Hierarchy {
        &self.hierarchy
    }

    /// The places from `place` up, `place` first; never round a cycle (the walk stops after as
    /// many steps as there are places).
    pub fn ancestors(&self, place: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(place), |&current| {
            self.places
                .get(current)
                .and_then(|p| p.within.as_ref())
                .and_then(Ref::entry)
        })
        .take(self.places.len())
    }
}

/// The `within` hierarchy as a forest walked once, so that whether one place lies within another
/// costs two comparisons instead of a walk up the chain (with `Vec::contains` at each step, a
/// chain 40,000 places deep took seconds per claim).
#[derive(Debug, Default)]
pub struct Hierarchy {
    /// When a depth-first walk from the tops enters and leaves each place; `u32::MAX` for a
    /// place on or under a cycle of `within`, which no walk from a top reaches.
    enter: Vec<u32>,
    leave: Vec<u32>,
    /// Whether every `within` from the place to its top resolves.
    complete: Vec<bool>,
    /// How many places are above it, and its top.
    depth: Vec<u32>,
    top: Vec<u32>,
}

impl Hierarchy {
    fn build(places: &[Place]) -> Hierarchy {
        let n = places.len();
        let parent: Vec<Option<usize>> = places
            .iter()
            .map(|p| p.within.as_ref().and_then(Ref::entry).filter(|&i| i < n))
            .collect();
        // Children of each place: `children[first[p]..first[p + 1]]`.
        let mut first = vec![0_usize; n + 1];
        for p in parent.iter().flatten() {
            first[p + 1] += 1;
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let mut next = first.clone();
        let mut children = vec![0_usize; first[n]];
        for (child, p) in parent.iter().enumerate() {
            if let Some(p) = *p {
                children[next[p]] = child;
                next[p] += 1;
            }
        }
        let mut tree = Hierarchy {
            enter: vec![u32::MAX; n],
            leave: vec![u32::MAX; n],
            complete: vec![false; n],
            depth: vec![0; n],
            top: vec![u32::MAX; n],
        };
        let mut clock = 0_u32;
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for root in (0..n).filter(|&i| parent[i].is_none()) {
            // A top with a `within` that does not resolve: its places might lie anywhere.
            let complete = places[root].within.is_none();
            let top = u32::try_from(root).unwrap_or(u32::MAX);
            tree.enter[root] = clock;
            tree.complete[root] = complete;
            tree.top[root] = top;
            clock += 1;
            stack.push((root, first[root]));
            while let Some(&(place, at)) = stack.last() {
                if at < first[place + 1] {
                    if let Some(last) = stack.last_mut() {
                        last.1 += 1;
                    }
                    let child = children[at];
                    tree.enter[child] = clock;
                    tree.complete[child] = complete;
                    tree.depth[child] = tree.depth[place] + 1;
                    tree.top[child] = top;
                    clock += 1;
                    stack.push((child, first[child]));
                } else {
                    tree.leave[place] = clock;
                    stack.pop();
                }
            }
        }
        tree
    }

    /// Whether `inner` is `outer` or lies within it; `None` when either is on or under a cycle
    /// of `within` (`reference-cycle` reports it) or its chain has a `within` that does not
    /// resolve.
    pub fn contains(&self, outer: usize, inner: usize) -> Option<bool> {
        if !(self.is_complete(outer) && self.is_complete(inner)) {
            return None;
        }
        Some(self.enter[outer] <= self.enter[inner] && self.leave[inner] <= self.leave[outer])
    }

    /// Whether the chain from `place` to its top is known in full.
    pub fn is_complete(&self, place: usize) -> bool {
        self.complete.get(place).copied().unwrap_or(false)
    }

    /// How many places `place` lies within, and the topmost of them (itself at the top).
    pub fn depth_and_top(&self, place: usize) -> Option<(usize, usize)> {
        let top = *self.top.get(place)?;
        (top != u32::MAX).then(|| (self.depth[place] as usize, top as usize))
    }
}

fn entry(
    file: &FileName,
    list: &str,
    index: usize,
    id: Option<String>,
    seen: &mut HashMap<String, Entry>,
    duplicates: &mut Vec<Duplicate>,
) -> Option<Entry> {
    let at = Entry {
        file: file.clone(),
        pointer: format!("/{list}/{index}"),
        id: id?,
    };
    if let Some(first) = seen.get(&at.id) {
        duplicates.push(Duplicate {
            first: first.clone(),
            second: at,
        });
        return None;
    }
    seen.insert(at.id.clone(), at.clone());
    Some(at)
}

fn names_of(id: &str, names: &Names) -> Vec<String> {
    let mut all = vec![id.to_owned()];
    all.extend(names.by_language.iter().map(|(_, name)| name.clone()));
    all.extend(names.aliases.iter().map(|alias| alias.text.clone()));
    all
}

fn authority_date(text: String, pointer: String) -> DateValue {
    let value = normalize(&text, Lang::Edtf, &Context::default());
    DateValue {
        text,
        pointer,
        value,
        assumed_from: None,
    }
}

/// A source with its claims normalized.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub file: FileName,
    pub id: Option<String>,
    /// The language dates are read in, from the source's `language`.
    pub lang: Lang,
    pub published: Option<DateValue>,
    pub order: Order,
    pub context: Option<DateValue>,
    pub claims: Vec<Claim>,
}

/// One claim of a source, normalized. Pointer: `/events/{index}`.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub index: usize,
    pub pointer: String,
    pub event: Option<Ref>,
    pub date: Option<DateValue>,
    pub end: Option<DateValue>,
    pub places: Vec<Ref>,
    pub actors: Vec<Ref>,
    pub after: Vec<Ref>,
    pub before: Vec<Ref>,
    pub caused_by: Vec<Ref>,
    pub part_of: Option<Ref>,
    pub locator: Option<String>,
    pub allow: Vec<Allow>,
}

impl Claim {
    /// The claimed interval: from the start of `date` to the end of `end` (or of `date`).
    pub fn interval(&self) -> Option<Interval> {
        let start = self.date.as_ref()?.value.as_ref().ok()?;
        let end = self.end.as_ref().and_then(|end| end.value.as_ref().ok());
        Some(Interval::spanning(start, end))
    }
}

/// A suppression on a claim.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allow {
    pub pointer: String,
    pub rule: Option<String>,
    pub reason: Option<String>,
}

/// The date language of a BCP 47 tag: `es-AR` reads Spanish; a language fasti has no words for
/// reads ISO 8601 and EDTF only.
pub fn date_language(tag: Option<&str>) -> Lang {
    let primary = tag
        .and_then(|tag| tag.split('-').next())
        .unwrap_or_default();
    match primary.to_ascii_lowercase().as_str() {
        "es" => Lang::Es,
        "pt" => Lang::Pt,
        "en" => Lang::En,
        _ => Lang::Edtf,
    }
}

/// Normalizes a source's claims in the order they are listed: a partial or relative date
/// (`el 8 de septiembre`, `a finales de ese mes`) takes what it lacks from the previous claim
/// that has a date, or from the source's `context` before the first one.
pub fn normalize_source(file: FileName, record: SourceRecord, authority: &Authority) -> Source {
    normalize_source_in(file, record, authority, None)
}

/// [`normalize_source`] within the dataset's declared `period`: a one- or two-digit year with
/// no earlier date to take its century from takes the period's, when the period lies within
/// one century (`1939/1945`: `abril del 44` is April 1944, with a note).
pub fn normalize_source_in(
    file: FileName,
    record: SourceRecord,
    authority: &Authority,
    period: Option<&Interval>,
) -> Source {
    let century = period.and_then(|p| {
        let first = p.earliest?.ymd().0.div_euclid(100);
        let last = p.latest?.ymd().0.div_euclid(100);
        (first == last).then_some(first * 100)
    });
    let lang = date_language(record.language.as_deref());
    // `calendar: julian`: prose dates are old style and converted (EDTF is always Gregorian).
    let julian = record.calendar.as_deref() == Some("julian");
    let published = record
        .published
        .map(|text| authority_date(text, "/published".to_owned()));
    let context = record
        .context
        .map(|text| authority_date(text, "/context".to_owned()));
    let mut previous: Option<(NormalizedDate, String, String)> = context.as_ref().and_then(|c| {
        c.value
            .as_ref()
            .ok()
            .map(|v| (v.clone(), c.pointer.clone(), c.text.clone()))
    });
    let mut claims = Vec::with_capacity(record.claims.len());
    for claim in record.claims {
        let normalized = normalize_claim(claim, lang, (julian, century), &mut previous, authority);
        claims.push(normalized);
    }
    Source {
        file,
        id: record.id,
        lang,
        published,
        order: record.order,
        context,
        claims,
    }
}

fn normalize_claim(
    claim: ClaimRecord,
    lang: Lang,
    (julian, century): (bool, Option<i32>),
    previous: &mut Option<(NormalizedDate, String, String)>,
    authority: &Authority,
) -> Claim {
    // Every claim, date and reference carries its pointer, built here by concatenation: through
    // `format!` this was a tenth of normalization.
    let pointer = pointer_to("/events", claim.index);
    let field = |name: &str| {
        let mut field = String::with_capacity(pointer.len() + 1 + name.len());
        field.push_str(&pointer);
        field.push('/');
        field.push_str(name);
        field
    };
    let date = claim.date.map(|text| {
        read_date(
            text,
            field("date"),
            lang,
            (julian, century),
            previous.as_ref(),
        )
    });
    if let Some(DateValue {
        value: Ok(value),
        pointer,
        text,
        ..
    }) = &date
    {
        *previous = Some((value.clone(), pointer.clone(), text.clone()));
    }
    // The end is read against the claim's own start.
    let end = claim.end.map(|text| {
        read_date(
            text,
            field("end"),
            lang,
            (julian, century),
            previous.as_ref(),
        )
    });
    let refs =
        |items: Vec<Item>, name: &str, resolve: &dyn Fn(String, String) -> Ref| -> Vec<Ref> {
            items
                .into_iter()
                .map(|item| resolve(item.text, pointer_to(&field(name), item.index)))
                .collect()
        };
    let event_ref = |text, pointer| authority.event_ref(text, pointer);
    Claim {
        index: claim.index,
        event: claim
            .event
            .map(|text| authority.event_ref(text, field("event"))),
        places: refs(claim.places, "places", &|text, pointer| {
            authority.place_ref(text, pointer)
        }),
        actors: refs(claim.actors, "actors", &|text, pointer| {
            authority.person_ref(text, pointer)
        }),
        after: refs(claim.after, "after", &event_ref),
        before: refs(claim.before, "before", &event_ref),
        caused_by: refs(claim.caused_by, "caused_by", &event_ref),
        part_of: claim
            .part_of
            .map(|text| authority.event_ref(text, field("part_of"))),
        locator: claim.locator,
        allow: claim
            .allow
            .into_iter()
            .map(|allow| Allow {
                pointer: pointer_to(&field("allow"), allow.index),
                rule: allow.rule,
                reason: allow.reason,
            })
            .collect(),
        date,
        end,
        pointer,
    }
}

/// `{parent}/{index}`.
fn pointer_to(parent: &str, index: usize) -> String {
    // itoa rather than `write!`: the formatting machinery was 1.5 % of a run's instructions.
    let mut buffer = itoa::Buffer::new();
    let index = buffer.format(index);
    let mut pointer = String::with_capacity(parent.len() + 1 + index.len());
    pointer.push_str(parent);
    pointer.push('/');
    pointer.push_str(index);
    pointer
}

fn read_date(
    text: String,
    pointer: String,
    lang: Lang,
    (julian, century): (bool, Option<i32>),
    previous: Option<&(NormalizedDate, String, String)>,
) -> DateValue {
    let context = Context {
        reference: previous.map(|(date, _, _)| date.clone()),
        julian,
        century,
    };
    let value = normalize(&text, lang, &context);
    let assumed_from = match &value {
        Ok(date) if !date.assumed.is_empty() => {
            previous.map(|(_, pointer, text)| (pointer.clone(), text.clone()))
        }
        _ => None,
    };
    DateValue {
        text,
        pointer,
        value,
        assumed_from,
    }
}

#[cfg(test)]
mod tests {
    use fasti_ingest::model::SourceRecord;

    use super::*;

    fn first_claim(source: serde_json::Value) -> Claim {
        let authority = Authority::build(Vec::new());
        let record = SourceRecord::from_value(source);
        let mut source = normalize_source("s.yaml".into(), record, &authority);
        source.claims.remove(0)
    }

    #[test]
    fn a_julian_source_converts_its_prose_dates_but_not_edtf() {
        let claim = first_claim(serde_json::json!({
            "language": "es",
            "calendar": "julian",
            "events": [
                {"date": "25 de octubre de 1917", "end": "1917-11-08"},
            ],
        }));
        let date = claim.date.and_then(|d| d.value.ok()).map(|v| v.edtf);
        assert_eq!(date.as_deref(), Some("1917-11-07"));
        let end = claim.end.and_then(|d| d.value.ok()).map(|v| v.edtf);
        assert_eq!(end.as_deref(), Some("1917-11-08"));
    }

    #[test]
    fn a_two_digit_year_takes_the_century_of_the_period_or_is_an_error() {
        let authority = Authority::build(Vec::new());
        let record = || {
            SourceRecord::from_value(serde_json::json!({
                "language": "es",
                "events": [{"date": "abril del 44"}],
            }))
        };
        let period = Interval::of(
            &crate::date::normalize("1939/1945", Lang::Edtf, &Context::default())
                .expect("a period"),
        );
        let within = normalize_source_in("s.yaml".into(), record(), &authority, Some(&period));
        let date = within.claims[0]
            .date
            .as_ref()
            .and_then(|d| d.value.as_ref().ok());
        assert_eq!(date.map(|v| v.edtf.as_str()), Some("1944-04"));
        assert_eq!(
            date.map(|v| v.assumed.clone()),
            Some(vec![crate::date::Assumed::Century(1900)])
        );
        let without = normalize_source("s.yaml".into(), record(), &authority);
        let error = without.claims[0]
            .date
            .as_ref()
            .and_then(|d| d.value.as_ref().err());
        assert_eq!(
            error.map(|e| e.kind),
            Some(crate::date::DateErrorKind::NeedsContext)
        );
    }

    #[test]
    fn a_gregorian_source_does_not() {
        let claim = first_claim(serde_json::json!({
            "language": "es",
            "events": [{"date": "25 de octubre de 1917"}],
        }));
        let date = claim.date.and_then(|d| d.value.ok()).map(|v| v.edtf);
        assert_eq!(date.as_deref(), Some("1917-10-25"));
    }
}
