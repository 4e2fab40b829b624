//! fasti_normalize: dates as sources write them, and names as they spell
//! them, turned into comparable forms.
//!
//! - [`date`]: the `fasti_date` crate, re-exported: date expressions (EDTF/ISO
//!   8601 and Spanish, Portuguese and English prose) normalized to intervals of days.
//! - [`names`]: names in any language or spelling resolved to the authority's ids.
//! - [`interval`]: comparisons of uncertain dates that say what is *certainly* so.
//! - [`dataset`]: the authority and each source's claims in comparable form.

pub mod dataset;
pub use fasti_date as date;
pub mod interval;
pub mod names;
