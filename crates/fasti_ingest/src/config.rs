use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::Limits;
use crate::read::{Refusal, open_input, read_input};

/// `fasti.toml`, at the repository root. Every section is optional.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub dataset: DatasetConfig,
    /// Per-rule settings, by rule name: `timeline-out-of-order = "warning"`, or a table
    /// `{ severity = "error", tolerance-days = 1 }`.
    pub rules: BTreeMap<Spanned<String>, RuleSetting>,
    pub limits: Limits,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct DatasetConfig {
    /// The period the dataset covers, as an EDTF interval (`1939/1945`); dates outside it are
    /// reported by `outside-period`.
    pub period: Option<Spanned<String>>,
}

/// How one rule is applied.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum RuleSetting {
    Level(Level),
    Table {
        #[serde(default)]
        severity: Option<Level>,
        /// Days of difference a comparison of dates tolerates before reporting.
        #[serde(default, rename = "tolerance-days")]
        tolerance_days: Option<u32>,
    },
}

impl RuleSetting {
    pub fn level(&self) -> Option<Level> {
        match self {
            RuleSetting::Level(level) => Some(*level),
            RuleSetting::Table { severity, .. } => *severity,
        }
    }

    pub fn tolerance_days(&self) -> Option<u32> {
        match self {
            RuleSetting::Level(_) => None,
            RuleSetting::Table { tolerance_days, .. } => *tolerance_days,
        }
    }
}

/// A rule's severity as configured; `off` disables it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Off,
}

/// `fasti.toml` could not be read or understood.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
    /// The text of the file, when it could be read, and the span of the problem in it.
    pub text: Option<String>,
    pub span: Option<Range<usize>>,
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|error| ConfigError {
            message: error.message().trim_end().to_owned(),
            text: Some(text.to_owned()),
            span: error.span(),
        })
    }
}

/// The largest `fasti.toml` read: a real one is a few hundred bytes.
pub const MAX_CONFIG_SIZE: u64 = 1 << 20;

/// Reads `fasti.toml` in `root`, if there is one. Returns the configuration and the file's text.
///
/// A `fasti.toml` that is not a regular file (a FIFO, a device), that is a link leading outside
/// the repository, that is larger than [`MAX_CONFIG_SIZE`] or that is not UTF-8 is an error, and
/// its content is never part of the error.
pub fn load_config(root: &Path) -> Result<Option<(Config, String)>, ConfigError> {
    let path = root.join("fasti.toml");
    if path.symlink_metadata().is_err() {
        return Ok(None);
    }
    let refused = |refusal: Refusal| ConfigError {
        message: format!("the file {refusal}"),
        text: None,
        span: None,
    };
    let bytes = open_input(&path, Some(root))
        .and_then(|(file, size)| read_input(file, size, MAX_CONFIG_SIZE))
        .map_err(refused)?;
    let text = String::from_utf8(bytes).map_err(|error| ConfigError {
        message: format!(
            "the file is not valid UTF-8 (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        ),
        text: None,
        span: None,
    })?;
    Config::parse(&text).map(|config| Some((config, text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_section() {
        let config = Config::parse(
            "[dataset]\nperiod = \"1939/1945\"\n[rules]\ntimeline-out-of-order = \"warning\"\nsources-disagree = { severity = \"error\", tolerance-days = 1 }\n[limits]\nmax-depth = 32\n",
        )
        .map_err(|e| e.message)
        .expect("valid config");
        assert_eq!(
            config.dataset.period.as_ref().map(|p| p.get_ref().as_str()),
            Some("1939/1945")
        );
        assert_eq!(config.limits.max_depth, 32);
        let settings: Vec<_> = config
            .rules
            .iter()
            .map(|(k, v)| (k.get_ref().clone(), v.level(), v.tolerance_days()))
            .collect();
        assert_eq!(
            settings,
            [
                ("sources-disagree".to_owned(), Some(Level::Error), Some(1)),
                (
                    "timeline-out-of-order".to_owned(),
                    Some(Level::Warning),
                    None
                )
            ]
        );
    }

    #[test]
    fn unknown_keys_are_errors_with_a_span() {
        let error = Config::parse("[dataset]\nperiode = \"1939\"\n").expect_err("an error");
        assert!(
            error.message.contains("unknown field `periode`"),
            "{}",
            error.message
        );
        assert_eq!(error.span, Some(10..17));
    }
}
