//! The catalogue of slips: `tests/fixtures/slips/<slip>/`, one common mistake each, as a new
//! contributor makes them (a missing colon, a tab, a misspelled month, an adjudication naming a
//! source by a wrong id...).
//!
//! Each slip holds only the files it changes; they are laid over `slips/base/`, a small clean
//! dataset. `slip.txt` says what the slip is and, on its `first:` line, the rule, file, line and
//! column of the first finding fasti must print: the cause, never a consequence of it. The whole
//! human report is snapshotted (`snapshots/slips__<slip>.snap`).
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test -p fasti --test slips`, then read
//! every changed one.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use fasti::CheckOptions;
use fasti_report::Format;

#[path = "../support/render.rs"]
mod render;
use render::rendered;

fn slips() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/slips")
}

/// Copies every file under `from` into `to`, keeping the relative paths.
fn lay(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            fs::create_dir_all(&target).unwrap();
            lay(&path, &target);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn the_first_finding_of_every_slip_is_its_cause() {
    let mut names: Vec<String> = fs::read_dir(slips())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "base")
        .collect();
    names.sort();
    assert!(names.len() >= 30, "the catalogue has {} slips", names.len());

    let clean = {
        let dir = tempfile::tempdir().unwrap();
        lay(&slips().join("base"), dir.path());
        let options = CheckOptions {
            root: dir.path().to_path_buf(),
            paths: Vec::new(),
            adjudicate: true,
        };
        fasti::check(&options).unwrap()
    };
    assert!(
        clean.diagnostics.iter().all(|d| d.is_adjudicated()),
        "the base dataset is not clean: {:#?}",
        clean.diagnostics
    );

    for name in names {
        let slip = slips().join(&name);
        let text = fs::read_to_string(slip.join("slip.txt")).unwrap();
        let first = text
            .lines()
            .find_map(|line| line.strip_prefix("first: "))
            .unwrap_or_else(|| panic!("{name}/slip.txt has no `first:` line"));

        let dir = tempfile::tempdir().unwrap();
        lay(&slips().join("base"), dir.path());
        lay(&slip, dir.path());
        let options = CheckOptions {
            root: dir.path().to_path_buf(),
            paths: Vec::new(),
            adjudicate: true,
        };
        let outcome = fasti::check(&options).unwrap();

        let json: serde_json::Value =
            serde_json::from_str(&rendered(&outcome, Format::Json)).unwrap();
        let found = &json["diagnostics"][0];
        let shown = format!(
            "{} {}:{}:{}",
            found["rule"].as_str().unwrap_or("(none)"),
            found["file"].as_str().unwrap_or(""),
            found["line"],
            found["column"]
        );
        assert_eq!(shown, first, "{name}: the first finding is not the cause");
        insta::assert_snapshot!(name.clone(), rendered(&outcome, Format::Human));
    }
}
