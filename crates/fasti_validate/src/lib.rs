//! The checks: the JSON Schema and the consistency rules.
//!
//! Everything here is a pure function from parsed and normalized data to [`Diagnostic`]s: no
//! I/O, and bad data is a finding, never an `Err`. The caller drives three phases:
//! [`check_authority`] once, [`check_source`] for each source (in parallel), then [`finish`]
//! over every finding and the sources' summaries, which runs the cross-source rules and applies
//! suppressions, adjudications and the configured severities.

mod rules;
pub mod schema;
mod settings;
mod suppress;

use fasti_diagnostics::Diagnostic;
use fasti_ingest::FileName;
use fasti_normalize::dataset::{Authority, Source};
use fasti_normalize::interval::Dating;

pub use settings::Settings;

/// What every rule may consult besides the record it checks.
pub struct Context<'a> {
    pub authority: &'a Authority,
    pub settings: &'a Settings,
}

/// What the cross-source rules need of a source, kept after the source itself is dropped.
#[derive(Clone, Debug)]
pub struct SourceSummary {
    pub file: FileName,
    pub id: Option<String>,
    pub claims: Vec<ClaimSummary>,
    /// The `allow` entries of the source's claims, applied in [`finish`].
    pub allows: Vec<AllowSummary>,
    /// What the source's claims say of their events' relations (`part_of`, `caused_by`, `after`,
    /// `before`), for `reference-cycle` across sources.
    pub links: Vec<Link>,
    /// For each date read against an earlier one (`a finales de ese mes`): its pointer and a
    /// note saying what was assumed and from where, added to every finding that points at it.
    pub assumptions: Vec<(String, String)>,
    /// Whether the source was read and checked. A source that could not be read or parsed, or
    /// that this run was not asked to check, still has a summary, so that adjudications naming
    /// it are neither reported as unused (that would be a consequence, not a cause) nor as
    /// naming an unknown source.
    pub checked: bool,
}

impl SourceSummary {
    /// A source that is part of the dataset but was not checked in this run.
    pub fn unchecked(file: FileName) -> SourceSummary {
        SourceSummary {
            file,
            id: None,
            claims: Vec::new(),
            allows: Vec::new(),
            assumptions: Vec::new(),
            links: Vec::new(),
            checked: false,
        }
    }

    /// The id adjudications name the source by: its `id`, else its file name's stem.
    pub fn name(&self) -> &str {
        self.id
            .as_deref()
            .unwrap_or_else(|| rules::file_stem(&self.file))
    }
}

/// A dated claim about a known event: about 100 bytes and one string, so that a million claims
/// stay well under a gigabyte.
#[derive(Clone, Debug)]
pub struct ClaimSummary {
    /// The claim's index in the source's `events` (its pointer is `/events/{index}`).
    pub index: u32,
    /// Index of the event in the authority.
    pub event: u32,
    pub dating: Dating,
    /// Whether the claim has an `end` field of its own.
    pub has_end: bool,
    /// The date (and end) as written and in EDTF, for messages: `` `25 de julio` (1943-07-25) ``.
    pub shown: Box<str>,
}

impl ClaimSummary {
    /// The pointer of the claim's `date`, or of its `end` when `end` is asked for and present.
    pub fn pointer(&self, end: bool) -> String {
        let field = if end && self.has_end { "end" } else { "date" };
        format!("/events/{}/{field}", self.index)
    }
}

/// A relation between two events a claim states: `from` (the claim's event) `kind` `to`.
#[derive(Clone, Debug)]
pub struct Link {
    pub kind: LinkKind,
    pub from: u32,
    pub to: u32,
    /// Where it is said: the `part_of`, or the item of `caused_by`, `after` or `before`.
    pub pointer: String,
}

/// What a reference says of its record and the one it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    Within,
    PartOf,
    CausedBy,
    After,
    Before,
}

impl LinkKind {
    /// `` `a` is part of `b` ``.
    pub fn verb(self) -> &'static str {
        match self {
            LinkKind::Within => "is within",
            LinkKind::PartOf => "is part of",
            LinkKind::CausedBy => "was caused by",
            LinkKind::After => "came after",
            LinkKind::Before => "came before",
        }
    }
}

#[derive(Clone, Debug)]
pub struct AllowSummary {
    /// The claim the allow belongs to.
    pub claim_pointer: String,
    pub pointer: String,
    pub rule: Option<fasti_diagnostics::Rule>,
    /// The rule's name as written, for the message when it names no rule.
    pub written: String,
}

/// The order of findings before spans are known: by their anchor's pointer segments (indices as
/// numbers, so `/events/10` comes after `/events/9`), then rule and message. The caps on
/// findings keep the first in this order, close to the order of the file.
pub fn record_order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    fn segments(d: &Diagnostic) -> impl Iterator<Item = (u8, usize, &str)> {
        let (start, pointer) = match &d.primary.anchor {
            fasti_diagnostics::Anchor::Bytes { start, .. } => (*start, ""),
            anchor => (0, anchor.pointer().unwrap_or_default()),
        };
        std::iter::once((0, start, "")).chain(pointer.split('/').skip(1).map(|segment| {
            match segment.parse::<usize>() {
                Ok(index) => (1, index, ""),
                Err(_) => (2, 0, segment),
            }
        }))
    }
    segments(a)
        .cmp(segments(b))
        .then_with(|| (a.rule.code(), &a.message).cmp(&(b.rule.code(), &b.message)))
}

/// Rules over the authority files alone.
pub fn check_authority(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (rule, check) in rules::AUTHORITY_RULES {
        if context.settings.is_enabled(*rule) {
            check(context, &mut diagnostics);
        }
    }
    diagnostics
}

/// Rules over one source, against the authority.
pub fn check_source(source: &Source, context: &Context<'_>) -> (Vec<Diagnostic>, SourceSummary) {
    let mut diagnostics = Vec::new();
    for (rule, check) in rules::SOURCE_RULES {
        if context.settings.is_enabled(*rule) {
            check(source, context, &mut diagnostics);
        }
    }
    (diagnostics, summarize(source))
}

/// Cross-source rules, then suppressions (`allow`), adjudications (unless `adjudicate` is
/// false), the unused ones, and the configured severities. Rules turned `off` are dropped.
pub fn finish(
    mut diagnostics: Vec<Diagnostic>,
    summaries: &[SourceSummary],
    context: &Context<'_>,
    adjudicate: bool,
) -> Vec<Diagnostic> {
    for (rule, check) in rules::DATASET_RULES {
        if context.settings.is_enabled(*rule) {
            check(summaries, context, &mut diagnostics);
        }
    }
    note_assumptions(&mut diagnostics, summaries);
    suppress::apply_allows(&mut diagnostics, summaries, context);
    if adjudicate {
        suppress::apply_adjudications(&mut diagnostics, summaries, context);
    }
    diagnostics.extend(context.settings.problems.iter().cloned());
    context.settings.apply(diagnostics)
}

fn summarize(source: &Source) -> SourceSummary {
    let claims = source
        .claims
        .iter()
        .filter_map(|claim| {
            let event = u32::try_from(claim.event.as_ref()?.entry()?).ok()?;
            let index = u32::try_from(claim.index).ok()?;
            let dating = rules::claim_dating(claim)?;
            Some(ClaimSummary {
                index,
                event,
                dating,
                has_end: claim.end.as_ref().is_some_and(|end| end.value.is_ok()),
                shown: rules::shown_claim(claim).into_boxed_str(),
            })
        })
        .collect();
    let allows = source
        .claims
        .iter()
        .flat_map(|claim| {
            claim.allow.iter().map(|allow| AllowSummary {
                claim_pointer: claim.pointer.clone(),
                pointer: allow.pointer.clone(),
                rule: allow
                    .rule
                    .as_deref()
                    .and_then(fasti_diagnostics::Rule::find),
                written: allow.rule.clone().unwrap_or_default(),
            })
        })
        .collect();
    SourceSummary {
        file: source.file.clone(),
        id: source.id.clone(),
        claims,
        allows,
        links: links(source),
        assumptions: rules::source_dates(source)
            .filter_map(assumption_note)
            .collect(),
        checked: true,
    }
}

/// The relations between events that a source's claims state, resolved ones only.
fn links(source: &Source) -> Vec<Link> {
    let mut links = Vec::new();
    for claim in &source.claims {
        let Some(from) = claim
            .event
            .as_ref()
            .and_then(|r| r.entry())
            .and_then(|i| u32::try_from(i).ok())
        else {
            continue;
        };
        let lists = [
            (LinkKind::PartOf, claim.part_of.as_slice()),
            (LinkKind::CausedBy, claim.caused_by.as_slice()),
            (LinkKind::After, claim.after.as_slice()),
            (LinkKind::Before, claim.before.as_slice()),
        ];
        for (kind, refs) in lists {
            for r in refs {
                if let Some(to) = r.entry().and_then(|i| u32::try_from(i).ok()) {
                    links.push(Link {
                        kind,
                        from,
                        to,
                        pointer: r.pointer.clone(),
                    });
                }
            }
        }
    }
    links
}

/// `` `A finales de ese mes` is read as 1943-09-21/1943-09-30, taking the month September 1943
/// from `3 de septiembre` (event 7) ``: what a relative or partial date took from its context.
fn assumption_note(date: &fasti_normalize::dataset::DateValue) -> Option<(String, String)> {
    let value = date.value.as_ref().ok()?;
    let (from_pointer, from_text) = date.assumed_from.as_ref()?;
    let assumed: Vec<String> = value.assumed.iter().map(ToString::to_string).collect();
    let from = match from_pointer
        .strip_prefix("/events/")
        .and_then(|rest| rest.split('/').next())
    {
        Some(index) => format!(
            "`{from_text}` (event {})",
            index.parse::<usize>().map_or(0, |i| i + 1)
        ),
        None => format!("the source's context `{from_text}`"),
    };
    let note = format!(
        "`{}` is read as {}, taking {} from {from}",
        date.text,
        value.edtf,
        assumed.join(" and ")
    );
    Some((date.pointer.clone(), note))
}

/// Adds to each finding the notes of the dates it points at that were read against earlier ones.
fn note_assumptions(diagnostics: &mut [Diagnostic], summaries: &[SourceSummary]) {
    let notes: std::collections::HashMap<(&str, &str), &str> = summaries
        .iter()
        .flat_map(|s| {
            s.assumptions
                .iter()
                .map(move |(pointer, note)| ((&*s.file, pointer.as_str()), note.as_str()))
        })
        .collect();
    if notes.is_empty() {
        return;
    }
    for diagnostic in diagnostics {
        let found: Vec<String> = std::iter::once(&diagnostic.primary)
            .chain(&diagnostic.related)
            .filter_map(|label| notes.get(&(&*label.file, label.anchor.pointer()?)))
            .map(|note| (*note).to_owned())
            .collect();
        for note in found {
            if !diagnostic.notes.contains(&note) {
                diagnostic.notes.push(note);
            }
        }
    }
}
