//! The properties of `.github/workflows/` that keep a pull request from obtaining write access or
//! secrets (docs/security.md, "The data workflow"):
//!
//! - no workflow runs on `pull_request_target` or `workflow_run`, the two triggers that run with
//!   the base repository's token and secrets on behalf of a pull request;
//! - the data workflow (`data.yml`) grants no `write` permission, at the top or in any job, and
//!   references no secret (`secrets.*`, `github.token`);
//! - every action is pinned to a full 40-hex commit SHA (a tag can be moved to other code).
//!
//! The workflows are read with fasti's own YAML reader. The test fails loudly when there is no
//! workflow to check.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use fasti_ingest::{Format, Limits, parse};
use serde_json::Value;

fn workflows_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.github/workflows")
}

/// Every workflow, by file name, parsed.
fn workflows() -> Vec<(String, String, Value)> {
    let dir = workflows_dir();
    let mut found = Vec::new();
    let entries = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("no workflows to check in {}: {error}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        let is_yaml = path
            .extension()
            .is_some_and(|ext| ext == "yml" || ext == "yaml");
        if !is_yaml {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).unwrap();
        let parsed = parse(
            &Arc::from(name.as_str()),
            Format::Yaml,
            &text,
            &Limits::default(),
        );
        let value = parsed
            .value
            .unwrap_or_else(|| panic!("{name} cannot be read: {:?}", parsed.diagnostics));
        found.push((name, text, value));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        !found.is_empty(),
        "{} holds no workflow: the properties below cannot be checked",
        dir.display()
    );
    found
}

/// The triggers of a workflow: `on: push`, `on: [push, pull_request]` or `on: {push: ...}`.
fn triggers(workflow: &Value) -> Vec<String> {
    match &workflow["on"] {
        Value::String(one) => vec![one.clone()],
        Value::Array(many) => many
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        Value::Object(map) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

#[test]
fn no_workflow_runs_with_the_base_repository_on_behalf_of_a_pull_request() {
    for (name, _, workflow) in workflows() {
        for trigger in triggers(&workflow) {
            assert!(
                trigger != "pull_request_target" && trigger != "workflow_run",
                "{name}: `{trigger}` runs with write access and secrets on behalf of a pull request"
            );
        }
    }
}

/// Every `permissions:` block of a workflow: at the top and in each job.
fn permission_blocks(workflow: &Value) -> Vec<(String, &Value)> {
    let mut blocks = Vec::new();
    if let Some(top) = workflow.get("permissions") {
        blocks.push(("the workflow".to_owned(), top));
    }
    if let Some(jobs) = workflow["jobs"].as_object() {
        for (job, body) in jobs {
            if let Some(permissions) = body.get("permissions") {
                blocks.push((format!("job `{job}`"), permissions));
            }
        }
    }
    blocks
}

fn grants_write(permissions: &Value) -> bool {
    match permissions {
        // `write-all`, and `read-all` is fine.
        Value::String(all) => all.contains("write"),
        Value::Object(scopes) => scopes.values().any(|v| v.as_str() == Some("write")),
        _ => false,
    }
}

fn data_workflow() -> (String, String, Value) {
    workflows()
        .into_iter()
        .find(|(name, _, _)| name == "data.yml" || name == "data.yaml")
        .expect("the data workflow, .github/workflows/data.yml, is missing")
}

#[test]
fn the_data_workflow_has_no_write_permission() {
    let (name, _, workflow) = data_workflow();
    assert!(
        workflow.get("permissions").is_some(),
        "{name}: set `permissions: contents: read` at the top, or the token gets the repository's default"
    );
    for (place, permissions) in permission_blocks(&workflow) {
        assert!(
            !grants_write(permissions),
            "{name}: {place} grants write access: {permissions}"
        );
    }
}

#[test]
fn the_data_workflow_references_no_secret() {
    let (name, text, _) = data_workflow();
    for (number, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        for secret in ["secrets.", "secrets[", "github.token", "GITHUB_TOKEN"] {
            assert!(
                !code.contains(secret),
                "{name}:{}: references a secret (`{secret}`): {line}",
                number + 1
            );
        }
    }
}

/// Every `uses:` of every step and job (reusable workflows), with where it is.
fn uses(workflow: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let Some(jobs) = workflow["jobs"].as_object() else {
        return found;
    };
    for (job, body) in jobs {
        if let Some(used) = body.get("uses").and_then(Value::as_str) {
            found.push((format!("job `{job}`"), used.to_owned()));
        }
        for (i, step) in body["steps"].as_array().into_iter().flatten().enumerate() {
            if let Some(used) = step.get("uses").and_then(Value::as_str) {
                found.push((format!("job `{job}` step {}", i + 1), used.to_owned()));
            }
        }
    }
    found
}

fn pinned(action: &str) -> bool {
    if action.starts_with("./") {
        // An action of this repository: it is the reviewed code itself.
        return true;
    }
    if let Some(image) = action.strip_prefix("docker://") {
        return image
            .split_once("@sha256:")
            .is_some_and(|(_, digest)| digest.len() == 64 && is_hex(digest));
    }
    action
        .split_once('@')
        .is_some_and(|(_, version)| version.len() == 40 && is_hex(version))
}

fn is_hex(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[test]
fn every_action_is_pinned_to_a_commit() {
    let mut checked = 0;
    for (name, _, workflow) in workflows() {
        for (place, action) in uses(&workflow) {
            checked += 1;
            assert!(
                pinned(&action),
                "{name}: {place} uses `{action}`: pin it to a full commit SHA (`owner/repo@<40 hex>  # vX.Y.Z`)"
            );
        }
    }
    assert!(
        checked > 0,
        "no `uses:` found: is the test reading the workflows?"
    );
}

#[test]
fn the_checks_can_fail() {
    assert!(!pinned("actions/checkout@v4"));
    assert!(!pinned("actions/checkout@11bd719"));
    assert!(pinned(
        "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"
    ));
    assert!(!pinned("docker://alpine:3"));
    let workflow: Value = serde_json::json!({
        "on": {"pull_request_target": {}},
        "permissions": {"contents": "read"},
        "jobs": {"a": {"permissions": {"pull-requests": "write"}, "steps": [{"uses": "x/y@main"}]}}
    });
    assert_eq!(triggers(&workflow), ["pull_request_target"]);
    let writes: Vec<_> = permission_blocks(&workflow)
        .into_iter()
        .filter(|(_, p)| grants_write(p))
        .map(|(place, _)| place)
        .collect();
    assert_eq!(writes, ["job `a`"]);
    assert!(grants_write(&Value::String("write-all".to_owned())));
    assert!(!grants_write(&Value::String("read-all".to_owned())));
    assert_eq!(
        uses(&workflow),
        [("job `a` step 1".to_owned(), "x/y@main".to_owned())]
    );
}

/// The steps of the data workflow's job, each as (name, step).
fn data_steps(workflow: &Value) -> Vec<(String, &Value)> {
    let jobs = workflow["jobs"].as_object().into_iter().flatten();
    jobs.flat_map(|(_, job)| job["steps"].as_array().into_iter().flatten())
        .map(|step| (step["name"].as_str().unwrap_or_default().to_owned(), step))
        .collect()
}

/// A data pull request cannot weaken the rules it is judged by (docs/security.md, "The data
/// workflow"): the workflow runs when `schema/` or `fasti.toml` change; one step names such a
/// change in the job summary; another checks the pull request's sources with the base branch's
/// `schema/` and `fasti.toml` (a worktree of the base branch with the pull request's `sources/`),
/// and fails the job with fasti's exit code.
#[test]
fn a_data_pull_request_cannot_weaken_the_rules() {
    let (name, _, workflow) = data_workflow();
    let paths: Vec<&str> = workflow["on"]["pull_request"]["paths"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    for needed in ["sources/**", "schema/**", "fasti.toml"] {
        assert!(
            paths.contains(&needed),
            "{name}: runs without `{needed}` changes? {paths:?}"
        );
    }
    let steps = data_steps(&workflow);
    let run = |step: &Value| step["run"].as_str().unwrap_or_default().to_owned();
    let named = steps
        .iter()
        .find(|(_, step)| step["id"] == "rules")
        .unwrap_or_else(|| panic!("{name}: no step `id: rules` names a change to the rules"));
    let script = run(named.1);
    assert!(
        script.contains("-- schema fasti.toml") && script.contains("$GITHUB_STEP_SUMMARY"),
        "{name}: step `{}` must write the changed rule files to the job summary:\n{script}",
        named.0
    );
    assert!(
        script.contains("changed=true\" >> \"$GITHUB_OUTPUT\""),
        "{script}"
    );
    let base = steps
        .iter()
        .find(|(_, step)| run(step).contains("git worktree add"))
        .unwrap_or_else(|| panic!("{name}: no step checks with the base branch's rules"));
    let script = run(base.1);
    for part in [
        "\"origin/$BASE_REF\"",
        "rm -rf \"$base/sources\"",
        "checkout \"$head\" -- sources",
        "fasti validate --root \"$base\"",
        "exit \"$status\"",
    ] {
        assert!(
            script.contains(part),
            "{name}: step `{}` lacks `{part}`",
            base.0
        );
    }
    assert!(
        base.1.get("continue-on-error").is_none(),
        "{name}: step `{}` must be able to fail the job",
        base.0
    );
    let condition = base.1["if"].as_str().unwrap_or_default();
    assert!(
        condition.contains("steps.rules.outputs.changed == 'true'")
            && condition.contains("always()"),
        "{name}: step `{}` must run whenever the rules changed, also after a failed check: `{condition}`",
        base.0
    );
}
