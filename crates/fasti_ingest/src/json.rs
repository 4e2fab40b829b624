//! JSON to `serde_json::Value`, with the checks serde_json's own `Value` skips: duplicate keys
//! (serde_json silently keeps the last) and the nesting limit.

use std::cell::Cell;
use std::fmt;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::{FileName, Limits, Parsed, yaml};

pub(crate) fn parse(file: &FileName, text: &str, limits: &Limits) -> Parsed {
    let state = State {
        depth: Cell::new(0),
        max_depth: limits.max_depth,
        max_string: limits.max_string_length,
        duplicate: Cell::new(false),
        imprecise: Cell::new(false),
    };
    // serde_json also stops at 128 levels by itself, whatever `max_depth` says: the stack is safe.
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result = ValueSeed(&state)
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    match result {
        // Duplicate keys are rare: read such a file again with the YAML reader, which reports
        // each duplicate where it stands (JSON is YAML 1.2's flow syntax).
        // So are integers too large for 64 bits, which serde_json silently rounds to a float.
        Ok(_) if state.duplicate.get() || state.imprecise.get() => yaml::parse(file, text, limits),
        Ok(value) => Parsed {
            value: Some(value),
            ..Parsed::default()
        },
        Err(error) => {
            let (at, message) = located(text, &error);
            let rule = if message.starts_with(TOO_DEEP) || message.starts_with(TOO_LONG) {
                Rule::LimitExceeded
            } else {
                Rule::SyntaxError
            };
            let end = at
                + text
                    .get(at..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(0, char::len_utf8);
            let diagnostic = Diagnostic::new(
                rule,
                message,
                Label::new(file.clone(), Anchor::Bytes { start: at, end }),
            );
            Parsed {
                value: None,
                diagnostics: vec![diagnostic],
                ..Parsed::default()
            }
        }
    }
}

const TOO_DEEP: &str = "nesting is deeper than the limit";
const TOO_LONG: &str = "value is longer than the limit";

/// Where in `text` a serde_json error is, as a byte offset, and its message without the
/// position serde_json appends (fasti shows the position itself).
pub(crate) fn located(text: &str, error: &serde_json::Error) -> (usize, String) {
    let message = error.to_string();
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    (offset_of(text, error.line(), error.column()), message)
}

/// The byte offset of serde_json's 1-based line and column (column counted in bytes, pointing
/// at the last byte read). An error found at a line break (column 0) is moved back to the last
/// character before it, which is what the reader was in the middle of.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let mut at = (line_start + column.saturating_sub(1)).min(text.len());
    if column == 0 {
        at = text[..line_start.min(text.len())]
            .trim_end()
            .len()
            .saturating_sub(1);
    }
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

struct State {
    depth: Cell<usize>,
    max_depth: usize,
    max_string: usize,
    duplicate: Cell<bool>,
    imprecise: Cell<bool>,
}

struct ValueSeed<'s>(&'s State);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // Possibly an integer literal beyond u64/i64, rounded: the YAML reader tells which.
        if v.fract() == 0.0 && v.abs() >= 9.0e18 {
            self.0.imprecise.set(true);
        }
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number is not finite"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.check_length(v)?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.check_length(&v)?;
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.enter::<A::Error>()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(ValueSeed(self.0))? {
            items.push(item);
        }
        self.0.depth.set(self.0.depth.get() - 1);
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        self.enter::<A::Error>()?;
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(ValueSeed(self.0))?;
            // One lookup per key, not two: the map hashes with SipHash.
            match map.entry(key) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                serde_json::map::Entry::Occupied(_) => self.0.duplicate.set(true),
            }
        }
        self.0.depth.set(self.0.depth.get() - 1);
        Ok(Value::Object(map))
    }
}

impl ValueSeed<'_> {
    fn enter<E: de::Error>(&self) -> Result<(), E> {
        let depth = self.0.depth.get() + 1;
        if depth > self.0.max_depth {
            return Err(E::custom(format!(
                "{TOO_DEEP} of {} levels",
                self.0.max_depth
            )));
        }
        self.0.depth.set(depth);
        Ok(())
    }

    fn check_length<E: de::Error>(&self, v: &str) -> Result<(), E> {
        if v.len() > self.0.max_string {
            return Err(E::custom(format!(
                "{TOO_LONG} of {} bytes",
                self.0.max_string
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn problems(text: &str) -> Vec<String> {
        let parsed = parse(
            &Arc::from("t.json"),
            text,
            &Limits {
                max_depth: 4,
                ..Limits::default()
            },
        );
        parsed
            .diagnostics
            .iter()
            .map(|d| format!("{} {} {:?}", d.rule.name(), d.message, d.primary.anchor))
            .collect()
    }

    #[test]
    fn syntax_errors_point_at_the_byte() {
        assert_eq!(
            problems("{\n  \"a\": tru\n}"),
            ["syntax-error expected ident Bytes { start: 11, end: 12 }"]
        );
    }

    #[test]
    fn duplicate_keys_are_reported_with_both_places() {
        let found = problems("{\"a\": 1,\n \"a\": 2}");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("duplicate-key key `a` appears twice"),
            "{found:?}"
        );
    }

    #[test]
    fn nesting_is_limited() {
        let found = problems("[[[[[1]]]]]");
        assert!(
            found[0].starts_with("limit-exceeded nesting is deeper than the limit of 4 levels"),
            "{found:?}"
        );
    }
}
