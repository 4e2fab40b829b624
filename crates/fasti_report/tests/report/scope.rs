//! Reports limited to changed files and compared with a baseline.

use std::path::Path;

use fasti_report::{Baseline, Changed, Format, Report, Scope, fingerprint, render};
use serde_json::Value;

use crate::fixtures;

/// The fixture report, limited to two changed files, with the first finding in the baseline.
fn scoped(format: Format) -> String {
    let diagnostics = fixtures::diagnostics();
    let files = fixtures::files();
    let baseline = Baseline {
        name: "origin/main".to_owned(),
        fingerprints: [fingerprint(&diagnostics[0])].into_iter().collect(),
    };
    let report = Report {
        diagnostics: &diagnostics,
        files: &files,
        summary: fixtures::summary(),
        scope: Scope {
            changed: Some(Changed {
                since: "origin/main",
                files: 2,
            }),
            baseline: Some(&baseline),
        },
        dataset: None,
    };
    let mut out = Vec::new();
    render(format, &report, &fixtures::options(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn human_marks_new_and_existing_and_notes_the_scope() {
    let text = scoped(Format::Human);
    let headers: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("error[") || line.starts_with("warning["))
        .collect();
    insta::assert_snapshot!(headers.join("\n") + "\n…\n" + tail(&text, 2));
}

#[test]
fn markdown_marks_new_and_existing_and_notes_the_scope() {
    let text = scoped(Format::Markdown);
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| {
            line.starts_with("- ") || line.starts_with('>') || line.contains(" in 7 files")
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn json_has_the_scope_and_each_findings_baseline() {
    let text = scoped(Format::Json);
    // The scope as written, in its written key order (a parsed `Value` sorts keys).
    let start = text.find("\"scope\": {").unwrap();
    let end = start + text[start..].find('}').unwrap() + 1;
    insta::assert_snapshot!(&text[start..end], @r#"
    "scope": {
        "changed_since": "origin/main",
        "changed_files": 2,
        "baseline": "origin/main"
      }
    "#);
    let report: Value = serde_json::from_str(&text).unwrap();
    let states: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["baseline"].as_str().unwrap())
        .collect();
    assert_eq!(states[0], "existing");
    assert!(states[1..].iter().all(|s| *s == "new"), "{states:?}");
    let summary = &report["summary"];
    assert_eq!(
        summary["new"].as_u64().unwrap() + summary["existing"].as_u64().unwrap(),
        summary["errors"].as_u64().unwrap() + summary["warnings"].as_u64().unwrap()
    );

    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/report.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::draft202012::options()
        .offline()
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert_eq!(errors, Vec::<String>::new());
}

#[test]
fn sarif_has_the_baseline_state() {
    let log: Value = serde_json::from_str(&scoped(Format::Sarif)).unwrap();
    let states: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["baselineState"].as_str().unwrap())
        .collect();
    assert_eq!(states[0], "unchanged");
    assert!(states[1..].iter().all(|s| *s == "new"), "{states:?}");
}

#[test]
fn without_a_scope_nothing_changes() {
    for &format in Format::ALL {
        let plain = crate::formats::output(format);
        assert!(!plain.contains("\"baseline\""), "{format}");
        assert!(!plain.contains("baselineState"), "{format}");
        assert!(!plain.contains("changed since"), "{format}");
    }
}

fn tail(text: &str, n: usize) -> &str {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(n);
    let offset: usize = lines[..start].iter().map(|l| l.len() + 1).sum();
    &text[offset..]
}
