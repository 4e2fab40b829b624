//! `narrative`: the `human` report as plain sentences, for screen readers and braille displays.
//!
//! No box drawing and no colour: every position is spelled out (`line 12, column 8`), and the
//! snippets are miette's `NarratableReportHandler`.

use std::io;

use fasti_diagnostics::Diagnostic;

use crate::files::{Files, Location};
use crate::human::Layout;
use crate::snippet::{self, Style};
use crate::{Novelty, RenderOptions, Report, adjudication, summary_line};

pub(crate) fn render(
    report: &Report<'_>,
    options: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    for d in report.diagnostics {
        let novelty = report.scope.novelty(d).map(Novelty::as_str);
        out.write_all(finding(d, novelty, report.files, options).as_bytes())?;
        writeln!(out)?;
    }
    if let Some(note) = report.scope.note() {
        writeln!(out, "note: {note}")?;
    }
    writeln!(out, "{}", summary_line(report))
}

fn finding(
    d: &Diagnostic,
    novelty: Option<&str>,
    files: &Files,
    options: &RenderOptions,
) -> String {
    let layout = Layout::of(d, files);
    let adjudicated = adjudication(d);
    let mut s = String::new();
    let mut status = String::new();
    if let Some(novelty) = novelty {
        status.push_str(novelty);
        status.push(' ');
    }
    if adjudicated.is_some() {
        status.push_str("adjudicated ");
    }
    s.push_str(&format!(
        "{status}{} {} ({}): {}\n",
        d.severity,
        d.rule.code(),
        d.rule.name(),
        d.message
    ));
    s.push_str(&format!("location: {}\n", spoken(&layout.primary)));
    if let Some(message) = layout.primary_message {
        s.push_str(&format!("label: {message}\n"));
    }
    for group in &layout.groups {
        if !group.primary_file {
            s.push_str(&format!("related location: {}\n", spoken(&group.first)));
        }
        s.push_str(&snippet::render(
            group.source,
            &group.labels,
            &Style::Narrative,
        ));
    }
    for (location, message) in &layout.loose {
        match message {
            Some(message) => s.push_str(&format!("related: {}: {message}\n", spoken(location))),
            None => s.push_str(&format!("related: {}\n", spoken(location))),
        }
    }
    if let Some(help) = &d.help {
        s.push_str(&format!("help: {help}\n"));
    }
    for note in &d.notes {
        s.push_str(&format!("note: {note}\n"));
    }
    if let Some((decision, reason, at)) = adjudicated {
        s.push_str(&format!(
            "adjudicated: {decision}, because {reason} (recorded in {})\n",
            spoken(&files.locate(at))
        ));
    }
    if !options.docs_url.is_empty() {
        s.push_str(&format!("documentation: {}\n", options.rule_url(d.rule)));
    }
    s
}

/// `sources/x.yaml, line 12, column 8`, or `sources/x.yaml, the whole file`.
fn spoken(location: &Location) -> String {
    match location.range {
        Some(range) => format!(
            "{}, line {}, column {}",
            location.file, range.start.line, range.start.column
        ),
        None if location.span.is_some() => format!("{}", location.file),
        None => format!("{}, the whole file", location.file),
    }
}
