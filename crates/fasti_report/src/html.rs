//! `html`: one self-contained page that draws the sources against each other.
//!
//! For each event of the authority (nested by `part_of`), the accepted interval is a band and
//! each source's claim a bar on the same time axis; each bar is marked agrees, disagrees (open)
//! or disagrees (adjudicated) by colour, by pattern and in words. The event's findings follow,
//! with the adjudication's decision and reason. A summary comes first; a small inline script
//! adds filters by source, rule and status (everything else works without it).
//!
//! The bars are HTML elements placed with CSS percentages, not SVG: the date as written, the
//! language and the status sit beside each bar as ordinary text in reading order, which screen
//! readers, keyboard users, zoom and text search all reach; SVG `<title>`s show only on mouse
//! hover and are read inconsistently.
//!
//! Every string from the dataset or the findings is escaped ([`esc`]); the page loads nothing:
//! styles and script are inline, a `Content-Security-Policy` forbids any fetch, and the only
//! links are to the repository's files (built from `--docs-url`, see [`repository_base`]).
//! Without the dataset's rows (a run that did not keep them) the page lists the findings alone.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io;

use fasti_diagnostics::{Diagnostic, Label, Rule, Severity};

use crate::dataset::{ClaimRow, Dataset, DateRow, End, EventRow, civil_from_days, days_from_civil};
use crate::{Counts, RenderOptions, Report, adjudication, summary_line};

pub(crate) fn render(
    report: &Report<'_>,
    options: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let empty = Dataset::default();
    let page = Page {
        report,
        dataset: report.dataset.unwrap_or(&empty),
        base: repository_base(&options.docs_url),
        options,
    };
    out.write_all(page.render().as_bytes())
}

/// How deep events nest under their `part_of` parents on the page; deeper ones start again at
/// the top level.
const MAX_NESTING: usize = 8;

/// Where a claim stands with the findings about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Standing {
    Agrees,
    Adjudicated,
    Open,
}

impl Standing {
    fn class(self) -> &'static str {
        match self {
            Standing::Agrees => "agrees",
            Standing::Adjudicated => "adjudicated",
            Standing::Open => "open",
        }
    }

    /// The words beside the bar: colour is never the only cue.
    fn words(self) -> &'static str {
        match self {
            Standing::Agrees => "✓ agrees",
            Standing::Adjudicated => "⚖ disagrees, adjudicated",
            Standing::Open => "✗ disagrees, open",
        }
    }

    fn of(findings: &[&Diagnostic]) -> Standing {
        if findings.iter().any(|d| !d.is_adjudicated()) {
            Standing::Open
        } else if findings.is_empty() {
            Standing::Agrees
        } else {
            Standing::Adjudicated
        }
    }
}

struct Page<'a> {
    report: &'a Report<'a>,
    dataset: &'a Dataset,
    /// The repository's web address for files, ending in `/`.
    base: Option<String>,
    options: &'a RenderOptions,
}

/// The findings and claims of one event, and its place in the hierarchy.
#[derive(Default)]
struct Group<'a> {
    event: Option<&'a EventRow>,
    claims: Vec<usize>,
    findings: Vec<&'a Diagnostic>,
    children: Vec<String>,
}

impl<'a> Page<'a> {
    fn render(&self) -> String {
        let mut html = String::with_capacity(64 * 1024);
        html.push_str(HEAD);
        html.push_str("<body>\n<a class=\"skip\" href=\"#timeline\">Skip to the timeline</a>\n");
        html.push_str("<header>\n<h1>fasti: the sources against each other</h1>\n");
        let _ = writeln!(
            html,
            "<p class=\"line\">{}</p>",
            esc(&summary_line(self.report))
        );
        if let Some(note) = self.report.scope.note() {
            let _ = writeln!(html, "<p class=\"note\">{}</p>", esc(&note));
        }
        html.push_str("</header>\n<main>\n");

        let touching = self.findings_by_claim();
        let (groups, roots) = self.groups();
        let order = page_order(&groups, &roots);
        self.summary(&mut html);
        self.at_a_glance(&mut html, &groups, &order);
        legend(&mut html);
        self.filters(&mut html);

        html.push_str("<section id=\"timeline\" aria-labelledby=\"timeline-h\">\n<h2 id=\"timeline-h\">Events</h2>\n");
        if self.report.dataset.is_none() {
            html.push_str("<p>This run did not keep the dataset's claims, so only the findings are listed.</p>\n");
        }
        let mut drawn = BTreeSet::new();
        for root in &roots {
            self.event(&mut html, &groups, &order, root, 3, &touching, &mut drawn);
        }
        html.push_str("</section>\n");
        self.other_findings(&mut html, &groups);
        html.push_str("</main>\n");
        html.push_str(SCRIPT);
        html.push_str("</body>\n</html>\n");
        html
    }

    /// For each claim (by index), the findings whose labels point into it.
    ///
    /// A `sources-disagree` finding names two claims; when one of them also contradicts the
    /// authority and the other does not, the disagreement is the first one's alone: the claim
    /// that has the accepted date is not drawn as disagreeing because another source is wrong.
    fn findings_by_claim(&self) -> Vec<Vec<&'a Diagnostic>> {
        let mut index: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for (i, claim) in self.dataset.claims.iter().enumerate() {
            index.insert((&claim.at.file, &claim.at.pointer), i);
        }
        let claims_of = |d: &Diagnostic| -> BTreeSet<usize> {
            std::iter::once(&d.primary)
                .chain(&d.related)
                .filter_map(|label| {
                    record_of(label).and_then(|p| index.get(&(&*label.file, p)).copied())
                })
                .collect()
        };
        let contradicting: BTreeSet<usize> = self
            .report
            .diagnostics
            .iter()
            .filter(|d| d.rule == Rule::ContradictsAuthority)
            .flat_map(&claims_of)
            .collect();
        let mut touching = vec![Vec::new(); self.dataset.claims.len()];
        for d in self.report.diagnostics {
            let mut claims = claims_of(d);
            if d.rule == Rule::SourcesDisagree {
                let wrong: BTreeSet<usize> = claims.intersection(&contradicting).copied().collect();
                if !wrong.is_empty() {
                    claims = wrong;
                }
            }
            for i in claims {
                touching[i].push(d);
            }
        }
        touching
    }

    /// Every event with its claims and findings, by id, and the ids at the top of the
    /// hierarchy in the authority's order (then events only sources name, by id).
    fn groups(&self) -> (BTreeMap<String, Group<'a>>, Vec<String>) {
        let mut groups: BTreeMap<String, Group<'a>> = BTreeMap::new();
        let mut order = Vec::new();
        for event in &self.dataset.events {
            if !groups.contains_key(&event.id) {
                order.push(event.id.clone());
                groups.insert(
                    event.id.clone(),
                    Group {
                        event: Some(event),
                        ..Group::default()
                    },
                );
            }
        }
        let known: BTreeSet<String> = groups.keys().cloned().collect();
        let mut unknown = BTreeSet::new();
        for (i, claim) in self.dataset.claims.iter().enumerate() {
            let key = claim.event_key().unwrap_or("(no event)").to_owned();
            if !known.contains(&key) {
                unknown.insert(key.clone());
            }
            groups.entry(key).or_default().claims.push(i);
        }
        for d in self.report.diagnostics {
            if let Some(event) = &d.event
                && let Some(group) = groups.get_mut(event)
            {
                group.findings.push(d);
            }
        }
        let mut roots = Vec::new();
        for id in &order {
            let parent = groups[id]
                .event
                .and_then(|e| e.part_of.as_ref())
                .and_then(|p| p.id.clone())
                .filter(|p| p != id && known.contains(p));
            match parent {
                Some(parent) => {
                    if let Some(group) = groups.get_mut(&parent) {
                        group.children.push(id.clone());
                    }
                }
                None => roots.push(id.clone()),
            }
        }
        // Events in a `part_of` cycle are reached from no root: they are drawn at the top. So
        // are events nested deeper than `MAX_NESTING` (a hostile chain must not make the page,
        // or the recursion that draws it, as deep as the dataset is long).
        let mut reached = BTreeSet::new();
        let mut cut = Vec::new();
        let mut stack: Vec<(String, usize)> =
            roots.iter().rev().map(|id| (id.clone(), 0)).collect();
        let mut unreached = order.iter();
        while let Some((id, depth)) = stack.pop().or_else(|| {
            let next = unreached.find(|id| !reached.contains(*id))?;
            roots.push(next.clone());
            Some((next.clone(), 0))
        }) {
            if !reached.insert(id.clone()) {
                continue;
            }
            let Some(group) = groups.get_mut(&id) else {
                continue;
            };
            if depth + 1 >= MAX_NESTING {
                let children = std::mem::take(&mut group.children);
                stack.extend(children.iter().rev().map(|child| (child.clone(), 0)));
                cut.extend(children);
            } else {
                stack.extend(
                    group
                        .children
                        .iter()
                        .rev()
                        .map(|child| (child.clone(), depth + 1)),
                );
            }
        }
        roots.extend(cut);
        roots.extend(unknown);
        (groups, roots)
    }

    fn summary(&self, html: &mut String) {
        let counts = Counts::of(self.report.diagnostics);
        let d = self.dataset;
        html.push_str("<section aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n<dl class=\"counts\">\n");
        let items = [
            ("sources", d.sources.len()),
            ("claims", d.claims.len()),
            ("events", d.events.len()),
            ("files checked", self.report.summary.files),
            ("open errors", counts.errors),
            ("open warnings", counts.warnings),
            ("adjudicated findings", counts.adjudicated),
        ];
        for (what, n) in items {
            let _ = writeln!(html, "<div><dt>{what}</dt><dd>{n}</dd></div>");
        }
        html.push_str("</dl>\n");
        if !d.unread.is_empty() {
            let files: Vec<String> = d
                .unread
                .iter()
                .map(|f| format!("<code>{}</code>", esc(f)))
                .collect();
            let _ = writeln!(
                html,
                "<p class=\"unread\"><strong>Not drawn:</strong> {} could not be read, so none of {} records is on this page: {}.</p>",
                if files.len() == 1 {
                    "1 file"
                } else {
                    "these files"
                },
                if files.len() == 1 { "its" } else { "their" },
                files.join(", ")
            );
        }
        let mut by_rule: BTreeMap<Rule, (usize, usize)> = BTreeMap::new();
        for d in self.report.diagnostics {
            let entry = by_rule.entry(d.rule).or_default();
            if d.is_adjudicated() {
                entry.1 += 1;
            } else {
                entry.0 += 1;
            }
        }
        if by_rule.is_empty() {
            html.push_str("<p>No findings.</p>\n");
        } else {
            html.push_str("<table class=\"rules\">\n<caption>Findings by rule</caption>\n<thead><tr><th scope=\"col\">rule</th><th scope=\"col\">open</th><th scope=\"col\">adjudicated</th></tr></thead>\n<tbody>\n");
            for (rule, (open, adjudicated)) in &by_rule {
                let _ = writeln!(
                    html,
                    "<tr><th scope=\"row\"><code>{}</code> {}</th><td>{open}</td><td>{adjudicated}</td></tr>",
                    rule.code(),
                    esc(rule.name())
                );
            }
            html.push_str("</tbody>\n</table>\n");
        }
        if !d.sources.is_empty() {
            html.push_str("<table class=\"sources\">\n<caption>Sources</caption>\n<thead><tr><th scope=\"col\">source</th><th scope=\"col\">language</th><th scope=\"col\">title</th><th scope=\"col\">claims</th></tr></thead>\n<tbody>\n");
            let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
            for claim in &d.claims {
                *per_file.entry(&claim.at.file).or_default() += 1;
            }
            for source in &d.sources {
                let claims = per_file.get(source.file.as_str()).copied().unwrap_or(0);
                let _ = writeln!(
                    html,
                    "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{claims}</td></tr>",
                    self.file_link(
                        &source.file,
                        None,
                        source.id.as_deref().unwrap_or(&source.file)
                    ),
                    esc(source.language.as_deref().unwrap_or("")),
                    esc(source.title.as_deref().unwrap_or("")),
                );
            }
            html.push_str("</tbody>\n</table>\n");
        }
        html.push_str("</section>\n");
    }

    /// The events with findings, in page order, each linked to its section.
    fn at_a_glance(
        &self,
        html: &mut String,
        groups: &BTreeMap<String, Group<'a>>,
        order: &BTreeMap<String, usize>,
    ) {
        let mut listed: Vec<(usize, &str, &Group<'a>)> = groups
            .iter()
            .filter(|(_, group)| !group.findings.is_empty())
            .filter_map(|(id, group)| Some((*order.get(id)?, id.as_str(), group)))
            .collect();
        if listed.is_empty() {
            return;
        }
        listed.sort_by_key(|(n, _, _)| *n);
        html.push_str("<nav aria-labelledby=\"glance-h\">\n<h2 id=\"glance-h\">Disagreements by event</h2>\n<ul class=\"glance\">\n");
        for (n, id, group) in listed {
            let open = group
                .findings
                .iter()
                .filter(|d| !d.is_adjudicated())
                .count();
            let adjudicated = group.findings.len() - open;
            let rules: BTreeSet<&str> = group.findings.iter().map(|d| d.rule.name()).collect();
            let name = group.event.map_or(id, EventRow::name);
            let mut counts = Vec::new();
            if open > 0 {
                counts.push(format!("<span class=\"badge open\">✗ {open} open</span>"));
            }
            if adjudicated > 0 {
                counts.push(format!(
                    "<span class=\"badge adjudicated\">⚖ {adjudicated} adjudicated</span>"
                ));
            }
            let _ = writeln!(
                html,
                "<li><a href=\"#e{n}\">{}</a> {} <span class=\"rules-of\">{}</span></li>",
                esc(name),
                counts.join(" "),
                esc(&rules.into_iter().collect::<Vec<_>>().join(", "))
            );
        }
        html.push_str("</ul>\n</nav>\n");
    }

    /// The filter controls: hidden until the script shows them, since they need it.
    fn filters(&self, html: &mut String) {
        let sources: BTreeSet<&str> = self
            .dataset
            .claims
            .iter()
            .filter_map(|c| c.source.as_deref())
            .chain(
                self.report
                    .diagnostics
                    .iter()
                    .flat_map(|d| d.sources.iter().map(String::as_str)),
            )
            .collect();
        let rules: BTreeSet<Rule> = self.report.diagnostics.iter().map(|d| d.rule).collect();
        html.push_str("<form class=\"filters\" id=\"filters\" hidden aria-label=\"Filters\">\n");
        html.push_str(
            "<label>Source <select id=\"f-source\"><option value=\"\">all sources</option>",
        );
        for source in sources {
            let _ = write!(html, "<option>{}</option>", esc(source));
        }
        html.push_str("</select></label>\n<label>Rule <select id=\"f-rule\"><option value=\"\">all rules</option>");
        for rule in rules {
            let _ = write!(
                html,
                "<option value=\"{}\">{} {}</option>",
                rule.name(),
                rule.code(),
                rule.name()
            );
        }
        html.push_str("</select></label>\n<label>Status <select id=\"f-status\"><option value=\"\">any status</option><option value=\"agrees\">agrees</option><option value=\"open\">disagrees, open</option><option value=\"adjudicated\">disagrees, adjudicated</option></select></label>\n");
        html.push_str("<p id=\"f-shown\" role=\"status\" aria-live=\"polite\"></p>\n</form>\n");
    }

    #[allow(clippy::too_many_arguments)]
    fn event(
        &self,
        html: &mut String,
        groups: &BTreeMap<String, Group<'a>>,
        order: &BTreeMap<String, usize>,
        id: &str,
        level: usize,
        touching: &[Vec<&'a Diagnostic>],
        drawn: &mut BTreeSet<String>,
    ) {
        let (Some(group), Some(n)) = (groups.get(id), order.get(id)) else {
            return;
        };
        if !drawn.insert(id.to_owned()) {
            return;
        }
        let h = level.min(6);
        let _ = writeln!(
            html,
            "<section class=\"event\" id=\"e{n}\" aria-labelledby=\"e{n}-h\">"
        );
        match group.event {
            Some(event) => {
                let _ = writeln!(
                    html,
                    "<h{h} id=\"e{n}-h\">{} <code class=\"id\">{}</code></h{h}>",
                    esc(event.name()),
                    esc(&event.id)
                );
                let accepted = match (&event.date, event.extent()) {
                    (Some(date), Some(_)) => format!(
                        "accepted: {}",
                        esc(&authority_dates(Some(date), event.end.as_ref()))
                    ),
                    (Some(date), None) => format!("accepted date not read: {}", esc(&date.written)),
                    (None, _) => "no accepted date".to_owned(),
                };
                let _ = writeln!(
                    html,
                    "<p class=\"accepted\">{accepted} · {}</p>",
                    self.file_link(
                        &event.at.file,
                        event.at.line,
                        &location_text(&event.at.file, event.at.line)
                    )
                );
            }
            None => {
                let _ = writeln!(
                    html,
                    "<h{h} id=\"e{n}-h\">{} <span class=\"unknown\">(not in the authority)</span></h{h}>",
                    esc(id)
                );
            }
        }
        self.chart(html, group, touching);
        self.findings(html, &group.findings);
        for child in &group.children {
            self.event(html, groups, order, child, level + 1, touching, drawn);
        }
        html.push_str("</section>\n");
    }

    fn chart(&self, html: &mut String, group: &Group<'a>, touching: &[Vec<&'a Diagnostic>]) {
        let claims: Vec<&ClaimRow> = group
            .claims
            .iter()
            .map(|&i| &self.dataset.claims[i])
            .collect();
        let accepted = group.event.and_then(EventRow::extent);
        let axis = Axis::over(
            accepted
                .iter()
                .copied()
                .chain(claims.iter().filter_map(|c| c.extent())),
        );
        if claims.is_empty() {
            html.push_str("<p class=\"none\">No source dates this event.</p>\n");
            if axis.is_none() {
                return;
            }
        }
        html.push_str("<div class=\"chart\">\n");
        if let Some(axis) = &axis {
            axis.ticks(html);
        }
        html.push_str("<ul class=\"rows\">\n");
        if let (Some(axis), Some(extent)) = (&axis, accepted) {
            let event = group.event.map(|e| (e.date.as_ref(), e.end.as_ref()));
            let text = event.map_or(String::new(), |(d, e)| esc(&authority_dates(d, e)));
            let _ = writeln!(
                html,
                "<li class=\"row accepted\"><span class=\"who\">authority</span><span class=\"track\">{}</span><span class=\"what\">accepted: {text}</span></li>",
                axis.bar(
                    "band-bar",
                    extent,
                    &format!("accepted, {}", span_words(extent)),
                    None
                )
            );
        }
        for (claim, i) in claims.iter().zip(&group.claims) {
            let findings = &touching[*i];
            let standing = Standing::of(findings);
            let rules: BTreeSet<&str> = findings.iter().map(|d| d.rule.name()).collect();
            let source = claim.source.as_deref().unwrap_or(&claim.at.file);
            let _ = write!(
                html,
                "<li class=\"row claim {}\" data-source=\"{}\" data-status=\"{}\" data-rules=\"{}\"><span class=\"who\">{} <span class=\"lang\">({})</span></span><span class=\"track\">",
                standing.class(),
                esc(claim.source.as_deref().unwrap_or("")),
                standing.class(),
                esc(&rules.into_iter().collect::<Vec<_>>().join(" ")),
                esc(source),
                esc(claim.language.as_deref().unwrap_or("no language")),
            );
            if let (Some(axis), Some(extent)) = (&axis, claim.extent()) {
                if let Some(accepted) = accepted {
                    html.push_str(&axis.bar("band", accepted, "", None));
                }
                let qualified = [&claim.date, &claim.end].iter().any(|d| {
                    d.as_ref()
                        .and_then(|d| d.reading.as_ref().ok())
                        .is_some_and(|r| !r.qualifiers.is_empty())
                });
                let class = format!(
                    "bar {}{}",
                    standing.class(),
                    if qualified { " fuzzy" } else { "" }
                );
                let title = format!(
                    "{source} ({}): {}",
                    claim.language.as_deref().unwrap_or("no language"),
                    dates_plain(claim.date.as_ref(), claim.end.as_ref())
                );
                html.push_str(&axis.bar(&class, extent, &span_words(extent), Some(&title)));
            }
            let title = claim.title.as_deref().map_or(String::new(), |title| {
                format!("<span class=\"title\">{}</span> ", esc(title))
            });
            let _ = writeln!(
                html,
                "</span><span class=\"what\">{} <span class=\"badge {}\">{}</span>{} {title}· {}</span></li>",
                dates_text(claim.date.as_ref(), claim.end.as_ref()),
                standing.class(),
                standing.words(),
                verdicts(findings),
                self.file_link(&claim.at.file, claim.at.line, &claim_place(claim)),
            );
        }
        html.push_str("</ul>\n</div>\n");
    }

    fn findings(&self, html: &mut String, findings: &[&Diagnostic]) {
        if findings.is_empty() {
            return;
        }
        // Open findings need reading: shown. Settled ones are folded under a count, their
        // decisions already beside the bars (the browser's own disclosure widget: keyboard
        // and screen reader usable, and it works without script).
        let open = findings.iter().filter(|d| !d.is_adjudicated()).count();
        let adjudicated = findings.len() - open;
        let mut counts = Vec::new();
        if open > 0 {
            counts.push(format!("{open} open"));
        }
        if adjudicated > 0 {
            counts.push(format!("{adjudicated} adjudicated"));
        }
        let _ = writeln!(
            html,
            "<details class=\"findings\"{}><summary>{} ({}): rule, message, location, decision and reason</summary>\n<ul>",
            if open > 0 { " open" } else { "" },
            if findings.len() == 1 {
                "1 finding".to_owned()
            } else {
                format!("{} findings", findings.len())
            },
            counts.join(", "),
        );
        for d in findings {
            self.finding(html, d);
        }
        html.push_str("</ul>\n</details>\n");
    }

    fn finding(&self, html: &mut String, d: &Diagnostic) {
        let standing = if d.is_adjudicated() {
            Standing::Adjudicated
        } else {
            Standing::Open
        };
        let status = if d.is_adjudicated() {
            "adjudicated"
        } else {
            "open"
        };
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let location = self.report.files.locate(&d.primary);
        let _ = write!(
            html,
            "<li class=\"finding {}\" data-rule=\"{}\" data-status=\"{}\" data-sources=\"{}\"><p><span class=\"badge {}\">{}</span> {severity} <a href=\"{}\"><code>{}</code> {}</a>: {} · {}",
            standing.class(),
            d.rule.name(),
            status,
            esc(&d.sources.join(" ")),
            standing.class(),
            if d.is_adjudicated() {
                "⚖ adjudicated"
            } else {
                "✗ open"
            },
            esc(&self.options.rule_url(d.rule)),
            d.rule.code(),
            d.rule.name(),
            code_spans(&d.message),
            self.file_link(&d.primary.file, location.line(), &location.display()),
        );
        if let Some(help) = &d.help
            && !d.is_adjudicated()
        {
            let _ = write!(
                html,
                "<br><span class=\"help\">help: {}</span>",
                code_spans(help)
            );
        }
        html.push_str("</p>");
        if let Some((decision, reason, at)) = adjudication(d) {
            let at = self.report.files.locate(at);
            let _ = write!(
                html,
                "<p class=\"decision\"><strong>Decision:</strong> {} <strong>Reason:</strong> {} · {}</p>",
                code_spans(decision),
                code_spans(reason),
                self.file_link(&at.file, at.line(), &at.display()),
            );
        }
        html.push_str("</li>\n");
    }

    /// Findings about no event the page draws.
    fn other_findings(&self, html: &mut String, groups: &BTreeMap<String, Group<'a>>) {
        let others: Vec<&Diagnostic> = self
            .report
            .diagnostics
            .iter()
            .filter(|d| d.event.as_ref().is_none_or(|e| !groups.contains_key(e)))
            .collect();
        if others.is_empty() {
            return;
        }
        html.push_str("<section class=\"event\" id=\"other\" aria-labelledby=\"other-h\">\n<h2 id=\"other-h\">Other findings</h2>\n");
        self.findings(html, &others);
        html.push_str("</section>\n");
    }

    /// A link to a file (at a line) in the repository, or the text alone when the repository's
    /// address is not known.
    fn file_link(&self, file: &str, line: Option<usize>, text: &str) -> String {
        match &self.base {
            Some(base) => {
                let anchor = line.map_or(String::new(), |line| format!("#L{line}"));
                format!(
                    "<a href=\"{}{}{anchor}\">{}</a>",
                    esc(base),
                    esc(&url_path(file)),
                    esc(text)
                )
            }
            None => format!("<span class=\"file\">{}</span>", esc(text)),
        }
    }
}

/// The repository's address for files, from the rule documentation's address: when `docs_url`
/// is `…/blob/REV/docs/rules/` (the default, or what CI passes for a pull request), files are at
/// `…/blob/REV/`. Only `https://` addresses are used.
pub(crate) fn repository_base(docs_url: &str) -> Option<String> {
    let base = docs_url.strip_suffix("docs/rules/")?;
    (base.starts_with("https://") && base.ends_with('/')).then(|| base.to_owned())
}

/// The pointer of the record (`/events/3`) a label points into, in a source.
fn record_of(label: &Label) -> Option<&str> {
    let pointer = label.anchor.pointer()?;
    let rest = pointer.strip_prefix("/events/")?;
    let end = rest
        .find('/')
        .map_or(pointer.len(), |i| "/events/".len() + i);
    Some(&pointer[..end])
}

fn location_text(file: &str, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{file}:{line}"),
        None => file.to_owned(),
    }
}

fn claim_place(claim: &ClaimRow) -> String {
    let place = location_text(&claim.at.file, claim.at.line);
    match &claim.locator {
        Some(locator) => format!("{place} ({locator})"),
        None => place,
    }
}

/// What was decided about a claim, beside its bar: each distinct decision of its adjudicated
/// findings, and the rules of its open ones.
fn verdicts(findings: &[&Diagnostic]) -> String {
    let mut decisions: Vec<&str> = Vec::new();
    let mut open: BTreeSet<&str> = BTreeSet::new();
    for d in findings {
        match adjudication(d) {
            Some((decision, _, _)) if !decisions.contains(&decision) => decisions.push(decision),
            Some(_) => {}
            None => {
                open.insert(d.rule.name());
            }
        }
    }
    let mut out = String::new();
    if !open.is_empty() {
        let rules: Vec<&str> = open.into_iter().collect();
        let _ = write!(
            out,
            " <span class=\"verdict\"><b>open:</b> {}</span>",
            esc(&rules.join(", "))
        );
    }
    for decision in decisions {
        let _ = write!(
            out,
            " <span class=\"verdict\"><b>decision:</b> {}</span>",
            code_spans(decision)
        );
    }
    out
}

/// `«septiembre» → 1943-09`, escaped, with `end` when there is one.
fn dates_text(date: Option<&DateRow>, end: Option<&DateRow>) -> String {
    esc(&dates_plain(date, end))
}

/// The authority's dates: EDTF already, so shown as written unless they could not be read.
fn authority_dates(date: Option<&DateRow>, end: Option<&DateRow>) -> String {
    let one = |d: &DateRow| match &d.reading {
        Ok(_) => d.written.clone(),
        Err(error) => format!("“{}” not read: {error}", d.written),
    };
    match (date, end) {
        (Some(date), Some(end)) => format!("{} to {}", one(date), one(end)),
        (Some(date), None) => one(date),
        (None, _) => "no date".to_owned(),
    }
}

/// Each event's number on the page (its section is `#eN`), in the order the page draws them.
fn page_order(groups: &BTreeMap<String, Group<'_>>, roots: &[String]) -> BTreeMap<String, usize> {
    let mut order = BTreeMap::new();
    let mut stack: Vec<&String> = roots.iter().rev().collect();
    while let Some(id) = stack.pop() {
        if order.contains_key(id) {
            continue;
        }
        let n = order.len() + 1;
        order.insert(id.clone(), n);
        if let Some(group) = groups.get(id) {
            stack.extend(group.children.iter().rev());
        }
    }
    order
}

fn dates_plain(date: Option<&DateRow>, end: Option<&DateRow>) -> String {
    let one = |d: &DateRow| match &d.reading {
        Ok(reading) => {
            let mut text = format!("“{}” → {}", d.written, reading.edtf);
            if !reading.qualifiers.is_empty() {
                let _ = write!(text, " ({})", reading.qualifiers.join(", "));
            }
            if !reading.assumed.is_empty() {
                let _ = write!(text, " (assumed {})", reading.assumed.join(", "));
            }
            text
        }
        Err(error) => format!("“{}” not read: {error}", d.written),
    };
    match (date, end) {
        (Some(date), Some(end)) => format!("{} to {}", one(date), one(end)),
        (Some(date), None) => one(date),
        (None, _) => "no date".to_owned(),
    }
}

/// `1943-09-01 to 1943-09-30`, with open and unknown ends in words.
fn span_words((earliest, latest): (End, End)) -> String {
    let word = |end: End, open: &str| match end {
        End::Day(day) => day_text(day),
        End::Open => open.to_owned(),
        End::Unknown => "an unknown day".to_owned(),
    };
    let (from, to) = (word(earliest, "open start"), word(latest, "open end"));
    if from == to {
        from
    } else {
        format!("{from} to {to}")
    }
}

fn day_text(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    if (0..=9999).contains(&y) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y}-{m:02}-{d:02}")
    }
}

/// The time axis of one event: the days it shows, with a margin.
struct Axis {
    first: i64,
    /// One past the last day shown.
    last: i64,
}

impl Axis {
    /// An axis over the known ends of `extents`, or `None` when none is known.
    fn over(extents: impl Iterator<Item = (End, End)>) -> Option<Axis> {
        let days: Vec<i64> = extents
            .flat_map(|(a, b)| [a.day(), b.day()])
            .flatten()
            .collect();
        let (lo, hi) = (*days.iter().min()?, *days.iter().max()? + 1);
        // At least three weeks wide, so that a single day is a visible mark; a margin of a
        // twentieth on each side, so that open ends have room to fade out.
        let span = (hi - lo).max(21);
        let centre = lo + (hi - lo) / 2;
        let (lo, hi) = (centre - span / 2, centre + span - span / 2);
        let margin = (span / 20).max(2);
        Some(Axis {
            first: lo - margin,
            last: hi + margin,
        })
    }

    fn percent(&self, day: i64) -> f64 {
        (day - self.first) as f64 * 100.0 / (self.last - self.first) as f64
    }

    /// A bar from the start of `earliest` to the end of `latest`; an open or unknown end runs
    /// to the edge, faded.
    fn bar(
        &self,
        class: &str,
        (earliest, latest): (End, End),
        label: &str,
        title: Option<&str>,
    ) -> String {
        let left = earliest.day().map_or(0.0, |d| self.percent(d));
        let right = latest.day().map_or(100.0, |d| self.percent(d + 1));
        let mut classes = class.to_owned();
        if earliest.day().is_none() {
            classes.push_str(" open-start");
        }
        if latest.day().is_none() {
            classes.push_str(" open-end");
        }
        let a11y = if label.is_empty() {
            " aria-hidden=\"true\"".to_owned()
        } else {
            format!(" role=\"img\" aria-label=\"{}\"", esc(label))
        };
        let title = title.map_or(String::new(), |t| format!(" title=\"{}\"", esc(t)));
        format!(
            "<span class=\"{classes}\"{a11y}{title} style=\"left:{left:.2}%;width:{:.2}%\"></span>",
            (right - left).max(0.0)
        )
    }

    /// Tick marks at the start of months or years, at most about eight; on an axis of a few
    /// weeks, also on the 10th and 20th of each month.
    fn ticks(&self, html: &mut String) {
        let (y0, m0, _) = civil_from_days(self.first);
        if self.last - self.first <= 75 {
            html.push_str("<div class=\"axis\" aria-hidden=\"true\">");
            for day in self.first..self.last {
                let (y, m, d) = civil_from_days(day);
                let label = match d {
                    1 => format!("{y}-{m:02}-01"),
                    10 | 20 => format!("{d}"),
                    _ => continue,
                };
                let _ = write!(
                    html,
                    "<span class=\"tick\" style=\"left:{:.2}%\">{label}</span>",
                    self.percent(day)
                );
            }
            html.push_str("</div>\n");
            return;
        }
        let months = (self.last - self.first) / 30;
        let step = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200]
            .into_iter()
            .find(|step| months / step <= 8)
            .unwrap_or(12_000);
        html.push_str("<div class=\"axis\" aria-hidden=\"true\">");
        // Month numbers counted from year 0, aligned to the step.
        let mut month = (y0 * 12 + i64::from(m0) - 1).div_euclid(step) * step;
        loop {
            let (y, m) = (month.div_euclid(12), month.rem_euclid(12) as u32 + 1);
            let day = days_from_civil(y, m, 1);
            if day >= self.last {
                break;
            }
            if day >= self.first {
                let label = if step >= 12 {
                    format!("{y}")
                } else {
                    format!("{y}-{m:02}")
                };
                let _ = write!(
                    html,
                    "<span class=\"tick\" style=\"left:{:.2}%\">{label}</span>",
                    self.percent(day)
                );
            }
            month += step;
        }
        html.push_str("</div>\n");
    }
}

/// A file name as a URL path: each segment percent-encoded except unreserved characters.
fn url_path(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    for byte in file.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char);
            }
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

/// Escapes text for HTML element content and double- or single-quoted attribute values.
///
/// Hand-written: the five characters that can end a text or an attribute are all there is to
/// it, and the tests below and in `tests/report/` feed it hostile input.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and line breaks are not allowed in HTML text.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a message and shows its paired backticks as `<code>`.
fn code_spans(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return esc(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

/// The legend: what the band, the bars, their colours and patterns mean.
fn legend(html: &mut String) {
    html.push_str(concat!(
        "<section aria-labelledby=\"legend-h\">\n<h2 id=\"legend-h\">How to read the timeline</h2>\n<ul class=\"legend\">\n",
        "<li><span class=\"key band-bar\" aria-hidden=\"true\"></span> the accepted date of the authority, also shaded behind every claim</li>\n",
        "<li><span class=\"key bar agrees\" aria-hidden=\"true\"></span> ✓ agrees: no finding about this claim</li>\n",
        "<li><span class=\"key bar open\" aria-hidden=\"true\"></span> ✗ disagrees, open: a finding still to settle (striped)</li>\n",
        "<li><span class=\"key bar adjudicated\" aria-hidden=\"true\"></span> ⚖ disagrees, adjudicated: a decision is recorded (dotted)</li>\n",
        "<li><span class=\"key bar agrees fuzzy\" aria-hidden=\"true\"></span> dashed outline: approximate or uncertain; a faded end runs on, open or unknown</li>\n",
        "</ul>\n<p>Each bar spans every day the source's date allows, from the earliest to the latest; beside it are the date as written, its reading in EDTF, the language and the status. Hover a bar for the same text.</p>\n</section>\n",
    ));
}

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<title>fasti: the sources against each other</title>
<style>
:root{--agrees:#2c5282;--open:#b91c1c;--adj:#8a4b08;--band:#2f855a;--ink:#1a202c;--muted:#4a5568;--line:#cbd5e0}
*{box-sizing:border-box}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff;margin:0;padding:0 1.25rem 3rem;max-width:84rem}
h1{font-size:1.6rem;margin:1rem 0 .25rem}h2{margin-top:2rem}h3,h4,h5,h6{margin:1.25rem 0 .25rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
code.id{color:var(--muted);font-weight:normal;font-size:.8em}
a{color:#1a4f8b}a:focus-visible,select:focus-visible{outline:3px solid #d97706;outline-offset:2px}
.skip{position:absolute;left:-999rem}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.25rem .5rem}
.line{font-weight:600}.note{color:var(--muted)}
dl.counts{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.5rem 0}dl.counts div{display:flex;gap:.35rem}dt{color:var(--muted)}dd{margin:0;font-weight:600}
table{border-collapse:collapse;margin:.75rem 0}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid var(--line);padding:.2rem .75rem .2rem 0;text-align:left;vertical-align:top}td{font-variant-numeric:tabular-nums}
.legend,.glance{list-style:none;padding:0}.glance li{margin:.2rem 0}.rules-of{color:var(--muted);font-size:.9em}.legend li{margin:.3rem 0}
.key{display:inline-block;width:3rem;height:.9rem;vertical-align:middle;position:relative;margin-right:.4rem}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;position:sticky;top:0;background:#f7fafc;border:1px solid var(--line);padding:.5rem .75rem;z-index:2}
.filters p{margin:0;color:var(--muted)}
section.event{border-top:1px solid var(--line);margin-top:1rem;scroll-margin-top:4rem}section.event section.event{margin-left:1.25rem}
.accepted{margin:.1rem 0 .5rem;color:var(--muted)}.none{color:var(--muted)}
.chart{margin:.25rem 0 .5rem}
.axis{position:relative;height:1.3rem;margin-left:calc(14rem + .75rem);margin-right:calc(28rem + .75rem);border-bottom:1px solid var(--muted);font-size:.75rem;color:var(--muted)}
.tick{position:absolute;bottom:0;padding-left:3px;border-left:1px solid var(--muted);height:100%;white-space:nowrap}
ul.rows{list-style:none;padding:0;margin:0}
.row{display:grid;grid-template-columns:14rem 1fr 28rem;gap:.75rem;align-items:center;padding:.15rem 0;border-bottom:1px dotted var(--line)}
.who{overflow-wrap:anywhere}.lang{color:var(--muted)}.what{font-size:.9rem;overflow-wrap:anywhere}
.track{position:relative;height:1.1rem;background:#f7fafc}
.bar,.band,.band-bar{position:absolute;top:.15rem;bottom:.15rem;min-width:4px;border-radius:2px}
.key.bar,.key.band-bar{top:auto;bottom:auto;position:relative;display:inline-block}
.band{top:0;bottom:0;background:rgba(47,133,90,.16);border-left:1px solid rgba(47,133,90,.5);border-right:1px solid rgba(47,133,90,.5);border-radius:0}
.band-bar{background:var(--band)}
.bar.agrees{background:var(--agrees)}
.bar.open{background:repeating-linear-gradient(45deg,var(--open) 0 5px,#fecaca 5px 8px);outline:1px solid var(--open)}
.bar.adjudicated{background:radial-gradient(circle,#fde68a 1.5px,transparent 2px) 0 0/6px 6px,var(--adj)}
.bar.fuzzy{outline:2px dashed var(--ink);outline-offset:1px}
.open-end{-webkit-mask-image:linear-gradient(90deg,#000 70%,transparent);mask-image:linear-gradient(90deg,#000 70%,transparent)}
.open-start{-webkit-mask-image:linear-gradient(270deg,#000 70%,transparent);mask-image:linear-gradient(270deg,#000 70%,transparent)}
.badge{display:inline-block;padding:0 .35rem;border-radius:3px;color:#fff;font-size:.85em;white-space:nowrap}
.badge.agrees{background:var(--agrees)}.badge.open{background:var(--open)}.badge.adjudicated{background:var(--adj)}
details.findings{margin:.4rem 0 .75rem}details.findings summary{cursor:pointer;color:var(--muted)}details.findings ul{margin:.25rem 0;padding-left:1.25rem}
.verdict{display:block}.finding{margin:.4rem 0}.finding p{margin:.1rem 0}
.decision{padding-left:.75rem;border-left:3px solid var(--adj)}.finding.open .help{color:var(--muted)}
.title{display:block;color:var(--muted);font-style:italic}
.unknown{color:var(--muted);font-weight:normal;font-size:.8em}
[hidden]{display:none!important}
@media (max-width:60rem){.row{grid-template-columns:1fr}.axis{margin:0}}
@media print{.filters,.skip{display:none}}
</style>
</head>
"#;

/// The filters. Everything else on the page works without script.
const SCRIPT: &str = r#"<script>
(function () {
  var form = document.getElementById("filters");
  var source = document.getElementById("f-source");
  var rule = document.getElementById("f-rule");
  var status = document.getElementById("f-status");
  var shown = document.getElementById("f-shown");
  form.hidden = false;
  function has(list, value) { return (" " + (list || "") + " ").indexOf(" " + value + " ") >= 0; }
  function apply() {
    var s = source.value, r = rule.value, t = status.value, claims = 0, findings = 0;
    document.querySelectorAll(".claim").forEach(function (el) {
      var ok = (!s || el.dataset.source === s) && (!r || has(el.dataset.rules, r)) && (!t || el.dataset.status === t);
      el.hidden = !ok; if (ok) { claims++; }
    });
    document.querySelectorAll(".finding").forEach(function (el) {
      var ok = (!s || has(el.dataset.sources, s)) && (!r || el.dataset.rule === r) && (!t || el.dataset.status === t);
      el.hidden = !ok; if (ok) { findings++; }
    });
    var active = s || r || t;
    var events = Array.prototype.slice.call(document.querySelectorAll("section.event")).reverse();
    events.forEach(function (el) {
      el.hidden = active && !el.querySelector(".claim:not([hidden]), .finding:not([hidden])");
    });
    shown.textContent = active ? claims + " claims and " + findings + " findings shown" : "";
  }
  [source, rule, status].forEach(function (el) { el.addEventListener("change", apply); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
})();
</script>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralizes_markup_in_text_and_attributes() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(esc("a\u{0}b\u{1b}c\n"), "a\u{FFFD}b\u{FFFD}c\n");
        assert_eq!(
            code_spans("date `<b>` is <i>"),
            "date <code>&lt;b&gt;</code> is &lt;i&gt;"
        );
        assert_eq!(code_spans("odd ` <x>"), "odd ` &lt;x&gt;");
    }

    #[test]
    fn files_link_only_to_an_https_repository() {
        assert_eq!(
            repository_base("https://github.com/fasti-dev/fasti/blob/main/docs/rules/").as_deref(),
            Some("https://github.com/fasti-dev/fasti/blob/main/")
        );
        assert_eq!(repository_base("javascript:alert(1)//docs/rules/"), None);
        assert_eq!(repository_base("https://example.org/rules/"), None);
        assert_eq!(repository_base(""), None);
        assert_eq!(
            url_path("sources/a b/\"x\".yaml"),
            "sources/a%20b/%22x%22.yaml"
        );
    }

    #[test]
    fn a_finding_belongs_to_the_record_its_pointer_is_in() {
        let label =
            |pointer: &str| Label::new("a.yaml".into(), fasti_diagnostics::Anchor::value(pointer));
        assert_eq!(record_of(&label("/events/3/date")), Some("/events/3"));
        assert_eq!(record_of(&label("/events/12")), Some("/events/12"));
        assert_eq!(record_of(&label("/people/1")), None);
    }

    #[test]
    fn the_axis_spans_two_months_at_least_with_a_margin() {
        let day = days_from_civil(1943, 7, 25);
        let Some(axis) = Axis::over([(End::Day(day), End::Day(day))].into_iter()) else {
            panic!("a known day gives an axis");
        };
        assert_eq!(axis.last - axis.first, 21 + 2 * 2);
        let bar = axis.bar("bar", (End::Day(day), End::Open), "x", None);
        assert!(
            bar.contains("open-end") && bar.contains("width:52.00%"),
            "{bar}"
        );
        let mut ticks = String::new();
        axis.ticks(&mut ticks);
        assert!(
            ticks.contains(">20<") && ticks.contains(">1943-08-01<"),
            "{ticks}"
        );
        let Some(long) = Axis::over([(End::Day(day), End::Day(day + 400))].into_iter()) else {
            panic!("known days give an axis");
        };
        let mut ticks = String::new();
        long.ticks(&mut ticks);
        assert!(
            ticks.contains(">1943-09<") && ticks.contains(">1944-03<"),
            "{ticks}"
        );
    }
}
