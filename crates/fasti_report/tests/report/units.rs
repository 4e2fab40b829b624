//! Exit codes, fingerprints, the GitHub annotation caps and Markdown truncation.

use std::sync::Arc;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule, Severity, Span, Status};
use fasti_report::{ExitStatus, Files, Format, Report, Summary, exit_status, fingerprint, render};

use crate::fixtures;

fn finding(rule: Rule, file: &str, line: usize) -> Diagnostic {
    let mut label = Label::new(
        Arc::from(file),
        Anchor::value(format!("/events/{line}/date")),
    );
    label.span = Some(Span::new(line * 10, line * 10 + 4));
    Diagnostic::new(rule, format!("finding {line}"), label)
}

fn adjudicated(mut d: Diagnostic) -> Diagnostic {
    d.status = Status::Adjudicated {
        decision: "keep".into(),
        reason: "reviewed".into(),
        at: Box::new(Label::new(
            Arc::from("sources/authority/adjudications.yaml"),
            Anchor::File,
        )),
    };
    d
}

fn render_to_string(format: Format, diagnostics: &[Diagnostic], files: &Files) -> String {
    let report = Report {
        diagnostics,
        files,
        summary: Summary {
            files: 3,
            events: 40,
            not_shown: 0,
        },
        scope: Default::default(),
        dataset: None,
    };
    let mut out = Vec::new();
    render(format, &report, &fixtures::options(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn exit_status_fails_on_open_errors_only() {
    let error = finding(Rule::EndBeforeStart, "sources/a.yaml", 1);
    let warning = finding(Rule::OutsidePeriod, "sources/a.yaml", 2);
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(exit_status(&[], false), ExitStatus::Clean);
    assert_eq!(
        exit_status(std::slice::from_ref(&warning), false),
        ExitStatus::Clean
    );
    assert_eq!(
        exit_status(std::slice::from_ref(&warning), true),
        ExitStatus::Failing
    );
    assert_eq!(
        exit_status(std::slice::from_ref(&error), false),
        ExitStatus::Failing
    );
    assert_eq!(exit_status(&[adjudicated(error)], true), ExitStatus::Clean);
    assert_eq!(
        exit_status(&[adjudicated(warning)], true),
        ExitStatus::Clean
    );
    assert_eq!(ExitStatus::Clean as u8, 0);
    assert_eq!(ExitStatus::Failing as u8, 1);
    assert_eq!(ExitStatus::Error as u8, 2);
    assert_eq!(
        std::process::ExitCode::from(ExitStatus::Failing),
        std::process::ExitCode::from(1)
    );
}

#[test]
fn fingerprint_ignores_byte_offsets_but_not_the_message() {
    let d = fixtures::diagnostics()
        .into_iter()
        .find(|d| d.rule == Rule::EndBeforeStart)
        .unwrap();
    let fp = fingerprint(&d);
    assert_eq!(fp.len(), 16);
    assert!(fp.bytes().all(|b| b.is_ascii_hexdigit()));

    let mut moved = d.clone();
    moved.primary.span = moved
        .primary
        .span
        .map(|s| Span::new(s.start + 120, s.end + 120));
    moved.related[0].span = None;
    assert_eq!(
        fingerprint(&moved),
        fp,
        "moving the record must not change the fingerprint"
    );

    let mut adjudged = d.clone();
    adjudged.status = adjudicated(d.clone()).status;
    assert_eq!(
        fingerprint(&adjudged),
        fp,
        "adjudicating a finding keeps its identity"
    );

    let mut reworded = d.clone();
    reworded.message.push('!');
    assert_ne!(fingerprint(&reworded), fp);

    let mut elsewhere = d.clone();
    elsewhere.primary.anchor = Anchor::value("/events/2/end");
    assert_ne!(fingerprint(&elsewhere), fp);

    let mut other_file = d.clone();
    other_file.primary.file = Arc::from("sources/es/otro.yaml");
    assert_ne!(fingerprint(&other_file), fp);

    // Syntax errors are anchored by bytes: only the kind of anchor counts.
    let syntax = fixtures::diagnostics()
        .into_iter()
        .find(|d| d.rule == Rule::SyntaxError)
        .unwrap();
    let mut shifted = syntax.clone();
    shifted.primary.anchor = Anchor::Bytes { start: 7, end: 7 };
    assert_eq!(fingerprint(&shifted), fingerprint(&syntax));
}

/// The value is pinned: a change to the hash input changes every fingerprint users have stored.
#[test]
fn fingerprint_is_pinned() {
    let d = finding(Rule::EndBeforeStart, "sources/a.yaml", 1);
    insta::assert_snapshot!(fingerprint(&d), @"e1fb610ac76c2741");
}

#[test]
fn github_caps_annotations_at_ten_per_kind() {
    let mut diagnostics: Vec<Diagnostic> = (1..=25)
        .map(|i| finding(Rule::EndBeforeStart, "sources/a.yaml", i))
        .collect();
    diagnostics.extend((1..=3).map(|i| finding(Rule::OutsidePeriod, "sources/b.yaml", i)));
    diagnostics
        .extend((1..=12).map(|i| adjudicated(finding(Rule::SourcesDisagree, "sources/c.yaml", i))));
    let out = render_to_string(Format::Github, &diagnostics, &Files::new());
    let lines: Vec<&str> = out.lines().collect();
    let count = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count("::error "), 10);
    assert_eq!(count("::warning "), 3);
    // 9 adjudicated notices and the summary.
    assert_eq!(count("::notice "), 10);
    let last = lines.last().unwrap();
    assert!(last.starts_with("::notice title=fasti summary::"), "{last}");
    assert!(
        last.contains("18 findings are not shown as annotations"),
        "{last}"
    );
    // Errors come first.
    assert!(lines[0].starts_with("::error "));
    assert!(lines[10].starts_with("::warning "));
}

#[test]
fn github_always_ends_with_the_summary() {
    let diagnostics = vec![finding(Rule::EndBeforeStart, "sources/a.yaml", 1)];
    let out = render_to_string(Format::Github, &diagnostics, &Files::new());
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("::notice title=fasti summary::fasti: 1 error in 3 files (40 events)."),
        "{last}"
    );
    assert!(!last.contains("not shown"));
    assert_eq!(
        render_to_string(Format::Github, &[], &Files::new()),
        "::notice title=fasti summary::fasti: no problems in 3 files (40 events). See the job summary or the SARIF report for the full list.\n"
    );
}

#[test]
fn github_escapes_messages_and_properties() {
    let mut d = finding(Rule::EndBeforeStart, "sources/a,b:c.yaml", 1);
    d.message = "50% done\r\nnext".into();
    let out = render_to_string(Format::Github, &[d], &Files::new());
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        "::error file=sources/a%2Cb%3Ac.yaml,title=T001 end-before-start::50%25 done%0D%0Anext"
    );
}

#[test]
fn markdown_stays_under_the_limit() {
    let mut files = Files::new();
    let text = "x: 1\n".repeat(50_000);
    files.insert("sources/big.yaml", text.as_str());
    let mut diagnostics: Vec<Diagnostic> = (0..40_000)
        .map(|i| {
            let mut d = finding(Rule::UnknownReference, "sources/big.yaml", i);
            d.message = format!(
                "`ref-{i}` is not an event in the authority files, and this message is long"
            );
            d
        })
        .collect();
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let out = render_to_string(Format::Markdown, &diagnostics, &files);
    assert!(out.len() <= 1024 * 1024, "{} bytes", out.len());
    assert!(out.contains("This summary is truncated"));
    assert!(out.contains("findings are not shown"));
}

#[test]
fn markdown_escapes_findings() {
    let mut d = finding(Rule::EndBeforeStart, "sources/a.yaml", 1);
    d.message = "a|b *c* _d_ `e` <script>".into();
    let out = render_to_string(Format::Markdown, &[d], &Files::new());
    assert!(
        out.contains(r"a\|b \*c\* \_d\_ `e` &lt;script&gt;"),
        "{out}"
    );
}
