//! `pinwarden server`: a Language Server over standard input and output.
//!
//! The protocol is spoken with `lsp-server` and `lsp-types`, the crates rust-analyzer is
//! built on: a synchronous message loop over channels, no async runtime. Linting a
//! buffer is a few milliseconds of CPU work with nothing to await, so the async
//! machinery `tower-lsp-server` brings (tokio, futures) would add a runtime and its
//! dependencies for no gain, and a loop that handles one message at a time keeps the
//! documents' state free of locks.
//!
//! A buffer is linted as `pinwarden check - --stdin-filename PATH` lints it, with the
//! configuration `check` would use for that path (the nearest `pinwarden.toml` or
//! `[tool.pinwarden]`, its per-path blocks), and with its includes followed on disk.
//! Diagnostics are pushed (`textDocument/publishDiagnostics`) to clients that do not
//! pull them (`textDocument/diagnostic`). Every string sent passes through the same
//! masking as the command line's output (see [`transport`]).

mod actions;
mod position;
mod transport;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    Diagnostic, DiagnosticOptions, DiagnosticRelatedInformation, DiagnosticServerCapabilities,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DocumentDiagnosticParams, DocumentDiagnosticReport,
    DocumentDiagnosticReportResult, FileSystemWatcher, FullDocumentDiagnosticReport, GlobPattern,
    Hover, HoverContents, HoverParams, HoverProviderCapability, InitializeParams, Location,
    MarkupContent, MarkupKind, NumberOrString, PublishDiagnosticsParams, Registration,
    RegistrationParams, RelatedFullDocumentDiagnosticReport, SaveOptions, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};

use crate::config::{ConfigFile, Settings};
use crate::policy::{Finding, RuleSet, Severity};
use crate::project::IncludeTarget;
use crate::{CheckInput, Outcome};
use position::{Text, path_to_uri, uri_to_path};

/// The diagnostics' `source`.
const SOURCE: &str = "pinwarden";

/// Serve one client on standard input and output until it exits.
pub fn run() -> Result<(), String> {
    // A panic is caught where the request it broke is answered; its message goes to
    // standard error (the client's log) masked like every other line.
    std::panic::set_hook(Box::new(|info| {
        crate::errln!("pinwarden server: {info}");
    }));
    let (connection, threads) = transport::stdio();
    serve(&connection)?;
    drop(connection);
    threads.join().map_err(|e| e.to_string())
}

/// The session on `connection`: the handshake, then messages until `exit`.
pub fn serve(connection: &Connection) -> Result<(), String> {
    let capabilities = serde_json::to_value(server_capabilities()).map_err(|e| e.to_string())?;
    let initialize = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo {
            name: "pinwarden".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        },
    });
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    connection
        .initialize_finish(id, initialize)
        .map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let mut server = Server::new(connection, &params);
    server.register_watchers();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|e| e.to_string())?
                {
                    return Ok(());
                }
                server.on_request(request);
            }
            Message::Notification(notification) => {
                if notification.method == notif::Exit::METHOD {
                    return Ok(());
                }
                server.on_notification(notification);
            }
            // Answers to the server's own requests (registration, refresh): nothing
            // waits for them.
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn server_capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..Default::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, actions::fix_all_kind()]),
            resolve_provider: Some(false),
            ..Default::default()
        })),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some(SOURCE.to_string()),
            // A requirement file's diagnostics depend on the files it includes.
            inter_file_dependencies: true,
            workspace_diagnostics: false,
            ..Default::default()
        })),
        ..Default::default()
    }
}

/// An open document.
struct Document {
    path: PathBuf,
    version: i32,
    text: Arc<Text>,
    /// The last lint of this version of the text.
    linted: Option<Arc<Linted>>,
}

/// What one lint of a document found.
pub struct Linted {
    /// The text linted (the buffer's, byte-order mark and all).
    pub text: Arc<Text>,
    /// Bytes of a byte-order mark the lint did not see: finding spans start after it.
    pub bom: usize,
    pub outcome: Outcome,
    pub rules: Arc<RuleSet>,
    /// The document's own findings, in order.
    pub findings: Vec<usize>,
    /// Why the configuration could not be loaded, when it could not.
    pub config_error: Option<String>,
}

/// The rules and settings for the files of one directory.
struct Config {
    rules: Arc<RuleSet>,
    settings: Arc<Settings>,
}

struct Server<'a> {
    connection: &'a Connection,
    documents: HashMap<Uri, Document>,
    /// Configuration by document directory, until a configuration or rule file changes.
    configs: HashMap<PathBuf, Result<Arc<Config>, String>>,
    workspace_roots: Vec<PathBuf>,
    /// The client pulls diagnostics: none are pushed.
    pull: bool,
    refresh_support: bool,
    watch_support: bool,
}

impl<'a> Server<'a> {
    fn new(connection: &'a Connection, params: &InitializeParams) -> Server<'a> {
        let capabilities: &ClientCapabilities = &params.capabilities;
        let pull = capabilities
            .text_document
            .as_ref()
            .is_some_and(|text| text.diagnostic.is_some());
        let workspace = capabilities.workspace.as_ref();
        let refresh_support = workspace
            .and_then(|w| w.diagnostic.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        let watch_support = workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        let mut workspace_roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|folder| uri_to_path(&folder.uri))
            .collect();
        #[allow(deprecated)] // Clients that predate workspace folders send only this.
        if workspace_roots.is_empty()
            && let Some(root) = params.root_uri.as_ref().and_then(uri_to_path)
        {
            workspace_roots.push(root);
        }
        Server {
            connection,
            documents: HashMap::new(),
            configs: HashMap::new(),
            workspace_roots,
            pull,
            refresh_support,
            watch_support,
        }
    }

    fn send(&self, message: impl Into<Message>) {
        // The client gone, the loop ends on the next read.
        let _ = self.connection.sender.send(message.into());
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_string(), params));
    }

    fn log(&self, kind: lsp_types::MessageType, message: String) {
        self.notify::<notif::LogMessage>(lsp_types::LogMessageParams { typ: kind, message });
    }

    /// Ask to be told when configuration, rule files, includes or locks change.
    fn register_watchers(&self) {
        if !self.watch_support {
            return;
        }
        let watchers = [
            "**/pinwarden.toml",
            "**/.pinwarden.toml",
            "**/pyproject.toml",
            "**/*.toml",
            "**/*.txt",
            "**/*.in",
            "**/*.pip",
            "**/*.lock",
            "**/Pipfile",
        ]
        .iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob.to_string()),
            kind: None,
        })
        .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "pinwarden-watched-files".to_string(),
                method: notif::DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.send(Request::new(
            RequestId::from("pinwarden-register".to_string()),
            req::RegisterCapability::METHOD.to_string(),
            params,
        ));
    }

    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        let method = request.method.clone();
        let result = catch_unwind(AssertUnwindSafe(|| self.answer(request)));
        let response = match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
            Err(panic) => {
                let message = format!("pinwarden failed on `{method}`: {}", panic_text(&panic));
                self.log(lsp_types::MessageType::ERROR, message.clone());
                Response::new_err(id, ErrorCode::InternalError as i32, message)
            }
        };
        self.send(response);
    }

    fn answer(&mut self, request: Request) -> Result<serde_json::Value, (ErrorCode, String)> {
        let invalid = |e: serde_json::Error| (ErrorCode::InvalidParams, e.to_string());
        let json = |value: serde_json::Result<serde_json::Value>| {
            value.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match request.method.as_str() {
            req::DocumentDiagnosticRequest::METHOD => {
                let params: DocumentDiagnosticParams =
                    serde_json::from_value(request.params).map_err(invalid)?;
                let items = self
                    .lint(&params.text_document.uri)
                    .map(|linted| diagnostics(&linted))
                    .unwrap_or_default();
                let report = DocumentDiagnosticReportResult::Report(
                    DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                        related_documents: None,
                        full_document_diagnostic_report: FullDocumentDiagnosticReport {
                            result_id: None,
                            items,
                        },
                    }),
                );
                json(serde_json::to_value(report))
            }
            req::HoverRequest::METHOD => {
                let params: HoverParams =
                    serde_json::from_value(request.params).map_err(invalid)?;
                let place = params.text_document_position_params;
                let hover = self
                    .lint(&place.text_document.uri)
                    .and_then(|linted| hover(&linted, place.position));
                json(serde_json::to_value(hover))
            }
            req::CodeActionRequest::METHOD => {
                let params: lsp_types::CodeActionParams =
                    serde_json::from_value(request.params).map_err(invalid)?;
                let uri = params.text_document.uri.clone();
                let found = self
                    .lint(&uri)
                    .map(|linted| actions::code_actions(&uri, &linted, &params))
                    .unwrap_or_default();
                json(serde_json::to_value(found))
            }
            #[cfg(debug_assertions)]
            "pinwarden/panic" if std::env::var_os("PINWARDEN_SERVER_TEST_PANIC").is_some() => {
                panic!("a panic asked for by the test suite")
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("pinwarden does not answer `{}`", request.method),
            )),
        }
    }

    fn on_notification(&mut self, notification: Notification) {
        let method = notification.method.clone();
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| self.handle(notification))) {
            let message = format!("pinwarden failed on `{method}`: {}", panic_text(&panic));
            self.log(lsp_types::MessageType::ERROR, message);
        }
    }

    fn handle(&mut self, notification: Notification) {
        let params = notification.params;
        match notification.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidOpenTextDocumentParams>(params) else {
                    return;
                };
                let document = params.text_document;
                let Some(path) = uri_to_path(&document.uri) else {
                    return;
                };
                self.documents.insert(
                    document.uri.clone(),
                    Document {
                        path,
                        version: document.version,
                        text: Arc::new(Text::new(document.text)),
                        linted: None,
                    },
                );
                self.publish(&document.uri);
            }
            notif::DidChangeTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidChangeTextDocumentParams>(params)
                else {
                    return;
                };
                let uri = params.text_document.uri;
                let Some(document) = self.documents.get_mut(&uri) else {
                    return;
                };
                let mut text = document.text.text.clone();
                for change in params.content_changes {
                    match change.range {
                        // Sync is full, but a client may still send ranges.
                        Some(range) => {
                            let current = Text::new(text);
                            let span = current.span(range);
                            text = current.text;
                            text.replace_range(span, &change.text);
                        }
                        None => text = change.text,
                    }
                }
                document.text = Arc::new(Text::new(text));
                document.version = params.text_document.version;
                document.linted = None;
                self.publish(&uri);
            }
            // Files that include the saved one read it from disk.
            notif::DidSaveTextDocument::METHOD => self.relint_all(),
            notif::DidCloseTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidCloseTextDocumentParams>(params)
                else {
                    return;
                };
                let uri = params.text_document.uri;
                if self.documents.remove(&uri).is_some() && !self.pull {
                    self.notify::<notif::PublishDiagnostics>(PublishDiagnosticsParams {
                        uri,
                        diagnostics: Vec::new(),
                        version: None,
                    });
                }
            }
            notif::DidChangeWatchedFiles::METHOD => {
                let Ok(params) = serde_json::from_value::<DidChangeWatchedFilesParams>(params)
                else {
                    return;
                };
                let configuration_changed = params.changes.iter().any(|change| {
                    uri_to_path(&change.uri)
                        .is_some_and(|path| path.extension().is_some_and(|ext| ext == "toml"))
                });
                if configuration_changed {
                    self.configs.clear();
                }
                self.relint_all();
            }
            _ => {}
        }
    }

    /// Lint every open document again: what they include, their locks or their
    /// configuration changed.
    fn relint_all(&mut self) {
        for document in self.documents.values_mut() {
            document.linted = None;
        }
        if self.pull {
            if self.refresh_support {
                self.send(Request::new(
                    RequestId::from("pinwarden-refresh".to_string()),
                    req::WorkspaceDiagnosticRefresh::METHOD.to_string(),
                    (),
                ));
            }
            return;
        }
        let uris: Vec<Uri> = self.documents.keys().cloned().collect();
        for uri in uris {
            self.publish(&uri);
        }
    }

    /// Push the diagnostics of a document, unless the client pulls them.
    fn publish(&mut self, uri: &Uri) {
        if self.pull {
            return;
        }
        let Some(linted) = self.lint(uri) else {
            return;
        };
        let version = self.documents.get(uri).map(|d| d.version);
        self.notify::<notif::PublishDiagnostics>(PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics: diagnostics(&linted),
            version,
        });
    }

    /// The lint of the open document `uri`, made now unless its text is unchanged
    /// since the last.
    fn lint(&mut self, uri: &Uri) -> Option<Arc<Linted>> {
        let document = self.documents.get(uri)?;
        if let Some(linted) = &document.linted {
            return Some(Arc::clone(linted));
        }
        let path = document.path.clone();
        let text = Arc::clone(&document.text);
        let root = self.root_of(&path);
        let config = self.config_for(&path);
        let linted = Arc::new(lint_text(&path, &root, text, config));
        if let Some(document) = self.documents.get_mut(uri) {
            document.linted = Some(Arc::clone(&linted));
        }
        Some(linted)
    }

    /// The workspace folder holding `path`, else its directory: includes that leave it
    /// are reported as `check` reports includes that leave the checked tree.
    fn root_of(&self, path: &Path) -> PathBuf {
        self.workspace_roots
            .iter()
            .filter(|root| path.starts_with(root))
            .max_by_key(|root| root.components().count())
            .cloned()
            .unwrap_or_else(|| crate::project::parent_dir(path))
    }

    fn config_for(&mut self, path: &Path) -> Result<Arc<Config>, String> {
        let dir = crate::project::parent_dir(path);
        if let Some(config) = self.configs.get(&dir) {
            return config.clone();
        }
        let mut warnings = Vec::new();
        let config = load_config(path, &mut warnings);
        for warning in warnings {
            self.log(lsp_types::MessageType::WARNING, warning);
        }
        self.configs.insert(dir, config.clone());
        config
    }
}

/// The configuration `check` would use for `path`.
fn load_config(path: &Path, warnings: &mut Vec<String>) -> Result<Arc<Config>, String> {
    let found = ConfigFile::find_warning(path, warnings).map_err(|e| e.to_string())?;
    let (rules, settings) = match found {
        Some(config) => {
            let rules = config.load_rules().map_err(|e| e.to_string())?;
            let settings = config.settings(&rules).map_err(|e| e.to_string())?;
            (rules, settings)
        }
        None => (
            RuleSet::builtin().map_err(|e| e.to_string())?,
            Settings::default(),
        ),
    };
    if let Some(limit) = settings.max_file_size {
        crate::project::set_max_file_size(limit);
    }
    Ok(Arc::new(Config {
        rules: Arc::new(rules),
        settings: Arc::new(settings),
    }))
}

/// Lint the buffer `text` of the file at `path`.
fn lint_text(
    path: &Path,
    root: &Path,
    text: Arc<Text>,
    config: Result<Arc<Config>, String>,
) -> Linted {
    let bom = if text.text.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let config = match config {
        Ok(config) => config,
        Err(error) => {
            return Linted {
                text,
                bom,
                outcome: Outcome::default(),
                rules: Arc::new(RuleSet::default()),
                findings: Vec::new(),
                config_error: Some(error),
            };
        }
    };
    // A file pinwarden does not read (a README, a compose file) has no diagnostics: the
    // command line would only lint it as a requirements file when named `-`.
    if crate::discover::classify(path).is_none() {
        return Linted {
            text,
            bom,
            outcome: Outcome::default(),
            rules: Arc::clone(&config.rules),
            findings: Vec::new(),
            config_error: None,
        };
    }
    let input = CheckInput {
        stdin: Some((path.to_path_buf(), text.text.clone())),
        stdin_root: Some(root.to_path_buf()),
        // A file the configuration excludes is not linted when it is opened either.
        discover: crate::discover::DiscoverOptions {
            force_exclude: true,
            ..Default::default()
        },
        ..CheckInput::default()
    };
    let outcome = crate::check(&input, &config.rules, &config.settings);
    let findings = outcome
        .findings
        .iter()
        .enumerate()
        .filter(|(_, finding)| *finding.path == *path)
        .map(|(index, _)| index)
        .collect();
    Linted {
        text,
        bom,
        outcome,
        rules: Arc::clone(&config.rules),
        findings,
        config_error: None,
    }
}

/// Lint `text` as the file at `path` with the configuration `check` would use there:
/// for benchmarks and tests of the lint behind each diagnostic.
pub fn lint_file_text(path: &Path, text: String) -> Linted {
    let config = load_config(path, &mut Vec::new());
    let root = crate::project::parent_dir(path);
    lint_text(path, &root, Arc::new(Text::new(text)), config)
}

impl Linted {
    /// The document's findings.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .map(|&index| &self.outcome.findings[index])
    }

    /// A finding's span in the buffer.
    fn buffer_span(&self, span: &crate::manifest::Span) -> crate::manifest::Span {
        span.start + self.bom..span.end + self.bom
    }
}

/// The diagnostics of a lint.
pub fn diagnostics(linted: &Linted) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = linted
        .findings()
        .map(|finding| diagnostic(linted, finding))
        .collect();
    if let Some(error) = &linted.config_error {
        out.push(Diagnostic {
            range: Default::default(),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("configuration".to_string())),
            source: Some(SOURCE.to_string()),
            message: format!("pinwarden's configuration cannot be used: {error}"),
            ..Default::default()
        });
    }
    out
}

fn diagnostic(linted: &Linted, finding: &Finding) -> Diagnostic {
    let range = linted.text.range(&linted.buffer_span(&finding.span));
    let severity = match finding.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    // As in the reports: a link only when the package names where its docs live.
    let code_description = crate::docs::rule_url(&finding.rule.name)
        .and_then(|url| url.parse::<Uri>().ok())
        .map(|href| lsp_types::CodeDescription { href });
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let mut related = related_in_file(linted, finding);
    if finding.rule.name == "include-cycle" {
        related.extend(cycle_chain(linted, finding));
    }
    Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.rule.name.clone())),
        code_description,
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

/// The finding's labelled places in its own file.
fn related_in_file(linted: &Linted, finding: &Finding) -> Vec<DiagnosticRelatedInformation> {
    let Some(uri) = path_to_uri(&finding.path) else {
        return Vec::new();
    };
    finding
        .related
        .iter()
        .map(|related| DiagnosticRelatedInformation {
            location: Location {
                uri: uri.clone(),
                range: linted.text.range(&linted.buffer_span(&related.span)),
            },
            message: related.text.clone(),
        })
        .collect()
}

/// For an include cycle: each include on the way from the flagged include back to the
/// document, in order.
fn cycle_chain(linted: &Linted, finding: &Finding) -> Vec<DiagnosticRelatedInformation> {
    let files = &linted.outcome.files;
    let Some(start) = files.iter().position(|f| *f.manifest.path == *finding.path) else {
        return Vec::new();
    };
    let include_at = |file: usize, item: usize| match files[file].manifest.items.get(item) {
        Some(crate::manifest::Item::Include(include)) => Some(include),
        _ => None,
    };
    // The flagged include's target, then a breadth-first search back to `start`.
    let Some(first) = files[start].includes.iter().find_map(|(item, target)| {
        let include = include_at(start, *item)?;
        match target {
            IncludeTarget::File(next) if include.target_span == finding.span => Some(*next),
            _ => None,
        }
    }) else {
        return Vec::new();
    };
    let mut came_from: HashMap<usize, (usize, usize)> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([first]);
    let mut seen = std::collections::HashSet::from([first]);
    while let Some(file) = queue.pop_front() {
        if file == start {
            break;
        }
        for (item, target) in &files[file].includes {
            if let IncludeTarget::File(next) = target
                && seen.insert(*next)
            {
                came_from.insert(*next, (file, *item));
                queue.push_back(*next);
            }
        }
    }
    let mut steps = Vec::new();
    let mut at = start;
    while let Some(&(from, item)) = came_from.get(&at) {
        steps.push((from, item));
        at = from;
        if steps.len() > files.len() {
            break;
        }
    }
    steps.reverse();
    steps
        .into_iter()
        .filter_map(|(file, item)| {
            let source = &files[file];
            let include = include_at(file, item)?;
            let text = Text::new(source.manifest.text.clone());
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri: path_to_uri(&source.manifest.path)?,
                    range: text.range(&include.target_span),
                },
                message: format!("includes `{}`", include.target),
            })
        })
        .collect()
}

/// The documentation of the rules flagged at `position`.
fn hover(linted: &Linted, position: lsp_types::Position) -> Option<Hover> {
    let offset = linted.text.offset(position);
    let mut shown: Vec<&str> = Vec::new();
    let mut range = None;
    for finding in linted.findings() {
        let span = linted.buffer_span(&finding.span);
        let on = span.contains(&offset) || (span.is_empty() && span.start == offset);
        if on && !shown.contains(&finding.rule.name.as_str()) {
            shown.push(&finding.rule.name);
            range.get_or_insert_with(|| linted.text.range(&span));
        }
    }
    if shown.is_empty() {
        return None;
    }
    let docs: Vec<String> = shown
        .iter()
        .filter_map(|name| linted.rules.get(name))
        .map(|rule| crate::policy::rule::documentation(rule))
        .collect();
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: docs.join("\n---\n\n"),
        }),
        range,
    })
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}
