//! Integration tests of `fasti_normalize::date`.

mod api;
mod conformance;
mod json;
mod props;
