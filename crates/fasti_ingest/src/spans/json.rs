//! Spans of JSON text, by pointer.
//!
//! Written by hand because what locating needs is a *skip*, not a parse: of a 300 KB file with
//! three findings, only the three records' subtrees are walked; every other value is stepped
//! over by matching brackets, at memchr speed, without building anything. The span-keeping JSON
//! parsers (jsonc-parser, json-spanned-value) build a tree of the whole file first, which cost
//! more than the rest of fasti's work on such a file.
//!
//! The text may be malformed (a file with a syntax error can still have findings): the walk
//! stops at the first byte it cannot read, keeping what it has recorded.

use super::{SpanIndex, push_segment};

/// Records in `recorder` the spans of `text`'s values and keys that it wants.
pub(super) fn record(text: &str, recorder: &mut SpanIndex, max_depth: usize) {
    let mut walk = Walk {
        text,
        bytes: text.as_bytes(),
        at: 0,
        recorder,
        path: String::new(),
        max_depth,
    };
    walk.skip_whitespace();
    let _ = walk.value(0);
}

/// The walk failed to read the text here; nothing after it is recorded.
struct Stop;

struct Walk<'t, 'r> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    recorder: &'r mut SpanIndex,
    /// The pointer of the value being read.
    path: String,
    max_depth: usize,
}

impl Walk<'_, '_> {
    /// Reads the value at `self.at` (whitespace skipped), whose pointer is `self.path`.
    fn value(&mut self, depth: usize) -> Result<(), Stop> {
        let start = self.at;
        let wanted = self.recorder.wants(&self.path);
        match self.bytes.get(self.at).ok_or(Stop)? {
            b'{' | b'[' if !wanted || depth >= self.max_depth => self.skip_container()?,
            b'{' => self.object(depth)?,
            b'[' => self.array(depth)?,
            b'"' => self.skip_string()?,
            _ => self.skip_scalar()?,
        }
        if wanted {
            self.recorder.record_value(&self.path, start, self.at);
        }
        Ok(())
    }

    fn object(&mut self, depth: usize) -> Result<(), Stop> {
        self.at += 1;
        self.skip_whitespace();
        if self.eat(b'}') {
            return Ok(());
        }
        let base = self.path.len();
        loop {
            if self.bytes.get(self.at) != Some(&b'"') {
                return Err(Stop);
            }
            let key_start = self.at;
            self.skip_string()?;
            let written = &self.text[key_start..self.at];
            // A key with escapes is decoded by serde_json; the common key is its own content.
            if written.contains('\\') {
                let key: String = serde_json::from_str(written).map_err(|_| Stop)?;
                push_segment(&mut self.path, &key);
            } else {
                push_segment(&mut self.path, &written[1..written.len() - 1]);
            }
            if self.recorder.wants(&self.path) {
                self.recorder.record_key(&self.path, key_start, self.at);
            }
            self.skip_whitespace();
            if !self.eat(b':') {
                return Err(Stop);
            }
            self.skip_whitespace();
            self.value(depth + 1)?;
            self.path.truncate(base);
            self.skip_whitespace();
            if self.eat(b'}') {
                return Ok(());
            }
            if !self.eat(b',') {
                return Err(Stop);
            }
            self.skip_whitespace();
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), Stop> {
        self.at += 1;
        self.skip_whitespace();
        if self.eat(b']') {
            return Ok(());
        }
        let base = self.path.len();
        let mut index = 0usize;
        loop {
            self.path.push('/');
            self.path.push_str(itoa::Buffer::new().format(index));
            self.value(depth + 1)?;
            self.path.truncate(base);
            index += 1;
            self.skip_whitespace();
            if self.eat(b']') {
                return Ok(());
            }
            if !self.eat(b',') {
                return Err(Stop);
            }
            self.skip_whitespace();
        }
    }

    /// Steps over a whole object or array, strings included, without looking inside.
    fn skip_container(&mut self) -> Result<(), Stop> {
        let mut depth = 0usize;
        while let Some(&byte) = self.bytes.get(self.at) {
            match byte {
                b'"' => {
                    self.skip_string()?;
                    continue;
                }
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth = depth.checked_sub(1).ok_or(Stop)?,
                _ => {}
            }
            self.at += 1;
            if depth == 0 {
                return Ok(());
            }
        }
        Err(Stop)
    }

    /// Steps over a string, its quotes included.
    fn skip_string(&mut self) -> Result<(), Stop> {
        self.at += 1;
        loop {
            let found = memchr::memchr2(b'"', b'\\', &self.bytes[self.at..]).ok_or(Stop)?;
            self.at += found;
            if self.bytes[self.at] == b'"' {
                self.at += 1;
                return Ok(());
            }
            // An escape: `\"` and `\\` must not end or start anything. The escaped character
            // is ASCII in valid JSON; stepping two bytes keeps to character boundaries then.
            self.at += 2;
            if self.at > self.bytes.len() || !self.text.is_char_boundary(self.at) {
                return Err(Stop);
            }
        }
    }

    /// Steps over a number, `true`, `false` or `null`.
    fn skip_scalar(&mut self) -> Result<(), Stop> {
        let start = self.at;
        while let Some(b) = self.bytes.get(self.at) {
            if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.at += 1;
        }
        // Anything else, multi-byte text included, is not JSON: stop rather than record a span
        // that ends inside a character.
        if self.at == start || !self.text[start..self.at].is_ascii() {
            return Err(Stop);
        }
        Ok(())
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.bytes.get(self.at) == Some(&byte);
        if found {
            self.at += 1;
        }
        found
    }
}
