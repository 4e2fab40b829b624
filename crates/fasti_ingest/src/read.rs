use std::fs;
use std::io::Read;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};

use crate::{DataFile, Limits};

/// The result of reading one file.
#[derive(Debug)]
pub enum ReadOutcome {
    /// The file's text, without a leading UTF-8 byte-order mark.
    Text(String),
    /// The file cannot be checked. `shown_text` is a lossy rendering to show the problem in, when
    /// there is one worth showing.
    Unreadable {
        diagnostic: Box<Diagnostic>,
        shown_text: Option<String>,
    },
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a data file as UTF-8 text, within `limits`.
pub fn read_file(file: &DataFile, limits: &Limits) -> ReadOutcome {
    let unreadable = |rule: Rule, message: String, anchor: Anchor, shown_text: Option<String>| {
        ReadOutcome::Unreadable {
            diagnostic: Box::new(Diagnostic::new(
                rule,
                message,
                Label::new(file.name.clone(), anchor),
            )),
            shown_text,
        }
    };
    let handle = match fs::File::open(&file.path) {
        Ok(handle) => handle,
        Err(error) => {
            return unreadable(
                Rule::UnreadableFile,
                format!("cannot open the file: {error}"),
                Anchor::File,
                None,
            );
        }
    };
    // A file known to be too large is not read at all. Otherwise read at most one byte more
    // than the limit, so that a file growing while it is read, or a special file without a
    // size, cannot make fasti read without end.
    let known_size = handle.metadata().map_or(0, |metadata| metadata.len());
    // Sized from the metadata (one byte more, to see the end without growing): grown from
    // empty, a large file was copied a dozen times.
    let mut bytes = Vec::with_capacity(
        usize::try_from(known_size.min(limits.max_file_size))
            .unwrap_or(0)
            .saturating_add(1),
    );
    if known_size <= limits.max_file_size
        && let Err(error) = handle
            .take(limits.max_file_size.saturating_add(1))
            .read_to_end(&mut bytes)
    {
        return unreadable(
            Rule::UnreadableFile,
            format!("cannot read the file: {error}"),
            Anchor::File,
            None,
        );
    }
    let size = known_size.max(bytes.len() as u64);
    if size > limits.max_file_size {
        let diagnostic = Diagnostic::new(
            Rule::LimitExceeded,
            {
                let (mut shown, mut limit) = (show_size(size), show_size(limits.max_file_size));
                if shown == limit {
                    // Just over the limit: rounding would make them look equal.
                    (shown, limit) = (format!("{size} bytes"), format!("{} bytes", limits.max_file_size));
                }
                format!("file is {shown}, larger than the limit of {limit}; it is not read")
            },
            Label::new(file.name.clone(), Anchor::File),
        )
        .with_help("split the source into several files, or raise `max-file-size` under `[limits]` in fasti.toml");
        return ReadOutcome::Unreadable {
            diagnostic: Box::new(diagnostic),
            shown_text: None,
        };
    }
    decode(bytes).unwrap_or_else(|(message, at, shown_text)| {
        let anchor = match at {
            Some(offset) => Anchor::Bytes {
                start: offset,
                end: offset + shown_text.as_deref().map_or(0, |t| char_len_at(t, offset)),
            },
            None => Anchor::File,
        };
        unreadable(Rule::UnreadableFile, message, anchor, shown_text)
    })
}

/// Decodes a file's bytes as UTF-8, or says why it cannot be, where, and what to show.
fn decode(mut bytes: Vec<u8>) -> Result<ReadOutcome, (String, Option<usize>, Option<String>)> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err((
            "file is encoded as UTF-16; fasti reads UTF-8 only: save it as UTF-8".to_owned(),
            None,
            None,
        ));
    }
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            if let Some(nul) = text.find('\0') {
                return Err((
                    "file contains a NUL character: it looks like a binary or UTF-16 file, not UTF-8 text".to_owned(),
                    Some(nul),
                    Some(text.replace('\0', "\u{FFFD}")),
                ));
            }
            Ok(ReadOutcome::Text(text))
        }
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let shown = String::from_utf8_lossy(error.as_bytes()).into_owned();
            Err((
                format!("file is not valid UTF-8: invalid byte at offset {at}; save it as UTF-8"),
                Some(at),
                Some(shown),
            ))
        }
    }
}

/// A size in bytes as people read it: `512 bytes`, `16 MiB`, `381.4 MiB` (rounded down to a
/// tenth).
fn show_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            let whole = bytes / size;
            let tenths = (bytes % size) * 10 / size;
            return if tenths == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenths} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

fn char_len_at(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<ReadOutcome, (String, Option<usize>, Option<String>)>) -> String {
        match result {
            Ok(_) => String::from("ok"),
            Err((message, at, _)) => format!("{message} @ {at:?}"),
        }
    }

    #[test]
    fn strips_a_utf8_bom() {
        match decode(b"\xEF\xBB\xBFid: x\n".to_vec()) {
            Ok(ReadOutcome::Text(text)) => assert_eq!(text, "id: x\n"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn refuses_utf16_and_invalid_utf8_with_the_offset() {
        assert!(message(decode(b"\xFF\xFEi\0d\0".to_vec())).contains("UTF-16"));
        assert_eq!(
            message(decode(b"ab\xFFcd".to_vec())),
            "file is not valid UTF-8: invalid byte at offset 2; save it as UTF-8 @ Some(2)"
        );
        assert!(message(decode(b"a\0b".to_vec())).contains("NUL"));
    }
}
