//! Spans of YAML text, by pointer, from saphyr-parser's event stream.
//!
//! Nothing is built: the walk keeps the current pointer in one string and a counter or a pending
//! key per open container. A subtree whose pointer is not wanted is passed over event by event
//! without a pointer being formed for anything inside it. The structure follows the parser's
//! (`crate::yaml`), so that a pointer names the same node in both: nesting deeper than the limit
//! is one value, a second document is not read, and the first of two equal keys is the one
//! recorded.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, Span as Marked};

use super::{Offsets, Outline, SpanIndex, floor_char_boundary, push_segment};

/// Records in `recorder` the spans of `text`'s values and keys that it wants.
pub(super) fn record(text: &str, recorder: &mut SpanIndex, max_depth: usize) {
    walk(text, recorder, max_depth, "", Shift::default());
}

/// Byte offsets in a padded slice of the text, back to offsets in the text: `pad` spaces stand
/// for what precedes the slice on its first line, and the slice starts at `start`.
#[derive(Clone, Copy, Default)]
struct Shift {
    pad: usize,
    start: usize,
}

/// Records what the outline of `text` (from parsing it) allows without reading the file again:
/// the first levels from the outline itself, and each top-level list item that a wanted
/// pointer is in by reading that item alone. `false` when a wanted pointer is where the outline
/// does not reach (inside a top-level mapping), or the item does not read alone as it does in
/// the file: the caller then reads the whole file.
/// The furthest into its line, in bytes, that a list item may start and still be read alone.
const MAX_PAD: usize = 256;

pub(super) fn record_outlined(
    text: &str,
    recorder: &mut SpanIndex,
    max_depth: usize,
    outline: &Outline,
) -> bool {
    let (Some(wanted), Some(root)) = (&recorder.wanted, outline.root) else {
        return false;
    };
    if max_depth < 3 || !outline.complete {
        return false;
    }
    let tops: Vec<String> = outline
        .top
        .iter()
        .map(|entry| {
            let mut pointer = String::new();
            push_segment(&mut pointer, &entry.key);
            pointer
        })
        .collect();
    let mut items = std::collections::BTreeSet::new();
    for pointer in wanted {
        let mut segments = pointer.split('/').skip(1);
        let (Some(key), Some(item)) = (segments.next(), segments.next()) else {
            continue;
        };
        let Some(at) = tops.iter().position(|top| top[1..] == *key) else {
            continue;
        };
        let entry = &outline.top[at];
        if !entry.list {
            return false;
        }
        let canonical = !item.starts_with('0') || item == "0";
        match item.parse::<usize>() {
            Ok(n) if canonical && n < entry.items.len() => {
                items.insert((at, n));
            }
            _ => {}
        }
    }
    let mut offsets = Offsets::new(text);
    let mut bytes = |(start, end): (usize, usize)| (offsets.byte(start), offsets.byte(end));
    let (start, end) = bytes(root);
    recorder.record_value("", start, end);
    for (entry, pointer) in outline.top.iter().zip(&tops) {
        if recorder.wants(pointer) {
            let (start, end) = bytes(entry.key_span);
            recorder.record_key(pointer, start, end);
            if let Some(span) = entry.value_span {
                let (start, end) = bytes(span);
                recorder.record_value(pointer, start, end);
            }
        }
    }
    for (at, n) in items {
        let (start, end) = bytes(outline.top[at].items[n]);
        let prefix = format!("{}/{n}", tops[at]);
        recorder.record_value(&prefix, start, end);
        // The item is read alone, indented as in the file; one that starts far into its line
        // (an item of a flow list, `[{},{},…]`) is read with the whole file instead: padding
        // each of 400,000 items on one line to its column made locating quadratic.
        let from = floor_char_boundary(text, start.saturating_sub(MAX_PAD));
        let line_start = match text[from..start].rfind('\n') {
            Some(i) => from + i + 1,
            None if from == 0 => 0,
            None => return false,
        };
        let pad = text[line_start..start].chars().count();
        let slice = format!("{}{}", " ".repeat(pad), &text[start..end]);
        let shift = Shift { pad, start };
        if !walk(&slice, recorder, max_depth - 2, &prefix, shift) {
            return false;
        }
    }
    true
}

/// Walks `text`, whose root is at pointer `prefix`; `false` when the parser stops on an error.
fn walk(
    text: &str,
    recorder: &mut SpanIndex,
    max_depth: usize,
    prefix: &str,
    shift: Shift,
) -> bool {
    let mut walk = Walk {
        offsets: Offsets::new(text),
        recorder,
        path: prefix.to_owned(),
        stack: Vec::new(),
        skipping: None,
        shift,
    };
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    loop {
        let (event, marked) = match parser.next_event() {
            None => return true,
            Some(Err(_)) => return false,
            Some(Ok(event)) => event,
        };
        if let Some(skip) = &mut walk.skipping {
            match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => skip.depth += 1,
                Event::SequenceEnd | Event::MappingEnd => {
                    skip.depth -= 1;
                    if skip.depth == 0 {
                        let start = skip.start;
                        walk.skipping = None;
                        walk.complete(start, marked.end.index());
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return true;
                }
            }
            Event::Scalar(text, ..) if walk.expects_key() => walk.key(text, marked),
            // An alias as a key: the parser drops it.
            Event::Alias(_) if walk.expects_key() => {}
            Event::Scalar(..) | Event::Alias(_) => {
                walk.enter();
                walk.complete(marked.start.index(), marked.end.index());
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if walk.expects_key() {
                    // A list or a mapping as a key: the parser stops here too.
                    return false;
                }
                walk.enter();
                let start = marked.start.index();
                if walk.stack.len() >= max_depth || !walk.recorder.wants(&walk.path) {
                    walk.skipping = Some(Skip { depth: 1, start });
                } else {
                    let kind = if matches!(event, Event::SequenceStart(..)) {
                        Kind::Seq(0)
                    } else {
                        Kind::Map(None)
                    };
                    walk.stack.push(Frame { kind, start });
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = walk.stack.pop() else {
                    return false;
                };
                walk.complete(frame.start, marked.end.index());
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => {}
        }
    }
}

enum Kind {
    /// A sequence and the number of items read so far.
    Seq(usize),
    /// A mapping and the length of the walk's path before the pending key's segment, once the
    /// key is read.
    Map(Option<usize>),
}

struct Frame {
    kind: Kind,
    /// Where the container starts, as a character index.
    start: usize,
}

/// A subtree being passed over: how deep inside it the walk is, and where it starts.
struct Skip {
    depth: usize,
    start: usize,
}

struct Walk<'t, 'r> {
    offsets: Offsets<'t>,
    recorder: &'r mut SpanIndex,
    /// The pointer of the innermost open container, or, between [`Walk::enter`] and
    /// [`Walk::complete`], of the node being read.
    path: String,
    stack: Vec<Frame>,
    skipping: Option<Skip>,
    shift: Shift,
}

impl Walk<'_, '_> {
    /// The byte offset in the file of a character index in the text walked.
    fn byte(&mut self, char_index: usize) -> usize {
        let byte = self.offsets.byte(char_index);
        byte.saturating_sub(self.shift.pad) + self.shift.start
    }

    fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                kind: Kind::Map(None),
                ..
            })
        )
    }

    fn key(&mut self, text: Cow<'_, str>, marked: Marked) {
        let base = self.path.len();
        push_segment(&mut self.path, &text);
        if self.recorder.wants(&self.path) {
            let (start, end) = (
                self.byte(marked.start.index()),
                self.byte(marked.end.index()),
            );
            self.recorder.record_key(&self.path, start, end);
        }
        if let Some(Frame {
            kind: Kind::Map(pending),
            ..
        }) = self.stack.last_mut()
        {
            *pending = Some(base);
        }
    }

    /// Extends the path to the node that starts now: the next item of a sequence (the key's
    /// segment of a mapping is already on it).
    fn enter(&mut self) {
        if let Some(Frame {
            kind: Kind::Seq(count),
            ..
        }) = self.stack.last()
        {
            self.path.push('/');
            self.path.push_str(itoa::Buffer::new().format(*count));
        }
    }

    /// Records the node just read, between character indices `start` and `end`, and takes the
    /// path back to its parent.
    fn complete(&mut self, start: usize, end: usize) {
        if self.recorder.wants(&self.path) {
            let (start, end) = (self.byte(start), self.byte(end));
            self.recorder.record_value(&self.path, start, end);
        }
        match self.stack.last_mut() {
            Some(Frame {
                kind: Kind::Seq(count),
                ..
            }) => {
                *count += 1;
                self.path.truncate(self.path.rfind('/').unwrap_or(0));
            }
            Some(Frame {
                kind: Kind::Map(pending),
                ..
            }) => {
                if let Some(base) = pending.take() {
                    self.path.truncate(base);
                }
            }
            None => {}
        }
    }
}
