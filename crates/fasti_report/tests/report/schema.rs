//! Real output against the schemas it promises to follow.

use std::path::Path;
use std::process::Command;

use fasti_report::Format;
use serde_json::Value;

use crate::formats::output;

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn json_output_matches_its_schema() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/report.schema.json");
    let schema = read_json(&path);
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .offline()
        .build(&schema)
        .expect("the report schema compiles");
    let instance: Value = serde_json::from_str(&output(Format::Json)).unwrap();
    assert_eq!(errors(&validator, &instance), Vec::<String>::new());

    // The schema is strict enough to notice a wrong shape.
    let mut broken = instance.clone();
    broken["diagnostics"][0]["severity"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));
}

/// Every property of the report schema is described.
#[test]
fn every_schema_property_has_a_description() {
    fn walk(value: &Value, path: &str, missing: &mut Vec<String>) {
        if let Some(object) = value.as_object() {
            if let Some(properties) = object.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    if property.get("description").is_none() {
                        missing.push(format!("{path}/properties/{name}"));
                    }
                }
            }
            for (key, child) in object {
                walk(child, &format!("{path}/{key}"), missing);
            }
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/report.schema.json");
    let mut missing = Vec::new();
    walk(&read_json(&path), "", &mut missing);
    assert_eq!(missing, Vec::<String>::new());
}

/// The official SARIF 2.1.0 schema (draft-07), vendored from the `serde-sarif` crate.
#[test]
fn sarif_output_matches_the_sarif_schema() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif-2.1.0.schema.json");
    // Erratum: the official schema's two `language` patterns have a stray `]`
    // (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`), which the check of the schema itself refuses.
    // Use the pattern they mean; fasti writes no `language`.
    let text = std::fs::read_to_string(&path).unwrap();
    let erratum = r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    assert_eq!(
        text.matches(erratum).count(),
        2,
        "the vendored schema changed"
    );
    let schema: Value =
        serde_json::from_str(&text.replace(erratum, r"^[a-zA-Z]{2}(-[a-zA-Z]{2})?$")).unwrap();
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .offline()
        .build(&schema)
        .expect("the SARIF schema compiles");
    let instance: Value = serde_json::from_str(&output(Format::Sarif)).unwrap();
    assert_eq!(errors(&validator, &instance), Vec::<String>::new());

    let mut broken = instance.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));
}

/// Microsoft's SARIF validator, when installed (`npm install -g @microsoft/sarif-multitool`).
/// It checks the schema and its own rules; any result at error or warning level fails the test.
#[test]
fn sarif_output_passes_the_sarif_multitool() {
    let version = Command::new("sarif-multitool").arg("--version").output();
    if !matches!(&version, Ok(out) if out.status.success()) {
        eprintln!(
            "SKIPPED sarif_output_passes_the_sarif_multitool: `sarif-multitool` is not on PATH \
             (npm install -g @microsoft/sarif-multitool)"
        );
        return;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarif-multitool");
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("fasti.sarif");
    let log = dir.join("validation.sarif");
    std::fs::write(&input, output(Format::Sarif)).unwrap();
    let _ = std::fs::remove_file(&log);
    // The npm launcher runs the tool through a shell: pass no shell metacharacters.
    let run = Command::new("sarif-multitool")
        .arg("validate")
        .arg(&input)
        .arg("--output")
        .arg(&log)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "sarif-multitool failed:\n{stdout}");
    let results: Vec<String> = read_json(&log)["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|run| run["results"].as_array().cloned().unwrap_or_default())
        .map(|r| format!("{} {}: {}", r["level"], r["ruleId"], r["message"]))
        .collect();
    assert_eq!(
        results,
        Vec::<String>::new(),
        "sarif-multitool reported:\n{stdout}"
    );
}
