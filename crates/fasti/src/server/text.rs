//! Positions and file names as the protocol gives them: line and column in UTF-8 or UTF-16
//! code units, and `file://` URIs.

use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use fasti_diagnostics::Span;
use lsp_types::{Position, Range, Uri};
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// What a column counts: UTF-16 code units unless the client accepts UTF-8 (LSP 3.17
/// `positionEncoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16,
}

/// Where each line of a text starts, to turn byte offsets into positions and back.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr_newlines(text));
        LineIndex { starts }
    }

    /// The position of byte `offset` (clamped to the text, and back to a character boundary).
    pub(crate) fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let before = &text[self.starts[line]..offset];
        let character = match encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.chars().map(char::len_utf16).sum(),
        };
        Position::new(to_u32(line), to_u32(character))
    }

    /// The byte offset of `position`: a line past the end is the end of the text, a column past
    /// the end of its line is the end of the line, a column inside a character is its start.
    pub(crate) fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(text.len(), |next| next - 1);
        let line = &text[start..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let wanted = position.character as usize;
        let mut counted = 0;
        for (at, c) in line.char_indices() {
            let width = match encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
            };
            if counted + width > wanted {
                return start + at;
            }
            counted += width;
        }
        start + line.len()
    }

    pub(crate) fn range(&self, text: &str, span: Span, encoding: Encoding) -> Range {
        Range::new(
            self.position(text, span.start, encoding),
            self.position(text, span.end, encoding),
        )
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(at, _)| at + 1)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What a path may hold unescaped in a `file://` URI (RFC 3986 `pchar` and `/`).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

// File URIs are converted by hand with `percent-encoding` rather than with the `url` crate:
// only local `file://` URIs of absolute paths occur, and `url` would bring IDNA tables for
// host names that never appear here.

/// The local path a `file://` URI names.
pub(crate) fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let decoded = percent_decode_str(rest).decode_utf8().ok()?;
    // `file:///c%3A/x` on Windows: drop the slash before the drive letter.
    let decoded = match decoded.as_bytes() {
        [b'/', drive, b':', ..] if drive.is_ascii_alphabetic() && cfg!(windows) => {
            decoded[1..].to_owned()
        }
        _ => decoded.into_owned(),
    };
    Some(PathBuf::from(decoded))
}

/// The `file://` URI of an absolute path.
pub(crate) fn uri_of(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let slash = if text.starts_with('/') { "" } else { "/" };
    Uri::from_str(&format!(
        "file://{slash}{}",
        utf8_percent_encode(&text, PATH)
    ))
    .ok()
}

/// A path's name as findings name files: relative to `root`, `/`-separated; `None` outside it.
pub(crate) fn name_in(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let mut name = String::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => {
                if !name.is_empty() {
                    name.push('/');
                }
                name.push_str(part.to_str()?);
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_or_bytes() {
        let text = "name: São € 😀 x\nnext: y\n";
        let index = LineIndex::new(text);
        let x = text.find(" x").unwrap_or_default() + 1;
        // `name: ` 6, `São` 3 chars, ` ` , `€` 1 unit, ` `, emoji 2 units, ` `.
        assert_eq!(
            index.position(text, x, Encoding::Utf16),
            Position::new(0, 15)
        );
        assert_eq!(
            index.position(text, x, Encoding::Utf8),
            Position::new(0, x as u32)
        );
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let position = index.position(text, x, encoding);
            assert_eq!(index.offset(text, position, encoding), x);
        }
        let y = text.find('y').unwrap_or_default();
        assert_eq!(
            index.position(text, y, Encoding::Utf16),
            Position::new(1, 6)
        );
        // Inside the emoji's surrogate pair: its start. Past the line: its end.
        let emoji = text.find('😀').unwrap_or_default();
        assert_eq!(
            index.offset(text, Position::new(0, 13), Encoding::Utf16),
            emoji
        );
        assert_eq!(
            index.offset(text, Position::new(0, 99), Encoding::Utf16),
            text.find('\n').unwrap_or_default()
        );
        assert_eq!(
            index.offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn file_uris_round_trip_with_escapes() {
        let path = Path::new("/tmp/a b/São #1.yaml");
        let uri = uri_of(path).map(|u| u.as_str().to_owned());
        assert_eq!(
            uri.as_deref(),
            Some("file:///tmp/a%20b/S%C3%A3o%20%231.yaml")
        );
        let back = uri_of(path).and_then(|u| path_of(&u));
        assert_eq!(back.as_deref(), Some(path));
        let vscode = Uri::from_str("file:///tmp/x%3Ay.yaml").ok();
        assert_eq!(
            vscode.and_then(|u| path_of(&u)),
            Some(PathBuf::from("/tmp/x:y.yaml"))
        );
    }
}
