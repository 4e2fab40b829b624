//! `github`: GitHub Actions workflow commands, shown as annotations on the run and the diff.
//!
//! ```text
//! ::error file=sources/es/mayo.yaml,line=12,endLine=12,col=8,endColumn=17,title=T001 end-before-start::end date … is before …%0Ahelp: swap the two dates
//! ```
//!
//! GitHub shows at most 10 error and 10 warning annotations per step, so this emits the open
//! errors first, then the open warnings, at most 10 of each, then adjudicated findings as notices
//! while there is room (at most 9, keeping one for the last line). The last line is always a
//! `::notice` with the summary, saying how many findings were not annotated and where to find
//! all of them (the job summary written by `--format markdown`, or the SARIF upload).
//! `col`/`endColumn` are given only for one-line spans; `endColumn` is the last character's column
//! (inclusive). Escaping follows `@actions/core`: `%`, `\r`, `\n` in messages; also `:` and `,` in
//! properties.

use std::io;

use fasti_diagnostics::{Diagnostic, Severity};

use crate::{RenderOptions, Report, adjudication, plural, summary_line};

/// Annotations GitHub shows per step, per kind.
pub(crate) const MAX_PER_KIND: usize = 10;

pub(crate) fn render(
    report: &Report<'_>,
    _options: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let open = |severity| {
        report
            .diagnostics
            .iter()
            .filter(move |d| !d.is_adjudicated() && d.severity == severity)
    };
    let errors: Vec<&Diagnostic> = open(Severity::Error).collect();
    let warnings: Vec<&Diagnostic> = open(Severity::Warning).collect();
    let adjudicated: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_adjudicated())
        .collect();

    let mut shown = 0;
    for d in errors.iter().take(MAX_PER_KIND) {
        writeln!(out, "{}", annotation("error", d, report))?;
        shown += 1;
    }
    for d in warnings.iter().take(MAX_PER_KIND) {
        writeln!(out, "{}", annotation("warning", d, report))?;
        shown += 1;
    }
    for d in adjudicated.iter().take(MAX_PER_KIND - 1) {
        writeln!(out, "{}", annotation("notice", d, report))?;
        shown += 1;
    }

    let hidden = report.diagnostics.len() - shown;
    let mut summary = format!("fasti: {}.", summary_line(report));
    if hidden > 0 {
        summary.push_str(&format!(
            " {} not shown as annotations (GitHub shows at most {MAX_PER_KIND} errors and {MAX_PER_KIND} warnings per step).",
            plural(hidden, "finding is", "findings are")
        ));
    }
    if let Some(note) = report.scope.note() {
        summary.push_str(&format!(" Note: {note}."));
    }
    summary.push_str(" See the job summary or the SARIF report for the full list.");
    writeln!(
        out,
        "::notice title={}::{}",
        escape_property("fasti summary"),
        escape_data(&summary)
    )
}

fn annotation(kind: &str, d: &Diagnostic, report: &Report<'_>) -> String {
    let location = report.files.locate(&d.primary);
    let mut properties = vec![format!("file={}", escape_property(&d.primary.file))];
    if let Some(range) = location.range {
        properties.push(format!("line={}", range.start.line));
        properties.push(format!("endLine={}", range.last.line));
        if range.start.line == range.last.line {
            properties.push(format!("col={}", range.start.column));
            properties.push(format!("endColumn={}", range.last.column));
        }
    }
    let mut title = format!("{} {}", d.rule.code(), d.rule.name());
    match (d.is_adjudicated(), report.scope.novelty(d)) {
        (true, Some(novelty)) => title.push_str(&format!(" (adjudicated, {})", novelty.as_str())),
        (true, None) => title.push_str(" (adjudicated)"),
        (false, Some(novelty)) => title.push_str(&format!(" ({})", novelty.as_str())),
        (false, None) => {}
    }
    properties.push(format!("title={}", escape_property(&title)));

    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    if let Some((decision, reason, _)) = adjudication(d) {
        message.push_str(&format!("\nadjudicated: {decision} — {reason}"));
    }
    format!(
        "::{kind} {}::{}",
        properties.join(","),
        escape_data(&message)
    )
}

/// `escapeData` of `@actions/core`.
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `escapeProperty` of `@actions/core`.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks() {
        assert_eq!(
            escape_data("100% sure\r\nnext: a, b"),
            "100%25 sure%0D%0Anext: a, b"
        );
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
