//! The fuzz targets' properties (`fuzz/fuzz_targets/ingest.rs`), as property tests that run on
//! stable in CI: whatever the input, parsing does not panic, is deterministic, and every span the
//! span index records lies on character boundaries within the text.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use fasti_diagnostics::Anchor;
use fasti_ingest::{FileName, Format, Limits, SpanIndex, parse};
use proptest::prelude::*;

/// Text made mostly of YAML's and JSON's syntax characters, with some non-ASCII (multi-byte,
/// bidirectional, BOM) and control characters, so that most inputs reach deep into the parser.
fn yamlish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            8 => proptest::sample::select(vec![
                "- ", ": ", "\n", "  ", "\t", "[", "]", "{", "}", ",", "#", "&a", "*a", "!!str ",
                "!x ", "? ", "|", ">", "'", "\"", "\\", "---\n", "...\n", "\r\n", "key", "id",
                "1943", "-1", "1e400", ".nan", "~", "true", "99999999999999999999", "\u{FEFF}",
                "título", "São", "\u{202E}", "\u{200B}", "\u{7}", "😀", "\\u202e", "%YAML 1.2\n",
            ]).prop_map(str::to_owned),
            1 => "\\PC{0,4}",
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

/// Text close to JSON.
fn jsonish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            8 => proptest::sample::select(vec![
                "{", "}", "[", "]", ":", ",", "\"k\"", "\"k\"", "\"título\"", "\"a/b~c\"", "1",
                "-0.5e3", "1e400", "123456789012345678901234567890", "NaN", "null", "true",
                " ", "\n", "\"\\u202e\"", "\"\\ud800\"", "\"",
            ]).prop_map(str::to_owned),
            1 => "\\PC{0,4}",
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

fn file() -> FileName {
    Arc::from("t")
}

/// Small limits, so that the depth, length and findings limits are crossed often.
fn limits() -> Limits {
    Limits {
        max_depth: 4,
        max_string_length: 16,
        max_findings_per_file: 5,
        ..Limits::default()
    }
}

fn check_spans(format: Format, text: &str, limits: &Limits) -> Result<(), TestCaseError> {
    let parsed = parse(&file(), format, text, limits);
    prop_assert!(parsed.diagnostics.len() <= limits.max_findings_per_file);
    let index = SpanIndex::build(&file(), format, text, limits);
    let mut anchors: Vec<Anchor> = Vec::new();
    for pointer in index.pointers() {
        let value = index.value(pointer).unwrap();
        prop_assert!(value.start <= value.end && value.end <= text.len());
        prop_assert!(text.is_char_boundary(value.start) && text.is_char_boundary(value.end));
        if let Some(key) = index.key(pointer) {
            prop_assert!(key.start <= key.end && key.end <= text.len());
            prop_assert!(text.is_char_boundary(key.start) && text.is_char_boundary(key.end));
        }
        anchors.push(Anchor::value(pointer));
        anchors.push(Anchor::key(pointer));
        anchors.push(Anchor::Head {
            pointer: pointer.to_owned(),
        });
        anchors.push(Anchor::Within {
            pointer: pointer.to_owned(),
            start: 0,
            end: 1,
        });
    }
    for diagnostic in &parsed.diagnostics {
        anchors.push(diagnostic.primary.anchor.clone());
        anchors.extend(diagnostic.related.iter().map(|label| label.anchor.clone()));
    }
    for anchor in &anchors {
        if let Some(span) = index.resolve(anchor, text) {
            prop_assert!(
                span.start <= span.end && span.end <= text.len(),
                "{anchor:?}"
            );
            prop_assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{anchor:?}"
            );
        }
    }
    Ok(())
}

fn deterministic(format: Format, text: &str, limits: &Limits) -> Result<(), TestCaseError> {
    let first = parse(&file(), format, text, limits);
    let second = parse(&file(), format, text, limits);
    prop_assert_eq!(&first.value, &second.value);
    prop_assert_eq!(
        format!("{:?}", first.diagnostics),
        format!("{:?}", second.diagnostics)
    );
    prop_assert_eq!(first.dropped, second.dropped);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn yaml_never_panics_and_spans_are_on_char_boundaries(text in yamlish()) {
        check_spans(Format::Yaml, &text, &limits())?;
        check_spans(Format::Yaml, &text, &Limits::default())?;
    }

    #[test]
    fn json_never_panics_and_spans_are_on_char_boundaries(text in jsonish()) {
        check_spans(Format::Json, &text, &limits())?;
        check_spans(Format::Json, &text, &Limits::default())?;
    }

    #[test]
    fn any_text_never_panics(text in "\\PC{0,300}") {
        check_spans(Format::Yaml, &text, &limits())?;
        check_spans(Format::Json, &text, &limits())?;
    }

    #[test]
    fn parsing_is_deterministic(yaml in yamlish(), json in jsonish()) {
        deterministic(Format::Yaml, &yaml, &limits())?;
        deterministic(Format::Json, &json, &limits())?;
    }
}

/// Nesting far deeper than any limit, built at test time: the parser and the span index stay
/// linear and within a 2 MiB stack (this test's own thread), in both syntaxes.
#[test]
fn ten_thousand_levels_deep() {
    let deep = [
        (Format::Yaml, format!("{}x\n", "- ".repeat(10_000))),
        (
            Format::Yaml,
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        ),
        (
            Format::Yaml,
            format!("{}{}", "{a: ".repeat(10_000), "}".repeat(10_000)),
        ),
        (
            Format::Json,
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        ),
    ];
    for (format, text) in deep {
        let parsed = parse(&file(), format, &text, &Limits::default());
        assert!(
            parsed
                .diagnostics
                .iter()
                .any(|d| d.rule.name() == "limit-exceeded"),
            "{:?}",
            parsed.diagnostics
        );
        let index = SpanIndex::build(&file(), format, &text, &Limits::default());
        assert!(index.pointers().all(|p| p.matches('/').count() <= 64));
    }
}

/// Any JSON value, nested a few levels, with keys that need escaping in a pointer or in JSON.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-z é\"\\\\/~\n]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z/~\"é]{0,4}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every pointer of `value`, the root's (`""`) included.
fn pointers_of(value: &serde_json::Value, pointer: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers_of(item, format!("{pointer}/{i}"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                let segment = fasti_ingest::escape_pointer_segment(key);
                pointers_of(item, format!("{pointer}/{segment}"), out);
            }
        }
        _ => {}
    }
    out.push(pointer);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The JSON walk finds every value, and the text it points at is that value.
    #[test]
    fn json_spans_hold_their_values(value in json_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        let index = SpanIndex::build(&file(), Format::Json, &text, &Limits::default());
        let mut pointers = Vec::new();
        pointers_of(&value, String::new(), &mut pointers);
        for pointer in &pointers {
            let span = index.value(pointer);
            prop_assert!(span.is_some(), "{pointer} not found in {text}");
            let span = span.unwrap();
            let written: serde_json::Value = serde_json::from_str(&text[span.start..span.end]).unwrap();
            prop_assert_eq!(Some(&written), value.pointer(pointer), "{}", pointer);
            if let Some(key) = index.key(pointer) {
                let key: String = serde_json::from_str(&text[key.start..key.end]).unwrap();
                let last = pointer.rsplit('/').next().unwrap();
                prop_assert_eq!(fasti_ingest::escape_pointer_segment(&key), last);
            }
        }
        prop_assert_eq!(index.pointers().count(), pointers.len());
    }

    /// Recording only the wanted pointers finds them where recording everything does, in both
    /// syntaxes, whatever the text, with the parser's outline or without.
    #[test]
    fn recording_what_is_wanted_agrees_with_recording_all(
        yaml in yamlish(),
        json in jsonish(),
        value in json_value(),
        pick in any::<proptest::sample::Index>(),
    ) {
        let json_text = serde_json::to_string_pretty(&value).unwrap();
        for (format, text) in [(Format::Yaml, yaml.as_str()), (Format::Json, json.as_str()), (Format::Json, json_text.as_str())] {
            agrees(format, text, &limits(), &pick)?;
        }
    }

    /// The same, on YAML shaped like fasti's files: a list of records in block and flow style,
    /// with nested lists, comments, multi-line and non-ASCII text, where the outline serves.
    #[test]
    fn outlined_records_are_located_as_in_the_whole_file(
        records in proptest::collection::vec(record(), 1..6),
        pick in any::<proptest::sample::Index>(),
    ) {
        let text = format!("# yaml-language-server: $schema=x\nid: fuente\ntítulo: \"Relación\"\nevents:\n{}\nend: 1\n", records.concat());
        prop_assert!(parse(&file(), Format::Yaml, &text, &Limits::default()).value.is_some(), "{}", text);
        agrees(Format::Yaml, &text, &Limits::default(), &pick)?;
    }
}

/// One list item in one of the ways fasti's YAML files write them.
fn record() -> impl Strategy<Value = String> {
    let scalar = proptest::sample::select(vec![
        "3 de septiembre de 1943",
        "\"verão de 1943\"",
        "'July 9th, 1943'",
        "1943-07~",
        "São Paulo",
        "x",
        "\"a: b\"",
        "|\n        dos líneas\n        de texto",
        ">-\n        plegado\n        aquí",
    ]);
    let list = proptest::collection::vec(
        proptest::sample::select(vec!["Mesina", "Nápoles", "\"Roma\""]),
        0..3,
    );
    (scalar, list, 0..4u8).prop_map(|(scalar, list, style)| match style {
        0 => format!(
            "  - event: e\n    date: {scalar}\n    places:\n{}    locator: ¶4\n",
            list.iter()
                .map(|p| format!("      - {p}\n"))
                .collect::<String>()
        ),
        1 => format!(
            "  - {{event: e, places: [{}], date: \"{}\"}}\n",
            list.join(", "),
            scalar.replace('"', "'").replace('\n', " ")
        ),
        2 => format!(
            "  # a comment\n  -   event: e   # trailing\n      date: {}\n\n      places: [{}]\n",
            scalar.replace('\n', "\n  "),
            list.join(", ")
        ),
        _ => format!("  - {scalar}\n").replace("\n        ", "\n      "),
    })
}

/// For one pointer of the file (and its key, and a pointer below it that is not there):
/// `build_for`, with the parser's outline and without, resolves them as `build` does.
fn agrees(
    format: Format,
    text: &str,
    limits: &Limits,
    pick: &proptest::sample::Index,
) -> Result<(), TestCaseError> {
    let all = SpanIndex::build(&file(), format, text, limits);
    let mut pointers: Vec<&str> = all.pointers().collect();
    pointers.sort_unstable();
    if pointers.is_empty() {
        return Ok(());
    }
    let chosen = pointers[pick.index(pointers.len())];
    let anchors = [
        Anchor::value(chosen),
        Anchor::key(chosen),
        Anchor::value(format!("{chosen}/absent")),
        Anchor::Head {
            pointer: String::new(),
        },
    ];
    let outline = parse(&file(), format, text, limits).outline;
    for outline in [None, outline.as_ref()] {
        let some = SpanIndex::build_for(&file(), format, text, limits, &anchors, outline);
        for anchor in &anchors {
            prop_assert_eq!(
                some.resolve(anchor, text),
                all.resolve(anchor, text),
                "{:?} in {:?} (outline: {})",
                anchor,
                text,
                outline.is_some()
            );
        }
    }
    Ok(())
}
