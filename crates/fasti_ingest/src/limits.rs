use serde::{Deserialize, Deserializer, de};

/// Safety limits applied while reading and parsing, so that no input can exhaust memory or
/// stack. Each can be changed in `fasti.toml` under `[limits]`, within a ceiling that keeps
/// the guarantees (see `docs/security.md`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Limits {
    /// Largest file read, in bytes. A larger file is not read at all.
    #[serde(deserialize_with = "file_size")]
    pub max_file_size: u64,
    /// Deepest nesting of mappings and sequences; deeper parts are not read.
    #[serde(deserialize_with = "depth")]
    pub max_depth: usize,
    /// Longest single string (value or key), in bytes.
    pub max_string_length: usize,
    /// Most findings kept per file; the rest are counted and summarized in one finding.
    #[serde(deserialize_with = "findings")]
    pub max_findings_per_file: usize,
}

impl Limits {
    /// The highest `max-depth` accepted. Every stage after parsing (schema check, typed records,
    /// dropping the value) recurses over the nesting; 128 levels fit easily in the 2 MiB stack
    /// of a worker thread, and serde_json stops at 128 levels by itself anyway.
    pub const MAX_DEPTH_CEILING: usize = 128;
    /// The highest `max-file-size` accepted, 1 GiB: byte offsets are kept in 32 bits.
    pub const MAX_FILE_SIZE_CEILING: u64 = 1 << 30;
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_size: 16 * 1024 * 1024,
            max_depth: 64,
            max_string_length: 1024 * 1024,
            max_findings_per_file: 1000,
        }
    }
}

fn depth<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    let depth = usize::deserialize(deserializer)?;
    if depth == 0 || depth > Limits::MAX_DEPTH_CEILING {
        return Err(de::Error::custom(format!(
            "`max-depth` must be between 1 and {}",
            Limits::MAX_DEPTH_CEILING
        )));
    }
    Ok(depth)
}

fn file_size<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let size = u64::deserialize(deserializer)?;
    if size > Limits::MAX_FILE_SIZE_CEILING {
        return Err(de::Error::custom(format!(
            "`max-file-size` must be at most {} (1 GiB)",
            Limits::MAX_FILE_SIZE_CEILING
        )));
    }
    Ok(size)
}

fn findings<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    let count = usize::deserialize(deserializer)?;
    if count == 0 {
        return Err(de::Error::custom(
            "`max-findings-per-file` must be at least 1",
        ));
    }
    Ok(count)
}
