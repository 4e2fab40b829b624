//! Git, at the edge: which files changed since a revision, and a revision's dataset checked out
//! into a temporary directory. Git runs as a subprocess; the libraries never see it.
//!
//! Every command runs with `GIT_OPTIONAL_LOCKS=0` (a `git diff` never rewrites the index while an
//! editor's git runs) and never touches the network, the index or the working tree.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The files under the dataset root that differ from a revision, relative to the root with `/`.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    pub(crate) files: BTreeSet<String>,
}

impl Changes {
    /// `fasti.toml` or a schema changed: every file may read differently, so every finding
    /// counts as changed.
    pub(crate) fn changes_everything(&self) -> bool {
        self.files
            .iter()
            .any(|f| f == "fasti.toml" || f.starts_with("schema/"))
    }

    /// An authority file changed (or was deleted): references to it may no longer resolve.
    pub(crate) fn changes_authority(&self) -> bool {
        self.files.iter().any(|f| {
            let mut parts = f.rsplit('/');
            parts.next();
            parts.next() == Some("authority")
        })
    }
}

/// The files changed since `rev`: those the branch changed since it forked from `rev`
/// (`git diff REV...HEAD`, as a pull request's diff does), plus staged, unstaged and untracked
/// (not ignored) files, all under `root`. Renames count as a deletion plus an addition.
pub(crate) fn changed_since(root: &Path, rev: &str) -> io::Result<Changes> {
    verify_revision(root, rev)?;
    let mut changes = Changes::default();
    // Committed since the merge base, then uncommitted (staged or not) against HEAD.
    let mut outputs = Vec::new();
    for range in [format!("{rev}...HEAD"), "HEAD".to_owned()] {
        outputs.push(git(
            root,
            [
                "diff",
                "--name-only",
                "--no-renames",
                "-z",
                "--relative",
                &range,
                "--",
            ],
        )?);
    }
    outputs.push(git(
        root,
        ["ls-files", "--others", "--exclude-standard", "-z"],
    )?);
    for output in outputs {
        changes.files.extend(
            output
                .split(|&b| b == 0)
                .filter(|name| !name.is_empty())
                .map(|name| String::from_utf8_lossy(name).into_owned()),
        );
    }
    Ok(changes)
}

/// Whether `rev` names a commit in the repository that holds `root`.
pub(crate) fn is_revision(root: &Path, rev: &str) -> bool {
    verify_revision(root, rev).is_ok()
}

fn verify_revision(root: &Path, rev: &str) -> io::Result<()> {
    if rev.starts_with('-') {
        return Err(io::Error::other(format!("`{rev}` is not a git revision")));
    }
    git(
        root,
        ["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")],
    )
    .map(drop)
    .map_err(|error| {
        io::Error::other(format!(
            "`{rev}` is not a commit in the git repository at {} ({error}); in a shallow CI checkout, fetch it first (actions/checkout `fetch-depth: 0`)",
            root.display()
        ))
    })
}

/// A revision's dataset (`fasti.toml`, `schema/`, `sources/` under the dataset root) checked
/// out into a temporary directory, deleted when this is dropped.
pub(crate) struct Checkout {
    dir: tempfile::TempDir,
}

impl Checkout {
    /// The dataset root at the revision.
    pub(crate) fn root(&self) -> PathBuf {
        self.dir.path().join("dataset")
    }
}

/// Checks out the dataset at `rev` through a temporary index (`read-tree` then `checkout-index`),
/// so that the repository's own index, working tree and worktree list stay as they were.
pub(crate) fn checkout(root: &Path, rev: &str) -> io::Result<Checkout> {
    verify_revision(root, rev)?;
    let prefix = String::from_utf8_lossy(&git(root, ["rev-parse", "--show-prefix"])?)
        .trim()
        .trim_end_matches('/')
        .to_owned();
    let toplevel = PathBuf::from(
        String::from_utf8_lossy(&git(root, ["rev-parse", "--show-toplevel"])?).trim(),
    );
    let dir = tempfile::Builder::new()
        .prefix("fasti-baseline-")
        .tempdir()?;
    let index = dir.path().join("index");
    let dataset = dir.path().join("dataset");
    std::fs::create_dir(&dataset)?;
    let with_index = |command: &mut Command| {
        command.env("GIT_INDEX_FILE", &index);
    };
    git_with(
        &toplevel,
        ["read-tree", &format!("{rev}:{prefix}")],
        with_index,
        None,
    )?;
    let files = git_with(
        &toplevel,
        ["ls-files", "-z", "--", "fasti.toml", "schema", "sources"],
        with_index,
        None,
    )?;
    let mut destination = dataset.into_os_string();
    destination.push("/");
    let prefix_arg = {
        let mut arg = std::ffi::OsString::from("--prefix=");
        arg.push(&destination);
        arg
    };
    git_with(
        &toplevel,
        [
            OsStr::new("checkout-index"),
            OsStr::new("-z"),
            OsStr::new("--stdin"),
            &prefix_arg,
        ],
        with_index,
        Some(&files),
    )?;
    Ok(Checkout { dir })
}

fn git<I, S>(cwd: &Path, args: I) -> io::Result<Vec<u8>>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    git_with(cwd, args, |_| {}, None)
}

/// Runs git in `cwd` and returns its standard output; a failure carries git's standard error.
fn git_with<I, S>(
    cwd: &Path,
    args: I,
    configure: impl FnOnce(&mut Command),
    stdin: Option<&[u8]>,
) -> io::Result<Vec<u8>>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(cwd)
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    configure(&mut command);
    let mut child = command
        .spawn()
        .map_err(|e| io::Error::other(format!("cannot run git: {e}")))?;
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(bytes)?;
    }
    let output = child.wait_with_output()?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let message = stderr.trim();
        Err(io::Error::other(if message.is_empty() {
            format!("git exited with {}", output.status)
        } else {
            format!("git: {message}")
        }))
    }
}
