//! The one-line JSON contract of `fasti date`.

use super::{DateError, Lang, NormalizedDate};

fn push_str(out: &mut String, s: &str) {
    // serde_json escapes exactly as JSON requires
    match serde_json::to_string(s) {
        Ok(q) => out.push_str(&q),
        Err(_) => out.push_str("\"\""),
    }
}

/// One JSON object on one line (no newline):
///
/// - accepted: `{"input", "lang", "edtf", "earliest", "latest", "precision",
///   "approximate", "uncertain"}` in that order, then `"assumed": [...]` when
///   something was taken from the reference, then `"language_mismatch"`
///   when the words belong to another language;
/// - rejected: `{"input", "lang", "error": {"kind", "message", "span":
///   [start, end], "help"}}` (`help` only when there is one).
pub fn to_json(input: &str, lang: Lang, result: &Result<NormalizedDate, DateError>) -> String {
    let mut out = String::with_capacity(160);
    out.push_str("{\"input\":");
    push_str(&mut out, input);
    out.push_str(",\"lang\":");
    push_str(&mut out, lang.as_str());
    match result {
        Ok(v) => {
            out.push_str(",\"edtf\":");
            push_str(&mut out, &v.edtf);
            out.push_str(",\"earliest\":");
            push_str(&mut out, &v.earliest.to_string());
            out.push_str(",\"latest\":");
            push_str(&mut out, &v.latest.to_string());
            out.push_str(",\"precision\":");
            push_str(&mut out, v.precision.as_str());
            out.push_str(",\"approximate\":");
            out.push_str(if v.approximate { "true" } else { "false" });
            out.push_str(",\"uncertain\":");
            out.push_str(if v.uncertain { "true" } else { "false" });
            if !v.assumed.is_empty() {
                out.push_str(",\"assumed\":[");
                for (i, a) in v.assumed.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_str(&mut out, &a.to_string());
                }
                out.push(']');
            }
            if let Some(l) = v.language_mismatch {
                out.push_str(",\"language_mismatch\":");
                push_str(&mut out, l.as_str());
            }
        }
        Err(e) => {
            out.push_str(",\"error\":{\"kind\":");
            push_str(&mut out, e.kind.as_str());
            out.push_str(",\"message\":");
            push_str(&mut out, &e.message);
            out.push_str(&format!(",\"span\":[{},{}]", e.span.start, e.span.end));
            if let Some(h) = &e.help {
                out.push_str(",\"help\":");
                push_str(&mut out, h);
            }
            out.push('}');
        }
    }
    out.push('}');
    out
}
