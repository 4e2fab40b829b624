//! `fasti export` of the bundled dataset: every row of every table validates against
//! `schema/export.schema.json`, the CSV reads back as the same table, every column is documented,
//! every claim is there with the line it starts on, and the bytes do not change between runs.

use fasti::export::{Table, TableFormat, TableName, tables};
use serde_json::Value;

use crate::root;

fn exported() -> (fasti::Outcome, Vec<Table>) {
    let options = fasti::CheckOptions {
        root: root(),
        paths: Vec::new(),
        adjudicate: true,
    };
    let outcome = fasti::check_with_dataset(&options).unwrap();
    let tables = tables(outcome.dataset.as_ref().unwrap());
    (outcome, tables)
}

fn bytes(table: &Table, format: TableFormat) -> Vec<u8> {
    let mut out = Vec::new();
    table.write(format, &mut out).unwrap();
    out
}

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("schema/export.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_json_lines_row_validates_against_the_schema() {
    let schema = schema();
    let any_row = jsonschema::validator_for(&schema).unwrap();
    let (_, tables) = exported();
    let mut rows = 0;
    for table in &tables {
        let def = match table.name {
            TableName::Claims => "claim",
            TableName::Events => "event",
            TableName::People => "person",
            TableName::Places => "place",
        };
        // The schema with its root pointing at this table's row.
        let mut one = schema.clone();
        one.as_object_mut().unwrap().remove("oneOf");
        one["$ref"] = Value::String(format!("#/$defs/{def}"));
        let validator = jsonschema::validator_for(&one).unwrap();
        let columns: Vec<&str> = schema["$defs"][def]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = table.columns().to_vec();
        sorted.sort_unstable();
        assert_eq!(
            columns, sorted,
            "{def}: the schema's properties are the columns"
        );
        let text = String::from_utf8(bytes(table, TableFormat::Jsonl)).unwrap();
        assert!(!table.rows.is_empty(), "{def}");
        for line in text.lines() {
            let row: Value = serde_json::from_str(line).unwrap();
            let errors: Vec<String> = validator.iter_errors(&row).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{def} row {line}: {errors:?}");
            assert!(any_row.is_valid(&row), "{line}");
            // Keys in the columns' order.
            let mut at = 0;
            for column in table.columns() {
                let found = line[at..].find(&format!("\"{column}\":")).unwrap();
                at += found;
            }
            rows += 1;
        }
    }
    eprintln!("{rows} JSON Lines rows validate against schema/export.schema.json");
}

#[test]
fn the_csv_reads_back_as_the_same_table() {
    let (_, tables) = exported();
    for table in &tables {
        let csv = bytes(table, TableFormat::Csv);
        assert!(csv.ends_with(b"\r\n"), "RFC 4180 line ends");
        let mut reader = csv::Reader::from_reader(csv.as_slice());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(header, table.columns());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), table.rows.len());
        let jsonl = String::from_utf8(bytes(table, TableFormat::Jsonl)).unwrap();
        for (record, line) in records.iter().zip(jsonl.lines()) {
            let row: Value = serde_json::from_str(line).unwrap();
            for (column, field) in table.columns().iter().zip(record.iter()) {
                let expected = match &row[column] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().unwrap())
                        .collect::<Vec<_>>()
                        .join("|"),
                    Value::Object(map) if map.is_empty() => String::new(),
                    object @ Value::Object(_) => {
                        let parsed: Value = serde_json::from_str(field).unwrap();
                        assert_eq!(&parsed, object, "{column}");
                        field.to_owned()
                    }
                    other => panic!("{column}: {other}"),
                };
                assert_eq!(field, expected, "{} {column}", table.name.as_str());
            }
        }
    }
}

#[test]
fn every_claim_is_a_row_at_the_line_it_starts_on() {
    let (outcome, tables) = exported();
    let claims = &tables[0];
    assert_eq!(claims.name, TableName::Claims);
    assert_eq!(claims.rows.len(), outcome.summary.events);
    let column = |name: &str| claims.columns().iter().position(|c| *c == name).unwrap();
    let (file, line, event, date) = (
        column("file"),
        column("line"),
        column("event"),
        column("date"),
    );
    for row in &claims.rows {
        let fasti::export::Cell::Text(Some(file)) = &row[file] else {
            panic!()
        };
        let fasti::export::Cell::Number(Some(line)) = row[line] else {
            panic!()
        };
        let fasti::export::Cell::Text(Some(event)) = &row[event] else {
            panic!()
        };
        let fasti::export::Cell::Text(Some(date)) = &row[date] else {
            panic!()
        };
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let at = text.lines().nth(line - 1).unwrap();
        assert_eq!(at.trim(), format!("- event: {event}"), "{file}:{line}");
        // The date is written in the lines of that record.
        let record: String = text
            .lines()
            .skip(line - 1)
            .take(12)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(record.contains(date.as_str()), "{file}:{line} {date}");
    }
}

#[test]
fn every_column_is_documented() {
    let docs = std::fs::read_to_string(root().join("docs/export.md")).unwrap();
    for table in TableName::ALL {
        let heading = format!("## `{}`", table.as_str());
        let start = docs.find(&heading).unwrap_or_else(|| panic!("{heading}"));
        let end = docs[start + 1..]
            .find("\n## ")
            .map_or(docs.len(), |n| start + 1 + n);
        let section = &docs[start..end];
        for column in table.columns() {
            assert!(
                section.contains(&format!("| `{column}` |")),
                "{heading}: {column}"
            );
        }
    }
}

#[test]
fn the_export_is_the_same_bytes_every_time() {
    let (_, first) = exported();
    let (_, second) = exported();
    for (a, b) in first.iter().zip(&second) {
        for format in [TableFormat::Csv, TableFormat::Jsonl] {
            assert_eq!(bytes(a, format), bytes(b, format));
        }
    }
}
