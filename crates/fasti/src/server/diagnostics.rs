//! fasti's findings as LSP diagnostics, for the open files.

use std::collections::BTreeMap;
use std::str::FromStr;

use fasti_diagnostics::{Diagnostic, Label, Severity, Status};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, Range, Uri,
};

use super::World;

/// Where each rule's page is published: the page is this followed by `<name>.md`. The same base
/// as `fasti validate --docs-url` uses by default.
pub(crate) const DOCS_URL: &str = "https://github.com/fasti-dev/fasti/blob/main/docs/rules/";

/// The diagnostics of each open document, from the last check.
pub(crate) fn by_document(world: &World) -> BTreeMap<Uri, Vec<lsp_types::Diagnostic>> {
    let mut found: BTreeMap<Uri, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
    for document in world.documents.values() {
        found.entry(document.uri.clone()).or_default();
        if document.name.is_none() {
            found
                .entry(document.uri.clone())
                .or_default()
                .push(outside(world));
        }
    }
    let findings: &[Diagnostic] = match &world.outcome {
        Some(Ok(outcome)) => &outcome.diagnostics,
        Some(Err(error)) => &error.diagnostics,
        None => &[],
    };
    for finding in findings {
        let Some(document) = world
            .documents
            .values()
            .find(|d| d.name.as_deref() == Some(&*finding.primary.file))
        else {
            continue;
        };
        if let Some(diagnostic) = convert(world, finding) {
            found
                .entry(document.uri.clone())
                .or_default()
                .push(diagnostic);
        }
    }
    found
}

fn outside(world: &World) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: Range::default(),
        severity: Some(DiagnosticSeverity::INFORMATION),
        source: Some("fasti".to_owned()),
        message: format!(
            "this file is outside the repository fasti checks ({}): its names and dates are \
             not checked; open the folder of its own repository",
            world
                .root
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ),
        ..lsp_types::Diagnostic::default()
    }
}

/// The range of a label in its file, when the file's text is known.
pub(crate) fn range_of(world: &World, label: &Label) -> Option<(Uri, Range)> {
    let uri = world.uri(&label.file)?;
    let range = match label.span {
        Some(span) => {
            let (text, lines) = world.text_of(&label.file).or_else(|| {
                let outcome = world.outcome.as_ref()?.as_ref().ok()?;
                let text = outcome.files.get(&label.file)?;
                Some((text.into(), super::text::LineIndex::new(text)))
            })?;
            lines.range(&text, span, world.encoding)
        }
        None => Range::new(Position::new(0, 0), Position::new(0, 0)),
    };
    Some((uri, range))
}

/// One finding as an LSP diagnostic: an adjudicated one as information (an error) or a hint (a
/// warning), never as an error.
pub(crate) fn convert(world: &World, finding: &Diagnostic) -> Option<lsp_types::Diagnostic> {
    let (_, range) = range_of(world, &finding.primary)?;
    let severity = match (&finding.status, finding.severity) {
        (Status::Open, Severity::Error) => DiagnosticSeverity::ERROR,
        (Status::Open, Severity::Warning) => DiagnosticSeverity::WARNING,
        (Status::Adjudicated { .. }, Severity::Error) => DiagnosticSeverity::INFORMATION,
        (Status::Adjudicated { .. }, Severity::Warning) => DiagnosticSeverity::HINT,
    };
    let mut message = finding.message.clone();
    if let Status::Adjudicated { decision, .. } = &finding.status {
        message = format!("{message} (adjudicated: {decision})");
    }
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    for note in &finding.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    let mut related = Vec::new();
    for label in &finding.related {
        if let Some((uri, range)) = range_of(world, label) {
            related.push(DiagnosticRelatedInformation {
                location: Location::new(uri, range),
                message: label
                    .message
                    .clone()
                    .unwrap_or_else(|| "related".to_owned()),
            });
        }
    }
    if let Status::Adjudicated { reason, at, .. } = &finding.status
        && let Some((uri, range)) = range_of(world, at)
    {
        related.push(DiagnosticRelatedInformation {
            location: Location::new(uri, range),
            message: format!("adjudicated here: {reason}"),
        });
    }
    let href = Uri::from_str(&format!("{DOCS_URL}{}.md", finding.rule.name())).ok();
    Some(lsp_types::Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.rule.code().to_owned())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some("fasti".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        // What the code actions need: an adjudication names the rule, the event and the sources.
        data: Some(serde_json::json!({
            "rule": finding.rule.name(),
            "event": finding.event,
            "sources": finding.sources,
        })),
    })
}
