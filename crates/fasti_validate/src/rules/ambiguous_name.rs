//! `ambiguous-name`: a name that matches more than one authority entry.
//!
//! The message lists the first few entries (`fasti_normalize::names::SHOWN_CANDIDATES`) and how
//! many there are: a name shared by 100,000 people must not make each finding list them all.

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_normalize::dataset::Source;
use fasti_normalize::names::Resolution;

use super::unknown_reference::{Kind, source_refs};
use crate::Context;

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let authority = context.authority;
    for (kind, reference) in source_refs(source) {
        let Resolution::Ambiguous { first, count } = &reference.resolution else {
            continue;
        };
        let mut ids: Vec<String> = first
            .iter()
            .filter_map(|&i| match kind {
                Kind::Event => authority.events.get(i).map(|e| format!("`{}`", e.at.id)),
                Kind::Person => authority.people.get(i).map(|p| format!("`{}`", p.at.id)),
                Kind::Place => authority.places.get(i).map(|p| format!("`{}`", p.at.id)),
            })
            .collect();
        if *count > first.len() {
            ids.push(format!("and {} more", count - first.len()));
        }
        out.push(
            Diagnostic::new(
                Rule::AmbiguousName,
                format!(
                    "`{}` names more than one {}: {}",
                    reference.text,
                    kind.noun(),
                    ids.join(", ")
                ),
                Label::new(
                    source.file.clone(),
                    Anchor::value(reference.pointer.clone()),
                ),
            )
            .with_help("write the name the authority lists for the one you mean, or its id"),
        );
    }
}
