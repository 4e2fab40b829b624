//! Hostile shapes of input, generated at any size: the cases of issue 15 that once made fasti
//! take quadratic time or run out of memory. `cargo xtask bench --shapes` measures fasti on each
//! at full size and at fractions of it; `crates/fasti/tests/bad_inputs/shapes.rs` includes this
//! file (`#[path]`) and checks the findings on small instances, so both read the same inputs.
//!
//! Only `std`: the test that includes this file has none of xtask's dependencies.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// A shape of input, and what its size counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One source of `n` empty claims in flow style (`[{},{},…]`, 3 bytes each).
    EmptyClaims,
    /// Three sources of `n` claims each, every claim breaking three rules (an unknown event, an
    /// unreadable date, a field the schema does not allow).
    RuleBreakers,
    /// `n` people sharing one alias, and a source of `n / 100` claims naming it.
    SharedAlias,
    /// A chain of `n` places, each `within` the next, and a source of 1,000 claims listing the
    /// deepest, half of them for an event whose region is elsewhere.
    WithinChain,
    /// `n` sources reporting one event; every thousandth gives a date the others contradict.
    OneEvent,
}

impl Shape {
    pub(crate) const ALL: [Shape; 5] = [
        Shape::EmptyClaims,
        Shape::RuleBreakers,
        Shape::SharedAlias,
        Shape::WithinChain,
        Shape::OneEvent,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Shape::EmptyClaims => "empty-claims",
            Shape::RuleBreakers => "rule-breakers",
            Shape::SharedAlias => "shared-alias",
            Shape::WithinChain => "within-chain",
            Shape::OneEvent => "one-event",
        }
    }

    /// The size of the case issue 15 reported.
    pub(crate) fn full_size(self) -> usize {
        match self {
            Shape::EmptyClaims => 400_000,
            // 74 bytes a claim: three files just under the 16 MiB file-size limit.
            Shape::RuleBreakers => 220_000,
            Shape::SharedAlias => 100_000,
            Shape::WithinChain => 40_000,
            Shape::OneEvent => 200_000,
        }
    }

    /// Writes the dataset under `root` (`root/sources/…`), which must exist.
    pub(crate) fn write(self, root: &Path, n: usize) -> io::Result<()> {
        let authority = root.join("sources/authority");
        fs::create_dir_all(&authority)?;
        let mut places = String::from(
            "places:\n  - id: europe\n    names: { en: Europe }\n    kind: continent\n  - id: asia\n    names: { en: Asia }\n    kind: continent\n",
        );
        let mut events = String::from(
            "events:\n  - id: landing\n    names: { en: Landing }\n    date: \"1943-07-10\"\n    region: europe\n",
        );
        let mut people = String::from("people:\n  - id: nobody\n    names: { en: Nobody }\n");
        let header = |id: &str| {
            format!("id: {id}\ntitle: A generated source\nlanguage: en\nkind: book\nevents:\n")
        };
        match self {
            Shape::EmptyClaims => {
                let mut text = header("empty").replace("events:\n", "events: [");
                text.reserve(3 * n);
                for i in 0..n {
                    text.push_str(if i + 1 == n { "{}" } else { "{}," });
                }
                text.push_str("]\n");
                fs::write(root.join("sources/empty.yaml"), text)?;
            }
            Shape::RuleBreakers => {
                for file in ["a", "b", "c"] {
                    let mut text = header(file);
                    text.reserve(70 * n);
                    // Each claim at its own locator: the same claim twice would be a
                    // `duplicate-claim` on top of the three rules it is meant to break.
                    for i in 0..n {
                        let _ = writeln!(
                            text,
                            "  - {{event: no-such-event, date: not a date, title: t, locator: p{i}, x: 1}}"
                        );
                    }
                    fs::write(root.join(format!("sources/{file}.yaml")), text)?;
                }
            }
            Shape::SharedAlias => {
                for i in 0..n {
                    let _ = write!(
                        people,
                        "  - id: person-{i}\n    names: {{ en: Person {i} }}\n    aliases: [The General]\n"
                    );
                }
                let mut text = header("alias");
                for i in 0..(n / 100).max(1) {
                    let _ = writeln!(
                        text,
                        "  - {{event: landing, date: 10 July 1943, title: t, locator: p{i}, actors: [The General]}}"
                    );
                }
                fs::write(root.join("sources/alias.yaml"), text)?;
            }
            Shape::WithinChain => {
                for i in 0..n {
                    let parent = if i + 1 == n {
                        "europe".to_owned()
                    } else {
                        format!("p{}", i + 1)
                    };
                    let _ = write!(
                        places,
                        "  - id: p{i}\n    names: {{ en: Place {i} }}\n    kind: area\n    within: {parent}\n"
                    );
                }
                events.push_str("  - id: far\n    names: { en: Far away }\n    date: \"1943-07-10\"\n    region: asia\n");
                let mut text = header("chain");
                for i in 0..1000 {
                    let event = if i % 2 == 0 { "landing" } else { "far" };
                    let _ = writeln!(
                        text,
                        "  - {{event: {event}, date: 10 July 1943, title: t, locator: p{i}, places: [p0]}}"
                    );
                }
                fs::write(root.join("sources/chain.yaml"), text)?;
            }
            Shape::OneEvent => {
                for i in 0..n {
                    let date = if i % 1000 == 999 {
                        "1 January 1944"
                    } else {
                        "10 July 1943"
                    };
                    let mut text = header(&format!("s{i}"));
                    let _ = writeln!(
                        text,
                        "  - {{event: landing, date: {date}, title: t, locator: p}}"
                    );
                    fs::write(root.join(format!("sources/s{i}.yaml")), text)?;
                }
            }
        }
        fs::write(authority.join("places.yaml"), places)?;
        fs::write(authority.join("events.yaml"), events)?;
        fs::write(authority.join("people.yaml"), people)?;
        Ok(())
    }
}

/// `xtask gen-shape NAME N DIR`: writes one shape of size `N` into `DIR` (created).
pub(crate) fn run(args: &[String]) -> Result<std::process::ExitCode, String> {
    let [name, n, dir] = args else {
        return Err("usage: cargo xtask gen-shape NAME N DIR".to_owned());
    };
    let shape = Shape::ALL
        .into_iter()
        .find(|s| s.name() == name)
        .ok_or_else(|| format!("no shape is named {name}"))?;
    let n: usize = n.parse().map_err(|_| format!("not a size: {n}"))?;
    let dir = Path::new(dir);
    fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    shape
        .write(dir, n)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(std::process::ExitCode::SUCCESS)
}
