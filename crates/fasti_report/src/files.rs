//! The texts of the files that have findings, and the resolution of labels to lines and columns.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use fasti_diagnostics::{Label, Span};

use crate::location::{LineIndex, Position, clamp_span};

/// The text of every file a report points into, keyed by the path used in the labels (relative to
/// the dataset root, with `/` separators).
///
/// Only files that have findings need to be here, but include every file a label points at,
/// including the authority files that adjudications are written in: a label whose file is missing
/// is reported by file name only, without a line or a snippet.
#[derive(Clone, Debug, Default)]
pub struct Files {
    files: BTreeMap<Arc<str>, SourceFile>,
}

#[derive(Clone, Debug)]
pub(crate) struct SourceFile {
    pub(crate) name: Arc<str>,
    pub(crate) text: Arc<str>,
    lines: OnceLock<LineIndex>,
}

impl SourceFile {
    pub(crate) fn new(name: Arc<str>, text: Arc<str>) -> SourceFile {
        SourceFile {
            name,
            text,
            lines: OnceLock::new(),
        }
    }

    /// Where each line starts, computed on first use.
    pub(crate) fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }
}

impl Files {
    pub fn new() -> Files {
        Files::default()
    }

    /// Adds (or replaces) a file's text. Its line index is computed once, when first needed, or
    /// by [`Files::index_lines`].
    pub fn insert(&mut self, file: impl Into<Arc<str>>, text: impl Into<Arc<str>>) {
        let name = file.into();
        self.files
            .insert(name.clone(), SourceFile::new(name, text.into()));
    }

    /// Computes every file's line index now, in parallel, rather than one by one as a report
    /// first needs each (for a million events: a third of a gigabyte scanned, 0.15 s on one
    /// thread).
    pub fn index_lines(&self) {
        self.files.par_iter().for_each(|(_, file)| {
            file.lines();
        });
    }

    pub fn get(&self, file: &str) -> Option<&str> {
        self.files.get(file).map(|f| &*f.text)
    }

    /// Each file's name and text, by name.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Arc<str>)> {
        self.files.iter().map(|(name, file)| (name, &file.text))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub(crate) fn source(&self, file: &str) -> Option<&SourceFile> {
        self.files.get(file)
    }

    /// Where a label points, as every format needs it.
    pub(crate) fn locate(&self, label: &Label) -> Location {
        let source = self.source(&label.file);
        let (span, range) = match (label.span, source) {
            (Some(span), Some(source)) => {
                let span = clamp_span(&source.text, span);
                let start = source.lines().position(&source.text, span.start);
                let end = source.lines().position(&source.text, span.end);
                let last = if span.is_empty() {
                    start
                } else {
                    let last_char = source.text[..span.end]
                        .chars()
                        .next_back()
                        .map_or(1, char::len_utf8);
                    source.lines().position(&source.text, span.end - last_char)
                };
                (Some(span), Some(Range { start, end, last }))
            }
            (span, _) => (span, None),
        };
        Location {
            file: label.file.clone(),
            span,
            range,
        }
    }
}

/// A label resolved against its file's text.
#[derive(Clone, Debug)]
pub(crate) struct Location {
    pub(crate) file: Arc<str>,
    /// The byte span, clamped to the text when the text is known; `None` for the file as a whole.
    pub(crate) span: Option<Span>,
    /// Lines and columns; `None` for the file as a whole, or when the file's text is unknown.
    pub(crate) range: Option<Range>,
}

/// Lines and columns of a span.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Range {
    /// The first character.
    pub(crate) start: Position,
    /// Just past the last character (exclusive end; equal to `start` for an empty span).
    pub(crate) end: Position,
    /// The last character (inclusive end; equal to `start` for an empty span).
    pub(crate) last: Position,
}

impl Location {
    /// `file:line:column`, or `file` for the file as a whole.
    pub(crate) fn display(&self) -> String {
        match self.range {
            Some(range) => format!("{}:{}:{}", self.file, range.start.line, range.start.column),
            None => self.file.to_string(),
        }
    }

    pub(crate) fn line(&self) -> Option<usize> {
        self.range.map(|r| r.start.line)
    }
}
