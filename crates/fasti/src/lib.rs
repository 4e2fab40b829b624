//! fasti: keeps a multilingual dataset of historical events honest.
//!
//! [`check`] runs the whole pipeline, `sources/ → ingest → normalize → validate`, and returns
//! the findings with their spans resolved, ready for `fasti_report`. The binary (`main.rs`) is
//! a thin command line over it.

mod pipeline;

pub use pipeline::{CheckOptions, Outcome, References, RunError, check, find_root};
