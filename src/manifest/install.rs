//! Install commands in shell text (a Dockerfile's `RUN`, a workflow's `run:` step, a
//! shell script): the Python packages that `pip install`, `python -m pip install`, `uv
//! pip install`, `uv tool install`, `uvx` and `pipx install|run` fetch, as requirement
//! items judged by the same rules as a requirements file, the index options they pass
//! (`-i`, `--extra-index-url`, `--trusted-host`) as option items, and the files they
//! name with `-r` and `-c` as includes (which then are linted as requirement files, in
//! hash-checking mode when the command passes `--require-hashes`).
//!
//! Packages of other ecosystems become package items with how they pick a version:
//! `apt-get install` and `apt install` (`pkg=1.2-3`, as hadolint's DL3008 asks), `apk
//! add` (`pkg=1.2-r0`, DL3018), `npm install|i|add`, `pnpm add`, `yarn add` and `yarn
//! global add` (`pkg@1.2.3`), `go install pkg@v1.2.3`, and `gem install pkg -v 1.2.3`.
//!
//! The shell text is split into words with their byte spans by `tokens`, which only
//! finds where words and commands end: quotes, escapes, comments, line continuations,
//! `$(…)`, heredocs and the operators that end a command. Each word is then unquoted by
//! `shlex` (a small, well-kept crate), as the shell would pass it to the program. The
//! shell parsers on crates.io that give positions bring a dozen crates with them
//! (`brush-parser` needs `insta`, `cached`, `peg`, `bon`), for a grammar this reading
//! never needs. A word that needs the shell to expand it (`$VERSION`) is not judged:
//! its value is only known when the command runs. Local paths (`.`, `./pkg`, `/src`, a
//! wheel file) install what the build context holds and are not flagged.

use super::pep508::{SpanMap, is_full_commit, parse_requirement, pin_of_url, url_ref};
use super::{Include, Item, Package, PipOption, Requirement, Span, section_name};

/// The section of every requirement an install command gives.
pub const SECTION: &str = "RUN";

/// The items of the install commands in `text[span]` (a backslash before a line end
/// joins the lines, for Docker and the shell alike).
pub fn commands(text: &str, span: Span) -> Vec<Item> {
    let mut items = Vec::new();
    for command in split_commands(text, span) {
        read_command(&command, &mut items);
    }
    items
}

/// A word of shell text: where it is, and its value once unquoted.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    span: Span,
    value: String,
    /// The file offset of each byte of `value`, when the word maps onto the file one
    /// to one (unquoted, or wholly inside one pair of quotes).
    start: Option<usize>,
    /// Needs the shell to expand it (`$…`, `` `…` ``, a glob is fine).
    expands: bool,
}

#[derive(Debug, PartialEq)]
enum Token {
    Word(Span),
    /// `;`, `&&`, `||`, `|`, `&`, a line end, `(`, `)`: the command ends.
    End,
    /// `<`, `>`, `>>`, `2>`…: the next word is a file, not an argument.
    Redirect,
}

/// The words of `text[span]`, with the tokens that end commands.
fn tokens(text: &str, span: Span) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = span.start;
    let end = span.end.min(bytes.len());
    while at < end {
        let b = bytes[at];
        match b {
            b' ' | b'\t' | b'\r' => at += 1,
            b'\\' if matches!(bytes.get(at + 1), Some(b'\n')) => at += 2,
            b'\\' if bytes.get(at + 1) == Some(&b'\r') && bytes.get(at + 2) == Some(&b'\n') => {
                at += 3;
            }
            b'\n' | b';' | b'(' | b')' => {
                out.push(Token::End);
                at += 1;
            }
            b'&' | b'|' => {
                out.push(Token::End);
                at += 1;
                if at < end && bytes[at] == b {
                    at += 1;
                }
            }
            b'<' if bytes.get(at + 1) == Some(&b'<') && bytes.get(at + 2) != Some(&b'<') => {
                // A heredoc: its body, up to the line holding only the delimiter, is
                // the command's input, not commands.
                at += 2;
                let strip_tabs = bytes.get(at) == Some(&b'-');
                if strip_tabs {
                    at += 1;
                }
                while at < end && matches!(bytes[at], b' ' | b'\t') {
                    at += 1;
                }
                let word_start = at;
                at = word_end(bytes, at, end);
                let delimiter: String = text[word_start..at]
                    .chars()
                    .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                    .collect();
                at = heredoc_end(text, at, end, &delimiter, strip_tabs);
                out.push(Token::End);
            }
            b'<' | b'>' => {
                out.push(Token::Redirect);
                while at < end && matches!(bytes[at], b'<' | b'>' | b'&') {
                    at += 1;
                }
            }
            b'#' => {
                while at < end && bytes[at] != b'\n' {
                    at += 1;
                }
            }
            _ => {
                let start = at;
                at = word_end(bytes, at, end);
                // `2>file`: the digits are a file descriptor, not a word.
                let fd = at < end
                    && matches!(bytes[at], b'<' | b'>')
                    && bytes[start..at].iter().all(u8::is_ascii_digit);
                if !fd {
                    out.push(Token::Word(start..at));
                }
            }
        }
    }
    out
}

/// Just past the line holding only `delimiter` after the line that `at` is on (the
/// rest of which holds the command, not the body), or `end`.
fn heredoc_end(text: &str, at: usize, end: usize, delimiter: &str, strip_tabs: bool) -> usize {
    let Some(newline) = text[at..end].find('\n') else {
        return end;
    };
    let mut line_start = at + newline + 1;
    while line_start < end {
        let line_end = text[line_start..end]
            .find('\n')
            .map_or(end, |found| line_start + found);
        let line = text[line_start..line_end].trim_end_matches('\r');
        let line = if strip_tabs {
            line.trim_start_matches('\t')
        } else {
            line
        };
        if line == delimiter {
            return line_end;
        }
        line_start = line_end + 1;
    }
    end
}

/// Where the word starting at `at` ends: at an unquoted blank or operator.
fn word_end(bytes: &[u8], mut at: usize, end: usize) -> usize {
    while at < end {
        match bytes[at] {
            b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => {
                break;
            }
            b'\\' => {
                if matches!(bytes.get(at + 1), Some(b'\n')) {
                    break;
                }
                at += 2;
            }
            b'\'' => at = closing(bytes, at + 1, end, b'\''),
            b'"' => at = closing(bytes, at + 1, end, b'"'),
            b'`' => at = closing(bytes, at + 1, end, b'`'),
            b'$' if bytes.get(at + 1) == Some(&b'(') => at = parenthesised(bytes, at + 2, end),
            b'$' if bytes.get(at + 1) == Some(&b'{') => at = closing(bytes, at + 2, end, b'}'),
            _ => at += 1,
        }
    }
    at.min(end)
}

/// Just past the `quote` that closes text starting at `at` (a backslash escapes in
/// double quotes and backticks), or `end`.
fn closing(bytes: &[u8], mut at: usize, end: usize, quote: u8) -> usize {
    while at < end {
        if bytes[at] == b'\\' && quote != b'\'' {
            at += 2;
            continue;
        }
        if bytes[at] == quote {
            return at + 1;
        }
        at += 1;
    }
    end
}

/// Just past the `)` that closes a `$(` whose contents start at `at`, or `end`.
fn parenthesised(bytes: &[u8], mut at: usize, end: usize) -> usize {
    let mut depth = 1usize;
    while at < end {
        match bytes[at] {
            b'\\' => at += 1,
            b'\'' => {
                at = closing(bytes, at + 1, end, b'\'');
                continue;
            }
            b'"' => {
                at = closing(bytes, at + 1, end, b'"');
                continue;
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return at + 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    end
}

/// The simple commands of `text[span]`: their words, redirection targets left out.
fn split_commands(text: &str, span: Span) -> Vec<Vec<Word>> {
    let mut commands = vec![Vec::new()];
    let mut redirect = false;
    for token in tokens(text, span) {
        match token {
            Token::End => {
                if !commands.last().is_some_and(Vec::is_empty) {
                    commands.push(Vec::new());
                }
                redirect = false;
            }
            Token::Redirect => redirect = true,
            Token::Word(_) if redirect => redirect = false,
            Token::Word(span) => {
                if let Some(word) = word(text, span)
                    && let Some(command) = commands.last_mut()
                {
                    command.push(word);
                }
            }
        }
    }
    commands.retain(|command| !command.is_empty());
    commands
}

/// The word at `span`, unquoted as the shell passes it to the program.
fn word(text: &str, span: Span) -> Option<Word> {
    let raw = text.get(span.clone())?;
    let expands = raw.contains('$') || raw.contains('`');
    let mut values = shlex::split(raw)?;
    let value = match values.len() {
        1 => values.pop()?,
        // `""` is one empty word; anything else splitting in several is not one word.
        0 => String::new(),
        _ => return None,
    };
    let start = if value == raw {
        Some(span.start)
    } else {
        let quote = raw.as_bytes()[0];
        let quoted_whole = matches!(quote, b'"' | b'\'')
            && raw.len() >= 2
            && raw.as_bytes()[raw.len() - 1] == quote
            && raw[1..raw.len() - 1] == value;
        quoted_whole.then_some(span.start + 1)
    };
    Some(Word {
        span,
        value,
        start,
        expands,
    })
}

/// The programs that run as another one (`sudo pip install …`), and their options
/// that take a value.
fn skip_wrappers(words: &[Word]) -> &[Word] {
    let mut rest = words;
    loop {
        let Some(first) = rest.first() else {
            return rest;
        };
        let name = program_name(&first.value);
        // `VAR=value pip install …`
        if is_assignment(&first.value) {
            rest = &rest[1..];
            continue;
        }
        if matches!(
            name,
            "sudo" | "env" | "command" | "exec" | "nice" | "time" | "nohup"
        ) {
            rest = &rest[1..];
            // Their own options (`sudo -H`, `env -u NAME`) come before the program.
            while let Some(option) = rest.first() {
                if option.value.starts_with('-') {
                    let takes_value = matches!(
                        (name, option.value.as_str()),
                        (
                            "sudo",
                            "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U"
                        ) | ("env", "-u" | "-C" | "-S")
                            | ("nice", "-n")
                    );
                    rest = &rest[if takes_value { 2 } else { 1 }.min(rest.len())..];
                } else if is_assignment(&option.value) {
                    rest = &rest[1..];
                } else {
                    break;
                }
            }
            continue;
        }
        return rest;
    }
}

fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

/// The program's file name: `/usr/local/bin/pip3` is `pip3`.
fn program_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn is_python(name: &str) -> bool {
    name == "py"
        || name
            .strip_prefix("python")
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// What an install command installs, and how its arguments are read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Installer {
    /// `pip install`, `uv pip install`: requirement specifiers and pip's options.
    Pip,
    /// `uv tool install`, `pipx install`: one or more packages, tool options.
    Tool,
    /// `uvx`, `uv tool run`, `pipx run`: the first word is the package (the rest its
    /// arguments), unless `--from`/`--spec` names it.
    Run,
}

fn read_command(command: &[Word], items: &mut Vec<Item>) {
    let words = skip_wrappers(command);
    let Some(first) = words.first() else {
        return;
    };
    let name = program_name(&first.value);
    let values: Vec<&str> = words.iter().map(|w| w.value.as_str()).collect();
    let (installer, args) = match values.as_slice() {
        [_, "install", ..] if is_pip(name) => (Installer::Pip, &words[2..]),
        [_, "-m", "pip", "install", ..] if is_python(name) => (Installer::Pip, &words[4..]),
        [_, "-mpip", "install", ..] if is_python(name) => (Installer::Pip, &words[3..]),
        [_, "pip", "install", ..] if name == "uv" => (Installer::Pip, &words[3..]),
        [_, "tool", "install", ..] if name == "uv" => (Installer::Tool, &words[3..]),
        [_, "tool", "run", ..] if name == "uv" => (Installer::Run, &words[3..]),
        [_, "install", ..] if name == "pipx" => (Installer::Tool, &words[2..]),
        [_, "run", ..] if name == "pipx" => (Installer::Run, &words[2..]),
        [_, ..] if name == "uvx" => (Installer::Run, &words[1..]),
        _ => {
            other_ecosystem(name, words, items);
            return;
        }
    };
    read_arguments(installer, args, items);
}

/// pip's (and uv's, pipx's) options that take a value, long and short.
const VALUED_OPTIONS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "--constraints",
    "--overrides",
    "--override",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "--index",
    "--default-index",
    "-f",
    "--find-links",
    "--trusted-host",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--upgrade-strategy",
    "--src",
    "--log",
    "--log-file",
    "--cache-dir",
    "--proxy",
    "--retries",
    "--timeout",
    "--exists-action",
    "--cert",
    "--client-cert",
    "--report",
    "--progress-bar",
    "--root-user-action",
    "-C",
    "--config-settings",
    "--config-setting",
    "--python",
    "-p",
    "--keyring-provider",
    "--use-feature",
    "--use-deprecated",
    "--group",
    "--only-binary",
    "--no-binary",
    "--extra",
    "--index-strategy",
    "--resolution",
    "--prerelease",
    "--exclude-newer",
    "--link-mode",
    "-P",
    "--upgrade-package",
    "--reinstall-package",
    "--refresh-package",
    "--no-build-isolation-package",
    "--no-binary-package",
    "--no-build-package",
    "--torch-backend",
    "--with",
    "--with-editable",
    "--with-requirements",
    "--from",
    "--spec",
    "--pip-args",
    "--suffix",
    "--backend",
    "--directory",
    "--project",
    "--config-file",
    "--color",
];

/// Index options, which the index rules judge like those of a requirements file.
const INDEX_OPTIONS: &[(&str, &str)] = &[
    ("-i", "index-url"),
    ("--index-url", "index-url"),
    ("--default-index", "index-url"),
    ("--extra-index-url", "extra-index-url"),
    ("--index", "extra-index-url"),
    ("-f", "find-links"),
    ("--find-links", "find-links"),
    ("--trusted-host", "trusted-host"),
];

fn read_arguments(installer: Installer, args: &[Word], items: &mut Vec<Item>) {
    // `--require-hashes` anywhere on the line puts the files it names in pip's
    // hash-checking mode.
    let require_hashes =
        installer == Installer::Pip && args.iter().any(|word| word.value == "--require-hashes");
    let mut at = 0;
    let mut first_positional = true;
    let mut named_by_option = false;
    while at < args.len() {
        let word = &args[at];
        at += 1;
        let value = word.value.as_str();
        if value == "--" {
            continue;
        }
        if value.starts_with('-') && value.len() > 1 {
            let (name, inline) = match value.split_once('=') {
                Some((name, inline)) if value.starts_with("--") => (name, Some(inline)),
                _ => (value, None),
            };
            // Short options with the value attached: `-rrequirements.txt`, `-ihttp://…`.
            let attached = value
                .get(..2)
                .filter(|_| inline.is_none() && !value.starts_with("--") && value.len() > 2)
                .filter(|short| VALUED_OPTIONS.contains(short));
            let (name, inline) = match attached {
                Some(short) => (short, Some(&value[2..])),
                None => (name, inline),
            };
            if !VALUED_OPTIONS.contains(&name) {
                continue;
            }
            let (option_value, value_word) = match inline {
                Some(inline) => (inline.to_string(), word),
                None => match args.get(at) {
                    Some(next) => {
                        at += 1;
                        (next.value.clone(), next)
                    }
                    None => break,
                },
            };
            // `-r requirements.txt`: the file is followed and linted as a requirement
            // file, found beside the file that runs the command.
            if installer == Installer::Pip
                && matches!(
                    name,
                    "-r" | "--requirement" | "-c" | "--constraint" | "--constraints"
                )
                && !value_word.expands
            {
                items.push(Item::Include(Include {
                    constraint: !matches!(name, "-r" | "--requirement"),
                    target: option_value.clone(),
                    target_span: match (inline, value_word.start) {
                        (None, Some(start)) => start..start + option_value.len(),
                        _ => value_word.span.clone(),
                    },
                    span: word.span.start..value_word.span.end,
                    require_hashes,
                }));
            }
            if let Some((_, option)) = INDEX_OPTIONS.iter().find(|(flag, _)| *flag == name) {
                items.push(Item::Option(PipOption {
                    span: word.span.start..value_word.span.end,
                    name: (*option).to_string(),
                    value: Some(option_value.clone()),
                    value_span: Some(value_word.span.clone()),
                }));
            }
            // `--from ruff==0.6.9` and `--spec` name the package a run takes; `--with`
            // adds one.
            if matches!(name, "--from" | "--spec" | "--with") {
                if name != "--with" {
                    named_by_option = true;
                }
                if inline.is_none() {
                    push_package(value_word, items);
                }
            }
            continue;
        }
        match installer {
            Installer::Pip | Installer::Tool => push_package(word, items),
            // The first word names the package (its command), unless `--from` did; the
            // rest are the command's own arguments.
            Installer::Run => {
                if first_positional && !named_by_option {
                    push_run_package(word, items);
                }
                break;
            }
        }
        first_positional = false;
    }
}

/// `uvx ruff@0.6.9` names `ruff==0.6.9`; `uvx ruff` the latest release.
fn push_run_package(word: &Word, items: &mut Vec<Item>) {
    match word.value.split_once('@') {
        None => push_package(word, items),
        // `uvx ruff@latest`: the newest release, as a bare name asks for.
        Some((name, "latest")) if !name.is_empty() => {
            if let Ok(mut req) =
                parse_requirement(name, &SpanMap::opaque(word.span.clone()), SECTION)
            {
                req.section = section_name(SECTION);
                items.push(Item::Requirement(req));
            }
        }
        Some((name, version)) if !name.is_empty() && !version.contains('/') => {
            // Judged as the requirement it means, with the version's own span.
            let requirement = format!("{name}=={version}");
            if let Ok(mut req) =
                parse_requirement(&requirement, &SpanMap::opaque(word.span.clone()), SECTION)
            {
                if let Some(start) = word.start {
                    let version_start = start + name.len() + 1;
                    req.specifier_span = Some(version_start..version_start + version.len());
                    req.name_span = Some(start..start + name.len());
                }
                req.section = section_name(SECTION);
                items.push(Item::Requirement(req));
            }
        }
        Some(_) => push_package(word, items),
    }
}

/// A positional argument of an install: a requirement, a URL, or a local path.
fn push_package(word: &Word, items: &mut Vec<Item>) {
    let value = word.value.as_str();
    if value.is_empty() || word.expands || is_local_path(value) {
        return;
    }
    let map = match word.start {
        Some(start) => SpanMap::contiguous(start, value.len()),
        None => SpanMap::opaque(word.span.clone()),
    };
    match parse_requirement(value, &map, SECTION) {
        Ok(req) => items.push(Item::Requirement(req)),
        // A bare URL (`https://…/pkg.whl`, `git+https://…`) names no project.
        Err(_) if value.contains("://") => {
            items.push(Item::Requirement(url_requirement(value, word.span.clone())));
        }
        Err(error) => items.push(Item::ParseError(error)),
    }
}

fn url_requirement(url: &str, span: Span) -> Requirement {
    let url_ref = url_ref(url, span.clone());
    Requirement {
        pin: pin_of_url(&url_ref, false),
        url: Some(Box::new(url_ref)),
        ..Requirement::bare(span, SECTION)
    }
}

/// The install commands of other ecosystems than Python's.
fn other_ecosystem(name: &str, words: &[Word], items: &mut Vec<Item>) {
    let (ecosystem, valued, subcommands): (&'static str, &[&str], &[&[&str]]) = match name {
        "apt-get" | "apt" => (
            "apt",
            &[
                "-o",
                "--option",
                "-t",
                "--target-release",
                "--default-release",
                "-c",
                "--config-file",
            ],
            &[&["install"]],
        ),
        "apk" => (
            "apk",
            &[
                "-X",
                "--repository",
                "-t",
                "--virtual",
                "-p",
                "--root",
                "--arch",
                "--cache-dir",
                "--keys-dir",
                "--repositories-file",
            ],
            &[&["add"]],
        ),
        "npm" => (
            "npm",
            &[
                "--registry",
                "--prefix",
                "--tag",
                "--omit",
                "--include",
                "-w",
                "--workspace",
                "--cache",
            ],
            &[&["install"], &["i"], &["add"]],
        ),
        "pnpm" => (
            "npm",
            &["--registry", "--filter", "-F", "--dir", "-C", "--store-dir"],
            &[&["add"]],
        ),
        "yarn" => (
            "npm",
            &["--registry", "--cwd", "--cache-folder", "--modules-folder"],
            &[&["add"], &["global", "add"]],
        ),
        "go" => (
            "go",
            &[
                "-C", "-modfile", "-o", "-p", "-tags", "-ldflags", "-gcflags",
            ],
            &[&["install"]],
        ),
        "gem" => (
            "gem",
            &[
                "-v",
                "--version",
                "-s",
                "--source",
                "-i",
                "--install-dir",
                "-n",
                "--bindir",
                "--platform",
            ],
            &[&["install"]],
        ),
        _ => return,
    };
    // Options may come before the subcommand (`apt-get -y install`).
    let mut at = 1;
    while at < words.len() && words[at].value.starts_with('-') {
        at += if valued.contains(&words[at].value.as_str()) {
            2
        } else {
            1
        };
    }
    let Some(subcommand) = subcommands.iter().find(|sub| {
        words.get(at..at + sub.len()).is_some_and(|found| {
            found
                .iter()
                .map(|w| w.value.as_str())
                .eq(sub.iter().copied())
        })
    }) else {
        return;
    };
    at += subcommand.len();
    // `gem install rails -v 7.1.3`: the version option applies to the gems named.
    let mut gem_version: Option<&Word> = None;
    let mut positional = Vec::new();
    while at < words.len() {
        let word = &words[at];
        at += 1;
        let value = word.value.as_str();
        if value.starts_with('-') && value.len() > 1 {
            let (flag, inline) = match value.split_once('=') {
                Some((flag, _)) if value.starts_with("--") => (flag, true),
                _ => (value, false),
            };
            if valued.contains(&flag) && !inline {
                if ecosystem == "gem" && matches!(flag, "-v" | "--version") {
                    gem_version = words.get(at);
                }
                at += 1;
            }
            continue;
        }
        positional.push(word);
    }
    for word in positional {
        if word.expands || word.value.is_empty() {
            continue;
        }
        if let Some(package) = package(ecosystem, word, gem_version) {
            items.push(Item::Package(package));
        }
    }
}

/// One package argument of `ecosystem`; `None` for a local file or directory.
fn package(ecosystem: &'static str, word: &Word, gem_version: Option<&Word>) -> Option<Package> {
    let value = word.value.as_str();
    if is_local_path(value)
        || value.starts_with("file:")
        || value.ends_with(".deb")
        || value.ends_with(".apk")
        || value.ends_with(".tgz")
        || value.ends_with(".gem")
    {
        return None;
    }
    let (name, version) = match ecosystem {
        "apt" => match value.split_once('=') {
            Some((name, version)) => (name, Some(version)),
            None => (value, None),
        },
        "apk" => match value.find(['=', '~', '<', '>']) {
            Some(at) => (&value[..at], Some(&value[at..])),
            None => (value, None),
        },
        "npm" => {
            // `@scope/name@1.0.0`: the version follows the second `@`.
            let from = usize::from(value.starts_with('@'));
            match value[from..].find('@') {
                Some(at) => (&value[..from + at], Some(&value[from + at + 1..])),
                None => (value, None),
            }
        }
        "go" | "gem" => match value.split_once(if ecosystem == "go" { '@' } else { ':' }) {
            Some((name, version)) => (name, Some(version)),
            None => (value, gem_version.map(|word| word.value.as_str())),
        },
        _ => return None,
    };
    if name.is_empty() {
        return None;
    }
    let pin = match version {
        None => "none",
        Some(version) => version_pin(ecosystem, name, version),
    };
    Some(Package {
        span: word.span.clone(),
        ecosystem,
        name: name.to_string(),
        version: version.map(str::to_string),
        pin,
    })
}

/// How a written version selects: `exact`, `range`, `latest`.
fn version_pin(ecosystem: &str, name: &str, version: &str) -> &'static str {
    let version = version.trim();
    match ecosystem {
        "apt" if version.contains('*') => "range",
        "apt" => "exact",
        "apk" if version.starts_with('=') && !version.starts_with("=~") => "exact",
        "apk" => "range",
        "npm" if name.contains(':') || name.contains('/') && !name.starts_with('@') => {
            // A git or GitHub reference: pinned only at a full commit.
            match version.rsplit_once('#') {
                Some((_, commit)) if is_full_commit(commit) => "exact",
                _ => "range",
            }
        }
        "npm" if matches!(version, "latest" | "next" | "") => "latest",
        "npm" if is_plain_version(version.strip_prefix('v').unwrap_or(version)) => "exact",
        "npm" => "range",
        "go" if version == "latest" => "latest",
        "go" if version.starts_with('v') && is_plain_version(&version[1..]) => "exact",
        "go" if is_full_commit(version) => "exact",
        "go" => "range",
        "gem" if is_plain_version(version.trim_start_matches('=').trim()) => "exact",
        "gem" => "range",
        _ => "range",
    }
}

/// `1.2.3`, `1.2.3-rc.1`, `1.2.3+build`, `0.0.0-20240101000000-abcdef123456`: one
/// version, not a range or a tag.
fn is_plain_version(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or(version);
    !core.is_empty()
        && core
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// What installs from the build context or the image itself: `.`, `./pkg`, `../x`,
/// `/src/app`, `~/x`, a wheel or sdist file named by path.
fn is_local_path(value: &str) -> bool {
    if value.contains("://") {
        return false;
    }
    let path = value.split('[').next().unwrap_or(value);
    path == "."
        || path == ".."
        || path.starts_with("./")
        || path.starts_with("../")
        || path.starts_with('/')
        || path.starts_with('~')
        || path.ends_with(".whl")
        || path.ends_with(".tar.gz")
        || path.ends_with(".zip")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Pin;

    /// (text of the requirement, pin) of each requirement, and (option, value) of each
    /// index option.
    type Read = (Vec<(String, Pin)>, Vec<(String, String)>);

    fn read(line: &str) -> Read {
        let items = commands(line, 0..line.len());
        let mut requirements = Vec::new();
        let mut options = Vec::new();
        for item in items {
            match item {
                Item::Requirement(req) => {
                    requirements.push((line[req.span.clone()].to_string(), req.pin));
                }
                Item::Option(opt) => options.push((opt.name, opt.value.unwrap_or_default())),
                Item::ParseError(error) => panic!("{line}: {error:?}"),
                _ => {}
            }
        }
        (requirements, options)
    }

    fn specs(line: &str) -> Vec<(String, Pin)> {
        read(line).0
    }

    #[test]
    fn pip_in_its_spellings() {
        let expected = vec![
            ("flask>=2".to_string(), Pin::Range),
            ("requests==2.32.3".to_string(), Pin::Exact),
        ];
        for line in [
            "pip install 'flask>=2' requests==2.32.3",
            "pip3 install --no-cache-dir 'flask>=2' requests==2.32.3",
            "/usr/local/bin/pip3.12 install -U 'flask>=2' requests==2.32.3",
            "python -m pip install 'flask>=2' requests==2.32.3",
            "python3.12 -m pip install --user 'flask>=2' requests==2.32.3",
            "uv pip install --system 'flask>=2' requests==2.32.3",
            "sudo -H pip install 'flask>=2' requests==2.32.3",
            "PIP_NO_CACHE_DIR=1 pip install 'flask>=2' requests==2.32.3 2>/dev/null",
        ] {
            assert_eq!(specs(line), expected, "{line}");
        }
    }

    /// Unquoted, `>=2` is a redirection to a file named `=2`: the shell runs
    /// `pip install flask`, which installs the latest release.
    #[test]
    fn an_unquoted_comparison_is_a_redirection() {
        assert_eq!(
            specs("pip install flask>=2 gunicorn<22"),
            [
                ("flask".to_string(), Pin::None),
                ("gunicorn".to_string(), Pin::None),
            ]
        );
    }

    #[test]
    fn quotes_continuations_and_chains() {
        let text = "apt-get update && pip install \\\n    'uvicorn[standard]>=0.30' \"gunicorn==23.0.0\" \\\n    ; pip install six # a comment: pip install nope\n";
        assert_eq!(
            specs(text),
            [
                ("uvicorn[standard]>=0.30".to_string(), Pin::Range),
                ("gunicorn==23.0.0".to_string(), Pin::Exact),
                ("six".to_string(), Pin::None),
            ]
        );
    }

    #[test]
    fn files_paths_and_variables_are_not_packages() {
        assert_eq!(
            specs(
                "pip install -r requirements.txt -c constraints.txt -e . ./libs/core /src dist/app-1.0-py3-none-any.whl \"$PKG\" ${EXTRA}"
            ),
            []
        );
        assert_eq!(
            specs("pip install --target /opt/x -t /y flask==3.0.3"),
            [("flask==3.0.3".to_string(), Pin::Exact)]
        );
        assert_eq!(
            specs("pip freeze > requirements.txt; pip download flask"),
            []
        );
    }

    #[test]
    fn urls_and_vcs() {
        assert_eq!(
            specs(
                "pip install git+https://github.com/org/repo@main https://example.com/pkg.whl#sha256=00"
            ),
            [
                (
                    "git+https://github.com/org/repo@main".to_string(),
                    Pin::VcsRef
                ),
                (
                    "https://example.com/pkg.whl#sha256=00".to_string(),
                    Pin::Exact
                ),
            ]
        );
    }

    #[test]
    fn tools_and_runs() {
        assert_eq!(
            specs(
                "uv tool install ruff==0.6.9 && pipx install black && uvx ruff@0.6.9 check . && uvx --from 'mypy>=1' mypy src && pipx run --spec pre-commit==4.0.1 pre-commit run"
            ),
            [
                ("ruff==0.6.9".to_string(), Pin::Exact),
                ("black".to_string(), Pin::None),
                ("ruff@0.6.9".to_string(), Pin::Exact),
                ("mypy>=1".to_string(), Pin::Range),
                ("pre-commit==4.0.1".to_string(), Pin::Exact),
            ]
        );
        assert_eq!(specs("uvx ruff check ."), [("ruff".to_string(), Pin::None)]);
        assert_eq!(
            specs("uvx ruff@latest check ."),
            [("ruff@latest".to_string(), Pin::None)]
        );
    }

    fn packages(line: &str) -> Vec<(&'static str, String, &'static str)> {
        commands(line, 0..line.len())
            .into_iter()
            .filter_map(|item| match item {
                Item::Package(p) => Some((p.ecosystem, line[p.span].to_string(), p.pin)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn other_ecosystems() {
        assert_eq!(
            packages(
                "apt-get update && apt-get -y install --no-install-recommends curl=8.5.0-2 git 'libpq*' ./local.deb -o Dpkg::Options::=--force-confold"
            ),
            [
                ("apt", "curl=8.5.0-2".to_string(), "exact"),
                ("apt", "git".to_string(), "none"),
                // A pattern installs every package it matches, at its newest version.
                ("apt", "'libpq*'".to_string(), "none"),
            ]
        );
        assert_eq!(
            packages("apk add --no-cache --virtual .build-deps gcc=13.2.1-r0 musl-dev git~2.45"),
            [
                ("apk", "gcc=13.2.1-r0".to_string(), "exact"),
                ("apk", "musl-dev".to_string(), "none"),
                ("apk", "git~2.45".to_string(), "range"),
            ]
        );
        assert_eq!(
            packages(
                "npm install -g @angular/cli@18.2.1 typescript@^5 pnpm@latest left-pad && npm ci && yarn global add serve@14.2.3 && pnpm add -g github:user/repo#0123456789abcdef0123456789abcdef01234567"
            ),
            [
                ("npm", "@angular/cli@18.2.1".to_string(), "exact"),
                ("npm", "typescript@^5".to_string(), "range"),
                ("npm", "pnpm@latest".to_string(), "latest"),
                ("npm", "left-pad".to_string(), "none"),
                ("npm", "serve@14.2.3".to_string(), "exact"),
                (
                    "npm",
                    "github:user/repo#0123456789abcdef0123456789abcdef01234567".to_string(),
                    "none"
                ),
            ]
        );
        assert_eq!(
            packages(
                "go install golang.org/x/tools/gopls@v0.16.2 github.com/a/b@latest github.com/c/d@main && gem install rails -v 7.1.3 && gem install bundler:2.5.22 rake"
            ),
            [
                (
                    "go",
                    "golang.org/x/tools/gopls@v0.16.2".to_string(),
                    "exact"
                ),
                ("go", "github.com/a/b@latest".to_string(), "latest"),
                ("go", "github.com/c/d@main".to_string(), "range"),
                ("gem", "rails".to_string(), "exact"),
                ("gem", "bundler:2.5.22".to_string(), "exact"),
                ("gem", "rake".to_string(), "none"),
            ]
        );
        // Installs from a lock file, or nothing at all.
        assert_eq!(packages("npm install && npm i --omit=dev && yarn add"), []);
    }

    /// Found by fuzzing: a multi-byte character after a dash is not an option's letter.
    #[test]
    fn a_dash_before_a_multi_byte_character() {
        assert_eq!(
            specs("pip install -Óost \"-é\" flask==1.0"),
            [("flask==1.0".to_string(), Pin::Exact)]
        );
    }

    /// A heredoc's body is input, not commands; the commands around it count.
    #[test]
    fn heredoc_bodies_are_not_commands() {
        let text = "cat <<'EOF' > setup.txt\npip install inside\nEOF\npip install after\ncat <<-END\n\tpip install indented\n\tEND\n";
        assert_eq!(specs(text), [("after".to_string(), Pin::None)]);
    }

    #[test]
    fn index_options() {
        let (_, options) = read(
            "pip install -i http://pypi.internal/simple --extra-index-url=https://x/simple --trusted-host pypi.internal flask==1.0",
        );
        assert_eq!(
            options,
            [
                (
                    "index-url".to_string(),
                    "http://pypi.internal/simple".to_string()
                ),
                (
                    "extra-index-url".to_string(),
                    "https://x/simple".to_string()
                ),
                ("trusted-host".to_string(), "pypi.internal".to_string()),
            ]
        );
    }
}
