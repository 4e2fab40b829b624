//! `cargo xtask bench`: the release `fasti validate`, as a whole process, on generated corpora,
//! side by side with the parse-only floor and (with `--anchors`) the validators a user would
//! otherwise run. Method and results: `docs/performance.md`.
//!
//! ```text
//! cargo xtask bench [--sizes 10k,100k,1m] [--formats yaml,json] [--runs N] [--anchors]
//!                   [--write-docs] [--corpus DIR]  (default: fasti-bench in the temporary directory)
//! cargo xtask bench --shapes all|NAME,… [--runs N] [--corpus DIR]  (default: fasti-bench in the temporary directory)
//! ```
//!
//! `--shapes` measures instead the hostile shapes of `shapes.rs` (issue 15), each at a quarter,
//! half and all of the size reported there, under a 2 GiB address-space limit (`prlimit`): wall
//! time and peak memory should grow no faster than the input.
//!
//! Each round runs, one after the other: the floor (1 thread), `fasti` (2 threads), `fasti`
//! (1 thread), the floor (2 threads), then each anchor; ratios are taken within a round and their
//! median reported, so drifts of a shared machine's speed cancel. Wall time is read around the
//! whole process (start-up included); peak memory is `/usr/bin/time -f %M`.
//!
//! Hidden subcommand used by the bench (documented in `docs/performance.md`, not for users):
//! `xtask parse-floor json|yaml|ingest [-j N] DIR`: reads and parses every data file under DIR
//! and does nothing else: `json` is `serde_json::from_str::<Value>`, `yaml` is saphyr-parser's
//! events built into a `serde_json::Value` (the minimum any saphyr-based validator does),
//! `ingest` is fasti's own `fasti_ingest::parse` (events → Value with fasti's checks).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::gen_corpus;
use crate::shapes::Shape;

struct Args {
    sizes: Vec<(String, usize, usize)>,
    formats: Vec<String>,
    runs: Option<usize>,
    anchors: bool,
    write_docs: bool,
    corpus: PathBuf,
    shapes: Vec<Shape>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args {
        sizes: Vec::new(),
        formats: vec!["yaml".into(), "json".into()],
        runs: None,
        anchors: false,
        write_docs: false,
        corpus: std::env::temp_dir().join("fasti-bench"),
        shapes: Vec::new(),
    };
    let mut sizes = "10k,100k,1m".to_owned();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--sizes" => sizes = value()?,
            "--formats" => out.formats = value()?.split(',').map(str::to_owned).collect(),
            "--runs" => {
                out.runs = Some(
                    value()?
                        .parse()
                        .map_err(|_| "--runs: a number".to_owned())?,
                )
            }
            "--anchors" => out.anchors = true,
            "--write-docs" => out.write_docs = true,
            "--corpus" => out.corpus = PathBuf::from(value()?),
            "--shapes" => {
                let names = value()?;
                for name in names.split(',') {
                    match Shape::ALL.iter().find(|s| s.name() == name) {
                        Some(shape) => out.shapes.push(*shape),
                        None if name == "all" => out.shapes.extend(Shape::ALL),
                        None => {
                            return Err(format!(
                                "--shapes: all or one of {}, not {name}",
                                Shape::ALL.map(Shape::name).join(", ")
                            ));
                        }
                    }
                }
            }
            other => {
                return Err(format!(
                    "unknown argument {other}\nusage: cargo xtask bench [--sizes 10k,100k,1m] [--formats yaml,json] [--runs N] [--anchors] [--write-docs] [--corpus DIR] [--shapes all|NAME,…]"
                ));
            }
        }
    }
    for size in sizes.split(',') {
        let (sources, per) = match size {
            "10k" => (100, 100),
            "100k" => (100, 1000),
            "1m" => (1000, 1000),
            other => return Err(format!("--sizes: 10k, 100k or 1m, not {other}")),
        };
        out.sizes.push((size.to_owned(), sources, per));
    }
    for format in &out.formats {
        if format != "yaml" && format != "json" {
            return Err(format!("--formats: yaml or json, not {format}"));
        }
    }
    Ok(out)
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map_or_else(|| root.join("target"), |dir| root.join(dir))
}

/// One measured command.
struct Row {
    name: String,
    command: Vec<String>,
    env: Vec<(String, String)>,
    walls: Vec<f64>,
    rss_mib: Vec<f64>,
    exit: Option<i32>,
}

impl Row {
    fn new(name: &str, command: Vec<String>, env: &[(&str, &str)]) -> Row {
        Row {
            name: name.to_owned(),
            command,
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            walls: Vec::new(),
            rss_mib: Vec::new(),
            exit: None,
        }
    }
}

/// Where `/usr/bin/time` writes the peak RSS of a run: a file in the temporary directory.
fn rss_file() -> PathBuf {
    std::env::temp_dir().join("fasti-bench-rss.txt")
}

/// Runs a command as a whole process; returns (wall seconds, peak RSS MiB when known, exit).
fn run_once(
    row: &Row,
    cwd: &Path,
    log: &Path,
    time: bool,
) -> Result<(f64, Option<f64>, i32), String> {
    let log_file = fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut command = if time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%M", "-o"])
            .arg(rss_file())
            .args(&row.command);
        c
    } else {
        let mut c = Command::new(&row.command[0]);
        c.args(&row.command[1..]);
        c
    };
    command
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
        .stderr(log_file);
    for (k, v) in &row.env {
        command.env(k, v);
    }
    let start = Instant::now();
    let status = command
        .status()
        .map_err(|e| format!("cannot run {}: {e}", row.command[0]))?;
    let wall = start.elapsed().as_secs_f64();
    let rss = if time {
        fs::read_to_string(rss_file())
            .ok()
            .and_then(|t| t.split_whitespace().last()?.parse::<f64>().ok())
            .map(|kib| kib / 1024.0)
    } else {
        None
    };
    Ok((wall, rss, status.code().unwrap_or(-1)))
}

fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        })
}

fn secs(x: f64) -> String {
    if x.is_nan() {
        "–".into()
    } else if x < 10.0 {
        format!("{x:.3}")
    } else {
        format!("{x:.1}")
    }
}

fn thousands(x: f64) -> String {
    let n = x.round() as u64;
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The anchors installed by `../shared/perf/anchors.sh install` (beside the repository), or by hand.
struct Anchors {
    ajv: Option<PathBuf>,
    jsonschema_cli: Option<PathBuf>,
    check_jsonschema: Option<PathBuf>,
}

fn find_anchors() -> Anchors {
    let anchors = std::env::var_os("ANCHORS")
        .map_or_else(|| std::env::temp_dir().join("anchors"), PathBuf::from);
    let tools = std::env::var_os("CARGO_TOOLS")
        .map_or_else(|| std::env::temp_dir().join("cargo-tools"), PathBuf::from);
    let exists = |p: PathBuf| p.is_file().then_some(p);
    Anchors {
        ajv: exists(anchors.join("npm/node_modules/.bin/ajv")),
        jsonschema_cli: exists(tools.join("bin/jsonschema-cli")),
        check_jsonschema: exists(anchors.join("venv/bin/check-jsonschema")),
    }
}

/// fasti's schemas as one self-contained file, for tools that would otherwise try to fetch
/// `common.schema.json` from its `$id`: the shared `$defs` are copied in and the references
/// made local.
fn bundled_schema(root: &Path, out: &Path) -> Result<PathBuf, String> {
    let read = |name: &str| {
        fs::read_to_string(root.join("schema").join(name)).map_err(|e| format!("{name}: {e}"))
    };
    let source = read("source.schema.json")?;
    let common = read("common.schema.json")?;
    // The common `$defs` object's body, spliced in front of the source's own `$defs`.
    let start = common
        .find("\"$defs\": {")
        .ok_or("common.schema.json: no $defs")?
        + "\"$defs\": {".len();
    let end = common
        .rfind('}')
        .ok_or("common.schema.json: not an object")?;
    let body = common[start..end].trim_end();
    let body = body
        .strip_suffix('}')
        .ok_or("common.schema.json: unexpected shape")?;
    let bundled = source
        .replace("common.schema.json#/$defs/", "#/$defs/")
        .replacen("\"$defs\": {", &format!("\"$defs\": {{{body},"), 1);
    let path = out.join("source.bundled.schema.json");
    fs::write(&path, bundled).map_err(|e| e.to_string())?;
    Ok(path)
}

struct Corpus {
    dir: PathBuf,
    files: usize,
    events: usize,
    bytes: u64,
    source_files: Vec<String>,
}

const SEED: u64 = 1943;

fn corpus(
    xtask: &Path,
    base: &Path,
    size: &str,
    sources: usize,
    per: usize,
    format: &str,
) -> Result<Corpus, String> {
    let dir = base.join(format!("{size}-{format}"));
    let marker = dir.join("corpus.json");
    // Regenerated when the generator changes (its binary is newer than the corpus).
    let stale = match (fs::metadata(&marker), fs::metadata(xtask)) {
        (Ok(m), Ok(x)) => match (m.modified(), x.modified()) {
            (Ok(m), Ok(x)) => m < x,
            _ => true,
        },
        _ => true,
    };
    if stale {
        eprintln!(
            "== generating {} ({sources} sources × {per} events, {format})",
            dir.display()
        );
        let status = Command::new(xtask)
            .args(["gen-corpus", "--sources", &sources.to_string()])
            .args(["--events-per-source", &per.to_string()])
            .args(["--seed", &SEED.to_string(), "--format", format, "--out"])
            .arg(&dir)
            .status()
            .map_err(|e| format!("cannot run gen-corpus: {e}"))?;
        if !status.success() {
            return Err("gen-corpus failed".into());
        }
    }
    let manifest = fs::read_to_string(&marker).map_err(|e| e.to_string())?;
    let field = |name: &str| -> u64 {
        manifest
            .split(&format!("\"{name}\": "))
            .nth(1)
            .and_then(|rest| rest.split([',', '\n']).next())
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    };
    let mut source_files: Vec<String> = fs::read_dir(dir.join("sources"))
        .map_err(|e| e.to_string())?
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.ends_with(&format!(".{format}"))
                .then(|| format!("sources/{name}"))
        })
        .collect();
    source_files.sort();
    Ok(Corpus {
        dir,
        files: field("files") as usize,
        events: field("events") as usize,
        bytes: field("bytes"),
        source_files,
    })
}

fn default_runs(size: &str) -> usize {
    match size {
        "10k" => 10,
        "100k" => 5,
        _ => 3,
    }
}

/// `cargo xtask bench ARGS`.
pub(crate) fn run(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let args = parse_args(args)?;
    let target = target_dir(root);
    eprintln!(
        "== cargo build --release -p fasti -p xtask (target {})",
        target.display()
    );
    let status = crate::cargo()
        .args([
            "build",
            "--release",
            "--locked",
            "-p",
            "fasti",
            "-p",
            "xtask",
        ])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("release build failed".into());
    }
    let fasti = target.join("release/fasti");
    let xtask = target.join("release/xtask");
    let time_ok = Path::new("/usr/bin/time").is_file();
    if !time_ok {
        eprintln!(
            "notice: /usr/bin/time is not installed: peak memory is not measured (apt-get install time)"
        );
    }
    fs::create_dir_all(&args.corpus).map_err(|e| e.to_string())?;
    gen_corpus::refuse_inside(root, &args.corpus)?;
    let anchors = if args.anchors {
        let found = find_anchors();
        for (name, tool) in [
            ("ajv-cli", &found.ajv),
            ("jsonschema-cli", &found.jsonschema_cli),
            ("check-jsonschema", &found.check_jsonschema),
        ] {
            if tool.is_none() {
                eprintln!(
                    "notice: anchor {name} is not installed: skipped (bash ../shared/perf/anchors.sh install)"
                );
            }
        }
        Some(found)
    } else {
        None
    };
    let logs = args.corpus.join("logs");
    fs::create_dir_all(&logs).map_err(|e| e.to_string())?;
    if !args.shapes.is_empty() {
        return run_shapes(&fasti, &args, &logs, time_ok);
    }
    let schema = bundled_schema(root, &args.corpus)?;

    let mut tables = String::new();
    let mut summary = String::new();
    for (size, sources, per) in &args.sizes {
        for format in &args.formats {
            let corpus = corpus(&xtask, &args.corpus, size, *sources, *per, format)?;
            let runs = args.runs.unwrap_or_else(|| default_runs(size));
            let dir = corpus.dir.to_string_lossy().into_owned();
            let report = logs.join(format!("fasti-{size}-{format}.json"));
            let fasti_cmd = vec![
                fasti.to_string_lossy().into_owned(),
                "validate".into(),
                format!("{dir}/sources"),
                "--root".into(),
                dir.clone(),
                "--format".into(),
                "json".into(),
                "--output".into(),
                format!("json={}", report.display()),
            ];
            let floor_kind = if format == "json" { "json" } else { "yaml" };
            let floor = |threads: &str| {
                vec![
                    xtask.to_string_lossy().into_owned(),
                    "parse-floor".into(),
                    floor_kind.into(),
                    "-j".into(),
                    threads.into(),
                    format!("{dir}/sources"),
                ]
            };
            let mut rows = vec![
                Row::new("parse-only floor, 1 thread", floor("1"), &[]),
                Row::new(
                    "**fasti validate, 2 threads**",
                    fasti_cmd.clone(),
                    &[("RAYON_NUM_THREADS", "2")],
                ),
                Row::new(
                    "fasti validate, 1 thread",
                    fasti_cmd,
                    &[("RAYON_NUM_THREADS", "1")],
                ),
                Row::new("parse-only floor, 2 threads", floor("2"), &[]),
                Row::new(
                    "fasti_ingest::parse only, 1 thread",
                    vec![
                        xtask.to_string_lossy().into_owned(),
                        "parse-floor".into(),
                        "ingest".into(),
                        "-j".into(),
                        "1".into(),
                        format!("{dir}/sources"),
                    ],
                    &[],
                ),
            ];
            if let Some(anchors) = &anchors {
                let schema = schema.to_string_lossy().into_owned();
                if let Some(ajv) = &anchors.ajv {
                    rows.push(Row::new(
                        "ajv-cli (first error per file)",
                        vec![
                            ajv.to_string_lossy().into_owned(),
                            "validate".into(),
                            "--spec=draft2020".into(),
                            "-c".into(),
                            "ajv-formats".into(),
                            "-s".into(),
                            schema.clone(),
                            "-d".into(),
                            format!("sources/*.{format}"),
                        ],
                        &[],
                    ));
                }
                if let Some(cli) = &anchors.jsonschema_cli {
                    let mut command = vec![
                        cli.to_string_lossy().into_owned(),
                        "validate".into(),
                        schema.clone(),
                        "--assert-format".into(),
                        "-d".into(),
                        "2020".into(),
                    ];
                    for file in &corpus.source_files {
                        command.push("-i".into());
                        command.push(file.clone());
                    }
                    rows.push(Row::new("jsonschema-cli", command, &[]));
                }
                // Two orders of magnitude slower: 10k and 100k events only.
                if let Some(check) = &anchors.check_jsonschema
                    && size != "1m"
                {
                    let mut command = vec![
                        check.to_string_lossy().into_owned(),
                        "--schemafile".into(),
                        schema.clone(),
                    ];
                    command.extend(corpus.source_files.iter().cloned());
                    rows.push(Row::new("check-jsonschema", command, &[]));
                }
            }
            eprintln!(
                "== {size} {format}: {runs} rounds of {} commands",
                rows.len()
            );
            // Warm the page cache.
            run_once(&rows[0], &corpus.dir, &logs.join("warm.log"), false)?;
            for round in 0..runs {
                for (i, row) in rows.iter_mut().enumerate() {
                    // check-jsonschema is slow: at most 3 runs.
                    if row.name == "check-jsonschema" && round >= 3 {
                        continue;
                    }
                    let log = logs.join(format!("{size}-{format}-{i}.log"));
                    let (wall, rss, exit) = run_once(row, &corpus.dir, &log, time_ok)?;
                    row.walls.push(wall);
                    row.rss_mib.extend(rss);
                    row.exit = Some(exit);
                }
                eprintln!(
                    "   round {}: floor {:.3} s, fasti(2) {:.3} s, fasti(1) {:.3} s",
                    round + 1,
                    rows[0].walls[round],
                    rows[1].walls[round],
                    rows[2].walls[round]
                );
            }
            let paired = |a: usize, b: usize| -> Vec<f64> {
                rows[a]
                    .walls
                    .iter()
                    .zip(&rows[b].walls)
                    .map(|(x, y)| x / y)
                    .collect()
            };
            let mut table = String::new();
            let _ = writeln!(
                table,
                "\n#### {size} {format}: {} files, {} events, {:.1} MB\n",
                corpus.files,
                thousands(corpus.events as f64),
                corpus.bytes as f64 / 1e6
            );
            let _ = writeln!(
                table,
                "| command | runs | wall s, median (min–max) | × floor (1 thread), paired median | events/s | MB/s | peak RSS MiB | exit |\n|---|---|---|---|---|---|---|---|"
            );
            for (i, row) in rows.iter().enumerate() {
                let m = median(&row.walls);
                let (lo, hi) = min_max(&row.walls);
                let ratio = median(&paired(i, 0));
                let rss = row.rss_mib.iter().copied().fold(f64::NAN, f64::max);
                let _ = writeln!(
                    table,
                    "| {} | {} | {} ({}–{}) | {:.2} | {} | {:.1} | {} | {} |",
                    row.name,
                    row.walls.len(),
                    secs(m),
                    secs(lo),
                    secs(hi),
                    ratio,
                    thousands(corpus.events as f64 / m),
                    corpus.bytes as f64 / 1e6 / m,
                    if rss.is_nan() {
                        "–".into()
                    } else {
                        format!("{rss:.0}")
                    },
                    row.exit.map_or("–".into(), |c| c.to_string()),
                );
            }
            let speedup = median(&paired(2, 1));
            let vs_floor1 = median(&paired(1, 0));
            let vs_floor2 = median(&paired(1, 3));
            let ajv = rows
                .iter()
                .position(|r| r.name.starts_with("ajv"))
                .map(|i| median(&paired(i, 1)));
            let cli = rows
                .iter()
                .position(|r| r.name == "jsonschema-cli")
                .map(|i| median(&paired(i, 1)));
            let rss = rows[1].rss_mib.iter().copied().fold(f64::NAN, f64::max);
            let _ = writeln!(
                summary,
                "| {size} | {format} | {} | {} | {:.1} | {} | {} | {:.2} | {:.2} | {:.2} | {} | {} |",
                secs(median(&rows[1].walls)),
                thousands(corpus.events as f64 / median(&rows[1].walls)),
                corpus.bytes as f64 / 1e6 / median(&rows[1].walls),
                if rss.is_nan() {
                    "–".into()
                } else {
                    format!("{rss:.0}")
                },
                secs(median(&rows[0].walls)),
                vs_floor1,
                vs_floor2,
                speedup,
                ajv.map_or("–".into(), |r| format!("{r:.2}")),
                cli.map_or("–".into(), |r| format!("{r:.2}")),
            );
            print!("{table}");
            tables.push_str(&table);
        }
    }
    let header = "| size | format | fasti wall s (2 threads) | events/s | MB/s | peak RSS MiB | floor s (1 thread) | × floor 1 thread | × floor 2 threads | speed-up 1→2 threads | ajv-cli ÷ fasti | jsonschema-cli ÷ fasti |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    let machine = machine();
    let out = format!(
        "{machine}\nCommand: `cargo xtask bench {}`\n\n### Summary (medians of paired ratios)\n\n{header}{summary}\n### All commands\n{tables}",
        std::env::args().skip(2).collect::<Vec<_>>().join(" ")
    );
    println!("\n### Summary\n\n{header}{summary}");
    fs::write(args.corpus.join("results.md"), &out).map_err(|e| e.to_string())?;
    if args.write_docs {
        write_docs(root, &out)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or_else(|| "?".into(), |kib| format!("{:.0}", kib / 1024.0 / 1024.0));
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("Machine: {cpu}, {cores} cores, {mem} GiB; {rustc}.")
}

const BEGIN: &str = "<!-- bench:begin (generated by `cargo xtask bench --write-docs`) -->";
const END: &str = "<!-- bench:end -->";

fn write_docs(root: &Path, generated: &str) -> Result<(), String> {
    let path = root.join("docs/performance.md");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (Some(start), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        return Err(format!("{}: no bench markers", path.display()));
    };
    let updated = format!("{}{BEGIN}\n{generated}\n{}", &text[..start], &text[end..]);
    crate::write_atomically(&path, updated.as_bytes())?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The parse-only floor

/// `xtask parse-floor json|yaml|ingest [-j N] DIR`.
pub(crate) fn parse_floor(args: &[String]) -> Result<ExitCode, String> {
    let mut threads = 1usize;
    let mut kind = None;
    let mut dir = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-j" => {
                threads = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("-j needs a number")?;
            }
            "json" | "yaml" | "ingest" if kind.is_none() => kind = Some(arg.clone()),
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let (Some(kind), Some(dir)) = (kind, dir) else {
        return Err("usage: xtask parse-floor json|yaml|ingest [-j N] DIR".into());
    };
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    let next = AtomicUsize::new(0);
    let parsed = AtomicUsize::new(0);
    let limits = fasti_ingest::Limits::default();
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let Ok(text) = fs::read_to_string(path) else {
                        continue;
                    };
                    let ok = match kind.as_str() {
                        "json" => serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                        "yaml" => yaml_to_value(&text).is_some(),
                        _ => {
                            let name: fasti_ingest::FileName =
                                path.to_string_lossy().into_owned().into();
                            fasti_ingest::parse(
                                &name,
                                fasti_ingest::Format::of(path),
                                &text,
                                &limits,
                            )
                            .value
                            .is_some()
                        }
                    };
                    if ok {
                        parsed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    println!("{} of {} files parsed", parsed.into_inner(), files.len());
    Ok(ExitCode::SUCCESS)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

/// saphyr-parser's events into a `serde_json::Value`, scalars typed by the YAML 1.2 core
/// schema: the least a saphyr-based reader does.
fn yaml_to_value(text: &str) -> Option<serde_json::Value> {
    use saphyr::Scalar;
    use saphyr_parser::{Event, Parser};
    use serde_json::{Map, Value};
    enum Frame {
        Seq(Vec<Value>),
        Map(Map<String, Value>, Option<String>),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;
    let mut parser = Parser::new_from_str(text);
    while let Some(event) = parser.next_event() {
        let (event, _) = event.ok()?;
        let value = match event {
            Event::Scalar(text, style, _, tag) => {
                if let Some(Frame::Map(_, key @ None)) = stack.last_mut() {
                    *key = Some(text.into_owned());
                    continue;
                }
                match Scalar::parse_from_cow_and_metadata(text, style, tag.as_ref()) {
                    Some(Scalar::Null) | None => Value::Null,
                    Some(Scalar::Boolean(b)) => Value::Bool(b),
                    Some(Scalar::Integer(i)) => Value::Number(i.into()),
                    Some(Scalar::FloatingPoint(f)) => serde_json::Number::from_f64(f.into_inner())
                        .map_or(Value::Null, Value::Number),
                    Some(Scalar::String(s)) => Value::String(s.into_owned()),
                }
            }
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq(Vec::new()));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push(Frame::Map(Map::new(), None));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop()? {
                Frame::Seq(items) => Value::Array(items),
                Frame::Map(map, _) => Value::Object(map),
            },
            Event::Alias(_) => Value::Null,
            _ => continue,
        };
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Seq(items)) => items.push(value),
            Some(Frame::Map(map, key)) => {
                if let Some(key) = key.take() {
                    map.insert(key, value);
                }
            }
        }
    }
    root
}

/// The address space fasti may use in `--shapes` runs: the 2 GiB of issue 15's reports.
const SHAPE_MEMORY_LIMIT: u64 = 2 << 30;

/// `cargo xtask bench --shapes …`: each shape at ¼, ½ and all of its full size.
fn run_shapes(fasti: &Path, args: &Args, logs: &Path, time_ok: bool) -> Result<ExitCode, String> {
    let runs = args.runs.unwrap_or(1);
    let prlimit = Path::new("/usr/bin/prlimit").is_file();
    if !prlimit {
        eprintln!(
            "notice: prlimit is not installed: runs are not limited to 2 GiB (apt-get install util-linux)"
        );
    }
    let mut table = String::from(
        "| shape | size | MB | wall s, median | µs per unit | peak RSS MiB | exit |\n|---|---|---|---|---|---|---|\n",
    );
    for shape in &args.shapes {
        let full = shape.full_size();
        for n in [full / 4, full / 2, full] {
            let dir = args.corpus.join(format!("shape-{}-{n}", shape.name()));
            let marker = dir.join("written");
            if !marker.is_file() {
                eprintln!("== writing {}", dir.display());
                let _ = fs::remove_dir_all(&dir);
                fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
                shape
                    .write(&dir, n)
                    .map_err(|e| format!("{}: {e}", dir.display()))?;
                fs::write(&marker, "").map_err(|e| e.to_string())?;
            }
            let bytes = directory_bytes(&dir.join("sources"));
            let mut command = Vec::new();
            if prlimit {
                command.push("/usr/bin/prlimit".to_owned());
                command.push(format!("--as={SHAPE_MEMORY_LIMIT}"));
            }
            let report = logs.join(format!("shape-{}-{n}.json", shape.name()));
            command.extend([
                fasti.to_string_lossy().into_owned(),
                "validate".into(),
                "--root".into(),
                dir.to_string_lossy().into_owned(),
                "--format".into(),
                "json".into(),
                "--output".into(),
                format!("json={}", report.display()),
            ]);
            let mut row = Row::new(shape.name(), command, &[]);
            for _ in 0..runs {
                let log = logs.join(format!("shape-{}-{n}.log", shape.name()));
                let (wall, rss, exit) = run_once(&row, &dir, &log, time_ok)?;
                row.walls.push(wall);
                row.rss_mib.extend(rss);
                row.exit = Some(exit);
            }
            let wall = median(&row.walls);
            let rss = row.rss_mib.iter().copied().fold(f64::NAN, f64::max);
            let line = format!(
                "| {} | {} | {:.1} | {} | {:.1} | {} | {} |",
                shape.name(),
                thousands(n as f64),
                bytes as f64 / 1e6,
                secs(wall),
                wall * 1e6 / n as f64,
                if rss.is_nan() {
                    "–".to_owned()
                } else {
                    format!("{rss:.0}")
                },
                row.exit.map_or("–".to_owned(), |e| e.to_string()),
            );
            eprintln!("{line}");
            table.push_str(&line);
            table.push('\n');
        }
    }
    println!("{table}");
    Ok(ExitCode::SUCCESS)
}

/// Total size of the files under `dir`, recursively.
fn directory_bytes(dir: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => directory_bytes(&entry.path()),
            _ => entry.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}
