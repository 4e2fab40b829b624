//! The `fasti` command line.

mod baseline;
mod date_cmd;
mod git;
mod output;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use fasti::{CheckOptions, find_root};
use fasti_diagnostics::Rule;
use fasti_report::{
    Baseline, Changed, ExitStatus, Format, Novelty, RenderOptions, Report, Scope, exit_status,
    render,
};

#[derive(Parser, Debug)]
#[command(
    name = "fasti",
    version,
    about = "Keeps a multilingual dataset of historical events honest"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check the dataset: every file under PATHS (default: the repository's `sources/`).
    Validate(ValidateArgs),
    /// Normalize one date expression (or one per line of standard input, with `-`) and print it
    /// as JSON: EDTF, earliest and latest day, precision, qualifiers.
    Date(date_cmd::DateArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Write the normalized claims and the authority as tables: CSV (RFC 4180) or JSON Lines.
    Export(fasti::export::ExportArgs),
    /// Show the documentation of one rule.
    Explain {
        /// A rule name (`end-before-start`) or code (`T001`).
        rule: String,
    },
    /// Run the language server (LSP over standard input and output) for editors; see
    /// docs/editors.md.
    Server,
}

#[derive(clap::Args, Debug)]
struct ValidateArgs {
    /// Files and directories to check.
    paths: Vec<PathBuf>,
    /// How to print the findings on standard output.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also write a report to a file, as FORMAT=PATH (e.g. `sarif=fasti.sarif`); may be repeated.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = parse_output)]
    outputs: Vec<(Format, PathBuf)>,
    /// Fail (exit 1) on warnings too: `--deny warnings`.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Report only the findings that involve files changed since REV (`git diff REV...HEAD`, plus
    /// uncommitted and untracked files): in them, pointing into them, or in files whose records
    /// reference them. The whole dataset is still checked.
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
    /// Mark each finding `new` or `existing` by comparing with an earlier run: a JSON report file
    /// (`--output json=PATH`), or a git revision whose dataset is checked in a temporary directory.
    /// An existing file wins over a revision of the same name.
    #[arg(long, value_name = "REV|FILE")]
    baseline: Option<String>,
    /// Which findings fail the run: `any` (default) or only `new` ones (needs `--baseline`).
    #[arg(long, value_enum, default_value_t = FailOn::Any, requires = "baseline")]
    fail_on: FailOn,
    /// Ignore the adjudications recorded in the authority: report every finding as open.
    #[arg(long)]
    no_adjudications: bool,
    /// When to use colours in the human report.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// The repository root (default: the nearest ancestor with a fasti.toml or a sources/ directory).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Base URL of the rule documentation, linked from every finding.
    #[arg(long, default_value = DOCS_URL)]
    docs_url: String,
}

#[derive(clap::Args, Debug)]
struct RulesArgs {
    /// Print the list as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Deny {
    Warnings,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Any open error (or warning, with `--deny warnings`).
    Any,
    /// Only findings that the baseline does not have.
    New,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

const DOCS_URL: &str = "https://github.com/fasti-dev/fasti/blob/main/docs/rules/";

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => validate(args),
        Command::Date(args) => Ok(date_cmd::run(&args)),
        Command::Rules(args) => rules(&args),
        Command::Explain { rule } => explain(&rule),
        Command::Export(args) => fasti::export::run(&args),
        Command::Server => fasti::server::run().map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(io::stderr(), "fasti: {error}");
            ExitStatus::Error.into()
        }
    }
}

fn validate(args: ValidateArgs) -> io::Result<ExitCode> {
    let cwd = std::env::current_dir()?;
    let root = args.root.clone().unwrap_or_else(|| find_root(&cwd));
    let targets =
        output::check_targets(&root, args.outputs.iter().map(|(_, path)| path.as_path()))?;
    if !targets.is_empty() {
        output::remove_temporaries_on_signal()?;
    }
    let options = CheckOptions {
        root: root.clone(),
        paths: args.paths.clone(),
        adjudicate: !args.no_adjudications,
    };
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            let forced = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0");
            forced
                || (std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && io::stdout().is_terminal())
        }
    };
    let render_options = |color: bool| RenderOptions {
        color,
        width: terminal_width(),
        docs_url: args.docs_url.clone(),
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    // The html timeline draws every claim: only then does the run keep them.
    let html = args.format == Format::Html || args.outputs.iter().any(|(f, _)| *f == Format::Html);
    let check = if html {
        fasti::check_with_dataset
    } else {
        fasti::check
    };
    let outcome = match check(&options) {
        Ok(outcome) => outcome,
        Err(error) => {
            let report = Report {
                diagnostics: &error.diagnostics,
                files: &error.files,
                summary: Default::default(),
                scope: Scope::default(),
                dataset: None,
            };
            let mut stderr = io::stderr().lock();
            render(Format::Human, &report, &render_options(color), &mut stderr)?;
            writeln!(stderr, "fasti: could not check the dataset")?;
            return Ok(ExitStatus::Error.into());
        }
    };
    // A file fasti failed on (a caught panic, reported as `internal-error`) ends the run with 2
    // whatever the filters below keep: the check was not complete.
    let internal_error = outcome.exit_status(false) == ExitStatus::Error;
    let (diagnostics, changed) = match &args.changed_since {
        None => (outcome.diagnostics, None),
        Some(rev) => {
            let changes = git::changed_since(&root, rev)?;
            if changes.changes_everything() {
                let _ = writeln!(
                    io::stderr(),
                    "fasti: fasti.toml or schema/ changed since `{rev}`: every finding is reported"
                );
                (outcome.diagnostics, None)
            } else {
                let kept =
                    baseline::involving_changes(outcome.diagnostics, &changes, &outcome.references);
                (kept, Some((rev.as_str(), changes.files.len())))
            }
        }
    };
    let baseline = match &args.baseline {
        None => None,
        Some(value) => Some(load_baseline(&root, value, !args.no_adjudications)?),
    };
    let report = Report {
        diagnostics: &diagnostics,
        files: &outcome.files,
        summary: outcome.summary,
        scope: Scope {
            changed: changed.map(|(since, files)| Changed { since, files }),
            baseline: baseline.as_ref(),
        },
        dataset: outcome.dataset.as_ref(),
    };
    // Each format is rendered once: `--format json --output json=PATH` writes the same bytes
    // twice (when standard output takes no colour, the options are the same).
    let mut rendered: Vec<(Format, Vec<u8>)> = Vec::new();
    for ((format, _), target) in args.outputs.iter().zip(&targets) {
        if !rendered.iter().any(|(done, _)| done == format) {
            let mut buffer = Vec::new();
            render(*format, &report, &render_options(false), &mut buffer)?;
            rendered.push((*format, buffer));
        }
        if let Some((_, buffer)) = rendered.iter().find(|(done, _)| done == format) {
            output::write(target, buffer)?;
        }
    }
    let mut stdout = io::stdout().lock();
    match rendered.iter().find(|(done, _)| *done == args.format) {
        Some((_, buffer)) if !color => stdout.write_all(buffer)?,
        _ => render(args.format, &report, &render_options(color), &mut stdout)?,
    }
    stdout.flush()?;
    let deny_warnings = args.deny.is_some();
    let status = match (args.fail_on, &baseline) {
        (FailOn::New, Some(baseline)) => {
            let new: Vec<_> = diagnostics
                .into_iter()
                .filter(|d| baseline.novelty(d) == Novelty::New)
                .collect();
            exit_status(&new, deny_warnings)
        }
        _ => exit_status(&diagnostics, deny_warnings),
    };
    let status = if internal_error {
        ExitStatus::Error
    } else {
        status
    };
    // The process ends here: handing back the texts of every file with findings and the rendered
    // reports piece by piece would only delay the exit (0.07 s for a million events).
    std::mem::forget((outcome.files, rendered));
    Ok(status.into())
}

/// `--baseline`: a file when something other than a directory has that name (a FIFO or a link
/// out of the repository is then refused, not taken for a revision), else a git revision.
fn load_baseline(root: &Path, value: &str, adjudicate: bool) -> io::Result<Baseline> {
    let path = Path::new(value);
    if path.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
        baseline::from_file(root, path)
    } else if git::is_revision(root, value) {
        baseline::from_revision(root, value, adjudicate)
    } else {
        Err(io::Error::other(format!(
            "--baseline `{value}` is neither a file nor a git revision"
        )))
    }
}

fn rules(args: &RulesArgs) -> io::Result<ExitCode> {
    let mut stdout = io::stdout().lock();
    if args.json {
        // A struct rather than `json!`, whose map would sort the keys.
        #[derive(serde::Serialize)]
        struct Listed {
            code: &'static str,
            name: &'static str,
            family: &'static str,
            severity: &'static str,
            summary: &'static str,
        }
        let list: Vec<Listed> = Rule::ALL
            .iter()
            .map(|rule| Listed {
                code: rule.code(),
                name: rule.name(),
                family: rule.family().title(),
                severity: rule.default_severity().as_str(),
                summary: rule.summary(),
            })
            .collect();
        serde_json::to_writer_pretty(&mut stdout, &list)?;
        writeln!(stdout)?;
    } else {
        for rule in Rule::ALL {
            writeln!(
                stdout,
                "{:<5} {:<26} {:<8} {}",
                rule.code(),
                rule.name(),
                rule.default_severity(),
                rule.summary()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn explain(name: &str) -> io::Result<ExitCode> {
    match Rule::find(name) {
        Some(rule) => {
            let mut stdout = io::stdout().lock();
            write!(stdout, "{}", rule.docs())?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let _ = writeln!(
                io::stderr(),
                "fasti: no rule is named `{name}`; {}",
                Rule::unknown_help(name)
            );
            Ok(ExitStatus::Error.into())
        }
    }
}

fn parse_output(value: &str) -> Result<(Format, PathBuf), String> {
    let (format, path) = value
        .split_once('=')
        .ok_or("expected FORMAT=PATH, e.g. `sarif=fasti.sarif`")?;
    let format: Format = format.parse().map_err(|_| {
        format!(
            "unknown format `{format}`; one of: {}",
            Format::ALL
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    if path.is_empty() {
        return Err("the path after `=` is empty".to_owned());
    }
    Ok((format, PathBuf::from(path)))
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(100)
}
