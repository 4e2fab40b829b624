//! Renders fasti findings in every output format.
//!
//! Every format is a view of the same [`Report`]: the sorted, span-resolved [`Diagnostic`]s, the
//! texts of the files they point into ([`Files`]) and what was checked ([`Summary`]). There is one
//! module per format; [`render`] picks one. Every format is deterministic: the same report gives
//! the same bytes (no timestamps, no absolute paths, no hash-map order).
//!
//! Positions are 1-based lines and columns, columns counted in Unicode scalar values (see
//! [`line_col`]). A label without a span points at its file as a whole.

pub mod dataset;
mod files;
mod github;
mod html;
mod human;
mod json;
mod junit;
mod location;
mod markdown;
mod narrative;
mod safe_text;
mod sarif;
mod snippet;

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::str::FromStr;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule, Severity};

pub use dataset::Dataset;
pub use files::Files;
pub use location::line_col;

/// What was checked, counted by the caller. Findings are counted from the diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub events: usize,
    /// Findings left out because the run had more than `max-findings`; one closing finding
    /// stands for them, and every summary line says how many.
    pub not_shown: usize,
}

/// Everything a format renders.
#[derive(Clone, Copy, Debug)]
pub struct Report<'a> {
    /// Sorted with [`Diagnostic::sort_key`], spans resolved.
    pub diagnostics: &'a [Diagnostic],
    pub files: &'a Files,
    pub summary: Summary,
    /// What the findings are limited to and compared with; the default is the whole dataset and
    /// no baseline, which renders exactly as before these options existed.
    pub scope: Scope<'a>,
    /// The normalized claims and the authority, when the pipeline kept them: the `html` timeline
    /// draws them, and shows only the findings without them.
    pub dataset: Option<&'a Dataset>,
}

/// How the reported findings relate to the run: limited to changed files, compared with a
/// baseline, or neither.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scope<'a> {
    /// Set when only the findings in files changed since a revision (and in files that reference
    /// them) are reported; the whole dataset was still checked.
    pub changed: Option<Changed<'a>>,
    /// Set when findings are compared with an earlier run: each is then `new` or `existing`.
    pub baseline: Option<&'a Baseline>,
}

/// `--changed-since REV`: the revision and how many files changed since it.
#[derive(Clone, Copy, Debug)]
pub struct Changed<'a> {
    pub since: &'a str,
    pub files: usize,
}

/// The findings of an earlier run, by [`fingerprint`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    /// What the baseline is, as the user named it (a revision or a file).
    pub name: String,
    pub fingerprints: BTreeSet<String>,
}

/// Whether a finding was already in the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Novelty {
    New,
    Existing,
}

impl Novelty {
    pub fn as_str(self) -> &'static str {
        match self {
            Novelty::New => "new",
            Novelty::Existing => "existing",
        }
    }
}

impl Baseline {
    /// `Existing` when the baseline has a finding with the same fingerprint, else `New`.
    pub fn novelty(&self, d: &Diagnostic) -> Novelty {
        if self.fingerprints.contains(&fingerprint(d)) {
            Novelty::Existing
        } else {
            Novelty::New
        }
    }
}

impl Scope<'_> {
    /// The finding's novelty, when there is a baseline.
    pub fn novelty(&self, d: &Diagnostic) -> Option<Novelty> {
        self.baseline.map(|baseline| baseline.novelty(d))
    }

    /// One sentence saying what the report is limited to, if it is.
    pub(crate) fn note(&self) -> Option<String> {
        self.changed.map(|changed| {
            format!(
                "only findings that involve the {} changed since `{}`, or files whose records reference them, are reported; the whole dataset was checked",
                plural(changed.files, "file", "files"),
                changed.since
            )
        })
    }
}

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// Graphical snippets for a terminal.
    Human,
    /// The same information as plain sentences, for screen readers.
    Narrative,
    /// One JSON document (`schema/report.schema.json`).
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// Markdown, for `$GITHUB_STEP_SUMMARY` and pull-request comments.
    Markdown,
    /// JUnit XML, for CI test reports.
    Junit,
    /// One self-contained HTML page: a timeline of each event's claims, with its findings.
    Html,
}

impl Format {
    /// Every format, in the order the documentation lists them.
    pub const ALL: &'static [Format] = &[
        Format::Human,
        Format::Narrative,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Markdown,
        Format::Junit,
        Format::Html,
    ];

    /// The lowercase name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Narrative => "narrative",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Markdown => "markdown",
            Format::Junit => "junit",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL
            .iter()
            .copied()
            .find(|format| format.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown format `{s}`; expected one of: {}",
                    names.join(", ")
                )
            })
    }
}

/// How to render. The caller decides colour (TTY, `NO_COLOR`, `CLICOLOR_FORCE`) and width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colours in `human` output. Other formats ignore it.
    pub color: bool,
    /// The terminal width `human` output wraps to.
    pub width: usize,
    /// Where rule documentation is published: a rule's page is `docs_url` + name + `.md`.
    pub docs_url: String,
    /// fasti's version, as reported in `json`, `sarif` and `junit` output.
    pub tool_version: &'static str,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            color: false,
            width: 100,
            docs_url: String::new(),
            tool_version: env!("CARGO_PKG_VERSION"),
        }
    }
}

impl RenderOptions {
    /// The documentation page of a rule.
    pub(crate) fn rule_url(&self, rule: Rule) -> String {
        format!("{}{}.md", self.docs_url, rule.name())
    }
}

/// Writes `report` to `out` in `format`.
pub fn render(
    format: Format,
    report: &Report<'_>,
    options: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    // Formats read by people get a copy with control characters escaped; JSON and SARIF escape
    // them by their own syntax.
    let escaped = match format {
        Format::Json | Format::Sarif => None,
        _ => safe_text::Escaped::of(report),
    };
    let safe;
    let report = match &escaped {
        Some(escaped) => {
            safe = escaped.report(report);
            &safe
        }
        None => report,
    };
    match format {
        Format::Human => human::render(report, options, out),
        Format::Narrative => narrative::render(report, options, out),
        Format::Json => json::render(report, options, out),
        Format::Sarif => sarif::render(report, options, out),
        Format::Github => github::render(report, options, out),
        Format::Markdown => markdown::render(report, options, out),
        Format::Junit => junit::render(report, options, out),
        Format::Html => html::render(report, options, out),
    }
}

/// How a run ends, as a process exit code (ruff's convention).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// No open finding fails the run.
    Clean = 0,
    /// An open error (or, with `--deny warnings`, an open warning).
    Failing = 1,
    /// fasti could not run (bad arguments, unreadable dataset root). Never returned by
    /// [`exit_status`]; the CLI uses it.
    Error = 2,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> std::process::ExitCode {
        std::process::ExitCode::from(status as u8)
    }
}

/// Whether the findings fail the run. Adjudicated findings never do.
pub fn exit_status(diagnostics: &[Diagnostic], deny_warnings: bool) -> ExitStatus {
    let failing = diagnostics
        .iter()
        .any(|d| !d.is_adjudicated() && (d.severity == Severity::Error || deny_warnings));
    if failing {
        ExitStatus::Failing
    } else {
        ExitStatus::Clean
    }
}

/// A fingerprint that identifies a finding across runs, machines and edits elsewhere in the file.
///
/// It hashes (xxh3-64) the rule's name, the primary file and anchor, the message and the related
/// labels' files and anchors. It never hashes byte offsets into a file (`Anchor::Bytes` contributes
/// only its kind), so moving a record does not change it; changing the message does.
pub fn fingerprint(d: &Diagnostic) -> String {
    let mut bytes = Vec::with_capacity(128);
    field(&mut bytes, "fasti/v1");
    field(&mut bytes, d.rule.name());
    label_fields(&mut bytes, &d.primary);
    field(&mut bytes, &d.message);
    for related in &d.related {
        label_fields(&mut bytes, related);
    }
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))
}

/// A length-prefixed field, so that fields cannot run into each other.
fn field(bytes: &mut Vec<u8>, value: &str) {
    bytes.extend_from_slice(&(value.len() as u64).to_le_bytes());
    bytes.extend_from_slice(value.as_bytes());
}

fn label_fields(bytes: &mut Vec<u8>, label: &Label) {
    field(bytes, &label.file);
    match &label.anchor {
        // Byte offsets into the file move whenever a line above is edited: only the kind counts.
        Anchor::Bytes { .. } => field(bytes, "bytes"),
        // Every other anchor is a JSON pointer (plus, for `Within`, offsets inside one string
        // value), stable under edits elsewhere. Its serde form names the kind and the fields.
        anchor => field(bytes, &serde_json::to_string(anchor).unwrap_or_default()),
    }
}

/// Finding counts, as every format's summary shows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Open findings at error severity.
    pub(crate) errors: usize,
    /// Open findings at warning severity.
    pub(crate) warnings: usize,
    /// Adjudicated findings, of either severity.
    pub(crate) adjudicated: usize,
}

impl Counts {
    pub(crate) fn of(diagnostics: &[Diagnostic]) -> Counts {
        let mut counts = Counts::default();
        for d in diagnostics {
            match (d.is_adjudicated(), d.severity) {
                (true, _) => counts.adjudicated += 1,
                (false, Severity::Error) => counts.errors += 1,
                (false, Severity::Warning) => counts.warnings += 1,
            }
        }
        counts
    }
}

/// `2 errors, 1 warning, 3 adjudicated in 7 files (63 events)`, or `no problems in 7 files (63
/// events)`.
pub(crate) fn summary_line(report: &Report<'_>) -> String {
    let (diagnostics, summary) = (report.diagnostics, report.summary);
    let counts = Counts::of(diagnostics);
    let mut parts = Vec::new();
    if counts.errors > 0 {
        parts.push(plural(counts.errors, "error", "errors"));
    }
    if counts.warnings > 0 {
        parts.push(plural(counts.warnings, "warning", "warnings"));
    }
    if parts.is_empty() {
        parts.push(if counts.adjudicated > 0 {
            "no open problems".into()
        } else {
            "no problems".into()
        });
    }
    if counts.adjudicated > 0 {
        parts.push(format!("{} adjudicated", counts.adjudicated));
    }
    let mut line = format!(
        "{} in {} ({})",
        parts.join(", "),
        plural(summary.files, "file", "files"),
        plural(summary.events, "event", "events")
    );
    if let Some((new, existing)) = novelty_counts(report) {
        line.push_str(&format!(
            "; {new} new, {existing} existing since the baseline"
        ));
    }
    if summary.not_shown > 0 {
        line.push_str(&format!(
            "; {} not shown (over the limit of findings per run)",
            plural(summary.not_shown, "more finding", "more findings")
        ));
    }
    line
}

/// Open findings that are new and that are existing, when there is a baseline.
pub(crate) fn novelty_counts(report: &Report<'_>) -> Option<(usize, usize)> {
    let baseline = report.scope.baseline?;
    let (mut new, mut existing) = (0, 0);
    for d in report.diagnostics.iter().filter(|d| !d.is_adjudicated()) {
        match baseline.novelty(d) {
            Novelty::New => new += 1,
            Novelty::Existing => existing += 1,
        }
    }
    Some((new, existing))
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The adjudication of a finding: decision, reason and where it is written.
pub(crate) fn adjudication(d: &Diagnostic) -> Option<(&str, &str, &Label)> {
    match &d.status {
        fasti_diagnostics::Status::Open => None,
        fasti_diagnostics::Status::Adjudicated {
            decision,
            reason,
            at,
        } => Some((decision, reason, at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_round_trip_through_their_names() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>(), Ok(*format));
        }
        assert!("HUMAN".parse::<Format>().is_err());
    }

    #[test]
    fn plural_forms() {
        assert_eq!(plural(1, "file", "files"), "1 file");
        assert_eq!(plural(0, "file", "files"), "0 files");
        assert_eq!(plural(2, "file", "files"), "2 files");
    }
}
