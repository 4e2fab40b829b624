//! The bundled dataset's `html` timeline: every event drawn with all its claims, every finding
//! listed, the known disagreements shown with their decisions, nothing fetched; and, where a
//! Chromium and npm are installed, an axe-core accessibility check and a screenshot.

use std::path::{Path, PathBuf};
use std::process::Command;

use fasti_report::{Format, RenderOptions, Report, render};

use crate::root;

pub(crate) const DOCS_URL: &str = "https://github.com/fasti-dev/fasti/blob/main/docs/rules/";

fn timeline() -> (fasti::Outcome, String) {
    let options = fasti::CheckOptions {
        root: root(),
        paths: Vec::new(),
        adjudicate: true,
    };
    let outcome = fasti::check_with_dataset(&options).unwrap();
    let report = Report {
        diagnostics: &outcome.diagnostics,
        files: &outcome.files,
        summary: outcome.summary,
        scope: Default::default(),
        dataset: outcome.dataset.as_ref(),
    };
    let options = RenderOptions {
        docs_url: DOCS_URL.to_owned(),
        ..RenderOptions::default()
    };
    let mut out = Vec::new();
    render(Format::Html, &report, &options, &mut out).unwrap();
    (outcome, String::from_utf8(out).unwrap())
}

/// The section of the event `id`, up to the next event's section.
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let heading = format!("<code class=\"id\">{id}</code>");
    let start = page
        .find(&heading)
        .unwrap_or_else(|| panic!("no section for {id}"));
    let end = page[start..]
        .find("<section class=\"event\"")
        .map_or(page.len(), |n| start + n);
    &page[start..end]
}

#[test]
fn every_event_claim_and_finding_is_on_the_page() {
    let (outcome, page) = timeline();
    let dataset = outcome.dataset.as_ref().unwrap();
    assert_eq!(dataset.claims.len(), outcome.summary.events);
    assert!(dataset.events.len() >= 30, "{}", dataset.events.len());
    for event in &dataset.events {
        section(&page, &event.id);
    }
    assert_eq!(
        page.matches("<li class=\"row claim").count(),
        dataset.claims.len()
    );
    // Every claim of the bundled dataset has a readable date: each is a bar with a name.
    assert_eq!(
        page.matches("<span class=\"bar ").count(),
        dataset.claims.len()
    );
    assert_eq!(
        page.matches("role=\"img\" aria-label=\"").count(),
        dataset.claims.len()
            + dataset
                .events
                .iter()
                .filter(|e| e.extent().is_some())
                .count()
    );
    assert_eq!(
        page.matches("<li class=\"finding").count(),
        outcome.diagnostics.len()
    );
    // Every claim's row links to its line in the repository.
    for claim in &dataset.claims {
        let link = format!(
            "https://github.com/fasti-dev/fasti/blob/main/{}#L{}",
            claim.at.file,
            claim.at.line.unwrap()
        );
        assert!(page.contains(&link), "{link}");
    }
}

#[test]
fn the_known_disagreements_show_their_decisions_beside_the_bars() {
    let (_, page) = timeline();
    for (event, sources, decision) in [
        ("fall-of-mussolini", 4, "decision:</b> the source is wrong"),
        ("liberation-of-rome", 1, "decision:</b> both readings stand"),
        (
            "german-surrender-in-italy",
            2,
            "decision:</b> the source is imprecise",
        ),
    ] {
        let section = section(&page, event);
        let disagreeing = section
            .matches("<li class=\"row claim adjudicated\"")
            .count();
        assert!(
            disagreeing >= sources,
            "{event}: {disagreeing} adjudicated claims"
        );
        assert!(section.contains(decision), "{event}: {decision}");
        assert!(section.contains("<strong>Reason:</strong>"), "{event}");
    }
}

#[test]
fn the_page_links_only_to_the_repository() {
    let (_, page) = timeline();
    let mut links = 0;
    for (i, _) in page.match_indices('<') {
        let Some(tag) = page[i..].split_once('>').map(|(tag, _)| tag) else {
            continue;
        };
        assert!(!tag.contains(" src="), "{tag}");
        if let Some((_, target)) = tag.split_once("href=\"") {
            links += 1;
            assert!(
                target.starts_with('#')
                    || target.starts_with("https://github.com/fasti-dev/fasti/blob/main/"),
                "{tag}"
            );
        }
    }
    assert!(links > 100, "{links}");
}

/// Runs axe-core in a headless Chromium over the bundled dataset's page and takes the
/// screenshots of `docs/timeline.md`. Runs only where `chromium` and `npm` are installed (axe-core
/// is fetched from the npm registry once, into the target directory); says so when it skips.
/// `UPDATE=1` writes the screenshots into `docs/images/`.
#[test]
fn the_page_passes_axe_core_in_chromium() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        eprintln!("skipped: no Chromium installed (apt-get install chromium)");
        return;
    };
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("timeline");
    std::fs::create_dir_all(&work).unwrap();
    let Some(axe) = axe_core(&work) else {
        eprintln!("skipped: axe-core could not be installed with npm");
        return;
    };
    let (_, page) = timeline();
    let report = work.join("report.html");
    std::fs::write(&report, &page).unwrap();

    // axe-core runs inside the page (its own inline script is allowed there) and writes what it
    // found into the document, which Chromium prints.
    // Then the filters are tried, as a user would: a choice in each list, the rows left shown
    // counted, the choice undone.
    let runner = format!("<script>{axe}</script><script>{RUNNER}</script></body>");
    let checked = work.join("axe.html");
    std::fs::write(&checked, page.replace("</body>", &runner)).unwrap();
    let dom = run_chromium(
        chromium,
        &work,
        &["--dump-dom", "--virtual-time-budget=30000"],
        &checked,
    );
    let result = dom
        .split_once("<pre id=\"axe-result\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(encoded, _)| percent_decode(encoded))
        .expect("axe-core wrote no result");
    let result: serde_json::Value = serde_json::from_str(&result).unwrap();
    assert!(result["passes"].as_u64().unwrap() > 10, "{result}");
    assert_eq!(result["violations"], serde_json::json!([]), "{result:#}");
    eprintln!("axe-core: {} rules pass, no violations", result["passes"]);

    let filters = &result["filters"];
    let (outcome, _) = timeline();
    let dataset = outcome.dataset.as_ref().unwrap();
    let esquema = "esquema-1943-es";
    let count = |n: usize| serde_json::json!(n);
    assert_eq!(filters["visible"], serde_json::json!(true));
    assert_eq!(
        filters["source"],
        serde_json::json!([
            dataset
                .claims
                .iter()
                .filter(|c| c.source.as_deref() == Some(esquema))
                .count(),
            outcome
                .diagnostics
                .iter()
                .filter(|d| d.sources.iter().any(|s| s == esquema))
                .count(),
        ]),
        "{filters}"
    );
    assert_eq!(
        filters["agrees"],
        serde_json::json!([page.matches("<li class=\"row claim agrees\"").count(), 0]),
        "{filters}"
    );
    let outside_parent = outcome
        .diagnostics
        .iter()
        .filter(|d| d.rule.name() == "outside-parent")
        .count();
    assert!(outside_parent > 0);
    assert_eq!(filters["rule"][1], count(outside_parent), "{filters}");
    assert_eq!(
        filters["rule"][0],
        count(
            page.split("data-rules=\"")
                .skip(1)
                .filter(|rest| rest
                    .split('"')
                    .next()
                    .unwrap()
                    .split(' ')
                    .any(|r| r == "outside-parent"))
                .count()
        ),
        "{filters}"
    );
    assert_eq!(filters["reset"], count(dataset.claims.len()), "{filters}");

    // Screenshots: the top of the page, and the Rome, German surrender and Mussolini sections
    // (a frame scrolled to them, since a headless screenshot ignores the address's fragment).
    let at = |id: &str| {
        let start = page
            .find(&format!("<code class=\"id\">{id}</code>"))
            .unwrap();
        let open = page[..start]
            .rfind("<section class=\"event\" id=\"")
            .unwrap();
        page[open..].split('"').nth(3).unwrap().to_owned()
    };
    let frame = work.join("frame.html");
    std::fs::write(
        &frame,
        format!(
            "<!DOCTYPE html><body style=\"margin:0\"><iframe src=\"report.html#{}\" style=\"border:0;width:1280px;height:2700px\"></iframe></body>",
            at("liberation-of-rome")
        ),
    )
    .unwrap();
    let shots = [
        ("timeline-top.png", &report, "--window-size=1280,1600"),
        (
            "timeline-disagreements.png",
            &frame,
            "--window-size=1280,2700",
        ),
    ];
    for (name, page, size) in shots {
        let shot = work.join(name);
        let _ = std::fs::remove_file(&shot);
        let flag = format!("--screenshot={}", shot.display());
        run_chromium(
            chromium,
            &work,
            &[
                &flag,
                size,
                "--hide-scrollbars",
                "--virtual-time-budget=3000",
            ],
            page,
        );
        let bytes = std::fs::read(&shot).expect("chromium wrote the screenshot");
        assert!(bytes.starts_with(b"\x89PNG"), "{name}");
        if std::env::var_os("UPDATE").is_some() {
            std::fs::write(root().join("docs/images").join(name), bytes).unwrap();
        }
    }
}

fn run_chromium(chromium: &str, work: &Path, flags: &[&str], page: &Path) -> String {
    let profile = tempfile::tempdir_in(work).unwrap();
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(flags)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// axe-core's script, installed with npm into `work` the first time.
fn axe_core(work: &Path) -> Option<String> {
    let script: PathBuf = work.join("node_modules/axe-core/axe.min.js");
    if !script.is_file() {
        let installed = Command::new("npm")
            .args([
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
            ])
            .arg(work)
            .arg("axe-core@4")
            .output()
            .is_ok_and(|o| o.status.success());
        if !installed {
            return None;
        }
    }
    std::fs::read_to_string(script).ok()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs axe-core, then the filters, and writes both results into the page, percent-encoded.
const RUNNER: &str = r#"
function shown(selector) {
  return Array.prototype.filter.call(document.querySelectorAll(selector), function (e) { return !e.closest("[hidden]"); }).length;
}
function pick(id, value) {
  var select = document.getElementById(id);
  select.value = value;
  select.dispatchEvent(new Event("change"));
}
function tryFilter(id, value) {
  pick(id, value);
  var counts = [shown(".claim"), shown(".finding")];
  pick(id, "");
  return counts;
}
axe.run(document).then(function (r) {
  var filters = {
    visible: !document.getElementById("filters").hidden,
    source: tryFilter("f-source", "esquema-1943-es"),
    agrees: tryFilter("f-status", "agrees"),
    rule: tryFilter("f-rule", "outside-parent"),
    reset: shown(".claim")
  };
  var p = document.createElement("pre");
  p.id = "axe-result";
  p.textContent = encodeURIComponent(JSON.stringify({
    passes: r.passes.length,
    violations: r.violations.map(function (v) {
      return { id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(" ") + ": " + n.failureSummary; }) };
    }),
    filters: filters
  }));
  document.body.appendChild(p);
});
"#;
