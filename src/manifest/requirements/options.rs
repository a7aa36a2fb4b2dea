//! The options pip accepts in a requirement file, read from shell words the way pip's
//! `optparse` parser reads them: `--name=value` or `--name value`, short forms with the
//! value attached (`-rfile`) or apart, unambiguous long-name prefixes (`--extra-index`),
//! `--` ending the options, and leftover words collected rather than rejected.

use std::ops::Range;

use super::shell_words::Word;

/// What an option acts on; decides how a line carrying it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole install: index, finder and resolver settings.
    File,
    /// `-r` / `-c`: another file.
    Include { constraint: bool },
    /// `-e`: the requirement is the option's value.
    Editable,
    /// Applies to the requirement written on the same line (`--hash`).
    Requirement,
}

/// One option pip knows.
#[derive(Debug)]
pub struct Spec {
    /// The long name without dashes.
    pub name: &'static str,
    /// Other long names pip accepts for it.
    pub aliases: &'static [&'static str],
    pub short: Option<char>,
    pub takes_value: bool,
    pub scope: Scope,
}

const fn spec(name: &'static str, short: Option<char>, takes_value: bool, scope: Scope) -> Spec {
    Spec {
        name,
        aliases: &[],
        short,
        takes_value,
        scope,
    }
}

/// pip's `SUPPORTED_OPTIONS` and `SUPPORTED_OPTIONS_REQ` (src/pip/_internal/req/req_file.py),
/// as of pip 26.
pub const SPECS: &[Spec] = &[
    Spec {
        aliases: &["pypi-url"],
        ..spec("index-url", Some('i'), true, Scope::File)
    },
    spec("extra-index-url", None, true, Scope::File),
    spec("no-index", None, false, Scope::File),
    spec(
        "constraint",
        Some('c'),
        true,
        Scope::Include { constraint: true },
    ),
    spec(
        "requirement",
        Some('r'),
        true,
        Scope::Include { constraint: false },
    ),
    spec("editable", Some('e'), true, Scope::Editable),
    spec("find-links", Some('f'), true, Scope::File),
    spec("no-binary", None, true, Scope::File),
    spec("only-binary", None, true, Scope::File),
    spec("prefer-binary", None, false, Scope::File),
    spec("require-hashes", None, false, Scope::File),
    // pip 26: turns hash-checking mode off again, and chooses release types per
    // project (`:all:`, `:none:` or project names).
    spec("no-require-hashes", None, false, Scope::File),
    spec("pre", None, false, Scope::File),
    spec("all-releases", None, true, Scope::File),
    spec("only-final", None, true, Scope::File),
    spec("trusted-host", None, true, Scope::File),
    spec("use-feature", None, true, Scope::File),
    spec("hash", None, true, Scope::Requirement),
    spec("config-settings", Some('C'), true, Scope::Requirement),
];

/// Options older pips accepted in requirement files and current pip rejects.
const REMOVED: &[(&str, &str)] = &[
    ("install-option", "pip 23.1"),
    ("global-option", "pip 25.3"),
    ("allow-external", "pip 8"),
    ("allow-all-external", "pip 8"),
    ("allow-unverified", "pip 8"),
    ("always-unzip", "pip 1.5"),
    ("no-use-wheel", "pip 10"),
];

/// Short forms of removed options: `-Z` was `--always-unzip`.
const REMOVED_SHORT: &[(char, &str)] = &[('Z', "always-unzip")];

/// An option as written.
#[derive(Debug, Clone)]
pub struct ParsedOption {
    pub spec: &'static Spec,
    pub value: Option<String>,
    /// Where the value was written (the whole word when quoting makes it inexact).
    pub value_raw: Option<Range<usize>>,
    /// From the option's first character to the end of its value.
    pub raw: Range<usize>,
    /// Index of the last word the option took (its value's word, or itself).
    pub last_word: usize,
}

/// A line's options, and the words that were not options nor their values.
#[derive(Debug, Clone, Default)]
pub struct ParsedWords {
    pub options: Vec<ParsedOption>,
    /// Indices into the words, in order.
    pub positional: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OptionError {
    pub message: String,
    pub raw: Range<usize>,
}

/// Read `words` as pip's option parser does; the first error stops it, as in pip.
pub fn parse(words: &[Word]) -> Result<ParsedWords, OptionError> {
    let mut parsed = ParsedWords::default();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        let value: &str = &word.value;
        if value == "--" {
            parsed.positional.extend(i + 1..words.len());
            break;
        }
        if let Some(long) = value.strip_prefix("--") {
            let (name, inline_value) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (long, None),
            };
            let spec = match_long(name).map_err(|message| OptionError {
                message,
                raw: word.raw.clone(),
            })?;
            let option = if spec.takes_value {
                match inline_value {
                    Some(inline) => ParsedOption {
                        spec,
                        value: Some(inline.to_string()),
                        value_raw: Some(suffix_raw(word, inline.len())),
                        raw: word.raw.clone(),
                        last_word: i,
                    },
                    None => {
                        i += 1;
                        separate_value(spec, word, words.get(i), i)?
                    }
                }
            } else if inline_value.is_some() {
                return Err(OptionError {
                    message: format!("`--{}` does not take a value", spec.name),
                    raw: word.raw.clone(),
                });
            } else {
                ParsedOption {
                    spec,
                    value: None,
                    value_raw: None,
                    raw: word.raw.clone(),
                    last_word: i,
                }
            };
            parsed.options.push(option);
        } else if value.len() > 1 && value.starts_with('-') {
            // pip's short options all take a value, so only the first letter is an option.
            let letter = value[1..].chars().next().unwrap_or('-');
            let spec = SPECS
                .iter()
                .find(|spec| spec.short == Some(letter))
                .ok_or_else(|| OptionError {
                    message: match REMOVED_SHORT.iter().find(|(short, _)| *short == letter) {
                        Some((_, long)) => match match_long(long) {
                            Err(removed) => removed.replacen(
                                &format!("`--{long}`"),
                                &format!("`-{letter}` (`--{long}`)"),
                                1,
                            ),
                            Ok(_) => format!("unknown pip option `-{letter}`"),
                        },
                        None => format!("unknown pip option `-{letter}`"),
                    },
                    raw: word.raw.clone(),
                })?;
            let attached = &value[1 + letter.len_utf8()..];
            let option = if !attached.is_empty() {
                ParsedOption {
                    spec,
                    value: Some(attached.to_string()),
                    value_raw: Some(suffix_raw(word, attached.len())),
                    raw: word.raw.clone(),
                    last_word: i,
                }
            } else {
                i += 1;
                separate_value(spec, word, words.get(i), i)?
            };
            parsed.options.push(option);
        } else {
            parsed.positional.push(i);
        }
        i += 1;
    }
    Ok(parsed)
}

/// optparse's long-option lookup: an exact name, else a prefix of exactly one name.
fn match_long(name: &str) -> Result<&'static Spec, String> {
    let names = || {
        SPECS.iter().flat_map(|spec| {
            std::iter::once((spec.name, spec)).chain(spec.aliases.iter().map(move |a| (*a, spec)))
        })
    };
    if let Some((_, spec)) = names().find(|(n, _)| *n == name) {
        return Ok(spec);
    }
    let candidates: Vec<(&str, &Spec)> = if name.is_empty() {
        Vec::new()
    } else {
        names().filter(|(n, _)| n.starts_with(name)).collect()
    };
    match candidates.as_slice() {
        [(_, spec)] => Ok(spec),
        [] => Err(match REMOVED.iter().find(|(removed, _)| *removed == name) {
            Some((_, release)) => {
                format!("`--{name}` is no longer a pip option (removed in {release})")
            }
            None => format!("unknown pip option `--{name}`"),
        }),
        several => Err(format!(
            "ambiguous pip option `--{name}`: could be {}",
            several
                .iter()
                .map(|(n, _)| format!("`--{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The value in the next word; optparse takes it whatever it looks like.
fn separate_value(
    spec: &'static Spec,
    option: &Word,
    next: Option<&Word>,
    next_index: usize,
) -> Result<ParsedOption, OptionError> {
    let next = next.ok_or_else(|| OptionError {
        message: format!("`{}` needs a value", option.value),
        raw: option.raw.clone(),
    })?;
    Ok(ParsedOption {
        spec,
        value: Some(next.value.to_string()),
        value_raw: Some(next.raw.clone()),
        raw: option.raw.start..next.raw.end,
        last_word: next_index,
    })
}

/// The raw range of the last `len` bytes of a word's value; the whole word when quotes
/// or escapes make raw and value differ in length.
fn suffix_raw(word: &Word, len: usize) -> Range<usize> {
    if word.raw.len() == word.value.len() {
        word.raw.end - len..word.raw.end
    } else {
        word.raw.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::super::shell_words::split;
    use super::*;

    fn parse_text(text: &str) -> Result<ParsedWords, OptionError> {
        parse(&split(text, 0).unwrap())
    }

    fn summary(text: &str) -> Vec<(&'static str, Option<String>)> {
        parse_text(text)
            .unwrap()
            .options
            .into_iter()
            .map(|o| (o.spec.name, o.value))
            .collect()
    }

    #[test]
    fn long_short_attached_and_separate_values() {
        assert_eq!(
            summary("--pre --extra-index-url https://x -ihttps://y -f dir --hash=sha256:ab"),
            [
                ("pre", None),
                ("extra-index-url", Some("https://x".into())),
                ("index-url", Some("https://y".into())),
                ("find-links", Some("dir".into())),
                ("hash", Some("sha256:ab".into())),
            ]
        );
        assert_eq!(
            summary("--pypi-url u --extra-index u2"),
            [
                ("index-url", Some("u".into())),
                ("extra-index-url", Some("u2".into()))
            ]
        );
    }

    #[test]
    fn value_ranges() {
        let parsed = parse_text("--index-url=https://x -r base.txt -rother.txt").unwrap();
        assert_eq!(parsed.options[0].value_raw, Some(12..21));
        assert_eq!(parsed.options[1].value_raw, Some(25..33));
        assert_eq!(parsed.options[1].raw, 22..33);
        assert_eq!(parsed.options[2].value_raw, Some(36..45));
    }

    #[test]
    fn positional_words_are_collected() {
        let parsed = parse_text("-e . ; python_version > '3' -- --pre").unwrap();
        assert_eq!(parsed.positional, [2, 3, 4, 5, 7]);
    }

    #[test]
    fn errors() {
        let error = |text| parse_text(text).unwrap_err().message;
        assert_eq!(error("--frobnicate"), "unknown pip option `--frobnicate`");
        assert_eq!(error("-x"), "unknown pip option `-x`");
        assert_eq!(error("--pre=1"), "`--pre` does not take a value");
        assert_eq!(error("-r"), "`-r` needs a value");
        assert!(error("--no").starts_with("ambiguous pip option `--no`"));
        assert!(error("--install-option=x").contains("removed in pip 23.1"));
        assert_eq!(
            error("-Z"),
            "`-Z` (`--always-unzip`) is no longer a pip option (removed in pip 1.5)"
        );
    }
}
