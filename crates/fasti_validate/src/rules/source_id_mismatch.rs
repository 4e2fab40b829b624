//! `source-id-mismatch`: a source's `id` differs from its file name.

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_normalize::dataset::Source;

use crate::Context;

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(id) = &source.id else { return };
    let name = source.file.rsplit('/').next().unwrap_or(&source.file);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    if id != stem {
        out.push(
            Diagnostic::new(
                Rule::SourceIdMismatch,
                format!("source id `{id}` differs from its file name `{name}`"),
                Label::new(source.file.clone(), Anchor::value("/id")),
            )
            .with_help(format!(
                "rename the file to `{id}.{}` or set `id: {stem}`",
                name.rsplit('.').next().unwrap_or("yaml")
            )),
        );
    }
}
