//! Integration tests of `fasti_date`.

mod api;
mod conformance;
mod json;
mod props;
