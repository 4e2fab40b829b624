//! Exit codes (0 clean, 1 findings at error level, 2 could not run), `--deny warnings` and
//! `--output`.

use crate::{Repo, bad, text, transcript, warned};

#[test]
fn exit_codes_0_1_2() {
    let repo = Repo::init();
    assert_eq!(repo.validate(&[]).status.code(), Some(0));
    repo.write("sources/mal-es.yaml", &bad("mal-es"));
    assert_eq!(repo.validate(&[]).status.code(), Some(1));
    repo.write("fasti.toml", "[dataset\n");
    let output = repo.validate(&[]);
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert_eq!(
        repo.validate(&["--format", "yaml"]).status.code(),
        Some(2),
        "an unknown format is a usage error"
    );
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let repo = Repo::init();
    repo.write("sources/aviso-es.yaml", &warned("aviso-es", "Sicilia"));
    let output = repo.validate(&[]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let output = repo.validate(&["--deny", "warnings"]);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    insta::assert_snapshot!(text(&output.stdout).lines().last().unwrap(), @"1 warning in 4 files (2 events)");
}

/// Annotations on standard output, four reports to files.
const OUTPUTS: &[&str] = &[
    "--format",
    "github",
    "--output",
    "markdown=reports/summary.md",
    "--output",
    "sarif=reports/fasti.sarif",
    "--output",
    "json=fasti.json",
    "--output",
    "junit=fasti.xml",
];

#[test]
fn outputs_are_written_beside_the_standard_output() {
    let repo = Repo::init();
    repo.write("sources/mal-es.yaml", &bad("mal-es"));
    let output = repo.validate(OUTPUTS);
    // `--output` needs its directory to exist.
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    std::fs::create_dir(repo.path().join("reports")).unwrap();
    let output = repo.validate(OUTPUTS);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    insta::assert_snapshot!(text(&output.stdout));
    let read = |path: &str| std::fs::read_to_string(repo.path().join(path)).unwrap();
    assert!(read("reports/summary.md").starts_with("## fasti report\n"));
    let sarif: serde_json::Value = serde_json::from_str(&read("reports/fasti.sarif")).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "D002");
    let json: serde_json::Value = serde_json::from_str(&read("fasti.json")).unwrap();
    assert_eq!(json["summary"]["errors"], 1);
    assert!(read("fasti.xml").contains("<failure"));
}

#[test]
fn a_report_is_never_written_into_the_dataset() {
    let repo = Repo::init();
    let output = repo.validate(&["--output", "json=sources/report.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!repo.path().join("sources/report.json").exists());
}
