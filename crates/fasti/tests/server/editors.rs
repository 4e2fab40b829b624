//! The VS Code extension in `editors/vscode/`: its manifest, and a package built from it with
//! the tool the Marketplace uses (where npx is installed).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn extension() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../editors/vscode")
}

fn manifest() -> Value {
    let text = std::fs::read_to_string(extension().join("package.json")).expect("package.json");
    serde_json::from_str(&text).expect("package.json is JSON")
}

#[test]
fn the_manifest_names_what_vs_code_needs() {
    let manifest = manifest();
    for field in [
        "name",
        "publisher",
        "version",
        "main",
        "license",
        "displayName",
    ] {
        assert!(manifest[field].is_string(), "`{field}` missing");
    }
    assert!(manifest["engines"]["vscode"].is_string());
    let main = manifest["main"].as_str().unwrap_or_default();
    assert!(extension().join(main).is_file(), "`main` is {main}");
    assert!(
        manifest["dependencies"]["vscode-languageclient"].is_string(),
        "the extension is a vscode-languageclient client"
    );
    let events = manifest["activationEvents"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(events.contains(&Value::from("workspaceContains:fasti.toml")));
    // The extension starts the server with the subcommand the binary has.
    let script = std::fs::read_to_string(extension().join(main)).unwrap_or_default();
    assert!(script.contains(r#"args: ["server"]"#));
    let help = Command::new(env!("CARGO_BIN_EXE_fasti"))
        .args(["server", "--help"])
        .output()
        .expect("fasti server --help");
    assert!(help.status.success());
}

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `npm install` and `npx @vscode/vsce package` in a copy of the extension: needs npx and the
/// npm registry; skipped, saying so, where npx is missing.
#[test]
#[allow(clippy::print_stderr)] // a skipped check says so
fn the_extension_packages_with_vsce() {
    if !have("npx") || !have("npm") {
        eprintln!("skipped: npx is not installed, so the VS Code extension is not packaged");
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    for file in ["package.json", "extension.js", "README.md", ".vscodeignore"] {
        std::fs::copy(extension().join(file), dir.path().join(file)).expect("copy");
    }
    let run = |program: &str, args: &[&str]| {
        let output = Command::new(program)
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("run npm");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.success(), stderr)
    };
    let (checked, stderr) = run("node", &["--check", "extension.js"]);
    assert!(checked, "{stderr}");
    let (installed, stderr) = run("npm", &["install", "--no-audit", "--no-fund", "--omit=dev"]);
    if !installed
        && ["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT"]
            .iter()
            .any(|e| stderr.contains(e))
    {
        eprintln!("skipped: the npm registry cannot be reached, so the extension is not packaged");
        return;
    }
    assert!(installed, "{stderr}");
    // vsce 3.9 is the last release that runs on Node 20.
    let (packaged, stderr) = run(
        "npx",
        &[
            "--yes",
            "@vscode/vsce@3.9.2",
            "package",
            "--skip-license",
            "--out",
            "fasti.vsix",
        ],
    );
    assert!(packaged, "{stderr}");
    let size = std::fs::metadata(dir.path().join("fasti.vsix")).map_or(0, |m| m.len());
    assert!(size > 1000, "fasti.vsix is {size} bytes");
}
