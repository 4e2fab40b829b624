//! The `html` timeline over a small hand-built dataset: a snapshot, and the properties that make
//! it usable and safe (every claim drawn with an accessible name, every finding listed, nothing
//! fetched, hostile text shown as text).

use std::sync::Arc;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Status};
use fasti_report::dataset::{
    ClaimRow, DateRow, End, EventRow, Location, Reading, RefRow, SourceRow,
};
use fasti_report::{Dataset, Format, Report, render};

use crate::fixtures;

/// Days from 1970-01-01.
fn day(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn date(written: &str, edtf: &str, earliest: End, latest: End, precision: &str) -> DateRow {
    let iso = |end: End| match end {
        End::Day(_) => edtf.split('/').next().unwrap_or(edtf).to_owned(),
        _ => "..".to_owned(),
    };
    DateRow {
        written: written.to_owned(),
        reading: Ok(Reading {
            edtf: edtf.to_owned(),
            earliest,
            latest,
            earliest_iso: iso(earliest),
            latest_iso: iso(latest),
            precision: precision.to_owned(),
            qualifiers: Vec::new(),
            assumed: Vec::new(),
        }),
    }
}

/// A date that names one day, `y-m-d`.
fn one_day(written: &str, y: i64, m: u32, d: u32) -> DateRow {
    let edtf = format!("{y:04}-{m:02}-{d:02}");
    let day = End::Day(day(y, m, d));
    date(written, &edtf, day, day, "day")
}

fn at(file: &str, index: usize, line: usize) -> Location {
    Location {
        file: file.to_owned(),
        pointer: format!("/events/{index}"),
        line: Some(line),
    }
}

fn resolved(id: &str) -> RefRow {
    RefRow {
        written: id.to_owned(),
        id: Some(id.to_owned()),
    }
}

pub const HOSTILE: &str = "</script><script>alert('title')</script><img src=x onerror=alert(1)>";

/// Three sources, two canonical events (one part of the other), a claim of an unknown event, an
/// open end, an unreadable date and a hostile title.
pub fn dataset() -> Dataset {
    let mayo = fixtures::MAYO;
    let recife = fixtures::RECIFE;
    let timeline = fixtures::TIMELINE;
    let claim = |file: &str, source: &str, language: &str, index: usize, line: usize| ClaimRow {
        at: at(file, index, line),
        index,
        source: Some(source.to_owned()),
        language: Some(language.to_owned()),
        ..ClaimRow::default()
    };
    let mut claims = vec![
        ClaimRow {
            event: Some(resolved("cabildo-abierto-1810")),
            title: Some("Cabildo abierto en Buenos Aires".to_owned()),
            date: Some(one_day("12 de mayo de 1810", 1810, 5, 12)),
            locator: Some("p. 14".to_owned()),
            ..claim(mayo, "revolucion-de-mayo", "es", 0, 7)
        },
        ClaimRow {
            event: Some(RefRow {
                written: "primera-junta".to_owned(),
                id: None,
            }),
            title: Some(HOSTILE.to_owned()),
            date: Some(one_day("25 de mayo de 1810", 1810, 5, 25)),
            end: Some(one_day("24 de mayo de 1810", 1810, 5, 24)),
            ..claim(mayo, "revolucion-de-mayo", "es", 1, 11)
        },
        ClaimRow {
            event: Some(resolved("cabildo-abierto-1810")),
            date: Some(DateRow {
                written: "hacia el invierno de 1810".to_owned(),
                reading: Err("cannot read `invierno`".to_owned()),
            }),
            ..claim(mayo, "revolucion-de-mayo", "es", 2, 16)
        },
        ClaimRow {
            event: Some(resolved("revolucao-pernambucana")),
            date: Some(date(
                "6 de março de 1817",
                "1817-03-06/..",
                End::Day(day(1817, 3, 6)),
                End::Open,
                "interval",
            )),
            ..claim(recife, "revolucao-pernambucana", "pt", 0, 6)
        },
        ClaimRow {
            event: Some(resolved("revolucao-pernambucana")),
            date: Some(one_day("March 16, 1817", 1817, 3, 16)),
            part_of: Some(resolved("independencia-brasil")),
            ..claim(timeline, "brazil-timeline", "en", 0, 6)
        },
    ];
    if let Some(Ok(reading)) = claims[3].date.as_mut().map(|d| d.reading.as_mut()) {
        reading.qualifiers.push("approximate");
    }
    let event = |id: &str, names: &[(&str, &str)], line: usize| EventRow {
        at: Location {
            file: fixtures::EVENTS.to_owned(),
            pointer: format!("/events/{}", line / 4),
            line: Some(line),
        },
        id: id.to_owned(),
        names: names
            .iter()
            .map(|(l, n)| ((*l).to_owned(), (*n).to_owned()))
            .collect(),
        ..EventRow::default()
    };
    Dataset {
        sources: vec![
            SourceRow {
                file: timeline.to_owned(),
                id: Some("brazil-timeline".to_owned()),
                title: Some("A Timeline of Brazilian Independence".to_owned()),
                language: Some("en".to_owned()),
            },
            SourceRow {
                file: recife.to_owned(),
                id: Some("revolucao-pernambucana".to_owned()),
                title: Some("História da Revolução Pernambucana".to_owned()),
                language: Some("pt".to_owned()),
            },
            SourceRow {
                file: mayo.to_owned(),
                id: Some("revolucion-de-mayo".to_owned()),
                title: Some("Crónica de la Revolución de Mayo".to_owned()),
                language: Some("es".to_owned()),
            },
        ],
        claims,
        events: vec![
            EventRow {
                date: Some(one_day("1810-05-22", 1810, 5, 22)),
                ..event(
                    "cabildo-abierto-1810",
                    &[("en", "Open cabildo of 22 May"), ("es", "Cabildo abierto")],
                    2,
                )
            },
            event(
                "independencia-brasil",
                &[("pt", "Independência do Brasil")],
                6,
            ),
            EventRow {
                date: Some(one_day("1817-03-06", 1817, 3, 6)),
                end: Some(one_day("1817-05-20", 1817, 5, 20)),
                part_of: Some(resolved("independencia-brasil")),
                ..event(
                    "revolucao-pernambucana",
                    &[("en", "Pernambucan revolt <1817>")],
                    10,
                )
            },
        ],
        ..Dataset::default()
    }
}

/// The fixtures' findings, each about the event its record is a claim of.
fn diagnostics() -> Vec<Diagnostic> {
    let mut all = fixtures::diagnostics();
    for d in &mut all {
        let event = match (&*d.primary.file, d.primary.anchor.pointer()) {
            (fixtures::MAYO, Some(p))
                if p.starts_with("/events/0") || p.starts_with("/events/2") =>
            {
                Some("cabildo-abierto-1810")
            }
            (fixtures::MAYO, Some(p)) if p.starts_with("/events/1") => Some("primera-junta"),
            (fixtures::RECIFE | fixtures::TIMELINE, _) => Some("revolucao-pernambucana"),
            _ => None,
        };
        d.event = event.map(str::to_owned);
    }
    all
}

pub fn output(dataset: Option<&Dataset>) -> String {
    page(dataset, &diagnostics())
}

fn page(dataset: Option<&Dataset>, diagnostics: &[Diagnostic]) -> String {
    let files = fixtures::files();
    let report = Report {
        diagnostics,
        files: &files,
        summary: fixtures::summary(),
        scope: Default::default(),
        dataset,
    };
    let mut out = Vec::new();
    render(Format::Html, &report, &fixtures::options(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn html() {
    insta::assert_snapshot!(output(Some(&dataset())));
}

#[test]
fn html_without_the_dataset_lists_the_findings() {
    let page = output(None);
    assert!(page.contains("only the findings are listed"));
    assert_eq!(
        page.matches("<li class=\"finding").count(),
        diagnostics().len()
    );
}

#[test]
fn html_is_deterministic() {
    assert_eq!(output(Some(&dataset())), output(Some(&dataset())));
}

#[test]
fn every_claim_is_a_row_and_every_dated_claim_a_bar_with_an_accessible_name() {
    let dataset = dataset();
    let page = output(Some(&dataset));
    assert_eq!(
        page.matches("<li class=\"row claim").count(),
        dataset.claims.len()
    );
    let dated = dataset
        .claims
        .iter()
        .filter(|c| c.extent().is_some())
        .count();
    let bars = page
        .match_indices("<span class=\"bar ")
        .filter(|(i, _)| {
            let tag = &page[*i..*i + page[*i..].find('>').unwrap()];
            tag.contains("role=\"img\" aria-label=\"") && !tag.contains("aria-label=\"\"")
        })
        .count();
    assert_eq!(bars, dated);
    // Every event is a section with a heading it is labelled by.
    for event in &dataset.events {
        assert!(
            page.contains(&format!("<code class=\"id\">{}</code>", event.id)),
            "{}",
            event.id
        );
    }
    assert!(page.contains("primera-junta <span class=\"unknown\">(not in the authority)</span>"));
}

#[test]
fn every_finding_is_listed_with_its_rule_location_and_decision() {
    let page = output(Some(&dataset()));
    let diagnostics = diagnostics();
    assert_eq!(
        page.matches("<li class=\"finding").count(),
        diagnostics.len()
    );
    for d in &diagnostics {
        assert!(page.contains(&format!(
            "<code>{}</code> {}</a>",
            d.rule.code(),
            d.rule.name()
        )));
        if let Status::Adjudicated { decision, .. } = &d.status {
            assert!(page.contains(&format!("<strong>Decision:</strong> {decision}")));
        }
    }
    assert!(page.contains(
        "<a href=\"https://github.com/fasti-project/fasti/blob/main/sources/es/revolucion-de-mayo.yaml#L9\">sources/es/revolucion-de-mayo.yaml:9:11</a>"
    ));
}

#[test]
fn the_page_fetches_nothing() {
    let page = output(Some(&dataset()));
    let tags = tags(&page);
    let names: std::collections::BTreeSet<&str> = tags
        .iter()
        .map(|tag| tag[1..].split([' ', '>']).next().unwrap_or_default())
        .collect();
    for forbidden in [
        "link", "img", "iframe", "object", "embed", "video", "audio", "base",
    ] {
        assert!(!names.contains(forbidden), "{forbidden}");
    }
    for tag in &tags {
        assert!(!tag.contains("src="), "{tag}");
        if let Some(i) = tag.find("href=\"") {
            let target = &tag[i + 6..];
            assert!(
                target.starts_with('#')
                    || target.starts_with("https://github.com/fasti-project/fasti/blob/main/"),
                "{tag}"
            );
        }
    }
    let style = &page[page.find("<style>").unwrap()..page.find("</style>").unwrap()];
    assert!(!style.contains("url(") && !style.contains("@import"));
    assert!(page.contains("default-src 'none'"));
}

#[test]
fn hostile_text_is_shown_as_text() {
    let mut dataset = dataset();
    dataset.events[0].id = "x\" onmouseover=\"alert(1)".to_owned();
    dataset.sources[0].title = Some("<b>bold</b>".to_owned());
    let mut diagnostics = diagnostics();
    diagnostics[0].message = "`<script>alert(2)</script>` & <img src=x>".to_owned();
    diagnostics[0].status = Status::Adjudicated {
        decision: "<script>alert(3)</script>".to_owned(),
        reason: "\"quoted\" 'reason'".to_owned(),
        at: Box::new(Label::new(
            Arc::from("sources/authority/a\"b.yaml"),
            Anchor::File,
        )),
    };
    diagnostics[0].sources = vec!["a\" data-x=\"".to_owned()];
    let page = page(Some(&dataset), &diagnostics);
    // The page's own script is the only one.
    assert_eq!(page.matches("<script").count(), 1);
    assert_eq!(page.matches("</script>").count(), 1);
    assert!(!page.contains("<img") && !page.contains("<b>bold"));
    assert!(!page.contains("onmouseover=\"alert"));
    assert!(!page.contains("data-x=\""));
    assert!(page.contains("&lt;/script&gt;&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"));
    assert!(
        page.contains("<code>&lt;script&gt;alert(2)&lt;/script&gt;</code> &amp; &lt;img src=x&gt;")
    );
    assert!(page.contains("<strong>Decision:</strong> &lt;script&gt;alert(3)&lt;/script&gt;"));
    assert!(page.contains("sources/authority/a%22b.yaml"));
}

/// Every start tag of the page (text from the data never holds a raw `<`, so these are the page's
/// own).
fn tags(page: &str) -> Vec<&str> {
    page.match_indices('<')
        .filter(|(i, _)| page[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(|(i, _)| &page[i..i + page[i..].find('>').unwrap() + 1])
        .collect()
}

#[test]
fn a_deep_or_circular_part_of_chain_stays_shallow() {
    let mut dataset = dataset();
    let chain = 2_000;
    dataset.events = (0..chain)
        .map(|i| EventRow {
            id: format!("e{i}"),
            part_of: Some(resolved(&format!("e{}", i + 1))),
            ..EventRow::default()
        })
        .collect();
    dataset.events[chain - 1].part_of = Some(resolved("top"));
    dataset.events.push(EventRow {
        id: "top".to_owned(),
        ..EventRow::default()
    });
    // A cycle of two besides the chain.
    for (id, parent) in [("a", "b"), ("b", "a")] {
        dataset.events.push(EventRow {
            id: id.to_owned(),
            part_of: Some(resolved(parent)),
            ..EventRow::default()
        });
    }
    let page = output(Some(&dataset));
    // Every event is drawn exactly once.
    let mut drawn: Vec<&str> = page
        .split("<code class=\"id\">")
        .skip(1)
        .filter_map(|rest| rest.split_once("</code>").map(|(id, _)| id))
        .collect();
    drawn.sort_unstable();
    let mut ids: Vec<&str> = dataset.events.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(drawn, ids);
    // Sections nest at most `MAX_NESTING` deep below the timeline's own.
    let (mut depth, mut deepest) = (0usize, 0usize);
    for piece in page.split("section") {
        if piece.starts_with(" class=\"event\"") || piece.starts_with(" id=\"timeline\"") {
            depth += 1;
            deepest = deepest.max(depth);
        } else if piece.starts_with('>') && !piece.is_empty() {
            depth = depth.saturating_sub(1);
        }
    }
    assert!((2..=9).contains(&deepest), "{deepest}");
}

#[test]
fn a_disagreement_is_drawn_on_the_claim_that_contradicts_the_authority() {
    let label = |file: &str| Label::new(Arc::from(file), Anchor::value("/events/0/date"));
    let wrong = Diagnostic::new(
        fasti_diagnostics::Rule::ContradictsAuthority,
        "off the accepted date",
        label(fixtures::MAYO),
    );
    let apart = |first: &str, second: &str| {
        Diagnostic::new(
            fasti_diagnostics::Rule::SourcesDisagree,
            "sources disagree",
            label(first),
        )
        .with_related(label(second))
    };
    let row = |page: &str, file: &str| -> String {
        let link = format!("{file}#L");
        let end = page.find(&link).unwrap();
        let start = page[..end].rfind("<li class=\"row claim").unwrap();
        page[start..end].split('>').next().unwrap().to_owned()
    };
    // One claim contradicts the authority: the disagreement is drawn on it alone.
    let one_wrong = page(
        Some(&dataset()),
        &[wrong.clone(), apart(fixtures::RECIFE, fixtures::MAYO)],
    );
    assert!(
        row(&one_wrong, fixtures::MAYO).contains(
            "class=\"row claim open\" data-source=\"revolucion-de-mayo\" data-status=\"open\" data-rules=\"contradicts-authority sources-disagree\""
        ),
        "{}",
        row(&one_wrong, fixtures::MAYO)
    );
    assert!(row(&one_wrong, fixtures::RECIFE).contains("class=\"row claim agrees\""));
    // Neither does: both disagree.
    let neither = page(
        Some(&dataset()),
        &[apart(fixtures::RECIFE, fixtures::TIMELINE)],
    );
    for file in [fixtures::RECIFE, fixtures::TIMELINE] {
        assert!(
            row(&neither, file).contains("data-rules=\"sources-disagree\""),
            "{}",
            row(&neither, file)
        );
    }
}
