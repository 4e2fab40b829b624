//! fasti writes reports only through `--output`, atomically, and never into `sources/`.

use std::fs;
use std::process::Command;

fn validate(root: &std::path::Path, output: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_fasti"))
        .current_dir(root)
        .args(["validate", "--color", "never", "--output", output])
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn a_report_into_sources_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("sources/authority")).unwrap();
    fs::write(root.join("fasti.toml"), "").unwrap();
    std::os::unix::fs::symlink(root.join("sources"), root.join("reports")).unwrap();
    let before = listing(root);
    for output in [
        "sarif=sources/x.sarif",
        "sarif=./sources/authority/../x.sarif",
        "json=reports/x.json",
    ] {
        let run = validate(root, output);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{output}: {stderr}");
        assert!(
            stderr.contains("refusing to write a report into the dataset"),
            "{output}: {stderr}"
        );
        assert_eq!(listing(root), before, "{output}");
    }
}

/// Every path under `root`, sorted.
fn listing(root: &std::path::Path) -> Vec<String> {
    let mut paths = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            paths.push(path.strip_prefix(root).unwrap().display().to_string());
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            }
        }
    }
    paths.sort();
    paths
}

/// A minimal clean dataset in a temporary directory.
fn clean_dataset() -> tempfile::TempDir {
    let dir = crate::generated::dataset();
    fs::write(dir.path().join("fasti.toml"), "").unwrap();
    dir
}

fn stderr(run: &std::process::Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
}

/// The attack of issue 15: links planted at the temporary file's name, which used to be
/// `.NAME.fasti-<pid>.tmp`, pointing at an authority file. `sh` plants the link for its own pid
/// and then becomes fasti (`exec`), so the pid is the one fasti runs with. Nothing is written
/// through the link: the temporary name is random and created exclusively.
#[cfg(unix)]
#[test]
fn a_link_planted_at_the_temporary_name_is_not_followed() {
    let dir = clean_dataset();
    let root = dir.path();
    let people = root.join("sources/authority/places.yaml");
    let before = fs::read(&people).unwrap();
    let script = format!(
        "ln -s sources/authority/places.yaml \".r.json.fasti-$$.tmp\" && exec '{}' validate --color never --output json=r.json",
        env!("CARGO_BIN_EXE_fasti")
    );
    let run = Command::new("sh")
        .current_dir(root)
        .args(["-c", &script])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(
        fs::read(&people).unwrap(),
        before,
        "the authority was overwritten"
    );
    let report = fs::read_to_string(root.join("r.json")).unwrap();
    assert!(report.starts_with("{\n  \"version\": 1"), "{report}");
}

/// A link, a directory, a FIFO or a device at the output path is refused and left as it was:
/// renaming over it would replace a device node or a pipe, and writing through a link writes
/// where it points.
#[cfg(unix)]
#[test]
#[allow(
    clippy::print_stderr,
    reason = "the skips must be visible in the test output"
)]
fn links_directories_fifos_and_devices_are_not_replaced() {
    use std::os::unix::fs::{FileTypeExt, symlink};
    let dir = clean_dataset();
    let root = dir.path();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("precious"), "precious\n").unwrap();
    symlink(outside.path().join("precious"), root.join("link.json")).unwrap();
    fs::create_dir(root.join("folder.json")).unwrap();
    let mut cases = vec![
        ("json=link.json", "it is a symbolic link"),
        ("json=folder.json", "it is a directory"),
        ("json=folder.json/", "it is a directory"),
    ];
    let fifo = Command::new("mkfifo")
        .arg(root.join("pipe.json"))
        .status()
        .is_ok_and(|s| s.success());
    if fifo {
        cases.push(("json=pipe.json", "it is a FIFO"));
    } else {
        eprintln!("SKIPPED the FIFO case: no `mkfifo` here; the directory case covers the refusal");
    }
    // /dev/null as in the issue's `/dev/full`, made inside the test directory (needs root).
    let device = Command::new("mknod")
        .arg(root.join("null.json"))
        .args(["c", "1", "3"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if device {
        cases.push(("json=null.json", "it is a device"));
    } else {
        eprintln!(
            "SKIPPED the device case: `mknod` needs root; the FIFO case covers special files"
        );
    }
    let before = listing(root);
    for (output, message) in cases {
        let run = validate(root, output);
        let stderr = stderr(&run);
        assert_eq!(run.status.code(), Some(2), "{output}: {stderr}");
        let path = output.split_once('=').unwrap().1;
        assert!(
            stderr.contains(&format!("cannot write the report `{path}`: {message}")),
            "{output}: {stderr}"
        );
        assert_eq!(listing(root), before, "{output}");
    }
    assert_eq!(
        fs::read_to_string(outside.path().join("precious")).unwrap(),
        "precious\n"
    );
    if fifo {
        assert!(
            fs::symlink_metadata(root.join("pipe.json"))
                .unwrap()
                .file_type()
                .is_fifo()
        );
    }
    if device {
        let file_type = fs::symlink_metadata(root.join("null.json"))
            .unwrap()
            .file_type();
        assert!(file_type.is_char_device());
    }
}

/// `schema/` and `fasti.toml` are the dataset as much as `sources/` is.
#[test]
fn a_report_into_schema_or_over_fasti_toml_is_refused() {
    let dir = clean_dataset();
    let root = dir.path();
    fs::create_dir(root.join("schema")).unwrap();
    let before = listing(root);
    for output in [
        "json=schema/x.json",
        "json=fasti.toml",
        "sarif=./schema/../fasti.toml",
    ] {
        let run = validate(root, output);
        let stderr = stderr(&run);
        assert_eq!(run.status.code(), Some(2), "{output}: {stderr}");
        assert!(
            stderr.contains("refusing to write a report into the dataset"),
            "{output}: {stderr}"
        );
        assert_eq!(listing(root), before, "{output}");
    }
}

/// Two reports to one path (however it is spelled) would lose one; a missing directory is named.
#[test]
fn two_outputs_to_one_path_and_a_missing_directory_are_refused() {
    let dir = clean_dataset();
    let root = dir.path();
    fs::create_dir(root.join("out")).unwrap();
    let before = listing(root);
    let run = Command::new(env!("CARGO_BIN_EXE_fasti"))
        .current_dir(root)
        .args([
            "validate",
            "--output",
            "json=out/r",
            "--output",
            "sarif=./out/../out/r",
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains(
            "cannot write the report `./out/../out/r`: it is the same file as `out/r`: two reports cannot be written to one path"
        ),
        "{}",
        stderr(&run)
    );
    assert_eq!(listing(root), before);

    let run = validate(root, "json=no/such/dir/r.json");
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert_eq!(
        stderr(&run),
        "fasti: cannot write the report `no/such/dir/r.json`: its directory `no/such/dir` does not exist\n"
    );
    assert_eq!(listing(root), before);
}

/// A dataset whose JSON report is several megabytes: 150 sources, each with 40 impossible dates.
fn many_findings() -> tempfile::TempDir {
    let dir = clean_dataset();
    let claim = "  - event: landing\n    date: 31 June 1943\n    title: Landing in Sicily\n    locator: p. 1\n";
    for i in 0..150 {
        let text = format!(
            "id: bad-{i}\ntitle: Bad\nlanguage: en\nkind: web-page\nreference: p\norder: narrative\nevents:\n{}",
            claim.repeat(40)
        );
        fs::write(dir.path().join(format!("sources/bad-{i}.yaml")), text).unwrap();
    }
    dir
}

/// Starts fasti writing a large report over `out/r.json` (which holds `old`), sends `signal` as
/// soon as fasti has a file open in `out/` (`/proc/PID/fd`: the unnamed `O_TMPFILE` file being
/// written, or a named temporary file), and returns what is left in `out/`, with the target's
/// text. `None` when the run ended before it was seen writing.
#[cfg(target_os = "linux")]
fn interrupt_while_writing(root: &std::path::Path, signal: &str) -> Option<(Vec<String>, String)> {
    let out = root.join("out");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir(&out).unwrap();
    fs::write(out.join("r.json"), "old").unwrap();
    let inside = format!("{}/", out.canonicalize().unwrap().display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_fasti"))
        .current_dir(root)
        .args([
            "validate",
            "--format",
            "github",
            "--output",
            "json=out/r.json",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let fds = format!("/proc/{}/fd", child.id());
    let mut sent = false;
    while child.try_wait().unwrap().is_none() {
        let writing = fs::read_dir(&fds).into_iter().flatten().any(|fd| {
            fd.ok()
                .and_then(|fd| fs::read_link(fd.path()).ok())
                .is_some_and(|target| target.to_string_lossy().starts_with(&inside))
        });
        if writing {
            let kill = Command::new("kill")
                .args([format!("-{signal}"), child.id().to_string()])
                .status()
                .unwrap();
            assert!(kill.success());
            sent = true;
            break;
        }
    }
    let status = child.wait().unwrap();
    if !sent {
        return None;
    }
    assert!(!status.success(), "{signal}: {status}");
    let mut left: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    Some((left, fs::read_to_string(out.join("r.json")).unwrap()))
}

/// SIGINT, SIGTERM and SIGKILL while a report is being written leave no temporary file, and the
/// target is the old report or the whole new one (the signal may land just after the rename),
/// never half of one. On Linux the report is written into an unnamed file (`O_TMPFILE`), so even
/// SIGKILL leaves nothing; it is named only for the instant before the rename. Each case is tried
/// until the signal is sent while fasti has a file open in the target's directory (a debug build
/// takes tens of milliseconds to write and sync the report), at most 20 times.
#[cfg(target_os = "linux")]
#[test]
fn an_interrupted_write_leaves_no_temporary_file_and_the_target_whole() {
    let dir = many_findings();
    for signal in ["INT", "TERM", "KILL"] {
        let (files, target) = (0..20)
            .find_map(|_| interrupt_while_writing(dir.path(), signal))
            .unwrap_or_else(|| panic!("{signal}: no run was caught writing its report"));
        let whole = target == "old"
            || (target.starts_with("{\n  \"version\": 1")
                && serde_json::from_str::<serde_json::Value>(&target).is_ok());
        assert!(
            whole,
            "{signal}: the target is neither the old report nor a whole new one"
        );
        assert_eq!(files, ["r.json"], "{signal}: a temporary file was left");
    }
}

/// A hard link to a dataset file at the output path: the report replaces the link (a rename
/// changes which file the name points to), never the dataset file's content.
#[test]
fn a_hard_link_to_the_dataset_at_the_target_is_replaced_not_written_through() {
    let dir = clean_dataset();
    let root = dir.path();
    let places = root.join("sources/authority/places.yaml");
    let before = fs::read(&places).unwrap();
    fs::hard_link(&places, root.join("r.json")).unwrap();
    let run = validate(root, "json=r.json");
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(fs::read(&places).unwrap(), before);
    let report = fs::read_to_string(root.join("r.json")).unwrap();
    assert!(report.starts_with("{\n  \"version\": 1"), "{report}");
}
