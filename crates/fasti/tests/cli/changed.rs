//! `--changed-since REV`: the whole dataset is checked; only the findings that involve changed
//! files are reported, and only they decide the exit code.

use crate::{PLACES, Repo, bad, findings, text, transcript, warned};

fn pair(file: &str, rule: &str) -> (String, String) {
    (file.to_owned(), rule.to_owned())
}

#[test]
fn only_findings_in_changed_files_are_reported() {
    let repo = Repo::init();
    repo.write("sources/viejo-es.yaml", &bad("viejo-es"));
    repo.commit("an old error");
    repo.git(&["switch", "--quiet", "--create", "topic"]);
    repo.write("sources/nuevo-es.yaml", &bad("nuevo-es"));
    repo.commit("a new error");

    let output = repo.validate(&["--changed-since", "main"]);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    insta::assert_snapshot!(transcript(&output));

    // Without the flag, both errors are reported.
    let all = repo.validate(&["--format", "json"]);
    assert_eq!(
        findings(&text(&all.stdout)),
        [
            pair("sources/nuevo-es.yaml", "invalid-date"),
            pair("sources/viejo-es.yaml", "invalid-date")
        ]
    );
}

#[test]
fn an_unchanged_branch_reports_nothing_and_exits_0_despite_old_errors() {
    let repo = Repo::init();
    repo.write("sources/viejo-es.yaml", &bad("viejo-es"));
    repo.commit("an old error");
    let output = repo.validate(&["--changed-since", "HEAD"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    insta::assert_snapshot!(text(&output.stdout), @r"
    note: only findings that involve the 0 files changed since `HEAD`, or files whose records reference them, are reported; the whole dataset was checked
    no problems in 4 files (2 events)
    ");
}

#[test]
fn uncommitted_and_untracked_files_count_as_changed() {
    let repo = Repo::init();
    repo.write("sources/viejo-es.yaml", &bad("viejo-es"));
    repo.write("sources/otro-es.yaml", &bad("otro-es"));
    repo.commit("two old errors");
    // Modified but not staged, and never added.
    repo.write(
        "sources/otro-es.yaml",
        &bad("otro-es").replace("title: Mal", "title: Mal, otra vez"),
    );
    repo.write("sources/suelto-es.yaml", &bad("suelto-es"));
    let output = repo.validate(&["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        findings(&text(&output.stdout)),
        [
            pair("sources/otro-es.yaml", "invalid-date"),
            pair("sources/suelto-es.yaml", "invalid-date")
        ]
    );
}

#[test]
fn a_changed_authority_file_reports_the_sources_that_reference_it() {
    let repo = Repo::init();
    // Two sources with a warning each: one lists a place, the other does not.
    repo.write(
        "sources/con-lugar-es.yaml",
        &warned("con-lugar-es", "Sicilia"),
    );
    repo.write(
        "sources/sin-lugar-es.yaml",
        &warned("sin-lugar-es", "").replace("    places: []\n", ""),
    );
    repo.commit("two warnings");
    repo.write(
        "sources/authority/places.yaml",
        &format!("{PLACES}  - id: malta\n    names: {{en: Malta, es: Malta}}\n    kind: island\n"),
    );
    let output = repo.validate(&["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert_eq!(
        findings(&text(&output.stdout)),
        [pair("sources/con-lugar-es.yaml", "date-language-mismatch")]
    );
}

#[test]
fn a_deleted_authority_entry_reports_the_references_it_breaks() {
    let repo = Repo::init();
    repo.write("sources/authority/places.yaml", "places: []\n");
    let output = repo.validate(&["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    // The event's own `region` and the source's `places` both named the deleted place.
    assert_eq!(
        findings(&text(&output.stdout)),
        [
            pair("sources/authority/events.yaml", "unknown-reference"),
            pair("sources/cronica-es.yaml", "unknown-reference")
        ]
    );
}

#[test]
fn a_changed_configuration_reports_everything() {
    let repo = Repo::init();
    repo.write("sources/viejo-es.yaml", &bad("viejo-es"));
    repo.commit("an old error");
    repo.write("fasti.toml", "[dataset]\nperiod = \"1940/1945\"\n");
    let output = repo.validate(&["--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        findings(&text(&output.stdout)),
        [pair("sources/viejo-es.yaml", "invalid-date")]
    );
    assert!(
        text(&output.stderr).contains("fasti.toml or schema/ changed since `HEAD`"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn the_markdown_summary_says_it_is_limited_to_changed_files() {
    let repo = Repo::init();
    repo.write("sources/nuevo-es.yaml", &bad("nuevo-es"));
    let output = repo.validate(&["--changed-since", "HEAD", "--format", "markdown"]);
    assert_eq!(output.status.code(), Some(1));
    let markdown = text(&output.stdout);
    assert!(
        markdown.contains("> Only findings that involve the 1 file changed since `HEAD`"),
        "{markdown}"
    );
}

#[test]
fn an_unknown_revision_exits_2() {
    let repo = Repo::init();
    let output = repo.validate(&["--changed-since", "no-such-branch"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("`no-such-branch` is not a commit"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(text(&output.stdout), "");
}

#[test]
fn outside_a_git_repository_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repo::init();
    // A copy of the dataset with no `.git`.
    for file in [
        "fasti.toml",
        "sources/authority/events.yaml",
        "sources/authority/places.yaml",
        "sources/cronica-es.yaml",
    ] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(repo.path().join(file), to).unwrap();
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_fasti"))
        .args(["validate", "--changed-since", "HEAD"])
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
}
