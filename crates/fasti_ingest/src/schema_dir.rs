use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use serde_json::Value;

use crate::FileName;
use crate::read::{Refusal, kind_of, open_input, read_input};

/// A schema file that could not be read or parsed, and its text when there is one to show.
pub type SchemaProblem = (Diagnostic, Option<String>);

/// The largest schema file read: fasti's own are a few kilobytes each.
pub const MAX_SCHEMA_SIZE: u64 = 4 << 20;

/// The base URI of fasti's schema documents (their `$id`s start with it).
const BASE: &str = "https://fasti.invalid/schema/";

/// Reads every `*.json` file of the schema directory `dir` of the repository at `root`, sorted by
/// name. `Err` lists every file that could not be read or parsed; fasti cannot check the dataset
/// without its schemas.
///
/// The directory and each file must be what they seem: a directory and regular files, in the
/// repository (a symbolic link leading outside it is refused, and the target is never read), each
/// file at most [`MAX_SCHEMA_SIZE`]. A chain of `$ref`s that comes back to where it started
/// without checking anything (`a` → `b` → `a`) is refused too: a value checked against it would
/// not be checked at all.
pub fn read_schema_dir(
    root: &Path,
    dir: &Path,
    shown_as: &str,
) -> Result<Vec<(FileName, Value)>, Vec<SchemaProblem>> {
    let whole_dir =
        |message: String| vec![(problem(Arc::from(shown_as), message, Anchor::File), None)];
    match open_dir(root, dir) {
        Ok(()) => {}
        Err(refusal) => {
            return Err(whole_dir(format!(
                "the schema directory `{shown_as}` {refusal}"
            )));
        }
    }
    let entries = fs::read_dir(dir).map_err(|error| {
        whole_dir(format!(
            "the schema directory `{shown_as}` cannot be read: {error}"
        ))
    })?;
    let mut paths = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => paths.push(entry.path()),
            Err(error) => problems.push((
                problem(
                    Arc::from(shown_as),
                    format!("the schema directory `{shown_as}` cannot be read: {error}"),
                    Anchor::File,
                ),
                None,
            )),
        }
    }
    paths.retain(|path| path.extension().is_some_and(|ext| ext == "json"));
    paths.sort();
    let mut schemas = Vec::new();
    for path in paths {
        let name: FileName = Arc::from(format!(
            "{shown_as}/{}",
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
        let bytes = match open_input(&path, Some(root))
            .and_then(|(file, size)| read_input(file, size, MAX_SCHEMA_SIZE))
        {
            Ok(bytes) => bytes,
            Err(refusal) => {
                problems.push((
                    problem(name, format!("schema file {refusal}"), Anchor::File),
                    None,
                ));
                continue;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let at = error.utf8_error().valid_up_to();
                problems.push((
                    problem(
                        name,
                        format!("schema is not valid UTF-8: invalid byte at offset {at}"),
                        Anchor::File,
                    ),
                    None,
                ));
                continue;
            }
        };
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => schemas.push((name, value)),
            Err(error) => {
                let (at, message) = crate::json::located(&text, &error);
                problems.push((
                    problem(
                        name,
                        format!("schema is not valid JSON: {message}"),
                        Anchor::Bytes { start: at, end: at },
                    ),
                    Some(text),
                ));
            }
        }
    }
    if problems.is_empty()
        && let Some((file, cycle)) = ref_cycle(&schemas)
    {
        problems.push((
            problem(
                file,
                format!(
                    "`$ref` cycle: {}; a value checked against it would not be checked at all",
                    cycle.join(" → ")
                ),
                Anchor::File,
            ),
            None,
        ));
    }
    if problems.is_empty() {
        Ok(schemas)
    } else {
        Err(problems)
    }
}

/// The schema directory must be a directory in the repository.
fn open_dir(root: &Path, dir: &Path) -> Result<(), Refusal> {
    let metadata = fs::metadata(dir)?;
    let resolved = dir.canonicalize()?;
    if !resolved.starts_with(root.canonicalize()?) {
        return Err(Refusal::Outside);
    }
    if metadata.is_dir() {
        Ok(())
    } else {
        Err(Refusal::NotDirectory(kind_of(metadata.file_type())))
    }
}

/// A subschema: the document (index) and the JSON pointer to it.
type Node = (usize, String);

/// The first chain of `$ref`s (and `allOf`, `anyOf`, `oneOf`, `not`, `if`, `then`, `else`,
/// `dependentSchemas`: the keywords that apply a subschema to the *same* value) that comes back to
/// where it started, as `file#pointer` steps, and the file it starts in. Recursion through
/// `properties`, `items` and the like is fine: each step checks a smaller part of the value.
///
/// Hand-written because jsonschema resolves such a loop silently (the value is then not checked
/// by it) and has no option to refuse it.
pub fn ref_cycle(schemas: &[(FileName, Value)]) -> Option<(FileName, Vec<String>)> {
    let mut starts = Vec::new();
    // Each document's `$anchor`s, found once: looking each up by walking the document would make
    // a schema of many `$ref: "#name"` quadratic.
    let mut anchors: Vec<BTreeMap<String, String>> = vec![BTreeMap::new(); schemas.len()];
    for (doc, (_, value)) in schemas.iter().enumerate() {
        collect_objects(value, &mut String::new(), &mut |pointer, object| {
            starts.push((doc, pointer.to_owned()));
            if let Some(Value::String(name)) = object.get("$anchor") {
                anchors[doc]
                    .entry(name.clone())
                    .or_insert_with(|| pointer.to_owned());
            }
        });
    }
    let steps = |node: &Node| same_value_steps(schemas, &anchors, node);
    // 0: not visited; 1: on the current path; 2: done, no cycle through it.
    let mut state: BTreeMap<Node, u8> = BTreeMap::new();
    for start in starts {
        if state.contains_key(&start) {
            continue;
        }
        // Depth-first, iteratively: a deep schema must not overflow the stack.
        let mut path: Vec<(Node, Vec<Node>)> = Vec::new();
        state.insert(start.clone(), 1);
        let next = steps(&start);
        path.push((start, next));
        while let Some((_, pending)) = path.last_mut() {
            match pending.pop() {
                Some(node) => match state.get(&node).copied().unwrap_or(0) {
                    0 => {
                        state.insert(node.clone(), 1);
                        let next = steps(&node);
                        path.push((node, next));
                    }
                    1 => {
                        let from = path.iter().position(|(n, _)| *n == node).unwrap_or(0);
                        let mut steps: Vec<String> = path[from..]
                            .iter()
                            .map(|((doc, pointer), _)| show(schemas, *doc, pointer))
                            .collect();
                        steps.push(show(schemas, node.0, &node.1));
                        return Some((schemas[node.0].0.clone(), steps));
                    }
                    _ => {}
                },
                None => {
                    if let Some((done, _)) = path.pop() {
                        state.insert(done, 2);
                    }
                }
            }
        }
    }
    None
}

fn show(schemas: &[(FileName, Value)], doc: usize, pointer: &str) -> String {
    let file = schemas[doc].0.rsplit('/').next().unwrap_or_default();
    format!("{file}#{pointer}")
}

/// Calls `found` with the pointer of every object in `value`, and the object.
fn collect_objects(
    value: &Value,
    pointer: &mut String,
    found: &mut impl FnMut(&str, &serde_json::Map<String, Value>),
) {
    let len = pointer.len();
    match value {
        Value::Object(map) => {
            found(pointer, map);
            for (key, child) in map {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                collect_objects(child, pointer, found);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                collect_objects(child, pointer, found);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// The subschemas that a schema applies to the same value it is given.
fn same_value_steps(
    schemas: &[(FileName, Value)],
    anchors: &[BTreeMap<String, String>],
    (doc, pointer): &Node,
) -> Vec<Node> {
    let Some(Value::Object(map)) = schemas[*doc].1.pointer(pointer) else {
        return Vec::new();
    };
    let mut steps = Vec::new();
    for (key, value) in map {
        let here = || format!("{pointer}/{key}");
        match (key.as_str(), value) {
            ("$ref" | "$dynamicRef", Value::String(target)) => {
                steps.extend(resolve(schemas, anchors, *doc, target));
            }
            ("allOf" | "anyOf" | "oneOf", Value::Array(items)) => {
                steps.extend((0..items.len()).map(|i| (*doc, format!("{}/{i}", here()))));
            }
            ("not" | "if" | "then" | "else", Value::Object(_)) => steps.push((*doc, here())),
            ("dependentSchemas", Value::Object(entries)) => {
                steps.extend(entries.keys().map(|name| {
                    let name = name.replace('~', "~0").replace('/', "~1");
                    (*doc, format!("{}/{name}", here()))
                }));
            }
            _ => {}
        }
    }
    steps
}

/// Where a `$ref` in document `doc` leads, when it leads to one of `schemas`: a file name or
/// `$id` (relative to fasti's base), then a JSON pointer or an `$anchor` after `#`.
fn resolve(
    schemas: &[(FileName, Value)],
    anchors: &[BTreeMap<String, String>],
    doc: usize,
    target: &str,
) -> Option<Node> {
    let (document, fragment) = target.split_once('#').unwrap_or((target, ""));
    let document = document.strip_prefix(BASE).unwrap_or(document);
    let doc = if document.is_empty() {
        doc
    } else {
        schemas.iter().position(|(file, value)| {
            file.rsplit('/').next() == Some(document)
                || value
                    .get("$id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| id == document || id.strip_prefix(BASE) == Some(document))
        })?
    };
    let fragment = percent_decode(fragment);
    if fragment.is_empty() || fragment.starts_with('/') {
        schemas[doc].1.pointer(&fragment)?;
        return Some((doc, fragment));
    }
    let pointer = anchors[doc].get(&fragment)?;
    Some((doc, pointer.clone()))
}

/// `%24defs` → `$defs`: JSON pointers in URI fragments are percent-encoded.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn problem(file: FileName, message: String, anchor: Anchor) -> Diagnostic {
    Diagnostic::new(Rule::SchemaViolation, message, Label::new(file, anchor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cycle(documents: &[(&str, Value)]) -> Option<String> {
        let schemas: Vec<(FileName, Value)> = documents
            .iter()
            .map(|(name, value)| (Arc::from(format!("schema/{name}")), value.clone()))
            .collect();
        ref_cycle(&schemas).map(|(file, steps)| format!("{file}: {}", steps.join(" → ")))
    }

    #[test]
    fn finds_ref_loops_within_and_across_files() {
        let looping = json!({"properties": {"title": {"$ref": "#/$defs/a"}},
            "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}});
        let found = cycle(&[("source.schema.json", looping)]).expect("a cycle");
        assert!(found.contains("source.schema.json#/$defs/a → "), "{found}");
        assert!(found.ends_with("source.schema.json#/$defs/a"), "{found}");
        let one = json!({"$defs": {"a": {"$ref": "common.schema.json#/%24defs/b"}}});
        let other = json!({"$id": "https://fasti.invalid/schema/common.schema.json",
            "$defs": {"b": {"not": {"$ref": "https://fasti.invalid/schema/source.schema.json#/$defs/a"}}}});
        assert!(cycle(&[("source.schema.json", one), ("common.schema.json", other)]).is_some());
        let itself = json!({"$defs": {"a": {"$anchor": "here", "$ref": "#here"}}});
        assert!(cycle(&[("source.schema.json", itself)]).is_some());
    }

    #[test]
    fn recursion_through_a_smaller_value_is_no_cycle() {
        let tree = json!({"$defs": {"node": {"type": "object",
            "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
            "$ref": "#/$defs/node"});
        assert_eq!(cycle(&[("source.schema.json", tree)]), None);
    }

    #[test]
    fn fastis_own_schemas_have_no_cycle() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let read = read_schema_dir(&dir, &dir.join("schema"), "schema");
        assert!(read.is_ok(), "{:?}", read.err());
    }
}
