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
