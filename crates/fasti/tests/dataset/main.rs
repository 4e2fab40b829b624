//! The bundled dataset: it validates clean, its full report is snapshotted (so any change to the
//! data or the rules shows in review), and every adjudication it records settles a finding that
//! the named rule really raises when adjudications are ignored.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use fasti::{CheckOptions, Outcome};
use fasti_diagnostics::{Diagnostic, Status};
use fasti_ingest::model::AuthorityRecord;
use fasti_report::Format;

#[path = "../support/render.rs"]
mod render;
use render::rendered;

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

fn authority_events() -> AuthorityRecord {
    let events_file = root().join("sources/authority/events.yaml");
    let text = std::fs::read_to_string(&events_file).unwrap();
    let parsed = fasti_ingest::parse(
        &"events.yaml".into(),
        fasti_ingest::Format::Yaml,
        &text,
        &Default::default(),
    );
    AuthorityRecord::from_value(parsed.value.unwrap())
}

/// Every adjudication names a rule, an event and sources; without adjudications, that rule must
/// report a finding about that event involving exactly those sources.
#[test]
fn every_adjudication_settles_a_real_finding() {
    let outcome = check(false);
    let authority = authority_events();
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

/// The authority's own `caused_by`, `after` and `before`, restated by a source that dates each
/// event by its year alone, so that its own dates decide nothing. Restated as they are, the
/// accepted dates agree with each: `relation-contradicts-authority` says nothing. Restated the
/// wrong way round, it reports exactly those whose accepted starts are different days.
#[test]
fn relations_restated_vaguely_are_judged_by_the_accepted_dates() {
    let authority = authority_events();
    let start = |id: &str| {
        authority
            .events
            .iter()
            .find(|e| e.id.as_deref() == Some(id))
            .and_then(|e| e.date.clone())
    };
    // (effect, its accepted start, relation as stated, relation reversed, other, its start)
    let mut relations = Vec::new();
    for event in &authority.events {
        let (Some(id), Some(date)) = (event.id.as_deref(), event.date.clone()) else {
            continue;
        };
        let stated = [
            ("caused_by", "before", &event.caused_by),
            ("after", "before", &event.after),
            ("before", "after", &event.before),
        ];
        for (relation, reversed, others) in stated {
            for other in others.iter() {
                let other_start = start(&other.text).unwrap();
                relations.push((
                    id,
                    date.clone(),
                    relation,
                    reversed,
                    other.text.clone(),
                    other_start,
                ));
            }
        }
    }
    assert!(relations.len() >= 10, "{relations:?}");

    let restated = |reverse: bool| {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["sources/authority", "schema"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
            for entry in std::fs::read_dir(root().join(sub)).unwrap() {
                let path = entry.unwrap().path();
                std::fs::copy(&path, dir.path().join(sub).join(path.file_name().unwrap())).unwrap();
            }
        }
        let mut yaml = String::from(
            "id: restated-en\ntitle: Restated\nlanguage: en\nkind: other\norder: narrative\nevents:\n",
        );
        for (index, (id, date, relation, reversed, other, _)) in relations.iter().enumerate() {
            let relation = if reverse { reversed } else { relation };
            let year = &date[..4];
            yaml.push_str(&format!(
                "  - event: {id}\n    date: \"{year}\"\n    title: t\n    {relation}: [{other}]\n    locator: p. {index}\n"
            ));
        }
        std::fs::write(dir.path().join("sources/restated-en.yaml"), yaml).unwrap();
        let options = CheckOptions {
            root: dir.path().to_path_buf(),
            paths: Vec::new(),
            adjudicate: false,
        };
        let outcome = fasti::check(&options).unwrap();
        let mut reported: Vec<(String, usize)> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.primary.file.as_ref() == "sources/restated-en.yaml")
            // Reversed, each relation closes a cycle with the authority's own: a finding of
            // `reference-cycle`, which is not what this test is about.
            .filter(|d| !(reverse && d.rule == fasti_diagnostics::Rule::ReferenceCycle))
            .map(|d| {
                assert_eq!(d.rule.name(), "relation-contradicts-authority", "{d:#?}");
                let claim = d
                    .primary
                    .anchor
                    .pointer()
                    .unwrap()
                    .split('/')
                    .nth(2)
                    .unwrap();
                (d.event.clone().unwrap(), claim.parse().unwrap())
            })
            .collect();
        reported.sort();
        reported
    };

    assert_eq!(
        restated(false),
        Vec::new(),
        "the accepted dates agree with every relation"
    );
    let mut expected: Vec<(String, usize)> = relations
        .iter()
        .enumerate()
        .filter(|(_, (_, date, _, _, _, other_start))| {
            date.len() == 10 && other_start.len() == 10 && date != other_start
        })
        .map(|(index, (id, ..))| ((*id).to_owned(), index))
        .collect();
    expected.sort();
    assert!(expected.len() >= 8, "{expected:?}");
    assert_eq!(restated(true), expected);
}
