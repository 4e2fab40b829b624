//! Where each key and value of a file is, by JSON pointer: built again, only for the files that
//! have findings, by a walk that forms no value. `json` steps over what is not wanted; `yaml`
//! follows saphyr-parser's events.

mod json;
mod yaml;

// foldhash rather than SipHash: the walk asks `wants` of every value it passes.
use foldhash::{HashMap, HashSet, HashSetExt};

use fasti_diagnostics::{Anchor, Span};

use crate::{FileName, Format, Limits};

/// Where the first levels of a YAML file are, noted while parsing it: the root, each top-level
/// key and value, and each item of a top-level list (a source's claims, an authority's entries).
/// Character indices, as the parser gives them. A few words per record.
#[derive(Clone, Debug)]
pub struct Outline {
    pub(crate) root: Option<(usize, usize)>,
    pub(crate) top: Vec<OutlineEntry>,
    /// Nothing made the file read differently from its outline: no second value for a
    /// top-level key (its subtree is dropped), no top level skipped for depth.
    pub(crate) complete: bool,
}

impl Default for Outline {
    fn default() -> Outline {
        Outline {
            root: None,
            top: Vec::new(),
            complete: true,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct OutlineEntry {
    pub(crate) key: String,
    pub(crate) key_span: (usize, usize),
    pub(crate) value_span: Option<(usize, usize)>,
    /// Whether the value is a list; if so, the span of each item.
    pub(crate) list: bool,
    pub(crate) items: Vec<(usize, usize)>,
}

/// The byte span of every key and value of a parsed file, by JSON pointer.
///
/// Built only for files that have findings (see the crate docs): clean files never pay for it.
#[derive(Debug, Default)]
pub struct SpanIndex {
    values: HashMap<String, Span>,
    keys: HashMap<String, Span>,
    /// When set, only these pointers are recorded (see [`SpanIndex::build_for`]).
    wanted: Option<HashSet<String>>,
}

impl SpanIndex {
    /// Reads `text` again, recording the span of every key and value.
    ///
    /// Nesting deeper than `limits.max_depth` is one value, as when parsing: a finding inside it
    /// resolves to the nearest recorded ancestor. This keeps the work linear in the text (each
    /// pointer is at most `max_depth` segments long) and the memory bounded.
    pub fn build(file: &FileName, format: Format, text: &str, limits: &Limits) -> SpanIndex {
        let _ = file;
        let mut index = SpanIndex::default();
        index.record(format, text, limits);
        index
    }

    /// Like [`SpanIndex::build`], but records only what resolving `anchors` needs: their pointers
    /// and the ancestors of those (a pointer missing from the file resolves to its nearest
    /// ancestor). Every other subtree is passed over, so a file with a few findings costs little
    /// more than a scan of its text; with the YAML parser's `outline` of the same text, only the
    /// records the findings are in are read again.
    pub fn build_for<'a>(
        file: &FileName,
        format: Format,
        text: &str,
        limits: &Limits,
        anchors: impl IntoIterator<Item = &'a Anchor>,
        outline: Option<&Outline>,
    ) -> SpanIndex {
        let _ = file;
        let mut wanted = HashSet::new();
        for pointer in anchors.into_iter().filter_map(Anchor::pointer) {
            let mut pointer = pointer;
            loop {
                wanted.insert(pointer.to_owned());
                match pointer.rfind('/') {
                    Some(cut) => pointer = &pointer[..cut],
                    None => break,
                }
            }
        }
        let mut index = SpanIndex {
            wanted: Some(wanted),
            ..SpanIndex::default()
        };
        let outlined = match (format, outline) {
            (Format::Yaml, Some(outline)) => {
                yaml::record_outlined(text, &mut index, limits.max_depth, outline)
            }
            _ => false,
        };
        if !outlined {
            index.values.clear();
            index.keys.clear();
            index.record(format, text, limits);
        }
        index
    }

    fn record(&mut self, format: Format, text: &str, limits: &Limits) {
        match format {
            Format::Json => json::record(text, self, limits.max_depth),
            Format::Yaml => yaml::record(text, self, limits.max_depth),
        }
    }

    /// Whether the node at `pointer` (or something inside it) is to be recorded.
    fn wants(&self, pointer: &str) -> bool {
        self.wanted
            .as_ref()
            .is_none_or(|wanted| wanted.contains(pointer))
    }

    /// Records a value's span; the first one recorded for a pointer stays (of two equal keys,
    /// the parser keeps the first).
    fn record_value(&mut self, pointer: &str, start: usize, end: usize) {
        if !self.values.contains_key(pointer) {
            self.values
                .insert(pointer.to_owned(), Span::new(start, end));
        }
    }

    fn record_key(&mut self, pointer: &str, start: usize, end: usize) {
        if !self.keys.contains_key(pointer) {
            self.keys.insert(pointer.to_owned(), Span::new(start, end));
        }
    }

    /// Every pointer with a recorded value span, in no particular order.
    pub fn pointers(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// The span of the value at `pointer`.
    pub fn value(&self, pointer: &str) -> Option<Span> {
        self.values.get(pointer).copied()
    }

    /// The span of the key under which the value at `pointer` is stored.
    pub fn key(&self, pointer: &str) -> Option<Span> {
        self.keys.get(pointer).copied()
    }

    /// Resolves an anchor to a byte span in `text`, the file this index was built from. A pointer
    /// that is not in the file resolves to its nearest ancestor that is.
    pub fn resolve(&self, anchor: &Anchor, text: &str) -> Option<Span> {
        let clamp = |span: Span| {
            let end = floor_char_boundary(text, span.end.min(text.len()));
            Span::new(floor_char_boundary(text, span.start.min(end)), end)
        };
        match anchor {
            Anchor::Value { pointer } => self.nearest(pointer, |p| self.value(p)).map(clamp),
            Anchor::Key { pointer } => self
                .nearest(pointer, |p| self.key(p).or_else(|| self.value(p)))
                .map(clamp),
            Anchor::Head { pointer } => {
                self.nearest(pointer, |p| self.value(p))
                    .map(clamp)
                    .map(|span| {
                        let line = text[span.start..span.end]
                            .find('\n')
                            .map_or(span.end, |n| span.start + n);
                        Span::new(
                            span.start,
                            span.start + text[span.start..line].trim_end().len(),
                        )
                    })
            }
            Anchor::Within {
                pointer,
                start,
                end,
            } => {
                let whole = self.nearest(pointer, |p| self.value(p)).map(clamp)?;
                Some(within(text, whole, *start, *end).unwrap_or(whole))
            }
            Anchor::Bytes { start, end } => Some(clamp(Span::new(*start, *end))),
            Anchor::File => None,
        }
    }

    fn nearest(&self, pointer: &str, find: impl Fn(&str) -> Option<Span>) -> Option<Span> {
        let mut pointer = pointer;
        loop {
            if let Some(span) = find(pointer) {
                return Some(span);
            }
            pointer = &pointer[..pointer.rfind('/')?];
        }
    }
}

/// The span of bytes `start..end` of a string's content, inside the span `whole` of the scalar
/// that writes it, when the scalar writes its content verbatim (plain, or quoted without escapes
/// or line breaks). `None` otherwise: the caller then labels the whole value.
fn within(text: &str, whole: Span, start: usize, end: usize) -> Option<Span> {
    let written = text.get(whole.start..whole.end)?;
    let (content, offset) = match written.as_bytes().first() {
        Some(b'"') | Some(b'\'') => (written.get(1..written.len().checked_sub(1)?)?, 1),
        _ => (written, 0),
    };
    if content.contains(['\\', '\n', '\''])
        || end > content.len()
        || !content.is_char_boundary(start)
        || !content.is_char_boundary(end)
    {
        return None;
    }
    Some(Span::new(
        whole.start + offset + start,
        whole.start + offset + end,
    ))
}

pub(super) fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Escapes one JSON pointer segment (RFC 6901): `~` becomes `~0`, `/` becomes `~1`.
pub fn escape_pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

pub(crate) fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    if segment.contains(['~', '/']) {
        pointer.push_str(&escape_pointer_segment(segment));
    } else {
        pointer.push_str(segment);
    }
}

/// Converts saphyr's character indices to byte offsets. For ASCII text they are the same; for
/// other text the table is built the first time it is needed.
pub(crate) struct Offsets<'t> {
    text: &'t str,
    /// Decided once: checking on every call made parsing quadratic in the size of the file.
    ascii: bool,
    table: Option<Vec<u32>>,
}

impl<'t> Offsets<'t> {
    pub(crate) fn new(text: &'t str) -> Offsets<'t> {
        Offsets {
            text,
            ascii: text.is_ascii(),
            table: None,
        }
    }

    pub(crate) fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let text = self.text;
        let table = self.table.get_or_insert_with(|| {
            // Files are limited in size well below 4 GiB, so offsets fit in u32.
            text.char_indices()
                .map(|(byte, _)| u32::try_from(byte).unwrap_or(u32::MAX))
                .collect()
        });
        table
            .get(char_index)
            .map_or(text.len(), |&byte| byte as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn index(text: &str) -> SpanIndex {
        SpanIndex::build(&Arc::from("t.yaml"), Format::Yaml, text, &Limits::default())
    }

    fn show(text: &str, anchor: Anchor) -> Option<String> {
        index(text)
            .resolve(&anchor, text)
            .map(|s| text[s.start..s.end].to_owned())
    }

    #[test]
    fn values_and_keys_with_multibyte_text_before_them() {
        let text = "título: \"Revolución\"\nfecha: 3 de septiembre de 1943\nlugares:\n  - São Paulo\n  - Mesina\n";
        assert_eq!(
            show(text, Anchor::value("/fecha")).as_deref(),
            Some("3 de septiembre de 1943")
        );
        assert_eq!(show(text, Anchor::key("/fecha")).as_deref(), Some("fecha"));
        assert_eq!(
            show(text, Anchor::value("/título")).as_deref(),
            Some("\"Revolución\"")
        );
        assert_eq!(
            show(text, Anchor::value("/lugares/1")).as_deref(),
            Some("Mesina")
        );
        assert_eq!(
            show(text, Anchor::value("/lugares/7")).as_deref(),
            Some("- São Paulo\n  - Mesina\n")
        );
    }

    #[test]
    fn within_a_string_plain_and_quoted() {
        let text = "a: 31 de junio de 1943\nb: \"31 de junio\"\n";
        let within = |p: &str| Anchor::Within {
            pointer: p.to_owned(),
            start: 0,
            end: 2,
        };
        assert_eq!(show(text, within("/a")).as_deref(), Some("31"));
        assert_eq!(show(text, within("/b")).as_deref(), Some("31"));
    }

    #[test]
    fn json_string_values_include_their_quotes() {
        let text = "{\n  \"id\": \"x\",\n  \"events\": [{\"date\": \"1943\"}]\n}\n";
        let index = SpanIndex::build(&Arc::from("t.json"), Format::Json, text, &Limits::default());
        let span = index.value("/events/0/date").map(|s| &text[s.start..s.end]);
        assert_eq!(span, Some("\"1943\""));
    }

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(escape_pointer_segment("a/b~c"), "a~1b~0c");
        let text = "\"a/b\": 1\n";
        assert_eq!(show(text, Anchor::value("/a~1b")).as_deref(), Some("1"));
    }
}
