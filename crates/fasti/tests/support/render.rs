//! A report rendered as the test binaries snapshot it: no colour, 100 columns, a fixed docs URL
//! and tool version. Each test binary that renders includes this file as a module
//! (`#[path = "../support/render.rs"] mod render;`).

use fasti::Outcome;
use fasti_report::{Format, RenderOptions, Report, render};

pub(crate) fn rendered(outcome: &Outcome, format: Format) -> String {
    let report = Report {
        diagnostics: &outcome.diagnostics,
        files: &outcome.files,
        summary: outcome.summary,
        scope: Default::default(),
        dataset: None,
    };
    let options = RenderOptions {
        color: false,
        width: 100,
        docs_url: "https://example.invalid/rules/".to_owned(),
        tool_version: "test",
    };
    let mut out = Vec::new();
    render(format, &report, &options, &mut out).unwrap_or_else(|e| panic!("render: {e}"));
    String::from_utf8(out).unwrap_or_else(|e| panic!("render: {e}"))
}
