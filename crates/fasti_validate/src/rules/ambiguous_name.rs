//! `ambiguous-name`: a name that matches more than one authority entry.

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_normalize::dataset::Source;
use fasti_normalize::names::Resolution;

use super::unknown_reference::{Kind, source_refs};
use crate::Context;

pub(super) fn check(source: &Source, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let authority = context.authority;
    for (kind, reference) in source_refs(source) {
        let Resolution::Ambiguous(entries) = &reference.resolution else {
            continue;
        };
        let ids: Vec<String> = entries
            .iter()
            .filter_map(|&i| match kind {
                Kind::Event => authority.events.get(i).map(|e| format!("`{}`", e.at.id)),
                Kind::Person => authority.people.get(i).map(|p| format!("`{}`", p.at.id)),
                Kind::Place => authority.places.get(i).map(|p| format!("`{}`", p.at.id)),
            })
            .collect();
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
