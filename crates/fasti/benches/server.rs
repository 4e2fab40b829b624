//! `fasti server` as an editor sees it: how long after a change the diagnostics of the changed
//! file arrive, how long a completion takes, and the server's memory.
//!
//! Run with `cargo bench -p fasti --bench server`. The dataset is `$FASTI_BENCH_CORPUS` (a
//! directory with `sources/`, e.g. `cargo xtask gen-corpus --sources 100 --events-per-source
//! 1000 --seed 1943 --format yaml --out $TMPDIR/fasti-bench/100k-yaml`), else the repository's own.
//! The binary is spoken to over its standard input and output, as an editor does; each change
//! edits a claim's title in the open buffer (nothing is written to disk).
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn corpus() -> PathBuf {
    match std::env::var_os("FASTI_BENCH_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
    }
}

fn read_message(reader: &mut BufReader<ChildStdout>) -> Value {
    let mut length = 0;
    loop {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the server stopped"
        );
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

fn send(stdin: &mut impl Write, message: &Value) {
    let body = message.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// A memory figure of a process, from `/proc/PID/status` (kB), in MiB.
fn memory(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let root = corpus().canonicalize().unwrap();
    let mut sources: Vec<PathBuf> = std::fs::read_dir(root.join("sources"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    sources.sort();
    let file = &sources[0];
    let text = std::fs::read_to_string(file).unwrap();
    let uri = format!("file://{}", file.display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_fasti"))
        .arg("server")
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut id = 0;
    let mut request = |stdin: &mut std::process::ChildStdin,
                       stdout: &mut BufReader<ChildStdout>,
                       method: &str,
                       params: Value| {
        id += 1;
        send(
            stdin,
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        );
        loop {
            let message = read_message(stdout);
            if message["id"] == json!(id) {
                return message;
            }
        }
    };
    let wait_diagnostics = |stdout: &mut BufReader<ChildStdout>| loop {
        let message = read_message(stdout);
        if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri
        {
            return message["params"]["diagnostics"]
                .as_array()
                .map_or(0, Vec::len);
        }
    };
    let root_uri = format!("file://{}", root.display());
    request(
        &mut stdin,
        &mut stdout,
        "initialize",
        json!({"rootUri": root_uri, "capabilities": {}}),
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );

    let started = Instant::now();
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "yaml", "version": 0, "text": text}}}),
    );
    let found = wait_diagnostics(&mut stdout);
    let opened = started.elapsed();

    let title = text.find("title:").expect("a title to edit");
    let mut changes = Vec::new();
    for version in 1..=20 {
        let edited = format!(
            "{}title: edit {version}{}",
            &text[..title],
            &text[title + 6..]
        );
        let started = Instant::now();
        send(
            &mut stdin,
            &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": edited}]}}),
        );
        wait_diagnostics(&mut stdout);
        changes.push(started.elapsed());
    }

    // Completion of an event key, as typed: at the start of the first `event:` value (every
    // event) and after its first three characters.
    let event = text.find("event:").expect("an event key");
    let line = text[..event].matches('\n').count();
    let start = text[..event]
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.encode_utf16().count())
        + 7;
    let mut completions = Vec::new();
    let mut items = 0;
    for round in 0..100 {
        let column = if round % 2 == 0 { start } else { start + 3 };
        let started = Instant::now();
        let answer = request(
            &mut stdin,
            &mut stdout,
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": column}}),
        );
        completions.push(started.elapsed());
        items = items.max(answer["result"]["items"].as_array().map_or(0, Vec::len));
    }
    let rss = memory(pid, "VmRSS:").unwrap_or(f64::NAN);
    let peak = memory(pid, "VmHWM:").unwrap_or(f64::NAN);
    request(&mut stdin, &mut stdout, "shutdown", Value::Null);
    send(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"}));
    child.wait().unwrap();

    println!(
        "dataset: {} ({} source files)",
        root.display(),
        sources.len()
    );
    println!(
        "open {} ({found} findings): diagnostics after {}",
        file.display(),
        ms(opened)
    );
    println!(
        "diagnostics after a change: median {} (min {}, max {}) over {}",
        ms(median(changes.clone())),
        ms(*changes.iter().min().unwrap()),
        ms(*changes.iter().max().unwrap()),
        changes.len()
    );
    println!(
        "completion (at most {items} items): median {} over {}",
        ms(median(completions.clone())),
        completions.len()
    );
    println!("server memory: {rss:.0} MiB resident, {peak:.0} MiB peak");
}
