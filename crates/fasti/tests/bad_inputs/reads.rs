//! Nothing outside the repository is read through a link, no special file is opened for reading,
//! and a refused file's content is never shown: `fasti.toml`, `schema/` and its files, `sources/`
//! and `sources/authority/` themselves, source files and a baseline file.
//!
//! Each attack plants a secret outside the repository and checks that the report names the
//! refused path, never shows the secret, and ends with the right exit code. Runs that could hang
//! (a FIFO) run the binary with a deadline.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::generated::{dataset, write};
use crate::report;

const SECRET: &str = "SECRET-7f3a9c";

/// A directory outside the dataset with the secret in every form fasti might read: as TOML (an
/// error excerpt would show it), as a schema, as a source and as an authority.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "secret.toml", &format!("{SECRET} = [\n"));
    write(
        dir.path(),
        "schema/source.schema.json",
        &format!("{{\"{SECRET}\": \n"),
    );
    write(
        dir.path(),
        "src/leak.yaml",
        &format!("id: leak\ntitle: {SECRET}\n"),
    );
    write(
        dir.path(),
        "src/authority/people.yaml",
        &format!("people:\n  - id: leak\n    {SECRET}: x\n"),
    );
    dir
}

/// `fasti validate` in `root`, stopped after 60 s (a FIFO read would block for ever).
fn run(root: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fasti"))
        .current_dir(root)
        .args(["validate", "--color", "never"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("fasti validate {args:?} did not end within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn shown(output: &Output) -> String {
    format!(
        "{}{}exit {:?}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        output.status.code()
    )
}

/// The report names `path` with `message`, ends with `exit`, and never shows the secret.
#[track_caller]
fn refused(report: &str, path: &str, message: &str, exit: &str) {
    assert!(!report.contains(SECRET), "the secret was shown:\n{report}");
    assert!(
        report.contains(&format!("--> {path}\n")) || report.contains(&format!("`{path}`")),
        "{path} is not named:\n{report}"
    );
    assert!(report.contains(message), "no `{message}`:\n{report}");
    assert!(report.trim_end().ends_with(exit), "not {exit}:\n{report}");
}

const OUTSIDE: &str = "is reached through a symbolic link that points outside the repository";

#[cfg(unix)]
#[test]
fn fasti_toml_linked_out_of_the_repository_is_not_read() {
    use std::os::unix::fs::symlink;
    let secret = outside();
    for target in [
        secret.path().join("secret.toml"),
        "/proc/self/environ".into(),
        "/dev/zero".into(),
    ] {
        let dir = dataset();
        symlink(&target, dir.path().join("fasti.toml")).unwrap();
        refused(&report(dir.path()), "fasti.toml", OUTSIDE, "exit 2");
    }
}

#[cfg(unix)]
#[test]
fn schema_linked_out_of_the_repository_is_not_read() {
    use std::os::unix::fs::symlink;
    let secret = outside();
    let dir = dataset();
    fs::create_dir(dir.path().join("schema")).unwrap();
    symlink(
        secret.path().join("schema/source.schema.json"),
        dir.path().join("schema/source.schema.json"),
    )
    .unwrap();
    refused(
        &report(dir.path()),
        "schema/source.schema.json",
        OUTSIDE,
        "exit 2",
    );

    let dir = dataset();
    symlink(secret.path().join("schema"), dir.path().join("schema")).unwrap();
    refused(&report(dir.path()), "schema", OUTSIDE, "exit 2");
}

#[cfg(unix)]
#[test]
fn sources_and_authority_linked_out_of_the_repository_are_not_read() {
    use std::os::unix::fs::symlink;
    let secret = outside();
    let dir = dataset();
    fs::rename(
        dir.path().join("sources"),
        dir.path().join("sources-elsewhere"),
    )
    .unwrap();
    symlink(secret.path().join("src"), dir.path().join("sources")).unwrap();
    refused(&report(dir.path()), "sources", OUTSIDE, "exit 1");

    let dir = dataset();
    fs::remove_dir_all(dir.path().join("sources/authority")).unwrap();
    symlink(
        secret.path().join("src/authority"),
        dir.path().join("sources/authority"),
    )
    .unwrap();
    refused(&report(dir.path()), "sources/authority", OUTSIDE, "exit 1");
}

/// Links that stay in the repository are followed: `fasti.toml`, `schema/` and a schema file.
#[cfg(unix)]
#[test]
fn links_inside_the_repository_are_followed() {
    use std::os::unix::fs::symlink;
    let dir = dataset();
    let root = dir.path();
    write(root, "config/fasti.toml", "[limits]\nmax-depth = 32\n");
    symlink("config/fasti.toml", root.join("fasti.toml")).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema");
    for name in [
        "common.schema.json",
        "source.schema.json",
        "authority.schema.json",
    ] {
        fs::create_dir_all(root.join("shared-schema")).unwrap();
        fs::copy(schema.join(name), root.join("shared-schema").join(name)).unwrap();
    }
    symlink("shared-schema", root.join("schema")).unwrap();
    let report = report(root);
    assert!(report.ends_with("exit 0\n"), "{report}");
}

/// A `fasti.toml` or schema file larger than its fixed limit is not read; neither is a
/// directory in their place (refused from its metadata, without opening it).
#[test]
fn oversized_or_irregular_config_and_schema_are_refused() {
    let dir = dataset();
    let comment = format!("# {}\n", "x".repeat(1022));
    write(dir.path(), "fasti.toml", &comment.repeat(1025));
    refused(
        &report(dir.path()),
        "fasti.toml",
        "is 1 MiB, larger than the limit of 1 MiB; it is not read",
        "exit 2",
    );

    let dir = dataset();
    fs::create_dir(dir.path().join("fasti.toml")).unwrap();
    refused(
        &report(dir.path()),
        "fasti.toml",
        "is a directory, not a regular file",
        "exit 2",
    );

    let dir = dataset();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema");
    fs::create_dir(dir.path().join("schema")).unwrap();
    for name in ["common.schema.json", "authority.schema.json"] {
        fs::copy(schema.join(name), dir.path().join("schema").join(name)).unwrap();
    }
    let padded = format!(
        "{}{}",
        fs::read_to_string(schema.join("source.schema.json")).unwrap(),
        " ".repeat(4 << 20)
    );
    write(dir.path(), "schema/source.schema.json", &padded);
    refused(
        &report(dir.path()),
        "schema/source.schema.json",
        "larger than the limit of 4 MiB",
        "exit 2",
    );
}

/// Whether `mkfifo` made a FIFO at `path`; says so when it could not.
#[cfg(unix)]
#[allow(
    clippy::print_stderr,
    reason = "the skip must be visible in the test output"
)]
fn mkfifo(path: &Path) -> bool {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!(
            "SKIPPED a FIFO case: `mkfifo` is not available here; `oversized_or_irregular_config_and_schema_are_refused` covers refusing a file from its metadata"
        );
    }
    made
}

/// A FIFO as `fasti.toml`, as a schema file, as a source file and as the baseline: each is
/// refused from its metadata and never opened for reading (which would block for ever).
#[cfg(unix)]
#[test]
fn fifos_are_refused_without_blocking() {
    let dir = dataset();
    if !mkfifo(&dir.path().join("fasti.toml")) {
        return;
    }
    refused(
        &shown(&run(dir.path(), &[])),
        "fasti.toml",
        "is a FIFO, not a regular file; fasti does not read it",
        "exit Some(2)",
    );

    let dir = dataset();
    fs::create_dir(dir.path().join("schema")).unwrap();
    mkfifo(&dir.path().join("schema/source.schema.json"));
    refused(
        &shown(&run(dir.path(), &[])),
        "schema/source.schema.json",
        "is a FIFO, not a regular file",
        "exit Some(2)",
    );

    let dir = dataset();
    mkfifo(&dir.path().join("sources/pipe.yaml"));
    let report = shown(&run(dir.path(), &[]));
    refused(
        &report,
        "sources/pipe.yaml",
        "file is a FIFO, not a regular file; fasti does not read it",
        "exit Some(1)",
    );
    assert!(report.contains("1 error in 3 files"), "{report}");

    let dir = dataset();
    mkfifo(&dir.path().join("baseline.json"));
    refused(
        &shown(&run(dir.path(), &["--baseline", "baseline.json"])),
        "baseline.json",
        "the baseline `baseline.json` is a FIFO, not a regular file",
        "exit Some(2)",
    );
}

/// A baseline file in the repository that links outside it is not read, nor shown.
#[cfg(unix)]
#[test]
fn a_baseline_linked_out_of_the_repository_is_not_read() {
    use std::os::unix::fs::symlink;
    let secret = outside();
    let dir = dataset();
    symlink(
        secret.path().join("secret.toml"),
        dir.path().join("baseline.json"),
    )
    .unwrap();
    let report = shown(&run(dir.path(), &["--baseline", "baseline.json"]));
    refused(&report, "baseline.json", OUTSIDE, "exit Some(2)");
    // The same file given by its own path outside the repository is the user's choice: it is
    // read, and not being JSON is the error (without its content).
    let path = secret.path().join("secret.toml");
    let report = shown(&run(dir.path(), &["--baseline", path.to_str().unwrap()]));
    assert!(report.contains("is not JSON"), "{report}");
    assert!(!report.contains(SECRET), "{report}");
}

/// A directory with a data file's name is not a data file: it is passed over, and the run is
/// clean.
#[test]
fn a_directory_named_like_a_data_file_is_skipped() {
    let dir = dataset();
    fs::create_dir(dir.path().join("sources/folder.yaml")).unwrap();
    let report = report(dir.path());
    assert!(report.ends_with("exit 0\n"), "{report}");
}

/// A `schema/` without read permission stops the run (exit 2) instead of falling back on the
/// bundled schemas. As root, permissions do not apply: the test then says so; the cases above
/// (`schema` as a file, as a link out) cover the same property.
#[cfg(unix)]
#[test]
#[allow(
    clippy::print_stderr,
    reason = "the skip must be visible in the test output"
)]
fn an_unreadable_schema_directory_stops_the_run() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dataset();
    let schema = dir.path().join("schema");
    fs::create_dir(&schema).unwrap();
    fs::set_permissions(&schema, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read_dir(&schema).is_ok() {
        eprintln!(
            "SKIPPED an_unreadable_schema_directory_stops_the_run: this process can list a directory with mode 000 (running as root?)"
        );
        return;
    }
    let report = report(dir.path());
    fs::set_permissions(&schema, fs::Permissions::from_mode(0o755)).unwrap();
    refused(
        &report,
        "schema",
        "the schema directory `schema` cannot be read",
        "exit 2",
    );
}

/// A `fasti.toml` that is a link to nothing is named as such, not as a missing file.
#[cfg(unix)]
#[test]
fn a_dangling_fasti_toml_link_is_named() {
    let dir = dataset();
    std::os::unix::fs::symlink("nowhere.toml", dir.path().join("fasti.toml")).unwrap();
    refused(
        &report(dir.path()),
        "fasti.toml",
        "the file is a symbolic link that leads to no file",
        "exit 2",
    );
}
