//! Integration tests of `fasti_date`.

mod api;
mod conformance;
mod easter;
mod json;
mod props;
