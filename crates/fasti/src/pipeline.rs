use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule, Span, Status};
use fasti_ingest::model::{AuthorityRecord, SourceRecord};
use fasti_ingest::{
    DataFile, FileKind, FileName, Format, Limits, Outline, ReadOutcome, SpanIndex, discover,
    load_config, parse, read_file, read_schema_dir,
};
use fasti_normalize::dataset::{Authority, Ref, Source, normalize_source_in};
use fasti_report::{Dataset, Files, Summary};

use crate::collect::{self, EntryNames, SourceText};
use fasti_validate::schema::Schemas;
use fasti_validate::{
    Context, Settings, SourceSummary, check_authority, check_source, finish, record_order,
};
use rayon::prelude::*;

/// What to check, and how.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// The repository root: where `fasti.toml`, `schema/` and `sources/` are looked for, and what
    /// file names are shown relative to.
    pub root: PathBuf,
    /// Files and directories to check; empty means `<root>/sources`.
    pub paths: Vec<PathBuf>,
    /// Apply the adjudications recorded in the authority (`--no-adjudications` turns this off).
    pub adjudicate: bool,
}

/// The result of a run: findings sorted and located, the text of the files they point into.
#[derive(Debug)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub files: Files,
    pub summary: Summary,
    /// For each file, the authority files its records reference (resolved references only):
    /// `--changed-since` reports findings in the files that reference a changed file.
    pub references: References,
    /// Paths named to be checked that do not exist: the run could not check what was asked.
    pub missing: Vec<PathBuf>,
    /// The normalized claims and the authority as rows, when asked for
    /// ([`check_with_dataset`]).
    pub dataset: Option<Dataset>,
}

/// File name → the other files its records reference.
pub type References = BTreeMap<FileName, BTreeSet<FileName>>;

/// Texts that stand in for files on disk, by file name (relative to the root, `/`-separated):
/// an editor's unsaved buffers. A file in the overlay is checked with this text instead of what
/// is on disk; it must still exist on disk to be found (an editor's new, unsaved file is not
/// part of the dataset until it is saved).
pub type Overlay = BTreeMap<FileName, Arc<str>>;

impl Outcome {
    /// How the run ends: like [`fasti_report::exit_status`], except that a file fasti failed on
    /// (an `internal-error`) makes it 2, "could not run", whatever else was found.
    pub fn exit_status(&self, deny_warnings: bool) -> fasti_report::ExitStatus {
        if !self.missing.is_empty()
            || self
                .diagnostics
                .iter()
                .any(|diagnostic| diagnostic.rule == Rule::InternalError)
        {
            fasti_report::ExitStatus::Error
        } else {
            fasti_report::exit_status(&self.diagnostics, deny_warnings)
        }
    }
}

/// fasti could not check the dataset at all (exit code 2).
#[derive(Debug)]
pub struct RunError {
    pub diagnostics: Vec<Diagnostic>,
    pub files: Files,
}

/// The repository root for a working directory: the nearest ancestor with a `fasti.toml`, else
/// the nearest with a `sources/` directory, else the directory itself.
pub fn find_root(start: &Path) -> PathBuf {
    let ancestors = || start.ancestors();
    ancestors()
        .find(|dir| dir.join("fasti.toml").is_file())
        .or_else(|| ancestors().find(|dir| dir.join("sources").is_dir()))
        .unwrap_or(start)
        .to_path_buf()
}

/// Runs the pipeline on the dataset.
///
/// When `options.paths` names files (not only directories), the whole dataset is checked, as
/// the named files' findings depend on the other files, and only the findings that involve a
/// named path are kept: in it, or naming it as a related place or as where an adjudication is.
pub fn check(options: &CheckOptions) -> Result<Outcome, RunError> {
    check_with(options, &Overlay::new(), None)
}

/// Runs the pipeline and also keeps the normalized claims and the authority as rows
/// ([`Outcome::dataset`]), for the `html` timeline and `fasti export`. This reads every file
/// twice: once to check it, once for the line of each record.
pub fn check_with_dataset(options: &CheckOptions) -> Result<Outcome, RunError> {
    focused(options, &Overlay::new(), None, true)
}

/// [`check`], with the texts of `overlay` in place of the files on disk, and with what an
/// earlier run left in `reuse` (`fasti server`: the open buffers, and the results of the files
/// an edit did not change).
pub fn check_with(
    options: &CheckOptions,
    overlay: &Overlay,
    reuse: Option<&mut Reuse>,
) -> Result<Outcome, RunError> {
    focused(options, overlay, reuse, false)
}

/// The whole dataset is checked when `options.paths` names files; only the findings that
/// involve them are kept.
fn focused(
    options: &CheckOptions,
    overlay: &Overlay,
    reuse: Option<&mut Reuse>,
    keep_dataset: bool,
) -> Result<Outcome, RunError> {
    let Some(focus) = focus(options)? else {
        return check_paths(options, overlay, reuse, None, keep_dataset);
    };
    let mut whole = options.clone();
    whole.paths = focus.iter().map(|(_, path)| path.clone()).collect();
    whole.paths.push(options.root.join("sources"));
    let names: Vec<&str> = focus.iter().map(|(name, _)| &**name).collect();
    check_paths(&whole, overlay, reuse, Some(&names), keep_dataset)
}

/// What a run keeps for the next one: the authority, and each source's result with a hash of
/// the text it came from. A source is checked again only when its text changed or the
/// authority did; the authority only when one of its files changed. The configuration and the
/// schemas are not part of the key: whoever keeps a `Reuse` starts a new one when they change.
#[derive(Default)]
pub struct Reuse {
    authority: Option<ReusedAuthority>,
    sources: BTreeMap<FileName, (u64, SourceResult)>,
}

struct ReusedAuthority {
    key: u64,
    read: Vec<(Processed<()>, bool)>,
    authority: Arc<Authority>,
    findings: Vec<Diagnostic>,
}

fn text_hash(name: &str, text: &str) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(name.as_bytes());
    hasher.update(&[0]);
    hasher.update(text.as_bytes());
    hasher.digest()
}

/// The paths findings are kept for, when `options.paths` names a file: each path's name (as
/// findings name files) and the path. A path outside the repository is refused: its references
/// would be resolved against an authority it does not belong to.
fn focus(options: &CheckOptions) -> Result<Option<Vec<(String, PathBuf)>>, RunError> {
    if !options.paths.iter().any(|path| path.is_file()) {
        return Ok(None);
    }
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let mut focus = Vec::new();
    for path in &options.paths {
        if path.symlink_metadata().is_err() {
            // Not there at all: reported as missing (exit 2) by the run, not as out of the
            // repository.
            let name = path.strip_prefix(&options.root).unwrap_or(path);
            focus.push((name.display().to_string(), path.clone()));
            continue;
        }
        let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
        let Ok(relative) = canonical.strip_prefix(&root) else {
            let name: FileName = Arc::from(path.display().to_string());
            let diagnostic = Diagnostic::new(
                Rule::UnreadableFile,
                format!(
                    "`{}` is outside the repository that fasti checks; its names and dates can \
                     only be checked against the authority of its own repository",
                    path.display()
                ),
                Label::new(name, Anchor::File),
            )
            .with_help("run fasti in the file's own repository, or give it with `--root`");
            return Err(RunError {
                diagnostics: vec![diagnostic],
                files: Files::new(),
            });
        };
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        focus.push((name, path.clone()));
    }
    Ok(Some(focus))
}

/// Whether a finding is in, or names, one of `names` (files, or directories as a prefix).
fn involves(diagnostic: &Diagnostic, names: &[&str]) -> bool {
    labels(diagnostic).any(|label| {
        names.iter().any(|name| {
            name.is_empty()
                || *label.file == **name
                || label
                    .file
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    })
}

/// The pipeline. `focus`: keep only the findings that involve these names (files, or
/// directories as a prefix), before they are located, so that only those are. (The cap of
/// findings per file then counts the kept ones.)
fn check_paths(
    options: &CheckOptions,
    overlay: &Overlay,
    mut reuse: Option<&mut Reuse>,
    focus: Option<&[&str]>,
    keep_dataset: bool,
) -> Result<Outcome, RunError> {
    let root = &options.root;
    let config = match load_config(root) {
        Ok(config) => config.map(|(config, _)| config).unwrap_or_default(),
        Err(error) => return Err(config_error(error)),
    };
    let settings = Settings::from_config(&config);
    let limits = config.limits.clone();
    let schemas = load_schemas(root)?;

    let paths = if options.paths.is_empty() {
        let sources = root.join("sources");
        if let Ok(metadata) = sources.metadata()
            && !metadata.is_dir()
        {
            return Err(not_a_directory("sources", metadata.file_type()));
        }
        vec![sources]
    } else {
        options.paths.clone()
    };
    let missing: Vec<PathBuf> = options
        .paths
        .iter()
        .filter(|path| path.symlink_metadata().is_err())
        .cloned()
        .collect();
    let mut discovery = discover(root, &paths);
    if !discovery
        .files
        .iter()
        .any(|file| file.kind == FileKind::Authority)
    {
        let authority_dir = root.join("sources").join("authority");
        if authority_dir.is_dir() {
            let extra = discover(root, &[authority_dir]);
            discovery.files.extend(extra.files);
            discovery.diagnostics.extend(extra.diagnostics);
        }
    }
    let (authority_files, source_files): (Vec<DataFile>, Vec<DataFile>) = discovery
        .files
        .into_iter()
        .partition(|file| file.kind == FileKind::Authority);

    let mut kept = Files::new();
    let mut diagnostics = discovery.diagnostics;

    // The authority first: every source is normalized against it. With `reuse`, sources are not
    // parsed ahead: most of them are not parsed at all.
    let authority_key = reuse.as_ref().map(|_| {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for file in &authority_files {
            if let ReadOutcome::Text(text) = read_text(file, &limits, overlay) {
                hasher.update(&text_hash(&file.name, &text).to_le_bytes());
            }
        }
        hasher.digest()
    });
    let reused_authority = reuse
        .as_deref_mut()
        .and_then(|reuse| reuse.authority.take())
        .filter(|reused| Some(reused.key) == authority_key);
    let authority_changed = reused_authority.is_none();
    // A run that keeps the dataset (`check_with_dataset`) is never given a `reuse`, so the
    // authority's names are read whenever they are wanted.
    let (authority_read, authority, ahead, authority_findings, names) = match reused_authority {
        Some(reused) => (
            reused.read,
            reused.authority,
            Vec::new(),
            Some(reused.findings),
            None,
        ),
        None => {
            let ahead_of = if reuse.is_some() {
                &[][..]
            } else {
                &source_files[..]
            };
            let (read, authority, ahead, names) = read_authority_parsing_ahead(
                &authority_files,
                ahead_of,
                &limits,
                &schemas,
                overlay,
                keep_dataset,
            );
            (read, Arc::new(authority), ahead, None, names)
        }
    };
    if let (Some(reuse), Some(key)) = (reuse.as_deref_mut(), authority_key) {
        reuse.authority = Some(ReusedAuthority {
            key,
            read: authority_read.clone(),
            authority: authority.clone(),
            findings: Vec::new(),
        });
    }
    let authority: &Authority = &authority;
    let mut dropped = BTreeMap::new();
    let mut outlines = Outlines::new();
    let mut unread_authority = Vec::new();
    for (processed, unread) in authority_read {
        if unread {
            unread_authority.push(processed.name.clone());
        }
        dropped.insert(processed.name.clone(), processed.dropped);
        if let Some(outline) = processed.outline {
            outlines.insert(processed.name.clone(), outline);
        }
        diagnostics.extend(processed.diagnostics);
        if let Some(text) = processed.text {
            kept.insert(processed.name, text);
        }
    }
    let mut references = authority_references(authority);
    let context = Context {
        authority,
        settings: &settings,
    };
    let authority_findings = authority_findings.unwrap_or_else(|| check_authority(&context));
    if let Some(reused) = reuse.as_deref_mut().and_then(|r| r.authority.as_mut()) {
        reused.findings.clone_from(&authority_findings);
    }
    diagnostics.extend(authority_findings);

    let check_parsed = |file: &DataFile, processed: Processed<SourceRecord>| {
        let mut summary = None;
        let mut events = 0;
        let mut referenced = BTreeSet::new();
        let mut rows = None;
        let processed = isolate(file, || {
            let mut processed = processed;
            let Some(record) = processed.record.take() else {
                summary = Some(SourceSummary::unchecked(file.name.clone()));
                return processed.without_record();
            };
            events = record.claims.len();
            let text = keep_dataset.then(|| SourceText {
                title: record.title.clone(),
                language: record.language.clone(),
                claim_titles: record.claims.iter().map(|c| c.title.clone()).collect(),
            });
            let period = settings.period.as_ref().map(|(_, interval)| interval);
            let source = normalize_source_in(file.name.clone(), record, authority, period);
            referenced = source_references(&source, authority);
            let (found, source_summary) = check_source(&source, &context);
            summary = Some(source_summary);
            rows = text.map(|text| collect::source_rows(&source, text, authority));
            processed.diagnostics.extend(found);
            processed.keep_first(limits.max_findings_per_file);
            processed.without_record()
        });
        (processed, summary, events, referenced, rows)
    };
    let parsed_ahead = ahead.len();
    let mut results: Vec<SourceResult> = source_files[..parsed_ahead]
        .par_iter()
        .zip(ahead)
        .map(|(file, processed)| check_parsed(file, processed))
        .collect();
    let previous = match reuse.as_deref_mut() {
        Some(reuse) if !authority_changed => std::mem::take(&mut reuse.sources),
        _ => BTreeMap::new(),
    };
    let keep = reuse.is_some();
    let fresh: Vec<(Option<u64>, SourceResult)> = source_files[parsed_ahead..]
        .par_iter()
        .map(|file| {
            if !keep {
                let processed = isolate(file, || {
                    read_and_parse(file, &limits, &schemas, overlay, SourceRecord::from_value)
                });
                return (None, check_parsed(file, processed));
            }
            let text = read_text(file, &limits, overlay);
            let hash = match &text {
                ReadOutcome::Text(text) => Some(text_hash(&file.name, text)),
                ReadOutcome::Unreadable { .. } => None,
            };
            if let (Some(hash), Some((old, result))) = (hash, previous.get(&file.name))
                && hash == *old
            {
                return (Some(hash), result.clone());
            }
            let processed = isolate(file, || {
                parse_text(file, text, &schemas, &limits, SourceRecord::from_value)
            });
            (hash, check_parsed(file, processed))
        })
        .collect();
    drop(previous);
    for (hash, result) in fresh {
        if let (Some(reuse), Some(hash)) = (reuse.as_deref_mut(), hash) {
            reuse
                .sources
                .insert(result.0.name.clone(), (hash, result.clone()));
        }
        results.push(result);
    }
    let mut summaries = Vec::new();
    let mut events = 0;
    let mut dataset = Dataset::default();
    for (processed, summary, count, referenced, rows) in results {
        match rows {
            Some((source, claims)) => {
                dataset.sources.push(source);
                dataset.claims.extend(claims);
            }
            None if keep_dataset => dataset.unread.push(processed.name.to_string()),
            None => {}
        }
        dropped.insert(processed.name.clone(), processed.dropped);
        if let Some(outline) = processed.outline {
            outlines.insert(processed.name.clone(), outline);
        }
        if !referenced.is_empty() {
            references.insert(processed.name.clone(), referenced);
        }
        diagnostics.extend(processed.diagnostics);
        if let Some(text) = processed.text {
            kept.insert(processed.name, text);
        }
        summaries.extend(summary);
        events += count;
    }

    if !options.paths.is_empty() {
        // Sources this run was not asked to check are still part of the dataset: adjudications
        // naming them are neither unused nor unknown.
        let checked: BTreeSet<&str> = source_files.iter().map(|f| &*f.name).collect();
        let everything = discover(root, &[root.join("sources")]);
        summaries.extend(
            everything
                .files
                .into_iter()
                .filter(|f| f.kind == FileKind::Source && !checked.contains(&*f.name))
                .map(|f| SourceSummary::unchecked(f.name)),
        );
    }
    let mut diagnostics = finish(diagnostics, &summaries, &context, options.adjudicate);
    if !unread_authority.is_empty() {
        hold_unknown_references(&mut diagnostics, &unread_authority);
    }
    if let Some(names) = focus {
        diagnostics.retain(|diagnostic| involves(diagnostic, names));
    }
    let files_checked = authority_files.len() + source_files.len();
    let all_files: BTreeMap<&str, &DataFile> = authority_files
        .iter()
        .chain(&source_files)
        .map(|file| (&*file.name, file))
        .collect();
    locate(
        &mut diagnostics,
        &mut kept,
        &all_files,
        &outlines,
        root,
        &limits,
        overlay,
    );
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let diagnostics = cap_findings(diagnostics, &dropped, limits.max_findings_per_file);
    let (diagnostics, not_shown) = cap_run(diagnostics, limits.max_findings);
    kept.index_lines();
    let dataset = names.map(|names| {
        let unread = authority_files
            .iter()
            .filter(|f| !names.read.contains(&f.name));
        dataset.unread.extend(unread.map(|f| f.name.to_string()));
        dataset.unread.sort();
        collect::authority_rows(authority, &names, &mut dataset);
        collect::add_lines(&mut dataset, &all_files, &limits);
        dataset
    });
    Ok(Outcome {
        diagnostics,
        files: kept,
        summary: Summary {
            files: files_checked,
            events,
            not_shown,
        },
        references,
        missing,
        dataset,
    })
}

/// While an authority file cannot be read, a name missing from the authority may well be in
/// it: unknown references are consequences, not causes. They are left out, and the problem that
/// stopped the file says how many wait for it.
fn hold_unknown_references(diagnostics: &mut Vec<Diagnostic>, unread: &[FileName]) {
    let before = diagnostics.len();
    diagnostics.retain(|d| d.rule != Rule::UnknownReference);
    let held = before - diagnostics.len();
    if held == 0 {
        return;
    }
    let note = if held == 1 {
        "1 reference to the authority is not checked until this file reads".to_owned()
    } else {
        format!("{held} references to the authority are not checked until this file reads")
    };
    for diagnostic in diagnostics.iter_mut() {
        if diagnostic.rule.stops_checking() && unread.contains(&diagnostic.primary.file) {
            diagnostic.notes.push(note.clone());
        }
    }
}

/// Reads the authority files and builds the authority. Parsing a source needs no authority, so
/// meanwhile the pool's other threads parse sources ahead, in order, until it is built: the
/// authority is a single large file, and its 0.3 s in a million-event run would otherwise leave
/// every other core idle. Returns the authority files' results, the authority, and the first
/// sources parsed (with one thread: none); and, with `keep_names`, every entry's names.
fn read_authority_parsing_ahead(
    authority_files: &[DataFile],
    source_files: &[DataFile],
    limits: &Limits,
    schemas: &Schemas,
    overlay: &Overlay,
    keep_names: bool,
) -> AuthorityRead {
    let done = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let ((read, authority, names), ahead) = rayon::join(
        || {
            let _done = SetOnDrop(&done);
            let mut records = Vec::new();
            let read: Vec<(Processed<()>, bool)> = authority_files
                .iter()
                .map(|file| {
                    let mut processed = isolate(file, || {
                        read_and_parse(file, limits, schemas, overlay, AuthorityRecord::from_value)
                    });
                    let record = processed.record.take();
                    let unread = record.is_none();
                    if let Some(record) = record {
                        records.push((processed.name.clone(), record));
                    }
                    (processed.without_record(), unread)
                })
                .collect();
            let names = keep_names.then(|| collect::entry_names(&records));
            (read, Authority::build(records), names)
        },
        || {
            let mut ahead = Vec::new();
            while !done.load(Ordering::Acquire) {
                let Some(file) = source_files.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    break;
                };
                ahead.push(isolate(file, || {
                    read_and_parse(file, limits, schemas, overlay, SourceRecord::from_value)
                }));
            }
            ahead
        },
    );
    (read, authority, ahead, names)
}

/// The authority files that a source's resolved references point into.
fn source_references(source: &Source, authority: &Authority) -> BTreeSet<FileName> {
    // A source references a few files many times over: the distinct ones are gathered by
    // pointer first, then sorted (a set insert per reference was 3% of a run).
    let mut distinct: Vec<&FileName> = Vec::new();
    let mut add = |r: &Ref, entries: Entries| {
        if let Some(file) = r.entry().and_then(|i| entries.file(authority, i))
            && !distinct.iter().any(|seen| Arc::ptr_eq(seen, file))
        {
            distinct.push(file);
        }
    };
    for claim in &source.claims {
        for r in claim.event.iter().chain(&claim.part_of) {
            add(r, Entries::Events);
        }
        for r in claim
            .after
            .iter()
            .chain(&claim.before)
            .chain(&claim.caused_by)
        {
            add(r, Entries::Events);
        }
        for r in &claim.places {
            add(r, Entries::Places);
        }
        for r in &claim.actors {
            add(r, Entries::People);
        }
    }
    let mut files: BTreeSet<FileName> = distinct.into_iter().cloned().collect();
    files.remove(&source.file);
    files
}

/// For each authority file, the other authority files its entries reference.
fn authority_references(authority: &Authority) -> References {
    let mut references = References::new();
    let mut add = |from: &FileName, r: &Ref, entries: Entries| {
        if let Some(file) = r.entry().and_then(|i| entries.file(authority, i))
            && file != from
        {
            references
                .entry(from.clone())
                .or_default()
                .insert(file.clone());
        }
    };
    for place in &authority.places {
        if let Some(within) = &place.within {
            add(&place.at.file, within, Entries::Places);
        }
    }
    for event in &authority.events {
        let from = &event.at.file;
        if let Some(region) = &event.region {
            add(from, region, Entries::Places);
        }
        for r in event.part_of.iter().chain(&event.after) {
            add(from, r, Entries::Events);
        }
        for r in event.before.iter().chain(&event.caused_by) {
            add(from, r, Entries::Events);
        }
    }
    references
}

/// Which list of the authority a reference's entry index points into.
#[derive(Clone, Copy)]
enum Entries {
    People,
    Places,
    Events,
}

impl Entries {
    fn file(self, authority: &Authority, index: usize) -> Option<&FileName> {
        match self {
            Entries::People => authority.people.get(index).map(|e| &e.at.file),
            Entries::Places => authority.places.get(index).map(|e| &e.at.file),
            Entries::Events => authority.events.get(index).map(|e| &e.at.file),
        }
    }
}

/// The authority files' results, the authority, the sources parsed ahead, and the entries' names
/// when asked for.
type AuthorityRead = (
    // Each authority file as read, and whether its record could not be read at all.
    Vec<(Processed<()>, bool)>,
    Authority,
    Vec<Processed<SourceRecord>>,
    Option<EntryNames>,
);

/// A source's result: what was found in the file, what the cross-source rules need of it, its
/// number of events, and the authority files it references.
type SourceResult = (
    Processed<()>,
    Option<SourceSummary>,
    usize,
    BTreeSet<FileName>,
    Option<(
        fasti_report::dataset::SourceRow,
        Vec<fasti_report::dataset::ClaimRow>,
    )>,
);

/// Sets the flag when dropped, by a panic too: whoever waits on it stops waiting.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// One file's result: its findings, its text if they need it, and its typed record.
#[derive(Clone)]
struct Processed<T> {
    name: FileName,
    diagnostics: Vec<Diagnostic>,
    text: Option<Arc<str>>,
    record: Option<T>,
    /// Findings not kept because the file already had `max-findings-per-file`.
    dropped: usize,
    /// Where the file's records are (YAML), to locate findings in it later.
    outline: Option<Outline>,
}

/// The outline of each YAML file, by name.
type Outlines = BTreeMap<FileName, Outline>;

impl<T> Processed<T> {
    /// Nothing found yet, nothing kept.
    fn new(name: FileName) -> Processed<T> {
        Processed {
            name,
            diagnostics: Vec::new(),
            text: None,
            record: None,
            dropped: 0,
            outline: None,
        }
    }

    /// Keeps at most `limit` findings, the first by record (JSON pointer, indices compared as
    /// numbers), and counts the rest in `dropped`. Done as soon as a file is checked, so that a
    /// file whose every claim breaks rules holds `limit` findings, not millions, until the end of
    /// the run; [`cap_findings`] then summarizes what was dropped.
    fn keep_first(&mut self, limit: usize) {
        if self.diagnostics.len() <= limit {
            return;
        }
        // `limit-exceeded` findings say what was not checked: they are never dropped.
        let (mut kept, mut others): (Vec<_>, Vec<_>) = std::mem::take(&mut self.diagnostics)
            .into_iter()
            .partition(|d| d.rule == Rule::LimitExceeded);
        if others.len() > limit {
            others.select_nth_unstable_by(limit, record_order);
            self.dropped += others.len() - limit;
            others.truncate(limit);
        }
        kept.append(&mut others);
        self.diagnostics = kept;
    }

    fn without_record(self) -> Processed<()> {
        Processed {
            name: self.name,
            diagnostics: self.diagnostics,
            text: self.text,
            record: None,
            dropped: self.dropped,
            outline: self.outline,
        }
    }
}

/// Reads, parses and schema-checks a file, then extracts its typed record. The text is kept
/// only when there are findings to show in it.
fn read_and_parse<T>(
    file: &DataFile,
    limits: &Limits,
    schemas: &Schemas,
    overlay: &Overlay,
    extract: impl FnOnce(serde_json::Value) -> T,
) -> Processed<T> {
    parse_text(
        file,
        read_text(file, limits, overlay),
        schemas,
        limits,
        extract,
    )
}

/// [`read_and_parse`] once the file is read.
fn parse_text<T>(
    file: &DataFile,
    read: ReadOutcome,
    schemas: &Schemas,
    limits: &Limits,
    extract: impl FnOnce(serde_json::Value) -> T,
) -> Processed<T> {
    let mut processed = Processed::new(file.name.clone());
    let text = match read {
        ReadOutcome::Text(text) => text,
        ReadOutcome::Unreadable {
            diagnostic,
            shown_text,
        } => {
            processed.diagnostics.push(*diagnostic);
            processed.text = shown_text.map(Arc::from);
            return processed;
        }
    };
    let parsed = parse(&file.name, Format::of(&file.path), &text, limits);
    processed.diagnostics = parsed.diagnostics;
    processed.dropped = parsed.dropped;
    processed.outline = parsed.outline;
    match parsed.value {
        Some(value) => {
            let (found, dropped) =
                schemas.check_capped(file.kind, &file.name, &value, limits.max_findings_per_file);
            processed.diagnostics.extend(found);
            processed.dropped += dropped;
            processed.record = Some(extract(value));
        }
        None if processed.diagnostics.is_empty() => processed.diagnostics.push(Diagnostic::new(
            Rule::SchemaViolation,
            "file holds no data".to_owned(),
            Label::new(file.name.clone(), Anchor::File),
        )),
        None => {}
    }
    if !processed.diagnostics.is_empty() {
        processed.text = Some(Arc::from(text));
    }
    processed
}

/// A file's text: from the overlay when it is there, else read from disk within `limits`.
pub fn read_text(file: &DataFile, limits: &Limits, overlay: &Overlay) -> ReadOutcome {
    match overlay.get(&file.name) {
        Some(text) => ReadOutcome::Text(text.to_string()),
        None => read_file(file, limits),
    }
}

/// Runs `work` on one file; a panic becomes an internal-error finding for that file instead of
/// stopping the run.
fn isolate<T>(file: &DataFile, work: impl FnOnce() -> Processed<T>) -> Processed<T> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let mut processed = Processed::new(file.name.clone());
        processed.diagnostics.push(
            Diagnostic::new(
                Rule::InternalError,
                format!("fasti failed while checking this file: {what}"),
                Label::new(file.name.clone(), Anchor::File),
            )
            .with_help("this is a bug in fasti: please report it with the file; the other files were checked"),
        );
        processed
    })
}

/// Keeps at most `limit` findings per file (the first, in sorted order) and adds one finding for
/// each file that had more, saying how many were dropped (`dropped`: those the parser already
/// did not keep). Its severity is the highest of those it stands for. `diagnostics` are sorted.
fn cap_findings(
    diagnostics: Vec<Diagnostic>,
    dropped: &BTreeMap<FileName, usize>,
    limit: usize,
) -> Vec<Diagnostic> {
    let mut kept_per_file: BTreeMap<FileName, usize> = BTreeMap::new();
    let mut over: BTreeMap<FileName, (usize, fasti_diagnostics::Severity)> = dropped
        .iter()
        .filter(|(_, count)| **count > 0)
        .map(|(file, count)| {
            let severity = Rule::LimitExceeded.default_severity();
            (file.clone(), (*count, severity))
        })
        .collect();
    let mut capped = Vec::with_capacity(diagnostics.len().min(limit.saturating_mul(16)));
    for diagnostic in diagnostics {
        // `limit-exceeded` findings say what was not checked: they are never dropped.
        if diagnostic.rule == Rule::LimitExceeded {
            capped.push(diagnostic);
            continue;
        }
        let kept = kept_per_file
            .entry(diagnostic.primary.file.clone())
            .or_default();
        if *kept < limit {
            *kept += 1;
            capped.push(diagnostic);
        } else {
            let entry = over
                .entry(diagnostic.primary.file.clone())
                .or_insert((0, diagnostic.severity));
            entry.0 += 1;
            entry.1 = entry.1.max(diagnostic.severity);
        }
    }
    if over.is_empty() {
        return capped;
    }
    for (file, (count, severity)) in over {
        let more = if count == 1 {
            "1 more finding in this file is not shown".to_owned()
        } else {
            format!("{count} more findings in this file are not shown")
        };
        let mut summary = Diagnostic::new(
            Rule::LimitExceeded,
            format!("{more}; the limit is {limit} per file"),
            Label::new(file, Anchor::File),
        )
        .with_help("fix the findings shown and run fasti again, or raise `max-findings-per-file` under `[limits]` in fasti.toml");
        summary.severity = severity;
        capped.push(summary);
    }
    capped.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    capped
}

/// Keeps the first `limit` findings of the run, in sorted order, and adds one closing finding
/// for the rest (labelled on the first file left out; its severity the highest of those it
/// stands for, so the exit code stays what the findings say). Returns how many were left out.
fn cap_run(diagnostics: Vec<Diagnostic>, limit: usize) -> (Vec<Diagnostic>, usize) {
    if diagnostics.len() <= limit {
        return (diagnostics, 0);
    }
    // `limit-exceeded` findings say what was not checked: they are never dropped.
    let mut kept = Vec::with_capacity(limit + 16);
    let mut counted = 0;
    let mut left_out = Vec::new();
    for diagnostic in diagnostics {
        if diagnostic.rule == Rule::LimitExceeded {
            kept.push(diagnostic);
        } else if counted < limit {
            counted += 1;
            kept.push(diagnostic);
        } else {
            left_out.push(diagnostic);
        }
    }
    let Some(first) = left_out.first() else {
        return (kept, 0);
    };
    let files: BTreeSet<&FileName> = left_out.iter().map(|d| &d.primary.file).collect();
    let mut closing = Diagnostic::new(
        Rule::LimitExceeded,
        format!(
            "{} more {} not shown (in {} {}); the limit is {limit} per run",
            left_out.len(),
            if left_out.len() == 1 { "finding is" } else { "findings are" },
            files.len(),
            if files.len() == 1 { "file" } else { "files" },
        ),
        Label::new(first.primary.file.clone(), Anchor::File),
    )
    .with_help("fix the findings shown and run fasti again, or raise `max-findings` under `[limits]` in fasti.toml");
    if let Some(severity) = left_out.iter().map(|d| d.severity).max() {
        closing.severity = severity;
    }
    kept.push(closing);
    (kept, left_out.len())
}

/// Resolves every label's anchor to a byte span, parsing again (with spans) only the files
/// that findings point into, one file per task in parallel. Each file records only the pointers
/// its findings name, and its index is dropped as soon as they are resolved.
fn locate(
    diagnostics: &mut [Diagnostic],
    kept: &mut Files,
    files: &BTreeMap<&str, &DataFile>,
    outlines: &Outlines,
    root: &Path,
    limits: &Limits,
    overlay: &Overlay,
) {
    // Which labels point into which file: (diagnostic, label slot), slot as in `label_at`.
    let mut by_file: BTreeMap<FileName, Vec<(usize, usize)>> = BTreeMap::new();
    for (d, diagnostic) in diagnostics.iter().enumerate() {
        for (slot, label) in labels(diagnostic).enumerate() {
            if label.anchor.pointer().is_some() || matches!(label.anchor, Anchor::Bytes { .. }) {
                by_file
                    .entry(label.file.clone())
                    .or_default()
                    .push((d, slot));
            }
        }
    }
    // Findings from the cross-source phase can point into a file whose text was dropped.
    let missing: Vec<&FileName> = by_file
        .keys()
        .filter(|name| kept.get(name).is_none())
        .collect();
    let reread: Vec<(FileName, String)> = missing
        .par_iter()
        .filter_map(|name| {
            let file = files
                .get(&***name)
                .map(|f| (*f).clone())
                .unwrap_or_else(|| DataFile {
                    path: root.join(&***name),
                    name: (*name).clone(),
                    kind: FileKind::Source,
                });
            match read_text(&file, limits, overlay) {
                ReadOutcome::Text(text) => Some(((*name).clone(), text)),
                ReadOutcome::Unreadable { .. } => None,
            }
        })
        .collect();
    for (name, text) in reread {
        kept.insert(name, text);
    }
    let shared: &[Diagnostic] = diagnostics;
    let kept_ref: &Files = kept;
    let resolved: Vec<Vec<(usize, usize, Option<Span>)>> = by_file
        .par_iter()
        .map(|(name, slots)| {
            let Some(text) = kept_ref.get(name) else {
                return Vec::new();
            };
            let anchors = slots
                .iter()
                .filter_map(|&(d, slot)| labels(&shared[d]).nth(slot))
                .map(|l| &l.anchor);
            let index = if name.ends_with(".toml") {
                SpanIndex::default()
            } else {
                // Built outside `isolate`: a panic here must not stop the run either. The
                // findings then show without a location.
                let format = Format::of(Path::new(&**name));
                catch_unwind(AssertUnwindSafe(|| {
                    SpanIndex::build_for(name, format, text, limits, anchors, outlines.get(name))
                }))
                .unwrap_or_default()
            };
            slots
                .iter()
                .filter_map(|&(d, slot)| {
                    let label = labels(&shared[d]).nth(slot)?;
                    Some((d, slot, index.resolve(&label.anchor, text)))
                })
                .collect()
        })
        .collect();
    for (d, slot, span) in resolved.into_iter().flatten() {
        if let Some(label) = labels_mut(&mut diagnostics[d]).nth(slot) {
            label.span = span;
        }
    }
}

fn labels(diagnostic: &Diagnostic) -> impl Iterator<Item = &Label> {
    let adjudication = match &diagnostic.status {
        Status::Adjudicated { at, .. } => Some(&**at),
        Status::Open => None,
    };
    std::iter::once(&diagnostic.primary)
        .chain(&diagnostic.related)
        .chain(adjudication)
}

fn labels_mut(diagnostic: &mut Diagnostic) -> impl Iterator<Item = &mut Label> {
    let adjudication = match &mut diagnostic.status {
        Status::Adjudicated { at, .. } => Some(&mut **at),
        Status::Open => None,
    };
    std::iter::once(&mut diagnostic.primary)
        .chain(&mut diagnostic.related)
        .chain(adjudication)
}

fn load_schemas(root: &Path) -> Result<Schemas, RunError> {
    let dir = root.join("schema");
    let mut files = Files::new();
    // A `schema/` that is there is used, or the run stops: a `schema` that is a file, a link out
    // of the repository or unreadable must not quietly fall back to the bundled schemas.
    let compiled = if dir.symlink_metadata().is_ok() {
        match read_schema_dir(root, &dir, "schema") {
            Ok(documents) => Schemas::compile(documents),
            Err(problems) => {
                let mut diagnostics = Vec::new();
                for (diagnostic, text) in problems {
                    if let Some(text) = text {
                        files.insert(diagnostic.primary.file.clone(), text);
                    }
                    diagnostics.push(diagnostic);
                }
                return Err(RunError {
                    diagnostics: resolve_bytes(diagnostics),
                    files,
                });
            }
        }
    } else {
        Schemas::bundled()
    };
    compiled.map_err(|diagnostics| RunError { diagnostics, files })
}

/// The dataset directory is something else: nothing to check, and saying "no problems in 0
/// files" would pass a broken repository.
fn not_a_directory(name: &str, file_type: std::fs::FileType) -> RunError {
    let file: FileName = Arc::from(name);
    let diagnostic = Diagnostic::new(
        Rule::UnreadableFile,
        format!(
            "`{name}` is {}, not a directory: there is no dataset to check",
            fasti_ingest::kind_of(file_type)
        ),
        Label::new(file, Anchor::File),
    )
    .with_help("the data files belong in a `sources/` directory at the repository root");
    RunError {
        diagnostics: vec![diagnostic],
        files: Files::new(),
    }
}

fn config_error(error: fasti_ingest::ConfigError) -> RunError {
    let mut files = Files::new();
    let anchor = match &error.span {
        Some(span) => Anchor::Bytes {
            start: span.start,
            end: span.end,
        },
        None => Anchor::File,
    };
    let file: FileName = Arc::from("fasti.toml");
    if let Some(text) = &error.text {
        files.insert(file.clone(), text.clone());
    }
    let diagnostic = Diagnostic::new(
        Rule::SchemaViolation,
        format!("fasti.toml: {}", error.message),
        Label::new(file, anchor),
    )
    .with_help("docs/configuration.md lists every setting");
    RunError {
        diagnostics: resolve_bytes(vec![diagnostic]),
        files,
    }
}

/// Byte anchors need no parsing to locate.
fn resolve_bytes(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    for diagnostic in &mut diagnostics {
        if let Anchor::Bytes { start, end } = diagnostic.primary.anchor {
            diagnostic.primary.span = Some(fasti_diagnostics::Span::new(start, end));
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_file(name: &str) -> DataFile {
        DataFile {
            path: PathBuf::from(name),
            name: Arc::from(name),
            kind: FileKind::Source,
        }
    }

    #[test]
    fn a_panic_becomes_an_internal_error_for_that_file_only() {
        let files = [data_file("a.yaml"), data_file("b.yaml")];
        let results: Vec<Processed<()>> = files
            .par_iter()
            .map(|file| {
                isolate(file, || {
                    if &*file.name == "a.yaml" {
                        panic!("boom in {}", file.name);
                    }
                    Processed::new(file.name.clone())
                })
            })
            .collect();
        let shown: Vec<_> = results
            .iter()
            .map(|p| {
                let messages: Vec<_> = p
                    .diagnostics
                    .iter()
                    .map(|d| format!("{} {}", d.rule.name(), d.message))
                    .collect();
                (&*p.name, messages)
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "a.yaml",
                    vec![
                        "internal-error fasti failed while checking this file: boom in a.yaml"
                            .to_owned()
                    ]
                ),
                ("b.yaml", vec![])
            ]
        );
        let outcome = Outcome {
            diagnostics: results.into_iter().flat_map(|p| p.diagnostics).collect(),
            files: Files::new(),
            summary: Summary::default(),
            references: References::new(),
            missing: Vec::new(),
            dataset: None,
        };
        assert_eq!(outcome.exit_status(false), fasti_report::ExitStatus::Error);
    }

    /// What a run reuses from the previous one gives exactly what a fresh run gives: after an
    /// edit of a source, of the authority, and back.
    #[test]
    fn a_run_that_reuses_results_finds_what_a_fresh_run_finds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/server");
        let options = CheckOptions {
            root: root.clone(),
            paths: vec![
                root.join("sources/diario-pt.yaml"),
                root.join("sources/cronica-es.yaml"),
            ],
            adjudicate: true,
        };
        let read = |name: &str| std::fs::read_to_string(root.join(name)).unwrap_or_default();
        let diario = read("sources/diario-pt.yaml");
        let events = read("sources/authority/events.yaml");
        let edits: [(&str, String); 4] = [
            ("sources/diario-pt.yaml", diario.clone()),
            (
                "sources/diario-pt.yaml",
                diario.replace("20 de agosto", "17 de agosto"),
            ),
            (
                "sources/authority/events.yaml",
                events.replace(
                    "\"1943-08-17\"\n    region: sicily\n    part_of",
                    "\"1943-08-20\"\n    region: sicily\n    part_of",
                ),
            ),
            ("sources/authority/events.yaml", events.clone()),
        ];
        let mut reuse = Reuse::default();
        let mut overlay = Overlay::new();
        let mut seen = BTreeSet::new();
        for (name, text) in edits {
            overlay.insert(Arc::from(name), Arc::from(text));
            let reused = check_with(&options, &overlay, Some(&mut reuse)).map(|o| o.diagnostics);
            let fresh = check_with(&options, &overlay, None).map(|o| o.diagnostics);
            let (Ok(reused), Ok(fresh)) = (reused, fresh) else {
                panic!("the fixture could not be checked");
            };
            assert_eq!(reused, fresh, "after editing {name}");
            seen.insert(fresh.len());
        }
        // The edits changed what is found.
        assert!(seen.len() >= 2, "{seen:?}");
    }

    fn finding(file: &str, offset: usize, rule: Rule) -> Diagnostic {
        Diagnostic::new(
            rule,
            format!("at {offset}"),
            Label::new(
                Arc::from(file),
                Anchor::Bytes {
                    start: offset,
                    end: offset + 1,
                },
            ),
        )
    }

    #[test]
    fn findings_are_capped_per_file_with_one_summary() {
        let mut diagnostics: Vec<_> = (0..5)
            .map(|i| finding("a.yaml", 10 - i, Rule::SuspiciousCharacters))
            .chain([finding("b.yaml", 1, Rule::SyntaxError)])
            .collect();
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let dropped = BTreeMap::from([(Arc::from("b.yaml"), 4)]);
        let capped = cap_findings(diagnostics, &dropped, 2);
        let shown: Vec<_> = capped
            .iter()
            .map(|d| {
                format!(
                    "{} {} {} {}",
                    d.primary.file,
                    d.severity,
                    d.rule.name(),
                    d.message
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                // Root causes first.
                "b.yaml error syntax-error at 1",
                "a.yaml warning suspicious-characters at 6",
                "a.yaml warning suspicious-characters at 7",
                "a.yaml warning limit-exceeded 3 more findings in this file are not shown; the limit is 2 per file",
                "b.yaml error limit-exceeded 4 more findings in this file are not shown; the limit is 2 per file",
            ]
        );
    }
}
