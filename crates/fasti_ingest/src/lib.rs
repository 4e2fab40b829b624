//! Reading the dataset: the only crate of fasti that touches the filesystem.
//!
//! [`discover`] lists the data files under the paths asked for, in a deterministic order;
//! [`read_file`] reads one within the configured [`Limits`]; [`parse`] turns its text into a
//! `serde_json::Value` (YAML 1.2 and JSON alike), reporting every problem as a [`Diagnostic`]
//! with a location. Spans are not recorded while parsing: [`SpanIndex::build_for`] re-reads the text
//! of the few files that have findings and maps JSON pointers back to byte ranges.
//! [`model`] gives the typed view of a parsed file, record by record.

mod config;
mod discover;
mod json;
mod limits;
pub mod model;
mod parse;
mod read;
mod schema_dir;
mod spans;
mod suspicious;
mod yaml;
mod yaml_slips;

use std::sync::Arc;

pub use config::{Config, ConfigError, Level, MAX_CONFIG_SIZE, RuleSetting, load_config};
pub use discover::{DataFile, Discovery, FileKind, discover};
pub use fasti_diagnostics::Diagnostic;
pub use limits::Limits;
pub use parse::{Format, Parsed, parse};
pub use read::{ReadOutcome, Refusal, kind_of, open_input, read_file, read_input};
pub use schema_dir::{
    MAX_SCHEMA_SIZE, SchemaProblem, read_schema_dir, ref_cycle as schema_ref_cycle,
};
pub use spans::{Outline, SpanIndex, escape_pointer_segment};

/// A file name as shown to users: relative to the dataset root, `/`-separated.
pub type FileName = Arc<str>;
