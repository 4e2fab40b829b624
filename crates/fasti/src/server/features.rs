//! The answers to the editor's requests: completion, hover, definition, references, rename and
//! code actions.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use fasti_diagnostics::{Rule, Span};
use fasti_ingest::FileKind;
use fasti_normalize::date::{Context, Lang, NormalizedDate, normalize};
use lsp_server::{ErrorCode, Request};
use lsp_types::request::{
    CodeActionRequest, Completion, GotoDefinition, HoverRequest, References, Rename, Request as _,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CompletionItem,
    CompletionItemKind, CompletionList, CompletionParams, CompletionResponse, CompletionTextEdit,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams, Location,
    MarkupContent, MarkupKind, NumberOrString, Position, Range, ReferenceParams, RenameParams,
    TextEdit, Uri, WorkspaceEdit,
};
use serde_json::Value;

use super::index::{self, AuthorityIndex, EntryInfo, Fact, FileFacts, Kind, Role};
use super::{Document, World};

type Answer = Result<Value, (ErrorCode, String)>;

pub(super) fn handle(world: &mut World, request: Request) -> Answer {
    fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, (ErrorCode, String)> {
        serde_json::from_value(request.params)
            .map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
    }
    let json = |value: Option<Value>| Ok(value.unwrap_or(Value::Null));
    // These look at every file of the dataset: read again what changed since they last did.
    if [
        HoverRequest::METHOD,
        References::METHOD,
        Rename::METHOD,
        Completion::METHOD,
    ]
    .contains(&request.method.as_str())
    {
        world.ensure_files(request.method != Completion::METHOD);
    }
    match request.method.as_str() {
        Completion::METHOD => json(completion(world, &params(request)?)),
        HoverRequest::METHOD => json(hover(world, &params(request)?)),
        GotoDefinition::METHOD => json(definition(world, &params(request)?)),
        References::METHOD => json(references(world, &params(request)?)),
        Rename::METHOD => rename(world, &params(request)?).map(|v| v.unwrap_or(Value::Null)),
        CodeActionRequest::METHOD => json(code_actions(world, &params(request)?)),
        other => Err((
            ErrorCode::MethodNotFound,
            format!("fasti server does not answer `{other}`"),
        )),
    }
}

fn to_value(value: impl serde::Serialize) -> Option<Value> {
    serde_json::to_value(value).ok()
}

/// The open document at `uri`, its facts and the byte offset of `position` in it.
fn at<'w>(
    world: &'w World,
    uri: &Uri,
    position: Position,
) -> Option<(&'w Document, Arc<FileFacts>, usize)> {
    let document = world.documents.get(uri)?;
    let facts = document.facts.clone()?;
    let offset = document
        .lines
        .offset(&document.text, position, world.encoding);
    Some((document, facts, offset))
}

fn location(world: &World, file: &str, span: Option<Span>) -> Option<Location> {
    let uri = world.uri(file)?;
    let (text, lines) = world.text_of(file)?;
    let range = span.map_or_else(Range::default, |span| {
        lines.range(&text, span, world.encoding)
    });
    Some(Location::new(uri, range))
}

/// Where an entry's `id` is written.
fn definition_of(world: &World, entry: &EntryInfo) -> Option<Location> {
    let facts = world.files.get(&entry.file)?;
    let span = facts.fact_span(&format!("{}/id", entry.pointer));
    location(world, &entry.file, span)
}

// --- completion -------------------------------------------------------------------------------

/// At most this many items in one answer.
const COMPLETION_LIMIT: usize = 200;

/// What the cursor is completing, from the text of its line (and the lines above for a block
/// list): the key whose value is being written.
fn completing_key(text: &str, offset: usize) -> Option<String> {
    let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    let line = &text[line_start..offset];
    if let Some(key) = key_in_line(line) {
        return Some(key);
    }
    // `    - Sal|` under `places:`: the nearest line above that is less indented.
    let trimmed = line.trim_start();
    if !trimmed.starts_with('-') {
        return None;
    }
    let indent = line.len() - trimmed.len();
    for above in text[..line_start].lines().rev() {
        let above_indent = above.len() - above.trim_start().len();
        if above.trim().is_empty() || above.trim_start().starts_with('#') {
            continue;
        }
        if above_indent < indent || (above_indent == indent && !above.trim_start().starts_with('-'))
        {
            return key_in_line(above);
        }
    }
    None
}

/// The key whose value the end of `line` is in: before an open `[`, else the last `key:` after
/// the last `{` or `,` (flow mappings).
fn key_in_line(line: &str) -> Option<String> {
    // The innermost `[` still open at the end of the line, and the last `{` or `,` outside
    // any bracket after it.
    let mut depth = 0usize;
    let mut cut = None;
    for (at, c) in line.char_indices().rev() {
        match c {
            ']' | '}' => depth += 1,
            '[' if depth == 0 => return key_in_line(&line[..at]),
            '{' if depth == 0 => {
                cut.get_or_insert(at + 1);
            }
            '[' | '{' => depth -= 1,
            ',' if depth == 0 => {
                cut.get_or_insert(at + 1);
            }
            _ => {}
        }
    }
    let segment = line[cut.unwrap_or(0)..]
        .trim_start()
        .trim_start_matches("- ")
        .trim_start();
    let (key, _) = segment.split_once(':')?;
    let key = key.trim();
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| key.to_owned())
}

/// The word being typed at `offset`: back to a separator, on to the next one.
fn word_at(text: &str, offset: usize) -> Span {
    let separator = |c: char| c.is_whitespace() || "[]{},:\"'#".contains(c);
    let start = text[..offset]
        .char_indices()
        .rev()
        .find(|&(_, c)| separator(c))
        .map_or(0, |(at, c)| at + c.len_utf8());
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| separator(c))
        .map_or(text.len(), |(at, _)| offset + at);
    Span::new(start, end)
}

fn completion(world: &mut World, params: &CompletionParams) -> Option<Value> {
    let position = params.text_document_position.position;
    let authority = world.authority();
    let (document, facts, offset) = at(
        world,
        &params.text_document_position.text_document.uri,
        position,
    )?;
    let key = completing_key(&document.text, offset)?;
    let word = word_at(&document.text, offset);
    let range = document.lines.range(&document.text, word, world.encoding);
    let language = facts
        .value
        .as_ref()
        .and_then(|v| v.get("language"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let edit = |label: &str| {
        Some(CompletionTextEdit::Edit(TextEdit::new(
            range,
            label.to_owned(),
        )))
    };
    // What is typed before the cursor narrows the list (ids and names, ignoring case and
    // accents): a large authority has thousands of entries, more than a client should get.
    let typed = fasti_normalize::names::fold(&document.text[word.start..offset]);
    let matches = |entry: &EntryInfo| typed.is_empty() || entry.search.contains(&typed);
    let entries = |kind: Kind| -> Vec<CompletionItem> {
        authority
            .entries
            .values()
            .filter(|entry| entry.kind == kind && matches(entry))
            .map(|entry| {
                let name = entry.name_in(language.as_deref());
                let detail = match (kind, name, entry.dates()) {
                    (Kind::Event, Some(name), Some(dates)) => format!("{name} · {dates}"),
                    (_, Some(name), _) => name.to_owned(),
                    (_, None, Some(dates)) => dates,
                    (_, None, None) => String::new(),
                };
                CompletionItem {
                    label: entry.id.clone(),
                    kind: Some(CompletionItemKind::REFERENCE),
                    detail: (!detail.is_empty()).then_some(detail),
                    text_edit: edit(&entry.id),
                    ..CompletionItem::default()
                }
            })
            .collect()
    };
    let items: Vec<CompletionItem> = match (facts.kind, key.as_str()) {
        (FileKind::Source, "event" | "part_of" | "after" | "before" | "caused_by")
        | (FileKind::Authority, "part_of" | "after" | "before" | "caused_by") => {
            entries(Kind::Event)
        }
        (FileKind::Source, "places") | (FileKind::Authority, "region" | "within") => {
            entries(Kind::Place)
        }
        (FileKind::Source, "actors") => entries(Kind::Person),
        (_, "rule") => Rule::ALL
            .iter()
            .map(|rule| CompletionItem {
                label: rule.name().to_owned(),
                kind: Some(CompletionItemKind::ENUM_MEMBER),
                detail: Some(format!("{} · {}", rule.code(), rule.summary())),
                text_edit: edit(rule.name()),
                ..CompletionItem::default()
            })
            .collect(),
        (FileKind::Authority, "sources") => {
            world.ensure_files(true);
            let ids: BTreeMap<String, &str> = world
                .files
                .values()
                .filter_map(|f| Some((f.source_id.clone()?, &*f.name)))
                .collect();
            ids.into_iter()
                .map(|(id, file)| CompletionItem {
                    label: id.clone(),
                    kind: Some(CompletionItemKind::FILE),
                    detail: Some(file.to_owned()),
                    text_edit: edit(&id),
                    ..CompletionItem::default()
                })
                .collect()
        }
        _ => return None,
    };
    // Past the limit the list is marked incomplete: the client asks again as more is typed.
    let complete = items.len() <= COMPLETION_LIMIT;
    let mut items = items;
    items.truncate(COMPLETION_LIMIT);
    to_value(CompletionResponse::List(CompletionList {
        is_incomplete: !complete,
        items,
    }))
}

// --- hover ------------------------------------------------------------------------------------

fn hover(world: &mut World, params: &HoverParams) -> Option<Value> {
    let position = params.text_document_position_params.position;
    let uri = &params.text_document_position_params.text_document.uri;
    let authority = world.authority();
    let (document, facts, offset) = at(world, uri, position)?;
    let fact = facts.fact_at(offset)?.clone();
    let range = document
        .lines
        .range(&document.text, fact.span, world.encoding);
    let markdown = match &fact.role {
        Role::Date => date_markdown(&facts, &fact, &authority),
        Role::Reference(kind) | Role::Definition(kind) => {
            match authority.resolve(*kind, &fact.text) {
                Ok(entry) => {
                    let reported =
                        (entry.kind == Kind::Event).then(|| reporting_sources(world, entry));
                    entry_markdown(entry, reported)
                }
                Err(suggestions) => unknown_markdown(*kind, &fact.text, &suggestions),
            }
        }
        Role::Rule => match Rule::find(&fact.text) {
            Some(rule) => format!(
                "**{}** `{}` ({})\n\n{}",
                rule.name(),
                rule.code(),
                rule.default_severity(),
                rule.summary()
            ),
            None => format!("no rule is named `{}`; `fasti rules` lists them", fact.text),
        },
        Role::SourceId => {
            let file = world
                .files
                .values()
                .find(|f| f.source_id.as_deref() == Some(&fact.text));
            match file {
                Some(file) => format!("source `{}`: `{}`", fact.text, file.name),
                None => format!("no source has the id `{}`", fact.text),
            }
        }
    };
    to_value(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(range),
    })
}

fn date_markdown(facts: &FileFacts, fact: &Fact, authority: &AuthorityIndex) -> String {
    let (value, assumed_from) = if facts.kind == FileKind::Source {
        match index::source_dates(facts, &authority.authority).remove(&fact.pointer) {
            Some(date) => (date.value, date.assumed_from),
            None => (normalize(&fact.text, Lang::Edtf, &Context::default()), None),
        }
    } else {
        (normalize(&fact.text, Lang::Edtf, &Context::default()), None)
    };
    let mut out = format!("`{}`", fact.text);
    match value {
        Ok(date) => {
            describe_date(&mut out, &date);
            if let Some((pointer, text)) = assumed_from {
                out.push_str(&format!("\n- read against `{text}` (`{pointer}`)"));
            }
        }
        Err(error) => {
            out.push_str(&format!(": fasti cannot read this date: {}", error.message));
            if let Some(help) = error.help {
                out.push_str(&format!("\n\nhelp: {help}"));
            }
        }
    }
    out
}

fn describe_date(out: &mut String, date: &NormalizedDate) {
    out.push_str(&format!(" is read as EDTF `{}`\n", date.edtf));
    out.push_str(&format!("- earliest day: {}\n", date.earliest));
    out.push_str(&format!("- latest day: {}\n", date.latest));
    out.push_str(&format!("- precision: {}", date.precision));
    if date.approximate {
        out.push_str("\n- approximate");
    }
    if date.uncertain {
        out.push_str("\n- uncertain");
    }
    for assumed in &date.assumed {
        out.push_str(&format!("\n- assumed: {assumed}"));
    }
    if let Some(lang) = date.language_mismatch {
        out.push_str(&format!("\n- the words are {}", lang.as_str()));
    }
}

fn entry_markdown(entry: &EntryInfo, reported: Option<usize>) -> String {
    let mut out = format!("**{}** ({})", entry.id, entry.kind.noun());
    for (lang, name) in &entry.names {
        out.push_str(&format!("\n- {lang}: {name}"));
    }
    if !entry.aliases.is_empty() {
        out.push_str(&format!("\n- aliases: {}", entry.aliases.join(", ")));
    }
    let dates = match entry.kind {
        Kind::Person => "life",
        Kind::Event => "accepted dates",
        Kind::Place => "dates",
    };
    if let Some(shown) = entry.dates() {
        out.push_str(&format!("\n- {dates}: {shown}"));
    }
    if let Some(within) = &entry.within {
        let what = if entry.kind == Kind::Event {
            "region"
        } else {
            "within"
        };
        out.push_str(&format!("\n- {what}: {within}"));
    }
    if entry.adjudications > 0 {
        out.push_str(&format!("\n- adjudications: {}", entry.adjudications));
    }
    if let Some(count) = reported {
        let sources = if count == 1 { "source" } else { "sources" };
        out.push_str(&format!("\n- reported by {count} {sources}"));
    }
    out.push_str(&format!("\n\n`{}`", entry.file));
    out
}

fn unknown_markdown(kind: Kind, text: &str, suggestions: &[String]) -> String {
    let mut out = format!("unknown {} `{text}`", kind.noun());
    if !suggestions.is_empty() {
        let shown: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
        out.push_str(&format!(": did you mean {}?", shown.join(", ")));
    }
    out
}

/// Every reference to `entry` in the dataset: file and fact.
fn references_to<'w>(
    world: &'w World,
    authority: &AuthorityIndex,
    entry: &EntryInfo,
) -> Vec<(&'w FileFacts, &'w Fact)> {
    // A name resolves the same way wherever it is written: each distinct one is looked up once.
    let mut resolved: HashMap<&str, bool> = HashMap::new();
    let mut found = Vec::new();
    for file in world.files.values() {
        for fact in &file.facts {
            if fact.role != Role::Reference(entry.kind) {
                continue;
            }
            let names_it = *resolved.entry(&fact.text).or_insert_with(|| {
                authority
                    .resolve(entry.kind, &fact.text)
                    .is_ok_and(|found| found.id == entry.id)
            });
            if names_it {
                found.push((&**file, fact));
            }
        }
    }
    found
}

fn reporting_sources(world: &World, entry: &EntryInfo) -> usize {
    world
        .files
        .values()
        .filter(|file| {
            file.kind == FileKind::Source
                && file.facts.iter().any(|fact| {
                    fact.role == Role::Reference(Kind::Event)
                        && fact.text == entry.id
                        && fact.pointer.ends_with("/event")
                })
        })
        .count()
}

// --- definition, references, rename ----------------------------------------------------------

/// The authority entry the cursor is on (a reference or a definition).
fn entry_at(
    world: &mut World,
    uri: &Uri,
    position: Position,
) -> Option<(Arc<AuthorityIndex>, EntryInfo)> {
    let authority = world.authority();
    let (_, facts, offset) = at(world, uri, position)?;
    let fact = facts.fact_at(offset)?;
    let kind = match fact.role {
        Role::Reference(kind) | Role::Definition(kind) => kind,
        _ => return None,
    };
    let text = fact.text.clone();
    let entry = authority.resolve(kind, &text).ok()?.clone();
    Some((authority, entry))
}

fn definition(world: &mut World, params: &GotoDefinitionParams) -> Option<Value> {
    let at = &params.text_document_position_params;
    let (_, entry) = entry_at(world, &at.text_document.uri, at.position)?;
    to_value(GotoDefinitionResponse::Scalar(definition_of(
        world, &entry,
    )?))
}

fn references(world: &mut World, params: &ReferenceParams) -> Option<Value> {
    let at = &params.text_document_position;
    let (authority, entry) = entry_at(world, &at.text_document.uri, at.position)?;
    let mut locations = Vec::new();
    if params.context.include_declaration {
        locations.extend(definition_of(world, &entry));
    }
    for (file, fact) in references_to(world, &authority, &entry) {
        locations.extend(location(world, &file.name, Some(fact.span)));
    }
    to_value(locations)
}

fn rename(world: &mut World, params: &RenameParams) -> Result<Option<Value>, (ErrorCode, String)> {
    let at = &params.text_document_position;
    let Some((authority, entry)) = entry_at(world, &at.text_document.uri, at.position) else {
        return Ok(None);
    };
    let new = &params.new_name;
    let valid = !new.is_empty()
        && new.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !valid {
        return Err((
            ErrorCode::InvalidParams,
            format!("`{new}` is not an id: lowercase ASCII words joined by hyphens"),
        ));
    }
    if authority.entries.contains_key(&(entry.kind, new.clone())) {
        return Err((
            ErrorCode::InvalidParams,
            format!("the authority already has a {} `{new}`", entry.kind.noun()),
        ));
    }
    if let Some(broken) = world.files.values().find(|file| !file.parsed) {
        return Err((
            ErrorCode::RequestFailed,
            format!(
                "`{}` cannot be read (a syntax error?): its references to `{}` cannot be found; fix it and rename again",
                broken.name, entry.id
            ),
        ));
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    let mut edit = |file: &str, span: Span| {
        let Some((text, lines)) = world.text_of(file) else {
            return;
        };
        let span = unquoted(&text, span);
        if let Some(uri) = world.uri(file) {
            changes.entry(uri).or_default().push(TextEdit::new(
                lines.range(&text, span, world.encoding),
                new.clone(),
            ));
        }
    };
    if let Some(facts) = world.files.get(&entry.file)
        && let Some(span) = facts.fact_span(&format!("{}/id", entry.pointer))
    {
        edit(&entry.file, span);
    }
    // Only the references that write the id are rewritten: a name or an alias still names the
    // entry after the rename.
    for (file, fact) in references_to(world, &authority, &entry) {
        if fact.text == entry.id {
            edit(&file.name, fact.span);
        }
    }
    Ok(to_value(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }))
}

/// The content of a quoted scalar's span; a plain scalar's span as it is.
fn unquoted(text: &str, span: Span) -> Span {
    let written = text.get(span.start..span.end).unwrap_or_default();
    let quoted = written.len() >= 2
        && ((written.starts_with('"') && written.ends_with('"'))
            || (written.starts_with('\'') && written.ends_with('\'')));
    if quoted {
        Span::new(span.start + 1, span.end - 1)
    } else {
        span
    }
}

// --- code actions -----------------------------------------------------------------------------

fn code_actions(world: &mut World, params: &CodeActionParams) -> Option<Value> {
    let uri = &params.text_document.uri;
    let authority = world.authority();
    let mut actions = Vec::new();
    for diagnostic in &params.context.diagnostics {
        if diagnostic.source.as_deref() != Some("fasti") {
            continue;
        }
        let Some(NumberOrString::String(code)) = &diagnostic.code else {
            continue;
        };
        let Some(rule) = Rule::find(code) else {
            continue;
        };
        let Some((document, facts, offset)) = at(world, uri, diagnostic.range.start) else {
            continue;
        };
        if rule == Rule::UnknownReference
            && let Some(fact) = facts.fact_at(offset)
            && let Role::Reference(kind) = fact.role
            && let Err(suggestions) = authority.resolve(kind, &fact.text)
        {
            let span = unquoted(&document.text, fact.span);
            let range = document.lines.range(&document.text, span, world.encoding);
            for suggestion in &suggestions {
                actions.push(action(
                    format!("Replace with `{suggestion}`"),
                    diagnostic,
                    uri,
                    vec![TextEdit::new(range, suggestion.clone())],
                    suggestions.len() == 1,
                ));
                // A person's or place's name may be a spelling the authority lacks.
                if kind != Kind::Event
                    && let Ok(entry) = authority.resolve(kind, suggestion)
                    && let Some((target, edit)) = alias_edit(world, entry, &fact.text)
                {
                    actions.push(action(
                        format!("Add `{}` as an alias of `{}`", fact.text, entry.id),
                        diagnostic,
                        &target,
                        vec![edit],
                        false,
                    ));
                }
            }
        }
        if facts.kind == FileKind::Source
            && let Some(edit) = allow_edit(document, &facts, offset, rule, world)
        {
            actions.push(action(
                format!("Allow `{}` on this claim (say why)", rule.name()),
                diagnostic,
                uri,
                vec![edit],
                false,
            ));
        }
        if let Some(data) = &diagnostic.data
            && let Some((target, edit)) = adjudication_edit(world, &authority, data)
        {
            actions.push(action(
                format!(
                    "Adjudicate `{}` on the event (say what was decided)",
                    rule.name()
                ),
                diagnostic,
                &target,
                vec![edit],
                false,
            ));
        }
    }
    to_value(actions)
}

fn action(
    title: String,
    diagnostic: &lsp_types::Diagnostic,
    uri: &Uri,
    edits: Vec<TextEdit>,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}

/// An `allow` for `rule` at the end of the claim at `offset`, with a reason to fill in; `None`
/// when the claim already has an `allow` list (add the entry there by hand) or is not a block.
fn allow_edit(
    document: &Document,
    facts: &FileFacts,
    offset: usize,
    rule: Rule,
    world: &World,
) -> Option<TextEdit> {
    let (pointer, _) = facts.pointer_at(offset)?;
    let mut segments = pointer.split('/').skip(1);
    let (Some("events"), Some(index)) = (segments.next(), segments.next()) else {
        return None;
    };
    let claim = format!("/events/{index}");
    if facts.spans.value(&format!("{claim}/allow")).is_some() {
        return None;
    }
    let lines = [
        "allow:".to_owned(),
        format!("  - rule: {}", rule.name()),
        "    reason: \"TODO: say why this finding is right here\"".to_owned(),
    ];
    append_to_mapping(&document.text, facts.spans.value(&claim)?, &lines)
        .map(|(at, insert)| edit_at(&document.text, &document.lines, at, insert, world))
}

/// An adjudication skeleton for a finding about an event in several sources, at the end of
/// the event's entry in the authority; `None` when the entry already has `adjudications`
/// (add it to that list by hand) or is not a block.
fn adjudication_edit(
    world: &World,
    authority: &AuthorityIndex,
    data: &Value,
) -> Option<(Uri, TextEdit)> {
    let rule = data["rule"].as_str()?;
    let event = data["event"].as_str()?;
    let sources: Vec<&str> = data["sources"]
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if sources.is_empty() {
        return None;
    }
    let entry = authority.entries.get(&(Kind::Event, event.to_owned()))?;
    let facts = world.files.get(&entry.file)?;
    if facts
        .spans
        .value(&format!("{}/adjudications", entry.pointer))
        .is_some()
    {
        return None;
    }
    let lines = [
        "adjudications:".to_owned(),
        format!("  - rule: {rule}"),
        format!("    sources: [{}]", sources.join(", ")),
        "    decision: \"TODO: which reading stands\"".to_owned(),
        "    reason: \"TODO: why\"".to_owned(),
    ];
    let (at, insert) = append_to_mapping(&facts.text, facts.spans.value(&entry.pointer)?, &lines)?;
    let (text, index) = world.text_of(&entry.file)?;
    Some((
        world.uri(&entry.file)?,
        edit_at(&text, &index, at, insert, world),
    ))
}

/// `name` added to the `aliases` of an authority entry: into a flow list (`[A, B]`), or as a new
/// `aliases` key; `None` for a block list (add it there by hand).
fn alias_edit(world: &World, entry: &EntryInfo, name: &str) -> Option<(Uri, TextEdit)> {
    let facts = world.files.get(&entry.file)?;
    let special = |c: char| ",[]{}:#\"'&*!|>%@`".contains(c);
    let written = if name.chars().any(special) || name.trim() != name {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        name.to_owned()
    };
    let text = &facts.text;
    let (at, insert) = match facts.spans.value(&format!("{}/aliases", entry.pointer)) {
        Some(span) => {
            let list = text.get(span.start..span.end)?.trim_end();
            let inside = list.strip_prefix('[')?.strip_suffix(']')?;
            let close = span.start + list.len() - 1;
            if inside.trim().is_empty() {
                (close, written)
            } else {
                (close, format!(", {written}"))
            }
        }
        None => append_to_mapping(
            text,
            facts.spans.value(&entry.pointer)?,
            &[format!("aliases: [{written}]")],
        )?,
    };
    let (shown, index) = world.text_of(&entry.file)?;
    Some((
        world.uri(&entry.file)?,
        edit_at(&shown, &index, at, insert, world),
    ))
}

/// Where and what to insert to add `lines` as the last keys of the block mapping at `span`,
/// indented as its keys are. `None` for a flow mapping (`{ … }`).
fn append_to_mapping(text: &str, span: Span, lines: &[String]) -> Option<(usize, String)> {
    if text.get(span.start..)?.starts_with('{') {
        return None;
    }
    // A block mapping's span runs on to where the next item starts.
    let end = span.start + text.get(span.start..span.end)?.trim_end().len();
    let line_start = text[..span.start].rfind('\n').map_or(0, |n| n + 1);
    let pad = " ".repeat(text[line_start..span.start].chars().count());
    let at = text[end..].find('\n').map_or(text.len(), |n| end + n + 1);
    let mut insert = String::new();
    if at == text.len() && !text.ends_with('\n') {
        insert.push('\n');
    }
    for line in lines {
        insert.push_str(&pad);
        insert.push_str(line);
        insert.push('\n');
    }
    Some((at, insert))
}

fn edit_at(
    text: &str,
    lines: &super::text::LineIndex,
    at: usize,
    insert: String,
    world: &World,
) -> TextEdit {
    let position = lines.position(text, at, world.encoding);
    TextEdit::new(Range::new(position, position), insert)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_being_completed_is_found_on_the_line_or_above() {
        let text = "events:\n  - event: ital\n    places: [Rome, Sal\n    actors:\n      - Mont\n  - { title: \"a: b\", event: fal, places: [Roma, X], actors: [Fr";
        let at = |needle: &str| text.find(needle).map(|n| n + needle.len()).unwrap_or(0);
        assert_eq!(completing_key(text, at("ital")).as_deref(), Some("event"));
        assert_eq!(completing_key(text, at("fal")).as_deref(), Some("event"));
        assert_eq!(completing_key(text, at("X")).as_deref(), Some("places"));
        assert_eq!(completing_key(text, at("[Fr")).as_deref(), Some("actors"));
        assert_eq!(completing_key(text, at("Sal")).as_deref(), Some("places"));
        assert_eq!(completing_key(text, at("Mont")).as_deref(), Some("actors"));
        let word = word_at(text, at("Sal"));
        assert_eq!(&text[word.start..word.end], "Sal");
    }
}
