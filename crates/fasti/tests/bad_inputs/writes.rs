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
