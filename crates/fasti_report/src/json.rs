//! `json`: one JSON document, described by `schema/report.schema.json`.
//!
//! Keys come out in a fixed order (structs, never maps). Lines and columns are 1-based, columns in
//! Unicode scalar values; `end_line`/`end_column` are just past the last character (exclusive), and
//! spans are byte ranges into the file. All four positions and the span are `null` for a finding
//! about a file as a whole.
//!
//! `scope`, `summary.new`/`summary.existing` and each finding's `baseline` appear only when the run
//! was limited to changed files or compared with a baseline, so that other runs print exactly what
//! they printed before those options existed.

use std::io;

use fasti_diagnostics::{Diagnostic, Label};
use serde::Serialize;

use crate::files::{Files, Location};
use crate::{Counts, Novelty, RenderOptions, Report, adjudication, fingerprint, novelty_counts};

/// The version of this document's shape; bumped on incompatible changes.
pub(crate) const VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool<'a>,
    summary: JsonSummary,
    /// Only with `--changed-since` or `--baseline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<JsonScope<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonScope<'a> {
    changed_since: Option<&'a str>,
    changed_files: Option<usize>,
    baseline: Option<&'a str>,
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
    /// Open findings not in the baseline, and those in it; only with a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    new: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    existing: Option<usize>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    file: &'a str,
    #[serde(flatten)]
    position: Position,
    pointer: Option<&'a str>,
    label: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
    help: Option<&'a str>,
    notes: &'a [String],
    status: &'a str,
    adjudication: Option<JsonAdjudication<'a>>,
    fingerprint: String,
    url: String,
    /// `new` or `existing`; only with a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonSpan {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    #[serde(flatten)]
    position: Position,
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
#[derive(Serialize)]
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
    JsonRelated {
        file: &label.file,
        position: position(&files.locate(label)),
        message: label.message.as_deref(),
        pointer: label.anchor.pointer(),
    }
}

fn diagnostic<'a>(
    d: &'a Diagnostic,
    files: &Files,
    options: &RenderOptions,
    novelty: Option<Novelty>,
) -> JsonDiagnostic<'a> {
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
        position: position(&files.locate(&d.primary)),
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
        baseline: novelty.map(Novelty::as_str),
    }
}

pub(crate) fn render(
    report: &Report<'_>,
    options: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let counts = Counts::of(report.diagnostics);
    let novelty = novelty_counts(report);
    let scope = &report.scope;
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
            new: novelty.map(|(new, _)| new),
            existing: novelty.map(|(_, existing)| existing),
        },
        scope: (scope.changed.is_some() || scope.baseline.is_some()).then(|| JsonScope {
            changed_since: scope.changed.map(|c| c.since),
            changed_files: scope.changed.map(|c| c.files),
            baseline: scope.baseline.map(|b| b.name.as_str()),
        }),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| diagnostic(d, report.files, options, scope.novelty(d)))
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
