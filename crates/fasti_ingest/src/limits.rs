use serde::Deserialize;

/// Safety limits applied while reading and parsing, so that no input can exhaust memory or
/// stack. Each can be changed in `fasti.toml` under `[limits]`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Longest single string value, in bytes.
    pub max_string_length: usize,
    /// Most findings kept per file; the rest are counted and summarized in one finding.
    pub max_findings_per_file: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_size: 512 * 1024 * 1024,
            max_depth: 64,
            max_string_length: 1024 * 1024,
            max_findings_per_file: 1000,
        }
    }
}
