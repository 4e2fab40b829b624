//! The shapes of input that once took quadratic time or exhausted memory (issue 15), generated
//! by the same code as `cargo xtask bench --shapes` (`xtask/src/shapes.rs`) but small enough for
//! a debug test run. Each keeps its shape: one huge list, files whose every claim breaks rules,
//! a name shared by many entries, a deep chain, many sources about one event. The tests check
//! the findings and that every cap says what it left out; the bench shows time and memory stay
//! linear at full size.

use std::fs;
use std::path::Path;

use fasti::{CheckOptions, Outcome, check};
use fasti_diagnostics::Rule;

use crate::shape_gen::Shape;

fn run(shape: Shape, n: usize, config: &str) -> (tempfile::TempDir, Outcome) {
    let dir = tempfile::tempdir().unwrap();
    shape.write(dir.path(), n).unwrap();
    fs::write(dir.path().join("fasti.toml"), config).unwrap();
    let outcome = outcome(dir.path());
    (dir, outcome)
}

fn outcome(root: &Path) -> Outcome {
    check(&CheckOptions {
        root: root.to_path_buf(),
        paths: Vec::new(),
        adjudicate: true,
    })
    .unwrap_or_else(|e| panic!("{:?}", e.diagnostics))
}

fn messages(outcome: &Outcome, rule: Rule) -> Vec<&str> {
    outcome
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| d.message.as_str())
        .collect()
}

#[test]
fn a_list_of_empty_claims_over_the_record_limit() {
    let (_dir, outcome) = run(
        Shape::EmptyClaims,
        3000,
        "[limits]\nmax-records-per-list = 2000\nmax-findings-per-file = 50\n",
    );
    let limits = messages(&outcome, Rule::LimitExceeded);
    assert!(
        limits.contains(
            &"`events` has 3000 records, more than the limit of 2000; the last 1000 are not checked"
        ),
        "{limits:#?}"
    );
    // Each of the 2,000 claims read misses its four required fields: 50 shown, the rest counted.
    assert!(
        limits.contains(&"7950 more findings in this file are not shown; the limit is 50 per file"),
        "{limits:#?}"
    );
    assert_eq!(messages(&outcome, Rule::SchemaViolation).len(), 50);
    assert_eq!(outcome.diagnostics.len(), 52);
    assert_eq!(
        outcome.exit_status(false),
        fasti_report::ExitStatus::Failing
    );
}

#[test]
fn files_whose_every_claim_breaks_three_rules() {
    let (_dir, outcome) = run(
        Shape::RuleBreakers,
        400,
        "[limits]\nmax-findings-per-file = 1000\nmax-findings = 2500\n",
    );
    for rule in [
        Rule::UnknownReference,
        Rule::UnparseableDate,
        Rule::SchemaViolation,
    ] {
        assert!(!messages(&outcome, rule).is_empty(), "{rule}");
    }
    // 1,200 findings per file, 1,000 kept and one closing each; 2,500 kept in the run, and
    // every closing finding.
    let limits = messages(&outcome, Rule::LimitExceeded);
    assert_eq!(outcome.diagnostics.len(), 2504, "{limits:#?}");
    assert_eq!(
        limits,
        [
            "200 more findings in this file are not shown; the limit is 1000 per file",
            "200 more findings in this file are not shown; the limit is 1000 per file",
            "200 more findings in this file are not shown; the limit is 1000 per file",
            "500 more findings are not shown (in 1 file); the limit is 2500 per run",
        ]
    );
    assert_eq!(outcome.summary.not_shown, 500);
    let closing = outcome.diagnostics.last().unwrap();
    assert_eq!(closing.severity, fasti_diagnostics::Severity::Error);
}

#[test]
fn a_name_shared_by_thousands_of_people() {
    let (_dir, outcome) = run(Shape::SharedAlias, 2000, "");
    let ambiguous = messages(&outcome, Rule::AmbiguousName);
    assert_eq!(ambiguous.len(), 20);
    assert_eq!(
        ambiguous[0],
        "`The General` names more than one person: `person-0`, `person-1`, `person-2`, `person-3`, `person-4`, and 1995 more"
    );
}

#[test]
fn a_chain_of_places_thousands_deep() {
    let (_dir, outcome) = run(Shape::WithinChain, 3000, "");
    let outside = messages(&outcome, Rule::PlaceOutsideRegion);
    // Half of the claims are about an event in Asia; the chain ends in Europe.
    assert_eq!(outside.len(), 500);
    assert_eq!(
        outside[0],
        "`p0` (`p0`, within `p1` › `p2` › `p3` › `p4` › `p5` › … (2994 more) › `europe`) is not in `asia`, the region of `far`"
    );
    assert_eq!(outcome.diagnostics.len(), 500);
}

#[test]
fn thousands_of_sources_reporting_one_event() {
    let (_dir, outcome) = run(Shape::OneEvent, 2000, "");
    let disagree: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.rule == Rule::SourcesDisagree)
        .collect();
    // Two sources (s999, s1999) against 1,998: 3,996 pairs, the first 100 reported.
    assert_eq!(disagree.len(), 100);
    let notes: Vec<_> = disagree.iter().flat_map(|d| &d.notes).collect();
    assert_eq!(
        notes,
        ["3896 more pairs of sources disagree about `landing`; only the first 100 are reported"]
    );
    assert_eq!(messages(&outcome, Rule::ContradictsAuthority).len(), 2);
}
