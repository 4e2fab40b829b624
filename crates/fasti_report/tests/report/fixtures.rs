//! A small, realistic report built by hand: Spanish and Portuguese texts (multi-byte characters
//! before the spans), a CRLF file, a span ending at the end of a file, an empty span, a related
//! label in another file, an adjudicated finding, a finding about a whole file and a warning.

use std::sync::Arc;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule, Severity, Span, Status};
use fasti_report::{Files, RenderOptions, Summary};

pub const MAYO: &str = "sources/es/revolucion-de-mayo.yaml";
pub const MAYO_TEXT: &str = "\
id: revolucion-de-mayo
title: Crónica de la Revolución de Mayo
language: es
kind: book
published: \"1812\"
events:
  - event: cabildo-abierto-1810
    title: Cabildo abierto en Buenos Aires
    date: 12 de mayo de 1810
    locator: p. 14
  - event: primera-junta
    title: Formación de la Primera Junta, con Saavedra como presidente
    date: 25 de mayo de 1810
    end: 24 de mayo de 1810
    locator: p. 17
  - event: expedicion-alto-peru
    title: Expedición auxiliadora al Alto Perú
    date: hacia el invierno de 1810
    places: [Potosí, Charcas]
    locator: p. 21
";

/// CRLF line breaks, as saved by an editor on Windows.
pub const RECIFE: &str = "sources/pt/revolucao-pernambucana.yaml";
pub const RECIFE_TEXT: &str = "id: revolucao-pernambucana\r\n\
title: História da Revolução Pernambucana\r\n\
language: pt\r\n\
kind: article\r\n\
events:\r\n\
\x20 - event: revolucao-pernambucana\r\n\
\x20   title: Início da revolução no Recife\r\n\
\x20   date: 6 de março de 1817\r\n\
\x20   end: 20 de mayo de 1817\r\n\
\x20   places: [Recife, São Paulo]\r\n\
\x20   locator: ¶3\r\n";

/// No newline at the end of the file.
pub const TIMELINE: &str = "sources/en/brazil-timeline.yaml";
pub const TIMELINE_TEXT: &str = "\
id: brazil-timeline
title: A Timeline of Brazilian Independence
language: en
kind: web-page
events:
  - event: revolucao-pernambucana
    title: Revolt breaks out in Recife
    date: March 16, 1817
    locator: S4
    part_of: independencia-brasil";

/// Cut off inside a quoted string.
pub const PARAGUAY: &str = "sources/es/guerra-del-paraguay.yaml";
pub const PARAGUAY_TEXT: &str = "\
id: guerra-del-paraguay
title: La guerra de la Triple Alianza
language: es
kind: textbook
events:
  - event: batalla-de-tuyuti
    title: \"Batalla de Tuyutí, la más sangrienta de la guerra
";

/// Not UTF-8: its text is not available.
pub const LATIN1: &str = "sources/es/cronica-latin1.yaml";

pub const EVENTS: &str = "sources/authority/events.yaml";
pub const EVENTS_TEXT: &str = "\
events:
  - id: cabildo-abierto-1810
    names: { es: Cabildo abierto del 22 de mayo, pt: Cabildo aberto de 22 de maio, en: Open cabildo of 22 May }
    date: 1810-05-22
";

pub const ADJUDICATIONS: &str = "sources/authority/adjudications.yaml";
pub const ADJUDICATIONS_TEXT: &str = "\
adjudications:
  - rule: sources-disagree
    event: revolucao-pernambucana
    decision: keep-authority
    reason: the English timeline misprints the day; contemporary sources agree on 6 March
";

pub fn files() -> Files {
    let mut files = Files::new();
    for (name, text) in [
        (MAYO, MAYO_TEXT),
        (RECIFE, RECIFE_TEXT),
        (TIMELINE, TIMELINE_TEXT),
        (PARAGUAY, PARAGUAY_TEXT),
        (EVENTS, EVENTS_TEXT),
        (ADJUDICATIONS, ADJUDICATIONS_TEXT),
    ] {
        files.insert(name, text);
    }
    files
}

pub fn summary() -> Summary {
    Summary {
        files: 7,
        events: 63,
        not_shown: 0,
    }
}

pub fn options() -> RenderOptions {
    RenderOptions {
        color: false,
        width: 100,
        docs_url: "https://github.com/fasti-project/fasti/blob/main/docs/rules/".to_owned(),
        tool_version: "0.1.0",
    }
}

/// The byte span of the `nth` (0-based) occurrence of `needle` in `text`.
pub fn span_of(text: &str, needle: &str, nth: usize) -> Span {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .expect("needle in text");
    Span::new(start, start + needle.len())
}

fn label(file: &str, anchor: Anchor, text: &str, needle: &str) -> Label {
    let mut label = Label::new(Arc::from(file), anchor);
    label.span = Some(span_of(text, needle, 0));
    label
}

/// Every diagnostic, sorted as the CLI sorts them.
pub fn diagnostics() -> Vec<Diagnostic> {
    let mut all = vec![
        // An open error with a related label in another file (the authority).
        Diagnostic::new(
            Rule::ContradictsAuthority,
            "source dates `cabildo-abierto-1810` to 1810-05-12, but the authority accepts 1810-05-22",
            label(MAYO, Anchor::value("/events/0/date"), MAYO_TEXT, "12 de mayo de 1810")
                .with_message("read as 1810-05-12"),
        )
        .with_related(
            label(EVENTS, Anchor::value("/events/0/date"), EVENTS_TEXT, "1810-05-22")
                .with_message("the accepted date"),
        )
        .with_help("check the day against the source; if the source really says 12, adjudicate it"),
        // Two labels in one snippet; multi-byte characters before them.
        Diagnostic::new(
            Rule::EndBeforeStart,
            "end date 24 de mayo de 1810 is before start date 25 de mayo de 1810",
            label(MAYO, Anchor::value("/events/1/end"), MAYO_TEXT, "24 de mayo de 1810")
                .with_message("ends here"),
        )
        .with_related(
            label(MAYO, Anchor::value("/events/1/date"), MAYO_TEXT, "25 de mayo de 1810")
                .with_message("starts here"),
        )
        .with_help("swap `date` and `end`, or correct the day"),
        // A part of a string value, with a note.
        {
            let mut primary = Label::new(
                Arc::from(MAYO),
                Anchor::Within { pointer: "/events/2/date".into(), start: 9, end: 17 },
            )
            .with_message("not a month or a season fasti reads");
            primary.span = Some(span_of(MAYO_TEXT, "invierno", 0));
            Diagnostic::new(
                Rule::UnparseableDate,
                "cannot read `invierno` in `hacia el invierno de 1810` as a Spanish date",
                primary,
            )
            .with_help("write the months the source means, e.g. `hacia junio-agosto de 1810`")
            .with_note("seasons are not read: winter in Buenos Aires is summer in Madrid")
        },
        // CRLF file.
        Diagnostic::new(
            Rule::PlaceOutsideRegion,
            "place `São Paulo` lies outside the event's region `pernambuco`",
            label(RECIFE, Anchor::value("/events/0/places/1"), RECIFE_TEXT, "São Paulo")
                .with_message("in São Paulo, not in Pernambuco"),
        )
        .with_help("remove the place, or check the event's `region` in `authority/events.yaml`"),
        // A warning, in the CRLF file.
        {
            let mut primary = Label::new(
                Arc::from(RECIFE),
                Anchor::Within { pointer: "/events/0/end".into(), start: 6, end: 10 },
            )
            .with_message("Spanish");
            primary.span = Some(span_of(RECIFE_TEXT, "mayo", 0));
            Diagnostic::new(
                Rule::DateLanguageMismatch,
                "month `mayo` is Spanish, but this source is in Portuguese",
                primary,
            )
            .with_help("write `maio`")
        },
        // Adjudicated, with a related label in another file.
        {
            let mut d = Diagnostic::new(
                Rule::SourcesDisagree,
                "sources date `revolucao-pernambucana` to 1817-03-06 and 1817-03-16",
                label(RECIFE, Anchor::value("/events/0/date"), RECIFE_TEXT, "6 de março de 1817")
                    .with_message("this source says 1817-03-06"),
            )
            .with_related(
                label(TIMELINE, Anchor::value("/events/0/date"), TIMELINE_TEXT, "March 16, 1817")
                    .with_message("`brazil-timeline` says 1817-03-16"),
            );
            d.status = Status::Adjudicated {
                decision: "keep-authority".into(),
                reason: "the English timeline misprints the day; contemporary sources agree on 6 March"
                    .into(),
                at: Box::new(label(
                    ADJUDICATIONS,
                    Anchor::value("/adjudications/0"),
                    ADJUDICATIONS_TEXT,
                    "rule: sources-disagree",
                )),
            };
            d
        },
        // A span ending exactly at the end of the file.
        Diagnostic::new(
            Rule::UnknownReference,
            "`independencia-brasil` is not an event in the authority files",
            label(TIMELINE, Anchor::value("/events/0/part_of"), TIMELINE_TEXT, "independencia-brasil")
                .with_message("unknown event"),
        )
        .with_help("did you mean `independencia-do-brasil`?"),
        // An empty span at the end of the file, and a related label before it.
        {
            let end = PARAGUAY_TEXT.len();
            let mut primary = Label::new(Arc::from(PARAGUAY), Anchor::Bytes { start: end, end })
                .with_message("the file ends here");
            primary.span = Some(Span::new(end, end));
            let mut quote = Label::new(Arc::from(PARAGUAY), Anchor::Bytes { start: 0, end: 0 })
                .with_message("the quoted string starts here");
            let at = span_of(PARAGUAY_TEXT, "\"Batalla", 0).start;
            quote.span = Some(Span::new(at, at + 1));
            Diagnostic::new(Rule::SyntaxError, "the file ends inside a quoted string", primary)
                .with_related(quote)
                .with_help("close the string with `\"`")
        },
        // The file as a whole; its text is not available.
        Diagnostic::new(
            Rule::UnreadableFile,
            "the file is not UTF-8: invalid byte 0xE9 at offset 112",
            Label::new(Arc::from(LATIN1), Anchor::File),
        )
        .with_help("save the file as UTF-8")
        .with_note("fasti reads only UTF-8 text, so that names like `Tuyutí` are never garbled"),
    ];
    all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    assert!(all.iter().any(|d| d.severity == Severity::Warning));
    all
}
