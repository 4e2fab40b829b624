//! The finding model shared by every stage of fasti.
//!
//! A [`Diagnostic`] names the [`Rule`] it breaks, says what is wrong in plain words and points at
//! one or more places in the dataset through [`Label`]s. A label is first *anchored* by a JSON
//! pointer into a parsed file ([`Anchor`]); the byte span is resolved later, and only for files that
//! have findings, so that clean files never pay for span bookkeeping.

mod diagnostic;
mod registry;

pub use diagnostic::{Anchor, Diagnostic, Label, Severity, Span, Status};
pub use registry::{Family, Rule};
