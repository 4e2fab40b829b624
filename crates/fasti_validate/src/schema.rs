//! The schema check: every file against the JSON Schema in `schema/`, every violation reported
//! in plain words at the value (or key) it concerns, with the schema location in a note.

use std::sync::Arc;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_ingest::{FileKind, FileName, escape_pointer_segment};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError, Validator};
use serde_json::Value;

/// The schema files fasti ships, used when a repository has no `schema/` directory of its own.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "common.schema.json",
        include_str!("../../../schema/common.schema.json"),
    ),
    (
        "source.schema.json",
        include_str!("../../../schema/source.schema.json"),
    ),
    (
        "authority.schema.json",
        include_str!("../../../schema/authority.schema.json"),
    ),
];

const BASE: &str = "https://fasti.invalid/schema/";

/// The compiled schemas of sources and authority files.
pub struct Schemas {
    source: Validator,
    authority: Validator,
    /// The schema documents, by file name, to look up field names for "did you mean".
    documents: Vec<(String, Value)>,
}

impl Schemas {
    /// The schemas fasti ships.
    pub fn bundled() -> Result<Schemas, Vec<Diagnostic>> {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for (name, text) in BUNDLED {
            match serde_json::from_str(text) {
                Ok(value) => files.push((Arc::from(format!("schema/{name}")), value)),
                Err(error) => problems.push(schema_problem(
                    Arc::from(format!("schema/{name}")),
                    error.to_string(),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Schemas::compile(files)
    }

    /// Compiles schema documents: `(file, parsed JSON)`, one of which is named
    /// `source.schema.json` and one `authority.schema.json`. Every `$ref` must resolve among
    /// them: fasti never fetches a schema from the network.
    pub fn compile(files: Vec<(FileName, Value)>) -> Result<Schemas, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut documents = Vec::new();
        for (file, value) in &files {
            let name = file.rsplit('/').next().unwrap_or(file).to_owned();
            if let Some(remote) = find_remote_ref(value) {
                problems.push(schema_problem(
                    file.clone(),
                    format!("`$ref` to `{remote}` refers outside the schema directory; fasti never fetches schemas from the network"),
                ));
            }
            documents.push((name, value.clone()));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let resources: Vec<(String, jsonschema::Resource)> = documents
            .iter()
            .map(|(name, value)| {
                let uri = value
                    .get("$id")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("{BASE}{name}"), str::to_owned);
                (uri, jsonschema::Resource::from_contents(value.clone()))
            })
            .collect();
        let registry = match jsonschema::Registry::new()
            .extend(resources)
            .and_then(|builder| builder.prepare())
        {
            Ok(registry) => registry,
            Err(error) => {
                return Err(vec![schema_problem(
                    Arc::from("schema"),
                    format!("schemas do not fit together: {error}"),
                )]);
            }
        };
        let build = |name: &str| -> Result<Validator, Box<Diagnostic>> {
            let file: FileName = files
                .iter()
                .find(|(file, _)| file.ends_with(name))
                .map_or_else(
                    || Arc::from(format!("schema/{name}")),
                    |(file, _)| file.clone(),
                );
            let Some((_, schema)) = documents.iter().find(|(n, _)| n == name) else {
                return Err(Box::new(schema_problem(
                    file,
                    format!("the schema directory has no `{name}`"),
                )));
            };
            jsonschema::draft202012::options()
                .should_validate_formats(true)
                .with_base_uri(BASE)
                .with_registry(&registry)
                .offline()
                .build(schema)
                .map_err(|error| {
                    Box::new(schema_problem(
                        file,
                        format!("schema is not valid: {error}"),
                    ))
                })
        };
        let source = build("source.schema.json");
        let authority = build("authority.schema.json");
        match (source, authority) {
            (Ok(source), Ok(authority)) => Ok(Schemas {
                source,
                authority,
                documents,
            }),
            (source, authority) => Err([source.err(), authority.err()]
                .into_iter()
                .flatten()
                .map(|d| *d)
                .collect()),
        }
    }

    /// Checks one parsed file; every violation becomes a diagnostic.
    pub fn check(&self, kind: FileKind, file: &FileName, value: &Value) -> Vec<Diagnostic> {
        let validator = match kind {
            FileKind::Source => &self.source,
            FileKind::Authority => &self.authority,
        };
        if validator.is_valid(value) {
            return Vec::new();
        }
        let mut diagnostics = Vec::new();
        for error in validator.iter_errors(value) {
            self.explain(kind, file, &error, &mut diagnostics);
        }
        diagnostics
    }

    /// [`Schemas::check`], keeping the first `limit` findings in [`crate::record_order`] and
    /// counting the others: the kept ones are trimmed whenever they reach twice the limit, so a
    /// file of 100,000 empty claims (400,000 violations) never holds more than that many
    /// messages; before, they took half a gigabyte until the file's findings were capped.
    pub fn check_capped(
        &self,
        kind: FileKind,
        file: &FileName,
        value: &Value,
        limit: usize,
    ) -> (Vec<Diagnostic>, usize) {
        let validator = match kind {
            FileKind::Source => &self.source,
            FileKind::Authority => &self.authority,
        };
        if validator.is_valid(value) {
            return (Vec::new(), 0);
        }
        let mut diagnostics = Vec::new();
        let mut dropped = 0;
        let trim = |diagnostics: &mut Vec<Diagnostic>, dropped: &mut usize| {
            if diagnostics.len() > limit {
                diagnostics.select_nth_unstable_by(limit, crate::record_order);
                *dropped += diagnostics.len() - limit;
                diagnostics.truncate(limit);
            }
        };
        for error in validator.iter_errors(value) {
            self.explain(kind, file, &error, &mut diagnostics);
            if diagnostics.len() >= limit.saturating_mul(2).max(64) {
                trim(&mut diagnostics, &mut dropped);
            }
        }
        trim(&mut diagnostics, &mut dropped);
        (diagnostics, dropped)
    }

    fn explain(
        &self,
        kind: FileKind,
        file: &FileName,
        error: &ValidationError<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        let pointer = error.instance_path().as_str().to_owned();
        let what = describe(kind, &pointer);
        let note = format!("schema: {}", schema_location(error));
        let label = |anchor: Anchor| Label::new(file.clone(), anchor);
        let push =
            |out: &mut Vec<Diagnostic>, message: String, anchor: Anchor, help: Option<String>| {
                let mut diagnostic = Diagnostic::new(Rule::SchemaViolation, message, label(anchor))
                    .with_note(note.clone());
                diagnostic.help = help;
                out.push(diagnostic);
            };
        match error.kind() {
            ValidationErrorKind::Required { property } => {
                let property = property.as_str().unwrap_or_default();
                push(
                    out,
                    format!("{what} is missing its `{property}`"),
                    Anchor::Head { pointer },
                    Some(format!(
                        "add `{property}:` to this {}",
                        noun(kind, error.instance_path().as_str())
                    )),
                );
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = self.known_properties(error);
                for name in unexpected {
                    let help = closest(name, &known).map_or_else(
                        || format!("remove it; the fields of {what} are: {}", known.join(", ")),
                        |close| format!("did you mean `{close}`?"),
                    );
                    let mut at = pointer.clone();
                    at.push('/');
                    at.push_str(&escape_pointer_segment(name));
                    push(
                        out,
                        format!("`{name}` is not a field of {what}"),
                        Anchor::key(at),
                        Some(help),
                    );
                }
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => article(&t.to_string()),
                    TypeKind::Multiple(ts) => ts
                        .iter()
                        .map(|t| article(&t.to_string()))
                        .collect::<Vec<_>>()
                        .join(" or "),
                };
                let found = article(json_type(error.instance()));
                // The commonest slip: an unquoted year, number or `yes` that YAML reads as such.
                let wants_text = match kind {
                    TypeKind::Single(t) => *t == JsonType::String,
                    TypeKind::Multiple(ts) => ts.contains(JsonType::String),
                };
                let help = match &**error.instance() {
                    instance @ (Value::Number(_) | Value::Bool(_)) if wants_text => Some(format!(
                        "write it in quotes, `\"{instance}\"`: without them it is read as {found}"
                    )),
                    Value::Null if wants_text => {
                        Some("write the value after the colon, or remove the field".to_owned())
                    }
                    _ => None,
                };
                push(
                    out,
                    format!("{what} must be {expected}, not {found}"),
                    Anchor::value(pointer),
                    help,
                );
            }
            ValidationErrorKind::Enum { options } => {
                let options: Vec<String> = options
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|o| o.as_str().map(str::to_owned))
                    .collect();
                let found = error
                    .instance()
                    .as_str()
                    .map_or_else(|| error.instance().to_string(), str::to_owned);
                let help = closest(&found, &options).map(|c| format!("did you mean `{c}`?"));
                push(
                    out,
                    format!(
                        "{what} is `{found}`, which is not one of: {}",
                        options.join(", ")
                    ),
                    Anchor::value(pointer),
                    help,
                );
            }
            ValidationErrorKind::Pattern { pattern } => {
                let found = error.instance().as_str().unwrap_or_default();
                let (message, help) = if pattern.contains("[a-z0-9]+(-[a-z0-9]+)*") {
                    (
                        format!(
                            "{what} `{found}` is not a key: keys are lowercase words joined by hyphens"
                        ),
                        Some(format!("write `{}`", slug(found))),
                    )
                } else if pattern.starts_with("^[Hh][Tt][Tt][Pp]") {
                    (
                        format!(
                            "{what} `{found}` is not a web link: only `http://` and `https://` links are accepted"
                        ),
                        Some("write the address the document can be read at".to_owned()),
                    )
                } else {
                    (
                        format!("{what} `{found}` does not have the expected form"),
                        None,
                    )
                };
                push(out, message, Anchor::value(pointer), help);
            }
            ValidationErrorKind::MinLength { .. } => push(
                out,
                format!("{what} is empty"),
                Anchor::value(pointer),
                None,
            ),
            ValidationErrorKind::MaxLength { limit } => {
                push(
                    out,
                    format!("{what} is longer than {limit} characters"),
                    Anchor::value(pointer),
                    None,
                );
            }
            ValidationErrorKind::MinItems { limit } => {
                push(
                    out,
                    format!("{what} must list at least {limit}"),
                    Anchor::value(pointer),
                    None,
                );
            }
            ValidationErrorKind::MinProperties { limit } => {
                push(
                    out,
                    format!(
                        "{what} must have at least {limit} entr{}",
                        if *limit == 1 { "y" } else { "ies" }
                    ),
                    Anchor::value(pointer),
                    None,
                );
            }
            ValidationErrorKind::UniqueItems => push(
                out,
                format!("{what} lists the same item twice"),
                Anchor::value(pointer),
                None,
            ),
            ValidationErrorKind::Format { format } => {
                let found = error.instance().as_str().unwrap_or_default();
                let expected = match format.as_str() {
                    "date" => "a date written YYYY-MM-DD",
                    "uri" => "an absolute URL",
                    other => other,
                };
                push(
                    out,
                    format!("{what} `{found}` is not {expected}"),
                    Anchor::value(pointer),
                    None,
                );
            }
            ValidationErrorKind::PropertyNames { error: inner } => {
                let name = inner.instance().as_str().unwrap_or_default().to_owned();
                let mut at = pointer.clone();
                at.push('/');
                at.push_str(&escape_pointer_segment(&name));
                push(
                    out,
                    format!("`{name}` is not a language tag (BCP 47, e.g. `es`, `pt-BR`)"),
                    Anchor::key(at),
                    None,
                );
            }
            _ => push(
                out,
                format!("{what}: {}", lowercase_first(&error.to_string())),
                Anchor::value(pointer),
                None,
            ),
        }
    }

    /// The properties the object schema that raised `additionalProperties` allows.
    fn known_properties(&self, error: &ValidationError<'_>) -> Vec<String> {
        let Some(uri) = error.absolute_keyword_location() else {
            return Vec::new();
        };
        let uri = uri.as_str();
        let (document, fragment) = uri.split_once('#').unwrap_or((uri, ""));
        let name = document.rsplit('/').next().unwrap_or(document);
        let Some((_, schema)) = self.documents.iter().find(|(n, _)| n == name) else {
            return Vec::new();
        };
        let parent = fragment
            .strip_suffix("/additionalProperties")
            .unwrap_or(fragment);
        let parent = parent.replace("%24", "$");
        schema
            .pointer(&parent)
            .and_then(|object| object.get("properties"))
            .and_then(Value::as_object)
            .map(|properties| properties.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// The first `$ref` in a schema that leaves the schema directory (an absolute URL other than
/// fasti's own base).
fn find_remote_ref(value: &Value) -> Option<String> {
    match value {
        Value::Object(map) => map
            .iter()
            .find_map(|(key, value)| match (key.as_str(), value) {
                ("$ref" | "$dynamicRef" | "$schema", Value::String(target)) => {
                    let remote = target.contains("://")
                        && !target.starts_with(BASE)
                        && !target.starts_with("https://json-schema.org/draft/2020-12/");
                    remote.then(|| target.clone())
                }
                _ => find_remote_ref(value),
            }),
        Value::Array(items) => items.iter().find_map(find_remote_ref),
        _ => None,
    }
}

fn schema_problem(file: FileName, message: String) -> Diagnostic {
    Diagnostic::new(
        Rule::SchemaViolation,
        message,
        Label::new(file, Anchor::File),
    )
    .with_help("fix the schema file; fasti cannot check the dataset without a valid schema")
}

fn schema_location(error: &ValidationError<'_>) -> String {
    match error.absolute_keyword_location() {
        Some(uri) => uri
            .as_str()
            .strip_prefix(BASE)
            .unwrap_or(uri.as_str())
            .replace("%24", "$"),
        None => error.schema_path().as_str().to_owned(),
    }
}

/// The thing at `pointer`, in words: `the event's date`, `place 2 of the event`, `the source`.
fn describe(kind: FileKind, pointer: &str) -> String {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    match segments.as_slice() {
        [] => format!("the {}", noun(kind, "")),
        [.., parent, index] if index.parse::<usize>().is_ok() => {
            let number = index.parse::<usize>().map_or(0, |i| i + 1);
            let owner = owner_noun(kind, &segments[..segments.len() - 2]);
            let is_record_list = match *parent {
                "events" | "people" | "places" => segments.len() == 2,
                "adjudications" | "allow" => true,
                _ => false,
            };
            if is_record_list {
                format!("{} {number}{owner}", singular(parent))
            } else {
                format!("item {number} of `{parent}`{owner}")
            }
        }
        [.., field] => {
            let owner = owner_noun(kind, &segments[..segments.len() - 1]);
            format!("`{}`{owner}", field.replace("~1", "/").replace("~0", "~"))
        }
    }
}

fn owner_noun(kind: FileKind, owner: &[&str]) -> String {
    if owner.is_empty() {
        return String::new();
    }
    let pointer: String = owner.iter().map(|s| format!("/{s}")).collect();
    format!(" of {}", describe(kind, &pointer))
}

fn noun(kind: FileKind, pointer: &str) -> &'static str {
    let last_list = pointer
        .split('/')
        .rev()
        .find(|s| s.parse::<usize>().is_err() && !s.is_empty());
    match (kind, last_list) {
        (FileKind::Source, None) => "source",
        (FileKind::Authority, None) => "authority file",
        (_, Some(list)) => singular(list),
    }
}

fn singular(list: &str) -> &'static str {
    match list {
        "events" => "event",
        "people" => "person",
        "places" => "place",
        "adjudications" => "adjudication",
        "allow" => "allow entry",
        _ => "entry",
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `a string`, `an array`: JSON type names in words.
fn article(json_type: &str) -> String {
    match json_type {
        "string" => "text".to_owned(),
        "array" => "a list".to_owned(),
        "object" => "a mapping".to_owned(),
        "integer" => "an integer".to_owned(),
        "null" => "empty".to_owned(),
        other => format!("a {other}"),
    }
}

fn closest<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), candidate),
                candidate.as_str(),
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

/// A key made from free text: `Allied Invasion of Sicily` → `allied-invasion-of-sicily`.
fn slug(text: &str) -> String {
    fasti_normalize::names::fold(text).replace(' ', "-")
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_places_in_words() {
        assert_eq!(describe(FileKind::Source, ""), "the source");
        assert_eq!(describe(FileKind::Source, "/events/2"), "event 3");
        assert_eq!(
            describe(FileKind::Source, "/events/2/date"),
            "`date` of event 3"
        );
        assert_eq!(
            describe(FileKind::Source, "/events/0/places/1"),
            "item 2 of `places` of event 1"
        );
        assert_eq!(
            describe(FileKind::Authority, "/people/0/names"),
            "`names` of person 1"
        );
        assert_eq!(
            describe(FileKind::Source, "/events/0/allow/1"),
            "allow entry 2 of event 1"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Invasión de Sicilia"), "invasion-de-sicilia");
    }
}
