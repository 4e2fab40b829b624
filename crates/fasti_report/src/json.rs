//! `json`: one JSON document, described by `schema/report.schema.json`.
//!
//! Keys come out in a fixed order (structs, never maps). Lines and columns are 1-based, columns in
//! Unicode scalar values; `end_line`/`end_column` are just past the last character (exclusive), and
//! spans are byte ranges into the file. All four positions and the span are `null` for a finding
//! about a file as a whole.

use std::io;

use fasti_diagnostics::{Diagnostic, Label};
use serde::Serialize;

use crate::files::{Files, Location};
use crate::{Counts, RenderOptions, Report, adjudication, fingerprint};

/// The version of this document's shape; bumped on incompatible changes.
pub(crate) const VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool<'a>,
    summary: JsonSummary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    events: usize,
    errors: usize,
    warnings: usize,
    adjudicated: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    span: Option<JsonSpan>,
    pointer: Option<&'a str>,
    label: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
    help: Option<&'a str>,
    notes: &'a [String],
    status: &'a str,
    adjudication: Option<JsonAdjudication<'a>>,
    fingerprint: String,
    url: String,
}

#[derive(Serialize)]
struct JsonSpan {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    span: Option<JsonSpan>,
    message: Option<&'a str>,
    pointer: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonAdjudication<'a> {
    decision: &'a str,
    reason: &'a str,
    file: &'a str,
    line: Option<usize>,
    pointer: Option<&'a str>,
}

/// Lines, columns and span of a location, in the order the JSON lists them.
struct Position {
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    span: Option<JsonSpan>,
}

fn position(location: &Location) -> Position {
    Position {
        line: location.range.map(|r| r.start.line),
        column: location.range.map(|r| r.start.column),
        end_line: location.range.map(|r| r.end.line),
        end_column: location.range.map(|r| r.end.column),
        span: location.span.map(|s| JsonSpan {
            start: s.start,
            end: s.end,
        }),
    }
}

fn related<'a>(label: &'a Label, files: &Files) -> JsonRelated<'a> {
    let p = position(&files.locate(label));
    JsonRelated {
        file: &label.file,
        line: p.line,
        column: p.column,
        end_line: p.end_line,
        end_column: p.end_column,
        span: p.span,
        message: label.message.as_deref(),
        pointer: label.anchor.pointer(),
    }
}

fn diagnostic<'a>(d: &'a Diagnostic, files: &Files, options: &RenderOptions) -> JsonDiagnostic<'a> {
    let p = position(&files.locate(&d.primary));
    let adjudication = adjudication(d).map(|(decision, reason, at)| JsonAdjudication {
        decision,
        reason,
        file: &at.file,
        line: files.locate(at).line(),
        pointer: at.anchor.pointer(),
    });
    JsonDiagnostic {
        rule: d.rule.name(),
        code: d.rule.code(),
        severity: d.severity.as_str(),
        message: &d.message,
        file: &d.primary.file,
        line: p.line,
        column: p.column,
        end_line: p.end_line,
        end_column: p.end_column,
        span: p.span,
        pointer: d.primary.anchor.pointer(),
        label: d.primary.message.as_deref(),
        related: d
            .related
            .iter()
            .map(|label| related(label, files))
            .collect(),
        help: d.help.as_deref(),
        notes: &d.notes,
        status: if adjudication.is_some() {
            "adjudicated"
        } else {
            "open"
        },
        adjudication,
        fingerprint: fingerprint(d),
        url: options.rule_url(d.rule),
    }
}

pub(crate) fn render(
    report: &Report<'_>,
    options: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let counts = Counts::of(report.diagnostics);
    let document = JsonReport {
        version: VERSION,
        tool: Tool {
            name: "fasti",
            version: options.tool_version,
        },
        summary: JsonSummary {
            files: report.summary.files,
            events: report.summary.events,
            errors: counts.errors,
            warnings: counts.warnings,
            adjudicated: counts.adjudicated,
        },
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| diagnostic(d, report.files, options))
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
