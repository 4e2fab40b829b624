//! Writing reports (`--output FORMAT=PATH`): every target is checked before the run, and each
//! report is written whole or not at all.
//!
//! On Linux a report is written into an unnamed file in the target's directory (`O_TMPFILE`),
//! synced, then given a random name created exclusively (never following a link planted there)
//! and renamed over the target at once: a reader sees the old report or the new one, and a run
//! killed while writing, even by SIGKILL, leaves nothing behind (the name exists only for the
//! instant between its creation and the rename). Elsewhere (or without
//! `O_TMPFILE` or `/proc`) it goes to a temporary file with a random name, created exclusively by
//! `tempfile`, synced, then renamed; SIGINT, SIGTERM and SIGHUP remove that file before the
//! process ends, and SIGKILL may leave it (the target is untouched).

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use fasti_ingest::kind_of;

/// A checked output path.
#[derive(Debug)]
pub(crate) struct Target {
    /// As the user wrote it, for messages.
    shown: PathBuf,
    /// The directory it goes in, with every link resolved.
    dir: PathBuf,
    name: OsString,
}

impl Target {
    fn path(&self) -> PathBuf {
        self.dir.join(&self.name)
    }
}

/// Checks every `--output` path before anything is checked or written, and refuses (naming the
/// path):
/// - a path whose directory does not exist or is not a directory;
/// - a path that is a symbolic link, a directory, a FIFO, a device or a socket (renaming over
///   them would replace a device node or a pipe, or write where the link points);
/// - a path in the dataset: under `sources/` or `schema/`, or `fasti.toml`, also when reached
///   through `..` or a linked directory;
/// - two outputs to one path (one report would be lost).
pub(crate) fn check_targets<'a>(
    root: &Path,
    paths: impl IntoIterator<Item = &'a Path>,
) -> io::Result<Vec<Target>> {
    let mut targets: Vec<Target> = Vec::new();
    for path in paths {
        let target = check_target(root, path)?;
        if let Some(earlier) = targets.iter().find(|t| t.path() == target.path()) {
            return Err(refused(
                path,
                &format!(
                    "it is the same file as `{}`: two reports cannot be written to one path",
                    earlier.shown.display()
                ),
            ));
        }
        targets.push(target);
    }
    Ok(targets)
}

fn check_target(root: &Path, path: &Path) -> io::Result<Target> {
    let name = match path.file_name() {
        Some(name) if !path.as_os_str().to_string_lossy().ends_with('/') => name.to_owned(),
        _ => return Err(refused(path, "it is a directory")),
    };
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let dir = match parent.canonicalize() {
        Ok(dir) => dir,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Err(refused(
                path,
                &format!("its directory `{}` does not exist", parent.display()),
            ));
        }
        Err(error) => {
            return Err(refused(
                path,
                &format!(
                    "its directory `{}` cannot be used: {error}",
                    parent.display()
                ),
            ));
        }
    };
    if !dir.is_dir() {
        return Err(refused(
            path,
            &format!("`{}` is not a directory", parent.display()),
        ));
    }
    let target = Target {
        shown: path.to_path_buf(),
        dir,
        name,
    };
    check_existing(&target)?;
    if in_dataset(root, &target.path()) {
        return Err(io::Error::other(format!(
            "refusing to write a report into the dataset: {} (`sources/`, `schema/` and `fasti.toml` are the dataset's)",
            path.display()
        )));
    }
    Ok(target)
}

/// What is at the target already may be replaced only if it is a regular file.
fn check_existing(target: &Target) -> io::Result<()> {
    match target.path().symlink_metadata() {
        Ok(metadata) if metadata.is_file() => Ok(()),
        Ok(metadata) => Err(refused(
            &target.shown,
            &format!(
                "it is {}; fasti replaces only a regular file",
                kind_of(metadata.file_type())
            ),
        )),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(refused(&target.shown, &error.to_string())),
    }
}

/// Whether a resolved path is in `sources/` or `schema/`, or is `fasti.toml`, of the repository
/// at `root` (each as written and with links resolved).
fn in_dataset(root: &Path, path: &Path) -> bool {
    let roots = [Some(root.to_path_buf()), root.canonicalize().ok()];
    roots.iter().flatten().any(|root| {
        let within = |name: &str| {
            let dir = root.join(name);
            let resolved = dir.canonicalize().unwrap_or_else(|_| dir.clone());
            path.starts_with(&dir) || path.starts_with(resolved)
        };
        within("sources") || within("schema") || path == root.join("fasti.toml")
    })
}

fn refused(path: &Path, why: &str) -> io::Error {
    io::Error::other(format!(
        "cannot write the report `{}`: {why}",
        path.display()
    ))
}

/// The temporary files being written, for the signal handler to remove. Held while a temporary
/// file is created and registered, and while it is renamed and unregistered, so the handler never
/// sees one half done.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn temporaries() -> MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARIES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The start of a temporary file's name: `.NAME.`, then random characters and `.fasti-tmp`.
fn temporary_prefix(target: &Target) -> OsString {
    let mut prefix = OsString::from(".");
    prefix.push(&target.name);
    prefix.push(".");
    prefix
}

/// Random, exclusively created names of temporary files (`.NAME.XXXXXX.fasti-tmp`).
fn temporary_names(prefix: &std::ffi::OsStr) -> tempfile::Builder<'_, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".fasti-tmp");
    // Readable like any file the user creates (the umask applies), not 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder
}

/// Writes one report, whole or not at all, and syncs it.
pub(crate) fn write(target: &Target, bytes: &[u8]) -> io::Result<()> {
    let failed = |error: io::Error| refused(&target.shown, &error.to_string());
    #[cfg(target_os = "linux")]
    let written = write_unnamed(target, bytes).map_err(failed)?;
    #[cfg(not(target_os = "linux"))]
    let written = false;
    if !written {
        write_named(target, bytes)?;
    }
    // The rename itself is durable once the directory is synced; some filesystems cannot sync
    // a directory, and the report is complete either way.
    if let Ok(dir) = fs::File::open(&target.dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Linux: writes the report into an unnamed file in the target's directory (`O_TMPFILE`), so
/// that a run killed while writing (even by SIGKILL) leaves nothing behind; only once it is
/// complete and synced does it get a random name, created exclusively (`linkat` through
/// `/proc/self/fd`), which is renamed over the target at once. The registry lock is held from the
/// name's creation to the rename, so SIGINT and SIGTERM wait for it and never leave the name.
/// `false` when the filesystem has no `O_TMPFILE` or `/proc` is not mounted: then
/// [`write_named`] does the work.
#[cfg(target_os = "linux")]
fn write_unnamed(target: &Target, bytes: &[u8]) -> io::Result<bool> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let opened = fs::OpenOptions::new()
        .write(true)
        .mode(0o666)
        .custom_flags(libc::O_TMPFILE | libc::O_CLOEXEC)
        .open(&target.dir);
    let mut file = match opened {
        Ok(file) => file,
        // The codes for "this filesystem or kernel has no O_TMPFILE".
        Err(error)
            if matches!(
                error.raw_os_error(),
                Some(libc::EOPNOTSUPP | libc::EISDIR | libc::ENOENT | libc::EINVAL)
            ) =>
        {
            return Ok(false);
        }
        Err(error) => return Err(error),
    };
    file.write_all(bytes)?;
    file.flush()?;
    file.sync_all()?;
    check_existing(target)?;
    let unnamed = format!("/proc/self/fd/{}", file.as_raw_fd());
    let _no_signal_cleanup_meanwhile = temporaries();
    let prefix = temporary_prefix(target);
    let named = temporary_names(&prefix).make_in(&target.dir, |path| {
        rustix::fs::linkat(
            rustix::fs::CWD,
            unnamed.as_str(),
            rustix::fs::CWD,
            path,
            rustix::fs::AtFlags::SYMLINK_FOLLOW,
        )
        .map_err(io::Error::from)
    });
    let named = match named {
        Ok(named) => named,
        // No `/proc`: the report is written again, by name.
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(error) => return Err(error),
    };
    named.persist(target.path()).map_err(|error| error.error)?;
    Ok(true)
}

/// Writes a report to a fresh temporary file with a random name beside the target, flushed and
/// synced, then renamed over it. SIGINT and SIGTERM remove the file while it is written; SIGKILL
/// may leave it.
fn write_named(target: &Target, bytes: &[u8]) -> io::Result<()> {
    let failed = |error: io::Error| refused(&target.shown, &error.to_string());
    let mut file = {
        let mut registered = temporaries();
        let prefix = temporary_prefix(target);
        let file = temporary_names(&prefix)
            .tempfile_in(&target.dir)
            .map_err(failed)?;
        registered.push(file.path().to_path_buf());
        file
    };
    let temporary = file.path().to_path_buf();
    let unregister = |registered: &mut Vec<PathBuf>| registered.retain(|p| *p != temporary);
    let written = file
        .write_all(bytes)
        .and_then(|()| file.flush())
        .and_then(|()| file.as_file().sync_all())
        .map_err(failed)
        // The target may have changed since it was checked: look again just before the rename.
        .and_then(|()| check_existing(target));
    let mut registered = temporaries();
    if let Err(error) = written {
        unregister(&mut registered);
        // Dropping `file` removes the temporary file.
        return Err(error);
    }
    let persisted = file.persist(target.path());
    unregister(&mut registered);
    drop(registered);
    persisted.map_err(|error| failed(error.error))?;
    Ok(())
}

/// On SIGINT, SIGTERM or SIGHUP, removes the temporary files being written, then ends the process
/// as the signal would have (so the shell sees "killed by SIGTERM"). A thread waits for the
/// signals: the handler itself only wakes it (signal-hook), so the removal runs as ordinary code.
#[cfg(unix)]
pub(crate) fn remove_temporaries_on_signal() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("fasti-signals".to_owned())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Held until the process ends: no temporary file is created or renamed after.
                let registered = temporaries();
                for path in registered.iter() {
                    let _ = fs::remove_file(path);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn remove_temporaries_on_signal() -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Both ways of writing (the unnamed file on Linux, the named temporary file elsewhere)
    /// replace the target whole and leave nothing else in the directory.
    #[test]
    fn both_ways_replace_the_target_and_leave_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        fs::write(&path, "old").unwrap();
        let targets = check_targets(dir.path(), [path.as_path()]).unwrap();
        write_named(&targets[0], b"named").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "named");
        assert_eq!(listing(dir.path()), ["r.json"]);
        #[cfg(target_os = "linux")]
        {
            assert!(write_unnamed(&targets[0], b"unnamed").unwrap());
            assert_eq!(fs::read_to_string(&path).unwrap(), "unnamed");
            assert_eq!(listing(dir.path()), ["r.json"]);
        }
    }
}
