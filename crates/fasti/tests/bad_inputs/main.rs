//! Broken and hostile input: every case gives findings with a location (or a clear file-level
//! finding), never a panic, a hang or a stack overflow, and the other files are still checked.
//!
//! Committed cases live in `tests/fixtures/bad-inputs/<case>/`, each a tiny dataset; inputs that
//! cannot sanely be committed (symlinks, unreadable files, huge or deeply nested files) are
//! generated into a temporary directory by [`generated`]. Each report is the human one, as a
//! user sees it (no colour, 100 columns), followed by the exit code.

#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod generated;
mod reads;
// The generator of `cargo xtask bench --shapes`, so that the tests read the inputs it measures.
#[path = "../../../../xtask/src/shapes.rs"]
#[allow(dead_code)] // The bench's sizes and command line are not used here.
mod shape_gen;
mod shapes;
mod writes;

use std::fs;
use std::path::{Path, PathBuf};

use fasti::{CheckOptions, check};
use fasti_report::{ExitStatus, Format, RenderOptions, Report, Scope, render};

/// The human report of `fasti validate` on the dataset at `root`, and its exit code.
pub fn report(root: &Path) -> String {
    let options = CheckOptions {
        root: root.to_path_buf(),
        paths: Vec::new(),
        adjudicate: true,
    };
    let render_options = RenderOptions {
        color: false,
        width: 100,
        docs_url: "https://fasti.invalid/rules/".to_owned(),
        tool_version: "test",
    };
    let mut out = Vec::new();
    let status = match check(&options) {
        Ok(outcome) => {
            let report = Report {
                diagnostics: &outcome.diagnostics,
                files: &outcome.files,
                summary: outcome.summary,
                scope: Scope::default(),
                dataset: None,
            };
            render(Format::Human, &report, &render_options, &mut out).unwrap();
            outcome.exit_status(false)
        }
        Err(error) => {
            let report = Report {
                diagnostics: &error.diagnostics,
                files: &error.files,
                summary: Default::default(),
                scope: Scope::default(),
                dataset: None,
            };
            render(Format::Human, &report, &render_options, &mut out).unwrap();
            ExitStatus::Error
        }
    };
    let mut text = String::from_utf8(out).unwrap();
    text.push_str(&format!("exit {}\n", status as u8));
    text
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-inputs")
}

/// The committed cases; each has a test below and a snapshot `bad_inputs__<case>.snap`.
const CASES: &[&str] = &[
    "anchors-aliases",
    "big-integers",
    "billion-laughs",
    "comments-only",
    "crlf",
    "custom-tags",
    "duplicate-keys",
    "empty",
    "escaped-controls",
    "file-size-limit",
    "findings-limit",
    "invalid-schema",
    "invalid-utf8",
    "nan-infinity",
    "non-string-keys",
    "ref-cycle",
    "remote-ref",
    "schema-not-a-directory",
    "several-documents",
    "sources-not-a-directory",
    "string-length-limit",
    "suspicious-characters",
    "tabs",
    "url-schemes",
    "utf16",
    "utf8-bom",
];

fn snapshot(case: &str) -> String {
    assert!(CASES.contains(&case), "add `{case}` to CASES");
    report(&fixtures().join(case))
}

macro_rules! cases {
    ($($name:ident => $case:literal,)*) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!($case, snapshot($case));
            }
        )*
    };
}

cases! {
    anchors_and_aliases_are_refused => "anchors-aliases",
    integers_too_large_for_64_bits => "big-integers",
    a_billion_laughs_is_not_expanded => "billion-laughs",
    a_file_of_comments_only => "comments-only",
    crlf_line_endings_keep_lines_and_columns => "crlf",
    custom_tags_are_refused => "custom-tags",
    duplicate_keys_in_yaml_and_json => "duplicate-keys",
    an_empty_file => "empty",
    control_characters_written_as_escapes => "escaped-controls",
    a_file_over_the_size_limit_is_not_read => "file-size-limit",
    findings_are_capped_per_file => "findings-limit",
    an_invalid_schema_file => "invalid-schema",
    invalid_utf8 => "invalid-utf8",
    nan_and_infinity => "nan-infinity",
    non_string_keys => "non-string-keys",
    a_ref_cycle_stops_the_run => "ref-cycle",
    a_remote_ref_is_never_fetched => "remote-ref",
    a_schema_that_is_not_a_directory_stops_the_run => "schema-not-a-directory",
    sources_that_is_not_a_directory_stops_the_run => "sources-not-a-directory",
    only_http_and_https_links => "url-schemes",
    several_documents_in_one_file => "several-documents",
    a_string_over_the_length_limit => "string-length-limit",
    control_and_bidi_characters => "suspicious-characters",
    tabs => "tabs",
    utf16 => "utf16",
    a_utf8_bom_is_read_and_columns_stay_right => "utf8-bom",
}

#[test]
fn every_fixture_directory_is_a_case() {
    let mut dirs: Vec<String> = fs::read_dir(fixtures())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    assert_eq!(dirs, CASES);
}

/// The column of a finding on a CRLF line, and on the first line of a file with a BOM, counts
/// from the first character of the line as a user sees it.
#[test]
fn columns_are_right_after_a_bom_and_on_crlf_lines() {
    let crlf = snapshot("crlf");
    assert!(crlf.contains("--> sources/crlf.yaml:9:11"), "{crlf}");
    let bom = snapshot("utf8-bom");
    assert!(bom.contains("--> sources/bom.yaml:1:1"), "{bom}");
}

/// No format read by people lets a control character from the data through: an ANSI escape
/// sequence in a value (written as a YAML or JSON escape) or in a comment shown in a snippet
/// reaches neither a terminal, nor a Markdown job summary, nor a GitHub annotation raw.
#[test]
fn no_control_character_reaches_a_report_read_by_people() {
    let root = fixtures().join("escaped-controls");
    let outcome = check(&CheckOptions {
        root: root.clone(),
        paths: Vec::new(),
        adjudicate: true,
    })
    .unwrap();
    let report = Report {
        diagnostics: &outcome.diagnostics,
        files: &outcome.files,
        summary: outcome.summary,
        scope: Scope::default(),
        dataset: None,
    };
    for format in [
        Format::Human,
        Format::Narrative,
        Format::Markdown,
        Format::Github,
        Format::Junit,
    ] {
        let options = RenderOptions {
            color: false,
            width: 100,
            docs_url: "https://fasti.invalid/rules/".to_owned(),
            tool_version: "test",
        };
        let mut out = Vec::new();
        render(format, &report, &options, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let raw: Vec<char> = text
            .chars()
            .filter(|&c| {
                (c.is_control() && c != '\n' && c != '\t') || ('\u{202A}'..='\u{202E}').contains(&c)
            })
            .collect();
        assert!(raw.is_empty(), "{format:?}: {raw:?} in\n{text}");
        assert!(text.contains("U+001B"), "{format:?}:\n{text}");
    }
}
