//! Runs every row of `conformance.tsv` (see its header for the format).

use fasti_date::{Assumed, Context, Lang, NormalizedDate, normalize};

const TABLE: &str = include_str!("conformance.tsv");

fn flags(v: &NormalizedDate) -> String {
    let mut f = Vec::new();
    if v.approximate {
        f.push("~".to_owned());
    }
    if v.uncertain {
        f.push("?".to_owned());
    }
    if let Some(l) = v.language_mismatch {
        f.push(format!("lang={l}"));
    }
    for a in &v.assumed {
        f.push(match a {
            Assumed::Year(y) => format!("+Y{y}"),
            Assumed::Month(y, m) => format!("+M{y}-{m:02}"),
            Assumed::Day(d) => format!("+D{d}"),
            Assumed::Century(c) => format!("+C{c}"),
            Assumed::Julian => "+J".to_owned(),
        });
    }
    if f.is_empty() {
        "-".to_owned()
    } else {
        f.join(" ")
    }
}

struct Row<'a> {
    line: usize,
    cols: Vec<&'a str>,
}

fn rows() -> Vec<Row<'static>> {
    TABLE
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| Row {
            line: i + 1,
            cols: l.split('\t').collect(),
        })
        .collect()
}

fn check(row: &Row<'_>) -> Result<(), String> {
    let [lang, input, reference, expected, c5, c6, c7, c8] = row.cols[..] else {
        return Err(format!("expected 8 columns, found {}", row.cols.len()));
    };
    let lang: Lang = lang.parse().map_err(|e| format!("{e}"))?;
    let ctx = if reference == "-" {
        Context::default()
    } else {
        let r = normalize(reference, Lang::Edtf, &Context::default())
            .map_err(|e| format!("bad reference `{reference}`: {}", e.message))?;
        Context::with_reference(r)
    };
    let got = normalize(input, lang, &ctx);
    match (expected.strip_prefix('!'), got) {
        (None, Ok(v)) => {
            let actual = [
                v.edtf.clone(),
                v.earliest.to_string(),
                v.latest.to_string(),
                v.precision.to_string(),
                flags(&v),
            ];
            let want = [expected, c5, c6, c7, c8];
            if actual.iter().zip(want).any(|(a, w)| a != w) {
                return Err(format!("expected {want:?}\n           got {actual:?}"));
            }
            Ok(())
        }
        (None, Err(e)) => Err(format!(
            "expected {expected}, got error {}: {} at {:?}",
            e.kind, e.message, e.span
        )),
        (Some(kind), Ok(v)) => Err(format!("expected error {kind}, got {}", v.edtf)),
        (Some(kind), Err(e)) => {
            let span = format!("@{}..{}", e.span.start, e.span.end);
            let mut msg = format!("# {}", e.message);
            if let Some(h) = &e.help {
                msg.push_str(" | help: ");
                msg.push_str(h);
            }
            if e.kind.as_str() != kind || span != c5 || msg != c8 || c6 != "-" || c7 != "-" {
                return Err(format!(
                    "expected !{kind} {c5} {c8}\n           got !{} {span} {msg}",
                    e.kind
                ));
            }
            if !input.is_char_boundary(e.span.start) || !input.is_char_boundary(e.span.end) {
                return Err("span not on char boundaries".to_owned());
            }
            Ok(())
        }
    }
}

#[test]
fn conformance_table() {
    let rows = rows();
    assert!(rows.len() >= 400, "the table has only {} rows", rows.len());
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            check(r).err().map(|e| {
                format!(
                    "line {}: {} `{}`\n    {e}",
                    r.line,
                    r.cols.first().unwrap_or(&""),
                    r.cols.get(1).unwrap_or(&"")
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn table_covers_every_language_and_the_edtf_levels() {
    let rows = rows();
    for lang in ["es", "pt", "en", "iso", "edtf", "auto"] {
        let n = rows
            .iter()
            .filter(|r| r.cols.first() == Some(&lang))
            .count();
        assert!(n >= 10, "only {n} rows for {lang}");
    }
    let rejected = rows
        .iter()
        .filter(|r| r.cols.get(3).is_some_and(|c| c.starts_with('!')))
        .count();
    assert!(rejected >= 50, "only {rejected} rejection rows");
}

/// Every accepted row's EDTF re-parses under `edtf` to the same value.
#[test]
fn table_edtf_round_trips() {
    for r in rows() {
        let Some(expected) = r.cols.get(3).filter(|c| !c.starts_with('!')) else {
            continue;
        };
        let v = normalize(expected, Lang::Edtf, &Context::default());
        let Ok(v) = v else {
            panic!("line {}: `{expected}` does not re-parse: {v:?}", r.line);
        };
        assert_eq!(&v.edtf, expected, "line {}", r.line);
        assert_eq!(
            (v.earliest.to_string(), v.latest.to_string()),
            (r.cols[4].to_owned(), r.cols[5].to_owned()),
            "line {}",
            r.line
        );
    }
}
