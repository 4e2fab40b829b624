use std::fs;
use std::path::Path;
use std::sync::Arc;

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use serde_json::Value;

use crate::FileName;

/// A schema file that could not be read or parsed, and its text when there is one to show.
pub type SchemaProblem = (Diagnostic, Option<String>);

/// Reads every `*.json` file of a schema directory, sorted by name. `Err` lists every file that
/// could not be read or parsed; fasti cannot check the dataset without its schemas.
pub fn read_schema_dir(
    dir: &Path,
    shown_as: &str,
) -> Result<Vec<(FileName, Value)>, Vec<SchemaProblem>> {
    let entries = fs::read_dir(dir).map_err(|error| {
        vec![(
            problem(
                Arc::from(shown_as),
                format!("cannot read the schema directory: {error}"),
                Anchor::File,
            ),
            None,
        )]
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    let mut schemas = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let name: FileName = Arc::from(format!(
            "{shown_as}/{}",
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        ));
        match fs::read_to_string(&path) {
            Ok(text) => match serde_json::from_str::<Value>(&text) {
                Ok(value) => schemas.push((name, value)),
                Err(error) => {
                    let (at, message) = crate::json::located(&text, &error);
                    problems.push((
                        problem(
                            name,
                            format!("schema is not valid JSON: {message}"),
                            Anchor::Bytes { start: at, end: at },
                        ),
                        Some(text),
                    ));
                }
            },
            Err(error) => problems.push((
                problem(
                    name,
                    format!("cannot read the schema: {error}"),
                    Anchor::File,
                ),
                None,
            )),
        }
    }
    if problems.is_empty() {
        Ok(schemas)
    } else {
        Err(problems)
    }
}

fn problem(file: FileName, message: String, anchor: Anchor) -> Diagnostic {
    Diagnostic::new(Rule::SchemaViolation, message, Label::new(file, anchor))
}
