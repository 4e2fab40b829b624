//! `markdown`: the full report as GitHub-flavoured Markdown, for `$GITHUB_STEP_SUMMARY` and
//! pull-request comments.
//!
//! A heading, a table of counts, then the open findings grouped by rule (in the registry's order) and within
//! a rule by file, then a section of adjudicated findings with their decision and reason. Locations
//! are relative links `file#Lline`: they resolve where the Markdown is shown next to the dataset
//! (a rendered file in the repository), not in a job summary. Text from the findings is escaped
//! (`code` spans in messages stay code spans).
//! With `--changed-since`, a note under the summary line says the report is limited to changed
//! files; with a baseline, each open finding says **new** or existing.
//! Output stays under GitHub's 1 MiB limit for a step summary: past it, the remaining findings are
//! left out and a note says how many.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use fasti_diagnostics::{Diagnostic, Rule};

use crate::files::{Files, Location};
use crate::{Counts, Novelty, RenderOptions, Report, adjudication, plural, summary_line};

/// GitHub's limit on a step summary, in bytes.
pub(crate) const LIMIT: usize = 1024 * 1024;

pub(crate) fn render(
    report: &Report<'_>,
    options: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    out.write_all(render_limited(report, options, LIMIT).as_bytes())
}

/// The report, at most `limit` bytes long.
pub(crate) fn render_limited(report: &Report<'_>, options: &RenderOptions, limit: usize) -> String {
    let counts = Counts::of(report.diagnostics);
    let mut head = String::new();
    head.push_str("## fasti report\n\n");
    let _ = writeln!(head, "{}\n", escape(&summary_line(report)));
    if let Some(note) = report.scope.note() {
        let _ = writeln!(head, "> [!NOTE]\n> {}\n", escape(&capitalized(&note)));
    }
    head.push_str("| errors | warnings | adjudicated | files | events |\n");
    head.push_str("| ---: | ---: | ---: | ---: | ---: |\n");
    let _ = writeln!(
        head,
        "| {} | {} | {} | {} | {} |",
        counts.errors,
        counts.warnings,
        counts.adjudicated,
        report.summary.files,
        report.summary.events
    );

    // Blocks are appended whole while they fit, so truncation never cuts a finding in half.
    let mut blocks: Vec<(String, usize)> = Vec::new();
    let mut by_rule: BTreeMap<Rule, BTreeMap<&str, Vec<&Diagnostic>>> = BTreeMap::new();
    for d in report.diagnostics.iter().filter(|d| !d.is_adjudicated()) {
        by_rule
            .entry(d.rule)
            .or_default()
            .entry(&d.primary.file)
            .or_default()
            .push(d);
    }
    for (rule, by_file) in &by_rule {
        let count: usize = by_file.values().map(Vec::len).sum();
        let mut heading = format!(
            "\n### {} {} ({})\n\n{}",
            rule.code(),
            rule.name(),
            count,
            escape(rule.summary())
        );
        if !options.docs_url.is_empty() {
            let _ = write!(heading, " ([docs]({}))", options.rule_url(*rule));
        }
        heading.push('\n');
        blocks.push((heading, 0));
        for (file, findings) in by_file {
            blocks.push((format!("\n#### `{file}`\n\n"), 0));
            for d in findings {
                let novelty = report.scope.novelty(d).map(Novelty::as_str);
                blocks.push((finding(d, novelty, report.files), 1));
            }
        }
    }
    let adjudicated: Vec<&Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_adjudicated())
        .collect();
    if !adjudicated.is_empty() {
        blocks.push(("\n### Adjudicated disagreements\n\n".to_owned(), 0));
        for d in adjudicated {
            blocks.push((adjudicated_finding(d, report.files), 1));
        }
    }

    let total: usize = report.diagnostics.len();
    let mut s = head;
    let mut shown = 0;
    // Room for the truncation note.
    let reserve = 200;
    for (block, findings) in &blocks {
        if s.len() + block.len() + reserve > limit {
            break;
        }
        s.push_str(block);
        shown += findings;
    }
    if shown < total {
        let _ = write!(
            s,
            "\n> [!WARNING]\n> This summary is truncated to fit GitHub's 1 MiB limit: {} not shown. \
             The JSON or SARIF report has all of them.\n",
            plural(total - shown, "finding is", "findings are")
        );
    }
    s
}

fn link(location: &Location) -> String {
    match location.line() {
        Some(line) => format!(
            "[{}]({}#L{line})",
            escape(&location.display()),
            link_target(&location.file)
        ),
        None => format!(
            "[{}]({})",
            escape(&location.display()),
            link_target(&location.file)
        ),
    }
}

/// A relative link target: spaces and Markdown's delimiters percent-encoded.
fn link_target(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' | '(' | ')' | '<' | '>' | '[' | ']' | '#' | '%' | '"' | '\\' | '`' => {
                let mut buf = [0; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(s, "%{byte:02X}");
                }
            }
            c => s.push(c),
        }
    }
    s
}

fn finding(d: &Diagnostic, novelty: Option<&str>, files: &Files) -> String {
    let location = files.locate(&d.primary);
    let novelty = match novelty {
        Some("new") => " **new**".to_owned(),
        Some(other) => format!(" {other}"),
        None => String::new(),
    };
    let mut s = format!(
        "- **{}**{novelty} {}: {}",
        d.severity,
        link(&location),
        escape(&d.message)
    );
    for label in &d.related {
        let related = files.locate(label);
        match &label.message {
            Some(message) => {
                let _ = write!(s, "<br>related: {}: {}", link(&related), escape(message));
            }
            None => {
                let _ = write!(s, "<br>related: {}", link(&related));
            }
        }
    }
    if let Some(help) = &d.help {
        let _ = write!(s, "<br>help: {}", escape(help));
    }
    for note in &d.notes {
        let _ = write!(s, "<br>note: {}", escape(note));
    }
    s.push('\n');
    s
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn adjudicated_finding(d: &Diagnostic, files: &Files) -> String {
    let location = files.locate(&d.primary);
    let mut s = format!(
        "- {} {} {} ({}): {}",
        link(&location),
        d.rule.code(),
        d.rule.name(),
        d.severity,
        escape(&d.message)
    );
    if let Some((decision, reason, at)) = adjudication(d) {
        let at = files.locate(at);
        let _ = write!(
            s,
            "<br>decision: **{}**, {} ({})",
            escape(decision),
            escape(reason),
            link(&at)
        );
    }
    s.push('\n');
    s
}

/// Escapes text so that Markdown shows it literally, on one line.
///
/// Messages mark values as `code`: when the backticks pair up, those spans are kept as code spans
/// (whose content Markdown shows literally; a `|` in one is still escaped, for tables). Everything
/// else, and every backtick when they do not pair up, is escaped.
pub(crate) fn escape(text: &str) -> String {
    let text = text.replace("\r\n", " ").replace(['\n', '\r'], " ");
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape_plain(&text);
    }
    let mut s = String::with_capacity(text.len());
    for (i, part) in parts.iter().enumerate() {
        if !i.is_multiple_of(2) && !part.is_empty() {
            s.push('`');
            s.push_str(&part.replace('|', "\\|"));
            s.push('`');
        } else if !i.is_multiple_of(2) {
            s.push_str("\\`\\`");
        } else {
            s.push_str(&escape_plain(part));
        }
    }
    s
}

fn escape_plain(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                s.push('\\');
                s.push(c);
            }
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '&' => s.push_str("&amp;"),
            c => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralizes_markdown_and_html() {
        assert_eq!(
            escape("a|b *c* _d_ <f> [g](h) \\ & ~i~\r\nj"),
            "a\\|b \\*c\\* \\_d\\_ &lt;f&gt; \\[g\\](h) \\\\ &amp; \\~i\\~ j"
        );
    }

    #[test]
    fn escape_keeps_paired_backticks_as_code() {
        assert_eq!(
            escape("month `mayo_1*` is <b>"),
            "month `mayo_1*` is &lt;b&gt;"
        );
        assert_eq!(escape("`a|b`"), "`a\\|b`");
        assert_eq!(escape("odd ` tick *x*"), "odd \\` tick \\*x\\*");
    }

    #[test]
    fn link_targets_encode_delimiters() {
        assert_eq!(
            link_target("sources/a b/(x).yaml"),
            "sources/a%20b/%28x%29.yaml"
        );
    }
}
