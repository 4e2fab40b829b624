//! `human`: a graphical report for a terminal.
//!
//! ```text
//! error[T001] end-before-start: end date 1843-02-01 is before start date 1843-03-15
//!   --> sources/es/mayo.yaml:12:8
//!     ╭────
//!  11 │   start: 1843-03-15
//!  12 │   end: 1843-02-01
//!     ·        ─────┬────
//!     ·             ╰── ends here
//!     ╰────
//!   = help: swap the two dates
//!   = docs: https://…/docs/rules/end-before-start.md
//! ```
//!
//! The header and the `-->` line are fasti's; the snippets are miette's graphical handler.
//! Related labels in the primary file are drawn in its snippet; those in other files get their own
//! snippet under a `:::` line (as rustc does); labels that cannot be drawn (no span, or the file's
//! text is unknown) are listed as `= related:` lines. Adjudicated findings are shown, marked and
//! dimmed. With a baseline, every header says `(new)` or `(existing)`. The last line counts the
//! findings, after a `note:` line when only the findings in changed files are reported.

use std::io;

use fasti_diagnostics::{Diagnostic, Severity};

use crate::files::{Files, Location, SourceFile};
use crate::snippet::{self, SnippetLabel, Style};
use crate::{Novelty, RenderOptions, Report, adjudication, summary_line};

pub(crate) fn render(
    report: &Report<'_>,
    options: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let paint = Paint { on: options.color };
    let style = Style::Graphical {
        color: options.color,
        width: options.width,
    };
    for d in report.diagnostics {
        let novelty = report.scope.novelty(d).map(Novelty::as_str);
        let text = finding(d, novelty, report.files, options, &paint, &style);
        out.write_all(text.as_bytes())?;
        writeln!(out)?;
    }
    if let Some(note) = report.scope.note() {
        writeln!(out, "{}{note}", paint.paint(BOLD, "note: "))?;
    }
    writeln!(out, "{}", paint.paint(BOLD, &summary_line(report)))
}

fn finding(
    d: &Diagnostic,
    novelty: Option<&str>,
    files: &Files,
    options: &RenderOptions,
    paint: &Paint,
    style: &Style,
) -> String {
    let layout = Layout::of(d, files);
    let adjudicated = adjudication(d);
    let mut s = String::new();

    let severity_style = match (adjudicated.is_some(), d.severity) {
        (true, _) => DIM,
        (false, Severity::Error) => RED,
        (false, Severity::Warning) => YELLOW,
    };
    let marker = match (adjudicated.is_some(), novelty) {
        (true, Some(novelty)) => format!(" (adjudicated, {novelty})"),
        (true, None) => " (adjudicated)".to_owned(),
        (false, Some(novelty)) => format!(" ({novelty})"),
        (false, None) => String::new(),
    };
    let head = format!("{}[{}]", d.severity, d.rule.code());
    let rest = format!(" {}{marker}: {}", d.rule.name(), d.message);
    let rest_style = if adjudicated.is_some() { DIM } else { BOLD };
    s.push_str(&format!(
        "{}{}\n",
        paint.paint(severity_style, &head),
        paint.paint(rest_style, &rest)
    ));
    s.push_str(&format!(
        "  {} {}\n",
        paint.paint(BLUE, "-->"),
        layout.primary.display()
    ));

    for group in &layout.groups {
        if !group.primary_file {
            s.push_str(&format!(
                "  {} {}\n",
                paint.paint(BLUE, ":::"),
                group.first.display()
            ));
        }
        s.push_str(&snippet::render(group.source, &group.labels, style));
    }
    let width = options.width;
    if let Some(message) = layout.primary_message {
        s.push_str(&item(paint, "=", None, message, width));
    }
    for (location, message) in &layout.loose {
        let text = match message {
            Some(message) => format!("{}: {message}", location.display()),
            None => location.display(),
        };
        s.push_str(&item(paint, "=", Some("related"), &text, width));
    }
    if let Some(help) = &d.help {
        s.push_str(&item(paint, "=", Some("help"), help, width));
    }
    for note in &d.notes {
        s.push_str(&item(paint, "=", Some("note"), note, width));
    }
    if let Some((decision, reason, at)) = adjudicated {
        let at = files.locate(at);
        let text = format!("{decision} — {reason} ({})", at.display());
        s.push_str(&item(paint, "=", Some("adjudicated"), &text, width));
    }
    if !options.docs_url.is_empty() {
        s.push_str(&item(
            paint,
            "=",
            Some("docs"),
            &options.rule_url(d.rule),
            width,
        ));
    }
    s
}

/// `  = label: text`, wrapped to `width` with a hanging indent.
fn item(paint: &Paint, bullet: &str, label: Option<&str>, text: &str, width: usize) -> String {
    let prefix = match label {
        Some(label) => format!("  {bullet} {label}: "),
        None => format!("  {bullet} "),
    };
    let indent = " ".repeat(prefix.chars().count());
    let lines = wrap(text, width.saturating_sub(prefix.chars().count()).max(20));
    let mut s = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            s.push_str(&paint.paint(BOLD, &prefix));
        } else {
            s.push_str(&indent);
        }
        s.push_str(line);
        s.push('\n');
    }
    s
}

/// Greedy word wrap by characters; words longer than `width` stay whole. Keeps explicit newlines.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        let mut len = 0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let word_len = word.chars().count();
            if len > 0 && len + 1 + word_len > width {
                lines.push(std::mem::take(&mut line));
                len = 0;
            }
            if len > 0 {
                line.push(' ');
                len += 1;
            }
            line.push_str(word);
            len += word_len;
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Which labels are drawn in which snippet, and which are only listed.
pub(crate) struct Layout<'a> {
    pub(crate) primary: Location,
    /// The primary label's message when it has no snippet to be drawn in.
    pub(crate) primary_message: Option<&'a str>,
    /// One snippet per file, the primary's file first, then in order of appearance.
    pub(crate) groups: Vec<Group<'a>>,
    /// Related labels that cannot be drawn: no span, or the file's text is unknown.
    pub(crate) loose: Vec<(Location, Option<&'a str>)>,
}

pub(crate) struct Group<'a> {
    pub(crate) source: &'a SourceFile,
    /// Where the group's first label points (for the `:::` line).
    pub(crate) first: Location,
    pub(crate) primary_file: bool,
    pub(crate) labels: Vec<SnippetLabel>,
}

impl<'a> Layout<'a> {
    pub(crate) fn of(d: &'a Diagnostic, files: &'a Files) -> Layout<'a> {
        let primary = files.locate(&d.primary);
        let mut layout = Layout {
            primary: primary.clone(),
            primary_message: None,
            groups: Vec::new(),
            loose: Vec::new(),
        };
        match (primary.span, files.source(&d.primary.file)) {
            (Some(span), Some(source)) if primary.range.is_some() => layout.groups.push(Group {
                source,
                first: primary,
                primary_file: true,
                labels: vec![SnippetLabel {
                    span,
                    message: d.primary.message.clone(),
                    primary: true,
                }],
            }),
            _ => layout.primary_message = d.primary.message.as_deref(),
        }
        for label in &d.related {
            let location = files.locate(label);
            match (location.span, files.source(&label.file)) {
                (Some(span), Some(source)) if location.range.is_some() => {
                    let snippet_label = SnippetLabel {
                        span,
                        message: label.message.clone(),
                        primary: false,
                    };
                    match layout
                        .groups
                        .iter_mut()
                        .find(|g| *g.source.name == *label.file)
                    {
                        Some(group) => group.labels.push(snippet_label),
                        None => layout.groups.push(Group {
                            source,
                            first: location,
                            primary_file: false,
                            labels: vec![snippet_label],
                        }),
                    }
                }
                _ => layout.loose.push((location, label.message.as_deref())),
            }
        }
        layout
    }
}

const BOLD: &str = "1";
const DIM: &str = "2";
const RED: &str = "1;31";
const YELLOW: &str = "1;33";
const BLUE: &str = "1;34";

/// ANSI styling, or none.
struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_long_words() {
        assert_eq!(wrap("uno dos tres", 7), vec!["uno dos", "tres"]);
        assert_eq!(
            wrap("supercalifragilístico x", 5),
            vec!["supercalifragilístico", "x"]
        );
        assert_eq!(wrap("a\nb", 80), vec!["a", "b"]);
        assert_eq!(wrap("", 80), vec![""]);
    }
}
