//! `fasti validate FILE…`, as an editor's "check this file" task runs it: the whole dataset is
//! checked and only the findings that involve the named files are reported.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::Repo;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The JSON report of `fasti validate ARGS` run in `dir`.
fn report(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_fasti"))
        .arg("validate")
        .args(["--format", "json"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.code(), report)
}

fn involves(finding: &Value, file: &str) -> bool {
    finding["file"] == file
        || finding["related"]
            .as_array()
            .is_some_and(|related| related.iter().any(|r| r["file"] == file))
        || finding["adjudication"]["file"] == file
}

fn fingerprints<'a>(findings: impl IntoIterator<Item = &'a Value>) -> Vec<String> {
    let mut all: Vec<String> = findings
        .into_iter()
        .map(|f| f["fingerprint"].as_str().unwrap_or_default().to_owned())
        .collect();
    all.sort();
    all
}

/// On the bundled dataset (which this test did not write), each file's report holds exactly
/// the whole run's findings that involve it: none that the whole run does not give, and none
/// missing.
#[test]
fn each_file_gets_exactly_the_whole_runs_findings_that_involve_it() {
    let root = workspace();
    let (_, whole) = report(&root, &[]);
    let whole = whole["diagnostics"].as_array().unwrap().clone();
    let mut files: Vec<String> = Vec::new();
    for dir in ["sources", "sources/authority"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                files.push(format!(
                    "{dir}/{}",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    for file in &files {
        let (code, alone) = report(&root, &[file]);
        assert_eq!(code, Some(0), "{file}");
        let alone = alone["diagnostics"].as_array().unwrap();
        let expected = fingerprints(whole.iter().filter(|f| involves(f, file)));
        assert_eq!(fingerprints(alone), expected, "{file}");
        assert!(
            alone.iter().all(|f| involves(f, file)),
            "{file}: a finding that does not involve it"
        );
    }
}

/// Checked alone, a source's references to the authority resolve, and an adjudication in the
/// authority is used: nothing is reported about the file that the whole run would not report.
#[test]
fn a_file_is_checked_against_the_rest_of_the_dataset() {
    let repo = Repo::init();
    repo.write("sources/mal-es.yaml", &crate::bad("mal-es"));
    let (code, alone) = report(repo.path(), &["sources/cronica-es.yaml"]);
    assert_eq!(code, Some(0), "{alone}");
    assert_eq!(alone["diagnostics"], serde_json::json!([]));
    let (code, alone) = report(repo.path(), &["sources/mal-es.yaml"]);
    assert_eq!(code, Some(1));
    let rules: Vec<&str> = alone["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, ["invalid-date"]);
    // A directory keeps its meaning: the files under it, checked on their own.
    let (code, _) = report(repo.path(), &["sources"]);
    assert_eq!(code, Some(1));
}

#[test]
fn a_file_outside_the_repository_is_refused_with_the_reason() {
    let repo = Repo::init();
    let elsewhere = tempfile::tempdir().unwrap();
    let stray = elsewhere.path().join("stray-es.yaml");
    std::fs::write(&stray, crate::CLEAN).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_fasti"))
        .args(["validate", "--color", "never"])
        .arg(&stray)
        .current_dir(repo.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("is outside the repository that fasti checks") && stderr.contains("--root"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}
