//! The `fasti` binary as a user runs it: exit codes, standard output and standard error.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

mod date_findings;

fn fasti(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fasti"))
        .args(args)
        .current_dir(dir)
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A small dataset in a temporary directory: one clean source and its authority.
fn dataset() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, content: &str| {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    };
    write("fasti.toml", "[dataset]\nperiod = \"1939/1945\"\n");
    write(
        "sources/authority/events.yaml",
        "events:\n  - id: allied-invasion-of-sicily\n    names: {en: Allied invasion of Sicily, es: Invasión aliada de Sicilia}\n    date: 1943-07-10\n    end: 1943-08-17\n    region: sicily\n",
    );
    write(
        "sources/authority/places.yaml",
        "places:\n  - id: sicily\n    names: {en: Sicily, es: Sicilia}\n    kind: island\n",
    );
    write(
        "sources/cronica-es.yaml",
        "id: cronica-es\ntitle: Crónica\nlanguage: es\nkind: article\nevents:\n  - event: allied-invasion-of-sicily\n    date: 10 de julio de 1943\n    title: Desembarco en Sicilia\n    places: [Sicilia]\n    locator: ¶1\n",
    );
    dir
}

#[test]
fn a_clean_dataset_exits_0_with_a_one_line_summary() {
    let dir = dataset();
    let output = fasti(dir.path(), &["validate"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    insta::assert_snapshot!(text(&output.stdout), @"no problems in 3 files (1 event)");
    assert_eq!(text(&output.stderr), "");
}

#[test]
fn a_bad_record_is_reported_at_its_line_and_column_and_exits_1() {
    let dir = dataset();
    fs::write(
        dir.path().join("sources/mal-es.yaml"),
        "id: mal-es\ntitle: Mal\nlanguage: es\nkind: article\nevents:\n  - event: allied-invasion-of-sicily\n    date: 31 de junio de 1943\n    title: Desembarco\n    locator: ¶1\n",
    )
    .unwrap();
    let output = fasti(dir.path(), &["validate"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("--> sources/mal-es.yaml:7:11"), "{stdout}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn a_broken_configuration_exits_2() {
    let dir = dataset();
    fs::write(
        dir.path().join("fasti.toml"),
        "[dataset]\nperiode = \"1939\"\n",
    )
    .unwrap();
    let output = fasti(dir.path(), &["validate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("unknown field `periode`"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn rules_lists_every_rule_and_explain_prints_one() {
    let dir = dataset();
    let rules = fasti(dir.path(), &["rules"]);
    assert_eq!(rules.status.code(), Some(0));
    let listed = text(&rules.stdout);
    for rule in fasti_diagnostics::Rule::ALL {
        assert!(
            listed.contains(rule.name()),
            "{} missing from `fasti rules`",
            rule.name()
        );
    }
    let explain = fasti(dir.path(), &["explain", "T001"]);
    assert_eq!(explain.status.code(), Some(0));
    assert!(text(&explain.stdout).starts_with("# end-before-start"));
    let unknown = fasti(dir.path(), &["explain", "no-such-rule"]);
    assert_eq!(unknown.status.code(), Some(2));
    let misspelled = fasti(dir.path(), &["explain", "contradict-authority"]);
    assert_eq!(misspelled.status.code(), Some(2));
    assert!(
        text(&misspelled.stderr).contains("did you mean `contradicts-authority`?"),
        "{}",
        text(&misspelled.stderr)
    );
}

#[test]
fn date_prints_the_json_contract() {
    let dir = dataset();
    let output = fasti(
        dir.path(),
        &["date", "--lang", "es", "3 de septiembre de 1943"],
    );
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(text(&output.stdout), @r#"{"input":"3 de septiembre de 1943","lang":"es","edtf":"1943-09-03","earliest":"1943-09-03","latest":"1943-09-03","precision":"day","approximate":false,"uncertain":false}"#);
    let rejected = fasti(dir.path(), &["date", "--lang", "es", "31 de junio de 1943"]);
    assert_eq!(rejected.status.code(), Some(1));
}

#[test]
fn export_prints_a_table_and_writes_every_table_whole() {
    let dir = dataset();
    let output = fasti(dir.path(), &["export"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    insta::assert_snapshot!(text(&output.stdout).replace("\r\n", "\n"), @r"
    source,language,event,title,date,end,edtf,end_edtf,earliest,latest,precision,qualifiers,assumed,date_error,places,actors,part_of,after,before,caused_by,locator,unresolved,file,line,pointer
    cronica-es,es,allied-invasion-of-sicily,Desembarco en Sicilia,10 de julio de 1943,,1943-07-10,,1943-07-10,1943-07-10,day,,,,sicily,,,,,,¶1,,sources/cronica-es.yaml,6,/events/0
    ");
    let output = fasti(
        dir.path(),
        &["export", "--table", "places", "--format", "jsonl"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    insta::assert_snapshot!(text(&output.stdout), @r#"{"id":"sicily","names":{"en":"Sicily","es":"Sicilia"},"kind":"island","within":null,"ancestors":[],"unresolved":[],"file":"sources/authority/places.yaml","line":2,"pointer":"/places/0"}"#);

    let output = fasti(
        dir.path(),
        &["export", "--out-dir", "tables", "--format", "jsonl"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let mut written: Vec<String> = fs::read_dir(dir.path().join("tables"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "claims.jsonl",
            "events.jsonl",
            "people.jsonl",
            "places.jsonl"
        ]
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("tables/people.jsonl")).unwrap(),
        ""
    );

    for refused in ["sources/tables", "schema", "tables/../sources"] {
        let output = fasti(dir.path(), &["export", "--out-dir", refused]);
        assert_eq!(output.status.code(), Some(2), "{refused}");
        assert!(
            text(&output.stderr).contains("refusing to write into the repository's"),
            "{}",
            text(&output.stderr)
        );
    }
    assert!(!dir.path().join("sources/tables").exists());
    assert!(!dir.path().join("schema").exists());
}

#[test]
fn export_says_which_files_are_missing_from_the_tables_and_exits_1() {
    let dir = dataset();
    fs::write(
        dir.path().join("sources/rota.yaml"),
        "id: rota\nevents: [\n",
    )
    .unwrap();
    let output = fasti(dir.path(), &["export"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(
            "1 file could not be read, so the tables lack their records: sources/rota.yaml"
        ),
        "{stderr}"
    );
    // The rest is exported all the same.
    assert!(text(&output.stdout).contains("\ncronica-es,es,allied-invasion-of-sicily,"));
    let output = fasti(dir.path(), &["validate", "--format", "html"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains(
        "<strong>Not drawn:</strong> 1 file could not be read, so none of its records is on this page: <code>sources/rota.yaml</code>."
    ));
}

#[test]
fn the_timeline_shows_hostile_text_as_text() {
    let dir = dataset();
    fs::write(
        dir.path().join("sources/hostil.yaml"),
        "id: hostil\ntitle: \"<img src=x onerror=alert(1)>\"\nlanguage: es\nkind: article\nevents:\n  - event: allied-invasion-of-sicily\n    date: 10 de julio de 1943\n    title: \"</script><script>alert(document.domain)</script>\"\n    places: [\"<b>Sicilia</b>\"]\n    locator: \"\\\" onmouseover=\\\"alert(2)\"\n",
    )
    .unwrap();
    let output = fasti(dir.path(), &["validate", "--format", "html"]);
    let page = text(&output.stdout);
    assert!(page.contains("&lt;/script&gt;&lt;script&gt;alert(document.domain)&lt;/script&gt;"));
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!page.contains("<img") && !page.contains("<b>Sicilia"));
    assert!(!page.contains("\" onmouseover=\"alert"));
    // The unknown place is a finding, listed under its event, as text.
    assert!(page.contains("&lt;b&gt;Sicilia&lt;/b&gt;"), "{page}");
}

/// A path named on the command line that does not exist: the run could not check what was
/// asked (exit 2), and that is the first thing it says, alone or beside a file that exists.
#[test]
fn a_missing_path_is_named_first_and_exits_2() {
    let dir = dataset();
    for args in [
        &["validate", "sources/nope.yaml"][..],
        &["validate", "sources/cronica-es.yaml", "sources/nope.yaml"][..],
    ] {
        let output = fasti(dir.path(), args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
        let stdout = text(&output.stdout);
        assert!(
            stdout.starts_with("error[S002] unreadable-file: `sources/nope.yaml` does not exist"),
            "{args:?}: {stdout}"
        );
    }
}
