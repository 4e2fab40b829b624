//! `cargo xtask gen-corpus`: a deterministic, realistic synthetic dataset in fasti's format, for
//! benchmarks and end-to-end checks.
//!
//! ```text
//! cargo xtask gen-corpus --sources N --events-per-source M --seed S --format yaml|json --out DIR
//!                        [--invalid-rate 0.01]
//! ```
//!
//! Writes `DIR/fasti.toml`, `DIR/sources/<id>.<ext>` (N sources of M claims each),
//! `DIR/sources/authority/{people,places,events}.<ext>`, `DIR/corpus.json` (counts) and
//! `DIR/planted.tsv` (every planted problem: file, JSON pointer, kind). `DIR` must lie outside
//! the repository.
//!
//! The authority holds people (names in es/pt/en with accents, aliases), places in a
//! `within` hierarchy (continent, country, region, city) and events: campaigns spanning months
//! or years, and events `part_of` them with accepted dates, regions and relations. Each source is
//! in one language and lists its claims by date: full dates, month-year, seasons,
//! early/mid/late, ranges, partial dates and `a finales de ese mes` read against the previous
//! claim, EDTF/ISO; names are spelled as in any language, by alias, without accents or in
//! capitals. Every valid claim agrees with the authority and with the other sources.
//!
//! A fraction `--invalid-rate` of the claims carries exactly one planted problem, of one of the
//! kinds of [`Kind`]: schema violations, unparseable and impossible dates, unknown names, an end
//! before the start, claims out of order, dates that disagree with the authority and the other
//! sources, a date in another language.
//!
//! Determinism: same arguments, same bytes. Randomness comes from a hand-written splitmix64
//! ([`Rng`]), not from the `rand` crates: its output is fixed by these 10 lines, whereas a
//! crate's generators or its sampling algorithms may change between versions, which would change
//! the corpora (and the benchmark figures' meaning) under a `cargo update`. Each source file draws
//! from its own stream, seeded from (seed, file index). Nothing depends on hash-map order, time
//! or the environment.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Options of one corpus.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    pub(crate) sources: usize,
    pub(crate) events_per_source: usize,
    pub(crate) seed: u64,
    pub(crate) json: bool,
    pub(crate) out: PathBuf,
    pub(crate) invalid_rate: f64,
}

impl Options {
    fn ext(&self) -> &'static str {
        if self.json { "json" } else { "yaml" }
    }
}

/// What was written.
#[derive(Clone, Debug, Default)]
pub(crate) struct Manifest {
    pub(crate) files: usize,
    pub(crate) events: usize,
    pub(crate) bytes: u64,
    pub(crate) source_bytes: u64,
    pub(crate) planted: usize,
    pub(crate) planted_by_kind: Vec<(&'static str, usize)>,
}

/// `cargo xtask gen-corpus ARGS`.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let options = parse_args(args)?;
    refuse_inside(root, &options.out)?;
    let manifest = generate(&options)?;
    eprintln!(
        "gen-corpus: {} files, {} events, {:.1} MB ({:.1} MB of sources), {} planted problems in {}",
        manifest.files,
        manifest.events,
        manifest.bytes as f64 / 1e6,
        manifest.source_bytes as f64 / 1e6,
        manifest.planted,
        options.out.display()
    );
    for (kind, count) in &manifest.planted_by_kind {
        eprintln!("  {kind:<24} {count}");
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        sources: 10,
        events_per_source: 100,
        seed: 1,
        json: false,
        out: PathBuf::new(),
        invalid_rate: 0.01,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        let number = |v: String| {
            v.parse::<usize>()
                .map_err(|_| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--sources" => options.sources = number(value()?)?,
            "--events-per-source" => options.events_per_source = number(value()?)?,
            "--seed" => options.seed = number(value()?)? as u64,
            "--format" => {
                options.json = match value()?.as_str() {
                    "json" => true,
                    "yaml" => false,
                    other => return Err(format!("--format: yaml or json, not {other}")),
                }
            }
            "--out" => options.out = PathBuf::from(value()?),
            "--invalid-rate" => {
                let v = value()?;
                options.invalid_rate = v
                    .parse::<f64>()
                    .ok()
                    .filter(|r| (0.0..=1.0).contains(r))
                    .ok_or_else(|| format!("--invalid-rate: a number in 0..1, not {v}"))?;
            }
            other => {
                return Err(format!(
                    "unknown argument {other}\nusage: cargo xtask gen-corpus --sources N --events-per-source M --seed S --format yaml|json --out DIR [--invalid-rate 0.01]"
                ));
            }
        }
    }
    if options.out.as_os_str().is_empty() {
        return Err(
            "--out DIR is required (outside the repository, e.g. /tmp/fasti-corpus)".into(),
        );
    }
    Ok(options)
}

/// Corpora are never written into the repository (they would end up committed).
pub(crate) fn refuse_inside(root: &Path, out: &Path) -> Result<(), String> {
    let absolute = if out.is_absolute() {
        out.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| e.to_string())?
            .join(out)
    };
    // Canonicalize the nearest existing ancestor (the directory itself may not exist yet).
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        resolved.push(name);
    }
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if resolved.starts_with(&root) {
        return Err(format!(
            "refusing to write a corpus inside the repository ({}): use a directory such as /tmp/fasti-corpus",
            resolved.display()
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Randomness

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and fixed forever.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next_u64();
        rng
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by multiply-shift.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    pub(crate) fn range(&mut self, lo: i64, hi_inclusive: i64) -> i64 {
        lo + self.below((hi_inclusive - lo + 1) as usize) as i64
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p && p > 0.0
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Calendar (proleptic Gregorian, days since 1940-01-01)

const FIRST_YEAR: i32 = 1940;
const LAST_YEAR: i32 = 1944;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    y: i32,
    m: u32,
    d: u32,
}

fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_len(y: i32, m: u32) -> u32 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Day number of a date, counted from 1940-01-01.
fn day_number(date: Date) -> i64 {
    let mut n = 0i64;
    for y in FIRST_YEAR..date.y {
        n += if leap(y) { 366 } else { 365 };
    }
    for m in 1..date.m {
        n += i64::from(month_len(date.y, m));
    }
    n + i64::from(date.d) - 1
}

fn from_day_number(mut n: i64) -> Date {
    let mut y = FIRST_YEAR;
    loop {
        let len = if leap(y) { 366 } else { 365 };
        if n < len {
            break;
        }
        n -= len;
        y += 1;
    }
    let mut m = 1;
    while n >= i64::from(month_len(y, m)) {
        n -= i64::from(month_len(y, m));
        m += 1;
    }
    Date {
        y,
        m,
        d: n as u32 + 1,
    }
}

fn last_day() -> i64 {
    day_number(Date {
        y: LAST_YEAR,
        m: 12,
        d: 31,
    })
}

fn iso(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.y, date.m, date.d)
}

// ---------------------------------------------------------------------------------------------
// Words

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lang {
    Es,
    Pt,
    En,
}

const LANGS: [Lang; 3] = [Lang::Es, Lang::Pt, Lang::En];

impl Lang {
    fn tag(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::En => "en",
        }
    }
    fn index(self) -> usize {
        self as usize
    }
}

const MONTHS: [[&str; 12]; 3] = [
    [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    [
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ],
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
];

fn month(lang: Lang, m: u32) -> &'static str {
    MONTHS[lang.index()][m as usize - 1]
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Strips the accents of the letters the generated names use.
fn unaccent(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' => 'a',
            'é' | 'ê' => 'e',
            'í' => 'i',
            'ó' | 'ô' | 'õ' => 'o',
            'ú' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            'Á' => 'A',
            'É' => 'E',
            'Í' => 'I',
            'Ó' => 'O',
            'Ú' => 'U',
            other => other,
        })
        .collect()
}

/// The key fasti matches names by: case and accents ignored (approximately what fasti does).
fn fold(s: &str) -> String {
    unaccent(s)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in unaccent(s).to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

const FIRST_NAMES: &[&str] = &[
    "José",
    "María",
    "João",
    "Antônio",
    "Ramón",
    "Inés",
    "Sebastián",
    "Lucía",
    "André",
    "Joaquín",
    "Conceição",
    "Estêvão",
    "Ángel",
    "Begoña",
    "Fernão",
    "Héctor",
    "Íñigo",
    "Simão",
    "Tomás",
    "Margarida",
    "Álvaro",
    "Martín",
    "Leonor",
    "Gonçalo",
    "Mónica",
    "Raúl",
    "Jerónimo",
    "Beatriz",
    "Óscar",
    "Cecília",
    "Thomas",
    "Margaret",
    "William",
    "Eleanor",
    "Arthur",
    "Edith",
    "Harold",
    "Dorothy",
    "Walter",
    "Agnes",
];

const SURNAMES: &[&str] = &[
    "García",
    "Gonçalves",
    "Núñez",
    "Pérez",
    "Magalhães",
    "Ibáñez",
    "Conceição",
    "Muñoz",
    "Simões",
    "Gutiérrez",
    "Araújo",
    "Sánchez",
    "Guimarães",
    "Jiménez",
    "Brandão",
    "Domínguez",
    "Falcão",
    "Martínez",
    "Gusmão",
    "Vázquez",
    "Assunção",
    "Benítez",
    "Loureiro",
    "Cortés",
    "Peixoto",
    "Ordóñez",
    "Sarmento",
    "Alarcón",
    "Quintão",
    "Ramírez",
    "Whitfield",
    "Ashcombe",
    "Pemberton",
    "Harrowby",
    "Thornbury",
    "Langley",
    "Fairbairn",
    "Holloway",
    "Kingsley",
    "Aldridge",
    "Márquez",
    "Valadão",
    "Echeverría",
    "Nóbrega",
    "Zubizarreta",
    "Monção",
    "Larrañaga",
    "Figueirôa",
];

/// Surnames that no generated person has: for unknown actors.
const UNKNOWN_SURNAMES: &[&str] = &[
    "Quiñonero",
    "Zamperlão",
    "Oxenbridge",
    "Villacañas",
    "Trancoso-Ruela",
    "Mbeki-Lourenço",
];

const SYLLABLES: &[&str] = &[
    "val", "dor", "san", "ta", "mar", "ren", "quel", "bra", "lo", "ver", "ca", "mon", "tor", "ria",
    "al", "ben", "gal", "ne", "ro", "vi", "zar", "lle", "pa", "ço", "nhe", "ga", "sil", "ar", "mi",
    "ma", "que", "ru", "fe", "or", "bel", "té", "cas", "tro",
];

const UNKNOWN_PLACES: &[&str] = &[
    "Villaperdida del Monte",
    "Ponte Esquecida",
    "Nowhere Ford",
    "Castrotierra de Abajo",
    "São Ninguém",
    "Lostwithiel Bay",
];

fn place_name(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut s = String::new();
    for _ in 0..n {
        let syllable = SYLLABLES[rng.below(SYLLABLES.len())];
        s.push_str(syllable);
    }
    capitalize(&s)
}

// ---------------------------------------------------------------------------------------------
// A tiny document model and its writers

enum V {
    S(String),
    I(i64),
    L(Vec<V>),
    M(Vec<(&'static str, V)>),
}

fn s(text: impl Into<String>) -> V {
    V::S(text.into())
}

fn strings(items: &[String]) -> V {
    V::L(items.iter().map(|t| V::S(t.clone())).collect())
}

fn write_json(out: &mut String, value: &V, indent: usize) {
    match value {
        V::S(text) => json_string(out, text),
        V::I(n) => {
            let _ = write!(out, "{n}");
        }
        V::L(items) if items.is_empty() => out.push_str("[]"),
        V::L(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                pad(out, indent + 2);
                write_json(out, item, indent + 2);
            }
            out.push('\n');
            pad(out, indent);
            out.push(']');
        }
        V::M(entries) if entries.is_empty() => out.push_str("{}"),
        V::M(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                pad(out, indent + 2);
                json_string(out, key);
                out.push_str(": ");
                write_json(out, item, indent + 2);
            }
            out.push('\n');
            pad(out, indent);
            out.push('}');
        }
    }
}

fn pad(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A plain scalar that every YAML reader (1.2 core schema, and js-yaml's 1.1) takes as the
/// same string; anything else is double-quoted.
fn yaml_plain_ok(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if !(first.is_alphabetic() || first == '¶') || text.ends_with(' ') {
        return false;
    }
    if text.chars().any(|c| {
        matches!(
            c,
            ':' | '#'
                | ','
                | '['
                | ']'
                | '{'
                | '}'
                | '&'
                | '*'
                | '!'
                | '|'
                | '>'
                | '"'
                | '%'
                | '@'
                | '`'
                | '\\'
        ) || c.is_control()
    }) {
        return false;
    }
    !matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
    )
}

fn yaml_scalar(out: &mut String, text: &str) {
    if yaml_plain_ok(text) {
        out.push_str(text);
    } else {
        json_string(out, text);
    }
}

/// Block mappings, block sequences of mappings, flow sequences of scalars.
fn write_yaml_map(out: &mut String, entries: &[(&'static str, V)], indent: usize, first: bool) {
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 || !first {
            pad(out, indent);
        }
        out.push_str(key);
        out.push(':');
        match value {
            V::S(text) => {
                out.push(' ');
                yaml_scalar(out, text);
                out.push('\n');
            }
            V::I(n) => {
                let _ = writeln!(out, " {n}");
            }
            V::L(items) if items.iter().all(|v| matches!(v, V::S(_) | V::I(_))) => {
                out.push_str(" [");
                for (j, item) in items.iter().enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    match item {
                        V::S(text) => yaml_scalar(out, text),
                        V::I(n) => {
                            let _ = write!(out, "{n}");
                        }
                        _ => {}
                    }
                }
                out.push_str("]\n");
            }
            V::L(items) => {
                out.push('\n');
                for item in items {
                    pad(out, indent + 2);
                    out.push_str("- ");
                    match item {
                        V::M(inner) => write_yaml_map(out, inner, indent + 4, true),
                        V::S(text) => {
                            yaml_scalar(out, text);
                            out.push('\n');
                        }
                        _ => out.push_str("null\n"),
                    }
                }
            }
            V::M(inner) if inner.iter().all(|(_, v)| matches!(v, V::S(_))) => {
                out.push_str(" { ");
                for (j, (k, v)) in inner.iter().enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(k);
                    out.push_str(": ");
                    if let V::S(text) = v {
                        yaml_scalar(out, text);
                    }
                }
                out.push_str(" }\n");
            }
            V::M(inner) => {
                out.push('\n');
                write_yaml_map(out, inner, indent + 2, false);
            }
        }
    }
}

fn render(value: &V, json: bool, header: &str) -> String {
    let mut out = String::with_capacity(1 << 16);
    if json {
        write_json(&mut out, value, 0);
        out.push('\n');
    } else {
        out.push_str(header);
        if let V::M(entries) = value {
            write_yaml_map(&mut out, entries, 0, true);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The authority

struct Person {
    id: String,
    /// Name in es, pt, en.
    names: [String; 3],
    aliases: Vec<String>,
}

struct Place {
    id: String,
    names: [String; 3],
    aliases: Vec<String>,
    kind: &'static str,
    within: Option<usize>,
    /// Every place inside this one (itself included), by index.
    subtree: Vec<usize>,
}

struct Event {
    id: String,
    names: [String; 3],
    start: i64,
    /// Inclusive last day, when the event lasts.
    end: Option<i64>,
    region: usize,
    part_of: Option<usize>,
    /// An earlier event of the same campaign.
    after: Option<usize>,
    campaign: bool,
}

struct World {
    people: Vec<Person>,
    places: Vec<Place>,
    events: Vec<Event>,
    /// Indices of the non-campaign events, by start day.
    dated: Vec<usize>,
}

fn unique(taken: &mut HashSet<String>, names: &[&str]) -> bool {
    if names.iter().any(|n| taken.contains(&fold(n))) {
        return false;
    }
    for n in names {
        taken.insert(fold(n));
    }
    true
}

fn build_world(seed: u64, claims: usize) -> World {
    let mut rng = Rng::new(seed, u64::MAX);

    // People.
    let people_count = (claims / 500).clamp(60, 2000);
    let mut people = Vec::new();
    let mut taken = HashSet::new();
    let mut ids = HashSet::new();
    let mut attempts = 0;
    while people.len() < people_count && attempts < people_count * 50 {
        attempts += 1;
        let first = *rng.pick(FIRST_NAMES);
        let second = *rng.pick(SURNAMES);
        let third = *rng.pick(SURNAMES);
        if second == third {
            continue;
        }
        let full = format!("{first} {second} {third}");
        let short = format!("{first} {second}");
        let initial: String = first.chars().take(1).collect();
        let initials = format!("{initial}. {second} {third}");
        if !unique(&mut taken, &[&full, &short, &initials]) {
            continue;
        }
        let id = slug(&full);
        if !ids.insert(id.clone()) {
            continue;
        }
        people.push(Person {
            id,
            names: [full.clone(), full.clone(), unaccent(&full)],
            aliases: vec![short, initials],
        });
    }

    // Places: 3 continents, 8 countries each, 4 regions each, 6 cities each.
    let mut places: Vec<Place> = Vec::new();
    let mut taken = HashSet::new();
    let mut ids = HashSet::new();
    let continents = [
        ["Europa", "Europa", "Europe"],
        ["África", "África", "Africa"],
        ["Asia", "Ásia", "Asia"],
    ];
    for names in continents {
        unique(&mut taken, &names);
        ids.insert(slug(names[2]));
        places.push(Place {
            id: slug(names[2]),
            names: names.map(str::to_owned),
            aliases: Vec::new(),
            kind: "continent",
            within: None,
            subtree: Vec::new(),
        });
    }
    let mut add = |rng: &mut Rng, places: &mut Vec<Place>, kind: &'static str, parent: usize| {
        loop {
            let base = place_name(rng);
            let (es, pt, en) = match kind {
                "country" => (base.clone(), base.clone(), unaccent(&base)),
                "region" => (
                    format!("{base} del Norte"),
                    format!("{base} do Norte"),
                    format!("North {}", unaccent(&base)),
                ),
                _ => (base.clone(), base.clone(), unaccent(&base)),
            };
            let alias = match kind {
                "city" => format!("San {base}"),
                "country" => format!("República de {base}"),
                _ => base.clone(),
            };
            let id = slug(&en);
            if ids.contains(&id) || !unique(&mut taken, &[&es, &pt, &en, &alias]) {
                continue;
            }
            ids.insert(id.clone());
            places.push(Place {
                id,
                names: [es, pt, en],
                aliases: vec![alias],
                kind,
                within: Some(parent),
                subtree: Vec::new(),
            });
            return places.len() - 1;
        }
    };
    for continent in 0..3 {
        for _ in 0..8 {
            let country = add(&mut rng, &mut places, "country", continent);
            for _ in 0..4 {
                let region = add(&mut rng, &mut places, "region", country);
                for _ in 0..6 {
                    add(&mut rng, &mut places, "city", region);
                }
            }
        }
    }
    for i in 0..places.len() {
        let mut at = Some(i);
        while let Some(p) = at {
            places[p].subtree.push(i);
            at = places[p].within;
        }
    }
    let countries: Vec<usize> = (0..places.len())
        .filter(|&i| places[i].kind == "country")
        .collect();

    // Events: campaigns over months or years in a country; events part of them in its places.
    let event_count = (claims / 40).clamp(40, 25_000);
    let campaigns = (event_count / 25).max(2);
    let mut events: Vec<Event> = Vec::new();
    let mut taken = HashSet::new();
    let mut ids = HashSet::new();
    let mut name_event =
        |rng: &mut Rng, kinds: &[[&str; 3]], place: &Place, year: i32| -> ([String; 3], String) {
            let kind = rng.pick(kinds);
            let mut names = [0, 1, 2].map(|l| format!("{} {}", kind[l], place.names[l]));
            if !unique(
                &mut taken,
                &[names[0].as_str(), names[1].as_str(), names[2].as_str()],
            ) {
                names = names.map(|n| format!("{n} ({year})"));
                let mut n = 2;
                while !unique(
                    &mut taken,
                    &[names[0].as_str(), names[1].as_str(), names[2].as_str()],
                ) {
                    names =
                        [0, 1, 2].map(|l| format!("{} {} ({year}, {n})", kind[l], place.names[l]));
                    n += 1;
                }
            }
            let mut id = slug(&names[2]);
            let mut n = 2;
            while !ids.insert(id.clone()) {
                id = format!("{}-{n}", slug(&names[2]));
                n += 1;
            }
            (names, id)
        };
    const CAMPAIGN: &[[&str; 3]] = &[
        ["Campaña de", "Campanha de", "Campaign of"],
        ["Ofensiva de", "Ofensiva de", "Offensive of"],
        ["Ocupación de", "Ocupação de", "Occupation of"],
    ];
    const EVENT: &[[&str; 3]] = &[
        ["Batalla de", "Batalha de", "Battle of"],
        ["Sitio de", "Cerco de", "Siege of"],
        ["Desembarco en", "Desembarque em", "Landing at"],
        ["Conferencia de", "Conferência de", "Conference of"],
        ["Levantamiento de", "Levante de", "Uprising in"],
        ["Toma de", "Tomada de", "Capture of"],
        ["Bombardeo de", "Bombardeio de", "Bombing of"],
        ["Huelga general en", "Greve geral em", "General strike in"],
    ];
    let last = last_day();
    for _ in 0..campaigns {
        let country = *rng.pick(&countries);
        let start = rng.range(0, last - 200);
        let end = (start + rng.range(120, 900)).min(last);
        let (names, id) = name_event(
            &mut rng,
            CAMPAIGN,
            &places[country],
            from_day_number(start).y,
        );
        events.push(Event {
            id,
            names,
            start,
            end: Some(end),
            region: country,
            part_of: None,
            after: None,
            campaign: true,
        });
    }
    let mut by_campaign: Vec<Vec<usize>> = vec![Vec::new(); campaigns];
    while events.len() < event_count {
        let c = rng.below(campaigns);
        let (c_start, c_end) = (events[c].start, events[c].end.unwrap_or(events[c].start));
        let start = rng.range(c_start, c_end);
        let end = if rng.chance(0.3) {
            Some((start + rng.range(1, 40)).min(c_end))
        } else {
            None
        };
        let region_subtree = &places[events[c].region].subtree;
        let place = region_subtree[rng.below(region_subtree.len())];
        // Region: the place's region (or itself when it is one).
        let region = if places[place].kind == "city" {
            places[place].within.unwrap_or(place)
        } else {
            place
        };
        let (names, id) = name_event(&mut rng, EVENT, &places[place], from_day_number(start).y);
        let after = by_campaign[c]
            .iter()
            .copied()
            .rfind(|&e| events[e].end.unwrap_or(events[e].start) < start);
        by_campaign[c].push(events.len());
        events.push(Event {
            id,
            names,
            start,
            end,
            region,
            part_of: Some(c),
            after: after.filter(|_| rng.chance(0.5)),
            campaign: false,
        });
    }
    let mut dated: Vec<usize> = (campaigns..events.len()).collect();
    dated.sort_by_key(|&e| (events[e].start, e));
    World {
        people,
        places,
        events,
        dated,
    }
}

fn names_value(names: &[String; 3], aliases: &[String]) -> Vec<(&'static str, V)> {
    let mut out = vec![(
        "names",
        V::M(vec![
            ("es", s(&names[0])),
            ("pt", s(&names[1])),
            ("en", s(&names[2])),
        ]),
    )];
    if !aliases.is_empty() {
        out.push(("aliases", strings(aliases)));
    }
    out
}

fn authority_files(world: &World, seed: u64) -> Vec<(&'static str, V)> {
    let mut rng = Rng::new(seed, u64::MAX - 1);
    let people = world
        .people
        .iter()
        .map(|p| {
            let mut entry = vec![("id", s(&p.id))];
            entry.extend(names_value(&p.names, &p.aliases));
            let born = Date {
                y: rng.range(1870, 1920) as i32,
                m: rng.range(1, 12) as u32,
                d: rng.range(1, 28) as u32,
            };
            entry.push(("born", s(iso(born))));
            if rng.chance(0.8) {
                let died = Date {
                    y: rng.range(1946, 1995) as i32,
                    m: rng.range(1, 12) as u32,
                    d: rng.range(1, 28) as u32,
                };
                entry.push(("died", s(iso(died))));
            }
            V::M(entry)
        })
        .collect();
    let places = world
        .places
        .iter()
        .map(|p| {
            let mut entry = vec![("id", s(&p.id))];
            entry.extend(names_value(&p.names, &p.aliases));
            entry.push(("kind", s(p.kind)));
            if let Some(parent) = p.within {
                entry.push(("within", s(&world.places[parent].id)));
            }
            V::M(entry)
        })
        .collect();
    let events = world
        .events
        .iter()
        .map(|e| {
            let mut entry = vec![("id", s(&e.id))];
            entry.extend(names_value(&e.names, &[]));
            entry.push(("date", s(iso(from_day_number(e.start)))));
            if let Some(end) = e.end {
                entry.push(("end", s(iso(from_day_number(end)))));
            }
            entry.push(("region", s(&world.places[e.region].id)));
            if let Some(parent) = e.part_of {
                entry.push(("part_of", s(&world.events[parent].id)));
            }
            if let Some(after) = e.after {
                entry.push(("after", strings(&[world.events[after].id.clone()])));
            }
            if e.campaign {
                entry.push((
                    "note",
                    s("A generated campaign: its events lie within its dates and its country."),
                ));
            }
            V::M(entry)
        })
        .collect();
    vec![
        ("people", V::M(vec![("people", V::L(people))])),
        ("places", V::M(vec![("places", V::L(places))])),
        ("events", V::M(vec![("events", V::L(events))])),
    ]
}

// ---------------------------------------------------------------------------------------------
// Sources

/// The planted problems.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    MissingTitle,
    ExtraProperty,
    BadEventKey,
    DateNotText,
    EmptyLocator,
    UnparseableDate,
    ImpossibleDate,
    UnknownActor,
    UnknownPlace,
    UnknownEvent,
    EndBeforeStart,
    OutOfOrder,
    Disagrees,
    WrongLanguage,
}

const KINDS: [Kind; 14] = [
    Kind::MissingTitle,
    Kind::ExtraProperty,
    Kind::BadEventKey,
    Kind::DateNotText,
    Kind::EmptyLocator,
    Kind::UnparseableDate,
    Kind::ImpossibleDate,
    Kind::UnknownActor,
    Kind::UnknownPlace,
    Kind::UnknownEvent,
    Kind::EndBeforeStart,
    Kind::OutOfOrder,
    Kind::Disagrees,
    Kind::WrongLanguage,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::MissingTitle => "schema-missing-title",
            Kind::ExtraProperty => "schema-extra-property",
            Kind::BadEventKey => "schema-bad-event-key",
            Kind::DateNotText => "schema-date-not-text",
            Kind::EmptyLocator => "schema-empty-locator",
            Kind::UnparseableDate => "unparseable-date",
            Kind::ImpossibleDate => "impossible-date",
            Kind::UnknownActor => "unknown-actor",
            Kind::UnknownPlace => "unknown-place",
            Kind::UnknownEvent => "unknown-event",
            Kind::EndBeforeStart => "end-before-start",
            Kind::OutOfOrder => "out-of-order",
            Kind::Disagrees => "disagrees",
            Kind::WrongLanguage => "wrong-language",
        }
    }
}

/// How a valid claim's date is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Full,
    FullAlt,
    MonthYear,
    Season,
    Part,
    Range,
    Partial,
    Relative,
    Iso,
    IsoMonth,
    Year,
}

/// What the previous dated claim lets the next one take from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reference {
    None,
    /// The year is known.
    Year(i32),
    /// The year and month are known.
    Month(i32, u32),
}

fn full_date(lang: Lang, date: Date, alt: bool) -> String {
    let m = month(lang, date.m);
    match lang {
        Lang::Es | Lang::Pt => {
            if alt && date.d == 1 && lang == Lang::Es {
                format!("1.º de {m} de {}", date.y)
            } else {
                format!("{} de {m} de {}", date.d, date.y)
            }
        }
        Lang::En if alt => format!("{} {m} {}", date.d, date.y),
        Lang::En => format!("{m} {}, {}", date.d, date.y),
    }
}

fn season(lang: Lang, date: Date) -> Option<String> {
    // Only the seasons within one calendar year (winter straddles two).
    let index = match date.m {
        4 | 5 => 0,
        7 | 8 => 1,
        10 | 11 => 2,
        _ => return None,
    };
    let words = [
        ["primavera", "verano", "otoño"],
        ["primavera", "verão", "outono"],
        ["spring", "summer", "autumn"],
    ];
    let word = words[lang.index()][index];
    Some(match lang {
        Lang::Es | Lang::Pt => format!("{word} de {}", date.y),
        Lang::En => format!("{word} {}", date.y),
    })
}

fn month_part(lang: Lang, date: Date) -> String {
    let part = match date.d {
        1..=10 => 0,
        11..=20 => 1,
        _ => 2,
    };
    let m = month(lang, date.m);
    match lang {
        Lang::Es => {
            let word = ["principios", "mediados", "finales"][part];
            format!("{word} de {m} de {}", date.y)
        }
        Lang::Pt => {
            let word = ["início", "meados", "fins"][part];
            format!("{word} de {m} de {}", date.y)
        }
        Lang::En => {
            let word = ["early", "mid", "late"][part];
            if part == 1 {
                format!("mid-{m} {}", date.y)
            } else {
                format!("{word} {m} {}", date.y)
            }
        }
    }
}

fn range(lang: Lang, a: Date, b: Date) -> String {
    match lang {
        Lang::Es => format!("del {} al {} de {} de {}", a.d, b.d, month(lang, a.m), a.y),
        Lang::Pt => format!("de {} a {} de {} de {}", a.d, b.d, month(lang, a.m), a.y),
        Lang::En => format!("{}–{} {} {}", a.d, b.d, month(lang, a.m), a.y),
    }
}

fn partial(lang: Lang, date: Date) -> String {
    match lang {
        Lang::Es | Lang::Pt => format!("{} de {}", date.d, month(lang, date.m)),
        Lang::En => format!("{} {}", month(lang, date.m), date.d),
    }
}

fn relative_late_month(lang: Lang) -> &'static str {
    match lang {
        Lang::Es => "a finales de ese mes",
        Lang::Pt => "no fim daquele mês",
        Lang::En => "late that month",
    }
}

const TITLES: [&[&str]; 3] = [
    &[
        "Comienzan los combates",
        "Las tropas entran en la ciudad",
        "Se firma un acuerdo local",
        "La población abandona la zona",
        "Llegan refuerzos por mar",
        "Se levanta el asedio",
        "Las autoridades decretan el toque de queda",
    ],
    &[
        "Começam os combates",
        "As tropas entram na cidade",
        "Assina-se um acordo local",
        "A população abandona a região",
        "Chegam reforços por mar",
        "Levanta-se o cerco",
        "As autoridades decretam o toque de recolher",
    ],
    &[
        "Fighting begins",
        "Troops enter the town",
        "A local agreement is signed",
        "Civilians leave the area",
        "Reinforcements arrive by sea",
        "The siege is lifted",
        "The authorities impose a curfew",
    ],
];

const NOTES: [&str; 3] = [
    "La fecha se toma del encabezado de la sección.",
    "O texto não distingue entre as duas fases da operação.",
    "The passage is ambiguous about who gave the order.",
];

const KINDS_OF_SOURCE: &[&str] = &[
    "book",
    "chapter",
    "article",
    "newspaper",
    "web-page",
    "encyclopedia",
    "textbook",
    "archival-record",
];

struct SourceOut {
    name: String,
    text: String,
    claims: usize,
    planted: Vec<(String, Kind)>,
}

fn spell_place(rng: &mut Rng, place: &Place, lang: Lang) -> String {
    match rng.below(10) {
        0 => place.aliases.first().cloned().unwrap_or_default(),
        1 => unaccent(&place.names[lang.index()]),
        2 => place.names[rng.below(3)].clone(),
        _ => place.names[lang.index()].clone(),
    }
}

fn spell_person(rng: &mut Rng, person: &Person, lang: Lang) -> String {
    match rng.below(10) {
        0 => person.aliases[0].clone(),
        1 => person.aliases[1].clone(),
        2 => unaccent(&person.names[0]),
        3 => person.names[0].to_uppercase(),
        4 => person.names[(lang.index() + 1) % 3].clone(),
        _ => person.names[lang.index()].clone(),
    }
}

fn generate_source(world: &World, options: &Options, index: usize) -> SourceOut {
    let mut rng = Rng::new(options.seed, index as u64);
    let lang = LANGS[rng.below(3)];
    let li = lang.index();
    let prefix = ["cronica", "relato", "history"][li];
    let id = format!("{prefix}-{index:05}-{}", lang.tag());
    let narrative = rng.chance(0.15);
    let m = options.events_per_source;

    // Which events, in date order. A source follows a few campaigns' worth of the timeline: a
    // window of consecutive events, sampled.
    let n = world.dated.len();
    let window = (m * 3).min(n);
    let first = rng.below(n - window + 1);
    let mut chosen: Vec<usize> = (0..m)
        .map(|_| world.dated[first + rng.below(window)])
        .collect();
    chosen.sort_by_key(|&e| (world.events[e].start, e));

    // Plan the planted problems first: some need their neighbours written in a given way.
    let mut plan: Vec<Option<Kind>> = vec![None; m];
    for (i, slot) in plan.iter_mut().enumerate() {
        if rng.chance(options.invalid_rate) {
            let mut kind = *rng.pick(&KINDS);
            for _ in 0..10 {
                let ok = match kind {
                    Kind::OutOfOrder => {
                        i >= 1 && world.events[chosen[i]].start > world.events[chosen[i - 1]].start
                    }
                    Kind::Disagrees => narrative,
                    _ => true,
                };
                if ok {
                    break;
                }
                kind = *rng.pick(&KINDS);
            }
            if kind == Kind::OutOfOrder
                && !(i >= 1 && world.events[chosen[i]].start > world.events[chosen[i - 1]].start)
            {
                kind = Kind::UnknownActor;
            }
            if kind == Kind::Disagrees && !narrative {
                kind = Kind::UnknownPlace;
            }
            *slot = Some(kind);
        }
    }
    // An out-of-order pair needs its predecessor valid and written in full.
    for i in 1..m {
        if plan[i] == Some(Kind::OutOfOrder) && plan[i - 1].is_some() {
            plan[i] = Some(Kind::UnknownActor);
        }
    }

    let mut claims: Vec<V> = Vec::with_capacity(m);
    let mut planted = Vec::new();
    let mut reference = Reference::None;
    let mut locator = rng.range(1, 5);
    for i in 0..m {
        let e = &world.events[chosen[i]];
        let kind = plan[i];
        let forced_full = kind.is_some()
            || plan.get(i + 1) == Some(&Some(Kind::OutOfOrder))
            || (i >= 1 && plan[i - 1] == Some(Kind::OutOfOrder));
        let day = from_day_number(e.start);
        let end_day = e.end.map(from_day_number);

        // The date, as written, and what the next claim may take from it.
        let mut form = match rng.below(20) {
            0..=5 => Form::Full,
            6 => Form::FullAlt,
            7 | 8 => Form::MonthYear,
            9 => Form::Season,
            10 | 11 => Form::Part,
            12 => Form::Range,
            13 | 14 => Form::Partial,
            15 | 16 => Form::Relative,
            17 => Form::Iso,
            18 => Form::IsoMonth,
            _ => Form::Year,
        };
        let range_end = end_day.filter(|b| b.y == day.y && b.m == day.m && b.d > day.d);
        form = match form {
            _ if forced_full => Form::Full,
            Form::Season if season(lang, day).is_none() => Form::MonthYear,
            Form::Range if range_end.is_none() => Form::Full,
            Form::Partial if reference == Reference::None => Form::Full,
            Form::Partial if !matches!(reference, Reference::Year(y) | Reference::Month(y, _) if y == day.y) => {
                Form::Full
            }
            Form::Relative if !(day.d >= 21 && reference == Reference::Month(day.y, day.m)) => {
                Form::Part
            }
            other => other,
        };
        let date = match form {
            Form::Full => full_date(lang, day, false),
            Form::FullAlt => full_date(lang, day, true),
            Form::MonthYear => match lang {
                Lang::Es | Lang::Pt => format!("{} de {}", month(lang, day.m), day.y),
                Lang::En => format!("{} {}", month(lang, day.m), day.y),
            },
            Form::Season => season(lang, day).unwrap_or_default(),
            Form::Part => month_part(lang, day),
            Form::Range => range(lang, day, range_end.unwrap_or(day)),
            Form::Partial => partial(lang, day),
            Form::Relative => relative_late_month(lang).to_owned(),
            Form::Iso => iso(day),
            Form::IsoMonth => format!("{:04}-{:02}", day.y, day.m),
            Form::Year => format!("{}", day.y),
        };
        let next_reference = match form {
            Form::Season | Form::Year => Reference::Year(day.y),
            _ => Reference::Month(day.y, day.m),
        };

        let mut claim: Vec<(&'static str, V)> = Vec::with_capacity(10);
        let event_key = match kind {
            Some(Kind::BadEventKey) => e.names[2].clone(),
            Some(Kind::UnknownEvent) => format!("{}-that-never-was", e.id),
            _ => e.id.clone(),
        };
        claim.push(("event", s(event_key)));
        let mut reference_after = next_reference;
        match kind {
            Some(Kind::DateNotText) => claim.push(("date", V::I(i64::from(day.y)))),
            Some(Kind::UnparseableDate) => {
                let text = match lang {
                    Lang::Es => format!("el día de San Nunca de {}", day.y),
                    Lang::Pt => format!("no dia de São Nunca de {}", day.y),
                    Lang::En => format!("on the Feast of Saint Never, {}", day.y),
                };
                claim.push(("date", s(text)));
            }
            Some(Kind::ImpossibleDate) => {
                let bad = Date {
                    y: day.y,
                    m: 2,
                    d: 30 + (i % 2) as u32,
                };
                claim.push(("date", s(full_date(lang, bad, false))));
            }
            Some(Kind::Disagrees) => {
                let y = if day.y > FIRST_YEAR {
                    day.y - 1
                } else {
                    day.y + 1
                };
                let shifted = Date {
                    y,
                    m: day.m,
                    d: day.d.min(28),
                };
                claim.push(("date", s(full_date(lang, shifted, false))));
            }
            Some(Kind::WrongLanguage) => {
                let other = LANGS[(li + 1 + (i % 2)) % 3];
                claim.push(("date", s(full_date(other, day, false))));
            }
            _ => claim.push(("date", s(date))),
        }
        if matches!(
            kind,
            Some(
                Kind::DateNotText
                    | Kind::UnparseableDate
                    | Kind::ImpossibleDate
                    | Kind::Disagrees
                    | Kind::WrongLanguage
                    | Kind::OutOfOrder
            )
        ) {
            reference_after = Reference::None;
        }
        if kind == Some(Kind::EndBeforeStart) {
            let before = from_day_number((e.start - rng.range(3, 20)).max(0));
            claim.push(("end", s(full_date(lang, before, false))));
        } else if let (Some(b), Form::Full | Form::FullAlt | Form::Iso) = (end_day, form)
            && kind.is_none()
            && b != day
            && rng.chance(0.5)
        {
            let text = if form == Form::Iso {
                iso(b)
            } else if b.y == day.y && lang != Lang::En {
                partial(lang, b)
            } else {
                full_date(lang, b, false)
            };
            claim.push(("end", s(text)));
        }
        if kind != Some(Kind::MissingTitle) {
            let mut title = (*rng.pick(TITLES[li])).to_owned();
            let place_name = &world.places[e.region].names[li];
            title.push_str(match lang {
                Lang::Es => " en ",
                Lang::Pt => " em ",
                Lang::En => " in ",
            });
            title.push_str(place_name);
            claim.push(("title", s(title)));
        }
        // Places: within the event's region.
        let region = &world.places[e.region];
        let mut places = Vec::new();
        for _ in 0..rng.range(0, 2) {
            let p = region.subtree[rng.below(region.subtree.len())];
            places.push(spell_place(&mut rng, &world.places[p], lang));
        }
        if kind == Some(Kind::UnknownPlace) {
            places.push((*rng.pick(UNKNOWN_PLACES)).to_owned());
        }
        if !places.is_empty() {
            claim.push(("places", strings(&places)));
        }
        let mut actors = Vec::new();
        for _ in 0..rng.range(0, 3) {
            let p = rng.pick(&world.people);
            actors.push(spell_person(&mut rng, p, lang));
        }
        if kind == Some(Kind::UnknownActor) {
            actors.push(format!(
                "{} {}",
                rng.pick(FIRST_NAMES),
                rng.pick(UNKNOWN_SURNAMES)
            ));
        }
        if !actors.is_empty() {
            claim.push(("actors", strings(&actors)));
        }
        if kind != Some(Kind::Disagrees) {
            if let Some(after) = e.after
                && rng.chance(0.4)
            {
                claim.push(("after", strings(&[world.events[after].id.clone()])));
            }
            if let Some(parent) = e.part_of
                && rng.chance(0.3)
            {
                claim.push(("part_of", s(&world.events[parent].id)));
            }
        }
        locator += rng.range(1, 3);
        let locator_text = match kind {
            Some(Kind::EmptyLocator) => String::new(),
            _ => match index % 4 {
                0 => format!("¶{locator}"),
                1 => format!("p. {locator}"),
                2 => format!("S{locator}"),
                _ => format!("fol. {locator}r"),
            },
        };
        claim.push(("locator", s(locator_text)));
        if rng.chance(0.08) {
            claim.push(("note", s(NOTES[li])));
        }
        if kind == Some(Kind::ExtraProperty) {
            claim.push(("comment", s("moved here from the notes")));
        }
        if let Some(kind) = kind {
            planted.push((format!("/events/{i}"), kind));
        }
        claims.push(V::M(claim));
        reference = reference_after;
    }
    // Out of order: swap each planted claim with its predecessor. The earlier-dated claim, now
    // listed second (at the planted pointer), is the one reported; in a narrative source its
    // locator, now smaller than the one before it, is.
    for (i, kind) in plan.iter().enumerate().skip(1) {
        if *kind == Some(Kind::OutOfOrder) {
            claims.swap(i - 1, i);
        }
    }

    let mut doc = vec![
        ("id", s(&id)),
        (
            "title",
            s(match lang {
                Lang::Es => format!("Crónica de la guerra, volumen {}", index + 1),
                Lang::Pt => format!("Relato da guerra, volume {}", index + 1),
                Lang::En => format!("A history of the war, volume {}", index + 1),
            }),
        ),
        ("language", s(lang.tag())),
    ];
    let source_kind = *rng.pick(KINDS_OF_SOURCE);
    doc.push(("kind", s(source_kind)));
    let author = rng.pick(&world.people);
    doc.push(("author", s(&author.names[li])));
    doc.push(("published", s(format!("{}", rng.range(1950, 2020)))));
    if source_kind == "web-page" {
        doc.push(("url", s(format!("https://example.org/fasti/{id}"))));
        doc.push((
            "retrieved",
            s(format!(
                "2024-{:02}-{:02}",
                rng.range(1, 12),
                rng.range(1, 28)
            )),
        ));
    }
    if narrative {
        doc.push(("order", s("narrative")));
    }
    doc.push(("events", V::L(claims)));
    let header = "# yaml-language-server: $schema=../schema/source.schema.json\n";
    let text = render(&V::M(doc), options.json, header);
    let name = format!("{id}.{}", options.ext());
    SourceOut {
        planted,
        name,
        text,
        claims: m,
    }
}

/// Writes the corpus; returns what it wrote.
pub(crate) fn generate(options: &Options) -> Result<Manifest, String> {
    let out = &options.out;
    let sources_dir = out.join("sources");
    let authority_dir = sources_dir.join("authority");
    if sources_dir.exists() {
        fs::remove_dir_all(&sources_dir)
            .map_err(|e| format!("cannot clear {}: {e}", sources_dir.display()))?;
    }
    fs::create_dir_all(&authority_dir)
        .map_err(|e| format!("cannot create {}: {e}", authority_dir.display()))?;
    let write = |path: PathBuf, text: &str| {
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(
        out.join("fasti.toml"),
        "# Generated by `cargo xtask gen-corpus`.\n[dataset]\nperiod = \"1939/1945\"\n",
    )?;
    let total = options.sources * options.events_per_source;
    let world = build_world(options.seed, total);
    let mut manifest = Manifest::default();
    for (name, value) in authority_files(&world, options.seed) {
        let header = "# yaml-language-server: $schema=../../schema/authority.schema.json\n";
        let text = render(&value, options.json, header);
        manifest.bytes += text.len() as u64;
        manifest.files += 1;
        write(
            authority_dir.join(format!("{name}.{}", options.ext())),
            &text,
        )?;
    }
    let mut planted_tsv = String::from("file\tpointer\tkind\n");
    let mut counts = vec![0usize; KINDS.len()];
    for index in 0..options.sources {
        let source = generate_source(&world, options, index);
        manifest.files += 1;
        manifest.events += source.claims;
        manifest.bytes += source.text.len() as u64;
        manifest.source_bytes += source.text.len() as u64;
        for (pointer, kind) in &source.planted {
            let _ = writeln!(
                planted_tsv,
                "sources/{}\t{pointer}\t{}",
                source.name,
                kind.name()
            );
            if let Some(k) = KINDS.iter().position(|k| k == kind) {
                counts[k] += 1;
            }
            manifest.planted += 1;
        }
        write(sources_dir.join(&source.name), &source.text)?;
    }
    manifest.planted_by_kind = KINDS
        .iter()
        .zip(counts)
        .map(|(k, c)| (k.name(), c))
        .collect();
    write(out.join("planted.tsv"), &planted_tsv)?;
    let mut summary = format!(
        "{{\n  \"generator\": \"cargo xtask gen-corpus\",\n  \"sources\": {},\n  \"events_per_source\": {},\n  \"seed\": {},\n  \"format\": \"{}\",\n  \"invalid_rate\": {},\n  \"files\": {},\n  \"events\": {},\n  \"bytes\": {},\n  \"source_bytes\": {},\n  \"authority\": {{ \"people\": {}, \"places\": {}, \"events\": {} }},\n  \"planted\": {},\n  \"planted_by_kind\": {{",
        options.sources,
        options.events_per_source,
        options.seed,
        options.ext(),
        options.invalid_rate,
        manifest.files,
        manifest.events,
        manifest.bytes,
        manifest.source_bytes,
        world.people.len(),
        world.places.len(),
        world.events.len(),
        manifest.planted
    );
    for (i, (kind, count)) in manifest.planted_by_kind.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(summary, "{sep}\n    \"{kind}\": {count}");
    }
    summary.push_str("\n  }\n}\n");
    write(out.join("corpus.json"), &summary)?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips() {
        for n in [0, 59, 365, 366, 1000, last_day()] {
            assert_eq!(day_number(from_day_number(n)), n);
        }
    }

    #[test]
    fn same_arguments_same_bytes() {
        let options = Options {
            sources: 3,
            events_per_source: 20,
            seed: 7,
            json: false,
            out: PathBuf::new(),
            invalid_rate: 0.2,
        };
        let world = build_world(7, 60);
        let a = generate_source(&world, &options, 1).text;
        let b = generate_source(&build_world(7, 60), &options, 1).text;
        assert_eq!(a, b);
    }

    #[test]
    fn plain_scalars_are_safe() {
        assert!(yaml_plain_ok("septiembre de 1943"));
        assert!(!yaml_plain_ok("3 de septiembre de 1943"));
        assert!(!yaml_plain_ok("1943-09-03"));
        assert!(!yaml_plain_ok("yes"));
        assert!(!yaml_plain_ok("a: b"));
        assert!(yaml_plain_ok("¶12"));
    }
}
