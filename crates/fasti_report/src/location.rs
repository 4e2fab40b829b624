//! Byte offsets to lines and columns.
//!
//! Lines are 1-based and end at `\n` or `\r\n` (a lone `\r` is an ordinary character, as in the
//! miette snippets). Columns are 1-based and count Unicode scalar values (`char`s), never bytes and
//! never the `\r` of a `\r\n`: this is SARIF's `unicodeCodePoints` column kind.

use fasti_diagnostics::Span;

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Position {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// The line and column of the character at `byte` in `text`.
///
/// `byte` is clamped to the text and moved back to a character boundary, so any offset is accepted.
/// The position just past the end of the text is valid (an empty span at the end of a file).
/// This scans the text; to locate many offsets in one file, [`crate::Files`] keeps a line index.
pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let index = LineIndex::new(text);
    let position = index.position(text, byte);
    (position.line, position.column)
}

/// The byte offset at which each line starts, computed once per file.
#[derive(Clone, Debug)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The number of lines (a text ending in a line break has an empty last line).
    pub(crate) fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The byte range of 1-based lines `first..=last`, without the final line break.
    pub(crate) fn lines_span(&self, text: &str, first: usize, last: usize) -> Span {
        let start = self
            .starts
            .get(first.max(1) - 1)
            .copied()
            .unwrap_or(text.len());
        let end = self.starts.get(last).map_or(text.len(), |&next| next - 1);
        let end = if text[..end.max(start)].ends_with('\r') {
            end - 1
        } else {
            end
        };
        Span {
            start,
            end: end.max(start),
        }
    }

    pub(crate) fn position(&self, text: &str, byte: usize) -> Position {
        let byte = floor_char_boundary(text, byte);
        // The number of line starts at or before `byte` is the 1-based line number.
        let line = self.starts.partition_point(|&start| start <= byte);
        let line_start = self.starts[line - 1];
        let mut before = &text[line_start..byte];
        // Between the `\r` and the `\n` of a line break: the `\r` is part of the break.
        if text.as_bytes().get(byte) == Some(&b'\n') {
            before = before.strip_suffix('\r').unwrap_or(before);
        }
        Position {
            line,
            column: before.chars().count() + 1,
        }
    }
}

/// The largest char boundary at or before `byte`, clamped to the text.
pub(crate) fn floor_char_boundary(text: &str, byte: usize) -> usize {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// The smallest char boundary at or after `byte`, clamped to the text.
pub(crate) fn ceil_char_boundary(text: &str, byte: usize) -> usize {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte += 1;
    }
    byte
}

/// `span` made safe for `text`: inside it, on char boundaries, never reversed.
pub(crate) fn clamp_span(text: &str, span: Span) -> Span {
    let start = floor_char_boundary(text, span.start);
    // An empty span stays empty, even when it points inside a character.
    let end = if span.end <= span.start {
        start
    } else {
        ceil_char_boundary(text, span.end)
    };
    Span { start, end }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_and_column_are_one() {
        assert_eq!(line_col("abc", 0), (1, 1));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn columns_count_chars_not_bytes() {
        let text = "título: São Paulo\n";
        let byte = text.find("São").unwrap_or_default();
        assert_eq!(byte, 9);
        assert_eq!(line_col(text, byte), (1, 9));
        // After `ã` (two bytes), the column advances by one.
        let after = text.find(" Paulo").unwrap_or_default();
        assert_eq!(line_col(text, after), (1, 12));
    }

    #[test]
    fn lines_end_at_lf() {
        let text = "a: 1\nb: 2\n";
        assert_eq!(line_col(text, 5), (2, 1));
        assert_eq!(line_col(text, 8), (2, 4));
        // The position just past a final newline is the start of an empty last line.
        assert_eq!(line_col(text, 10), (3, 1));
    }

    #[test]
    fn crlf_is_one_line_break_and_the_cr_is_not_a_column() {
        let text = "a: 1\r\nbé: 2\r\n";
        assert_eq!(line_col(text, 4), (1, 5), "at the \\r");
        assert_eq!(
            line_col(text, 5),
            (1, 5),
            "at the \\n: the \\r is not counted"
        );
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 10), (2, 4), "after the two-byte é");
        assert_eq!(line_col(text, text.len()), (3, 1));
    }

    #[test]
    fn lone_cr_is_a_character() {
        assert_eq!(line_col("a\rb", 2), (1, 3));
    }

    #[test]
    fn past_the_end_and_mid_char_offsets_are_clamped() {
        let text = "año";
        assert_eq!(line_col(text, 100), (1, 4));
        // Byte 2 is inside `ñ`: it belongs to the character starting at byte 1.
        assert_eq!(line_col(text, 2), (1, 2));
    }

    #[test]
    fn lines_span_excludes_the_final_line_break() {
        let text = "a\r\nbé\r\nc";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(
            &text[index.lines_span(text, 1, 2).start..index.lines_span(text, 1, 2).end],
            "a\r\nbé"
        );
        assert_eq!(index.lines_span(text, 3, 3), Span { start: 8, end: 9 });
    }

    #[test]
    fn spans_are_clamped_and_snapped() {
        let text = "año";
        assert_eq!(
            clamp_span(text, Span { start: 2, end: 2 }),
            Span { start: 1, end: 1 }
        );
        assert_eq!(
            clamp_span(text, Span { start: 1, end: 2 }),
            Span { start: 1, end: 3 }
        );
        assert_eq!(
            clamp_span(text, Span { start: 7, end: 9 }),
            Span { start: 4, end: 4 }
        );
    }
}
