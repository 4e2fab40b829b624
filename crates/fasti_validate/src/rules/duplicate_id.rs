//! `duplicate-id`: the same identifier defined twice (authority entries, or source ids).

use std::collections::HashMap;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};

use crate::{Context, SourceSummary};

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for duplicate in &context.authority.duplicates {
        let (first, second) = (&duplicate.first, &duplicate.second);
        out.push(
            Diagnostic::new(
                Rule::DuplicateId,
                format!("id `{}` is defined twice", second.id),
                Label::new(
                    second.file.clone(),
                    Anchor::value(format!("{}/id", second.pointer)),
                )
                .with_message("defined again here"),
            )
            .with_related(
                Label::new(
                    first.file.clone(),
                    Anchor::value(format!("{}/id", first.pointer)),
                )
                .with_message("first defined here"),
            )
            .with_help("merge the two entries, or give one a different id"),
        );
    }
}

pub(super) fn check_sources(
    summaries: &[SourceSummary],
    _context: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&str, &SourceSummary> = HashMap::new();
    for summary in summaries {
        let Some(id) = summary.id.as_deref() else {
            continue;
        };
        match first.get(id) {
            Some(earlier) => out.push(
                Diagnostic::new(
                    Rule::DuplicateId,
                    format!("source id `{id}` is used by two files"),
                    Label::new(summary.file.clone(), Anchor::value("/id"))
                        .with_message("used again here"),
                )
                .with_related(
                    Label::new(earlier.file.clone(), Anchor::value("/id"))
                        .with_message("first used here"),
                )
                .with_help("each source file needs its own id, equal to its file name"),
            ),
            None => {
                first.insert(id, summary);
            }
        }
    }
}
