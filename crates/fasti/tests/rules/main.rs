//! Rule fixtures: `tests/fixtures/rules/<rule-name>/{valid,invalid}/`, each a tiny dataset
//! (sources, an `authority/` directory, and a `fasti.toml` when the rule needs settings).
//!
//! - `valid` must produce no finding at all;
//! - `invalid` must produce findings of its rule only, and its human report is snapshotted
//!   (`snapshots/rules__<rule-name>.snap`);
//! - every rule has a fixture directory, and every fixture directory names a rule;
//! - `tests/fixtures/every-defect/` holds one instance of every defect, and its findings are
//!   exactly those `expected.txt` lists.
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test -p fasti --test rules`, then read
//! every changed one before committing it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use fasti::{CheckOptions, Outcome, check};
use fasti_diagnostics::{Diagnostic, Rule};
use fasti_report::Format;

#[path = "../support/render.rs"]
mod render;

fn human(outcome: &Outcome) -> String {
    render::rendered(outcome, Format::Human)
}

/// Rules whose fixtures live elsewhere, and why.
const COVERED_ELSEWHERE: &[(Rule, &str)] = &[
    (
        Rule::UnreadableFile,
        "needs unreadable or non-UTF-8 files: tests/fixtures/bad-inputs/",
    ),
    (
        Rule::LimitExceeded,
        "needs files beyond the safety limits: tests/fixtures/bad-inputs/",
    ),
    (
        Rule::SuspiciousCharacters,
        "needs control and bidirectional characters: tests/fixtures/bad-inputs/",
    ),
    (
        Rule::InternalError,
        "only a bug in fasti triggers it; the pipeline's panic isolation is tested there",
    ),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Checks a dataset directory, with the directory as the root (its `fasti.toml` applies).
fn run(dir: &Path) -> Outcome {
    let options = CheckOptions {
        root: dir.to_path_buf(),
        paths: vec![dir.to_path_buf()],
        adjudicate: true,
    };
    check(&options).unwrap_or_else(|error| {
        panic!(
            "{} could not be checked: {:?}",
            dir.display(),
            error.diagnostics
        )
    })
}

fn listed(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| format!("  {} {}: {}", d.rule.code(), d.rule, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fixtures().join("rules"))
        .unwrap_or_else(|e| panic!("tests/fixtures/rules: {e}"))
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn valid_fixtures_have_no_findings_and_invalid_ones_only_their_rule() {
    for name in fixture_names() {
        let rule = Rule::find(&name).unwrap_or_else(|| panic!("no rule is named `{name}`"));
        let dir = fixtures().join("rules").join(&name);

        let valid = run(&dir.join("valid"));
        assert!(
            valid.diagnostics.is_empty(),
            "{name}/valid has findings:\n{}",
            listed(&valid.diagnostics)
        );

        let invalid = run(&dir.join("invalid"));
        assert!(
            !invalid.diagnostics.is_empty(),
            "{name}/invalid has no finding"
        );
        assert!(
            invalid.diagnostics.iter().all(|d| d.rule == rule),
            "{name}/invalid has findings of other rules:\n{}",
            listed(&invalid.diagnostics)
        );
        insta::assert_snapshot!(name.as_str(), human(&invalid));
    }
}

#[test]
fn every_rule_has_a_fixture_and_every_fixture_a_rule() {
    let names: BTreeSet<String> = fixture_names().into_iter().collect();
    for name in &names {
        assert!(
            Rule::find(name).is_some_and(|rule| rule.name() == name),
            "tests/fixtures/rules/{name} names no rule"
        );
    }
    for rule in Rule::ALL {
        let elsewhere = COVERED_ELSEWHERE.iter().any(|(r, _)| r == rule);
        assert_eq!(
            names.contains(rule.name()),
            !elsewhere,
            "{}: {}",
            rule.name(),
            if elsewhere {
                "has a fixture here but is listed in COVERED_ELSEWHERE"
            } else {
                "has no fixture directory in tests/fixtures/rules/"
            }
        );
    }
}

/// `rule file:line` for every finding, sorted.
fn findings(outcome: &Outcome) -> Vec<String> {
    let mut lines: Vec<String> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            let file = &*d.primary.file;
            let line = match (outcome.files.get(file), d.primary.span) {
                (Some(text), Some(span)) => {
                    let end = span.start.min(text.len());
                    text.as_bytes()[..end]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count()
                        + 1
                }
                _ => 0,
            };
            format!("{} {file}:{line}", d.rule)
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn a_dataset_with_every_defect_has_exactly_the_expected_findings() {
    let dir = fixtures().join("every-defect");
    let expected_text = fs::read_to_string(dir.join("expected.txt"))
        .unwrap_or_else(|e| panic!("every-defect/expected.txt: {e}"));
    let mut expected: Vec<String> = expected_text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    expected.sort();
    let actual = findings(&run(&dir));
    assert_eq!(
        actual, expected,
        "every-defect: findings differ from expected.txt"
    );
}
