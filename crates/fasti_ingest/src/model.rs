//! The typed view of parsed files, record by record.
//!
//! Extraction is lenient on purpose: a field of the wrong type is simply absent here, because the
//! schema check has already reported it with its location. Every record keeps its index in its
//! list, so its JSON pointer (`/events/3`) can be rebuilt for diagnostics. Strings are moved out
//! of the parsed value, not copied.

use serde_json::{Map, Value};

/// The order a source lists its claims in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// By date, as in a curated timeline.
    #[default]
    Chronological,
    /// As the document tells them, by locator.
    Narrative,
}

/// A string and its index in the list it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub index: usize,
    pub text: String,
}

/// A source file's record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceRecord {
    pub id: Option<String>,
    pub title: Option<String>,
    pub language: Option<String>,
    pub published: Option<String>,
    pub order: Order,
    pub context: Option<String>,
    /// `calendar: julian`: the document dates in the Julian calendar (absent: Gregorian).
    pub calendar: Option<String>,
    pub claims: Vec<ClaimRecord>,
}

/// One claim of a source: an event as the source reports it. Pointer: `/events/{index}`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClaimRecord {
    pub index: usize,
    pub event: Option<String>,
    pub date: Option<String>,
    pub end: Option<String>,
    pub title: Option<String>,
    pub places: Vec<Item>,
    pub actors: Vec<Item>,
    pub after: Vec<Item>,
    pub before: Vec<Item>,
    pub caused_by: Vec<Item>,
    pub part_of: Option<String>,
    pub locator: Option<String>,
    pub allow: Vec<AllowRecord>,
}

/// A suppression on a record. Pointer: `…/allow/{index}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllowRecord {
    pub index: usize,
    pub rule: Option<String>,
    pub reason: Option<String>,
}

/// An authority file's records.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuthorityRecord {
    pub people: Vec<PersonRecord>,
    pub places: Vec<PlaceRecord>,
    pub events: Vec<EventRecord>,
}

/// Names shared by people, places and events: per language, and aliases.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names {
    /// `(language, name)`, sorted by language.
    pub by_language: Vec<(String, String)>,
    pub aliases: Vec<Item>,
}

/// Pointer: `/people/{index}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonRecord {
    pub index: usize,
    pub id: Option<String>,
    pub names: Names,
    pub born: Option<String>,
    pub died: Option<String>,
}

/// Pointer: `/places/{index}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlaceRecord {
    pub index: usize,
    pub id: Option<String>,
    pub names: Names,
    pub kind: Option<String>,
    pub within: Option<String>,
}

/// Pointer: `/events/{index}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventRecord {
    pub index: usize,
    pub id: Option<String>,
    pub names: Names,
    pub date: Option<String>,
    pub end: Option<String>,
    pub region: Option<String>,
    pub part_of: Option<String>,
    pub after: Vec<Item>,
    pub before: Vec<Item>,
    pub caused_by: Vec<Item>,
    pub adjudications: Vec<AdjudicationRecord>,
}

/// A recorded decision about a disagreement. Pointer: `/events/{event}/adjudications/{index}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdjudicationRecord {
    pub index: usize,
    pub rule: Option<String>,
    pub sources: Vec<Item>,
    pub decision: Option<String>,
    pub reason: Option<String>,
}

impl SourceRecord {
    pub fn from_value(value: Value) -> SourceRecord {
        let mut map = into_map(value);
        SourceRecord {
            id: string(&mut map, "id"),
            title: string(&mut map, "title"),
            language: string(&mut map, "language"),
            published: string(&mut map, "published"),
            order: match map.get("order").and_then(Value::as_str) {
                Some("narrative") => Order::Narrative,
                _ => Order::Chronological,
            },
            context: string(&mut map, "context"),
            calendar: string(&mut map, "calendar"),
            claims: records(&mut map, "events", |index, mut map| ClaimRecord {
                index,
                event: string(&mut map, "event"),
                date: string(&mut map, "date"),
                end: string(&mut map, "end"),
                title: string(&mut map, "title"),
                places: strings(&mut map, "places"),
                actors: strings(&mut map, "actors"),
                after: strings(&mut map, "after"),
                before: strings(&mut map, "before"),
                caused_by: strings(&mut map, "caused_by"),
                part_of: string(&mut map, "part_of"),
                locator: string(&mut map, "locator"),
                allow: records(&mut map, "allow", |index, mut map| AllowRecord {
                    index,
                    rule: string(&mut map, "rule"),
                    reason: string(&mut map, "reason"),
                }),
            }),
        }
    }
}

impl AuthorityRecord {
    pub fn from_value(value: Value) -> AuthorityRecord {
        let mut map = into_map(value);
        AuthorityRecord {
            people: records(&mut map, "people", |index, mut map| PersonRecord {
                index,
                id: string(&mut map, "id"),
                names: names(&mut map),
                born: string(&mut map, "born"),
                died: string(&mut map, "died"),
            }),
            places: records(&mut map, "places", |index, mut map| PlaceRecord {
                index,
                id: string(&mut map, "id"),
                names: names(&mut map),
                kind: string(&mut map, "kind"),
                within: string(&mut map, "within"),
            }),
            events: records(&mut map, "events", |index, mut map| EventRecord {
                index,
                id: string(&mut map, "id"),
                names: names(&mut map),
                date: string(&mut map, "date"),
                end: string(&mut map, "end"),
                region: string(&mut map, "region"),
                part_of: string(&mut map, "part_of"),
                after: strings(&mut map, "after"),
                before: strings(&mut map, "before"),
                caused_by: strings(&mut map, "caused_by"),
                adjudications: records(&mut map, "adjudications", |index, mut map| {
                    AdjudicationRecord {
                        index,
                        rule: string(&mut map, "rule"),
                        sources: strings(&mut map, "sources"),
                        decision: string(&mut map, "decision"),
                        reason: string(&mut map, "reason"),
                    }
                }),
            }),
        }
    }
}

fn into_map(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn string(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.get_mut(key)? {
        Value::String(s) => Some(std::mem::take(s)),
        _ => None,
    }
}

fn strings(map: &mut Map<String, Value>, key: &str) -> Vec<Item> {
    match map.get_mut(key) {
        Some(Value::Array(items)) => {
            // Sized up front: `filter_map` cannot tell `collect` how many will come.
            let mut out = Vec::with_capacity(items.len());
            out.extend(
                items
                    .iter_mut()
                    .enumerate()
                    .filter_map(|(index, item)| match item {
                        Value::String(s) => Some(Item {
                            index,
                            text: std::mem::take(s),
                        }),
                        _ => None,
                    }),
            );
            out
        }
        _ => Vec::new(),
    }
}

fn names(map: &mut Map<String, Value>) -> Names {
    let by_language = match map.get_mut("names") {
        Some(Value::Object(names)) => names
            .iter_mut()
            .filter_map(|(language, name)| match name {
                Value::String(s) => Some((language.clone(), std::mem::take(s))),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Names {
        by_language,
        aliases: strings(map, "aliases"),
    }
}

fn records<T>(
    map: &mut Map<String, Value>,
    key: &str,
    build: impl Fn(usize, Map<String, Value>) -> T,
) -> Vec<T> {
    match map.get_mut(key) {
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            out.extend(items.iter_mut().enumerate().filter_map(
                |(index, item)| match item.take() {
                    Value::Object(map) => Some(build(index, map)),
                    _ => None,
                },
            ));
            out
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_types_are_absent_and_indices_kept() {
        let value = serde_json::json!({
            "id": "x", "order": "narrative", "title": 3,
            "events": [
                "not a claim",
                {"event": "e", "date": "1943", "places": ["Mesina", 4, "Sicilia"], "allow": [{"rule": "r"}]}
            ]
        });
        let source = SourceRecord::from_value(value);
        assert_eq!(source.id.as_deref(), Some("x"));
        assert_eq!(source.title, None);
        assert_eq!(source.order, Order::Narrative);
        assert_eq!(source.claims.len(), 1);
        let claim = &source.claims[0];
        assert_eq!(claim.index, 1);
        assert_eq!(
            claim.places,
            [
                Item {
                    index: 0,
                    text: "Mesina".into()
                },
                Item {
                    index: 2,
                    text: "Sicilia".into()
                }
            ]
        );
        assert_eq!(claim.allow[0].reason, None);
    }
}
