//! Tests of every output format over one hand-built report.

#![allow(
    clippy::unwrap_used,
    clippy::print_stderr,
    clippy::expect_used,
    unreachable_pub
)]

mod fixtures;
mod formats;
mod html;
mod schema;
mod scope;
mod units;
