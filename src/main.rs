//! The `pinwarden` command line: parse arguments, call the library, map the result to
//! an exit code (0 clean, 1 findings at error severity, 2 usage/configuration/I/O error).

use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use pinwarden::baseline::Baseline;
use pinwarden::config::{ConfigFile, Selection, Settings};
use pinwarden::error::ConfigError;
use pinwarden::policy::{RuleSet, Severity};
use pinwarden::report::terminal::{self, ColorChoice};
use pinwarden::report::{self, Format, RenderOptions};
use pinwarden::suppress::UNUSED_SUPPRESSION;
use pinwarden::{CheckInput, Outcome, discover::DiscoverOptions};

#[derive(Parser)]
#[command(
    name = "pinwarden",
    version,
    about = "Enforce a dependency-pinning policy across a Python repository"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour output: auto (on a terminal, unless NO_COLOR; FORCE_COLOR or
    /// CLICOLOR_FORCE turn it on elsewhere), always, never.
    #[arg(long, global = true, default_value = "auto", value_parser = ["auto", "always", "never"])]
    color: String,
}

#[derive(Subcommand)]
enum Command {
    /// Check manifests under PATHS (default: the current directory).
    Check(Box<CheckArgs>),
    /// List every rule, with its default state and severity.
    Rules {
        /// Output format: `text`, `json`, or `markdown` (the page docs/rules.md is).
        #[arg(long, default_value = "text")]
        format: String,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Print the documentation of one rule.
    Rule {
        /// The rule's name, e.g. `version-range`.
        name: String,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Run a Language Server over standard input and output, for editors: diagnostics
    /// as you type, fixes and ignore directives as code actions, rule docs on hover.
    Server,
}

/// Where configuration comes from.
#[derive(Args)]
struct ConfigArgs {
    /// Use this configuration file (`pinwarden.toml`, or a `pyproject.toml` with
    /// `[tool.pinwarden]`) instead of searching for one.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long, visible_alias = "no-config")]
    isolated: bool,
}

#[derive(Args)]
struct CheckArgs {
    /// Files or directories to check.
    paths: Vec<PathBuf>,
    /// Output format: human, concise, json, sarif, github.
    #[arg(long, default_value = "human")]
    format: String,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Print how many findings each rule produced instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Only these rules (comma-separated names, `prefix-*` or `ALL`).
    #[arg(long, value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// Rules to enable on top of the selection.
    #[arg(long, value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Rules to disable.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Report `pinwarden: ignore` directives that suppress nothing (the
    /// `unused-suppression` rule).
    #[arg(long)]
    show_unused_suppressions: bool,
    /// Flag a range in a manifest even when a lock pins the requirement (the
    /// `require-exact-pins` setting).
    #[arg(long)]
    require_exact_pins: bool,
    /// Judge published metadata as a `library`'s (ranges allowed) or an
    /// `application`'s (pinned); default: as each manifest declares itself.
    #[arg(long, value_name = "KIND", value_parser = ["library", "application"])]
    project_kind: Option<String>,
    /// Also say what was skipped and why (files with a manifest's name that are not
    /// regular files).
    #[arg(long, short)]
    verbose: bool,
    /// Glob of paths to skip (repeatable).
    #[arg(long)]
    exclude: Vec<String>,
    /// Apply `--exclude` and the configuration's `exclude` to files named on the
    /// command line too.
    #[arg(long)]
    force_exclude: bool,
    #[command(flatten)]
    config: ConfigArgs,
    /// Do not report findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record every current finding in this baseline file, then exit 0.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff", "statistics"])]
    write_baseline: Option<PathBuf>,
    /// Read the file to check from standard input, as if it were at this path.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Exit 0 even when findings are reported.
    #[arg(long)]
    exit_zero: bool,
    /// Apply fixes in place (ranges and bare names pinned to the lock file's version),
    /// then report what remains.
    #[arg(long, conflicts_with = "stdin_filename")]
    fix: bool,
    /// Also apply fixes that change what a published package's users install.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Set from the global `--color`.
    #[arg(skip)]
    color: ColorChoice,
    /// Print the fixes as a unified diff without writing them; exit 1 if there are any.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
}

/// Why a run stopped with exit code 2.
enum Failure {
    Usage(String),
    Config(ConfigError),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Usage(message)
    }
}

impl From<ConfigError> for Failure {
    fn from(error: ConfigError) -> Self {
        Failure::Config(error)
    }
}

// Parsing allocates many small strings on every thread; mimalloc handles that pattern
// far better than the system allocator (a third of the run time went to malloc/free).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The warning for files named on the command line that pinwarden does not read.
fn unread_warning(unread: &[PathBuf]) -> Option<String> {
    const SHOWN: usize = 5;
    let names: Vec<String> = unread
        .iter()
        .take(SHOWN)
        .map(|path| format!("`{}`", path.display()))
        .collect();
    let more = unread.len().saturating_sub(SHOWN);
    let list = match more {
        0 => names.join(", "),
        _ => format!("{} and {more} more", names.join(", ")),
    };
    match unread.len() {
        0 => None,
        1 => Some(format!(
            "warning: {list} is not a file pinwarden reads (not a dependency manifest or env file): not checked"
        )),
        _ => Some(format!(
            "warning: {list} are not files pinwarden reads (not dependency manifests or env files): not checked"
        )),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = ColorChoice::from_name(&cli.color).unwrap_or_default();
    match run(cli) {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            pinwarden::errln!("pinwarden: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Config(error)) => {
            // The same theme as the human report, coloured by the same rules.
            let color = terminal::use_color(color, std::io::stderr().is_terminal());
            pinwarden::console::err_rendered(&error.render(color, terminal::width()));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Check(mut args) => {
            args.color = ColorChoice::from_name(&cli.color).unwrap_or_default();
            check(*args)
        }
        Command::Rules { format, config } => {
            let (rules, _) = configure(&config, Path::new("."))?;
            list_rules(&rules, &format)
        }
        Command::Rule { name, config } => {
            let (rules, _) = configure(&config, Path::new("."))?;
            show_rule(&rules, &name)
        }
        Command::Server => {
            pinwarden::server::run().map_err(|e| format!("server: {e}"))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The rules and settings of the configuration that applies to `start`: the file
/// `--config` names, the nearest one found walking up, or none with `--isolated`.
fn configure(args: &ConfigArgs, start: &Path) -> Result<(RuleSet, Settings), Failure> {
    let config = if args.isolated {
        None
    } else if let Some(path) = &args.config {
        Some(ConfigFile::load(path)?)
    } else {
        let mut warnings = Vec::new();
        let found = ConfigFile::find_warning(start, &mut warnings)?;
        for warning in warnings {
            pinwarden::errln!("pinwarden: warning: {warning}");
        }
        found
    };
    Ok(match config {
        Some(config) => {
            let rules = config.load_rules()?;
            let settings = config.settings(&rules)?;
            (rules, settings)
        }
        None => (RuleSet::builtin()?, Settings::default()),
    })
}

/// Standard input, decoded like a manifest file (UTF-8 with or without a byte-order
/// mark, or UTF-16 with one).
fn read_stdin() -> Result<String, Failure> {
    let mut bytes = Vec::new();
    let limit = pinwarden::project::max_file_size();
    std::io::stdin()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "cannot read standard input: it is over the {} MiB limit",
            limit / (1024 * 1024)
        )
        .into());
    }
    pinwarden::manifest::text::decode(&bytes)
        .map(|(text, _)| text)
        .map_err(|e| format!("cannot read standard input: {e}").into())
}

fn check(args: CheckArgs) -> Result<ExitCode, Failure> {
    let format = Format::from_name(&args.format).ok_or_else(|| {
        format!(
            "unknown format `{}`; expected one of {}",
            args.format,
            Format::NAMES.join(", ")
        )
    })?;
    // `-` names standard input, as in ruff: with `--stdin-filename` the name decides
    // the parser, without it the text is read as a requirements file named `-`.
    let stdin_path = match (
        args.paths.iter().any(|p| p.as_os_str() == "-"),
        &args.stdin_filename,
    ) {
        (true, _) if args.paths.len() > 1 => {
            return Err("`-` (standard input) cannot be combined with other paths"
                .to_string()
                .into());
        }
        (true, None) => Some(PathBuf::from("-")),
        (_, name) => name.clone(),
    };
    if stdin_path.is_some() && (args.fix || args.diff) {
        return Err("--fix and --diff work on files, not on standard input"
            .to_string()
            .into());
    }
    let start = stdin_path
        .as_deref()
        .filter(|path| *path != Path::new("-"))
        .or(args.paths.first().map(PathBuf::as_path))
        .unwrap_or(Path::new("."));
    check_output_file(&args)?;
    let (rules, mut settings) = configure(&args.config, start)?;
    if let Some(limit) = settings.max_file_size {
        pinwarden::project::set_max_file_size(limit);
    }
    settings.overrides = Selection {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
    };
    if args.require_exact_pins {
        settings.require_exact_pins = true;
    }
    if let Some(kind) = args.project_kind.as_deref() {
        settings.project_kind = pinwarden::manifest::standing::ProjectKind::from_name(kind);
    }
    if args.show_unused_suppressions {
        settings
            .overrides
            .extend_select
            .push(UNUSED_SUPPRESSION.to_string());
    }
    let unknown = settings.unknown_selectors(&rules.rules);
    if !unknown.is_empty() {
        let named: Vec<String> = unknown
            .iter()
            .map(|selector| {
                let hint = pinwarden::config::did_you_mean(selector, &rules.rules);
                format!("`{selector}`{hint}")
            })
            .collect();
        return Err(format!(
            "unknown rule selector(s): {} (see `pinwarden rules`)",
            named.join("; ")
        )
        .into());
    }
    let baseline = match &args.baseline {
        Some(path) if args.write_baseline.is_none() => Some(Baseline::load(path)?),
        _ => None,
    };
    let stdin = match stdin_path {
        Some(path) => Some((path, read_stdin()?)),
        None => None,
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // A report alone is written as the run goes; fixes, baselines and statistics need
    // every finding at the end.
    let streams = !(args.fix
        || args.diff
        || args.statistics
        || args.baseline.is_some()
        || args.write_baseline.is_some());
    let input = CheckInput {
        paths,
        discover: DiscoverOptions {
            exclude: args.exclude.clone(),
            force_exclude: args.force_exclude,
        },
        stdin,
        stdin_root: None,
        baseline,
        keep_items: false,
        // Fixes and baselines read the files' text at the end of the run.
        drop_text: !(args.fix
            || args.diff
            || args.baseline.is_some()
            || args.write_baseline.is_some()),
        // A streamed report renders each file while its text is at hand: only a finished
        // run's human report reads the files again.
        reread_text: !streams && !args.statistics && format == Format::Human,
        brief: args.statistics || format == Format::Concise,
        // SARIF fingerprints each finding's line, taken as each file is linted.
        fingerprints: format == Format::Sarif && !args.statistics,
    };
    if streams {
        let mut outcome = None;
        write_report(&args, format, &mut |out, options| {
            let report = report::file_report(format, options, &settings.root, &rules.rules);
            let (run, written) =
                pinwarden::check_and_report(&input, &rules, &settings, &*report, out);
            outcome = Some(run);
            written
        })?;
        let outcome = outcome.ok_or_else(|| "the report was not written".to_string())?;
        tell_about_paths(&args, &input, &settings, &outcome);
        let code = exit_code(&outcome, args.exit_zero);
        std::mem::forget(outcome);
        return Ok(code);
    }
    let mut outcome = pinwarden::check(&input, &rules, &settings);
    if args.fix || args.diff {
        if let Some(code) = apply_fixes(&outcome, args.diff, args.unsafe_fixes) {
            return Ok(code);
        }
        outcome = pinwarden::check(&input, &rules, &settings);
    }
    tell_about_paths(&args, &input, &settings, &outcome);
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::from_outcome(&outcome);
        baseline
            .write(path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        pinwarden::errln!(
            "Recorded {} finding(s) in {}.",
            baseline.findings.len(),
            path.display()
        );
        return Ok(exit_code(&outcome, true));
    }
    write_report(
        &args,
        format,
        &mut |out, options| match (args.statistics, format) {
            (true, Format::Json) => report::statistics::render_json(&outcome, out),
            (true, _) => report::statistics::render_text(&outcome, out),
            (false, _) => report::render(format, &outcome, options, out),
        },
    )?;
    let code = exit_code(&outcome, args.exit_zero);
    // The process ends here: freeing every finding and file one by one would only
    // delay the exit of a large run.
    std::mem::forget(outcome);
    Ok(code)
}

/// On standard error: the paths that could not be read, files named that pinwarden
/// does not read, and configuration patterns that matched nothing.
fn tell_about_paths(args: &CheckArgs, input: &CheckInput, settings: &Settings, outcome: &Outcome) {
    for error in &outcome.errors {
        pinwarden::errln!("pinwarden: {}: {}", error.path.display(), error.message);
    }
    // A hook or script that names a Dockerfile or a README must not take the silence
    // that follows for a pass.
    if let Some(warning) = unread_warning(&outcome.unread) {
        pinwarden::errln!("{warning}");
    }
    if args.verbose {
        for path in &outcome.skipped {
            pinwarden::errln!("pinwarden: skipped {}: not a regular file", path.display());
        }
    }
    // Files named one by one (pre-commit) or standard input see only part of the tree:
    // a pattern may rightly match none of them.
    let walked_directories = input.stdin.is_none() && input.paths.iter().all(|p| p.is_dir());
    if walked_directories {
        for warning in settings.unmatched_patterns() {
            pinwarden::errln!("pinwarden: warning: {warning}");
        }
    }
}

/// The report (or the statistics) to standard output or `--output-file`. The output
/// file is written beside its final name and renamed over it once complete, so a full
/// disk never leaves half a report where a previous one was.
fn write_report(
    args: &CheckArgs,
    format: Format,
    produce: &mut dyn FnMut(&mut dyn Write, RenderOptions) -> std::io::Result<()>,
) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    let mut report_file = None;
    let out: Box<dyn Write> = match &args.output_file {
        Some(path) => {
            let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
            let dir = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir,
                _ => Path::new("."),
            };
            let temp = tempfile::Builder::new()
                .prefix(".pinwarden-report")
                .tempfile_in(dir)
                .map_err(cannot)?;
            let file = temp.reopen().map_err(cannot)?;
            report_file = Some(temp);
            Box::new(BufWriter::new(file))
        }
        // Standard output is line-buffered: one system call per finding otherwise.
        None => Box::new(BufWriter::new(stdout.lock())),
    };
    let options = RenderOptions {
        color: terminal::use_color(
            args.color,
            args.output_file.is_none() && std::io::stdout().is_terminal(),
        ),
        width: terminal::width(),
    };
    // The human report draws in colour and escapes what it shows itself; every other
    // text format has its control characters escaped here.
    let escape_controls = args.statistics || format != Format::Human;
    // Buffered before the filter too: serialisers write a token at a time, and the
    // filter is fastest on whole blocks of lines.
    let mut out = BufWriter::with_capacity(
        1 << 16,
        pinwarden::safe_output::SafeWriter::new(out, escape_controls),
    );
    let written = produce(&mut out, options);
    if let Err(error) = written.and_then(|()| out.flush()) {
        pinwarden::console::write_failed(&error);
    }
    drop(out);
    if let (Some(temp), Some(path)) = (report_file, &args.output_file) {
        temp.as_file()
            .sync_all()
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        temp.persist(path)
            .map_err(|e| format!("cannot write {}: {}", path.display(), e.error))?;
    }
    Ok(())
}

/// `--output-file` must not replace a file this run reads: a manifest, a lock, the
/// configuration or the baseline.
fn check_output_file(args: &CheckArgs) -> Result<(), Failure> {
    let Some(path) = &args.output_file else {
        return Ok(());
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let read_by_pinwarden = pinwarden::discover::classify(path).is_some()
        || pinwarden::lock::LockFormat::of_file_name(name).is_some()
        || pinwarden::config::CONFIG_FILE_NAMES.contains(&name)
        || args.baseline.as_deref() == Some(path.as_path());
    if read_by_pinwarden {
        return Err(format!(
            "--output-file {} would replace a file pinwarden reads; choose another name",
            path.display()
        )
        .into());
    }
    Ok(())
}

/// 2 when a path could not be read, 1 when a finding is at error severity (unless
/// `exit_zero`), else 0.
fn exit_code(outcome: &Outcome, exit_zero: bool) -> ExitCode {
    if !outcome.errors.is_empty() {
        return ExitCode::from(2);
    }
    let failing = match &outcome.streamed {
        Some(summary) => summary.errors > 0,
        None => outcome
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error),
    };
    if failing && !exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--diff`: print the fixes and return the exit code. `--fix`: write them, say so on
/// standard error, and return `None` so the run reports what remains (or exit 2 when a
/// file could not be written).
fn apply_fixes(outcome: &pinwarden::Outcome, diff: bool, unsafe_fixes: bool) -> Option<ExitCode> {
    let plan = pinwarden::fix::plan_with(outcome, unsafe_fixes);
    if plan.unsafe_skipped > 0 {
        pinwarden::errln!(
            "{} fix(es) not applied: they change what a published package's users install (`--unsafe-fixes` applies them).",
            plan.unsafe_skipped
        );
    }
    if diff {
        for error in &outcome.errors {
            pinwarden::errln!("pinwarden: {}: {}", error.path.display(), error.message);
        }
        pinwarden::console::out(format_args!("{}", plan.diff()));
        return Some(match (outcome.errors.is_empty(), plan.is_empty()) {
            (false, _) => ExitCode::from(2),
            (true, false) => ExitCode::from(1),
            (true, true) => ExitCode::SUCCESS,
        });
    }
    let errors = plan.write();
    for error in &errors {
        pinwarden::errln!(
            "pinwarden: cannot fix {}: {}",
            error.path.display(),
            error.message
        );
    }
    let written: Vec<_> = plan
        .files
        .iter()
        .filter(|file| !errors.iter().any(|e| e.path == file.path))
        .collect();
    if !written.is_empty() {
        let fixed: usize = written.iter().map(|file| file.fixed).sum();
        pinwarden::errln!("Fixed {fixed} finding(s) in {} file(s).", written.len());
        for file in &written {
            for command in &file.relock {
                pinwarden::errln!(
                    "{} changed: refresh its lock with `{command}`.",
                    file.path.display()
                );
            }
        }
    }
    (!errors.is_empty()).then(|| ExitCode::from(2))
}

fn list_rules(rules: &RuleSet, format: &str) -> Result<ExitCode, Failure> {
    match format {
        "markdown" => pinwarden::console::out_documentation(format_args!(
            "{}",
            pinwarden::docs::rules_markdown(rules)
        )),
        "json" => {
            let list: Vec<_> = rules
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "name": r.name,
                        "severity": r.severity.as_str(),
                        "default": r.default_enabled,
                        "summary": r.summary,
                        "fixable": r.fix.is_some(),
                        "origin": r.origin,
                    })
                })
                .collect();
            pinwarden::outln!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        }
        "text" => {
            let width = rules.rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
            for rule in &rules.rules {
                pinwarden::outln!(
                    "{:width$}  {:7}  {:3}  {}",
                    rule.name,
                    rule.severity.as_str(),
                    if rule.default_enabled { "on" } else { "off" },
                    rule.summary,
                );
            }
        }
        other => {
            return Err(
                format!("unknown format `{other}`; expected text, json or markdown").into(),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show_rule(rules: &RuleSet, name: &str) -> Result<ExitCode, Failure> {
    let rule = rules
        .get(name)
        .ok_or_else(|| format!("no rule named `{name}` (see `pinwarden rules`)"))?;
    pinwarden::console::out_documentation(format_args!(
        "{}",
        pinwarden::policy::rule::documentation(rule)
    ));
    Ok(ExitCode::SUCCESS)
}
