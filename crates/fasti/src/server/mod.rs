//! `fasti server`: the dataset's checks, completions and answers in an editor, over the
//! Language Server Protocol on standard input and output.
//!
//! It lives in the `fasti` crate rather than a crate of its own because it drives the pipeline
//! (`pipeline.rs`), which is here: a `fasti_server` crate would depend on `fasti` for the
//! pipeline while the `fasti` binary depends on it for its subcommand, a cycle.
//!
//! The shape follows rust-analyzer and `ruff server`: `lsp-server` for the transport, `lsp-types`
//! for the messages, one loop on the main thread that owns the state ([`World`]). Edits are
//! applied as they come; the dataset is checked again (with the open buffers over the files on
//! disk, [`crate::Overlay`]) once no more messages wait, or before answering a request. A panic
//! while answering one request becomes an error response to it; the server goes on.

mod diagnostics;
mod features;
mod index;
mod text;

use std::collections::BTreeMap;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;

use fasti_ingest::{DataFile, FileKind, FileName, Limits, discover, load_config};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, InitializeParams,
    OneOf, PositionEncodingKind, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};

use crate::{CheckOptions, Outcome, Overlay, RunError, find_root};
use index::{AuthorityIndex, FileFacts};
use text::{Encoding, LineIndex};

/// Runs the server on standard input and output until the client says `exit`.
pub fn run() -> io::Result<()> {
    let (connection, threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    threads.join()
}

fn serve(connection: &Connection) -> io::Result<()> {
    let (id, params) = connection.initialize_start().map_err(io::Error::other)?;
    let params: InitializeParams = serde_json::from_value(params).map_err(io::Error::other)?;
    let encoding = negotiate(&params);
    let root = workspace_root(&params)?;
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": ServerInfo {
            name: "fasti".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        },
    });
    connection
        .initialize_finish(id, result)
        .map_err(io::Error::other)?;
    let mut world = World::new(root, encoding);
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(io::Error::other)?
                {
                    return Ok(());
                }
                world.refresh(connection)?;
                let response = answer(&mut world, request);
                connection
                    .sender
                    .send(Message::Response(response))
                    .map_err(io::Error::other)?;
            }
            Message::Notification(notification) => {
                world.notify(notification);
                // Typing sends a change per key: check once they stop coming.
                if connection.receiver.is_empty() {
                    world.refresh(connection)?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// UTF-8 columns when the client offers them (cheaper for us, exact for it), else UTF-16, the
/// protocol's default.
fn negotiate(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_ref());
    if offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8)) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

/// The repository the editor opened: the first workspace folder (else the deprecated root URI,
/// else the working directory), then the nearest ancestor with a `fasti.toml` or `sources/`.
fn workspace_root(params: &InitializeParams) -> io::Result<PathBuf> {
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| folder.uri.clone());
    #[allow(deprecated)]
    let uri = folder.or_else(|| params.root_uri.clone());
    let start = match uri.as_ref().and_then(text::path_of) {
        Some(path) => path,
        None => std::env::current_dir()?,
    };
    let root = find_root(&start);
    Ok(root.canonicalize().unwrap_or(root))
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".to_owned(), "[".to_owned(), ",".to_owned()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// A buffer the editor has open.
#[derive(Debug)]
pub(crate) struct Document {
    pub(crate) uri: Uri,
    /// `None` for a file outside the repository: it is shown a finding saying so.
    pub(crate) name: Option<FileName>,
    pub(crate) text: Arc<str>,
    pub(crate) lines: LineIndex,
}

/// Everything the server knows: the open buffers, the last check and the dataset's facts.
pub(crate) struct World {
    pub(crate) root: PathBuf,
    pub(crate) encoding: Encoding,
    pub(crate) documents: BTreeMap<Uri, Document>,
    /// What was published, to clear the diagnostics of files that have none any more.
    published: BTreeMap<Uri, usize>,
    /// Something changed since the last check.
    stale: bool,
    pub(crate) outcome: Option<Result<Outcome, RunError>>,
    pub(crate) limits: Limits,
    /// Each data file's facts, by name; reused while its text is the same.
    pub(crate) files: BTreeMap<FileName, Arc<FileFacts>>,
    pub(crate) authority: Option<Arc<AuthorityIndex>>,
}

impl World {
    fn new(root: PathBuf, encoding: Encoding) -> World {
        World {
            root,
            encoding,
            documents: BTreeMap::new(),
            published: BTreeMap::new(),
            stale: true,
            outcome: None,
            limits: Limits::default(),
            files: BTreeMap::new(),
            authority: None,
        }
    }

    fn notify(&mut self, notification: Notification) {
        let method = notification.method.clone();
        let result = catch_unwind(AssertUnwindSafe(|| match method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) = notification
                    .extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    let document = params.text_document;
                    self.open(document.uri, document.text);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) = notification.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) {
                    // Full sync: the last change holds the whole text.
                    if let Some(change) = params.content_changes.into_iter().last() {
                        self.open(params.text_document.uri, change.text);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = notification
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    self.documents.remove(&params.text_document.uri);
                    self.stale = true;
                }
            }
            DidSaveTextDocument::METHOD | DidChangeWatchedFiles::METHOD => self.stale = true,
            _ => {}
        }));
        if result.is_err() {
            self.stale = true;
        }
    }

    fn open(&mut self, uri: Uri, text: String) {
        let name = text::path_of(&uri)
            .map(|path| path.canonicalize().unwrap_or(path))
            .and_then(|path| text::name_in(&self.root, &path))
            .map(FileName::from);
        let lines = LineIndex::new(&text);
        self.documents.insert(
            uri.clone(),
            Document {
                uri,
                name,
                text: Arc::from(text),
                lines,
            },
        );
        self.stale = true;
    }

    /// The open buffers of the repository's files, by name.
    pub(crate) fn overlay(&self) -> Overlay {
        self.documents
            .values()
            .filter_map(|d| Some((d.name.clone()?, d.text.clone())))
            .collect()
    }

    /// Checks the dataset again if anything changed, and publishes the open files' findings.
    fn refresh(&mut self, connection: &Connection) -> io::Result<()> {
        if !self.stale {
            return Ok(());
        }
        self.stale = false;
        let overlay = self.overlay();
        let options = CheckOptions {
            root: self.root.clone(),
            paths: Vec::new(),
            adjudicate: true,
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| crate::check_with(&options, &overlay)));
        self.outcome = outcome.ok();
        self.limits = match load_config(&self.root) {
            Ok(config) => config.map(|(config, _)| config.limits).unwrap_or_default(),
            Err(_) => Limits::default(),
        };
        self.authority = None;
        let files = self.data_files();
        let previous = std::mem::take(&mut self.files);
        self.files = catch_unwind(AssertUnwindSafe(|| {
            index::refresh(&files, &overlay, &self.limits, &previous)
        }))
        .unwrap_or_default();
        self.publish(connection)
    }

    /// Every data file under `sources/`, as the pipeline finds them.
    pub(crate) fn data_files(&self) -> Vec<DataFile> {
        discover(&self.root, &[self.root.join("sources")]).files
    }

    pub(crate) fn authority(&mut self) -> Arc<AuthorityIndex> {
        if let Some(authority) = &self.authority {
            return authority.clone();
        }
        let files: Vec<Arc<FileFacts>> = self
            .files
            .values()
            .filter(|f| f.kind == FileKind::Authority)
            .cloned()
            .collect();
        let authority = Arc::new(AuthorityIndex::build(&files));
        self.authority = Some(authority.clone());
        authority
    }

    fn publish(&mut self, connection: &Connection) -> io::Result<()> {
        let mut by_uri = diagnostics::by_document(self);
        for uri in self.published.keys() {
            by_uri.entry(uri.clone()).or_default();
        }
        let mut published = BTreeMap::new();
        for (uri, diagnostics) in by_uri {
            if !diagnostics.is_empty() {
                published.insert(uri.clone(), diagnostics.len());
            }
            let params = PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            };
            let notification = Notification::new(PublishDiagnostics::METHOD.to_owned(), params);
            connection
                .sender
                .send(Message::Notification(notification))
                .map_err(io::Error::other)?;
        }
        self.published = published;
        Ok(())
    }

    /// The path of a file name.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// The text and line index of a file: its open buffer, else what the facts were built from.
    pub(crate) fn text_of(&self, name: &str) -> Option<(Arc<str>, LineIndex)> {
        if let Some(doc) = self
            .documents
            .values()
            .find(|d| d.name.as_deref() == Some(name))
        {
            return Some((doc.text.clone(), doc.lines.clone()));
        }
        let facts = self.files.get(name)?;
        Some((facts.text.clone(), LineIndex::new(&facts.text)))
    }

    pub(crate) fn uri(&self, name: &str) -> Option<Uri> {
        self.documents
            .values()
            .find(|d| d.name.as_deref() == Some(name))
            .map(|d| d.uri.clone())
            .or_else(|| text::uri_of(&self.path(name)))
    }
}

/// Answers one request; a panic while answering becomes an error response.
fn answer(world: &mut World, request: Request) -> Response {
    let id = request.id.clone();
    match catch_unwind(AssertUnwindSafe(|| features::handle(world, request))) {
        Ok(Ok(value)) => Response::new_ok(id, value),
        Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
        Err(panic) => {
            world.stale = true;
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("fasti failed on this request (a bug: please report it): {what}"),
            )
        }
    }
}
