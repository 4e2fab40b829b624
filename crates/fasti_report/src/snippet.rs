//! The bridge to miette: source snippets with labels, rendered by miette's handlers.
//!
//! fasti writes the header, location, help, notes and links of a finding itself (so that lines and
//! columns are counted in characters and CRLF files read right) and asks miette only for the
//! snippets. miette renders a diagnostic's message first; we give it a sentinel message and drop
//! that line.

use std::borrow::Cow;
use std::fmt;

use fasti_diagnostics::Span;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    NarratableReportHandler, SourceCode, SourceSpan, SpanContents,
};

use crate::files::SourceFile;
use crate::location::{LineIndex, clamp_span};

/// The message miette is given; its line is removed from the output.
const SENTINEL: &str = "\u{2063}fasti-snippet\u{2063}";

/// A label to draw in a snippet.
pub(crate) struct SnippetLabel {
    pub(crate) span: Span,
    pub(crate) message: Option<String>,
    pub(crate) primary: bool,
}

/// How snippets are drawn.
pub(crate) enum Style {
    Graphical { color: bool, width: usize },
    Narrative,
}

/// Lines longer than this are not drawn whole: a one-line file of megabytes would otherwise
/// print megabytes per finding. An excerpt around each label is shown instead.
const MAX_LINE: usize = 1000;

/// Characters shown on each side of a label in an excerpt of an over-long line.
const EXCERPT_CONTEXT: usize = 40;

/// Renders the labels in one file as a snippet, without a header line.
pub(crate) fn render(source: &SourceFile, labels: &[SnippetLabel], style: &Style) -> String {
    if labels
        .iter()
        .any(|label| line_around(&source.text, label.span).len() > MAX_LINE)
    {
        return excerpts(source, labels);
    }
    let labels: Vec<LabeledSpan> = labels
        .iter()
        .map(|label| {
            let span = clamp_span(&source.text, label.span);
            let span = SourceSpan::from((span.start, span.len()));
            if label.primary {
                LabeledSpan::new_primary_with_span(label.message.clone(), span)
            } else {
                LabeledSpan::new_with_span(label.message.clone(), span)
            }
        })
        .collect();
    let named = matches!(style, Style::Narrative);
    let snippet = Snippet {
        source: Text::new(source, named, &labels),
        labels,
    };
    let mut out = String::new();
    let rendered = match style {
        Style::Graphical { color, width } => {
            let theme = if *color {
                GraphicalTheme::unicode()
            } else {
                GraphicalTheme::unicode_nocolor()
            };
            GraphicalReportHandler::new_themed(theme)
                .with_width(*width)
                .with_links(false)
                .with_urls(false)
                .without_primary_span_start()
                .render_report(&mut out, &snippet)
        }
        Style::Narrative => NarratableReportHandler::new().render_report(&mut out, &snippet),
    };
    if rendered.is_err() {
        // miette could not read the span; the location line above the snippet still says where.
        return String::new();
    }
    strip_message(&out, style)
}

/// The line a span starts on, without its line break.
fn line_around(text: &str, span: Span) -> &str {
    let at = clamp_span(text, span).start;
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    &text[start..end]
}

/// One excerpt per label, for files whose lines are too long to draw whole:
/// `  12 │ …text around the label…` and a caret line under the label.
fn excerpts(source: &SourceFile, labels: &[SnippetLabel]) -> String {
    let text: &str = &source.text;
    let mut out = String::new();
    for label in labels {
        let span = clamp_span(text, label.span);
        let line = line_around(text, span);
        let line_start = text[..span.start].rfind('\n').map_or(0, |n| n + 1);
        let position = source.lines().position(text, span.start);
        let before: String = {
            let chars: Vec<char> = text[line_start..span.start].chars().collect();
            let skip = chars.len().saturating_sub(EXCERPT_CONTEXT);
            let mut shown: String = if skip > 0 {
                "…".to_owned()
            } else {
                String::new()
            };
            shown.extend(&chars[skip..]);
            shown
        };
        let line_end = line_start + line.len();
        let inside: String = text[span.start..span.end.min(line_end)]
            .chars()
            .take(EXCERPT_CONTEXT)
            .collect();
        let inside_cut = text[span.start..span.end.min(line_end)]
            .chars()
            .nth(EXCERPT_CONTEXT)
            .is_some();
        let after: String = if inside_cut {
            "…".to_owned()
        } else {
            let rest = &text[span.end.min(line_end)..line_end];
            let mut shown: String = rest.chars().take(EXCERPT_CONTEXT).collect();
            if rest.chars().count() > EXCERPT_CONTEXT {
                shown.push('…');
            }
            shown
        };
        let number = position.line.to_string();
        let gutter = " ".repeat(number.len());
        let width = line.chars().count();
        out.push_str(&format!(
            " {gutter} │ line {number} is {width} characters long; an excerpt:\n"
        ));
        out.push_str(&format!(" {number} │ {before}{inside}{after}\n"));
        let caret = "^".repeat(inside.chars().count().max(1));
        let message = label
            .message
            .as_deref()
            .map_or(String::new(), |m| format!(" {m}"));
        out.push_str(&format!(
            " {gutter} │ {}{caret}{message}\n",
            " ".repeat(before.chars().count())
        ));
    }
    out
}

/// Removes miette's message line (and, for the narrative handler, its severity line).
fn strip_message(out: &str, style: &Style) -> String {
    let skip = match style {
        Style::Graphical { .. } => 1,
        Style::Narrative => 2,
    };
    let mut lines = out.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    debug_assert!(
        first.contains(SENTINEL),
        "miette's first line is not its message: {first:?}"
    );
    let rest: String = lines.skip(skip - 1).collect();
    rest.trim_start_matches('\n').to_owned()
}

struct Snippet<'a> {
    source: Text<'a>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snippet")
            .field("file", &self.source.name)
            .finish()
    }
}

impl fmt::Display for Snippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SENTINEL)
    }
}

impl std::error::Error for Snippet<'_> {}

impl miette::Diagnostic for Snippet<'_> {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// A file's text as miette source code, with lines and columns counted the way fasti counts them
/// (miette counts columns in bytes).
struct Text<'a> {
    name: &'a str,
    text: Cow<'a, str>,
    lines: Cow<'a, LineIndex>,
    /// Whether miette should name the file (the narrative handler does; in graphical snippets the
    /// location line above says it).
    named: bool,
}

impl<'a> Text<'a> {
    /// miette 7.6 does not draw a label that touches the last character of its source (zkat/miette
    /// #465). When a label reaches the end of the file, miette is given the text with a line break
    /// appended (and, when the file does not end with one, a space before it, so that an empty
    /// span at the very end still sits on the last line). Offsets inside the file are unchanged.
    fn new(source: &'a SourceFile, named: bool, labels: &[LabeledSpan]) -> Text<'a> {
        let len = source.text.len();
        let touches_end = labels.iter().any(|l| l.offset() + l.len() >= len);
        if touches_end {
            let empty_at_end = labels.iter().any(|l| l.is_empty() && l.offset() >= len);
            let pad = if source.text.ends_with('\n') || !empty_at_end {
                "\n"
            } else {
                " \n"
            };
            let text = format!("{}{pad}", source.text);
            let lines = LineIndex::new(&text);
            Text {
                name: &source.name,
                text: Cow::Owned(text),
                lines: Cow::Owned(lines),
                named,
            }
        } else {
            Text {
                name: &source.name,
                text: Cow::Borrowed(&source.text),
                lines: Cow::Borrowed(source.lines()),
                named,
            }
        }
    }
}

impl SourceCode for Text<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &'a str = &self.text;
        let contents = text.read_span(span, context_lines_before, context_lines_after)?;
        let data = contents.data();
        let start = contents.span().offset();
        let position = self.lines.position(text, start);
        let (line, column) = (position.line - 1, position.column - 1);
        let line_count = contents.line_count();
        let contents_span = *contents.span();
        Ok(Box::new(if self.named {
            MietteSpanContents::new_named(
                self.name.to_owned(),
                data,
                contents_span,
                line,
                column,
                line_count,
            )
        } else {
            MietteSpanContents::new(data, contents_span, line, column, line_count)
        }))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn draw(text: &str, start: usize, end: usize) -> String {
        let source = SourceFile::new(Arc::from("x.yaml"), Arc::from(text));
        let label = SnippetLabel {
            span: Span { start, end },
            message: Some("here".into()),
            primary: true,
        };
        render(
            &source,
            &[label],
            &Style::Graphical {
                color: false,
                width: 80,
            },
        )
    }

    /// miette 7.6 alone drops these labels (zkat/miette #465).
    #[test]
    fn labels_at_the_end_of_the_file_are_drawn() {
        for (text, start, end) in [
            ("a: 1\nb: 2", 9, 10),
            ("a: 1\nb: 2", 10, 10),
            ("a: 1\nb: \"xy\n", 12, 12),
            ("a: 1\nb: \"xy\n", 11, 12),
            ("a: 1\r\nb: 2\r\n", 13, 13),
        ] {
            let out = draw(text, start, end);
            assert!(out.contains("╰── here"), "{text:?} {start}..{end}:\n{out}");
        }
    }

    #[test]
    fn an_empty_span_at_the_end_of_a_file_without_final_newline_stays_on_the_last_line() {
        let out = draw("a: 1\nb: 2", 10, 10);
        assert!(out.contains(" 2 │ b: 2"), "{out}");
        assert!(!out.contains(" 3 │"), "{out}");
    }

    #[test]
    fn narrative_snippets_name_the_file_and_count_columns_in_chars() {
        let text = "título: São Paulo\n";
        let source = SourceFile::new(Arc::from("x.yaml"), Arc::from(text));
        let label = SnippetLabel {
            span: Span { start: 9, end: 19 },
            message: Some("here".into()),
            primary: true,
        };
        let out = render(&source, &[label], &Style::Narrative);
        assert!(
            out.starts_with("Begin snippet for x.yaml starting at line 1, column 1"),
            "{out}"
        );
        assert!(
            out.contains("label at line 1, columns 9 to 17: here"),
            "{out}"
        );
    }

    #[test]
    fn an_over_long_line_is_shown_as_an_excerpt() {
        let mut text = String::from("id: x\ntitle: \"");
        text.push_str(&"a".repeat(5000));
        let at = text.len();
        text.push_str("BAD");
        text.push_str(&"b".repeat(5000));
        text.push_str("\"\n");
        let source = SourceFile::new("x.yaml".into(), text.as_str().into());
        let label = SnippetLabel {
            span: Span::new(at, at + 3),
            message: Some("here".to_owned()),
            primary: true,
        };
        let out = render(
            &source,
            &[label],
            &Style::Graphical {
                color: false,
                width: 100,
            },
        );
        assert!(out.len() < 400, "{} bytes: {out}", out.len());
        assert!(out.contains("line 2 is 10012 characters long"), "{out}");
        assert!(
            out.contains(" 2 │ …a") && out.contains("aBADb") && out.contains("^^^ here"),
            "{out}"
        );
    }
}
