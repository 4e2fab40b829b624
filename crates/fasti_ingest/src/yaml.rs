//! YAML 1.2 to `serde_json::Value`, on saphyr-parser's event stream.
//!
//! Written by hand over the event stream (rather than with a YAML-to-serde crate) because fasti
//! needs what none of them gives together: values typed by the YAML 1.2 core schema, every
//! problem reported with a position while parsing goes on, and limits on depth and size. Spans
//! are not kept here: `crate::spans` finds them again for the files that have findings.

use std::borrow::Cow;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use saphyr::Scalar;
use saphyr_parser::{Event, Parser, ScalarStyle, Span as Marked, Tag};
use serde_json::{Map, Number, Value};

use crate::spans::{Offsets, Outline, OutlineEntry, push_segment};
use crate::yaml_slips;
use crate::{FileName, Limits, Parsed};

enum Container {
    Seq(Vec<Value>),
    /// The mapping so far, and the key whose value comes next.
    Map(Map<String, Value>, Option<String>),
}

struct Frame {
    container: Container,
    /// Where the container starts, as a character index.
    start: usize,
    /// Whether it is written in flow style (`{ es: Roma, en: Rome }`, `[Roma, Nápoles]`).
    flow: bool,
    /// The character range of the last key read in it.
    key_at: (usize, usize),
}

struct Builder<'t> {
    file: &'t FileName,
    text: &'t str,
    limits: &'t Limits,
    offsets: Offsets<'t>,
    stack: Vec<Frame>,
    /// Depth of a subtree being skipped because it is nested too deeply (0: not skipping).
    skipping: usize,
    diagnostics: Vec<Diagnostic>,
    /// Findings not kept because `max_findings_per_file` were already.
    dropped: usize,
    reported_anchor: bool,
    outline: Outline,
}

/// Parses YAML text.
pub(crate) fn parse(file: &FileName, text: &str, limits: &Limits) -> Parsed {
    let mut builder = Builder {
        file,
        text,
        limits,
        offsets: Offsets::new(text),
        stack: Vec::new(),
        skipping: 0,
        diagnostics: Vec::new(),
        dropped: 0,
        reported_anchor: false,
        outline: Outline::default(),
    };
    let value = builder.run();
    let outline = value.is_some().then_some(builder.outline);
    Parsed {
        value,
        diagnostics: builder.diagnostics,
        dropped: builder.dropped,
        outline,
    }
}

impl<'t> Builder<'t> {
    fn run(&mut self) -> Option<Value> {
        let mut parser = Parser::new_from_str(self.text);
        let mut root = None;
        let mut documents = 0;
        while let Some(event) = parser.next_event() {
            let (event, marked) = match event {
                Ok(event) => event,
                Err(error) => {
                    let at = self.offsets.byte(error.marker().index());
                    let diagnostic = self.syntax_error(error.info(), at);
                    self.push(diagnostic);
                    return None;
                }
            };
            if self.skipping > 0 {
                match event {
                    Event::SequenceStart(..) | Event::MappingStart(..) => self.skipping += 1,
                    Event::SequenceEnd | Event::MappingEnd => {
                        self.skipping -= 1;
                        if self.skipping == 0 {
                            self.complete(Value::Null, chars(marked), &mut root);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match event {
                Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => {}
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        let at = self.bytes(marked);
                        self.report(
                            Rule::SyntaxError,
                            "a data file holds one YAML document; this second one is not read"
                                .to_owned(),
                            Anchor::Bytes {
                                start: at.0,
                                end: at.1.max(at.0 + 3).min(self.text.len()),
                            },
                        );
                        break;
                    }
                }
                Event::Alias(_) => {
                    self.report_anchor(marked);
                    self.complete(Value::Null, chars(marked), &mut root);
                }
                Event::Scalar(text, style, anchor, tag) => {
                    if anchor != 0 {
                        self.report_anchor(marked);
                    }
                    if self.expects_key() {
                        self.key(text, style, marked);
                    } else {
                        if text.is_empty() && style == ScalarStyle::Plain && tag.is_none() {
                            self.report_flow_entry_without_value();
                        }
                        let value = self.scalar(text, style, tag.as_deref(), marked);
                        self.complete(value, chars(marked), &mut root);
                    }
                }
                Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                    if anchor != 0 {
                        self.report_anchor(marked);
                    }
                    if let Some(tag) = tag.as_deref().filter(|tag| !is_core_tag(tag)) {
                        self.report_tag(tag, marked);
                    }
                    if self.expects_key() {
                        let at = self.bytes(marked);
                        self.report(
                            Rule::SyntaxError,
                            "a mapping key must be text, not a list or a mapping".to_owned(),
                            Anchor::Bytes {
                                start: at.0,
                                end: at.1,
                            },
                        );
                        return None;
                    }
                    if self.stack.len() >= self.limits.max_depth {
                        let at = self.bytes(marked);
                        let limit = self.limits.max_depth;
                        self.report(
                            Rule::LimitExceeded,
                            format!("nesting is deeper than the limit of {limit} levels; this part is not read"),
                            Anchor::Bytes { start: at.0, end: at.1 },
                        );
                        self.skipping = 1;
                        if self.stack.len() < 3 {
                            self.outline.complete = false;
                        }
                        continue;
                    }
                    let container = if matches!(event, Event::SequenceStart(..)) {
                        Container::Seq(Vec::new())
                    } else {
                        Container::Map(Map::new(), None)
                    };
                    let at = self.bytes(marked).0;
                    let flow = matches!(self.text.as_bytes().get(at), Some(b'{' | b'['));
                    self.stack.push(Frame {
                        container,
                        start: marked.start.index(),
                        flow,
                        key_at: (0, 0),
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let Some(frame) = self.stack.pop() else {
                        continue;
                    };
                    let value = match frame.container {
                        Container::Seq(items) => Value::Array(items),
                        Container::Map(map, _) => Value::Object(map),
                    };
                    self.complete(value, (frame.start, marked.end.index()), &mut root);
                }
            }
        }
        // Anchors and aliases are refused outright, never expanded (so no alias bomb): a file
        // using them is not checked further, rather than checked with holes where aliases were.
        if self.reported_anchor { None } else { root }
    }

    /// The parser's error, at byte `at`: a recognized slip in plain words at its cause (with the
    /// parser's words as a note), else the parser's words where it stopped.
    fn syntax_error(&self, info: &str, at: usize) -> Diagnostic {
        let message = syntax_message(info);
        if message == "recursion limit exceeded" {
            // saphyr's own cap on flow nesting (`[[[...`), below which `max_depth` applies.
            return Diagnostic::new(
                Rule::LimitExceeded,
                "nesting is deeper than the YAML reader's limit of 255 levels; the file is not read",
                Label::new(
                    self.file.clone(),
                    Anchor::Bytes {
                        start: at,
                        end: at + char_len_at(self.text, at),
                    },
                ),
            );
        }
        if let Some(slip) = yaml_slips::explain(self.text, info, at) {
            let before = &self.text[..at.min(self.text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            return Diagnostic::new(
                Rule::SyntaxError,
                slip.message,
                Label::new(
                    self.file.clone(),
                    Anchor::Bytes {
                        start: slip.start,
                        end: slip.end,
                    },
                ),
            )
            .with_help(slip.help)
            .with_note(format!(
                "the YAML reader stopped at line {line}, column {column}: {message}"
            ));
        }
        Diagnostic::new(
            Rule::SyntaxError,
            message,
            Label::new(
                self.file.clone(),
                Anchor::Bytes {
                    start: at,
                    end: at + char_len_at(self.text, at),
                },
            ),
        )
        .with_help("the file is not valid YAML here; the section \"When fasti complains\" of docs/adding-a-source.md shows the usual fixes")
    }

    /// `{ es: Roma, Italia, en: Rome }`: in a flow mapping, a comma ends an entry, so `Italia`
    /// became a key with no value. Nearly always a comma meant as part of the previous value.
    fn report_flow_entry_without_value(&mut self) {
        let Some(Frame {
            container: Container::Map(_, Some(key)),
            flow: true,
            key_at,
            ..
        }) = self.stack.last()
        else {
            return;
        };
        let key = key.clone();
        let (start, end) = (self.offsets.byte(key_at.0), self.offsets.byte(key_at.1));
        let diagnostic = Diagnostic::new(
            Rule::SyntaxError,
            format!("`{key}` has no value: inside `{{ … }}`, a comma ends an entry"),
            Label::new(self.file.clone(), Anchor::Bytes { start, end })
                .with_message("read as a key of its own"),
        );
        // The entry is dropped: the finding stands for it, and the schema would only repeat it.
        if let Some(Frame {
            container: Container::Map(_, pending),
            ..
        }) = self.stack.last_mut()
        {
            *pending = Some(DUPLICATE.to_owned());
        }
        let diagnostic = diagnostic.with_help(
            previous_flow_entry(&self.text[..start]).map_or_else(
                || format!("if `{key}` belongs to the value before it, put that whole value in quotes; otherwise give it a value (`{key}: …`)"),
                |(previous_key, previous_value)| format!(
                    "if `{key}` belongs to the value before it, put the whole value in quotes: `{previous_key}: \"{previous_value}, {key}\"`; otherwise give it a value (`{key}: …`)"
                ),
            ),
        );
        self.push(diagnostic);
    }

    fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                container: Container::Map(_, None),
                ..
            })
        )
    }

    /// Takes a scalar in key position.
    fn key(&mut self, text: Cow<'_, str>, style: ScalarStyle, marked: Marked) {
        let not_text = style == ScalarStyle::Plain
            && !matches!(
                Scalar::parse_from_cow_and_metadata(Cow::Borrowed(&text), style, None),
                Some(Scalar::String(_))
            );
        let too_long = text.len() > self.limits.max_string_length;
        let duplicate = matches!(self.stack.last(), Some(Frame { container: Container::Map(map, _), .. }) if map.contains_key(&*text));
        // Byte offsets only when something needs them: for non-ASCII text the first one builds
        // a table of the whole file, which the fast path never needs.
        let at = if not_text || too_long || duplicate {
            self.bytes(marked)
        } else {
            (0, 0)
        };
        if not_text {
            let diagnostic = Diagnostic::new(
                Rule::SyntaxError,
                format!("key `{text}` is not text (YAML reads it as a number, a boolean or null)"),
                Label::new(
                    self.file.clone(),
                    Anchor::Bytes {
                        start: at.0,
                        end: at.1,
                    },
                ),
            )
            .with_help(format!("quote it: `\"{text}\"`"));
            self.push(diagnostic);
        }
        if too_long {
            let limit = self.limits.max_string_length;
            self.report(
                Rule::LimitExceeded,
                format!("key is longer than the limit of {limit} bytes"),
                Anchor::Bytes {
                    start: at.0,
                    end: at.1,
                },
            );
        }
        let key = text.into_owned();
        if duplicate {
            let first = self.pointer_of_key(&key);
            let diagnostic = Diagnostic::new(
                Rule::DuplicateKey,
                format!(
                    "key `{key}` appears twice in the same mapping; the second value is ignored"
                ),
                Label::new(
                    self.file.clone(),
                    Anchor::Bytes {
                        start: at.0,
                        end: at.1,
                    },
                )
                .with_message("second time"),
            )
            .with_related(
                Label::new(self.file.clone(), Anchor::key(first)).with_message("first time"),
            )
            .with_help("keep one of the two: merge their values or rename one");
            self.push(diagnostic);
        }
        if self.stack.len() == 1 {
            if duplicate {
                self.outline.complete = false;
            } else {
                self.outline.top.push(OutlineEntry {
                    key: key.clone(),
                    key_span: chars(marked),
                    value_span: None,
                    list: false,
                    items: Vec::new(),
                });
            }
        }
        if let Some(Frame {
            container: Container::Map(_, pending),
            key_at,
            ..
        }) = self.stack.last_mut()
        {
            *key_at = chars(marked);
            // A duplicate's value is read but dropped: `complete` sees the pending key is taken.
            *pending = Some(if duplicate { DUPLICATE.to_owned() } else { key });
        }
    }

    /// Notes in the outline the span of a value that completes at the first levels: the root,
    /// a top-level value, an item of a top-level list. `self.stack` does not hold it any more.
    fn outline_value(&mut self, value: &Value, span: (usize, usize)) {
        let top_key = |frame: &Frame| matches!(&frame.container, Container::Map(_, Some(key)) if key != DUPLICATE);
        match self.stack.as_slice() {
            [] => {
                self.outline.root = Some(span);
                // Only a mapping's first levels are outlined.
                self.outline.complete &= value.is_object();
            }
            [top] if top_key(top) => {
                if let Some(entry) = self.outline.top.last_mut() {
                    entry.value_span = Some(span);
                    entry.list = value.is_array();
                }
            }
            [
                top,
                Frame {
                    container: Container::Seq(_),
                    ..
                },
            ] if top_key(top) => {
                if let Some(entry) = self.outline.top.last_mut() {
                    entry.items.push(span);
                }
            }
            _ => {}
        }
    }

    /// Types a scalar in value position by the YAML 1.2 core schema.
    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        marked: Marked,
    ) -> Value {
        let mut tag = tag;
        if let Some(custom) = tag.filter(|tag| !is_core_tag(tag)) {
            self.report_tag(custom, marked);
            tag = None;
        }
        if text.len() > self.limits.max_string_length {
            let limit = self.limits.max_string_length;
            let anchor = self.anchor(marked);
            self.report(
                Rule::LimitExceeded,
                format!(
                    "value is {} bytes long, more than the limit of {limit}; only its first {limit} bytes are checked",
                    text.len()
                ),
                anchor,
            );
            let mut cut = limit;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            return Value::String(text[..cut].to_owned());
        }
        if style == ScalarStyle::Plain
            && tag.is_none()
            && looks_like_integer(&text)
            && text.parse::<i64>().is_err()
        {
            let anchor = self.anchor(marked);
            self.report(
                Rule::LimitExceeded,
                format!("integer `{text}` is too large to be kept exactly; quote it if it is an identifier"),
                anchor,
            );
            return Value::String(text.into_owned());
        }
        // A quoted scalar is a string: take it as it is, without typing it.
        if style != ScalarStyle::Plain && tag.is_none() {
            return Value::String(text.into_owned());
        }
        let tag_cow = tag.map(|tag| Cow::Owned(tag.clone()));
        // Typed on a borrow, so that a string (the common case) is copied once, below.
        let typed = match Scalar::parse_from_cow_and_metadata(
            Cow::Borrowed(&*text),
            style,
            tag_cow.as_ref(),
        ) {
            Some(Scalar::Null) => Ok(Some(Value::Null)),
            Some(Scalar::Boolean(b)) => Ok(Some(Value::Bool(b))),
            Some(Scalar::Integer(i)) => Ok(Some(Value::Number(i.into()))),
            Some(Scalar::FloatingPoint(f)) => match Number::from_f64(f.into_inner()) {
                Some(number) => Ok(Some(Value::Number(number))),
                None => {
                    Err("is not a finite number, which JSON cannot hold; quote it if it is text")
                }
            },
            Some(Scalar::String(_)) => Ok(None),
            None => Err("does not match its tag"),
        };
        match typed {
            Ok(Some(value)) => value,
            Ok(None) => Value::String(text.into_owned()),
            Err(problem) => {
                let anchor = self.anchor(marked);
                self.report(Rule::SyntaxError, format!("`{text}` {problem}"), anchor);
                Value::String(text.into_owned())
            }
        }
    }

    /// Attaches a finished value, written between character indices `span`, to its parent.
    fn complete(&mut self, value: Value, span: (usize, usize), root: &mut Option<Value>) {
        self.outline_value(&value, span);
        match self.stack.last_mut() {
            None => *root = Some(value),
            Some(Frame {
                container: Container::Seq(items),
                ..
            }) => items.push(value),
            Some(Frame {
                container: Container::Map(map, pending),
                ..
            }) => {
                if let Some(key) = pending.take().filter(|key| key != DUPLICATE) {
                    map.insert(key, value);
                }
            }
        }
    }

    /// The pointer of `key` in the innermost mapping.
    fn pointer_of_key(&self, key: &str) -> String {
        let mut pointer = pointer_of(&self.stack);
        push_segment(&mut pointer, key);
        pointer
    }

    /// Reports a tag fasti does not read (`!!python/object`, `!custom`): the value is read as
    /// if untagged. Nothing is ever constructed from a tag.
    fn report_tag(&mut self, tag: &Tag, marked: Marked) {
        let at = self.bytes(marked);
        // Show the tag as written (`!!python/object`), not resolved (`tag:yaml.org,2002:...`).
        let written = self.text[at.0..]
            .split(char::is_whitespace)
            .next()
            .filter(|written| written.starts_with('!'))
            .map_or_else(|| tag.to_string(), str::to_owned);
        let end = at.0
            + if written.starts_with('!') && self.text[at.0..].starts_with(&written) {
                written.len()
            } else {
                at.1 - at.0
            };
        let diagnostic = Diagnostic::new(
            Rule::SyntaxError,
            format!("tag `{written}` is not supported; fasti reads plain YAML data"),
            Label::new(self.file.clone(), Anchor::Bytes { start: at.0, end }),
        )
        .with_help("remove the tag: write the value as plain text, a number, a list or a mapping");
        self.push(diagnostic);
    }

    fn report_anchor(&mut self, marked: Marked) {
        if std::mem::replace(&mut self.reported_anchor, true) {
            return;
        }
        let at = self.bytes(marked);
        // Point at the `&name` or `*name` itself, not at the whole node it starts.
        let end = self.text[at.0..]
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}'))
            .map_or(at.1, |n| at.0 + n);
        let diagnostic = Diagnostic::new(
            Rule::SyntaxError,
            "YAML anchors and aliases are not supported; this file is not checked further",
            Label::new(self.file.clone(), Anchor::Bytes { start: at.0, end }),
        )
        .with_help("write each value out in full where it is used");
        self.push(diagnostic);
    }

    fn report(&mut self, rule: Rule, message: String, anchor: Anchor) {
        let diagnostic = Diagnostic::new(rule, message, Label::new(self.file.clone(), anchor));
        self.push(diagnostic);
    }

    /// Keeps a finding, or only counts it once `max_findings_per_file` are kept, so that a file
    /// made of thousands of faults cannot fill memory with findings.
    fn push(&mut self, diagnostic: Diagnostic) {
        if self.diagnostics.len() < self.limits.max_findings_per_file {
            self.diagnostics.push(diagnostic);
        } else {
            self.dropped += 1;
        }
    }

    fn anchor(&mut self, marked: Marked) -> Anchor {
        let (start, end) = self.bytes(marked);
        Anchor::Bytes { start, end }
    }

    fn bytes(&mut self, marked: Marked) -> (usize, usize) {
        (
            self.offsets.byte(marked.start.index()),
            self.offsets.byte(marked.end.index()),
        )
    }
}

fn chars(marked: Marked) -> (usize, usize) {
    (marked.start.index(), marked.end.index())
}

/// The `key: value` entry just before `before`'s end in a flow mapping (`es: Nápoles` in
/// `{ es: Nápoles, `), if it is a plain one.
fn previous_flow_entry(before: &str) -> Option<(&str, &str)> {
    let before = before.trim_end().strip_suffix(',')?;
    let start = before.rfind(['{', ','])? + 1;
    let (key, value) = before[start..].split_once(": ")?;
    let (key, value) = (key.trim(), value.trim());
    (!key.is_empty() && !value.is_empty() && !value.starts_with(['"', '\'', '[', '{']))
        .then_some((key, value))
}

/// Stands for the key of an entry whose value is dropped, once a finding says why: a duplicate
/// key, or a flow-mapping entry a stray comma cut off. Not a valid YAML key text from any file
/// since it contains a NUL, which fasti refuses on reading.
const DUPLICATE: &str = "\0duplicate";

/// The pointer of the innermost open container, derived from the stack: a sequence's child is
/// at index `len`, a mapping's child under its pending key.
fn pointer_of(stack: &[Frame]) -> String {
    let mut pointer = String::new();
    for window in stack.windows(2) {
        match &window[0].container {
            Container::Seq(items) => push_segment(&mut pointer, &items.len().to_string()),
            Container::Map(_, Some(key)) => push_segment(&mut pointer, key),
            Container::Map(_, None) => {}
        }
    }
    pointer
}

fn is_core_tag(tag: &Tag) -> bool {
    tag.is_yaml_core_schema()
        && matches!(
            tag.suffix.as_str(),
            "str" | "int" | "float" | "bool" | "null" | "seq" | "map"
        )
}

fn looks_like_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn char_len_at(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8)
}

/// saphyr's messages say "byte" where they mean a character index, and carry their own
/// position; fasti shows the position itself.
fn syntax_message(info: &str) -> String {
    let mut message = info.trim().to_owned();
    if let Some(first) = message.get(..1) {
        let lower = first.to_lowercase();
        message.replace_range(..1, &lower);
    }
    message.trim_end_matches('.').to_owned()
}
