//! `fasti export`: the normalized dataset as tables, in CSV (RFC 4180) or JSON Lines.
//!
//! Four tables: `claims` (one row per claim of every source), and the authority's `events`,
//! `people` and `places`. Every table has a fixed list of columns ([`Table::columns`]), the same
//! in both formats and documented in `docs/export.md`; `schema/export.schema.json` describes a
//! JSON Lines row of each. Rows come in the dataset's order (sources by file, claims as listed;
//! the authority as listed), so the same dataset gives the same bytes.
//!
//! In CSV a list is its items joined by `|` (ids never contain one), names are a JSON object,
//! and an empty cell is an absent value; in JSON Lines a list is an array, names an object, and
//! an absent value `null`.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use fasti_report::dataset::{ClaimRow, DateRow, RefRow};
use fasti_report::{Dataset, ExitStatus, Files, Format, RenderOptions, Report, render};

use crate::{CheckOptions, check_with_dataset, find_root};

/// Write the normalized claims and the authority as tables (CSV or JSON Lines).
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Files and directories to read (default: the repository's `sources/`).
    pub paths: Vec<PathBuf>,
    /// The table to print on standard output.
    #[arg(long, value_enum, default_value_t = TableName::Claims)]
    pub table: TableName,
    /// The format of the tables.
    #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
    pub format: TableFormat,
    /// Write every table into DIR instead (`claims.csv`, `events.csv`, `people.csv`,
    /// `places.csv`, or `.jsonl`), each file whole or not at all.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// The repository root (default: the nearest ancestor with a fasti.toml or a sources/ directory).
    #[arg(long)]
    pub root: Option<PathBuf>,
}

/// The tables `fasti export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TableName {
    Claims,
    Events,
    People,
    Places,
}

impl TableName {
    pub const ALL: [TableName; 4] = [
        TableName::Claims,
        TableName::Events,
        TableName::People,
        TableName::Places,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TableName::Claims => "claims",
            TableName::Events => "events",
            TableName::People => "people",
            TableName::Places => "places",
        }
    }

    /// The columns, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            TableName::Claims => CLAIM_COLUMNS,
            TableName::Events => EVENT_COLUMNS,
            TableName::People => PERSON_COLUMNS,
            TableName::Places => PLACE_COLUMNS,
        }
    }
}

/// CSV or JSON Lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    Csv,
    Jsonl,
}

impl TableFormat {
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Csv => "csv",
            TableFormat::Jsonl => "jsonl",
        }
    }
}

/// One value of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(Option<String>),
    Number(Option<usize>),
    List(Vec<String>),
    /// `(language, name)` pairs.
    Names(Vec<(String, String)>),
}

/// A table: its name, its columns and its rows (each as long as the columns).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub name: TableName,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn columns(&self) -> &'static [&'static str] {
        self.name.columns()
    }

    pub fn write(&self, format: TableFormat, out: &mut dyn Write) -> io::Result<()> {
        match format {
            TableFormat::Csv => self.write_csv(out),
            TableFormat::Jsonl => self.write_jsonl(out),
        }
    }

    /// RFC 4180: a header row, CRLF line ends, fields quoted when they need it.
    pub fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        writer.write_record(self.columns())?;
        for row in &self.rows {
            writer.write_record(row.iter().map(csv_field))?;
        }
        writer.flush()
    }

    /// One JSON object per line, its keys in the columns' order.
    pub fn write_jsonl(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut line = String::new();
        for row in &self.rows {
            line.clear();
            line.push('{');
            for (i, (column, cell)) in self.columns().iter().zip(row).enumerate() {
                if i > 0 {
                    line.push(',');
                }
                line.push_str(&json_string(column));
                line.push(':');
                line.push_str(&json_value(cell));
            }
            line.push_str("}\n");
            out.write_all(line.as_bytes())?;
        }
        Ok(())
    }
}

fn csv_field(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone().unwrap_or_default(),
        Cell::Number(n) => n.map(|n| n.to_string()).unwrap_or_default(),
        Cell::List(items) => items.join("|"),
        Cell::Names(names) if names.is_empty() => String::new(),
        Cell::Names(_) => json_value(cell),
    }
}

fn json_value(cell: &Cell) -> String {
    match cell {
        Cell::Text(Some(text)) => json_string(text),
        Cell::Number(Some(n)) => n.to_string(),
        Cell::Text(None) | Cell::Number(None) => "null".to_owned(),
        Cell::List(items) => {
            let items: Vec<String> = items.iter().map(|s| json_string(s)).collect();
            format!("[{}]", items.join(","))
        }
        Cell::Names(names) => {
            let pairs: Vec<String> = names
                .iter()
                .map(|(lang, name)| format!("{}:{}", json_string(lang), json_string(name)))
                .collect();
            format!("{{{}}}", pairs.join(","))
        }
    }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

const CLAIM_COLUMNS: &[&str] = &[
    "source",
    "language",
    "event",
    "title",
    "date",
    "end",
    "edtf",
    "end_edtf",
    "earliest",
    "latest",
    "precision",
    "qualifiers",
    "assumed",
    "date_error",
    "places",
    "actors",
    "part_of",
    "after",
    "before",
    "caused_by",
    "locator",
    "unresolved",
    "file",
    "line",
    "pointer",
];

const EVENT_COLUMNS: &[&str] = &[
    "id",
    "names",
    "date",
    "end",
    "earliest",
    "latest",
    "precision",
    "date_error",
    "region",
    "part_of",
    "after",
    "before",
    "caused_by",
    "unresolved",
    "file",
    "line",
    "pointer",
];

const PERSON_COLUMNS: &[&str] = &[
    "id",
    "names",
    "born",
    "died",
    "date_error",
    "file",
    "line",
    "pointer",
];

const PLACE_COLUMNS: &[&str] = &[
    "id",
    "names",
    "kind",
    "within",
    "ancestors",
    "unresolved",
    "file",
    "line",
    "pointer",
];

/// Every table of the dataset.
pub fn tables(dataset: &Dataset) -> Vec<Table> {
    TableName::ALL
        .iter()
        .map(|&name| table(dataset, name))
        .collect()
}

/// One table of the dataset.
pub fn table(dataset: &Dataset, name: TableName) -> Table {
    let rows = match name {
        TableName::Claims => dataset.claims.iter().map(claim_row).collect(),
        TableName::Events => dataset
            .events
            .iter()
            .map(|e| {
                let mut unresolved = Unresolved::default();
                let (earliest, latest) = ends(e.date.as_ref(), e.end.as_ref());
                vec![
                    text(&e.id),
                    Cell::Names(e.names.clone()),
                    written(e.date.as_ref()),
                    written(e.end.as_ref()),
                    earliest,
                    latest,
                    precision(e.date.as_ref()),
                    date_errors(&[("date", e.date.as_ref()), ("end", e.end.as_ref())]),
                    unresolved.one("region", e.region.as_ref()),
                    unresolved.one("part_of", e.part_of.as_ref()),
                    unresolved.list("after", &e.after),
                    unresolved.list("before", &e.before),
                    unresolved.list("caused_by", &e.caused_by),
                    Cell::List(unresolved.0),
                    text(&e.at.file),
                    Cell::Number(e.at.line),
                    text(&e.at.pointer),
                ]
            })
            .collect(),
        TableName::People => dataset
            .people
            .iter()
            .map(|p| {
                vec![
                    text(&p.id),
                    Cell::Names(p.names.clone()),
                    written(p.born.as_ref()),
                    written(p.died.as_ref()),
                    date_errors(&[("born", p.born.as_ref()), ("died", p.died.as_ref())]),
                    text(&p.at.file),
                    Cell::Number(p.at.line),
                    text(&p.at.pointer),
                ]
            })
            .collect(),
        TableName::Places => dataset
            .places
            .iter()
            .map(|p| {
                let mut unresolved = Unresolved::default();
                vec![
                    text(&p.id),
                    Cell::Names(p.names.clone()),
                    Cell::Text(p.kind.clone()),
                    unresolved.one("within", p.within.as_ref()),
                    Cell::List(p.ancestors.clone()),
                    Cell::List(unresolved.0),
                    text(&p.at.file),
                    Cell::Number(p.at.line),
                    text(&p.at.pointer),
                ]
            })
            .collect(),
    };
    Table { name, rows }
}

fn claim_row(c: &ClaimRow) -> Vec<Cell> {
    let mut unresolved = Unresolved::default();
    let readings =
        [c.date.as_ref(), c.end.as_ref()].map(|d| d.and_then(|d| d.reading.as_ref().ok()));
    let mut qualifiers: Vec<String> = Vec::new();
    let mut assumed: Vec<String> = Vec::new();
    for reading in readings.iter().flatten() {
        for q in &reading.qualifiers {
            if !qualifiers.iter().any(|seen| seen == q) {
                qualifiers.push((*q).to_owned());
            }
        }
        assumed.extend(reading.assumed.iter().cloned());
    }
    let (earliest, latest) = ends(c.date.as_ref(), c.end.as_ref());
    vec![
        Cell::Text(c.source.clone()),
        Cell::Text(c.language.clone()),
        unresolved.one("event", c.event.as_ref()),
        Cell::Text(c.title.clone()),
        written(c.date.as_ref()),
        written(c.end.as_ref()),
        Cell::Text(readings[0].map(|r| r.edtf.clone())),
        Cell::Text(readings[1].map(|r| r.edtf.clone())),
        earliest,
        latest,
        precision(c.date.as_ref()),
        Cell::List(qualifiers),
        Cell::List(assumed),
        date_errors(&[("date", c.date.as_ref()), ("end", c.end.as_ref())]),
        unresolved.list("places", &c.places),
        unresolved.list("actors", &c.actors),
        unresolved.one("part_of", c.part_of.as_ref()),
        unresolved.list("after", &c.after),
        unresolved.list("before", &c.before),
        unresolved.list("caused_by", &c.caused_by),
        Cell::Text(c.locator.clone()),
        Cell::List(unresolved.0),
        text(&c.at.file),
        Cell::Number(c.at.line),
        text(&c.at.pointer),
    ]
}

/// References that named no single entry, as `field:text as written`: their column holds the
/// text as written, and this says so.
#[derive(Default)]
struct Unresolved(Vec<String>);

impl Unresolved {
    fn shown(&mut self, field: &str, r: &RefRow) -> String {
        if r.id.is_none() {
            self.0.push(format!("{field}:{}", r.written));
        }
        r.shown().to_owned()
    }

    fn one(&mut self, field: &str, r: Option<&RefRow>) -> Cell {
        Cell::Text(r.map(|r| self.shown(field, r)))
    }

    fn list(&mut self, field: &str, refs: &[RefRow]) -> Cell {
        Cell::List(refs.iter().map(|r| self.shown(field, r)).collect())
    }
}

fn text(s: &str) -> Cell {
    Cell::Text(Some(s.to_owned()))
}

fn written(date: Option<&DateRow>) -> Cell {
    Cell::Text(date.map(|d| d.written.clone()))
}

fn precision(date: Option<&DateRow>) -> Cell {
    Cell::Text(
        date.and_then(|d| d.reading.as_ref().ok())
            .map(|r| r.precision.clone()),
    )
}

/// The first and last day a record allows, from the start of its date to the end of its end
/// (or of its date), as `fasti date` writes them: `YYYY-MM-DD`, or `..` for an open or unknown
/// end. An end that cannot be read leaves the last day unknown.
fn ends(date: Option<&DateRow>, end: Option<&DateRow>) -> (Cell, Cell) {
    let Some(Ok(start)) = date.map(|d| d.reading.as_ref()) else {
        return (Cell::Text(None), Cell::Text(None));
    };
    let latest = match end.map(|e| e.reading.as_ref()) {
        Some(Ok(end)) => end.latest_iso.clone(),
        Some(Err(_)) => "..".to_owned(),
        None => start.latest_iso.clone(),
    };
    (
        Cell::Text(Some(start.earliest_iso.clone())),
        Cell::Text(Some(latest)),
    )
}

/// `field: why`, for each date that could not be read.
fn date_errors(dates: &[(&str, Option<&DateRow>)]) -> Cell {
    let errors: Vec<String> = dates
        .iter()
        .filter_map(|(field, date)| {
            let error = (*date)?.reading.as_ref().err()?;
            Some(format!("{field}: {error}"))
        })
        .collect();
    Cell::Text((!errors.is_empty()).then(|| errors.join("; ")))
}

/// Runs `fasti export`.
pub fn run(args: &ExportArgs) -> io::Result<ExitCode> {
    let cwd = std::env::current_dir()?;
    let root = args.root.clone().unwrap_or_else(|| find_root(&cwd));
    if let Some(dir) = &args.out_dir {
        refuse_protected(&root, &dir.join("claims.csv"))?;
    }
    let options = CheckOptions {
        root: root.clone(),
        paths: args.paths.clone(),
        adjudicate: true,
    };
    let outcome = match check_with_dataset(&options) {
        Ok(outcome) => outcome,
        Err(error) => {
            report_failure(&error.diagnostics, &error.files)?;
            return Ok(ExitStatus::Error.into());
        }
    };
    let dataset = outcome.dataset.unwrap_or_default();
    let failing = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_failing())
        .count();
    if failing > 0 {
        let _ = writeln!(
            io::stderr(),
            "fasti: the dataset has {failing} open error{}; every claim is exported as read (`fasti validate` shows them)",
            if failing == 1 { "" } else { "s" }
        );
    }
    if !dataset.unread.is_empty() {
        let _ = writeln!(
            io::stderr(),
            "fasti: {} could not be read, so the tables lack their records: {}",
            if dataset.unread.len() == 1 {
                "1 file"
            } else {
                "these files"
            },
            dataset.unread.join(", ")
        );
    }
    match &args.out_dir {
        None => {
            let mut stdout = io::stdout().lock();
            table(&dataset, args.table).write(args.format, &mut stdout)?;
            stdout.flush()?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            for table in tables(&dataset) {
                let path = dir.join(format!(
                    "{}.{}",
                    table.name.as_str(),
                    args.format.extension()
                ));
                refuse_protected(&root, &path)?;
                let mut bytes = Vec::new();
                table.write(args.format, &mut bytes)?;
                write_whole(&path, &bytes)?;
            }
        }
    }
    // The tables are written either way; an incomplete one does not pass for complete.
    Ok(if dataset.unread.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitStatus::Failing.into()
    })
}

fn report_failure(diagnostics: &[fasti_diagnostics::Diagnostic], files: &Files) -> io::Result<()> {
    let report = Report {
        diagnostics,
        files,
        summary: Default::default(),
        scope: Default::default(),
        dataset: None,
    };
    let mut stderr = io::stderr().lock();
    render(
        Format::Human,
        &report,
        &RenderOptions::default(),
        &mut stderr,
    )?;
    writeln!(stderr, "fasti: could not read the dataset")
}

/// Refuses to write under the repository's `sources/` or `schema/`: the dataset and its contract
/// are never written by fasti. Paths are compared after resolving links, so a link into either
/// is refused too.
///
/// `main.rs` has a similar check for `--output`; the two are to become one shared helper.
pub fn refuse_protected(root: &Path, path: &Path) -> io::Result<()> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    // Resolved component by component, as `realpath -m` does: each prefix that exists has its
    // links resolved before the next component is applied, so `..` goes up from where a link
    // really leads, and what does not exist yet is taken as written.
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::ParentDir => {
                resolved.pop();
            }
            std::path::Component::CurDir => {}
            other => {
                resolved.push(other);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
        }
    }
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for protected in ["sources", "schema"] {
        let dir = root.join(protected);
        let dir = dir.canonicalize().unwrap_or(dir);
        if resolved.starts_with(&dir) {
            return Err(io::Error::other(ProtectedPath {
                path: path.to_path_buf(),
                dir: protected,
            }));
        }
    }
    Ok(())
}

#[derive(Debug)]
struct ProtectedPath {
    path: PathBuf,
    dir: &'static str,
}

impl fmt::Display for ProtectedPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "refusing to write into the repository's {}/: {}",
            self.dir,
            self.path.display()
        )
    }
}

impl std::error::Error for ProtectedPath {}

/// Writes a file whole or not at all: a temporary file with a random name in the same
/// directory, then renamed over the target.
fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    // A temporary file is private (0600); the table gets the target's permissions, or the usual
    // ones for a new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        builder.permissions(permissions);
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    type Result = std::result::Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn csv_quotes_what_needs_quoting_and_joins_lists() -> Result {
        let table = Table {
            name: TableName::People,
            rows: vec![vec![
                text("a"),
                Cell::Names(vec![("en".into(), "Smith, \"J\"\r\nJr|x".into())]),
                Cell::Text(None),
                Cell::Text(Some("1943".into())),
                Cell::Text(None),
                text("f.yaml"),
                Cell::Number(Some(3)),
                text("/people/0"),
            ]],
        };
        let mut out = Vec::new();
        table.write_csv(&mut out)?;
        assert_eq!(
            String::from_utf8(out)?,
            "id,names,born,died,date_error,file,line,pointer\r\na,\"{\"\"en\"\":\"\"Smith, \\\"\"J\\\"\"\\r\\nJr|x\"\"}\",,1943,,f.yaml,3,/people/0\r\n"
        );
        let mut out = Vec::new();
        table.write_jsonl(&mut out)?;
        assert_eq!(
            String::from_utf8(out)?,
            "{\"id\":\"a\",\"names\":{\"en\":\"Smith, \\\"J\\\"\\r\\nJr|x\"},\"born\":null,\"died\":\"1943\",\"date_error\":null,\"file\":\"f.yaml\",\"line\":3,\"pointer\":\"/people/0\"}\n"
        );
        Ok(())
    }

    #[test]
    fn writing_into_the_dataset_or_its_schemas_is_refused() -> Result {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::create_dir_all(root.join("sources/authority"))?;
        std::fs::create_dir_all(root.join("schema"))?;
        assert!(refuse_protected(root, &root.join("sources/x.csv")).is_err());
        assert!(refuse_protected(root, &root.join("sources/new/dir/x.csv")).is_err());
        assert!(refuse_protected(root, &root.join("schema/x.jsonl")).is_err());
        assert!(refuse_protected(root, &root.join("out/../sources/x.csv")).is_err());
        assert!(refuse_protected(root, &root.join("export/x.csv")).is_ok());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("sources"), root.join("link"))?;
            assert!(refuse_protected(root, &root.join("link/x.csv")).is_err());
        }
        Ok(())
    }
}
