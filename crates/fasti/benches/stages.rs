//! Cost of each stage of `fasti validate` per event, one thread, in process: read, parse,
//! schema, typed extraction, normalization (dates and names), per-source rules, cross-source
//! rules and suppressions.
//!
//! Run with `cargo bench -p fasti --bench stages`. The corpus is `$FASTI_BENCH_CORPUS` (a
//! directory with `sources/`, e.g. one `cargo xtask bench` generated: `$TMPDIR/fasti-bench/100k-yaml`);
//! without it, `$TMPDIR/fasti-bench/10k-yaml` when present, else the repository's own dataset.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use fasti_ingest::model::{AuthorityRecord, SourceRecord};
use fasti_ingest::{
    Config, FileKind, Format, Limits, ReadOutcome, discover, load_config, parse, read_file,
};
use fasti_normalize::dataset::{Authority, normalize_source};
use fasti_validate::schema::Schemas;
use fasti_validate::{Context, Settings, check_source, finish};

fn corpus() -> PathBuf {
    if let Some(dir) = std::env::var_os("FASTI_BENCH_CORPUS") {
        return PathBuf::from(dir);
    }
    let generated = std::env::temp_dir().join("fasti-bench/10k-yaml");
    if generated.join("sources").is_dir() {
        return generated;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn main() {
    let root = corpus();
    let config: Config = load_config(&root)
        .ok()
        .flatten()
        .map(|(config, _)| config)
        .unwrap_or_default();
    let settings = Settings::from_config(&config);
    let limits = Limits::default();
    let schemas = Schemas::bundled().expect("bundled schemas compile");
    let discovery = discover(&root, &[root.join("sources")]);
    let (authority_files, source_files): (Vec<_>, Vec<_>) = discovery
        .files
        .into_iter()
        .partition(|f| f.kind == FileKind::Authority);
    let records = authority_files
        .iter()
        .filter_map(|file| {
            let ReadOutcome::Text(text) = read_file(file, &limits) else {
                return None;
            };
            let value = parse(&file.name, Format::of(&file.path), &text, &limits).value?;
            Some((file.name.clone(), AuthorityRecord::from_value(value)))
        })
        .collect();
    let authority = Authority::build(records);
    let context = Context {
        authority: &authority,
        settings: &settings,
    };

    let mut times = Vec::new();
    let mut stage = |name: &'static str, start: Instant| {
        times.push((name, start.elapsed().as_secs_f64()));
        Instant::now()
    };
    let mut t = Instant::now();
    let texts: Vec<String> = source_files
        .iter()
        .filter_map(|file| match read_file(file, &limits) {
            ReadOutcome::Text(text) => Some(text),
            ReadOutcome::Unreadable { .. } => None,
        })
        .collect();
    t = stage("read", t);
    let values: Vec<_> = source_files
        .iter()
        .zip(&texts)
        .map(|(file, text)| parse(&file.name, Format::of(&file.path), text, &limits).value)
        .collect();
    t = stage("parse", t);
    let mut found = 0;
    for (file, value) in source_files.iter().zip(&values) {
        if let Some(value) = value {
            found += schemas.check(file.kind, &file.name, value).len();
        }
    }
    t = stage("schema", t);
    let records: Vec<_> = values
        .into_iter()
        .map(|value| value.map(SourceRecord::from_value))
        .collect();
    t = stage("extract", t);
    let events: usize = records.iter().flatten().map(|r| r.claims.len()).sum();
    let sources: Vec<_> = source_files
        .iter()
        .zip(records)
        .filter_map(|(file, record)| Some(normalize_source(file.name.clone(), record?, &authority)))
        .collect();
    t = stage("normalize", t);
    let mut diagnostics = Vec::new();
    let mut summaries = Vec::new();
    for source in &sources {
        let (d, s) = check_source(source, &context);
        diagnostics.extend(d);
        summaries.push(s);
    }
    t = stage("source rules", t);
    drop(black_box(sources));
    t = stage("drop", t);
    let diagnostics = finish(diagnostics, &summaries, &context, true);
    stage("cross-source rules", t);

    println!(
        "corpus {}: {} files, {events} events; {found} schema findings, {} findings in all\n",
        root.display(),
        source_files.len(),
        diagnostics.len()
    );
    println!("| stage | s | ns/event | events/s |\n|---|---|---|---|");
    let total: f64 = times.iter().map(|(_, s)| s).sum();
    for (name, secs) in times.iter().chain([&("total", total)]) {
        println!(
            "| {name} | {secs:.3} | {:.0} | {:.0} |",
            secs * 1e9 / events.max(1) as f64,
            events as f64 / secs
        );
    }
}
