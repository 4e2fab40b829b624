//! A date that `fasti date` rejects is a finding of `fasti validate` at that date, whatever the
//! reader's error kind; a date it accepts is not. Checked over an example of every kind.

use std::fs;

use fasti_normalize::date::DateErrorKind;

use super::{fasti, text};

/// `(kind or "ok", language, date)`: at least one rejected example per error kind, and a few
/// accepted ones. Rejected dates are listed before accepted ones, so that no earlier readable
/// date completes them.
const EXAMPLES: &[(&str, &str, &str)] = &[
    ("empty", "es", " "),
    ("unparseable", "es", "3 de de 1943"),
    ("unknown_word", "es", "3 de brumario de 1943"),
    ("invalid_date", "es", "31 de junio de 1943"),
    ("reversed_interval", "es", "1943-09/1943-07"),
    ("edtf_syntax", "es", "1943-07-1O"),
    ("needs_context", "es", "al día siguiente"),
    ("needs_context", "pt", "em 22/1/44"),
    ("ambiguous", "es", "1908-10"),
    ("ambiguous", "en", "06/04/1944"),
    ("out_of_range", "en", "June 5, 19444"),
    ("weekday_mismatch", "en", "Monday, 3 September 1943"),
    (
        "weekday_mismatch",
        "pt",
        "segunda-feira, 3 de setembro de 1943",
    ),
    ("ok", "es", "10 de julio de 1943"),
    ("ok", "pt", "sábado, 10 de julho de 1943"),
    ("ok", "en", "July 10, 1943"),
];

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn the_examples_cover_every_error_kind() {
    for kind in DateErrorKind::ALL {
        assert!(
            EXAMPLES.iter().any(|(k, _, _)| *k == kind.as_str()),
            "no example of `{kind}`"
        );
    }
}

#[test]
fn every_date_fasti_date_rejects_is_a_finding_at_that_date() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, content: &str| {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    };
    // No period: `fasti date` has none either, and a period would give `22/1/44` its century.
    write("fasti.toml", "[dataset]\n");
    // The adjudication names a finding that an unreadable claim can no longer produce: it must
    // be reported as unused, not vanish with the claim.
    write(
        "sources/authority/events.yaml",
        "events:\n  - id: allied-invasion-of-sicily\n    names: {en: Allied invasion of Sicily, es: Invasión aliada de Sicilia, pt: Invasão aliada da Sicília}\n    date: 1943-07-10\n    end: 1943-08-17\n    adjudications:\n      - rule: contradicts-authority\n        sources: [claims-en]\n        decision: the source is wrong\n        reason: Every other document gives July.\n",
    );
    for lang in ["es", "pt", "en"] {
        let mut source = format!(
            "id: claims-{lang}\ntitle: Claims\nlanguage: {lang}\nkind: article\norder: narrative\nevents:\n"
        );
        for (i, (_, _, date)) in EXAMPLES.iter().filter(|(_, l, _)| *l == lang).enumerate() {
            source.push_str(&format!(
                "  - event: allied-invasion-of-sicily\n    date: {}\n    title: Claim {i}\n    locator: ¶{i}\n",
                yaml_string(date)
            ));
        }
        write(&format!("sources/claims-{lang}.yaml"), &source);
    }
    let output = fasti(dir.path(), &["validate", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&output.stderr)));
    let findings = report["diagnostics"].as_array().unwrap();
    let at = |file: &str, pointer: &str| {
        findings
            .iter()
            .filter(|f| f["file"] == file && f["pointer"] == pointer)
            .map(|f| f["rule"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
    };
    for lang in ["es", "pt", "en"] {
        for (i, (kind, _, date)) in EXAMPLES.iter().filter(|(_, l, _)| *l == lang).enumerate() {
            let read = fasti(dir.path(), &["date", "--lang", lang, date]);
            let rejected = read.status.code() == Some(1);
            assert_eq!(
                rejected,
                *kind != "ok",
                "fasti date --lang {lang} `{date}`: {}",
                text(&read.stdout)
            );
            if rejected {
                let expected = format!("\"kind\":\"{kind}\"");
                assert!(
                    text(&read.stdout).contains(&expected),
                    "{}",
                    text(&read.stdout)
                );
            }
            let file = format!("sources/claims-{lang}.yaml");
            let reported = at(&file, &format!("/events/{i}/date"));
            assert_eq!(
                !reported.is_empty(),
                rejected,
                "{lang} `{date}` ({kind}): findings {reported:?}"
            );
        }
    }
    assert!(
        findings.iter().any(|f| f["rule"] == "unused-adjudication"),
        "the adjudication on the unreadable claim disappeared silently"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn date_reads_julian_and_two_digit_years_as_validate_does() {
    let dir = tempfile::tempdir().unwrap();
    let julian = fasti(
        dir.path(),
        &[
            "date",
            "--lang",
            "es",
            "--calendar",
            "julian",
            "25 de octubre de 1917",
        ],
    );
    assert_eq!(julian.status.code(), Some(0));
    assert!(
        text(&julian.stdout).contains("\"edtf\":\"1917-11-07\""),
        "{}",
        text(&julian.stdout)
    );
    let century = fasti(
        dir.path(),
        &["date", "--lang", "pt", "--century", "1900", "em 22/1/44"],
    );
    assert_eq!(century.status.code(), Some(0));
    assert!(
        text(&century.stdout).contains("\"edtf\":\"1944-01-22\""),
        "{}",
        text(&century.stdout)
    );
    let bad = fasti(dir.path(), &["date", "--century", "1944", "1943"]);
    assert_eq!(bad.status.code(), Some(2));
}
