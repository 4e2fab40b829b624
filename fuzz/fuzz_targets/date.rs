//! Date normalization of arbitrary text, in every declared language, with and without a
//! previous date to lean on. Property: no panic, and the same input gives the same result.
#![no_main]

use fasti_normalize::date::{Context, Lang, normalize};
use libfuzzer_sys::fuzz_target;

const LANGS: [Lang; 6] = [Lang::Es, Lang::Pt, Lang::En, Lang::Iso, Lang::Edtf, Lang::Auto];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let reference = normalize("1943-07-10", Lang::Iso, &Context::default()).ok();
    let with_reference = Context { reference };
    for lang in LANGS {
        for context in [&Context::default(), &with_reference] {
            let first = normalize(text, lang, context);
            let second = normalize(text, lang, context);
            assert_eq!(first, second, "normalize is not deterministic for {text:?} in {lang:?}");
        }
    }
});
