//! `--baseline REV|FILE` and `--fail-on new`: bring in a large import with its errors, then fail
//! only on the errors a change adds.

use crate::{Repo, bad, text, transcript};

/// A repository whose `main` has one old error and whose `topic` branch adds a new one.
fn import() -> Repo {
    let repo = Repo::init();
    repo.write("sources/viejo-es.yaml", &bad("viejo-es"));
    repo.commit("a large import, errors and all");
    repo.git(&["switch", "--quiet", "--create", "topic"]);
    repo.write("sources/nuevo-es.yaml", &bad("nuevo-es"));
    repo.commit("a new error");
    repo
}

#[test]
fn a_revision_baseline_marks_findings_new_or_existing() {
    let repo = import();
    let output = repo.validate(&["--baseline", "main"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(transcript(&output));
}

#[test]
fn fail_on_new_ignores_existing_findings() {
    let repo = import();
    // The topic branch adds an error: it fails.
    let output = repo.validate(&["--baseline", "main", "--fail-on", "new"]);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    // Compared with itself, every finding is existing: it passes, and still lists them.
    let output = repo.validate(&["--baseline", "HEAD", "--fail-on", "new"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let stdout = text(&output.stdout);
    assert_eq!(stdout.matches("(existing)").count(), 2, "{stdout}");
    assert!(
        stdout.ends_with("2 errors in 5 files (3 events); 0 new, 2 existing since the baseline\n"),
        "{stdout}"
    );
    // Without `--fail-on new`, existing errors still fail the run.
    let output = repo.validate(&["--baseline", "HEAD"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_revision_baseline_leaves_the_repository_as_it_was() {
    let repo = import();
    repo.write("sources/suelto-es.yaml", &bad("suelto-es"));
    let status = repo.git(&["status", "--porcelain"]);
    let worktrees = repo.git(&["worktree", "list", "--porcelain"]);
    let output = repo.validate(&["--baseline", "main", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(repo.git(&["status", "--porcelain"]), status);
    assert_eq!(repo.git(&["worktree", "list", "--porcelain"]), worktrees);
    // The untracked file is in the working tree, not in `main`: new.
    let report: serde_json::Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    let states: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["baseline"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        [
            ("sources/nuevo-es.yaml", "new"),
            ("sources/suelto-es.yaml", "new"),
            ("sources/viejo-es.yaml", "existing"),
        ]
    );
    assert_eq!(report["summary"]["new"], 2);
    assert_eq!(report["summary"]["existing"], 1);
    assert_eq!(report["scope"]["baseline"], "main");
}

#[test]
fn a_json_report_is_a_baseline_too() {
    let repo = Repo::init();
    repo.write("sources/viejo-es.yaml", &bad("viejo-es"));
    // The report of the import, kept outside the dataset.
    let output = repo.validate(&["--output", "json=baseline.json"]);
    assert_eq!(output.status.code(), Some(1));
    repo.write("sources/nuevo-es.yaml", &bad("nuevo-es"));

    let output = repo.validate(&["--baseline", "baseline.json", "--fail-on", "new"]);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("error[D002] invalid-date (new)")
            && stdout.contains("error[D002] invalid-date (existing)"),
        "{stdout}"
    );

    // Fix the new error: only the existing one is left, and the run passes.
    std::fs::remove_file(repo.path().join("sources/nuevo-es.yaml")).unwrap();
    let output = repo.validate(&["--baseline", "baseline.json", "--fail-on", "new"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
}

#[test]
fn a_baseline_that_is_not_a_report_exits_2() {
    let repo = Repo::init();
    repo.write("notes.json", "{\"hello\": 1}");
    let output = repo.validate(&["--baseline", "notes.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("is not a version 1 fasti JSON report"),
        "{}",
        text(&output.stderr)
    );
    let output = repo.validate(&["--baseline", "neither-file-nor-branch"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("is neither a file nor a git revision"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn fail_on_new_needs_a_baseline() {
    let repo = Repo::init();
    let output = repo.validate(&["--fail-on", "new"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("--baseline"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn changed_since_and_baseline_combine() {
    let repo = import();
    repo.write("sources/suelto-es.yaml", &bad("suelto-es"));
    let output = repo.validate(&[
        "--changed-since",
        "HEAD",
        "--baseline",
        "main",
        "--fail-on",
        "new",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&text(&output.stdout)).unwrap();
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(report["diagnostics"][0]["file"], "sources/suelto-es.yaml");
    assert_eq!(report["diagnostics"][0]["baseline"], "new");
    assert_eq!(report["scope"]["changed_since"], "HEAD");
    assert_eq!(report["scope"]["changed_files"], 1);
}
