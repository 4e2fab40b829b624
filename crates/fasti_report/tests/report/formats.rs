//! One snapshot per format.

use fasti_report::{Format, Report, render};

use crate::fixtures;

pub fn output(format: Format) -> String {
    let diagnostics = fixtures::diagnostics();
    let files = fixtures::files();
    let report = Report {
        diagnostics: &diagnostics,
        files: &files,
        summary: fixtures::summary(),
        scope: Default::default(),
        dataset: None,
    };
    let mut out = Vec::new();
    render(format, &report, &fixtures::options(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn human() {
    insta::assert_snapshot!(output(Format::Human));
}

#[test]
fn narrative() {
    insta::assert_snapshot!(output(Format::Narrative));
}

#[test]
fn json() {
    insta::assert_snapshot!(output(Format::Json));
}

#[test]
fn sarif() {
    insta::assert_snapshot!(output(Format::Sarif));
}

#[test]
fn github() {
    insta::assert_snapshot!(output(Format::Github));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(output(Format::Markdown));
}

#[test]
fn junit() {
    insta::assert_snapshot!(output(Format::Junit));
}

#[test]
fn every_format_is_deterministic() {
    for &format in Format::ALL {
        assert_eq!(output(format), output(format), "{format}");
    }
}

#[test]
fn human_output_has_no_colour_unless_asked() {
    let text = output(Format::Human);
    assert!(!text.contains('\x1b'));
    let diagnostics = fixtures::diagnostics();
    let files = fixtures::files();
    let report = Report {
        diagnostics: &diagnostics,
        files: &files,
        summary: fixtures::summary(),
        scope: Default::default(),
        dataset: None,
    };
    let mut out = Vec::new();
    let options = fasti_report::RenderOptions {
        color: true,
        ..fixtures::options()
    };
    render(Format::Human, &report, &options, &mut out).unwrap();
    assert!(String::from_utf8(out).unwrap().contains("\x1b["));
}

#[test]
fn empty_report() {
    let files = fasti_report::Files::new();
    let report = Report {
        diagnostics: &[],
        files: &files,
        summary: fixtures::summary(),
        scope: Default::default(),
        dataset: None,
    };
    let mut out = Vec::new();
    render(Format::Human, &report, &fixtures::options(), &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "no problems in 7 files (63 events)\n"
    );
}
