//! fasti: keeps a multilingual dataset of historical events honest.
//!
//! [`check`] runs the whole pipeline, `sources/ → ingest → normalize → validate`, and returns
//! the findings with their spans resolved, ready for `fasti_report`. The binary (`main.rs`) is
//! a thin command line over it.

mod collect;
pub mod export;
mod pipeline;
pub mod server;

pub use pipeline::{
    CheckOptions, Outcome, Overlay, References, Reuse, RunError, check, check_with,
    check_with_dataset, find_root, read_text,
};

/// glibc's allocator spends a third of a run in `malloc`/`free` on the many small values a
/// parsed file is made of, and scales poorly across threads; mimalloc does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
