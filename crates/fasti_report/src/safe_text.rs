//! Text from the dataset made safe to show to people.
//!
//! A value, key or file name may hold control characters: an ANSI escape sequence (`ESC [ 2 J`)
//! reaching a terminal raw can clear it and paint a fake "no problems"; in a Markdown job summary
//! or a GitHub annotation such characters can hide or reorder what follows. Every format read by
//! people renders a copy of the findings in which each such character is written as an escape
//! (`\u{1B}`), and of the files' text in which each is replaced by a visible character of the
//! same length in bytes (`?`, `¿` or `�`), so that every span still points where it did; the
//! `suspicious-characters` finding on it says which character it was. JSON and SARIF escape
//! control characters themselves and keep the text exact.

use std::borrow::Cow;

use fasti_diagnostics::{Diagnostic, Label, Status};

use crate::{Files, Report};

/// Whether `c` must not reach a terminal or a rendered page as itself: control characters
/// (except tab and line feed), bidirectional controls, zero-width characters, line and paragraph
/// separators.
pub(crate) fn is_unsafe(c: char) -> bool {
    match c {
        '\t' | '\n' => false,
        '\u{061C}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{2069}'
        | '\u{FEFF}' => true,
        c => c.is_control(),
    }
}

/// Whether the character at `at` in `text` is unsafe; a carriage return before a line feed is a
/// line break and is not.
fn unsafe_at(text: &str, at: usize, c: char) -> bool {
    is_unsafe(c) && !(c == '\r' && text.as_bytes().get(at + 1) == Some(&b'\n'))
}

/// Whether `text` holds an unsafe character, by its UTF-8 bytes: every report read by people
/// passes the text of each file with findings through this, a third of a gigabyte for a million
/// events, so it decodes nothing (the byte patterns are those of [`is_unsafe`]'s characters;
/// a test checks that both agree).
fn has_unsafe(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'\t' | b'\n' => false,
        b'\r' => bytes.get(i + 1) != Some(&b'\n'),
        0x00..=0x1F | 0x7F => true,
        // U+0080–U+009F.
        0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
        // U+061C.
        0xD8 => bytes.get(i + 1) == Some(&0x9C),
        // U+200B–U+200F, U+2028–U+202E, U+2060–U+2069.
        0xE2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0x8B..=0x8F | 0xA8..=0xAE)) | (Some(0x81), Some(0xA0..=0xA9))
        ),
        // U+FEFF.
        0xEF => bytes.get(i + 1) == Some(&0xBB) && bytes.get(i + 2) == Some(&0xBF),
        _ => false,
    })
}

/// `text` with each unsafe character written as `\u{…}`; borrowed when there is none.
pub(crate) fn escaped(text: &str) -> Cow<'_, str> {
    if !has_unsafe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (at, c) in text.char_indices() {
        if unsafe_at(text, at, c) {
            out.push_str(&format!("\\u{{{:X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A file's text with each unsafe character replaced by a visible one of the same length in
/// bytes, so that spans stay valid; a carriage return before a line feed is a line break and
/// stays.
fn same_length(text: &str) -> Cow<'_, str> {
    let unsafe_here = |(at, c): (usize, char)| unsafe_at(text, at, c);
    if !has_unsafe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        if unsafe_here((at, c)) {
            out.push(match c.len_utf8() {
                1 => '?',
                2 => '¿',
                _ => '\u{FFFD}',
            });
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The findings and files of a report with every unsafe character escaped, or `None` when
/// there is none (the common case: nothing is copied).
pub(crate) struct Escaped {
    diagnostics: Vec<Diagnostic>,
    files: Files,
}

impl Escaped {
    pub(crate) fn of(report: &Report<'_>) -> Option<Escaped> {
        let strings_unsafe = report
            .diagnostics
            .iter()
            .any(|d| strings(d).any(|s| matches!(escaped(s), Cow::Owned(_))));
        let files_unsafe = report.files.iter().any(|(name, text)| {
            matches!(same_length(text), Cow::Owned(_)) || matches!(escaped(name), Cow::Owned(_))
        });
        if !strings_unsafe && !files_unsafe {
            return None;
        }
        let diagnostics = report.diagnostics.iter().map(escape_diagnostic).collect();
        let mut files = Files::new();
        for (name, text) in report.files.iter() {
            let name: std::sync::Arc<str> = match escaped(name) {
                Cow::Borrowed(_) => name.clone(),
                Cow::Owned(safe) => safe.into(),
            };
            let text: std::sync::Arc<str> = match same_length(text) {
                Cow::Borrowed(_) => text.clone(),
                Cow::Owned(safe) => safe.into(),
            };
            files.insert(name, text);
        }
        Some(Escaped { diagnostics, files })
    }

    pub(crate) fn report<'a>(&'a self, report: &Report<'a>) -> Report<'a> {
        Report {
            diagnostics: &self.diagnostics,
            files: &self.files,
            summary: report.summary,
            scope: report.scope,
            dataset: report.dataset,
        }
    }
}

/// Every text of a finding that came from the data, or could have.
fn strings(d: &Diagnostic) -> impl Iterator<Item = &str> {
    let labels = labels(d).flat_map(|l| std::iter::once(&*l.file).chain(l.message.as_deref()));
    let status = match &d.status {
        Status::Adjudicated {
            decision, reason, ..
        } => vec![decision.as_str(), reason.as_str()],
        Status::Open => Vec::new(),
    };
    std::iter::once(d.message.as_str())
        .chain(d.help.as_deref())
        .chain(d.notes.iter().map(String::as_str))
        .chain(labels)
        .chain(status)
}

fn labels(d: &Diagnostic) -> impl Iterator<Item = &Label> {
    let adjudication = match &d.status {
        Status::Adjudicated { at, .. } => Some(&**at),
        Status::Open => None,
    };
    std::iter::once(&d.primary)
        .chain(&d.related)
        .chain(adjudication)
}

fn escape_diagnostic(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    let fix = |s: &mut String| {
        if let Cow::Owned(safe) = escaped(s) {
            *s = safe;
        }
    };
    fix(&mut d.message);
    if let Some(help) = &mut d.help {
        fix(help);
    }
    d.notes.iter_mut().for_each(fix);
    let fix_label = |label: &mut Label| {
        if let Cow::Owned(safe) = escaped(&label.file) {
            label.file = safe.into();
        }
        if let Some(message) = &mut label.message {
            fix(message);
        }
    };
    fix_label(&mut d.primary);
    d.related.iter_mut().for_each(fix_label);
    if let Status::Adjudicated {
        decision,
        reason,
        at,
    } = &mut d.status
    {
        fix(decision);
        fix(reason);
        fix_label(at);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_keeps_ordinary_text() {
        assert_eq!(escaped("a\u{1b}[2Jb"), "a\\u{1B}[2Jb");
        assert_eq!(escaped("\u{202E}4391"), "\\u{202E}4391");
        assert_eq!(escaped("São Paulo\tx\ny"), "São Paulo\tx\ny");
        assert!(matches!(escaped("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_byte_scan_agrees_with_is_unsafe() {
        for c in ('\0'..='\u{3000}').chain(['\u{FEFF}', '\u{FFFD}', '😀']) {
            let text = format!("a{c}b");
            assert_eq!(has_unsafe(&text), is_unsafe(c), "U+{:04X}", c as u32);
        }
        assert!(!has_unsafe("a\r\nb"));
        assert!(has_unsafe("a\rb"));
    }

    #[test]
    fn file_text_keeps_its_length_and_line_breaks() {
        let text = "a: \"\u{1b}[31m\u{85}\u{202E}\"\r\nb: 1\r\n";
        let safe = same_length(text);
        assert_eq!(safe.len(), text.len());
        assert_eq!(safe, "a: \"?[31m¿\u{FFFD}\"\r\nb: 1\r\n");
    }
}
