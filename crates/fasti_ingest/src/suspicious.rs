//! `suspicious-characters`: control and bidirectional-formatting characters in keys and values.
//!
//! A right-to-left override (U+202E) before `4391` makes it display as `1934`; a zero-width space makes
//! two names that look the same compare different. Such characters have no place in the
//! dataset's names, titles and dates, and a pull request could use them to make a reviewer read
//! something other than what the file holds.
//!
//! The pass is cheap: one byte scan of the file's text first, which for almost every file finds
//! nothing; only then a walk over the parsed value's strings, to say which key or value holds
//! the character. The walk looks at the decoded values, so a character written as an escape
//! (`"\u202e"`, `"\e"` in YAML; `"\u001b"` in JSON) is found too: the byte scan also stops at
//! any backslash escape that can stand for one.

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use serde_json::Value;

use crate::FileName;
use crate::spans::push_segment;

/// Whether `text` holds any character [`describe`] flags, by its UTF-8 bytes.
///
/// Every file's text goes through this, so it is written to be vectorized: a block of bytes is
/// first tested for any byte that can begin a flagged character, without branching, and only a
/// block that has one is looked at byte by byte (a byte-by-byte scan of everything was a twentieth
/// of all the work on clean files).
pub(crate) fn may_hold_any(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut start = 0;
    for block in bytes.chunks(64) {
        let end = start + block.len();
        if block.iter().fold(false, |any, &b| any | may_begin(b))
            && (start..end).any(|i| flagged_at(bytes, i))
        {
            return true;
        }
        start = end;
    }
    false
}

/// Whether a flagged character can begin with `b`: a superset of [`flagged_at`], as bit
/// operations only.
fn may_begin(b: u8) -> bool {
    (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')
        | (b == 0x7F)
        | (b == b'\\')
        | (b == 0xC2)
        | (b == 0xD8)
        | (b == 0xE2)
        | (b == 0xEF)
}

/// Whether the character beginning at byte `i` is one [`describe`] flags.
fn flagged_at(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\t' | b'\n' | b'\r' => false,
        // An escape in a double-quoted YAML or a JSON string that can stand for a flagged
        // character: `\e`, `\x1b`, `\u202e`, `\U0000202E`, `\0`, `\a`, `\b`, `\v`, `\f`,
        // `\N` (U+0085). The walk then looks at the decoded values, where the character is.
        b'\\' => matches!(
            bytes.get(i + 1),
            Some(b'e' | b'x' | b'u' | b'U' | b'0' | b'a' | b'b' | b'v' | b'f' | b'N')
        ),
        0x00..=0x1F | 0x7F => true,
        // C1 controls, U+0080–U+009F.
        0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
        // U+061C ARABIC LETTER MARK.
        0xD8 => bytes.get(i + 1) == Some(&0x9C),
        // U+200B–U+200F, U+202A–U+202E, U+2060, U+2066–U+2069.
        0xE2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0x8B | 0x8E | 0x8F | 0xAA..=0xAE))
                | (Some(0x81), Some(0xA0 | 0xA6..=0xA9))
        ),
        // U+FEFF inside the text (a leading one is removed on reading).
        0xEF => bytes.get(i + 1) == Some(&0xBB) && bytes.get(i + 2) == Some(&0xBF),
        _ => false,
    }
}

/// What a suspicious character is, or `None` for an ordinary one.
fn describe(c: char) -> Option<String> {
    let name = match c {
        '\t' | '\n' | '\r' => return None,
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{061C}' => "ARABIC LETTER MARK",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => "WORD JOINER",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE",
        c if c.is_control() => "a control character",
        _ => return None,
    };
    Some(format!("U+{:04X} ({name})", c as u32))
}

/// Reports every key and string value of `value` that holds a suspicious character: one finding
/// per string, at its first such character. Call it only when [`may_hold_any`] says so.
pub(crate) fn check(file: &FileName, value: &Value, diagnostics: &mut Vec<Diagnostic>) {
    // An explicit stack: the value is at most `max-depth` deep, but this costs nothing.
    let mut stack = vec![(String::new(), value)];
    while let Some((pointer, value)) = stack.pop() {
        match value {
            Value::String(text) => {
                if let Some(diagnostic) = finding(file, &pointer, text, false) {
                    diagnostics.push(diagnostic);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    let mut child = pointer.clone();
                    push_segment(&mut child, &i.to_string());
                    stack.push((child, item));
                }
            }
            Value::Object(map) => {
                for (key, item) in map.iter().rev() {
                    let mut child = pointer.clone();
                    push_segment(&mut child, key);
                    if let Some(diagnostic) = finding(file, &child, key, true) {
                        diagnostics.push(diagnostic);
                    }
                    stack.push((child, item));
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

fn finding(file: &FileName, pointer: &str, text: &str, is_key: bool) -> Option<Diagnostic> {
    let (at, what) = text
        .char_indices()
        .find_map(|(at, c)| describe(c).map(|what| (at, (c, what))))?;
    let (c, what) = what;
    let field = pointer.strip_prefix('/').unwrap_or("the file");
    let (message, anchor) = if is_key {
        (
            format!("key `{}` holds {what}", shown(text)),
            Anchor::key(pointer),
        )
    } else {
        (
            format!("`{field}` holds {what}"),
            Anchor::Within {
                pointer: pointer.to_owned(),
                start: at,
                end: at + c.len_utf8(),
            },
        )
    };
    let diagnostic = Diagnostic::new(
        Rule::SuspiciousCharacters,
        message,
        Label::new(file.clone(), anchor).with_message("here"),
    )
    .with_help(
        "delete the character: it is invisible, or changes how the text around it is displayed, \
         so the text may not read as what it holds",
    );
    Some(diagnostic)
}

/// A key as shown in a message: its suspicious characters written as escapes, so that the
/// message itself cannot be disguised.
fn shown(text: &str) -> String {
    text.chars()
        .map(|c| match describe(c) {
            Some(_) => format!("\\u{{{:X}}}", c as u32),
            None => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_agrees_with_describe() {
        for c in ('\0'..='\u{3000}').chain(['\u{FEFF}', '\u{FFFD}', '😀']) {
            let text = format!("a{c}z");
            assert_eq!(
                may_hold_any(&text),
                describe(c).is_some(),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn the_byte_scan_finds_characters_across_block_boundaries() {
        for c in ['\u{202E}', '\u{0085}', '\u{0001}', '\u{FEFF}'] {
            for before in 0..140 {
                let text = format!("{}{c}{}", "a".repeat(before), "é".repeat(40));
                assert!(may_hold_any(&text), "U+{:04X} after {before}", c as u32);
            }
        }
        assert!(!may_hold_any(&"São “Köln” — ".repeat(40)));
    }

    #[test]
    fn escapes_that_can_stand_for_a_flagged_character_start_the_walk() {
        for escape in [
            "\\e",
            "\\x1b",
            "\\u202e",
            "\\U0000202E",
            "\\0",
            "\\N",
            "\\b",
        ] {
            assert!(may_hold_any(&format!("a: \"{escape}\"")), "{escape}");
        }
        assert!(!may_hold_any("a: \"\\n \\t \\\" \\\\ \\/\""));
    }

    #[test]
    fn ordinary_multilingual_text_is_not_suspicious() {
        assert!(!may_hold_any(
            "título: “Revolución” — São Paulo… ‘x’ €\r\n\tKöln"
        ));
    }
}
