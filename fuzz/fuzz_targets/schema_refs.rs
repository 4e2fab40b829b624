//! The `$ref` cycle check of `schema/` on arbitrary JSON documents: the input is split at NUL
//! bytes into up to three documents, named like fasti's schema files so that `$ref`s between
//! them resolve. Properties: no panic, no endless walk; a cycle it reports starts and ends at the
//! same subschema.
#![no_main]

use std::sync::Arc;

use fasti_ingest::{FileName, schema_ref_cycle};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 3] = [
    "source.schema.json",
    "common.schema.json",
    "authority.schema.json",
];

fuzz_target!(|data: &[u8]| {
    let documents: Vec<(FileName, serde_json::Value)> = data
        .split(|b| *b == 0)
        .zip(NAMES)
        .filter_map(|(bytes, name)| {
            let value = serde_json::from_slice(bytes).ok()?;
            Some((Arc::from(format!("schema/{name}")), value))
        })
        .collect();
    if let Some((_, steps)) = schema_ref_cycle(&documents) {
        assert!(steps.len() >= 2, "{steps:?}");
        assert_eq!(steps.first(), steps.last(), "{steps:?}");
    }
});
