//! Cases generated at test time: inputs too large, too deep or too odd (symlinks, permissions)
//! to commit.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::report;

/// A dataset in a temporary directory, with the fixtures' minimal authority and one clean
/// source, so that each report also shows the other files were checked.
pub(crate) fn dataset() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let authority = crate::fixtures().join("crlf/sources/authority");
    fs::create_dir_all(dir.path().join("sources/authority")).unwrap();
    for name in ["events.yaml", "places.yaml"] {
        fs::copy(
            authority.join(name),
            dir.path().join("sources/authority").join(name),
        )
        .unwrap();
    }
    write(dir.path(), "sources/good.yaml", GOOD);
    dir
}

pub(crate) const GOOD: &str = "id: good\ntitle: A good source\nlanguage: en\nkind: web-page\nreference: p\norder: narrative\nevents:\n  - event: landing\n    date: 10 July 1943\n    title: Landing in Sicily\n    places: [Sicily]\n    locator: p. 1\n";

pub(crate) fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Lines longer than 160 characters cut, marked with how much was cut: the human report shows
/// whole lines, and these files have lines of many kilobytes.
fn cut_long_lines(report: &str) -> String {
    report
        .lines()
        .map(|line| match line.char_indices().nth(160) {
            Some((at, _)) => format!("{}… [{} more bytes]\n", &line[..at], line.len() - at),
            None => format!("{line}\n"),
        })
        .collect()
}

const DEEP: usize = 10_000;

/// 10 000 levels of nesting in YAML block style, YAML flow style and JSON. Nothing overflows a
/// stack: not the parser, nor the span index built to locate the findings, nor rayon's worker
/// threads (2 MiB stacks), nor this test's own thread (2 MiB as well).
#[test]
fn nesting_ten_thousand_levels_deep() {
    let dir = dataset();
    let root = dir.path();
    write(
        root,
        "sources/block.yaml",
        &format!("{}x\n", "- ".repeat(DEEP)),
    );
    let mapping: String = (0..1000)
        .map(|i| format!("{}a:\n", " ".repeat(i)))
        .collect();
    write(
        root,
        "sources/block-mapping.yaml",
        &format!("{mapping}{}b: 1\n", " ".repeat(1000)),
    );
    write(
        root,
        "sources/flow.yaml",
        &format!("{}{}", "[\n".repeat(DEEP), "]\n".repeat(DEEP)),
    );
    write(
        root,
        "sources/deep.json",
        &format!("{}{}", "[\n".repeat(DEEP), "]\n".repeat(DEEP)),
    );
    insta::assert_snapshot!(cut_long_lines(&report(root)));
}

/// At the highest `max-depth` accepted, the deepest value that is built goes through every
/// stage (schema check, typed records, drop) on rayon's 2 MiB worker stacks.
#[test]
fn nesting_at_the_depth_ceiling() {
    let dir = dataset();
    let root = dir.path();
    let ceiling = fasti_ingest::Limits::MAX_DEPTH_CEILING;
    write(
        root,
        "fasti.toml",
        &format!("[limits]\nmax-depth = {ceiling}\n"),
    );
    write(
        root,
        "sources/block.yaml",
        &format!("{}x\n", "- ".repeat(DEEP)),
    );
    write(
        root,
        "sources/deep.json",
        &format!("{}{}", "[".repeat(ceiling), "]".repeat(ceiling)),
    );
    let mut events =
        format!("{GOOD}  - event: landing\n    date: 10 July 1943\n    locator: p. 2\n    title: ");
    events.push_str(&format!(
        "{}x{}\n",
        "[".repeat(ceiling - 4),
        "]".repeat(ceiling - 4)
    ));
    write(root, "sources/good.yaml", &events);
    let report = report(root);
    assert!(
        report.contains("nesting is deeper than the limit of 128 levels"),
        "{report}"
    );
    assert!(report.ends_with("exit 1\n"), "{report}");
}

#[test]
fn a_max_depth_over_the_ceiling_is_refused() {
    let dir = dataset();
    write(dir.path(), "fasti.toml", "[limits]\nmax-depth = 100000\n");
    insta::assert_snapshot!(report(dir.path()));
}

/// A 300 MB file is refused by the default `max-file-size` (16 MiB) without being read: memory
/// stays bounded whatever the size of the file.
#[test]
fn a_file_of_hundreds_of_megabytes() {
    let dir = dataset();
    let path = dir.path().join("sources/huge.yaml");
    let mut file = fs::File::create(&path).unwrap();
    let line = "- a line of a very large file\n".repeat(1024);
    for _ in 0..(300 * 1024 * 1024 / line.len()) {
        file.write_all(line.as_bytes()).unwrap();
    }
    drop(file);
    insta::assert_snapshot!(report(dir.path()));
}

/// Parsing a large file within a raised limit, to see what it costs. Ignored: in a debug build it
/// takes well over 20 seconds. Run it with `cargo test --release -- --ignored`.
#[test]
#[ignore = "slow in debug builds: parses a 120 MB file"]
fn a_large_file_within_a_raised_limit_is_checked() {
    let dir = dataset();
    write(
        dir.path(),
        "fasti.toml",
        "[limits]\nmax-file-size = 268435456\n",
    );
    let path = dir.path().join("sources/large.yaml");
    let mut file = fs::File::create(&path).unwrap();
    file.write_all(b"id: large\ntitle: A large source\nlanguage: en\nkind: web-page\nreference: p\norder: narrative\nevents:\n").unwrap();
    let event = "  - event: landing\n    date: 10 July 1943\n    title: Landing in Sicily\n    places: [Sicily]\n    locator: p. 1\n";
    for _ in 0..(120 * 1024 * 1024 / event.len()) {
        file.write_all(event.as_bytes()).unwrap();
    }
    drop(file);
    let report = report(dir.path());
    assert!(report.ends_with("exit 0\n"), "{}", cut_long_lines(&report));
}

/// One line of several megabytes: a value longer than `max-string-length` (1 MiB), and a long
/// flow list within the limits.
#[test]
fn a_single_line_of_megabytes() {
    let dir = dataset();
    let root = dir.path();
    let long = GOOD.replace(
        "title: A good source",
        &format!("title: {}", "x".repeat(3 << 20)),
    );
    write(
        root,
        "sources/long.yaml",
        &long.replace("id: good", "id: long"),
    );
    let items = vec!["Sicily"; 400_000].join(", ");
    let wide = GOOD.replace("places: [Sicily]", &format!("places: [{items}]"));
    write(
        root,
        "sources/wide.yaml",
        &wide.replace("id: good", "id: wide"),
    );
    insta::assert_snapshot!(cut_long_lines(&report(root)));
}

/// Thousands of faults in one file: at most `max-findings-per-file` are kept, in memory too.
#[test]
fn a_file_of_many_faults() {
    let dir = dataset();
    let text: String = (0..100_000).map(|i| format!("k: {i}\n")).collect();
    write(dir.path(), "sources/faults.yaml", &text);
    let report = report(dir.path());
    // 1000 kept (6 schema findings about the missing fields, then the duplicates in order) and
    // one saying how many more there were.
    assert_eq!(report.matches("\nerror[").count() + 1, 1001);
    let start = report.find("error[S005]").unwrap();
    let end = start + report[start..].find("\n\n").unwrap();
    insta::assert_snapshot!(&report[start..end]);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_dangling_and_looping() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.yaml", "id: secret\n");
    let dir = dataset();
    let sources = dir.path().join("sources");
    symlink(
        outside.path().join("secret.yaml"),
        sources.join("outside.yaml"),
    )
    .unwrap();
    symlink("/etc/passwd", sources.join("passwd.yaml")).unwrap();
    symlink(sources.join("loop-b.yaml"), sources.join("loop-a.yaml")).unwrap();
    symlink(sources.join("loop-a.yaml"), sources.join("loop-b.yaml")).unwrap();
    symlink(sources.join("missing.yaml"), sources.join("dangling.yaml")).unwrap();
    // A link inside the repository is followed.
    symlink(sources.join("good.yaml"), sources.join("inside.yaml")).unwrap();
    // A directory link is not followed, wherever it points.
    symlink(outside.path(), sources.join("elsewhere")).unwrap();
    insta::assert_snapshot!(report(dir.path()));
}

/// A file without read permission. As root, permissions do not apply: the test then says so
/// and checks nothing.
#[cfg(unix)]
#[test]
#[allow(
    clippy::print_stderr,
    reason = "the skip must be visible in the test output"
)]
fn an_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dataset();
    let path = dir.path().join("sources/locked.yaml");
    fs::write(&path, GOOD.replace("id: good", "id: locked")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::File::open(&path).is_ok() {
        eprintln!(
            "SKIPPED an_unreadable_file: this process can read a file with mode 000 (running as root?), so the case cannot be tested here"
        );
        return;
    }
    let report = report(dir.path());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    insta::assert_snapshot!(report);
}
