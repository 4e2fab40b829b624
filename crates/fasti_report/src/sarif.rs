//! `sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
//!
//! One run. `tool.driver.rules` lists the rules that have findings, in the registry's order, with `id` the
//! code (`T001`) and `name` the rule's name (`end-before-start`), as ruff does. Columns are
//! Unicode code points (`columnKind`), `endColumn` is exclusive, and regions also carry the byte
//! span (`byteOffset`, `byteLength`), the text (`snippet`) and the lines around it
//! (`contextRegion`), so that viewers without a checkout can show them. A finding about a whole
//! file points at its first line.
//! Adjudicated findings have level `note` and an accepted external suppression whose
//! justification is the decision and reason. `partialFingerprints["fasti/v1"]` is
//! [`crate::fingerprint`].

use std::collections::BTreeSet;
use std::io;

use fasti_diagnostics::{Diagnostic, Label, Rule, Severity};
use serde::Serialize;

use crate::files::Files;
use crate::{Novelty, RenderOptions, Report, adjudication, fingerprint};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'a str,
    version: &'a str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'a str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    information_uri: &'a str,
    rules: Vec<ReportingDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Message,
    full_description: Message,
    help_uri: String,
    help: MultiformatMessage<'a>,
    default_configuration: Configuration<'a>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration<'a> {
    level: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: PartialFingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    /// `new` or `unchanged` when compared with a baseline (SARIF §3.27.24).
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_region: Option<ContextRegion>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Snippet>,
}

#[derive(Serialize)]
struct Snippet {
    text: String,
}

/// The lines around a region, so that viewers without a checkout can show them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContextRegion {
    start_line: usize,
    end_line: usize,
    snippet: Snippet,
}

#[derive(Serialize)]
struct PartialFingerprints {
    #[serde(rename = "fasti/v1")]
    fasti_v1: String,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A path as a relative URI reference: percent-encode what is not allowed unescaped.
fn uri(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
            s.push(char::from(byte));
        } else {
            s.push_str(&format!("%{byte:02X}"));
        }
    }
    s
}

fn physical_location(label: &Label, files: &Files) -> PhysicalLocation {
    let location = files.locate(label);
    let source = files.source(&label.file);
    let (region, context_region) = match (location.range, location.span, source) {
        (Some(range), Some(span), Some(source)) => {
            let region = Region {
                start_line: range.start.line,
                start_column: Some(range.start.column),
                end_line: Some(range.end.line),
                end_column: Some(range.end.column),
                byte_offset: Some(span.start),
                byte_length: Some(span.len()),
                snippet: Some(Snippet {
                    text: source.text[span.start..span.end].to_owned(),
                }),
            };
            let first = range.start.line.saturating_sub(1).max(1);
            let last = (range.last.line + 1).min(source.lines().line_count());
            let lines = source.lines().lines_span(&source.text, first, last);
            let context = ContextRegion {
                start_line: first,
                end_line: last,
                snippet: Snippet {
                    text: source.text[lines.start..lines.end].to_owned(),
                },
            };
            (region, Some(context))
        }
        // The file as a whole, or a file whose text we do not have: its first line.
        _ => (
            Region {
                start_line: 1,
                start_column: None,
                end_line: None,
                end_column: None,
                byte_offset: None,
                byte_length: None,
                snippet: None,
            },
            None,
        ),
    };
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri(&label.file),
            uri_base_id: "%SRCROOT%",
        },
        region,
        context_region,
    }
}

/// The text under `## What it checks` in a rule's docs, or its summary.
fn full_description(rule: Rule) -> String {
    let docs = rule.docs();
    let section = docs
        .split_once("## What it checks")
        .map(|(_, rest)| rest.split("\n## ").next().unwrap_or_default().trim())
        .filter(|s| !s.is_empty());
    section.map_or_else(|| rule.summary().to_owned(), str::to_owned)
}

/// SARIF messages are sentences.
fn sentence(text: &str) -> String {
    let mut s = String::new();
    let mut chars = text.chars();
    if let Some(first) = chars.next() {
        s.extend(first.to_uppercase());
        s.push_str(chars.as_str());
    }
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}

pub(crate) fn render(
    report: &Report<'_>,
    options: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let used: BTreeSet<Rule> = report.diagnostics.iter().map(|d| d.rule).collect();
    let used: Vec<Rule> = used.into_iter().collect();
    let rules = used
        .iter()
        .map(|&rule| ReportingDescriptor {
            id: rule.code(),
            name: rule.name(),
            short_description: Message {
                text: sentence(rule.summary()),
            },
            full_description: Message {
                text: full_description(rule),
            },
            help_uri: options.rule_url(rule),
            help: MultiformatMessage {
                text: rule.docs(),
                markdown: rule.docs(),
            },
            default_configuration: Configuration {
                level: level(rule.default_severity()),
            },
        })
        .collect();
    let results = report
        .diagnostics
        .iter()
        .map(|d| result(d, &used, report.files, report.scope.novelty(d)))
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "fasti",
                    version: options.tool_version,
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn result(d: &Diagnostic, rules: &[Rule], files: &Files, novelty: Option<Novelty>) -> SarifResult {
    let adjudicated = adjudication(d);
    let mut text = sentence(&d.message);
    if let Some(help) = &d.help {
        text.push_str(&format!("\nHelp: {}", sentence(help)));
    }
    SarifResult {
        rule_id: d.rule.code(),
        rule_index: rules.iter().position(|&r| r == d.rule).unwrap_or_default(),
        level: if adjudicated.is_some() {
            "note"
        } else {
            level(d.severity)
        },
        message: Message { text },
        locations: vec![SarifLocation {
            id: None,
            physical_location: physical_location(&d.primary, files),
            message: d
                .primary
                .message
                .as_ref()
                .map(|m| Message { text: sentence(m) }),
        }],
        related_locations: d
            .related
            .iter()
            .enumerate()
            .map(|(i, label)| SarifLocation {
                id: Some(i + 1),
                physical_location: physical_location(label, files),
                message: label
                    .message
                    .as_ref()
                    .map(|m| Message { text: sentence(m) }),
            })
            .collect(),
        partial_fingerprints: PartialFingerprints {
            fasti_v1: fingerprint(d),
        },
        suppressions: adjudicated
            .map(|(decision, reason, _)| Suppression {
                kind: "external",
                status: "accepted",
                justification: format!("{decision}: {reason}"),
            })
            .into_iter()
            .collect(),
        baseline_state: novelty.map(|novelty| match novelty {
            Novelty::New => "new",
            Novelty::Existing => "unchanged",
        }),
    }
}
