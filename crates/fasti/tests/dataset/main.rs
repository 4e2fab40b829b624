//! The bundled dataset: it validates clean, its full report is snapshotted (so any change to the
//! data or the rules shows in review), and every adjudication it records settles a finding that
//! the named rule really raises when adjudications are ignored.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use fasti::{CheckOptions, Outcome};
use fasti_diagnostics::{Diagnostic, Status};
use fasti_ingest::model::AuthorityRecord;
use fasti_report::{Format, RenderOptions, Report, render};

mod export;
mod timeline;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn check(adjudicate: bool) -> Outcome {
    let options = CheckOptions {
        root: root(),
        paths: Vec::new(),
        adjudicate,
    };
    fasti::check(&options)
        .map_err(|e| format!("{:?}", e.diagnostics))
        .unwrap()
}

fn rendered(outcome: &Outcome, format: Format) -> String {
    let report = Report {
        diagnostics: &outcome.diagnostics,
        files: &outcome.files,
        summary: outcome.summary,
        scope: Default::default(),
        dataset: None,
    };
    let options = RenderOptions {
        color: false,
        width: 100,
        docs_url: "https://example.invalid/rules/".to_owned(),
        tool_version: "test",
    };
    let mut out = Vec::new();
    render(format, &report, &options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn validates_clean_and_lists_the_adjudicated_disagreements() {
    let outcome = check(true);
    let failing: Vec<&Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_failing())
        .collect();
    assert!(
        failing.is_empty(),
        "the bundled dataset has open errors: {failing:#?}"
    );
    let warnings: Vec<&Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| !d.is_adjudicated())
        .collect();
    assert!(
        warnings.is_empty(),
        "the bundled dataset has open warnings: {warnings:#?}"
    );
    assert!(
        outcome.diagnostics.iter().any(Diagnostic::is_adjudicated),
        "no adjudicated finding is listed"
    );
    assert_eq!(
        outcome.summary.files, 8,
        "five sources and three authority files"
    );
}

#[test]
fn full_reports() {
    let outcome = check(true);
    insta::assert_snapshot!("human", rendered(&outcome, Format::Human));
    insta::assert_snapshot!("markdown", rendered(&outcome, Format::Markdown));
    insta::assert_snapshot!("json", rendered(&outcome, Format::Json));
}

/// Every adjudication names a rule, an event and sources; without adjudications, that rule must
/// report a finding about that event involving exactly those sources.
#[test]
fn every_adjudication_settles_a_real_finding() {
    let outcome = check(false);
    let events_file = root().join("sources/authority/events.yaml");
    let text = std::fs::read_to_string(&events_file).unwrap();
    let parsed = fasti_ingest::parse(
        &"events.yaml".into(),
        fasti_ingest::Format::Yaml,
        &text,
        &Default::default(),
    );
    let authority = AuthorityRecord::from_value(parsed.value.unwrap());
    let mut count = 0;
    for event in &authority.events {
        let id = event.id.as_deref().unwrap();
        for adjudication in &event.adjudications {
            count += 1;
            let rule = adjudication.rule.as_deref().unwrap();
            let mut sources: Vec<&str> = adjudication
                .sources
                .iter()
                .map(|s| s.text.as_str())
                .collect();
            sources.sort_unstable();
            let raised = outcome.diagnostics.iter().any(|d| {
                d.rule.name() == rule
                    && d.event.as_deref() == Some(id)
                    && d.sources.iter().map(String::as_str).collect::<Vec<_>>() == sources
                    && d.status == Status::Open
            });
            assert!(
                raised,
                "without adjudications, `{rule}` raises nothing about `{id}` in {sources:?}"
            );
        }
    }
    assert!(
        count >= 5,
        "expected the dataset to record its disagreements, found {count} adjudications"
    );
    eprintln!("{count} adjudications each settle a finding of their rule");
}

/// The report is the same bytes whatever the number of threads: results are put back in file
/// order, and sources parsed ahead while the authority is built are checked like the others.
#[test]
fn the_report_does_not_depend_on_the_number_of_threads() {
    let in_pool = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| rendered(&check(false), Format::Json))
    };
    let alone = in_pool(1);
    for threads in [2, 3, 8] {
        assert_eq!(in_pool(threads), alone, "{threads} threads");
    }
}
