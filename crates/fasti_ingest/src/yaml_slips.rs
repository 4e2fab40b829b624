//! The YAML slips people make most, explained in plain words at the line that causes them.
//!
//! saphyr reports where its scanner gave up, in the YAML specification's words ("mapping values
//! are not allowed in this context", "simple key expect ':'"), often a line or two after the
//! mistake. This module looks at the text around that place and, when it recognizes a common
//! slip (a missing colon, a tab, a `: ` inside a value, an unclosed quote or bracket, a key out of
//! line), names it, points at its cause and says what to type instead. Written by hand: no YAML
//! crate explains its errors for people who are not programmers, and the recognition is a few
//! line-based heuristics over the text, not a second parser. When nothing fits, the caller keeps
//! the parser's own words.

/// A recognized slip: what to say, what to type instead, and the bytes that cause it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Slip {
    pub(crate) message: String,
    pub(crate) help: String,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// One line of the text: where it starts, and its text without the line break.
#[derive(Clone, Copy)]
struct Line<'t> {
    number: usize,
    start: usize,
    text: &'t str,
}

impl<'t> Line<'t> {
    fn indent(self) -> usize {
        self.text.len() - self.text.trim_start_matches(' ').len()
    }

    fn content(self) -> &'t str {
        self.text.trim_start_matches(' ').trim_end()
    }

    fn is_blank_or_comment(self) -> bool {
        let content = self.content();
        content.is_empty() || content.starts_with('#')
    }

    /// The content after any `- ` list markers, and the column where it starts.
    fn entry(self) -> (usize, &'t str) {
        let mut column = self.indent();
        let mut content = self.content();
        while let Some(rest) = content.strip_prefix("- ") {
            let trimmed = rest.trim_start_matches(' ');
            column += content.len() - trimmed.len();
            content = trimmed;
        }
        (column, content)
    }

    /// The key of a `key: value` line, if it has one.
    fn key(self) -> Option<&'t str> {
        let (_, entry) = self.entry();
        let end = key_end(entry)?;
        Some(&entry[..end])
    }

    fn end(self) -> usize {
        self.start + self.text.trim_end().len()
    }
}

/// Where a plain `key: value` entry's key ends: the first `: ` or a final `:`, outside quotes.
fn key_end(entry: &str) -> Option<usize> {
    if entry.starts_with(['"', '\'', '[', '{', '#']) {
        return None;
    }
    let bytes = entry.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|&b| b == b' '))
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut start = 0;
    text.split('\n')
        .enumerate()
        .map(|(index, raw)| {
            let line = Line {
                number: index + 1,
                start,
                text: raw.strip_suffix('\r').unwrap_or(raw),
            };
            start += raw.len() + 1;
            line
        })
        .collect()
}

/// The nearest line before `index` that holds something.
fn previous(lines: &[Line<'_>], index: usize) -> Option<usize> {
    (0..index).rev().find(|&i| !lines[i].is_blank_or_comment())
}

/// Recognizes the slip behind the parser's error `info`, noticed at byte `at`.
pub(crate) fn explain(text: &str, info: &str, at: usize) -> Option<Slip> {
    let at = at.min(text.len());
    let slip = recognize(text, info, at)?;
    let within = slip.start < slip.end
        && slip.end <= text.len()
        && text.is_char_boundary(slip.start)
        && text.is_char_boundary(slip.end);
    within.then_some(slip)
}

fn recognize(text: &str, info: &str, at: usize) -> Option<Slip> {
    let lines = lines(text);
    let index = lines.iter().rposition(|line| line.start <= at).unwrap_or(0);
    if info.contains("tab") {
        return tab(&lines, index);
    }
    if info.contains("quoted scalar") && !info.contains("trailing") {
        return unclosed_quote(&lines, index, at);
    }
    if info.contains("trailing content after") && info.contains("quoted scalar") {
        return quote_inside(&lines, index);
    }
    if let Some(slip) = unclosed_bracket(&lines, index, info) {
        return Some(slip);
    }
    if info.contains("expect ':'") || info.contains("expected ':'") {
        return missing_colon(&lines, index);
    }
    if info.contains("mapping values are not allowed") {
        return colon_in_value(&lines, index, at)
            .or_else(|| dash_without_space(&lines, index))
            .or_else(|| missing_colon(&lines, index))
            .or_else(|| out_of_line(&lines, index));
    }
    if info.contains("did not find expected") || info.contains("expected key") {
        return dash_without_space(&lines, index).or_else(|| out_of_line(&lines, index));
    }
    None
}

/// A tab in the indentation of the line the parser stopped at, or of the one before.
fn tab(lines: &[Line<'_>], index: usize) -> Option<Slip> {
    let candidates = [
        Some(index),
        index.checked_sub(1),
        lines.get(index + 1).map(|_| index + 1),
    ];
    let line = candidates
        .into_iter()
        .flatten()
        .map(|i| lines[i])
        .find(|line| {
            line.text
                .bytes()
                .take_while(|b| *b == b' ' || *b == b'\t')
                .any(|b| b == b'\t')
        })?;
    let tab = line.text.find('\t')?;
    let above = lines[..line.number - 1]
        .iter()
        .rev()
        .find(|l| !l.is_blank_or_comment() && !l.text.starts_with('\t'));
    let help = match above {
        // The line above opens a block (`events:`): its content goes further in.
        Some(above) if above.content().ends_with(':') => format!(
            "replace the tab with spaces: {} spaces put it under `{}`",
            above.entry().0 + 2,
            above.content()
        ),
        Some(above) => format!(
            "replace the tab with spaces: {} spaces line it up with line {}",
            above.entry().0,
            above.number
        ),
        None => "replace the tab with spaces".to_owned(),
    };
    Some(Slip {
        message: format!(
            "line {} is indented with a tab; YAML indents with spaces only",
            line.number
        ),
        help,
        start: line.start + tab,
        end: line.start + tab + 1,
    })
}

/// `title: "Desembarco` with no closing quote: the parser reports the opening quote.
fn unclosed_quote(lines: &[Line<'_>], index: usize, at: usize) -> Option<Slip> {
    let line = lines[index];
    let quote = *line.text.as_bytes().get(at - line.start)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let quote = char::from(quote);
    let value = line.text[at - line.start..].trim_end();
    let key = line
        .key()
        .map_or_else(String::new, |key| format!("{key}: "));
    Some(Slip {
        message: format!("the quote {quote} that opens this value is never closed"),
        help: format!("close it at the end of the value: `{key}{value}{quote}`"),
        start: at,
        end: at + 1,
    })
}

/// `title: "Las tropas" aliadas`: quotes that close before the value ends.
fn quote_inside(lines: &[Line<'_>], index: usize) -> Option<Slip> {
    let line = lines[index];
    let (_, entry) = line.entry();
    let key = &entry[..key_end(entry)?];
    let value = entry[key.len() + 1..].trim();
    let inner = value.replace('"', "'");
    // The whole value, from its opening quote.
    let at = line.start + line.text.find(value)?;
    Some(Slip {
        message: format!(
            "the quotes around part of the value of `{key}` close before the value ends"
        ),
        help: format!("quote the whole value, with other quotes inside: `{key}: \"{inner}\"`"),
        start: at,
        end: line.end().max(at + 1),
    })
}

/// A `[` or `{` opened on an earlier line (or this one) and never closed.
fn unclosed_bracket(lines: &[Line<'_>], index: usize, info: &str) -> Option<Slip> {
    let flow_words = [
        "flow sequence",
        "flow mapping",
        "',' or ']'",
        "',' or '}'",
        "placement of ':'",
    ];
    if !flow_words.iter().any(|w| info.contains(w)) {
        return None;
    }
    for i in (0..=index).rev().take(20) {
        let line = lines[i];
        if line.is_blank_or_comment() {
            continue;
        }
        if let Some((column, open)) = unbalanced(line.text) {
            let close = if open == '[' { ']' } else { '}' };
            let what = if open == '[' { "list" } else { "mapping" };
            return Some(Slip {
                message: format!("the `{open}` on line {} is never closed", line.number),
                help: format!(
                    "close the {what} with `{close}` at the end of line {}",
                    line.number
                ),
                start: line.start + column,
                end: line.start + column + 1,
            });
        }
    }
    None
}

/// The last bracket a line opens and does not close, outside quotes.
fn unbalanced(text: &str) -> Option<(usize, char)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') if i == 0 || text[..i].ends_with(' ') => break,
            (None, '[' | '{') => open.push((i, c)),
            (None, ']' | '}') => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

/// A `key value` line with no colon before the place the parser stopped, or `key:value` with
/// no space.
fn missing_colon(lines: &[Line<'_>], index: usize) -> Option<Slip> {
    // The parser notices at the next key, so the slip is on this line or one of the few before.
    for i in (0..=index).rev().take(4) {
        let line = lines[i];
        if line.is_blank_or_comment() {
            continue;
        }
        let (column, entry) = line.entry();
        if key_end(entry).is_some() || entry.starts_with(['"', '\'', '[', '{', '-']) {
            continue;
        }
        let start = line.start + column;
        if let Some(colon) = entry.find(':') {
            let (key, value) = (&entry[..colon], &entry[colon + 1..]);
            return Some(Slip {
                message: format!(
                    "`{entry}` has no space after its colon, so YAML reads it as text, not as a key"
                ),
                help: format!("write a space after the colon: `{key}: {value}`"),
                start,
                end: line.end(),
            });
        }
        let (key, value) = entry.split_once(' ').unwrap_or((entry, ""));
        let help = if value.is_empty() {
            format!("write a colon after the key: `{key}:`")
        } else {
            format!("write a colon after the key: `{key}: {value}`")
        };
        return Some(Slip {
            message: format!(
                "`{entry}` on line {} has no colon after its key",
                line.number
            ),
            help,
            start,
            end: line.end(),
        });
    }
    None
}

/// `title: Nápoles: las tropas entran`: a `: ` inside an unquoted value.
fn colon_in_value(lines: &[Line<'_>], index: usize, at: usize) -> Option<Slip> {
    let line = lines[index];
    let (column, entry) = line.entry();
    let key_end = key_end(entry)?;
    // The parser stopped at a second colon, after the key's own.
    if at < line.start + column + key_end + 1 {
        return None;
    }
    let key = &entry[..key_end];
    let value = entry[key_end + 1..].trim();
    let quoted = if value.contains('"') {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    };
    let ends = value.ends_with(':') && at + 1 >= line.end();
    let colon = if ends {
        "ends with a colon"
    } else {
        "contains a colon and a space (`: `)"
    };
    Some(Slip {
        message: format!(
            "the value of `{key}` {colon}, which YAML reads as the start of another key"
        ),
        help: format!("put the value in quotes: `{key}: {quoted}`"),
        start: at,
        end: at + 1,
    })
}

/// A list item's `-` written without its space (`-event: …`), on the line the parser stopped at
/// or the one before.
fn dash_without_space(lines: &[Line<'_>], index: usize) -> Option<Slip> {
    let (line, rest) = [Some(index), previous(lines, index)]
        .into_iter()
        .flatten()
        .find_map(|i| {
            let rest = lines[i].content().strip_prefix('-')?;
            (!rest.is_empty() && !rest.starts_with([' ', '-'])).then_some((lines[i], rest))
        })?;
    let start = line.start + line.indent();
    Some(Slip {
        message: "a list item needs a space after its `-`".to_owned(),
        help: format!("write `- {rest}`"),
        start,
        end: start + 1,
    })
}

/// A key indented differently from the key above it, in the same mapping.
fn out_of_line(lines: &[Line<'_>], index: usize) -> Option<Slip> {
    let line = lines[index];
    let key = line.key()?;
    let above = lines[previous(lines, index)?];
    let above_key = above.key()?;
    let (column, _) = line.entry();
    let (above_column, _) = above.entry();
    if column == above_column {
        return None;
    }
    let start = line.start + column;
    Some(Slip {
        message: format!(
            "`{key}:` is indented by {column} spaces, but `{above_key}:` on line {} above it by {above_column}; the keys of one entry must line up",
            above.number
        ),
        help: format!(
            "indent `{key}:` by {above_column} spaces, like `{above_key}:` (or, if it belongs to another entry, line it up with that entry's keys)"
        ),
        start,
        end: start + key.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "id: esquema\nevents:\n  - event: capture-of-naples\n    date: octubre\n    title: Las tropas ocupan Nápoles\n    places: [Nápoles]\n    locator: ¶3\n";

    /// Parses `text` with saphyr, and explains the first error. Returns the slip and the line
    /// and column (1-based, in characters) of its start.
    fn explained(text: &str) -> (Slip, usize, usize) {
        let mut parser = saphyr_parser::Parser::new_from_str(text);
        let error = loop {
            match parser.next_event() {
                Some(Ok(_)) => {}
                Some(Err(error)) => break error,
                None => panic!("no error in {text:?}"),
            }
        };
        let at = text
            .char_indices()
            .nth(error.marker().index())
            .map_or(text.len(), |(i, _)| i);
        let slip = explain(text, error.info(), at)
            .unwrap_or_else(|| panic!("not explained: {} in {text:?}", error.info()));
        let before = &text[..slip.start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (slip, line, column)
    }

    fn with(from: &str, to: &str) -> String {
        assert!(BASE.contains(from));
        BASE.replacen(from, to, 1)
    }

    #[test]
    fn a_missing_colon_is_found_on_its_own_line() {
        let (slip, line, column) = explained(&with("    date: octubre", "    date octubre"));
        assert_eq!((line, column), (4, 5));
        assert!(slip.help.contains("`date: octubre`"), "{slip:?}");

        let (slip, line, column) = explained(&with("  - event: capture", "  - event capture"));
        assert_eq!((line, column), (3, 5), "{slip:?}");

        let (slip, line, _) = explained(&with("id: esquema", "id esquema"));
        assert_eq!(line, 1, "{slip:?}");
    }

    #[test]
    fn a_colon_without_a_space() {
        let (slip, line, column) = explained(&with("    date: octubre", "    date:octubre"));
        assert_eq!((line, column), (4, 5));
        assert!(slip.help.contains("`date: octubre`"), "{slip:?}");
    }

    #[test]
    fn a_tab_is_pointed_at() {
        let (slip, line, column) = explained(&with("    title:", "\ttitle:"));
        assert_eq!((line, column), (5, 1), "{slip:?}");
        assert!(
            slip.help.contains("4 spaces line it up with line 4"),
            "{slip:?}"
        );

        let (slip, line, column) = explained("events:\n\t- event: x\n");
        assert_eq!((line, column), (2, 1), "{slip:?}");
        assert!(
            slip.help.contains("2 spaces put it under `events:`"),
            "{slip:?}"
        );
    }

    #[test]
    fn a_colon_inside_a_value() {
        let (slip, line, column) = explained(&with(
            "title: Las tropas ocupan Nápoles",
            "title: Nápoles: las tropas entran",
        ));
        assert_eq!((line, column), (5, 19), "{slip:?}");
        assert!(
            slip.help
                .contains("`title: \"Nápoles: las tropas entran\"`"),
            "{slip:?}"
        );
    }

    #[test]
    fn an_unclosed_quote() {
        let (slip, line, column) = explained(&with("title: Las", "title: \"Las"));
        assert_eq!((line, column), (5, 12), "{slip:?}");
        assert!(slip.message.contains("never closed"), "{slip:?}");
        let (slip, ..) = explained(&format!("{BASE}    note: 'never closed\n"));
        assert!(slip.message.contains("never closed"), "{slip:?}");
    }

    #[test]
    fn quotes_around_part_of_a_value() {
        let (slip, line, _) = explained(&with("title: Las tropas", "title: \"Las tropas\""));
        assert_eq!(line, 5, "{slip:?}");
        assert!(slip.help.contains("'Las tropas' ocupan"), "{slip:?}");
    }

    #[test]
    fn an_unclosed_list() {
        let (slip, line, column) = explained(&with("places: [Nápoles]", "places: [Nápoles"));
        assert_eq!((line, column), (6, 13), "{slip:?}");
    }

    #[test]
    fn keys_out_of_line() {
        let (slip, line, column) = explained(&with("    title:", "  title:"));
        assert_eq!((line, column), (5, 3), "{slip:?}");
        assert!(slip.help.contains("by 4 spaces"), "{slip:?}");

        let (slip, line, column) = explained(&with("    places:", "      places:"));
        assert_eq!((line, column), (6, 7), "{slip:?}");
        assert!(slip.help.contains("by 4 spaces"), "{slip:?}");
    }

    #[test]
    fn a_dash_without_its_space() {
        let (slip, line, column) = explained(&with("  - event:", "  -event:"));
        assert_eq!((line, column), (3, 3), "{slip:?}");
        assert!(slip.help.contains("`- event:"), "{slip:?}");
    }
}
