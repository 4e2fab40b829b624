//! `date-language-mismatch`: a date written in another language than the source's.

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_normalize::dataset::Source;

use super::source_dates;
use crate::Context;

pub(super) fn check(source: &Source, _context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for date in source_dates(source) {
        let Ok(value) = &date.value else { continue };
        let Some(looks_like) = value.language_mismatch else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Rule::DateLanguageMismatch,
                format!(
                    "date `{}` is written in {}, but the source's language is {}",
                    date.text,
                    language_name(looks_like.as_str()),
                    language_name(source.lang.as_str())
                ),
                Label::new(source.file.clone(), Anchor::value(date.pointer.clone())),
            )
            .with_help("check the source's `language`, or write the date as the document does"),
        );
    }
}

fn language_name(code: &str) -> &str {
    match code {
        "es" => "Spanish",
        "pt" => "Portuguese",
        "en" => "English",
        other => other,
    }
}
