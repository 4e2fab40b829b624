//! `fasti validate` in a git repository, as CI and editors run it: `--changed-since`,
//! `--baseline`, `--fail-on`, `--deny warnings`, `--output` and the exit codes.
//!
//! Every test builds its own repository in a temporary directory. Git runs with the machine's
//! configuration switched off (no global or system config, fixed author, no signing), so the tests
//! do not depend on who runs them.

#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod baseline;
mod changed;
mod exit;
mod files;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// A dataset in a fresh git repository.
pub struct Repo {
    dir: tempfile::TempDir,
}

/// A clean source that names the authority's event and place.
pub const CLEAN: &str = "id: cronica-es\ntitle: Crónica\nlanguage: es\nkind: article\nevents:\n  - event: allied-invasion-of-sicily\n    date: 10 de julio de 1943\n    title: Desembarco en Sicilia\n    places: [Sicilia]\n    locator: ¶1\n";

/// A source with one error: 31 June does not exist (`invalid-date`, line 7).
pub fn bad(id: &str) -> String {
    format!(
        "id: {id}\ntitle: Mal\nlanguage: es\nkind: article\nevents:\n  - event: allied-invasion-of-sicily\n    date: 31 de junio de 1943\n    title: Desembarco\n    locator: ¶1\n"
    )
}

/// A source with one warning: a Portuguese month in a Spanish source (`date-language-mismatch`).
pub fn warned(id: &str, places: &str) -> String {
    format!(
        "id: {id}\ntitle: Aviso\nlanguage: es\nkind: article\nevents:\n  - event: allied-invasion-of-sicily\n    date: 10 de julho de 1943\n    title: Desembarco\n    places: [{places}]\n    locator: ¶1\n"
    )
}

pub const PLACES: &str =
    "places:\n  - id: sicily\n    names: {en: Sicily, es: Sicilia}\n    kind: island\n";

impl Repo {
    /// A repository whose first commit holds a clean dataset: the authority and one source.
    pub fn init() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "--quiet", "--initial-branch=main"]);
        repo.write("fasti.toml", "[dataset]\nperiod = \"1939/1945\"\n");
        repo.write(
            "sources/authority/events.yaml",
            "events:\n  - id: allied-invasion-of-sicily\n    names: {en: Allied invasion of Sicily, es: Invasión aliada de Sicilia}\n    date: 1943-07-10\n    end: 1943-08-17\n    region: sicily\n",
        );
        repo.write("sources/authority/places.yaml", PLACES);
        repo.write("sources/cronica-es.yaml", CLEAN);
        repo.commit("clean dataset");
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, content: &str) {
        let path = self.dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
    }

    /// Stages everything and commits it.
    pub fn commit(&self, message: &str) {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "--message", message]);
    }

    /// Runs git in the repository and returns its standard output; panics if it fails.
    pub fn git(&self, args: &[&str]) -> String {
        let output = isolated(Command::new("git"))
            .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            text(&output.stderr)
        );
        text(&output.stdout)
    }

    /// Runs `fasti validate ARGS…` in the repository.
    pub fn validate(&self, args: &[&str]) -> Output {
        isolated(Command::new(env!("CARGO_BIN_EXE_fasti")))
            .arg("validate")
            .args(args)
            .current_dir(self.path())
            .env_remove("CLICOLOR_FORCE")
            .env_remove("GITHUB_ACTIONS")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .output()
            .unwrap()
    }
}

/// A command that sees no git configuration of the machine or the user.
fn isolated(mut command: Command) -> Command {
    command
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Fasti Test")
        .env("GIT_AUTHOR_EMAIL", "test@fasti.invalid")
        .env("GIT_COMMITTER_NAME", "Fasti Test")
        .env("GIT_COMMITTER_EMAIL", "test@fasti.invalid")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    command
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Standard output, with the exit code and standard error when it is not empty: one snapshot.
pub fn transcript(output: &Output) -> String {
    let mut s = format!("exit code: {:?}\n", output.status.code());
    let stderr = text(&output.stderr);
    if !stderr.is_empty() {
        s.push_str(&format!("----- stderr -----\n{stderr}"));
    }
    s.push_str(&format!("----- stdout -----\n{}", text(&output.stdout)));
    s
}

/// The `(file, rule)` of every finding in a JSON report.
pub fn findings(json: &str) -> Vec<(String, String)> {
    let report: serde_json::Value = serde_json::from_str(json).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}
