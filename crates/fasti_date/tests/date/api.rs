//! The public API: names, conversions and invariants other crates rely on.

use fasti_date::{Assumed, Bound, Context, DateErrorKind, Day, Lang, Precision, normalize};

#[test]
fn lang_parses_and_displays() {
    for s in ["es", "pt", "en", "iso", "edtf", "auto"] {
        let l: Lang = s.parse().expect("known language");
        assert_eq!(l.to_string(), s);
        assert_eq!(
            serde_json::to_string(&l).expect("serializes"),
            format!("\"{s}\"")
        );
    }
    assert!("fr".parse::<Lang>().is_err());
}

#[test]
fn precision_serializes_lowercase() {
    assert_eq!(
        serde_json::to_string(&Precision::MonthPart).expect("serializes"),
        "\"monthpart\""
    );
    assert_eq!(Precision::Quadrimester.to_string(), "quadrimester");
}

#[test]
fn day_displays_like_edtf() {
    let d = Day::from_ymd(1943, 9, 3).expect("valid");
    assert_eq!(d.to_string(), "1943-09-03");
    assert_eq!(d.ymd(), (1943, 9, 3));
    assert_eq!(
        Day::from_ymd(-43, 3, 15).expect("valid").to_string(),
        "-0043-03-15"
    );
    assert_eq!(
        Day::from_ymd(12345, 1, 1).expect("valid").to_string(),
        "Y12345-01-01"
    );
    assert_eq!(Day::from_ymd(1943, 2, 29), None);
    assert_eq!(Day::from_ymd(1943, 13, 1), None);
    assert_eq!(
        Day::from_ymd(1970, 1, 1).map(Day::days_since_epoch),
        Some(0)
    );
    assert!(Day::from_ymd(i32::MAX, 12, 31).is_some());
    assert!(Day::from_ymd(i32::MIN, 1, 1).is_some());
    assert_eq!(
        Day::from_ymd(i32::MAX, 12, 31).map(Day::ymd),
        Some((i32::MAX, 12, 31))
    );
    assert_eq!(Bound::Open.to_string(), "..");
    assert_eq!(Bound::Unknown.to_string(), "..");
}

#[test]
fn assumed_reads_in_plain_words() {
    assert_eq!(Assumed::Year(1943).to_string(), "the year 1943");
    assert_eq!(
        Assumed::Month(1943, 9).to_string(),
        "the month September 1943"
    );
    assert_eq!(
        Assumed::Day(Day::from_ymd(1945, 5, 1).expect("valid")).to_string(),
        "the day 1945-05-01"
    );
    assert_eq!(
        Assumed::Century(1900).to_string(),
        "the century 1900–1999 for a two-digit year"
    );
    assert_eq!(Assumed::Year(-43).to_string(), "the year 44 BCE");
}

/// A source read in order: each event's date is the next one's reference.
#[test]
fn a_source_read_in_order() {
    let seq = [
        ("El 10 de julio de 1943", "1943-07-10"),
        ("El 17 de agosto", "1943-08-17"),
        ("el 25 de julio", "1943-07-25"),
        ("ese mismo día", "1943-07-25"),
        ("El 3 de septiembre", "1943-09-03"),
        ("A finales de ese mes", "1943-09-21/1943-09-30"),
        ("En octubre", "1943-10"),
        ("En abril de 1945", "1945-04"),
        ("el 28 de abril", "1945-04-28"),
        ("el 1 de mayo", "1945-05-01"),
        ("seis días después", "1945-05-07"),
    ];
    let mut ctx = Context::default();
    for (input, edtf) in seq {
        let v = normalize(input, Lang::Es, &ctx).unwrap_or_else(|e| panic!("{input}: {e:?}"));
        assert_eq!(v.edtf, edtf, "{input}");
        ctx = Context::with_reference(v);
    }
}

#[test]
fn relative_without_reference_needs_context() {
    for (input, lang) in [
        ("seis días después", Lang::Es),
        ("six days later", Lang::En),
        ("seis dias depois", Lang::Pt),
        ("a finales de ese mes", Lang::Es),
        ("fevereiro/maio", Lang::Pt),
        ("(Septiembre)", Lang::Es),
    ] {
        let e = normalize(input, lang, &Context::default()).expect_err(input);
        assert_eq!(e.kind, DateErrorKind::NeedsContext, "{input}");
        assert!(e.help.is_some(), "{input}");
    }
}

#[test]
fn words_of_another_language_are_flagged_not_refused() {
    let v = normalize("3 de Setembro de 1943", Lang::Es, &Context::default()).expect("parses");
    assert_eq!(v.language_mismatch, Some(Lang::Pt));
    assert_eq!(v.edtf, "1943-09-03");
    let v = normalize("3 de septiembre de 1943", Lang::Es, &Context::default()).expect("parses");
    assert_eq!(v.language_mismatch, None);
    // numeric and ISO forms belong to every language
    let v = normalize("1943-09-03", Lang::Pt, &Context::default()).expect("parses");
    assert_eq!(v.language_mismatch, None);
    // iso and edtf accept only ISO/EDTF syntax
    let e = normalize("3 de septiembre de 1943", Lang::Iso, &Context::default()).expect_err("iso");
    assert_eq!(e.kind, DateErrorKind::EdtfSyntax);
}

#[test]
fn qualifiers_never_change_the_bounds() {
    let ctx = Context::default();
    for (plain, qualified) in [
        ("1943-07", "1943-07~"),
        ("1943-07", "1943-07?"),
        ("1943-07-09", "1943-07-09%"),
        ("1943-07-09", "?1943-~07-09"),
        ("1943", "c. 1943"),
        ("1943", "¿1943?"),
    ] {
        let a = normalize(plain, Lang::Auto, &ctx).expect(plain);
        let b = normalize(qualified, Lang::Auto, &ctx).expect(qualified);
        assert_eq!(
            (a.earliest, a.latest),
            (b.earliest, b.latest),
            "{qualified}"
        );
        assert!(b.approximate || b.uncertain, "{qualified}");
    }
}

#[test]
fn errors_point_at_the_bad_part() {
    let ctx = Context::default();
    let input = "el 31 de junio de 1943";
    let e = normalize(input, Lang::Es, &ctx).expect_err("invalid");
    assert_eq!(&input[e.span.clone()], "31");
    assert_eq!(e.message, "June has 30 days");
    let input = "1985-13-01";
    let e = normalize(input, Lang::Edtf, &ctx).expect_err("invalid");
    assert_eq!(&input[e.span.clone()], "13");
    let input = "  el 3 de septiempre de 1943";
    let e = normalize(input, Lang::Es, &ctx).expect_err("unknown");
    assert_eq!(&input[e.span.clone()], "septiempre");
    assert_eq!(e.help.as_deref(), Some("did you mean `septiembre`?"));
}
