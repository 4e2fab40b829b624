//! `fasti server` driven as an editor drives it: the binary is started and spoken to in
//! JSON-RPC over its standard input and output, on a temporary copy of
//! `fixtures/server/` (open buffers must never be written back to it).

mod editors;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use serde_json::{Value, json};

/// Long enough for a debug build on a busy machine; only there so that a broken server fails
/// the test instead of hanging it.
const PATIENCE: Duration = Duration::from_secs(120);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for a response.
    pending: Vec<Value>,
    root: PathBuf,
    _dir: tempfile::TempDir,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    /// Starts the server in a copy of the fixture and initializes it, offering `encodings`.
    fn start(encodings: &[&str]) -> Client {
        let dir = tempfile::tempdir().expect("temporary directory");
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/server");
        copy_dir(&fixture, dir.path());
        let root = dir.path().canonicalize().expect("canonical root");
        let mut child = Command::new(env!("CARGO_BIN_EXE_fasti"))
            .arg("server")
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start fasti server");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            next_id: 0,
            pending: Vec::new(),
            root,
            _dir: dir,
        };
        let root_uri = client.uri("");
        let initialized = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri.trim_end_matches('/'),
                "capabilities": { "general": { "positionEncodings": encodings } },
            }),
        );
        assert!(initialized.get("capabilities").is_some(), "{initialized}");
        client.notify("initialized", json!({}));
        client
    }

    fn uri(&self, name: &str) -> String {
        format!("file://{}/{name}", self.root.display())
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn receive(&mut self) -> Value {
        match self.messages.recv_timeout(PATIENCE) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("the server did not answer"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server stopped"),
        }
    }

    /// The full response (`result` or `error`) to a request.
    fn respond(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message.get("id") == Some(&json!(id)) {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.respond(method, params);
        match response.get("result") {
            Some(result) => result.clone(),
            None => panic!("{method} failed: {response}"),
        }
    }

    /// The next diagnostics published for `name`.
    fn diagnostics(&mut self, name: &str) -> Value {
        let uri = self.uri(name);
        let is_for = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str()
        };
        if let Some(at) = self.pending.iter().position(is_for) {
            return self.pending.remove(at)["params"]["diagnostics"].clone();
        }
        loop {
            let message = self.receive();
            if is_for(&message) {
                return message["params"]["diagnostics"].clone();
            }
            self.pending.push(message);
        }
    }

    /// Drops the diagnostics already received for `name` (each check publishes every open
    /// file's): the next [`Client::diagnostics`] is then from a check to come.
    fn forget_diagnostics(&mut self, name: &str) {
        let uri = self.uri(name);
        self.pending.retain(|m| m["params"]["uri"] != uri.as_str());
    }

    fn text(&self, name: &str) -> String {
        std::fs::read_to_string(self.root.join(name)).expect("read fixture copy")
    }

    fn open(&mut self, name: &str, text: &str) {
        let uri = self.uri(name);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, name: &str, version: i64, text: &str) {
        let uri = self.uri(name);
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{ "text": text }],
            }),
        );
    }

    fn at(&self, name: &str, position: Value) -> Value {
        json!({ "textDocument": { "uri": self.uri(name) }, "position": position })
    }

    /// Shows an answer with the temporary root replaced, for snapshots.
    fn show(&self, value: &Value) -> String {
        let text = serde_json::to_string_pretty(value).expect("json");
        text.replace(&format!("file://{}", self.root.display()), "file://ROOT")
    }

    fn shut_down(mut self) {
        let answer = self.respond("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("wait for the server");
        assert!(status.success(), "{status}");
    }
}

/// The position of the `nth` occurrence of `needle` in `text` (plus `delta` characters), in
/// UTF-16 code units or bytes, computed here independently of the server.
fn position(text: &str, needle: &str, nth: usize, delta: usize, utf16: bool) -> Value {
    let (at, _) = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` not found"));
    let at = at
        + needle
            .char_indices()
            .nth(delta)
            .map_or(needle.len(), |(i, _)| i);
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let line = text[..at].matches('\n').count();
    let prefix = &text[line_start..at];
    let character = if utf16 {
        prefix.encode_utf16().count()
    } else {
        prefix.len()
    };
    json!({ "line": line, "character": character })
}

const CRONICA: &str = "sources/cronica-es.yaml";
const DIARIO: &str = "sources/diario-pt.yaml";
const EVENTS: &str = "sources/authority/events.yaml";

#[test]
fn an_editor_session_sees_findings_completes_hovers_and_navigates() {
    let mut client = Client::start(&["utf-16"]);
    let cronica = client.text(CRONICA);
    client.open(CRONICA, &cronica);
    let diagnostics = client.diagnostics(CRONICA);
    insta::assert_snapshot!("cronica_diagnostics", client.show(&diagnostics));
    let cronica_found = diagnostics.as_array().cloned().unwrap_or_default();
    // The place outside the region is on the line with `São 🎖️ €`: its columns count UTF-16.
    assert_eq!(
        diagnostics[0]["range"]["start"],
        position(&cronica, "Roma]", 0, 0, true)
    );

    let diario = client.text(DIARIO);
    client.open(DIARIO, &diario);
    let diagnostics = client.diagnostics(DIARIO);
    insta::assert_snapshot!("diario_diagnostics", client.show(&diagnostics));

    let hover_date = client.request(
        "textDocument/hover",
        client.at(CRONICA, position(&cronica, "el día 25", 0, 3, true)),
    );
    let hover_event = client.request(
        "textDocument/hover",
        client.at(CRONICA, position(&cronica, "allied-capture", 0, 3, true)),
    );
    let hover_person = client.request(
        "textDocument/hover",
        client.at(CRONICA, position(&cronica, "Mussolini]", 0, 2, true)),
    );
    let hover_place = client.request(
        "textDocument/hover",
        client.at(CRONICA, position(&cronica, "Roma]", 0, 1, true)),
    );
    insta::assert_snapshot!(
        "hovers",
        client.show(&json!([hover_date, hover_event, hover_person, hover_place]))
    );

    let definition = client.request(
        "textDocument/definition",
        client.at(CRONICA, position(&cronica, "Mesina]", 0, 2, true)),
    );
    let references = client.request(
        "textDocument/references",
        json!({
            "textDocument": { "uri": client.uri(CRONICA) },
            "position": position(&cronica, "allied-invasion-of-sicily", 0, 2, true),
            "context": { "includeDeclaration": true },
        }),
    );
    insta::assert_snapshot!(
        "definition_and_references",
        client.show(&json!({ "definition": definition, "references": references }))
    );

    // A new claim being typed: its event key, then its actors.
    let typing = format!("{cronica}  - event: all");
    client.change(CRONICA, 2, &typing);
    let completion = client.request(
        "textDocument/completion",
        client.at(CRONICA, position(&typing, "event: all", 2, 10, true)),
    );
    assert_eq!(completion["isIncomplete"], false);
    let shown: Vec<String> = completion["items"]
        .as_array()
        .expect("a list of items")
        .iter()
        .map(|item| format!("{} — {}", item["label"], item["detail"]))
        .collect();
    insta::assert_snapshot!("completion_events", shown.join("\n"));
    // What is typed narrows the list: `fall-of-mu`, or `Fr` among the people.
    let typed = [
        (
            "  - event: fall-of-mu",
            "fall-of-mu",
            1,
            "fall-of-mussolini",
        ),
        (
            "  - event: fall-of-mussolini\n    actors: [Fr",
            "[Fr",
            0,
            "francisco-franco",
        ),
    ];
    for (version, (added, needle, nth, expected)) in (3..).zip(typed) {
        let typing = format!("{cronica}{added}");
        client.change(CRONICA, version, &typing);
        let at = position(&typing, needle, nth, needle.chars().count(), true);
        let completion = client.request("textDocument/completion", client.at(CRONICA, at));
        let labels: Vec<&str> = completion["items"]
            .as_array()
            .expect("a list of items")
            .iter()
            .filter_map(|item| item["label"].as_str())
            .collect();
        assert_eq!(labels, [expected], "{added}");
    }

    // The did-you-mean and the allow on the unknown event key.
    let unknown: Vec<Value> = diagnostics
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "N001")
        .cloned()
        .collect();
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": client.uri(DIARIO) },
            "range": unknown[0]["range"],
            "context": { "diagnostics": unknown },
        }),
    );
    insta::assert_snapshot!("code_actions", client.show(&actions));

    // The place outside the region, on an event with no adjudications yet: a skeleton for one,
    // in the authority file.
    let outside: Vec<Value> = cronica_found
        .iter()
        .filter(|d| d["code"] == "P001")
        .cloned()
        .collect();
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": client.uri(CRONICA) },
            "range": outside[0]["range"],
            "context": { "diagnostics": outside },
        }),
    );
    let titles_and_edits: Vec<Value> = actions
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| json!([a["title"], a["edit"]]))
        .collect();
    insta::assert_snapshot!(
        "code_actions_adjudication",
        client.show(&json!(titles_and_edits))
    );

    // A misspelt place and person: the suggestion, or the spelling as an alias of the entry
    // (a new `aliases`, or one more in a flow list).
    let misspelt = diario.replace(
        "    title: Os aliados em Messina",
        "    title: Os aliados em Messina\n    places: [Mesine]\n    actors: [Musolini]",
    );
    client.forget_diagnostics(DIARIO);
    client.change(DIARIO, 2, &misspelt);
    let found = client.diagnostics(DIARIO);
    let mut shown = Vec::new();
    for name in ["`Mesine`", "`Musolini`"] {
        let unknown: Vec<Value> = found
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["message"].as_str().is_some_and(|m| m.contains(name)))
            .cloned()
            .collect();
        let actions = client.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": client.uri(DIARIO) },
                "range": unknown[0]["range"],
                "context": { "diagnostics": unknown },
            }),
        );
        shown.extend(
            actions
                .as_array()
                .expect("actions")
                .iter()
                .filter(|a| a["title"].as_str().is_some_and(|t| !t.starts_with("Allow")))
                .map(|a| json!([a["title"], a["edit"]])),
        );
    }
    insta::assert_snapshot!("code_actions_alias", client.show(&json!(shown)));
    client.change(DIARIO, 3, &diario);

    // While a buffer cannot be read, its references cannot be found: rename refuses.
    let events = client.text(EVENTS);
    client.open(EVENTS, &events);
    let at_id = position(&events, "id: fall-of-mussolini", 0, 6, true);
    let refused = client.respond(
        "textDocument/rename",
        json!({
            "textDocument": { "uri": client.uri(EVENTS) },
            "position": at_id,
            "newName": "fall-of-the-duce",
        }),
    );
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("`sources/cronica-es.yaml` cannot be read")),
        "{refused}"
    );
    client.change(CRONICA, 5, &cronica);
    let rename = client.request(
        "textDocument/rename",
        json!({
            "textDocument": { "uri": client.uri(EVENTS) },
            "position": position(&client.text(EVENTS), "id: fall-of-mussolini", 0, 6, true),
            "newName": "fall-of-the-duce",
        }),
    );
    // `diario-pt` writes a misspelt key: only the exact id is renamed. Sorted for the snapshot.
    let mut edits: Vec<(String, Value)> = rename["changes"]
        .as_object()
        .expect("changes")
        .iter()
        .map(|(uri, edits)| (uri.clone(), edits.clone()))
        .collect();
    edits.sort_by(|a, b| a.0.cmp(&b.0));
    insta::assert_snapshot!("rename", client.show(&json!(edits)));

    let refused = client.respond(
        "textDocument/rename",
        json!({
            "textDocument": { "uri": client.uri(EVENTS) },
            "position": position(&client.text(EVENTS), "id: fall-of-mussolini", 0, 6, true),
            "newName": "Fall Of",
        }),
    );
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("is not an id")),
        "{refused}"
    );
    client.shut_down();
}

#[test]
fn utf8_columns_when_the_client_offers_them() {
    let mut client = Client::start(&["utf-8", "utf-16"]);
    let cronica = client.text(CRONICA);
    client.open(CRONICA, &cronica);
    let diagnostics = client.diagnostics(CRONICA);
    assert_eq!(
        diagnostics[0]["range"]["start"],
        position(&cronica, "Roma]", 0, 0, false)
    );
    let hover = client.request(
        "textDocument/hover",
        client.at(CRONICA, position(&cronica, "10 de julio", 0, 1, false)),
    );
    assert_eq!(
        hover["range"]["start"],
        position(&cronica, "10 de julio", 0, 0, false)
    );
    client.shut_down();
}

#[test]
fn a_half_typed_buffer_gives_a_finding_and_the_server_goes_on() {
    let mut client = Client::start(&["utf-16"]);
    let diario = client.text(DIARIO);
    client.open(DIARIO, &diario);
    let before = client.diagnostics(DIARIO);
    for (version, cut) in [
        (2, "    locator: \"p. 1"),
        (3, "  - event: [allied-capture"),
        (4, "  - { event: "),
    ] {
        let broken = format!("{diario}{cut}");
        client.change(DIARIO, version, &broken);
        let diagnostics = client.diagnostics(DIARIO);
        let codes: Vec<&str> = diagnostics
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter_map(|d| d["code"].as_str())
            .collect();
        assert!(
            codes.iter().any(|c| *c == "S001" || *c == "S003"),
            "{version}: {codes:?}"
        );
        // Every request is still answered.
        let hover = client.respond(
            "textDocument/hover",
            client.at(DIARIO, position(&broken, "allied-capture", 0, 2, true)),
        );
        assert!(hover.get("error").is_none(), "{hover}");
        let completion = client.respond(
            "textDocument/completion",
            client.at(DIARIO, position(&broken, cut, 0, cut.chars().count(), true)),
        );
        assert!(completion.get("error").is_none(), "{completion}");
    }
    client.change(DIARIO, 5, &diario);
    assert_eq!(client.diagnostics(DIARIO), before);
    // Nothing an editor sends is written to the dataset.
    assert_eq!(client.text(DIARIO), diario);
    client.shut_down();
}
