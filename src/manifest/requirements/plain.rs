//! The commonest lines of a requirement file, read without the general machinery: a
//! simple requirement (`six`, `requests==2.31.0`, `flask>=2,<3`; see
//! `pep508::simple`), alone or followed by `--hash=algo:digest` options, as
//! `pip-compile --generate-hashes` writes them.
//!
//! What this gives is what the general reading gives, item for item, which tests check
//! on generated files and on every file of the corpus; any other line (other options,
//! quotes, URLs, errors) is left to it.

use std::ops::Range;

use super::lines::LogicalLine;
use super::{SECTION, STRONG_HASHES, Source, classify, options_start, trim};
use crate::manifest::pep508;
use crate::manifest::{Item, Span};

/// Push the requirement of `line` when the line is plain; `false` leaves the line to
/// the general reading.
pub fn push_requirement(line: &LogicalLine, items: &mut Vec<Item>) -> bool {
    let content = line.content.clone();
    let text = &line.text[content.clone()];
    let options_at = options_start(text);
    if options_at == 0 {
        return false;
    }
    let args = trim(&line.text, content.start..content.start + options_at);
    let requirement_text = &line.text[args.clone()];
    let Some(simple) = pep508::simple::parse(requirement_text) else {
        return false;
    };
    // A name alone may still be an archive (`pkg.zip`), which pip installs as a path.
    if simple.clauses.is_empty() && classify(requirement_text) != Source::Named {
        return false;
    }
    let Some(hashes) = hash_options(line, content.start + options_at..content.end) else {
        return false;
    };
    // Built where it is pushed: a requirement is large, and each move is a copy.
    items.push(Item::Requirement(pep508::simple_requirement(
        requirement_text,
        &simple,
        &line.span_map(args.start),
        SECTION,
        hashes,
    )));
    true
}

/// The values and spans of the `--hash=algo:digest` words in `range` of the line, when
/// there is nothing else there and each is one pip accepts.
fn hash_options(line: &LogicalLine, range: Range<usize>) -> Option<Vec<(String, Span)>> {
    let bytes = line.text.as_bytes();
    let mut hashes = Vec::new();
    let mut at = range.start;
    while at < range.end {
        if matches!(bytes[at], b' ' | b'\t') {
            at += 1;
            continue;
        }
        let start = at;
        at = memchr::memchr2(b' ', b'\t', &bytes[at..range.end]).map_or(range.end, |i| at + i);
        let value = bytes[start..at].strip_prefix(b"--hash=")?;
        let colon = value.iter().position(|&b| b == b':')?;
        let (algorithm, digest) = (&value[..colon], &value[colon + 1..]);
        let strong = STRONG_HASHES.iter().any(|s| s.as_bytes() == algorithm);
        // Without an early exit, so the check over a 64-byte digest vectorises.
        let alphanumeric = digest
            .iter()
            .fold(true, |all, b| all & b.is_ascii_alphanumeric());
        if !strong || digest.is_empty() || !alphanumeric {
            return None;
        }
        let value_start = start + "--hash=".len();
        hashes.push((
            line.text[value_start..at].to_string(),
            line.file_span(value_start..at),
        ));
    }
    Some(hashes)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::super::parse_lines;
    use crate::manifest::Item;
    use crate::manifest::text::decode;

    /// Lines near the plain ones: what makes a line plain, and what makes it not.
    fn requirement_file() -> impl Strategy<Value = String> {
        let requirement = prop::sample::select(vec![
            "six",
            "requests==2.31.0",
            "Flask >= 2.0 , <3",
            "zope.interface==5.*",
            "a~=1",
            "a==1.0rc1",
            "a[x]==1",
            "a==1; python_version > '3'",
            "pkg.zip",
            "pkg.whl",
            "foo.tar.gz==1",
            "./local",
            "a @ https://h/a-1.0.tar.gz",
            "a b",
            "a==",
            "é==1",
            "a==1\u{a0}",
            "",
        ]);
        let option = prop::sample::select(vec![
            "--hash=sha256:abc123",
            "--hash=sha256:ABCdef0",
            "--hash=sha512:00",
            "--hash=md5:abc",
            "--hash=sha256:",
            "--hash=sha256",
            "--hash sha256:abc",
            "--hash='sha256:abc'",
            "--hash=sha256:ab-c",
            "--has=sha256:abc",
            "--index-url https://x/simple",
            "-r base.txt",
            "--pre",
            "-e .",
            "stray",
        ]);
        let blank = prop::sample::select(vec![" ", "  ", "\t", " \t "]);
        let line = (
            requirement,
            prop::collection::vec((blank.clone(), option), 0..3),
            prop::sample::select(vec!["", "", " # via x", "#not-a-comment", " \\"]),
        )
            .prop_map(|(requirement, options, tail)| {
                let options: String = options
                    .into_iter()
                    .map(|(b, o)| format!("{b}{o}"))
                    .collect();
                format!("{requirement}{options}{tail}")
            });
        let terminator = prop::sample::select(vec!["\n", "\n", "\r\n", " \\\n", "\\\n    "]);
        prop::collection::vec((line, terminator), 0..8).prop_map(|lines| {
            lines
                .into_iter()
                .map(|(line, terminator)| format!("{line}{terminator}"))
                .collect()
        })
    }

    fn assert_same_reading(text: &str) {
        assert_eq!(
            parse_lines(text, true),
            parse_lines(text, false),
            "plain and general readings differ on {text:?}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn plain_lines_read_as_the_general_reading_reads_them(text in requirement_file()) {
            assert_same_reading(&text);
        }
    }

    #[test]
    fn hash_pinned_requirements_are_plain() {
        let text = "pip==23.0 \\\n    --hash=sha256:ab12 \\\n    --hash=sha512:CD34\n";
        assert_same_reading(text);
        let items = parse_lines(text, true);
        let [Item::Requirement(req)] = &items[..] else {
            panic!("{items:?}")
        };
        assert_eq!(req.hashes.len(), 2);
        assert_eq!(&text[req.hashes[1].1.clone()], "sha512:CD34");
    }

    /// Every text file of the corpus (real requirement files and more) reads the same.
    #[test]
    fn corpus_files_read_the_same_both_ways() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus");
        let mut stack = vec![corpus];
        let mut files = 0;
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(bytes) = std::fs::read(&path)
                    && let Ok((text, _)) = decode(&bytes)
                {
                    assert_same_reading(&text);
                    files += 1;
                }
            }
        }
        assert!(files > 0, "tests/data/corpus is part of the repository");
    }
}
