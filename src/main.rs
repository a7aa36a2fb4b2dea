//! The `pinwarden` command line: parse arguments, call the library, map the result to
//! an exit code (0 clean, 1 findings at error severity, 2 usage/configuration/I/O error).

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use pinwarden::config::Settings;
use pinwarden::policy::{RuleSet, Severity};
use pinwarden::report::{self, Format, RenderOptions};
use pinwarden::{CheckInput, discover::DiscoverOptions};

#[derive(Parser)]
#[command(
    name = "pinwarden",
    version,
    about = "Enforce a dependency-pinning policy across a Python repository"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check manifests under PATHS (default: the current directory).
    Check(CheckArgs),
    /// List every rule, with its default state and severity.
    Rules {
        /// Output format: `text` or `json`.
        #[arg(long, default_value = "text")]
        format: String,
    },
    /// Print the documentation of one rule.
    Rule {
        /// The rule's name, e.g. `version-range`.
        name: String,
    },
}

#[derive(Args)]
struct CheckArgs {
    /// Files or directories to check.
    paths: Vec<PathBuf>,
    /// Output format: human, concise, json.
    #[arg(long, default_value = "human")]
    format: String,
    /// Only these rules (comma-separated names, `prefix-*` or `ALL`).
    #[arg(long, value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// Rules to enable on top of the selection.
    #[arg(long, value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Rules to disable.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Glob of paths to skip (repeatable).
    #[arg(long)]
    exclude: Vec<String>,
    /// Apply `--exclude` to files named on the command line too.
    #[arg(long)]
    force_exclude: bool,
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
    /// Print the fixes as a unified diff without writing them; exit 1 if there are any.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("pinwarden: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let rules = match RuleSet::builtin() {
        Ok(rules) => rules,
        Err(err) => {
            eprintln!("{:?}", err.to_report());
            return Ok(ExitCode::from(2));
        }
    };
    match cli.command {
        Command::Check(args) => check(args, &rules),
        Command::Rules { format } => list_rules(&rules, &format),
        Command::Rule { name } => show_rule(&rules, &name),
    }
}

fn check(args: CheckArgs, rules: &RuleSet) -> Result<ExitCode, String> {
    let format = Format::from_name(&args.format).ok_or_else(|| {
        format!(
            "unknown format `{}`; expected one of {}",
            args.format,
            Format::NAMES.join(", ")
        )
    })?;
    let settings = Settings {
        select: args.select,
        extend_select: args.extend_select,
        ignore: args.ignore,
        ..Settings::default()
    };
    let unknown = settings.unknown_selectors(&rules.rules);
    if !unknown.is_empty() {
        return Err(format!(
            "unknown rule selector(s): {} (see `pinwarden rules`)",
            unknown.join(", ")
        ));
    }
    let stdin = match &args.stdin_filename {
        Some(path) => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            Some((path.clone(), text))
        }
        None => None,
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let input = CheckInput {
        paths,
        discover: DiscoverOptions {
            exclude: args.exclude,
            force_exclude: args.force_exclude,
        },
        stdin,
    };
    let mut outcome = pinwarden::check(&input, rules, &settings);
    if args.fix || args.diff {
        if let Some(code) = apply_fixes(&outcome, args.diff) {
            return Ok(code);
        }
        outcome = pinwarden::check(&input, rules, &settings);
    }
    for error in &outcome.errors {
        eprintln!("pinwarden: {}: {}", error.path.display(), error.message);
    }
    let stdout = std::io::stdout();
    let options = RenderOptions {
        color: stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        width: None,
    };
    let mut out = stdout.lock();
    report::render(format, &outcome, options, &mut out)
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write output: {e}"))?;
    if !outcome.errors.is_empty() {
        return Ok(ExitCode::from(2));
    }
    let failing = outcome
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error);
    Ok(if failing && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--diff`: print the fixes and return the exit code. `--fix`: write them, say so on
/// standard error, and return `None` so the run reports what remains (or exit 2 when a
/// file could not be written).
fn apply_fixes(outcome: &pinwarden::Outcome, diff: bool) -> Option<ExitCode> {
    let plan = pinwarden::fix::plan(outcome);
    if diff {
        for error in &outcome.errors {
            eprintln!("pinwarden: {}: {}", error.path.display(), error.message);
        }
        print!("{}", plan.diff());
        return Some(match (outcome.errors.is_empty(), plan.is_empty()) {
            (false, _) => ExitCode::from(2),
            (true, false) => ExitCode::from(1),
            (true, true) => ExitCode::SUCCESS,
        });
    }
    let errors = plan.write();
    for error in &errors {
        eprintln!(
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
        eprintln!("Fixed {fixed} finding(s) in {} file(s).", written.len());
    }
    (!errors.is_empty()).then(|| ExitCode::from(2))
}

fn list_rules(rules: &RuleSet, format: &str) -> Result<ExitCode, String> {
    match format {
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
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        }
        "text" => {
            let width = rules.rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
            for rule in &rules.rules {
                println!(
                    "{:width$}  {:7}  {:3}  {}",
                    rule.name,
                    rule.severity.as_str(),
                    if rule.default_enabled { "on" } else { "off" },
                    rule.summary,
                );
            }
        }
        other => return Err(format!("unknown format `{other}`; expected text or json")),
    }
    Ok(ExitCode::SUCCESS)
}

fn show_rule(rules: &RuleSet, name: &str) -> Result<ExitCode, String> {
    let rule = rules
        .get(name)
        .ok_or_else(|| format!("no rule named `{name}` (see `pinwarden rules`)"))?;
    print!("{}", pinwarden::policy::rule::documentation(rule));
    Ok(ExitCode::SUCCESS)
}
