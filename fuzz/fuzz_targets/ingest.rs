//! Ingestion of arbitrary bytes: the first byte picks YAML or JSON, the rest is the file.
//! Properties: no panic; the span index built for located findings only holds spans on char
//! boundaries within the text, and every anchor resolves inside the text.
#![no_main]

use std::sync::Arc;

use fasti_diagnostics::Anchor;
use fasti_ingest::{FileName, Format, Limits, SpanIndex, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = if selector & 1 == 0 { Format::Yaml } else { Format::Json };
    let file: FileName = Arc::from("fuzz");
    let limits = Limits::default();
    let parsed = parse(&file, format, text, &limits);
    let index = SpanIndex::build(&file, format, text, &limits);
    let check = |anchor: &Anchor| {
        if let Some(span) = index.resolve(anchor, text) {
            assert!(span.start <= span.end && span.end <= text.len(), "{anchor:?} → {span:?}");
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
    };
    for pointer in index.pointers() {
        check(&Anchor::value(pointer));
        check(&Anchor::key(pointer));
        check(&Anchor::Head { pointer: pointer.to_owned() });
        check(&Anchor::Within { pointer: pointer.to_owned(), start: 0, end: 1 });
    }
    for diagnostic in &parsed.diagnostics {
        check(&diagnostic.primary.anchor);
        for related in &diagnostic.related {
            check(&related.anchor);
        }
    }
});
