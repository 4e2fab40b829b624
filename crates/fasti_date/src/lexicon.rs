//! The words of dates in Spanish, Portuguese and English.
//!
//! Keys are folded: ASCII lowercase with the accents of Latin-1 letters
//! removed (`Março` → `marco`, `otoño` → `otono`). Each language has its own
//! table, so a word's meaning can differ between languages and a word of
//! another language is unknown.

use std::sync::OnceLock;

use super::Lang;

/// Early, mid or late part of a year, month, decade or century.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Part {
    Early,
    Mid,
    Late,
}

/// What a word means inside a date.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[allow(clippy::enum_variant_names)]
pub(crate) enum W {
    Month(u8),
    /// EDTF season code 21–24.
    Season(u8),
    Part(Part),
    /// `c.`, `circa`, `hacia`, `about`, `alrededor (de)`, `cerca (de)`...
    Circa,
    /// Portuguese `por` of `por volta de`.
    Por,
    /// `probablemente`, `provavelmente`, `probably`...
    Uncertain,
    /// `de`, `del`, `do`, `da`, `of`.
    Of,
    /// Articles: `el`, `la`, `los`, `o`, `os`, `the`.
    Art,
    /// `en`, `em`, `no`, `na`, `in`, `on`, `at`, `during`.
    In,
    /// Spanish/Portuguese `a` (to; at; the).
    A,
    /// Spanish `al`, Portuguese `ao` (to the; at the).
    Al,
    /// `desde`, `from`.
    From,
    /// `hasta`, `até`, `to`, `until`, `through`.
    To,
    Between,
    And,
    /// `año`, `ano`, `year`.
    YearW,
    /// `años`, `anos`, `years`.
    YearsW,
    DecadeW,
    CenturyW,
    /// `día`, `dia`, `day`, `fecha`, `data`, `date`.
    DayW,
    DaysW,
    WeekW,
    MonthW,
    MonthsW,
    /// `después`, `depois`, `later`, `after`.
    After,
    /// `antes`, `before`, `earlier`.
    Before,
    /// `más`, `mais` (of `más tarde`).
    More,
    /// `tarde` (of `más tarde`).
    Tarde,
    /// `siguiente`, `seguinte`, `next`, `following`.
    Next,
    /// `anterior`, `previous`, `preceding`.
    Prev,
    /// `ese`, `aquel`, `esse`, `naquele`, `that`...
    That,
    /// `mismo`, `mesmo`, `same`.
    Same,
    /// `víspera`, `véspera`, `eve`.
    Eve,
    /// A number word (`seis`, `six`).
    Num(u8),
    /// A word for a multiple of ten, as a decade (`cuarenta`, `forties`).
    Tens(u8),
    /// An ordinal word (`primera`, `first`, `twentieth`).
    Ord(u8),
    /// `mitad`, `metade`, `half`.
    Half,
    /// Letters and words of era abbreviations (`a.C.`, `BC`, `A.D.`...).
    Era,
    /// A Roman numeral (only meaningful after `siglo`/`século`).
    Roman(u8),
    /// A day of the week, 0 = Monday … 6 = Sunday.
    Weekday(u8),
    /// `quincena`, `quinzena`, `fortnight`: half a month.
    Fortnight,
    /// `último`, `last` (of `los últimos días`, `the last week`).
    Last,
    /// A Roman-numeral year above 100 (`MCMXLIII`), four letters or more.
    RomanYear(u16),
    /// `o`, `u`, `ou`, `or`: alternatives.
    Or,
    /// `no`, `não`, `not` (of `no antes de`, `not later than`).
    Not,
    /// English `by` (not later than), `than` is [`W::Than`].
    By,
    /// English `than` (of `not later than`).
    Than,
    /// `partir` (of `a partir de`).
    Partir,
    /// A part of a day: `noche`, `madrugada`, `noite`, `morning`, `night`. `true` for a night,
    /// which runs into the next day.
    DayPart(bool),
    /// `cabo` (of `al cabo de cuatro días`): a count after the reference.
    Cabo,
    /// `poco`, `pouco`, `shortly`, `soon` (of `poco después`).
    Shortly,
    /// `san`, `santo`, `santa`, `são`, `saint`, `st`: begins a saint's feast.
    Saint,
    /// A word that is only read inside a feast's name ([`FEASTS`]) or a Julian marker
    /// ([`JULIAN`]): `Corpus`, `Whit`, `estilo`.
    FeastWord,
}

/// What one language does differently, so that the grammar asks the lexicon instead of
/// naming a language.
pub(crate) struct Quirks {
    /// Eras after (or, where `era_before_year`, before) a year: folded words, and BCE or not.
    pub(crate) eras: &'static [(&'static [&'static [u8]], bool)],
    /// An era may come before the year (`AD 1066`).
    pub(crate) era_before_year: bool,
    /// The month may come before the day (`September 3`, `September 3, 1943`); elsewhere only
    /// with a full year after `de` (`enero 22 de 1944`).
    pub(crate) month_first: bool,
    /// An all-numeric date may be month-day as well as day-month, so it is ambiguous when both
    /// numbers could be months.
    pub(crate) numeric_month_day: bool,
    /// Tens and ordinals join with a hyphen into a century's ordinal (`twenty-first century`).
    pub(crate) hyphenated_ordinals: bool,
    /// A decade word stands alone (`the forties`), without a word for "years".
    pub(crate) bare_decade_words: bool,
    /// `after that year` / `before that year` name the rest of the year on either side.
    pub(crate) rest_of_year: bool,
    /// A century may be written `19c` or `19th c.`.
    pub(crate) century_c: bool,
    /// A month abbreviation that is also a number word before a unit (`dez dias`: ten days,
    /// not December): the folded word and its number.
    pub(crate) month_or_number: Option<(&'static [u8], u8)>,
}

static ROMANCE_ERAS: &[(&[&[u8]], bool)] = &[
    (&[b"a", b"c"], true),
    (&[b"ac"], true),
    (&[b"aec"], true),
    (&[b"antes", b"de", b"cristo"], true),
    (&[b"d", b"c"], false),
    (&[b"dc"], false),
    (&[b"ec"], false),
    (&[b"despues", b"de", b"cristo"], false),
    (&[b"depois", b"de", b"cristo"], false),
];

static ES_QUIRKS: Quirks = Quirks {
    eras: ROMANCE_ERAS,
    era_before_year: false,
    month_first: false,
    numeric_month_day: false,
    hyphenated_ordinals: false,
    bare_decade_words: false,
    rest_of_year: false,
    century_c: false,
    month_or_number: None,
};

static PT_QUIRKS: Quirks = Quirks {
    month_or_number: Some((b"dez", 10)),
    ..ES_QUIRKS
};

static EN_QUIRKS: Quirks = Quirks {
    eras: &[
        (&[b"b", b"c", b"e"], true),
        (&[b"b", b"c"], true),
        (&[b"bc"], true),
        (&[b"bce"], true),
        (&[b"a", b"d"], false),
        (&[b"ad"], false),
        (&[b"c", b"e"], false),
        (&[b"ce"], false),
    ],
    era_before_year: true,
    month_first: true,
    numeric_month_day: true,
    hyphenated_ordinals: true,
    bare_decade_words: true,
    rest_of_year: true,
    century_c: true,
    month_or_number: None,
};

/// The quirks of `lang` (es, pt or en).
pub(crate) fn quirks(lang: Lang) -> &'static Quirks {
    match lang {
        Lang::Es => &ES_QUIRKS,
        Lang::Pt => &PT_QUIRKS,
        _ => &EN_QUIRKS,
    }
}

/// Words that mark a date as Julian (old style), as folded words; the date is converted.
pub(crate) static JULIAN: &[(Lang, &[&str])] = &[
    (Lang::Es, &["estilo", "antiguo"]),
    (Lang::Es, &["calendario", "juliano"]),
    (Lang::Es, &["juliano"]),
    (Lang::Pt, &["estilo", "antigo"]),
    (Lang::Pt, &["calendario", "juliano"]),
    (Lang::Pt, &["juliano"]),
    (Lang::En, &["o", "s"]),
    (Lang::En, &["os"]),
    (Lang::En, &["old", "style"]),
    (Lang::En, &["julian", "calendar"]),
    (Lang::En, &["julian"]),
];

/// A feast day: fixed (month, day) or movable (days from Easter Sunday, Gregorian computus).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Feast {
    Fixed(u8, u8),
    Easter(i16),
}

use Feast::{Easter, Fixed};

/// Feasts by their folded words, longest first within each language so that `Easter Monday`
/// wins over `Easter`. A word spelled with a hyphen is one token (`sexta-feira`).
pub(crate) static FEASTS: &[(Lang, &[&str], Feast)] = &[
    (Lang::Es, &["domingo", "de", "resurreccion"], Easter(0)),
    (Lang::Es, &["domingo", "de", "ramos"], Easter(-7)),
    (Lang::Es, &["miercoles", "de", "ceniza"], Easter(-46)),
    (Lang::Es, &["lunes", "de", "pascua"], Easter(1)),
    (Lang::Es, &["todos", "los", "santos"], Fixed(11, 1)),
    (Lang::Es, &["viernes", "santo"], Easter(-2)),
    (Lang::Es, &["jueves", "santo"], Easter(-3)),
    (Lang::Es, &["corpus", "christi"], Easter(60)),
    (Lang::Es, &["ano", "nuevo"], Fixed(1, 1)),
    (Lang::Es, &["san", "juan"], Fixed(6, 24)),
    (Lang::Es, &["san", "pedro"], Fixed(6, 29)),
    (Lang::Es, &["san", "jose"], Fixed(3, 19)),
    (Lang::Es, &["navidad"], Fixed(12, 25)),
    (Lang::Es, &["nochebuena"], Fixed(12, 24)),
    (Lang::Es, &["reyes"], Fixed(1, 6)),
    (Lang::Es, &["epifania"], Fixed(1, 6)),
    (Lang::Es, &["santiago"], Fixed(7, 25)),
    (Lang::Es, &["difuntos"], Fixed(11, 2)),
    (Lang::Es, &["candelaria"], Fixed(2, 2)),
    (Lang::Es, &["asuncion"], Fixed(8, 15)),
    (Lang::Es, &["pascua"], Easter(0)),
    (Lang::Es, &["pentecostes"], Easter(49)),
    (Lang::Es, &["ascension"], Easter(39)),
    (Lang::Pt, &["quarta-feira", "de", "cinzas"], Easter(-46)),
    (Lang::Pt, &["domingo", "de", "ramos"], Easter(-7)),
    (Lang::Pt, &["domingo", "de", "pascoa"], Easter(0)),
    (Lang::Pt, &["todos", "os", "santos"], Fixed(11, 1)),
    (Lang::Pt, &["sexta-feira", "santa"], Easter(-2)),
    (Lang::Pt, &["corpus", "christi"], Easter(60)),
    (Lang::Pt, &["ano", "novo"], Fixed(1, 1)),
    (Lang::Pt, &["sao", "joao"], Fixed(6, 24)),
    (Lang::Pt, &["sao", "pedro"], Fixed(6, 29)),
    (Lang::Pt, &["natal"], Fixed(12, 25)),
    (Lang::Pt, &["reis"], Fixed(1, 6)),
    (Lang::Pt, &["finados"], Fixed(11, 2)),
    (Lang::Pt, &["candelaria"], Fixed(2, 2)),
    (Lang::Pt, &["assuncao"], Fixed(8, 15)),
    (Lang::Pt, &["pascoa"], Easter(0)),
    (Lang::Pt, &["pentecostes"], Easter(49)),
    (Lang::Pt, &["ascensao"], Easter(39)),
    (Lang::En, &["easter", "sunday"], Easter(0)),
    (Lang::En, &["easter", "monday"], Easter(1)),
    (Lang::En, &["good", "friday"], Easter(-2)),
    (Lang::En, &["maundy", "thursday"], Easter(-3)),
    (Lang::En, &["palm", "sunday"], Easter(-7)),
    (Lang::En, &["ash", "wednesday"], Easter(-46)),
    (Lang::En, &["whit", "sunday"], Easter(49)),
    (Lang::En, &["whit", "monday"], Easter(50)),
    (Lang::En, &["corpus", "christi"], Easter(60)),
    (Lang::En, &["new", "year", "s", "eve"], Fixed(12, 31)),
    (Lang::En, &["christmas", "eve"], Fixed(12, 24)),
    (Lang::En, &["all", "saints"], Fixed(11, 1)),
    (Lang::En, &["all", "souls"], Fixed(11, 2)),
    (Lang::En, &["new", "year"], Fixed(1, 1)),
    (Lang::En, &["lady", "day"], Fixed(3, 25)),
    (Lang::En, &["midsummer"], Fixed(6, 24)),
    (Lang::En, &["christmas"], Fixed(12, 25)),
    (Lang::En, &["epiphany"], Fixed(1, 6)),
    (Lang::En, &["candlemas"], Fixed(2, 2)),
    (Lang::En, &["assumption"], Fixed(8, 15)),
    (Lang::En, &["michaelmas"], Fixed(9, 29)),
    (Lang::En, &["easter"], Easter(0)),
    (Lang::En, &["pentecost"], Easter(49)),
    (Lang::En, &["whitsun"], Easter(49)),
    (Lang::En, &["ascension"], Easter(39)),
];

use W::*;

static ES: &[(&str, W)] = &[
    ("estilo", FeastWord),
    ("antiguo", FeastWord),
    ("calendario", FeastWord),
    ("juliano", FeastWord),
    ("san", Saint),
    ("santo", Saint),
    ("santa", Saint),
    ("navidad", FeastWord),
    ("nochebuena", FeastWord),
    ("nuevo", FeastWord),
    ("reyes", FeastWord),
    ("epifania", FeastWord),
    ("juan", FeastWord),
    ("pedro", FeastWord),
    ("jose", FeastWord),
    ("santiago", FeastWord),
    ("todos", FeastWord),
    ("santos", FeastWord),
    ("difuntos", FeastWord),
    ("candelaria", FeastWord),
    ("asuncion", FeastWord),
    ("pascua", FeastWord),
    ("resurreccion", FeastWord),
    ("ramos", FeastWord),
    ("ceniza", FeastWord),
    ("pentecostes", FeastWord),
    ("ascension", FeastWord),
    ("corpus", FeastWord),
    ("christi", FeastWord),
    ("o", Or),
    ("u", Or),
    ("no", Not),
    ("partir", Partir),
    ("noche", DayPart(true)),
    ("madrugada", DayPart(false)),
    ("manana", DayPart(false)),
    ("hora", DayPart(false)),
    ("mediodia", DayPart(false)),
    ("medianoche", DayPart(false)),
    ("cabo", Cabo),
    ("poco", Shortly),
    ("quincena", Fortnight),
    ("primeros", Ord(1)),
    ("primeras", Ord(1)),
    ("ultimo", Last),
    ("ultima", Last),
    ("ultimos", Last),
    ("ultimas", Last),
    ("lunes", Weekday(0)),
    ("lun", Weekday(0)),
    ("martes", Weekday(1)),
    ("miercoles", Weekday(2)),
    ("mie", Weekday(2)),
    ("jueves", Weekday(3)),
    ("jue", Weekday(3)),
    ("viernes", Weekday(4)),
    ("vie", Weekday(4)),
    ("sabado", Weekday(5)),
    ("sab", Weekday(5)),
    ("domingo", Weekday(6)),
    ("dom", Weekday(6)),
    ("enero", Month(1)),
    ("ene", Month(1)),
    ("febrero", Month(2)),
    ("feb", Month(2)),
    ("marzo", Month(3)),
    ("mar", Month(3)),
    ("abril", Month(4)),
    ("abr", Month(4)),
    ("mayo", Month(5)),
    ("may", Month(5)),
    ("junio", Month(6)),
    ("jun", Month(6)),
    ("julio", Month(7)),
    ("jul", Month(7)),
    ("agosto", Month(8)),
    ("ago", Month(8)),
    ("septiembre", Month(9)),
    ("setiembre", Month(9)),
    ("sep", Month(9)),
    ("sept", Month(9)),
    ("set", Month(9)),
    ("octubre", Month(10)),
    ("oct", Month(10)),
    ("noviembre", Month(11)),
    ("nov", Month(11)),
    ("diciembre", Month(12)),
    ("dic", Month(12)),
    ("primavera", Season(21)),
    ("verano", Season(22)),
    ("otono", Season(23)),
    ("invierno", Season(24)),
    ("principios", W::Part(Part::Early)),
    ("principio", W::Part(Part::Early)),
    ("comienzos", W::Part(Part::Early)),
    ("comienzo", W::Part(Part::Early)),
    ("inicios", W::Part(Part::Early)),
    ("inicio", W::Part(Part::Early)),
    ("mediados", W::Part(Part::Mid)),
    ("finales", W::Part(Part::Late)),
    ("fines", W::Part(Part::Late)),
    ("final", W::Part(Part::Late)),
    ("fin", W::Part(Part::Late)),
    ("c", Circa),
    ("ca", Circa),
    ("circa", Circa),
    ("hacia", Circa),
    ("alrededor", Circa),
    ("cerca", Circa),
    ("aproximadamente", Circa),
    ("aprox", Circa),
    ("torno", Circa),
    ("probablemente", Uncertain),
    ("posiblemente", Uncertain),
    ("de", Of),
    ("del", Of),
    ("el", Art),
    ("la", Art),
    ("los", Art),
    ("las", Art),
    ("en", In),
    ("durante", In),
    ("a", A),
    ("al", Al),
    ("desde", From),
    ("hasta", To),
    ("entre", Between),
    ("y", And),
    ("e", And),
    ("ano", YearW),
    ("anos", YearsW),
    ("decada", DecadeW),
    ("siglo", CenturyW),
    ("s", CenturyW),
    ("dia", DayW),
    ("fecha", DayW),
    ("dias", DaysW),
    ("semana", WeekW),
    ("semanas", WeekW),
    ("mes", MonthW),
    ("meses", MonthsW),
    ("despues", After),
    ("luego", After),
    ("antes", Before),
    ("mas", More),
    ("tarde", Tarde),
    ("siguiente", Next),
    ("anterior", Prev),
    ("ese", That),
    ("esa", That),
    ("este", That),
    ("esta", That),
    ("aquel", That),
    ("aquella", That),
    ("dicho", That),
    ("dicha", That),
    ("mismo", Same),
    ("misma", Same),
    ("vispera", Eve),
    ("un", Num(1)),
    ("uno", Num(1)),
    ("una", Num(1)),
    ("dos", Num(2)),
    ("tres", Num(3)),
    ("cuatro", Num(4)),
    ("cinco", Num(5)),
    ("seis", Num(6)),
    ("siete", Num(7)),
    ("ocho", Num(8)),
    ("nueve", Num(9)),
    ("diez", Num(10)),
    ("once", Num(11)),
    ("doce", Num(12)),
    ("trece", Num(13)),
    ("catorce", Num(14)),
    ("quince", Num(15)),
    ("dieciseis", Num(16)),
    ("diecisiete", Num(17)),
    ("dieciocho", Num(18)),
    ("diecinueve", Num(19)),
    ("veinte", Num(20)),
    ("treinta", Num(30)),
    ("cuarenta", Tens(40)),
    ("cincuenta", Tens(50)),
    ("sesenta", Tens(60)),
    ("setenta", Tens(70)),
    ("ochenta", Tens(80)),
    ("noventa", Tens(90)),
    ("primero", Ord(1)),
    ("primer", Ord(1)),
    ("primera", Ord(1)),
    ("segundo", Ord(2)),
    ("segunda", Ord(2)),
    ("mitad", Half),
    ("ac", Era),
    ("dc", Era),
    ("aec", Era),
    ("ec", Era),
    ("d", Era),
    ("cristo", Era),
];

static PT: &[(&str, W)] = &[
    ("estilo", FeastWord),
    ("antigo", FeastWord),
    ("calendario", FeastWord),
    ("juliano", FeastWord),
    ("sao", Saint),
    ("santo", Saint),
    ("santa", Saint),
    ("natal", FeastWord),
    ("novo", FeastWord),
    ("reis", FeastWord),
    ("joao", FeastWord),
    ("pedro", FeastWord),
    ("todos", FeastWord),
    ("santos", FeastWord),
    ("finados", FeastWord),
    ("candelaria", FeastWord),
    ("assuncao", FeastWord),
    ("pascoa", FeastWord),
    ("ramos", FeastWord),
    ("cinzas", FeastWord),
    ("pentecostes", FeastWord),
    ("ascensao", FeastWord),
    ("corpus", FeastWord),
    ("christi", FeastWord),
    ("ou", Or),
    ("para", To),
    ("nao", Not),
    ("partir", Partir),
    ("noite", DayPart(true)),
    ("madrugada", DayPart(false)),
    ("manha", DayPart(false)),
    ("hora", DayPart(false)),
    ("cabo", Cabo),
    ("pouco", Shortly),
    ("quinzena", Fortnight),
    ("primeiros", Ord(1)),
    ("primeiras", Ord(1)),
    ("ultimo", Last),
    ("ultima", Last),
    ("ultimos", Last),
    ("ultimas", Last),
    // Weekdays: the compounds are one word (the tokenizer joins a hyphenated compound the
    // lexicon knows); `segunda` alone stays the ordinal.
    ("segunda-feira", Weekday(0)),
    ("seg", Weekday(0)),
    ("terca-feira", Weekday(1)),
    ("ter", Weekday(1)),
    ("quarta-feira", Weekday(2)),
    ("qua", Weekday(2)),
    ("quinta-feira", Weekday(3)),
    ("qui", Weekday(3)),
    ("sexta-feira", Weekday(4)),
    ("sex", Weekday(4)),
    ("sabado", Weekday(5)),
    ("sab", Weekday(5)),
    ("domingo", Weekday(6)),
    ("dom", Weekday(6)),
    ("janeiro", Month(1)),
    ("jan", Month(1)),
    ("fevereiro", Month(2)),
    ("fev", Month(2)),
    ("marco", Month(3)),
    ("mar", Month(3)),
    ("abril", Month(4)),
    ("abr", Month(4)),
    ("maio", Month(5)),
    ("mai", Month(5)),
    ("junho", Month(6)),
    ("jun", Month(6)),
    ("julho", Month(7)),
    ("jul", Month(7)),
    ("agosto", Month(8)),
    ("ago", Month(8)),
    ("setembro", Month(9)),
    ("set", Month(9)),
    ("outubro", Month(10)),
    ("out", Month(10)),
    ("novembro", Month(11)),
    ("nov", Month(11)),
    ("dezembro", Month(12)),
    ("dez", Month(12)),
    ("primavera", Season(21)),
    ("verao", Season(22)),
    ("outono", Season(23)),
    ("inverno", Season(24)),
    ("principio", W::Part(Part::Early)),
    ("principios", W::Part(Part::Early)),
    ("inicio", W::Part(Part::Early)),
    ("inicios", W::Part(Part::Early)),
    ("comeco", W::Part(Part::Early)),
    ("comecos", W::Part(Part::Early)),
    ("meados", W::Part(Part::Mid)),
    ("fins", W::Part(Part::Late)),
    ("final", W::Part(Part::Late)),
    ("finais", W::Part(Part::Late)),
    ("fim", W::Part(Part::Late)),
    ("c", Circa),
    ("ca", Circa),
    ("circa", Circa),
    ("cerca", Circa),
    ("aproximadamente", Circa),
    ("aprox", Circa),
    ("torno", Circa),
    ("volta", Circa),
    ("por", Por),
    ("provavelmente", Uncertain),
    ("possivelmente", Uncertain),
    ("de", Of),
    ("do", Of),
    ("da", Of),
    ("dos", Of),
    ("das", Of),
    ("o", Art),
    ("os", Art),
    ("as", Art),
    ("em", In),
    ("no", In),
    ("na", In),
    ("nos", In),
    ("nas", In),
    ("durante", In),
    ("a", A),
    ("ao", Al),
    ("desde", From),
    ("ate", To),
    ("entre", Between),
    ("e", And),
    ("ano", YearW),
    ("anos", YearsW),
    ("decada", DecadeW),
    ("seculo", CenturyW),
    ("sec", CenturyW),
    ("dia", DayW),
    ("data", DayW),
    ("dias", DaysW),
    ("semana", WeekW),
    ("semanas", WeekW),
    ("mes", MonthW),
    ("meses", MonthsW),
    ("depois", After),
    ("antes", Before),
    ("mais", More),
    ("tarde", Tarde),
    ("seguinte", Next),
    ("anterior", Prev),
    ("esse", That),
    ("essa", That),
    ("este", That),
    ("esta", That),
    ("aquele", That),
    ("aquela", That),
    ("nesse", That),
    ("nessa", That),
    ("neste", That),
    ("nesta", That),
    ("naquele", That),
    ("naquela", That),
    ("desse", That),
    ("dessa", That),
    ("deste", That),
    ("desta", That),
    ("daquele", That),
    ("daquela", That),
    ("mesmo", Same),
    ("mesma", Same),
    ("vespera", Eve),
    ("um", Num(1)),
    ("uma", Num(1)),
    ("dois", Num(2)),
    ("duas", Num(2)),
    ("tres", Num(3)),
    ("quatro", Num(4)),
    ("cinco", Num(5)),
    ("seis", Num(6)),
    ("sete", Num(7)),
    ("oito", Num(8)),
    ("nove", Num(9)),
    ("onze", Num(11)),
    ("doze", Num(12)),
    ("treze", Num(13)),
    ("catorze", Num(14)),
    ("quatorze", Num(14)),
    ("quinze", Num(15)),
    ("dezesseis", Num(16)),
    ("dezasseis", Num(16)),
    ("dezessete", Num(17)),
    ("dezassete", Num(17)),
    ("dezoito", Num(18)),
    ("dezenove", Num(19)),
    ("dezanove", Num(19)),
    ("vinte", Num(20)),
    ("trinta", Num(30)),
    ("quarenta", Tens(40)),
    ("cinquenta", Tens(50)),
    ("sessenta", Tens(60)),
    ("setenta", Tens(70)),
    ("oitenta", Tens(80)),
    ("noventa", Tens(90)),
    ("primeiro", Ord(1)),
    ("primeira", Ord(1)),
    ("segundo", Ord(2)),
    ("segunda", Ord(2)),
    ("metade", Half),
    ("ac", Era),
    ("dc", Era),
    ("aec", Era),
    ("ec", Era),
    ("d", Era),
    ("cristo", Era),
];

static EN: &[(&str, W)] = &[
    ("within", In),
    ("o", FeastWord),
    ("s", FeastWord),
    ("os", FeastWord),
    ("old", FeastWord),
    ("style", FeastWord),
    ("julian", FeastWord),
    ("calendar", FeastWord),
    ("ascension", FeastWord),
    ("saint", Saint),
    ("st", Saint),
    ("christmas", FeastWord),
    ("new", FeastWord),
    ("epiphany", FeastWord),
    ("candlemas", FeastWord),
    ("all", FeastWord),
    ("saints", FeastWord),
    ("souls", FeastWord),
    ("assumption", FeastWord),
    ("midsummer", FeastWord),
    ("easter", FeastWord),
    ("good", FeastWord),
    ("maundy", FeastWord),
    ("palm", FeastWord),
    ("ash", FeastWord),
    ("pentecost", FeastWord),
    ("whitsun", FeastWord),
    ("whit", FeastWord),
    ("corpus", FeastWord),
    ("christi", FeastWord),
    ("michaelmas", FeastWord),
    ("lady", FeastWord),
    ("or", Or),
    ("not", Not),
    ("no", Not),
    ("by", By),
    ("than", Than),
    ("since", From),
    ("night", DayPart(true)),
    ("overnight", DayPart(true)),
    ("morning", DayPart(false)),
    ("evening", DayPart(false)),
    ("afternoon", DayPart(false)),
    ("dawn", DayPart(false)),
    ("noon", DayPart(false)),
    ("midnight", DayPart(false)),
    ("shortly", Shortly),
    ("soon", Shortly),
    ("fortnight", Fortnight),
    ("last", Last),
    ("maybe", Uncertain),
    ("uncertain", Uncertain),
    ("monday", Weekday(0)),
    ("mon", Weekday(0)),
    ("tuesday", Weekday(1)),
    ("tue", Weekday(1)),
    ("tues", Weekday(1)),
    ("wednesday", Weekday(2)),
    ("wed", Weekday(2)),
    ("thursday", Weekday(3)),
    ("thu", Weekday(3)),
    ("thur", Weekday(3)),
    ("thurs", Weekday(3)),
    ("friday", Weekday(4)),
    ("fri", Weekday(4)),
    ("saturday", Weekday(5)),
    ("sat", Weekday(5)),
    ("sunday", Weekday(6)),
    ("sun", Weekday(6)),
    ("january", Month(1)),
    ("jan", Month(1)),
    ("february", Month(2)),
    ("feb", Month(2)),
    ("march", Month(3)),
    ("mar", Month(3)),
    ("april", Month(4)),
    ("apr", Month(4)),
    ("may", Month(5)),
    ("june", Month(6)),
    ("jun", Month(6)),
    ("july", Month(7)),
    ("jul", Month(7)),
    ("august", Month(8)),
    ("aug", Month(8)),
    ("september", Month(9)),
    ("sep", Month(9)),
    ("sept", Month(9)),
    ("october", Month(10)),
    ("oct", Month(10)),
    ("november", Month(11)),
    ("nov", Month(11)),
    ("december", Month(12)),
    ("dec", Month(12)),
    ("spring", Season(21)),
    ("summer", Season(22)),
    ("autumn", Season(23)),
    ("fall", Season(23)),
    ("winter", Season(24)),
    ("early", W::Part(Part::Early)),
    ("beginning", W::Part(Part::Early)),
    ("start", W::Part(Part::Early)),
    ("mid", W::Part(Part::Mid)),
    ("middle", W::Part(Part::Mid)),
    ("late", W::Part(Part::Late)),
    ("end", W::Part(Part::Late)),
    ("c", Circa),
    ("ca", Circa),
    ("circa", Circa),
    ("about", Circa),
    ("around", Circa),
    ("approximately", Circa),
    ("approx", Circa),
    ("roughly", Circa),
    ("probably", Uncertain),
    ("possibly", Uncertain),
    ("perhaps", Uncertain),
    ("of", Of),
    ("the", Art),
    ("a", Art),
    ("in", In),
    ("on", In),
    ("at", In),
    ("during", In),
    ("from", From),
    ("to", To),
    ("until", To),
    ("till", To),
    ("through", To),
    ("thru", To),
    ("between", Between),
    ("and", And),
    ("year", YearW),
    ("years", YearsW),
    ("decade", DecadeW),
    ("century", CenturyW),
    ("day", DayW),
    ("date", DayW),
    ("days", DaysW),
    ("week", WeekW),
    ("weeks", WeekW),
    ("month", MonthW),
    ("months", MonthsW),
    ("later", After),
    ("after", After),
    ("afterwards", After),
    ("before", Before),
    ("earlier", Before),
    ("next", Next),
    ("following", Next),
    ("previous", Prev),
    ("preceding", Prev),
    ("that", That),
    ("this", That),
    ("same", Same),
    ("eve", Eve),
    ("one", Num(1)),
    ("two", Num(2)),
    ("three", Num(3)),
    ("four", Num(4)),
    ("five", Num(5)),
    ("six", Num(6)),
    ("seven", Num(7)),
    ("eight", Num(8)),
    ("nine", Num(9)),
    ("ten", Num(10)),
    ("eleven", Num(11)),
    ("twelve", Num(12)),
    ("thirteen", Num(13)),
    ("fourteen", Num(14)),
    ("fifteen", Num(15)),
    ("sixteen", Num(16)),
    ("seventeen", Num(17)),
    ("eighteen", Num(18)),
    ("nineteen", Num(19)),
    ("twenty", Num(20)),
    ("thirty", Num(30)),
    ("twenties", Tens(20)),
    ("thirties", Tens(30)),
    ("forties", Tens(40)),
    ("fifties", Tens(50)),
    ("sixties", Tens(60)),
    ("seventies", Tens(70)),
    ("eighties", Tens(80)),
    ("nineties", Tens(90)),
    ("first", Ord(1)),
    ("second", Ord(2)),
    ("third", Ord(3)),
    ("fourth", Ord(4)),
    ("fifth", Ord(5)),
    ("sixth", Ord(6)),
    ("seventh", Ord(7)),
    ("eighth", Ord(8)),
    ("ninth", Ord(9)),
    ("tenth", Ord(10)),
    ("eleventh", Ord(11)),
    ("twelfth", Ord(12)),
    ("thirteenth", Ord(13)),
    ("fourteenth", Ord(14)),
    ("fifteenth", Ord(15)),
    ("sixteenth", Ord(16)),
    ("seventeenth", Ord(17)),
    ("eighteenth", Ord(18)),
    ("nineteenth", Ord(19)),
    ("twentieth", Ord(20)),
    ("half", Half),
    ("bc", Era),
    ("bce", Era),
    ("ad", Era),
    ("ce", Era),
    ("b", Era),
    ("d", Era),
    ("e", Era),
];

fn raw(lang: Lang) -> &'static [(&'static str, W)] {
    match lang {
        Lang::Es => ES,
        Lang::Pt => PT,
        _ => EN,
    }
}

/// A folded word of up to 16 bytes packed big-endian into a `u128`, so that
/// lookups compare integers (and sort like the bytes).
fn key(w: &[u8]) -> Option<u128> {
    if w.len() > 16 {
        return None;
    }
    let mut k: u128 = 0;
    for i in 0..16 {
        k = (k << 8) | u128::from(w.get(i).copied().unwrap_or(0));
    }
    Some(k)
}

fn sorted(lang: Lang) -> &'static [(u128, W)] {
    static S: [OnceLock<Vec<(u128, W)>>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let i = match lang {
        Lang::Es => 0,
        Lang::Pt => 1,
        _ => 2,
    };
    S[i].get_or_init(|| {
        let mut v: Vec<(u128, W)> = raw(lang)
            .iter()
            .filter_map(|(k, w)| key(k.as_bytes()).map(|k| (k, *w)))
            .collect();
        v.sort_by_key(|e| e.0);
        v
    })
}

/// The meaning of a folded word in `lang` (es, pt or en).
pub(crate) fn lookup(lang: Lang, folded: &[u8]) -> Option<W> {
    let t = sorted(lang);
    if let Some(k) = key(folded)
        && let Ok(i) = t.binary_search_by_key(&k, |e| e.0)
    {
        return t.get(i).map(|(_, w)| *w);
    }
    roman(folded)
        .map(Roman)
        .or_else(|| roman_year(folded).map(RomanYear))
}

/// A Roman-numeral year from 101 to 3999 in canonical form, written with four letters or more
/// (`mcmxliii`): shorter ones are too easily words.
pub(crate) fn roman_year(s: &[u8]) -> Option<u16> {
    if s.len() < 4 {
        return None;
    }
    roman_in(s, 101..=3999)
}

/// A Roman numeral from 1 to 100 in canonical form (`xx`, `xiv`).
pub(crate) fn roman(s: &[u8]) -> Option<u8> {
    roman_in(s, 1..=100).and_then(|n| u8::try_from(n).ok())
}

/// The value of a Roman numeral in `range`, only in its canonical spelling (no `iiii`, `vx`,
/// `ic`), so that ordinary words are not taken for numbers.
fn roman_in(s: &[u8], range: std::ops::RangeInclusive<u16>) -> Option<u16> {
    if s.is_empty() || s.len() > 15 {
        return None;
    }
    let val = |c: u8| {
        ROMAN
            .iter()
            .find(|(_, r)| r.len() == 1 && r.first() == Some(&c))
            .map(|(v, _)| i64::from(*v))
    };
    // Signed, so that a leading subtractive pair (`ix`, `xl`, `cm`) does not underflow.
    let mut total = 0i64;
    for (i, c) in s.iter().enumerate() {
        let v = val(*c)?;
        let next = match s.get(i + 1) {
            Some(n) => val(*n)?,
            None => 0,
        };
        if v < next {
            total -= v;
        } else {
            total += v;
        }
    }
    let n = u16::try_from(total).ok().filter(|n| range.contains(n))?;
    let mut rest = n;
    let mut canonical = [0u8; 16];
    let mut len = 0;
    for (v, r) in ROMAN {
        while rest >= v {
            for c in r {
                *canonical.get_mut(len)? = *c;
                len += 1;
            }
            rest -= v;
        }
    }
    (canonical.get(..len) == Some(s)).then_some(n)
}

/// Roman numerals and their values, largest first, with the subtractive pairs.
const ROMAN: [(u16, &[u8]); 13] = [
    (1000, b"m"),
    (900, b"cm"),
    (500, b"d"),
    (400, b"cd"),
    (100, b"c"),
    (90, b"xc"),
    (50, b"l"),
    (40, b"xl"),
    (10, b"x"),
    (9, b"ix"),
    (5, b"v"),
    (4, b"iv"),
    (1, b"i"),
];

/// Fold one char: ASCII lowercase, accents of Latin letters removed.
pub(crate) fn fold(c: char) -> Option<u8> {
    Some(match c {
        'a'..='z' => c as u8,
        'A'..='Z' => c.to_ascii_lowercase() as u8,
        'á' | 'à' | 'â' | 'ã' | 'ä' | 'Á' | 'À' | 'Â' | 'Ã' | 'Ä' => b'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => b'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => b'i',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ö' => b'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => b'u',
        'ç' | 'Ç' => b'c',
        'ñ' | 'Ñ' => b'n',
        _ => return None,
    })
}

/// How a folded lexicon word is spelled, for suggestions.
fn spelled(lang: Lang, w: &'static str) -> &'static str {
    match (lang, w) {
        (Lang::Es, "otono") => "otoño",
        (Lang::Es, "ano") => "año",
        (Lang::Es, "anos") => "años",
        (Lang::Es, "dia") => "día",
        (Lang::Es, "dias") => "días",
        (Lang::Es, "despues") => "después",
        (Lang::Es, "vispera") => "víspera",
        (Lang::Es, "miercoles") => "miércoles",
        (Lang::Es | Lang::Pt, "sabado") => "sábado",
        (Lang::Pt, "terca-feira") => "terça-feira",
        (Lang::Es | Lang::Pt, "decada") => "década",
        (Lang::Pt, "verao") => "verão",
        (Lang::Pt, "marco") => "março",
        (Lang::Pt, "principio") => "princípio",
        (Lang::Pt, "principios") => "princípios",
        (Lang::Pt, "inicio") => "início",
        (Lang::Pt, "comeco") => "começo",
        (Lang::Pt, "comecos") => "começos",
        (Lang::Pt, "seculo") => "século",
        (Lang::Pt, "ate") => "até",
        (Lang::Pt, "mes") => "mês",
        (Lang::Pt, "vespera") => "véspera",
        (Lang::Pt, "tres") => "três",
        (Lang::Pt, "nao") => "não",
        (Lang::Pt, "sao") => "são",
        (Lang::Es, "manana") => "mañana",
        (Lang::Es, "mediodia") => "mediodía",
        (Lang::Pt, "manha") => "manhã",
        (Lang::Es | Lang::Pt, "ultimo") => "último",
        (Lang::Es | Lang::Pt, "ultima") => "última",
        (Lang::Es | Lang::Pt, "ultimos") => "últimos",
        (Lang::Es | Lang::Pt, "ultimas") => "últimas",
        _ => w,
    }
}

/// Whether a word is of a kind people misspell and a suggestion can name: a month, weekday,
/// season, part of a period or unit. Function words, numbers and relative words are never
/// offered: `noche` is not `ocho`, `Easter` not `later`, `quincena` not `quince`.
fn suggestible(w: W) -> bool {
    matches!(
        w,
        Month(_) | Weekday(_) | Season(_) | W::Part(_) | CenturyW | DecadeW
    )
}

/// The edits allowed between an unknown word and a suggestion: none for short words (too many
/// near neighbours), then one more edit every few letters.
fn max_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=5 => 1,
        6..=8 => 2,
        _ => 3,
    }
}

/// The closest lexicon word of a suggestible kind to an unknown folded word, within
/// [`max_edits`]; on a tie, none (the first would be an arbitrary guess).
pub(crate) fn suggest(lang: Lang, folded: &str) -> Option<&'static str> {
    let limit = max_edits(folded.chars().count());
    if limit == 0 {
        return None;
    }
    let mut best: Option<(usize, &'static str)> = None;
    let mut tied = false;
    for (k, w) in raw(lang) {
        if k.len() < 4 || !suggestible(*w) {
            continue;
        }
        let d = strsim::damerau_levenshtein(folded, k);
        if d == 0 || d > limit {
            continue;
        }
        match best {
            Some((b, bk)) if d == b && spelled(lang, bk) != spelled(lang, k) => tied = true,
            Some((b, _)) if d >= b => {}
            _ => {
                best = Some((d, k));
                tied = false;
            }
        }
    }
    if tied {
        return None;
    }
    best.map(|(_, k)| spelled(lang, k))
}

/// Words that are about dates but that fasti does not read, with what to say instead of a
/// guess: unknown feasts, times of the day.
static NOT_READ: &[(Lang, &str, &str)] = &[
    (Lang::Es, "nuestra", "a feast day fasti does not know"),
    (Lang::Pt, "nossa", "a feast day fasti does not know"),
    (Lang::En, "feast", "a feast day fasti does not know"),
    (
        Lang::Es,
        "horas",
        "a time of day, which fasti does not read",
    ),
    (
        Lang::Pt,
        "horas",
        "a time of day, which fasti does not read",
    ),
    (Lang::En, "hour", "a time of day, which fasti does not read"),
    (
        Lang::En,
        "hours",
        "a time of day, which fasti does not read",
    ),
    (
        Lang::En,
        "oclock",
        "a time of day, which fasti does not read",
    ),
    (Lang::En, "am", "a time of day, which fasti does not read"),
    (Lang::En, "pm", "a time of day, which fasti does not read"),
];

/// What a date word fasti knows but does not read means, if `folded` is one.
pub(crate) fn not_read(lang: Lang, folded: &str) -> Option<&'static str> {
    NOT_READ
        .iter()
        .find(|(l, w, _)| *l == lang && *w == folded)
        .map(|(_, _, what)| *what)
}

/// Every word of a language, spelled with accents (for tests and docs).
#[cfg(test)]
pub(crate) fn words(lang: Lang) -> impl Iterator<Item = (&'static str, W)> {
    raw(lang).iter().map(move |(k, w)| (spelled(lang, k), *w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_unique_folded_keys() {
        for lang in [Lang::Es, Lang::Pt, Lang::En] {
            let t = sorted(lang);
            assert_eq!(t.len(), raw(lang).len(), "a key longer than 16 bytes");
            for pair in t.windows(2) {
                assert_ne!(pair[0].0, pair[1].0, "duplicate key in {lang}");
            }
            for (k, _) in raw(lang) {
                // Lowercase letters, and a hyphen inside a compound (`segunda-feira`).
                assert!(
                    k.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                        && !k.starts_with('-')
                        && !k.ends_with('-'),
                    "{k}"
                );
            }
        }
    }

    #[test]
    fn spelled_words_fold_back_to_themselves() {
        for lang in [Lang::Es, Lang::Pt, Lang::En] {
            for (w, meaning) in words(lang) {
                let f: Vec<u8> = w
                    .chars()
                    .filter_map(|c| if c == '-' { Some(b'-') } else { fold(c) })
                    .collect();
                assert_eq!(lookup(lang, &f), Some(meaning), "{w}");
            }
        }
    }

    #[test]
    fn romans() {
        assert_eq!(roman(b"xx"), Some(20));
        assert_eq!(roman(b"xiv"), Some(14));
        assert_eq!(roman(b"ix"), Some(9));
        assert_eq!(roman(b"iv"), Some(4));
        assert_eq!(roman(b"xl"), Some(40));
        assert_eq!(roman_year(b"mcmxliii"), Some(1943));
        assert_eq!(roman_year(b"cdxcii"), Some(492));
        assert_eq!(roman_year(b"mcmxxxxiii"), None);
        assert_eq!(roman(b"i"), Some(1));
        assert_eq!(roman(b"iiii"), None);
        assert_eq!(roman(b"mix"), None);
        assert_eq!(roman(b"c"), Some(100));
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest(Lang::Es, "septiempre"), Some("septiembre"));
        assert_eq!(suggest(Lang::Pt, "setenbro"), Some("setembro"));
        assert_eq!(suggest(Lang::En, "septmber"), Some("september"));
        assert_eq!(suggest(Lang::Es, "zzzzzzz"), None);
    }
}
