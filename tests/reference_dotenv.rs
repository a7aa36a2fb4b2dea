//! The env-file parser against python-dotenv itself.
//!
//! python-dotenv (pinned with hashes in `tests/reference-dotenv/requirements.txt`) is
//! installed into a virtual environment under the target directory, and
//! `tests/reference-dotenv/read_env.py` reads every case below as `dotenv_values` reads a
//! file. For each case, the entries pinwarden's parser produces must be the bindings
//! python-dotenv produces (line, key, value; a key without `=` has an empty value), and
//! pinwarden must report a parse error on exactly the lines python-dotenv rejects.
//! On a rejected line pinwarden may still produce the entry whose value it could read
//! (so secret checks see it); that entry is not compared.
//!
//! Without Python or PyPI the test is skipped with a note, except in CI (`CI=true`),
//! where it fails: the reference must run there.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use pinwarden::manifest::text::LineIndex;
use pinwarden::manifest::{Item, dotenv};
use serde_json::Value;

/// (name, file text): the inputs both readers must agree on.
const CASES: &[(&str, &str)] = &[
    (
        "plain",
        "A=1\nB = 2\n  C=3\nexport D=4\nexport  E = five words  \n\tF\t=\t6\t\n",
    ),
    (
        "comments",
        "# header\nA=1 # note\nB=1#not-a-comment\nC= # note\nD=#value\nE=\"v\" # c\nF='v'# c\n#G=7\n",
    ),
    (
        "double-quote-escapes",
        "A=\"x\\ny\\t\\\"q\\\" \\$HOME \\\\\"\nB=\"\\a\\b\\f\\r\\v\\'\"\nC=\"\\x41 \\u00e9 \\z\"\n",
    ),
    (
        "single-quote-escapes",
        "A='lit \\n \\' \\\\'\nB='\\\"x\\\"'\nC='a \"b\" c'\n",
    ),
    (
        "escaped-backslash-before-quote",
        "A=\"C:\\\\\"\nB=\"x\"\nC='D:\\\\'\nD=1\n",
    ),
    ("multi-line-values", "A=\"line1\nline2\"\nB='x\n\ny'\nC=3\n"),
    ("multi-line-crlf", "A=\"line1\r\nline2\"\r\nB=2\r\n"),
    ("multi-line-cr", "A=\"line1\rline2\"\rB=2\r"),
    ("carriage-returns", "a=b\rc=d\r\re=f"),
    ("crlf", "a=b\r\nc=\"x\"\r\n\r\n# c\r\nd='y' # z\r\n"),
    ("mixed-line-ends", "a=1\nb=2\r\nc=3\rd=4\n"),
    (
        "quoted-keys",
        "'a'=b\n\"c\"=d\n'e f'=g\n''=h\n'open=i\n'j'\n'k' = l # m\n",
    ),
    ("empty-values", "A=\nB=''\nC=\"\"\nD\nE=   \nF= \t# c\n"),
    (
        "no-equals",
        "A\nB # comment\nsome words here\n=novalue\n C \n",
    ),
    ("export-edge", "export\nexport A=1\nexport=2\nexported=3\n"),
    ("unterminated", "A=\"open\nB=2\nC='also open\nD=4\n"),
    ("text-after-quote", "S='a' trailing\nT=\"b\"x\nU=1\n"),
    (
        "equals-and-urls",
        "A=b=c\nURL=postgres://u:p4ss@h:5432/db?x=1&y=2\n",
    ),
    (
        "non-ascii",
        "K=é\nPASSWORD=AsTSNVv7pun9 (пароль)\nQ=\"日本\\n\"\n",
    ),
    ("references", "A=${B}\nC=\"${D:-x}\"\nE=$F\nG='${H}'\n"),
    ("byte-order-mark", "\u{feff}A=1\nB=2\n"),
    ("no-final-newline", "A=1\nB=\"2\""),
    ("odd-keys", "A.B=1\nA-B=2\n@x=3\n1A=4\nÄ=5\n"),
    ("quotes-inside-unquoted", "A=a\"b'c\nB=x \"y\"\n"),
    ("blank-lines", "\n\n  \nA=1\n\n\t\nB=2\n\n"),
    ("duplicate-keys", "A=1\nA=2\n"),
    (
        "hash-in-quotes",
        "A=\"# not a comment\" # comment\nB='#x'\nC=\"a#b\"\n",
    ),
];

/// (name, file text, why): inputs pinwarden reads differently on purpose. The test
/// fails when one of them stops differing, so the list stays true.
const DELIBERATE: &[(&str, &str, &str)] = &[
    (
        "backticks",
        "A=`raw \\n`\nB=`two\nlines`\n",
        "Node's dotenv quotes: the value is what is between the backticks, which is what \
         the JavaScript half of a project loads",
    ),
    (
        "unquoted-pem-block",
        "KEY=-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\nB=1\n",
        "python-dotenv reads only the first line and rejects the rest; the lines below are \
         the key, so they are one value (and one secret)",
    ),
];

/// (line, key, value) of every binding python-dotenv produces, and the lines it rejects.
type Reading = (Vec<(usize, String, String)>, BTreeSet<usize>);

fn python_dotenv(python: &Path, files: &[PathBuf]) -> Vec<Reading> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference-dotenv/read_env.py");
    let output = Command::new(python)
        .arg(script)
        .args(files)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "read_env.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap();
    files
        .iter()
        .map(|file| {
            let bindings = answer["files"][file.to_str().unwrap()]
                .as_array()
                .unwrap_or_else(|| panic!("no answer for {}", file.display()));
            let mut entries = Vec::new();
            let mut rejected = BTreeSet::new();
            for binding in bindings {
                let line = binding["line"].as_u64().unwrap() as usize;
                if binding["error"].as_bool().unwrap() {
                    rejected.insert(line);
                } else {
                    entries.push((
                        line,
                        binding["key"].as_str().unwrap().to_string(),
                        binding["value"].as_str().unwrap_or("").to_string(),
                    ));
                }
            }
            (entries, rejected)
        })
        .collect()
}

fn pinwarden_reading(text: &str, rejected_by_reference: &BTreeSet<usize>) -> Reading {
    // As files are read: a byte-order mark is not part of the text.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let index = LineIndex::new(text);
    let line = |offset: usize| index.line_col(text, offset).line;
    let mut entries = Vec::new();
    let mut rejected = BTreeSet::new();
    for item in dotenv::parse(text) {
        match item {
            Item::EnvEntry(entry) => {
                let at = line(entry.span.start);
                if !rejected_by_reference.contains(&at) {
                    entries.push((at, entry.key, entry.value));
                }
            }
            Item::ParseError(error) => {
                rejected.insert(line(error.span.start));
            }
            _ => {}
        }
    }
    (entries, rejected)
}

#[test]
fn env_files_read_as_python_dotenv_reads_them() {
    let Some(python) = common::reference::python("reference-dotenv/requirements.txt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let deliberate = DELIBERATE.iter().map(|(name, text, _)| (*name, *text));
    let all: Vec<(&str, &str)> = CASES.iter().copied().chain(deliberate).collect();
    let files: Vec<PathBuf> = all
        .iter()
        .map(|(name, text)| {
            let path = dir.path().join(format!("{name}.env"));
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    let references = python_dotenv(&python, &files);
    let mut disagreements = Vec::new();
    for ((name, text), expected) in all.iter().zip(&references) {
        let found = pinwarden_reading(text, &expected.1);
        let on_purpose = DELIBERATE.iter().any(|(known, _, _)| known == name);
        if on_purpose && &found == expected {
            disagreements.push(format!(
                "{name}: listed as read differently on purpose, but both readers agree"
            ));
        }
        if !on_purpose && &found != expected {
            disagreements.push(format!(
                "{name} {text:?}\n  python-dotenv: {expected:?}\n  pinwarden:     {found:?}"
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} case(s) read differently:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
