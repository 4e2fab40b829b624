//! Spans of YAML text, by pointer, from saphyr-parser's event stream.
//!
//! Nothing is built: the walk keeps the current pointer in one string and a counter or a pending
//! key per open container. A subtree whose pointer is not wanted is passed over event by event
//! without a pointer being formed for anything inside it. The structure follows the parser's
//! (`crate::yaml`), so that a pointer names the same node in both: nesting deeper than the limit
//! is one value, a second document is not read, and the first of two equal keys is the one
//! recorded.

use std::borrow::Cow;
use std::fmt::Write;

use saphyr_parser::{Event, Parser, Span as Marked};

use super::{Offsets, SpanIndex, push_segment};

/// Records in `recorder` the spans of `text`'s values and keys that it wants.
pub(super) fn record(text: &str, recorder: &mut SpanIndex, max_depth: usize) {
    let mut walk = Walk {
        offsets: Offsets::new(text),
        recorder,
        path: String::new(),
        stack: Vec::new(),
        skipping: None,
    };
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0;
    while let Some(Ok((event, marked))) = parser.next_event() {
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
                    break;
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
                    break;
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
                    break;
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
}

impl Walk<'_, '_> {
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
                self.offsets.byte(marked.start.index()),
                self.offsets.byte(marked.end.index()),
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
            let _ = write!(self.path, "/{count}");
        }
    }

    /// Records the node just read, between character indices `start` and `end`, and takes the
    /// path back to its parent.
    fn complete(&mut self, start: usize, end: usize) {
        if self.recorder.wants(&self.path) {
            let (start, end) = (self.offsets.byte(start), self.offsets.byte(end));
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
