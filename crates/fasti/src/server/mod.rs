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

// `lsp_types::Uri` caches parts of itself in a `Cell`, which this lint sees; its `Hash` and
// `Ord` read only the text, so it is a sound key (and `WorkspaceEdit` itself is keyed by it).
#![allow(clippy::mutable_key_type)]

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
    /// What the features need of it, with its value and spans; `None` outside the repository.
    pub(crate) facts: Option<Arc<FileFacts>>,
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
    /// What the last check leaves for the next: the results of the files an edit did not touch.
    reuse: crate::Reuse,
    /// Each data file's facts, by name; reused while its text is the same. Read again (from the
    /// open buffers and the disk) only when a feature needs them after a change.
    pub(crate) files: BTreeMap<FileName, Arc<FileFacts>>,
    /// The authority files' facts are out of date; all files' facts are.
    authority_stale: bool,
    files_stale: bool,
    authority: Option<Arc<AuthorityIndex>>,
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
            reuse: crate::Reuse::default(),
            files: BTreeMap::new(),
            authority_stale: true,
            files_stale: true,
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
            // A saved file may be the configuration or a schema, which results depend on.
            DidSaveTextDocument::METHOD | DidChangeWatchedFiles::METHOD => {
                self.reuse = crate::Reuse::default();
                self.stale = true;
            }
            _ => {}
        }));
        if result.is_err() {
            self.reuse = crate::Reuse::default();
            self.stale = true;
        }
    }

    fn open(&mut self, uri: Uri, text: String) {
        let name = text::path_of(&uri)
            .map(|path| path.canonicalize().unwrap_or(path))
            .and_then(|path| text::name_in(&self.root, &path))
            .map(FileName::from);
        let lines = LineIndex::new(&text);
        let text: Arc<str> = Arc::from(text);
        let facts = name.as_ref().map(|name| {
            let in_authority = name
                .rsplit('/')
                .nth(1)
                .is_some_and(|dir| dir == "authority");
            let kind = if in_authority {
                FileKind::Authority
            } else {
                FileKind::Source
            };
            Arc::new(FileFacts::build(
                name.clone(),
                kind,
                text.clone(),
                &self.limits,
                true,
            ))
        });
        self.documents.insert(
            uri.clone(),
            Document {
                uri,
                name,
                text,
                lines,
                facts,
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
        self.authority_stale = true;
        self.files_stale = true;
        let overlay = self.overlay();
        // The whole dataset is checked; the findings kept (and located) are those that involve
        // an open file.
        let paths: Vec<PathBuf> = overlay.keys().map(|name| self.path(name)).collect();
        self.outcome = if paths.is_empty() {
            None
        } else {
            let options = CheckOptions {
                root: self.root.clone(),
                paths,
                adjudicate: true,
            };
            let reuse = &mut self.reuse;
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                crate::check_with(&options, &overlay, Some(reuse))
            }));
            if outcome.is_err() {
                self.reuse = crate::Reuse::default();
            }
            outcome.ok()
        };
        self.limits = match load_config(&self.root) {
            Ok(config) => config.map(|(config, _)| config.limits).unwrap_or_default(),
            Err(_) => Limits::default(),
        };
        self.publish(connection)
    }

    /// Every data file under `sources/`, as the pipeline finds them.
    pub(crate) fn data_files(&self) -> Vec<DataFile> {
        discover(&self.root, &[self.root.join("sources")]).files
    }

    /// Reads the data files' facts again if they may have changed: only the authority's
    /// unless `all`. A file whose text is the same keeps its facts.
    pub(crate) fn ensure_files(&mut self, all: bool) {
        if !(self.files_stale || (self.authority_stale && !all)) {
            return;
        }
        let mut files = self.data_files();
        if !all {
            files.retain(|file| file.kind == FileKind::Authority);
        }
        let overlay = self.overlay();
        let fresh = catch_unwind(AssertUnwindSafe(|| {
            index::refresh(&files, &overlay, &self.limits, &self.files)
        }))
        .unwrap_or_default();
        if all {
            self.files = fresh;
            self.files_stale = false;
        } else {
            self.files
                .retain(|_, facts| facts.kind != FileKind::Authority);
            self.files.extend(fresh);
        }
        self.authority_stale = false;
    }

    /// The authority as the features see it, built again only when one of its files changed.
    pub(crate) fn authority(&mut self) -> Arc<AuthorityIndex> {
        self.ensure_files(false);
        let files: Vec<Arc<FileFacts>> = self
            .files
            .values()
            .filter(|f| f.kind == FileKind::Authority)
            .cloned()
            .collect();
        let key: Vec<u64> = files.iter().map(|f| f.hash).collect();
        if let Some(authority) = &self.authority
            && authority.key == key
        {
            return authority.clone();
        }
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

    /// The text and line index of a file: its open buffer, else what its facts were built from
    /// (none until [`World::ensure_files`] has read it).
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
