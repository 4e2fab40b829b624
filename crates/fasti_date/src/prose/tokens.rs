//! Splitting prose into tokens: numbers (with ordinal and decade suffixes),
//! words looked up in the lexicon of the language, and punctuation.
//!
//! The input is split into at most [`MAX_TOKENS`] tokens kept on the stack;
//! each word is folded into a 16-byte buffer and looked up in the lexicon.

use std::ops::Range;

use crate::lexicon::{self, W};
use crate::{DateErrorKind as K, Fail, Lang};

pub(super) const MAX_TOKENS: usize = 48;

#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub(super) enum TokenKind {
    #[default]
    Punct,
    Num,
    Word,
}

#[derive(Clone, Copy, Default, Debug)]
pub(super) struct Token {
    pub(super) kind: TokenKind,
    pub(super) s: u32,
    pub(super) e: u32,
    pub(super) num: u32,
    pub(super) nd: u8,
    /// `9th`, `1º`, `1.º`
    pub(super) ord: bool,
    /// `1940s`, `40s`
    pub(super) dec_s: bool,
    /// `19c` (a century)
    pub(super) cent: bool,
    /// `'44`
    pub(super) apos: bool,
    /// punctuation class: `-` (any dash), `/`, `,`, `(`, `)`, `?`, `¿` as `!`, `.`
    pub(super) p: u8,
    pub(super) w: Option<W>,
    pub(super) f: [u8; 16],
    pub(super) fl: u8,
}

impl Token {
    pub(super) fn folded(&self) -> &[u8] {
        self.f.get(..usize::from(self.fl)).unwrap_or(&[])
    }
    pub(super) fn span(&self) -> Range<usize> {
        self.s as usize..self.e as usize
    }
}

pub(super) struct Tokens {
    pub(super) t: [Token; MAX_TOKENS],
    pub(super) n: usize,
}

pub(super) fn unparseable(
    msg: impl Into<std::borrow::Cow<'static, str>>,
    span: Range<usize>,
) -> Fail {
    Fail::new(K::Unparseable, msg, span)
}

pub(super) fn tokenize(s: &str, base: usize, lang: Lang) -> Result<Tokens, Fail> {
    let mut out = Tokens {
        t: [Token::default(); MAX_TOKENS],
        n: 0,
    };
    let b = s.as_bytes();
    let mut i = 0;
    let mut apos = false;
    while i < b.len() {
        let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        let cl = c.len_utf8();
        if c.is_whitespace() {
            i += cl;
            continue;
        }
        let mut tok = Token {
            s: (base + i) as u32,
            ..Token::default()
        };
        if c.is_ascii_digit() {
            let st = i;
            let mut v: u32 = 0;
            while let Some(d @ b'0'..=b'9') = b.get(i).copied() {
                v = v.saturating_mul(10).saturating_add(u32::from(d - b'0'));
                i += 1;
            }
            tok.kind = TokenKind::Num;
            tok.num = v;
            tok.nd = u8::try_from(i - st).unwrap_or(u8::MAX);
            tok.apos = apos;
            apos = false;
            tok.e = (base + i) as u32;
            // ordinal and decade suffixes
            let rest = s.get(i..).unwrap_or("");
            if let Some(r) = rest
                .strip_prefix('.')
                .filter(|r| r.starts_with(['º', 'ª', '°']))
            {
                i += 1 + r.chars().next().map_or(0, char::len_utf8);
                tok.ord = true;
            } else if rest.starts_with(['º', 'ª', '°']) {
                i += rest.chars().next().map_or(0, char::len_utf8);
                tok.ord = true;
            } else if rest.starts_with(|ch: char| ch.is_ascii_alphabetic()) {
                let l = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
                let suf = rest.get(..l).unwrap_or("");
                let mut low = [0u8; 4];
                let sl = if l <= 4 {
                    for (d, c) in low.iter_mut().zip(suf.bytes()) {
                        *d = c.to_ascii_lowercase();
                    }
                    std::str::from_utf8(low.get(..l).unwrap_or(&[])).unwrap_or("")
                } else {
                    ""
                };
                match sl {
                    "st" | "nd" | "rd" | "th" | "o" | "a" | "er" | "ro" | "do" | "to" | "vo"
                    | "no" | "mo" => tok.ord = true,
                    "s" => tok.dec_s = true,
                    "c" if lexicon::quirks(lang).century_c => tok.cent = true,
                    _ => {
                        return Err(unparseable(
                            format!("unexpected `{suf}` after a number"),
                            base + i..base + i + l,
                        ));
                    }
                }
                i += l;
            } else if (rest.starts_with("'s") || rest.starts_with("’s"))
                && !rest
                    .get(rest.find('s').map_or(0, |k| k + 1)..)
                    .is_some_and(|r| r.starts_with(|ch: char| ch.is_alphabetic()))
            {
                // `the 1940's`
                tok.dec_s = true;
                i += rest.find('s').map_or(0, |k| k + 1);
            }
        } else if c.is_alphabetic() {
            let st = i;
            let mut fl = 0usize;
            let mut foldable = true;
            while let Some(ch) = s.get(i..).and_then(|r| r.chars().next()) {
                if !ch.is_alphabetic() {
                    break;
                }
                match lexicon::fold(ch) {
                    Some(f) if fl < 16 => {
                        if let Some(slot) = tok.f.get_mut(fl) {
                            *slot = f;
                        }
                        fl += 1;
                    }
                    _ => foldable = false,
                }
                i += ch.len_utf8();
            }
            // A hyphenated compound that the lexicon knows as one word (`segunda-feira`) is
            // one token; any other hyphen stays a dash (`mid-June`, `twenty-first`).
            if foldable
                && b.get(i) == Some(&b'-')
                && let Some((end, len)) = compound(s, i, &tok.f, fl, lang)
            {
                let mut k = fl;
                for ch in s.get(i..end).unwrap_or("").chars() {
                    if let (Some(slot), Some(f)) = (tok.f.get_mut(k), fold_hyphen(ch)) {
                        *slot = f;
                        k += 1;
                    }
                }
                fl = len;
                i = end;
            }
            tok.kind = TokenKind::Word;
            tok.e = (base + i) as u32;
            tok.fl = fl as u8;
            if b.get(i) == Some(&b'.') {
                i += 1;
            }
            tok.w = if foldable {
                lexicon::lookup(lang, tok.folded())
            } else {
                None
            };
            if tok.w.is_none() {
                let word = s.get(st..i).unwrap_or("").trim_end_matches('.');
                let f: String = word
                    .chars()
                    .map(|ch| lexicon::fold(ch).map_or(ch, char::from))
                    .collect();
                let span = base + st..base + st + word.len();
                if let Some(saint) = out
                    .n
                    .checked_sub(1)
                    .and_then(|k| out.t.get(k))
                    .filter(|t| t.w == Some(W::Saint))
                {
                    let name = s
                        .get(saint.s as usize - base..st + word.len())
                        .unwrap_or(word);
                    return Err(Fail::new(
                        K::UnknownWord,
                        format!("fasti does not know the feast of `{name}`"),
                        saint.s as usize..span.end,
                    )
                    .help("write the day itself (e.g. `25 de julio de 1943`) and name the feast in a `note`; docs/dates.md lists the feasts fasti knows"));
                }
                if let Some(what) = lexicon::not_read(lang, &f) {
                    return Err(Fail::new(K::UnknownWord, format!("`{word}` begins {what}"), span)
                        .help(if what.contains("feast") {
                            "write the day itself (e.g. `25 de julio de 1943`) and name the feast in a `note`; docs/dates.md lists the feasts fasti knows"
                        } else {
                            "give the day without the time"
                        }));
                }
                let mut fail = Fail::new(K::UnknownWord, format!("unknown word `{word}`"), span);
                if let Some(sug) = lexicon::suggest(lang, &f) {
                    fail = fail.help(format!("did you mean `{sug}`?"));
                }
                return Err(fail);
            }
        } else {
            tok.p = match c {
                '-' | '‐' | '‑' | '‒' | '–' | '—' | '−' => b'-',
                '/' => b'/',
                ',' => b',',
                '(' | '[' => b'(',
                ')' | ']' => b')',
                '?' => b'?',
                '¿' => b'!',
                '.' => b'.',
                '\'' | '’' | '‘' => {
                    if b.get(i + cl).is_some_and(u8::is_ascii_digit) {
                        apos = true;
                        i += cl;
                        continue;
                    }
                    b'\''
                }
                _ => {
                    return Err(unparseable(
                        format!("unexpected `{c}`"),
                        base + i..base + i + cl,
                    ));
                }
            };
            i += cl;
            tok.e = (base + i) as u32;
        }
        let Some(slot) = out.t.get_mut(out.n) else {
            return Err(unparseable(
                "the expression has too many words for a date",
                base..base + s.len(),
            ));
        };
        *slot = tok;
        out.n += 1;
    }
    // A sentence-final period is not part of the date.
    if out.n > 0
        && out
            .t
            .get(out.n - 1)
            .is_some_and(|t| t.kind == TokenKind::Punct && t.p == b'.')
    {
        out.n -= 1;
    }
    Ok(out)
}

fn fold_hyphen(c: char) -> Option<u8> {
    if c == '-' {
        Some(b'-')
    } else {
        lexicon::fold(c)
    }
}

/// The end and folded length of `word-rest` when the lexicon of `lang` knows it as one word;
/// `at` is the hyphen's offset, `head` the folded first part.
fn compound(s: &str, at: usize, head: &[u8; 16], len: usize, lang: Lang) -> Option<(usize, usize)> {
    let mut buf = *head;
    let mut k = len;
    *buf.get_mut(k)? = b'-';
    k += 1;
    let mut end = at + 1;
    for ch in s.get(end..)?.chars() {
        if !ch.is_alphabetic() {
            break;
        }
        *buf.get_mut(k)? = lexicon::fold(ch)?;
        k += 1;
        end += ch.len_utf8();
    }
    if end == at + 1 {
        return None;
    }
    lexicon::lookup(lang, buf.get(..k)?).map(|_| (end, k))
}
