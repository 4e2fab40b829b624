use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::Rule;

/// How serious a finding is. Ordered from least to most serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A byte range in a file's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// Where in a file a label points, before its byte span is known.
///
/// Pointers are RFC 6901 JSON pointers into the parsed document (`/events/3/date`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Anchor {
    /// The value at the pointer.
    Value { pointer: String },
    /// The key under which the value at the pointer is stored (the parent object's key).
    Key { pointer: String },
    /// The first line of the value at the pointer: a record as a whole, e.g. one that misses a
    /// field, without underlining all of it.
    Head { pointer: String },
    /// A part of the string value at the pointer, as a byte range within the string's content.
    Within {
        pointer: String,
        start: usize,
        end: usize,
    },
    /// A byte range known directly (syntax errors).
    Bytes { start: usize, end: usize },
    /// The file as a whole (unreadable files, empty files).
    File,
}

impl Anchor {
    pub fn value(pointer: impl Into<String>) -> Anchor {
        Anchor::Value {
            pointer: pointer.into(),
        }
    }

    pub fn key(pointer: impl Into<String>) -> Anchor {
        Anchor::Key {
            pointer: pointer.into(),
        }
    }

    /// The JSON pointer this anchor refers to, if any.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Anchor::Value { pointer }
            | Anchor::Key { pointer }
            | Anchor::Head { pointer }
            | Anchor::Within { pointer, .. } => Some(pointer),
            Anchor::Bytes { .. } | Anchor::File => None,
        }
    }
}

/// A place in the dataset that a diagnostic points at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    /// The file, relative to the dataset root, with `/` separators.
    pub file: Arc<str>,
    pub anchor: Anchor,
    /// What this place contributes, e.g. `source A says 1943-09`.
    pub message: Option<String>,
    /// The resolved byte span; `None` until the reporter's locator has run, or if the anchor could
    /// not be found in the file (the file then counts as the location).
    pub span: Option<Span>,
}

impl Label {
    pub fn new(file: Arc<str>, anchor: Anchor) -> Label {
        Label {
            file,
            anchor,
            message: None,
            span: None,
        }
    }

    pub fn with_message(mut self, message: impl Into<String>) -> Label {
        self.message = Some(message.into());
        self
    }
}

/// Whether a finding still needs attention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Status {
    /// The finding counts towards the exit code.
    Open,
    /// An adjudication in the authority files records a decision about this finding: it is shown
    /// in every report but does not fail the run.
    Adjudicated {
        decision: String,
        reason: String,
        /// Where the adjudication is written.
        at: Box<Label>,
    },
}

/// One finding: a rule broken at a place in the dataset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    /// What is wrong: lowercase, no trailing period, naming the field and the values.
    pub message: String,
    /// The offending value.
    pub primary: Label,
    /// Other places involved (the other source, the cause, the authority entry).
    pub related: Vec<Label>,
    /// What to do.
    pub help: Option<String>,
    /// Why, or what was assumed, when the message does not say it already.
    pub notes: Vec<String>,
    pub status: Status,
    /// The canonical event the finding is about, if any: adjudications are written on it.
    pub event: Option<String>,
    /// The ids of the sources the finding involves, sorted: an adjudication must list them all.
    pub sources: Vec<String>,
}

impl Diagnostic {
    /// A new open finding at the rule's default severity.
    pub fn new(rule: Rule, message: impl Into<String>, primary: Label) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            primary,
            related: Vec::new(),
            help: None,
            notes: Vec::new(),
            status: Status::Open,
            event: None,
            sources: Vec::new(),
        }
    }

    /// Names the event and the sources the finding is about, so an adjudication can match it.
    pub fn about(
        mut self,
        event: Option<&str>,
        sources: impl IntoIterator<Item = impl Into<String>>,
    ) -> Diagnostic {
        self.event = event.map(str::to_owned);
        self.sources = sources.into_iter().map(Into::into).collect();
        self.sources.sort();
        self.sources.dedup();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn with_related(mut self, label: Label) -> Diagnostic {
        self.related.push(label);
        self
    }

    /// Open findings at error severity fail the run.
    pub fn is_failing(&self) -> bool {
        self.severity == Severity::Error && self.status == Status::Open
    }

    pub fn is_adjudicated(&self) -> bool {
        matches!(self.status, Status::Adjudicated { .. })
    }

    /// The order of diagnostics in every report: root causes first (what stopped a file from
    /// being checked, [`Rule::stops_checking`]), then the open findings, then the allowances that
    /// match nothing (often a consequence of an open finding), then the adjudicated findings;
    /// within each, by file, position, rule, message.
    pub fn sort_key(&self) -> (u8, &str, usize, &Anchor, &'static str, &str) {
        let tier = if self.rule.stops_checking() {
            0
        } else if self.is_adjudicated() {
            3
        } else if matches!(self.rule, Rule::UnusedAdjudication | Rule::UnusedAllow) {
            2
        } else {
            1
        };
        (
            tier,
            &self.primary.file,
            self.primary.span.map_or(0, |s| s.start),
            &self.primary.anchor,
            self.rule.code(),
            &self.message,
        )
    }
}
