use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::Path;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};

use crate::{DataFile, Limits};

/// The result of reading one file.
#[derive(Debug)]
pub enum ReadOutcome {
    /// The file's text, without a leading UTF-8 byte-order mark.
    Text(String),
    /// The file cannot be checked. `shown_text` is a lossy rendering to show the problem in, when
    /// there is one worth showing.
    Unreadable {
        diagnostic: Box<Diagnostic>,
        shown_text: Option<String>,
    },
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads a data file as UTF-8 text, within `limits`.
pub fn read_file(file: &DataFile, limits: &Limits) -> ReadOutcome {
    let unreadable = |rule: Rule, message: String, anchor: Anchor, shown_text: Option<String>| {
        ReadOutcome::Unreadable {
            diagnostic: Box::new(Diagnostic::new(
                rule,
                message,
                Label::new(file.name.clone(), anchor),
            )),
            shown_text,
        }
    };
    let (handle, known_size) = match open_input(&file.path, None) {
        Ok(opened) => opened,
        Err(refusal) => {
            let message = match refusal {
                Refusal::Io(error) => format!("cannot open the file: {error}"),
                refusal => format!("file {refusal}"),
            };
            return unreadable(Rule::UnreadableFile, message, Anchor::File, None);
        }
    };
    // A file known to be too large is not read at all. Otherwise read at most one byte more
    // than the limit, so that a file growing while it is read cannot make fasti read without end.
    let bytes = if known_size <= limits.max_file_size {
        match read_at_most(handle, known_size, limits.max_file_size) {
            Ok(bytes) => bytes,
            Err(error) => {
                return unreadable(
                    Rule::UnreadableFile,
                    format!("cannot read the file: {error}"),
                    Anchor::File,
                    None,
                );
            }
        }
    } else {
        Vec::new()
    };
    let size = known_size.max(bytes.len() as u64);
    if size > limits.max_file_size {
        let diagnostic = Diagnostic::new(
            Rule::LimitExceeded,
            {
                let (mut shown, mut limit) = (show_size(size), show_size(limits.max_file_size));
                if shown == limit {
                    // Just over the limit: rounding would make them look equal.
                    (shown, limit) = (format!("{size} bytes"), format!("{} bytes", limits.max_file_size));
                }
                format!("file is {shown}, larger than the limit of {limit}; it is not read")
            },
            Label::new(file.name.clone(), Anchor::File),
        )
        .with_help("split the source into several files, or raise `max-file-size` under `[limits]` in fasti.toml");
        return ReadOutcome::Unreadable {
            diagnostic: Box::new(diagnostic),
            shown_text: None,
        };
    }
    decode(bytes).unwrap_or_else(|(message, at, shown_text)| {
        let anchor = match at {
            Some(offset) => Anchor::Bytes {
                start: offset,
                end: offset + shown_text.as_deref().map_or(0, |t| char_len_at(t, offset)),
            },
            None => Anchor::File,
        };
        unreadable(Rule::UnreadableFile, message, anchor, shown_text)
    })
}

/// Why an input was not opened or not read. The message never includes the file's content.
#[derive(Debug)]
pub enum Refusal {
    /// Nothing is at the path.
    Missing,
    /// A symbolic link to nothing, or a loop of links.
    Dangling,
    /// The path lies in the repository, but it, or a directory on the way to it, is a symbolic
    /// link that leads outside the repository.
    Outside,
    /// Not a regular file: `a FIFO`, `a device`, `a socket`, `a directory`.
    NotRegular(&'static str),
    /// Not a directory, where one is expected: `a regular file`, `a FIFO`.
    NotDirectory(&'static str),
    /// Larger than a fixed limit: `(size, limit)` in bytes.
    TooLarge(u64, u64),
    /// The file found was swapped for another between the check and the open.
    Changed,
    Io(io::Error),
}

/// Each message completes a sentence that starts with the thing's name: "`fasti.toml` is a
/// FIFO, …", "file is a FIFO, …".
impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Missing => write!(f, "does not exist"),
            Refusal::Dangling => write!(
                f,
                "is a symbolic link that leads to no file (or to a loop of links)"
            ),
            Refusal::Outside => write!(
                f,
                "is reached through a symbolic link that points outside the repository; fasti does not follow it"
            ),
            Refusal::NotRegular(kind) => {
                write!(f, "is {kind}, not a regular file; fasti does not read it")
            }
            Refusal::NotDirectory(kind) => write!(f, "is {kind}, not a directory"),
            Refusal::TooLarge(size, limit) => write!(
                f,
                "is {}, larger than the limit of {}; it is not read",
                show_size(*size),
                show_size(*limit)
            ),
            Refusal::Changed => write!(f, "was replaced while fasti opened it; it is not read"),
            Refusal::Io(error) => write!(f, "cannot be read: {error}"),
        }
    }
}

impl From<io::Error> for Refusal {
    fn from(error: io::Error) -> Refusal {
        if error.kind() == io::ErrorKind::NotFound {
            Refusal::Missing
        } else {
            Refusal::Io(error)
        }
    }
}

/// What a file that is not a regular file is, in words.
pub fn kind_of(file_type: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// Opens an input for reading, with its size. A FIFO, a device, a socket or a directory is
/// refused from its metadata, without being opened for reading (a FIFO would block, a device
/// such as `/dev/zero` never ends). With `root`, a path in the repository that resolves outside
/// it, through a symbolic link at its end or on the way, is refused too; a path outside the
/// repository (given on the command line) is the caller's choice.
///
/// The file is opened with `O_NONBLOCK` (a FIFO swapped in after the check does not block) and,
/// when the resolved path is opened, `O_NOFOLLOW`; then the opened file must be the one checked
/// (same device and inode), so nothing swapped in between is read.
pub fn open_input(path: &Path, root: Option<&Path>) -> Result<(fs::File, u64), Refusal> {
    let dangling = |error: io::Error| {
        if path.symlink_metadata().is_ok_and(|m| m.is_symlink()) {
            Refusal::Dangling
        } else {
            Refusal::from(error)
        }
    };
    let opened_path = match root {
        Some(root) => {
            let resolved = path.canonicalize().map_err(dangling)?;
            if is_lexically_inside(path, root) {
                let root = root.canonicalize()?;
                if !resolved.starts_with(&root) {
                    return Err(Refusal::Outside);
                }
            }
            Some(resolved)
        }
        None => None,
    };
    let checked = fs::metadata(path).map_err(dangling)?;
    if !checked.is_file() {
        return Err(Refusal::NotRegular(kind_of(checked.file_type())));
    }
    let file = match &opened_path {
        Some(resolved) => open_for_reading(resolved, true)?,
        None => open_for_reading(path, false)?,
    };
    let opened = file.metadata()?;
    if !opened.is_file() || !same_file(&checked, &opened) {
        return Err(Refusal::Changed);
    }
    Ok((file, opened.len()))
}

/// Reads a whole input opened by [`open_input`], refusing one over `limit` bytes.
pub fn read_input(file: fs::File, size: u64, limit: u64) -> Result<Vec<u8>, Refusal> {
    if size > limit {
        return Err(Refusal::TooLarge(size, limit));
    }
    let bytes = read_at_most(file, size, limit)?;
    if bytes.len() as u64 > limit {
        return Err(Refusal::TooLarge(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// Reads at most `limit + 1` bytes, so that a file that grows while it is read, or claims a
/// wrong size (`/proc`), cannot make fasti read without end. Sized from the metadata (one byte
/// more, to see the end without growing): grown from empty, a large file was copied a dozen
/// times.
fn read_at_most(file: fs::File, size: u64, limit: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(
        usize::try_from(size.min(limit))
            .unwrap_or(0)
            .saturating_add(1),
    );
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Whether `path` is inside `root` as written (relative paths from the current directory),
/// before any link is resolved.
pub(crate) fn is_lexically_inside(path: &Path, root: &Path) -> bool {
    match (std::path::absolute(path), std::path::absolute(root)) {
        (Ok(path), Ok(root)) => path.starts_with(root),
        _ => true,
    }
}

#[cfg(unix)]
fn open_for_reading(path: &Path, no_follow: bool) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY;
    if no_follow {
        flags |= libc::O_NOFOLLOW;
    }
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags)
        .open(path)
}

#[cfg(not(unix))]
fn open_for_reading(path: &Path, _no_follow: bool) -> io::Result<fs::File> {
    fs::File::open(path)
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    a.len() == b.len() && a.file_type() == b.file_type()
}

/// Decodes a file's bytes as UTF-8, or says why it cannot be, where, and what to show.
fn decode(mut bytes: Vec<u8>) -> Result<ReadOutcome, (String, Option<usize>, Option<String>)> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err((
            "file is encoded as UTF-16; fasti reads UTF-8 only: save it as UTF-8".to_owned(),
            None,
            None,
        ));
    }
    if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            if let Some(nul) = text.find('\0') {
                return Err((
                    "file contains a NUL character: it looks like a binary or UTF-16 file, not UTF-8 text".to_owned(),
                    Some(nul),
                    Some(text.replace('\0', "\u{FFFD}")),
                ));
            }
            Ok(ReadOutcome::Text(text))
        }
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let shown = String::from_utf8_lossy(error.as_bytes()).into_owned();
            Err((
                format!("file is not valid UTF-8: invalid byte at offset {at}; save it as UTF-8"),
                Some(at),
                Some(shown),
            ))
        }
    }
}

/// A size in bytes as people read it: `512 bytes`, `16 MiB`, `381.4 MiB` (rounded down to a
/// tenth).
fn show_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            let whole = bytes / size;
            let tenths = (bytes % size) * 10 / size;
            return if tenths == 0 {
                format!("{whole} {unit}")
            } else {
                format!("{whole}.{tenths} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

fn char_len_at(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<ReadOutcome, (String, Option<usize>, Option<String>)>) -> String {
        match result {
            Ok(_) => String::from("ok"),
            Err((message, at, _)) => format!("{message} @ {at:?}"),
        }
    }

    #[test]
    fn strips_a_utf8_bom() {
        match decode(b"\xEF\xBB\xBFid: x\n".to_vec()) {
            Ok(ReadOutcome::Text(text)) => assert_eq!(text, "id: x\n"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn refuses_utf16_and_invalid_utf8_with_the_offset() {
        assert!(message(decode(b"\xFF\xFEi\0d\0".to_vec())).contains("UTF-16"));
        assert_eq!(
            message(decode(b"ab\xFFcd".to_vec())),
            "file is not valid UTF-8: invalid byte at offset 2; save it as UTF-8 @ Some(2)"
        );
        assert!(message(decode(b"a\0b".to_vec())).contains("NUL"));
    }
}
