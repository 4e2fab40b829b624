//! The one list of rules.
//!
//! Each row gives a rule's code, name, family, default severity and a one-line summary. Its full
//! documentation is `docs/<name>.md` beside this crate (headings: *What it checks*, *Why it
//! matters*, *Example*, *How to fix*); `cargo xtask codegen` turns it into `docs/rules/`.
//!
//! Codes are never reused or renumbered: a retired rule keeps its row, marked in its summary.
//! Where a rule is checked: `S` rules in `fasti_ingest` and `fasti_validate::schema`, `D` and `N`
//! rules in `fasti_validate::rules` from normalization results, the others in
//! `fasti_validate::rules::<name>`.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::Severity;

/// A group of rules that share a code letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// `S`: reading files and the schema.
    Structure,
    /// `D`: dates as written.
    Dates,
    /// `N`: names, identifiers and references.
    Names,
    /// `T`: time: chronology, causes, lifespans.
    Time,
    /// `P`: places.
    Places,
    /// `C`: sources against each other and against the authority.
    Concordance,
    /// `A`: suppressions and adjudications.
    Allowances,
    /// `X`: fasti itself.
    Internal,
}

impl Family {
    pub fn title(self) -> &'static str {
        match self {
            Family::Structure => "Files and schema",
            Family::Dates => "Dates",
            Family::Names => "Names and references",
            Family::Time => "Time",
            Family::Places => "Places",
            Family::Concordance => "Sources and authority",
            Family::Allowances => "Suppressions and adjudications",
            Family::Internal => "Internal",
        }
    }
}

macro_rules! rules {
    ($( $variant:ident = $code:literal, $name:literal, $family:ident, $severity:ident, $summary:literal; )*) => {
        /// A rule fasti checks. See `fasti rules` and `docs/rules/`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $( $variant, )*
        }

        impl Rule {
            /// Every rule, in code order.
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant, )* ];

            /// The stable code, e.g. `T001`.
            pub fn code(self) -> &'static str {
                match self { $( Rule::$variant => $code, )* }
            }

            /// The kebab-case name, naming the defect, e.g. `end-before-start`.
            pub fn name(self) -> &'static str {
                match self { $( Rule::$variant => $name, )* }
            }

            pub fn family(self) -> Family {
                match self { $( Rule::$variant => Family::$family, )* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $( Rule::$variant => Severity::$severity, )* }
            }

            /// One line: what the rule reports.
            pub fn summary(self) -> &'static str {
                match self { $( Rule::$variant => $summary, )* }
            }

            /// The full documentation, in Markdown.
            pub fn docs(self) -> &'static str {
                match self { $( Rule::$variant => include_str!(concat!("../docs/", $name, ".md")), )* }
            }
        }
    };
}

rules! {
    // S: reading files and the schema.
    SyntaxError = "S001", "syntax-error", Structure, Error, "a file is not well-formed YAML or JSON";
    UnreadableFile = "S002", "unreadable-file", Structure, Error, "a file cannot be read as UTF-8 text, or is not a regular file inside the dataset";
    SchemaViolation = "S003", "schema-violation", Structure, Error, "a record does not match the JSON Schema in `schema/`";
    DuplicateKey = "S004", "duplicate-key", Structure, Error, "a mapping has the same key twice";
    LimitExceeded = "S005", "limit-exceeded", Structure, Error, "a file exceeds a safety limit (size, nesting, aliases, string length)";
    SuspiciousCharacters = "S006", "suspicious-characters", Structure, Warning, "text contains control or bidirectional-override characters that can disguise what it says";
    // D: dates as written.
    UnparseableDate = "D001", "unparseable-date", Dates, Error, "a date is not written in any form fasti reads";
    InvalidDate = "D002", "invalid-date", Dates, Error, "a date names a day that does not exist, or an interval that ends before it starts";
    DateLanguageMismatch = "D003", "date-language-mismatch", Dates, Warning, "a date's words belong to another language than the source's";
    UnresolvedRelativeDate = "D004", "unresolved-relative-date", Dates, Error, "a partial or relative date has nothing earlier to take its year, month or day from";
    AmbiguousDate = "D005", "ambiguous-date", Dates, Error, "a date reads two plausible ways and nothing says which";
    WeekdayMismatch = "D006", "weekday-mismatch", Dates, Error, "a date's weekday is not the weekday of the day it names";
    // N: names, identifiers and references.
    UnknownReference = "N001", "unknown-reference", Names, Error, "an event, person or place is not in the authority files";
    AmbiguousName = "N002", "ambiguous-name", Names, Error, "a name matches more than one authority entry";
    DuplicateId = "N003", "duplicate-id", Names, Error, "the same identifier is defined twice";
    SourceIdMismatch = "N004", "source-id-mismatch", Names, Error, "a source's `id` differs from its file name";
    ReferenceCycle = "N005", "reference-cycle", Names, Error, "places `within` each other, events `part_of` each other, or events that each come after the next, in a circle";
    ConfusableNames = "N006", "confusable-names", Names, Error, "two authority entries have names that look the same but are written differently (Unicode normalization, or letters of another script)";
    DuplicateClaim = "N008", "duplicate-claim", Names, Warning, "a source lists the same claim twice (same event, dates and locator)";
    // T: time.
    EndBeforeStart = "T001", "end-before-start", Time, Error, "a record ends before it starts";
    TimelineOutOfOrder = "T002", "timeline-out-of-order", Time, Error, "a source's events are not listed in the order the source declares";
    EffectBeforeCause = "T003", "effect-before-cause", Time, Error, "an event is dated before what caused it or what it came after";
    OutsideParent = "T004", "outside-parent", Time, Error, "an event falls outside the event it is part of";
    ActorNotAlive = "T005", "actor-not-alive", Time, Error, "a person acts before birth or after death";
    ClaimAfterSource = "T006", "claim-after-source", Time, Error, "a source reports an event later than its own publication";
    OutsidePeriod = "T007", "outside-period", Time, Warning, "a date falls outside the dataset's declared period";
    RelationContradictsAuthority = "T008", "relation-contradicts-authority", Time, Warning, "a `caused_by`, `after` or `before` that the source's own dates cannot decide is contradicted by the accepted dates";
    // P: places.
    PlaceOutsideRegion = "P001", "place-outside-region", Places, Error, "a place listed for an event lies outside the event's region";
    EventWithoutRegion = "P002", "event-without-region", Places, Warning, "a claim lists places for an event with no `region`, so they cannot be checked";
    // C: sources against each other and against the authority.
    SourcesDisagree = "C001", "sources-disagree", Concordance, Error, "two sources give dates for one event that cannot both be right";
    ContradictsAuthority = "C002", "contradicts-authority", Concordance, Error, "a source dates an event where the authority's accepted date cannot be";
    // A: suppressions and adjudications.
    UnusedAllow = "A001", "unused-allow", Allowances, Warning, "an `allow` suppresses nothing";
    UnusedAdjudication = "A002", "unused-adjudication", Allowances, Warning, "an adjudication matches no finding";
    UnknownRule = "A003", "unknown-rule", Allowances, Error, "an `allow`, adjudication or configuration names a rule that does not exist";
    UnknownSource = "A004", "unknown-source", Allowances, Error, "an adjudication names a source that is not in the dataset";
    // X: fasti itself.
    InternalError = "X001", "internal-error", Internal, Error, "fasti failed while checking a file (a bug: please report it)";
}

impl Rule {
    /// Whether a finding of this rule stopped a file, or the run, from being checked: such a
    /// finding is a root cause, listed before every other, and what follows from it (an
    /// adjudication that looks unused because its source was not read) is not reported.
    pub fn stops_checking(self) -> bool {
        matches!(
            self,
            Rule::SyntaxError | Rule::UnreadableFile | Rule::InternalError
        )
    }

    /// The rules whose names are closest to a name that is none (`source-disagree`), best
    /// first, at most three: within an edit distance that grows with the name's length, so that
    /// a slip of a letter or two finds its rule and an unrelated word finds nothing.
    pub fn closest(name: &str) -> Vec<Rule> {
        let name = name.trim().to_ascii_lowercase();
        let limit = (name.chars().count() / 4).max(2);
        let mut scored: Vec<(usize, Rule)> = Rule::ALL
            .iter()
            .map(|rule| (strsim::damerau_levenshtein(&name, rule.name()), *rule))
            .filter(|(distance, _)| *distance <= limit)
            .collect();
        scored.sort();
        scored.into_iter().take(3).map(|(_, rule)| rule).collect()
    }

    /// The help for a name that is no rule: the closest rules, or where to find them all.
    pub fn unknown_help(name: &str) -> String {
        match Rule::closest(name).as_slice() {
            [] => "`fasti rules` lists every rule".to_owned(),
            [one] => format!("did you mean `{one}`?"),
            many => format!(
                "did you mean {}?",
                many.iter()
                    .map(|rule| format!("`{rule}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        }
    }

    /// Look a rule up by its name (`end-before-start`) or code (`T001`).
    pub fn find(name_or_code: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| {
            rule.name() == name_or_code || rule.code().eq_ignore_ascii_case(name_or_code)
        })
    }

    /// Where the rule's documentation is published, relative to the repository root.
    pub fn doc_path(self) -> String {
        format!("docs/rules/{}.md", self.name())
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Rule {
    type Err = String;

    fn from_str(s: &str) -> Result<Rule, String> {
        Rule::find(s).ok_or_else(|| format!("no rule is named `{s}`"))
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = std::collections::BTreeSet::new();
        let mut names = std::collections::BTreeSet::new();
        for rule in Rule::ALL {
            assert!(codes.insert(rule.code()), "duplicate code {}", rule.code());
            assert!(names.insert(rule.name()), "duplicate name {}", rule.name());
            let (letter, digits) = rule.code().split_at(1);
            assert!(
                matches!(letter, "S" | "D" | "N" | "T" | "P" | "C" | "A" | "X"),
                "{rule:?}"
            );
            assert!(
                digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
                "{rule:?}"
            );
            assert!(
                rule.name()
                    .split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
                "{} is not kebab-case",
                rule.name()
            );
        }
    }

    /// Rule names name the defect, so that `allow: end-before-start` reads naturally (ruff's
    /// convention). Names that read as instructions or checks are refused.
    #[test]
    fn names_name_the_defect() {
        for rule in Rule::ALL {
            let name = rule.name();
            for bad in ["no-", "check-", "must-", "should-", "ensure-", "validate-"] {
                assert!(
                    !name.starts_with(bad),
                    "rule name `{name}` starts with `{bad}`"
                );
            }
        }
    }

    #[test]
    fn every_rule_has_the_four_doc_headings() {
        for rule in Rule::ALL {
            let docs = rule.docs();
            for heading in [
                "## What it checks",
                "## Why it matters",
                "## Example",
                "## How to fix",
            ] {
                assert!(
                    docs.contains(heading),
                    "{} docs lack `{heading}`",
                    rule.name()
                );
            }
            assert!(
                docs.starts_with(&format!("# {}", rule.name())),
                "{} docs must start with `# {}`",
                rule.name(),
                rule.name()
            );
        }
    }

    #[test]
    fn no_rule_documentation_is_a_draft() {
        for rule in Rule::ALL {
            assert!(
                !rule.docs().contains("DRAFT"),
                "{} docs are still a draft",
                rule.name()
            );
            assert!(
                rule.docs()
                    .starts_with(&format!("# {} ({})\n", rule.name(), rule.code())),
                "{} docs must start with `# {} ({})`",
                rule.name(),
                rule.name(),
                rule.code()
            );
        }
    }

    #[test]
    fn find_by_name_or_code() {
        assert_eq!(Rule::find("end-before-start"), Some(Rule::EndBeforeStart));
        assert_eq!(Rule::find("t001"), Some(Rule::EndBeforeStart));
        assert_eq!(Rule::find("nonsense"), None);
        assert_eq!(Rule::closest("source-disagree"), [Rule::SourcesDisagree]);
        assert_eq!(
            Rule::closest("contradict-authority")[0],
            Rule::ContradictsAuthority
        );
        assert_eq!(Rule::closest("end-befor-start"), [Rule::EndBeforeStart]);
        assert!(Rule::closest("nonsense").is_empty());
        assert!(
            Rule::closest("date-too-early").is_empty(),
            "{:?}",
            Rule::closest("date-too-early")
        );
        assert_eq!(
            Rule::unknown_help("sources-disagre"),
            "did you mean `sources-disagree`?"
        );
    }
}
