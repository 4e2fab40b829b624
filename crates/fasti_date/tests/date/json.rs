//! The JSON contract of `fasti date` (built by `date::to_json`).

use fasti_date::{Context, Lang, normalize, to_json};

fn json(input: &str, lang: Lang, reference: Option<&str>) -> String {
    let ctx = match reference {
        Some(r) => Context::with_reference(
            normalize(r, Lang::Edtf, &Context::default()).expect("valid reference"),
        ),
        None => Context::default(),
    };
    to_json(input, lang, &normalize(input, lang, &ctx))
}

#[test]
fn accepted_has_the_keys_in_order() {
    assert_eq!(
        json("3 de septiembre de 1943", Lang::Es, None),
        r#"{"input":"3 de septiembre de 1943","lang":"es","edtf":"1943-09-03","earliest":"1943-09-03","latest":"1943-09-03","precision":"day","approximate":false,"uncertain":false}"#
    );
}

#[test]
fn open_and_unknown_ends_are_dots() {
    assert_eq!(
        json("1985-04-12/..", Lang::Edtf, None),
        r#"{"input":"1985-04-12/..","lang":"edtf","edtf":"1985-04-12/..","earliest":"1985-04-12","latest":"..","precision":"interval","approximate":false,"uncertain":false}"#
    );
    assert_eq!(
        json("/1985", Lang::Auto, None),
        r#"{"input":"/1985","lang":"auto","edtf":"/1985","earliest":"..","latest":"1985-12-31","precision":"interval","approximate":false,"uncertain":false}"#
    );
}

#[test]
fn assumed_comes_after_uncertain() {
    assert_eq!(
        json("el 8 de septiembre", Lang::Es, Some("1943-09-03")),
        r#"{"input":"el 8 de septiembre","lang":"es","edtf":"1943-09-08","earliest":"1943-09-08","latest":"1943-09-08","precision":"day","approximate":false,"uncertain":false,"assumed":["the year 1943"]}"#
    );
    assert_eq!(
        json("seis días después", Lang::Es, Some("1945-05-01")),
        r#"{"input":"seis días después","lang":"es","edtf":"1945-05-07","earliest":"1945-05-07","latest":"1945-05-07","precision":"day","approximate":false,"uncertain":false,"assumed":["the day 1945-05-01"]}"#
    );
}

#[test]
fn language_mismatch_is_last() {
    assert_eq!(
        json("em Julho", Lang::Es, Some("1943-09-03")),
        r#"{"input":"em Julho","lang":"es","edtf":"1943-07","earliest":"1943-07-01","latest":"1943-07-31","precision":"month","approximate":false,"uncertain":false,"assumed":["the year 1943"],"language_mismatch":"pt"}"#
    );
}

#[test]
fn rejected_has_input_lang_error() {
    assert_eq!(
        json("31 de junio de 1943", Lang::Es, None),
        r#"{"input":"31 de junio de 1943","lang":"es","error":{"kind":"invalid_date","message":"June has 30 days","span":[0,2]}}"#
    );
    assert_eq!(
        json("septiempre de 1943", Lang::Es, None),
        r#"{"input":"septiempre de 1943","lang":"es","error":{"kind":"unknown_word","message":"unknown word `septiempre`","span":[0,10],"help":"did you mean `septiembre`?"}}"#
    );
}

#[test]
fn strings_are_escaped_and_output_is_one_line() {
    let out = json("\"1943\"\n\t\\", Lang::En, None);
    assert!(!out.contains('\n'), "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["input"], "\"1943\"\n\t\\");
    assert!(v["error"]["kind"].is_string());
}

#[test]
fn every_output_is_valid_json_with_the_contract_keys() {
    for (input, lang) in [
        ("verão de 1943 (junho-agosto)", Lang::Pt),
        ("(9 July–17 August 1943)", Lang::En),
        ("[1667,1668,1670..1672]", Lang::Edtf),
        ("¿1943?", Lang::Es),
        ("", Lang::Auto),
        ("1985-13", Lang::Iso),
    ] {
        let out = json(input, lang, None);
        let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        let keys = written_keys(&out);
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        if keys.contains(&"error") {
            assert_eq!(keys, ["input", "lang", "error"], "{out}");
            let e = &v["error"];
            assert!(e["kind"].is_string() && e["message"].is_string(), "{out}");
            assert_eq!(e["span"].as_array().map(Vec::len), Some(2), "{out}");
        } else {
            assert_eq!(
                keys.get(..8),
                Some(
                    &[
                        "input",
                        "lang",
                        "edtf",
                        "earliest",
                        "latest",
                        "precision",
                        "approximate",
                        "uncertain"
                    ][..]
                ),
                "{out}"
            );
        }
    }
}

/// The keys of a JSON object in the order they are written (a parsed `Value` sorts them).
fn written_keys(json: &str) -> Vec<String> {
    struct Keys(Vec<String>);
    impl<'de> serde::Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Keys, D::Error> {
            struct Visitor;
            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = Keys;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some(key) = map.next_key::<String>()? {
                        map.next_value::<serde::de::IgnoredAny>()?;
                        keys.push(key);
                    }
                    Ok(Keys(keys))
                }
            }
            deserializer.deserialize_map(Visitor)
        }
    }
    serde_json::from_str::<Keys>(json).expect("an object").0
}
