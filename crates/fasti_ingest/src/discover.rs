use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use walkdir::WalkDir;

use crate::FileName;
use crate::read::{is_lexically_inside, kind_of};

/// What a data file holds, decided by where it lives: files in a directory named `authority`
/// are authority files; every other data file is a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    Source,
    Authority,
}

/// A data file found under the paths asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataFile {
    /// Where to read it.
    pub path: PathBuf,
    /// How to show it: relative to the repository root, `/`-separated.
    pub name: FileName,
    pub kind: FileKind,
}

/// The files to check, sorted by name, and the problems met while looking for them.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<DataFile>,
    pub diagnostics: Vec<Diagnostic>,
}

const DATA_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Lists the data files (`.yaml`, `.yml`, `.json`) under `paths`, each a file or a directory.
///
/// Symbolic links are followed only when they resolve to a file inside `root`; a link that leaves
/// the repository, dangles or loops is reported and skipped, and so is a path in the repository
/// (`sources/`, `sources/authority/`) that is itself such a link. A FIFO, device or socket with a
/// data file's name is reported, never opened. The result does not depend on the
/// order the filesystem returns entries in.
pub fn discover(root: &Path, paths: &[PathBuf]) -> Discovery {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut found = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for path in paths {
        if !path.exists() && path.symlink_metadata().is_err() {
            diagnostics.push(file_problem(
                display_name(root, path),
                format!("`{}` does not exist", path.display()),
            ));
            continue;
        }
        // A directory or file asked for by its place in the repository (`sources/`, its
        // `authority/`) that is a link, or lies under one, leading outside: nothing under it is
        // listed. A path outside the repository given on the command line is the user's choice.
        if is_lexically_inside(path, root)
            && path
                .canonicalize()
                .is_ok_and(|resolved| !resolved.starts_with(&canonical_root))
        {
            diagnostics.push(file_problem(
                display_name(root, path),
                format!(
                    "`{}` is reached through a symbolic link that points outside the repository; fasti does not follow it",
                    display_name(root, path)
                ),
            ));
            continue;
        }
        for entry in WalkDir::new(path).follow_links(false).sort_by_file_name() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let at = error.path().unwrap_or(path);
                    diagnostics.push(file_problem(
                        display_name(root, at),
                        format!("cannot list this directory: {error}"),
                    ));
                    continue;
                }
            };
            let entry_path = entry.path();
            if !has_data_extension(entry_path) {
                continue;
            }
            let name = display_name(root, entry_path);
            if entry.path_is_symlink() {
                match entry_path.canonicalize() {
                    Ok(target) if !target.starts_with(&canonical_root) => {
                        diagnostics.push(file_problem(
                            name,
                            "symbolic link points outside the repository; fasti does not follow it"
                                .to_owned(),
                        ));
                        continue;
                    }
                    Ok(target) => match target.metadata() {
                        Ok(metadata) if metadata.is_file() => {}
                        // A directory with a data file's name is not a data file.
                        Ok(metadata) if metadata.is_dir() => continue,
                        Ok(metadata) => {
                            diagnostics.push(not_regular(name, metadata.file_type()));
                            continue;
                        }
                        Err(error) => {
                            diagnostics.push(file_problem(
                                name,
                                format!("symbolic link cannot be followed: {error}"),
                            ));
                            continue;
                        }
                    },
                    Err(error) => {
                        diagnostics.push(file_problem(
                            name,
                            format!("symbolic link cannot be followed: {error}"),
                        ));
                        continue;
                    }
                }
            } else if entry.file_type().is_dir() {
                continue;
            } else if !entry.file_type().is_file() {
                // A FIFO or a device with a data file's name: never opened, never silent.
                diagnostics.push(not_regular(name, entry.file_type()));
                continue;
            }
            let kind = if is_in_authority_dir(entry_path) {
                FileKind::Authority
            } else {
                FileKind::Source
            };
            found.entry(name.clone()).or_insert(DataFile {
                path: entry_path.to_path_buf(),
                name,
                kind,
            });
        }
    }
    Discovery {
        files: found.into_values().collect(),
        diagnostics,
    }
}

fn has_data_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            DATA_EXTENSIONS
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        })
}

fn is_in_authority_dir(path: &Path) -> bool {
    path.parent()
        .and_then(|parent| parent.file_name())
        .is_some_and(|name| name == "authority")
}

/// The name shown for `path`: relative to `root` when inside it, with `/` separators.
fn display_name(root: &Path, path: &Path) -> FileName {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut name = String::new();
    for component in relative.components() {
        match component {
            Component::CurDir => continue,
            Component::RootDir => {}
            other => {
                if !name.is_empty() {
                    name.push('/');
                }
                name.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    if name.is_empty() {
        name.push('.');
    }
    Arc::from(name)
}

fn not_regular(file: FileName, file_type: std::fs::FileType) -> Diagnostic {
    file_problem(
        file,
        format!(
            "file is {}, not a regular file; fasti does not read it",
            kind_of(file_type)
        ),
    )
}

fn file_problem(file: FileName, message: String) -> Diagnostic {
    Diagnostic::new(
        Rule::UnreadableFile,
        message,
        Label::new(file, Anchor::File),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_relative_and_slash_separated() {
        let root = Path::new("/repo");
        assert_eq!(
            &*display_name(root, Path::new("/repo/sources/a.yaml")),
            "sources/a.yaml"
        );
        assert_eq!(
            &*display_name(root, Path::new("./sources/a.yaml")),
            "sources/a.yaml"
        );
        assert_eq!(
            &*display_name(root, Path::new("other/b.json")),
            "other/b.json"
        );
    }

    #[test]
    fn authority_is_decided_by_the_parent_directory() {
        assert!(is_in_authority_dir(Path::new(
            "sources/authority/people.yaml"
        )));
        assert!(!is_in_authority_dir(Path::new(
            "sources/authority-notes.yaml"
        )));
        assert!(!is_in_authority_dir(Path::new("sources/a.yaml")));
    }
}
