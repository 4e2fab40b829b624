//! `--baseline`: the findings of an earlier run, to tell new findings from existing ones, and
//! `--changed-since`: which findings involve changed files.
//!
//! A baseline report is read here, at the edge, as the reports that `--output` writes are written
//! in `main.rs`: it is not part of the dataset, which only `fasti_ingest` reads.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use fasti::{CheckOptions, References};
use fasti_diagnostics::{Diagnostic, Rule, Status};
use fasti_report::{Baseline, fingerprint};

use crate::git::{self, Changes};

/// The largest baseline report read. A report of a million-event dataset with a finding in every
/// tenth event is about 100 MiB.
const MAX_BASELINE_SIZE: u64 = 512 << 20;

/// Reads the fingerprints of a JSON report written by `--format json` or `--output json=PATH`.
///
/// Read like the dataset: a FIFO or a device is refused without being opened for reading, and a
/// baseline path in the repository must not lead outside it through a symbolic link. A refused
/// file's content is never shown.
pub(crate) fn from_file(root: &Path, path: &Path) -> io::Result<Baseline> {
    let what = || format!("baseline `{}`", path.display());
    let bytes = fasti_ingest::open_input(path, Some(root))
        .and_then(|(file, size)| fasti_ingest::read_input(file, size, MAX_BASELINE_SIZE))
        .map_err(|refusal| io::Error::other(format!("the {} {refusal}", what())))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        io::Error::other(format!(
            "the {} is not UTF-8 text; write it with `fasti validate --output json=PATH`",
            what()
        ))
    })?;
    let report: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        io::Error::other(format!(
            "the {} is not JSON ({e}); write it with `fasti validate --output json=PATH`",
            what()
        ))
    })?;
    if report.get("version").and_then(serde_json::Value::as_u64) != Some(1) {
        return Err(io::Error::other(format!(
            "the {} is not a version 1 fasti JSON report",
            what()
        )));
    }
    let diagnostics = report
        .get("diagnostics")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| io::Error::other(format!("the {} has no `diagnostics` list", what())))?;
    let mut fingerprints = BTreeSet::new();
    for d in diagnostics {
        let value = d.get("fingerprint").and_then(serde_json::Value::as_str);
        match value {
            Some(value) => fingerprints.insert(value.to_owned()),
            None => {
                return Err(io::Error::other(format!(
                    "a finding in the {} has no `fingerprint`",
                    what()
                )));
            }
        };
    }
    Ok(Baseline {
        name: path.display().to_string(),
        fingerprints,
    })
}

/// Checks the dataset as it was at `rev` and collects its findings' fingerprints.
pub(crate) fn from_revision(root: &Path, rev: &str, adjudicate: bool) -> io::Result<Baseline> {
    let checkout = git::checkout(root, rev)?;
    let options = CheckOptions {
        root: checkout.root(),
        paths: Vec::new(),
        adjudicate,
    };
    let outcome = fasti::check(&options).map_err(|error| {
        let first = error
            .diagnostics
            .first()
            .map(|d| format!(": {}: {}", d.primary.file, d.message))
            .unwrap_or_default();
        io::Error::other(format!("could not check the baseline at `{rev}`{first}"))
    })?;
    Ok(Baseline {
        name: rev.to_owned(),
        fingerprints: outcome.diagnostics.iter().map(fingerprint).collect(),
    })
}

/// The findings that involve a changed file:
/// - a label (the finding's place, a related place, its adjudication) is in a changed file;
/// - or the finding is in a file whose records reference a changed file (a source that names
///   entries of a changed authority file);
/// - or, when an authority file changed, it is about a reference that does not resolve (the
///   entry it named may have been renamed or deleted).
pub(crate) fn involving_changes(
    diagnostics: Vec<Diagnostic>,
    changes: &Changes,
    references: &References,
) -> Vec<Diagnostic> {
    let changed = &changes.files;
    let referencing: BTreeSet<&str> = references
        .iter()
        .filter(|(_, targets)| targets.iter().any(|t| changed.contains(&**t)))
        .map(|(file, _)| &**file)
        .collect();
    let authority_changed = changes.changes_authority();
    diagnostics
        .into_iter()
        .filter(|d| {
            let adjudication = match &d.status {
                Status::Adjudicated { at, .. } => Some(&**at),
                Status::Open => None,
            };
            let mut labels = std::iter::once(&d.primary)
                .chain(&d.related)
                .chain(adjudication);
            labels.any(|label| changed.contains(&*label.file))
                || referencing.contains(&*d.primary.file)
                || (authority_changed
                    && matches!(d.rule, Rule::UnknownReference | Rule::AmbiguousName))
        })
        .collect()
}
