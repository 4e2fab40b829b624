//! `junit`: JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure Pipelines).
//!
//! fasti knows its findings, not a list of passing checks, so the report has one test suite,
//! `fasti`, with one test case per finding, named `CODE rule-name at file:line:column`, with the
//! file as its class name:
//! - an open error is a `<failure type="error">`;
//! - an open warning is also a `<failure>`, of `type="warning"`, so that it is seen (JUnit has no
//!   warning outcome); the exit code, not the failure count, says whether the run failed;
//! - an adjudicated finding is `<skipped>`, with the decision and reason as its message.
//!
//! A run without findings has one passing test case saying what was checked. No timestamps or
//! durations are written, so the output is reproducible.

use std::io;

use fasti_diagnostics::Diagnostic;
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use crate::files::Files;
use crate::{RenderOptions, Report, adjudication, summary_line};

pub(crate) fn render(
    report: &Report<'_>,
    options: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let mut suite = TestSuite::new("fasti");
    suite.add_property(("fasti.version", options.tool_version));
    if report.diagnostics.is_empty() {
        let name = format!("fasti: {}", summary_line(report));
        suite.add_test_case(TestCase::new(name, TestCaseStatus::success()));
    }
    for d in report.diagnostics {
        suite.add_test_case(test_case(d, report.files, options));
    }
    let mut junit = quick_junit::Report::new("fasti");
    junit.add_test_suite(suite);
    let xml = junit.to_string().map_err(io::Error::other)?;
    out.write_all(xml.as_bytes())?;
    writeln!(out)
}

fn test_case(d: &Diagnostic, files: &Files, options: &RenderOptions) -> TestCase {
    let location = files.locate(&d.primary);
    let name = format!(
        "{} {} at {}",
        d.rule.code(),
        d.rule.name(),
        location.display()
    );
    let mut description = format!("{}\n  --> {}\n", d.message, location.display());
    for label in &d.related {
        let related = files.locate(label);
        match &label.message {
            Some(message) => {
                description.push_str(&format!("  = related: {}: {message}\n", related.display()))
            }
            None => description.push_str(&format!("  = related: {}\n", related.display())),
        }
    }
    if let Some(help) = &d.help {
        description.push_str(&format!("  = help: {help}\n"));
    }
    for note in &d.notes {
        description.push_str(&format!("  = note: {note}\n"));
    }
    if !options.docs_url.is_empty() {
        description.push_str(&format!("  = docs: {}\n", options.rule_url(d.rule)));
    }
    let mut status = match adjudication(d) {
        Some((decision, reason, _)) => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(format!("adjudicated: {decision} — {reason}"));
            status.set_type("adjudicated");
            status
        }
        None => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(d.message.clone());
            status.set_type(d.severity.as_str());
            status
        }
    };
    status.set_description(description);
    let mut case = TestCase::new(name, status);
    case.set_classname(d.primary.file.to_string());
    case
}
