use std::collections::HashMap;
use std::sync::Arc;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule, Severity};
use fasti_ingest::Config;
use fasti_ingest::Level;
use fasti_normalize::date::{Context, Lang, normalize};
use fasti_normalize::interval::Interval;

/// `fasti.toml` as the rules need it: the severity of each rule, the dataset's period, the
/// tolerances; and the problems found in the configuration itself.
#[derive(Debug, Default)]
pub struct Settings {
    levels: HashMap<Rule, Level>,
    tolerances: HashMap<Rule, u32>,
    /// The dataset's period, as written and as an interval.
    pub period: Option<(String, Interval)>,
    /// Unknown rule names, an unreadable period: reported with the findings.
    pub problems: Vec<Diagnostic>,
}

const CONFIG_FILE: &str = "fasti.toml";

impl Settings {
    pub fn from_config(config: &Config) -> Settings {
        let mut settings = Settings::default();
        let file: Arc<str> = Arc::from(CONFIG_FILE);
        let at = |span: std::ops::Range<usize>| {
            Label::new(
                file.clone(),
                Anchor::Bytes {
                    start: span.start,
                    end: span.end,
                },
            )
        };
        for (name, setting) in &config.rules {
            match Rule::find(name.get_ref()) {
                Some(rule) => {
                    if let Some(level) = setting.level() {
                        settings.levels.insert(rule, level);
                    }
                    if let Some(days) = setting.tolerance_days() {
                        settings.tolerances.insert(rule, days);
                    }
                }
                None => settings.problems.push(
                    Diagnostic::new(
                        Rule::UnknownRule,
                        format!("no rule is named `{}`", name.get_ref()),
                        at(name.span()),
                    )
                    .with_help(Rule::unknown_help(name.get_ref())),
                ),
            }
        }
        if let Some(period) = &config.dataset.period {
            match normalize(period.get_ref(), Lang::Edtf, &Context::default()) {
                Ok(value) => settings.period = Some((value.edtf.clone(), Interval::of(&value))),
                Err(error) => settings.problems.push(Diagnostic::new(
                    Rule::UnparseableDate,
                    format!(
                        "the dataset's period `{}` is not an EDTF date: {}",
                        period.get_ref(),
                        error.message
                    ),
                    at(period.span()),
                )),
            }
        }
        settings
    }

    /// Whether the rule runs at all.
    pub fn is_enabled(&self, rule: Rule) -> bool {
        self.levels.get(&rule) != Some(&Level::Off)
    }

    /// The tolerance configured for a rule, in days (0 when none is).
    pub fn tolerance_days(&self, rule: Rule) -> u32 {
        self.tolerances.get(&rule).copied().unwrap_or(0)
    }

    /// Drops findings of rules turned off and sets the configured severities.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut diagnostic| {
                match self.levels.get(&diagnostic.rule) {
                    Some(Level::Off) => return None,
                    Some(Level::Error) => diagnostic.severity = Severity::Error,
                    Some(Level::Warning) => diagnostic.severity = Severity::Warning,
                    None => {}
                }
                Some(diagnostic)
            })
            .collect()
    }
}
