//! A fast path for the commonest requirement strings: a project name, with or without
//! extras, alone or with version clauses made of plain release numbers, and with or
//! without a marker (`requests==2.31.0`, `flask>=2.0,<3`, `django==4.2.*`, `six`,
//! `uvicorn[standard]==0.30.1 ; python_version >= "3.9"`). Most lines of most
//! requirement files are like that.
//!
//! For such a string this decides what uv's parser would: that it is valid, and which
//! versions it pins. It builds none of uv's values, which costs several times less. A
//! marker is still checked by uv, once per distinct marker on each thread: a file
//! repeats a handful of them. Anything else (URLs, pre-releases, local versions, `===`,
//! odd spacing) is left to uv: the fast path answers only when it is certain, and a
//! test compares it with uv on generated strings.

use std::cell::RefCell;
use std::ops::Range;
use std::str::FromStr;

use rustc_hash::FxHashSet;
use smallvec::SmallVec;

use crate::manifest::Pin;

/// A simple requirement string: where its parts are, and its pin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simple {
    pub name: Range<usize>,
    /// Each extra's name, as written.
    pub extras: SmallVec<[Range<usize>; 1]>,
    pub clauses: SmallVec<[SimpleClause; 2]>,
    /// The marker after `;`, without the blanks around it.
    pub marker: Option<Range<usize>>,
    /// Where the requirement ends, before any trailing blanks.
    pub end: usize,
    pub pin: Pin,
}

/// One clause of a [`Simple`] requirement: its operator and version as written. The
/// clause spans from the start of one to the end of the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleClause {
    pub operator: Range<usize>,
    pub version: Range<usize>,
}

impl Simple {
    /// From the name to the end of the requirement: the string without the blanks
    /// around it.
    pub fn whole(&self) -> Range<usize> {
        self.name.start..self.end
    }

    /// From the first operator to the end of the last version.
    pub fn specifier(&self) -> Option<Range<usize>> {
        let first = self.clauses.first()?;
        let last = self.clauses.last()?;
        Some(first.operator.start..last.version.end)
    }
}

/// `input` read as a simple requirement that uv would accept; `None` when it is not
/// simple, or not valid (uv then parses it, and explains the error).
pub fn parse(input: &str) -> Option<Simple> {
    let bytes = input.as_bytes();
    let name_start = skip_blanks(bytes, 0);
    let name_end = name_end(bytes, name_start)?;
    let mut simple = Simple {
        name: name_start..name_end,
        extras: SmallVec::new(),
        clauses: SmallVec::new(),
        marker: None,
        end: name_end,
        pin: Pin::None,
    };
    let mut at = skip_blanks(bytes, name_end);
    if bytes.get(at) == Some(&b'[') {
        at = extras(bytes, at + 1, &mut simple.extras)?;
        simple.end = at;
        at = skip_blanks(bytes, at);
    }
    let mut all_exact = true;
    // A comma must be followed by another clause, which `operator` checks.
    let mut more = !matches!(bytes.get(at), None | Some(b';'));
    while more {
        let operator_start = at;
        let (operator, after_operator) = operator(bytes, at)?;
        at = skip_blanks(bytes, after_operator);
        let version_start = at;
        let (numbers, wildcard, after_version) = version(bytes, at)?;
        at = skip_blanks(bytes, after_version);
        match operator {
            Operator::Equal | Operator::NotEqual => {}
            _ if wildcard => return None,
            Operator::Compatible if numbers < 2 => return None,
            _ => {}
        }
        if operator != Operator::Equal || wildcard {
            all_exact = false;
        }
        simple.clauses.push(SimpleClause {
            operator: operator_start..after_operator,
            version: version_start..after_version,
        });
        simple.end = after_version;
        match bytes.get(at) {
            None | Some(b';') => more = false,
            Some(b',') => at = skip_blanks(bytes, at + 1),
            Some(_) => return None,
        }
    }
    if at < bytes.len() {
        let marker = super::trim_span(input, at + 1..bytes.len());
        if marker.is_empty() || !marker_is_valid(&input[marker.clone()]) {
            return None;
        }
        simple.end = marker.end;
        simple.marker = Some(marker);
    }
    simple.pin = match simple.clauses.as_slice() {
        [] => Pin::None,
        // The commonest requirement, decided without building its set of versions.
        [_] if all_exact => Pin::Exact,
        [first, .., last] | [first @ last] => {
            // Anything else is judged by the versions it admits: built from the release
            // numbers already read, and only parsed by uv when that needs the set.
            let built: Option<Vec<_>> = simple
                .clauses
                .iter()
                .map(|clause| built_specifier(input, clause))
                .collect();
            match built {
                Some(specifiers) => super::pin_of_specifiers(&specifiers, &[]),
                None => {
                    let text = &input[first.operator.start..last.version.end];
                    let specifiers = uv_pep440::VersionSpecifiers::from_str(text).ok()?;
                    super::pin_of_specifiers(&specifiers, &[])
                }
            }
        }
    };
    Some(simple)
}

/// A simple clause (a release, or a release and `.*`) as uv's specifier, without
/// parsing its text again.
fn built_specifier(input: &str, clause: &SimpleClause) -> Option<uv_pep440::VersionSpecifier> {
    let version = &input[clause.version.clone()];
    let (release, wildcard) = match version.strip_suffix(".*") {
        Some(release) => (release, true),
        None => (version, false),
    };
    let numbers: Option<Vec<u64>> = release.split('.').map(|n| n.parse().ok()).collect();
    let operator = match (
        uv_pep440::Operator::from_str(&input[clause.operator.clone()]).ok()?,
        wildcard,
    ) {
        (uv_pep440::Operator::Equal, true) => uv_pep440::Operator::EqualStar,
        (uv_pep440::Operator::NotEqual, true) => uv_pep440::Operator::NotEqualStar,
        (operator, false) => operator,
        _ => return None,
    };
    uv_pep440::VersionSpecifier::from_version(operator, uv_pep440::Version::new(numbers?)).ok()
}

/// The extras from `at`, just after `[`: names separated by commas, with blanks
/// around them. Where the list ends, after `]`.
fn extras(bytes: &[u8], mut at: usize, extras: &mut SmallVec<[Range<usize>; 1]>) -> Option<usize> {
    loop {
        let start = skip_blanks(bytes, at);
        let end = name_end(bytes, start)?;
        extras.push(start..end);
        at = skip_blanks(bytes, end);
        match bytes.get(at)? {
            b',' => at += 1,
            b']' => return Some(at + 1),
            _ => return None,
        }
    }
}

/// Whether uv accepts `marker`. uv builds a decision diagram for each marker it
/// parses, in a store all threads share; the markers a thread has seen valid are
/// remembered instead (a bounded number: a file repeats a handful).
fn marker_is_valid(marker: &str) -> bool {
    const REMEMBERED: usize = 256;
    thread_local! {
        static VALID: RefCell<FxHashSet<Box<str>>> = RefCell::default();
    }
    VALID.with_borrow_mut(|valid| {
        if valid.contains(marker) {
            return true;
        }
        let parses = |text: &str| uv_pep508::MarkerTree::from_str(text).is_ok();
        let spaced_parses = || super::spaced_marker_operators(marker).is_some_and(|s| parses(&s));
        if super::nests_too_deep(marker) || !(parses(marker) || spaced_parses()) {
            return false;
        }
        if valid.len() < REMEMBERED {
            valid.insert(marker.into());
        }
        true
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Equal,
    NotEqual,
    Compatible,
    /// `<`, `<=`, `>`, `>=`.
    Ordered,
}

fn skip_blanks(bytes: &[u8], mut at: usize) -> usize {
    while matches!(bytes.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    at
}

/// End of a PEP 508 name starting at `at`: letters and digits, with `-`, `_`, `.`
/// inside.
fn name_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut end = at;
    while end < bytes.len() && IS_NAME_BYTE[usize::from(bytes[end])] {
        end += 1;
    }
    let name = &bytes[at..end];
    (name.first()?.is_ascii_alphanumeric() && name.last()?.is_ascii_alphanumeric()).then_some(end)
}

/// The bytes of a name, as a table: a name is most of a requirement's bytes.
static IS_NAME_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
        byte += 1;
    }
    table
};

fn operator(bytes: &[u8], at: usize) -> Option<(Operator, usize)> {
    let next = bytes.get(at + 1).copied();
    let (operator, len) = match (bytes.get(at)?, next) {
        // `===` is arbitrary equality: uv's business.
        (b'=', Some(b'=')) if bytes.get(at + 2) == Some(&b'=') => return None,
        (b'=', Some(b'=')) => (Operator::Equal, 2),
        (b'!', Some(b'=')) => (Operator::NotEqual, 2),
        (b'~', Some(b'=')) => (Operator::Compatible, 2),
        (b'<' | b'>', Some(b'=')) => (Operator::Ordered, 2),
        (b'<' | b'>', _) => (Operator::Ordered, 1),
        _ => return None,
    };
    Some((operator, at + len))
}

/// A release number `N(.N)*`, optionally ending in `.*`: how many numbers it has,
/// whether it is a wildcard, and where it ends. Numbers stay well inside `u64`.
fn version(bytes: &[u8], mut at: usize) -> Option<(usize, bool, usize)> {
    let mut numbers = 0;
    loop {
        let mut end = at;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        let digits = end - at;
        if digits == 0 || digits > 18 {
            return None;
        }
        numbers += 1;
        at += digits;
        if bytes.get(at) != Some(&b'.') {
            break;
        }
        at += 1;
        if bytes.get(at) == Some(&b'*') {
            return end_of_version(bytes, at + 1).then_some((numbers, true, at + 1));
        }
    }
    end_of_version(bytes, at).then_some((numbers, false, at))
}

/// A version ends at the end of the string, a blank, a comma or the `;` of a marker;
/// anything else (`rc1`, `+local`, `.post1`) is not simple.
fn end_of_version(bytes: &[u8], at: usize) -> bool {
    matches!(bytes.get(at), None | Some(b' ' | b'\t' | b',' | b';'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::pep508::{
        ParsedRequirement, SpanMap, parse_with_uv, pin_of_specifiers, simple_requirement,
    };
    use proptest::prelude::*;
    use std::str::FromStr;
    use uv_pep508::VersionOrUrl;

    fn pin(input: &str) -> Option<Pin> {
        parse(input).map(|simple| simple.pin)
    }

    /// Near-simple strings: the pieces of simple requirements, and the pieces that make
    /// one not simple or not valid.
    fn requirement_like() -> impl Strategy<Value = String> {
        let name = prop::sample::select(vec![
            "a",
            "Ab",
            "zope.interface",
            "x_y-z",
            "A1",
            "a",
            "Ab",
            "A1",
            "-a",
            "a-",
            "a..b",
            "a b",
            "",
        ]);
        let blank = prop::sample::select(vec!["", "", " ", "\t", "  "]);
        let operator = prop::sample::select(vec![
            "==", "==", "==", "!=", "<=", ">=", "~=", "~=", "<", ">", "===", "=", "<>", "~",
        ]);
        let number = prop::sample::select(vec![
            "0",
            "1",
            "01",
            "10",
            "2023",
            "999999999999999999",
            "1234567890123456789",
        ]);
        let suffix = prop::sample::select(vec![
            "", "", "", "", "", "", "", "", "", "", ".*", ".*", "rc1", "+local", ".post1", "a",
            ".dev0", ".", "..1",
        ]);
        let version = (prop::collection::vec(number, 1..4), suffix)
            .prop_map(|(numbers, suffix)| format!("{}{suffix}", numbers.join(".")));
        let clause = (blank.clone(), operator, blank.clone(), version)
            .prop_map(|(b1, op, b2, v)| format!("{b1}{op}{b2}{v}"));
        let separator = prop::sample::select(vec![",", ",", ",", " , ", ",,", " "]);
        let extras = prop::sample::select(vec![
            "",
            "",
            "",
            "",
            "[x]",
            "[X_Y.z]",
            " [a,b]",
            "[ a , b ]",
            "[]",
            "[a,]",
            "[,a]",
            "[-a]",
            "[a",
            "[a b]",
            "[a]]",
        ]);
        let tail = prop::sample::select(vec![
            "",
            "",
            "",
            "",
            "",
            "",
            "[x]",
            ",",
            "@",
            " @ https://h/a.whl",
        ]);
        (
            blank.clone(),
            name,
            extras,
            prop::collection::vec(clause, 0..4),
            separator,
            tail,
            marker(),
            blank,
        )
            .prop_map(
                |(lead, name, extras, clauses, separator, tail, marker, trail)| {
                    format!(
                        "{lead}{name}{extras}{}{tail}{marker}{trail}",
                        clauses.join(separator)
                    )
                },
            )
    }

    /// Nothing, or a `;` and a marker: valid ones, invalid ones, odd spacing.
    fn marker() -> impl Strategy<Value = String> {
        let separator = prop::sample::select(vec![";", ";", " ; ", " ;", "; ", "\t;\t", ";;"]);
        let expression = prop::sample::select(vec![
            "python_version > '3'",
            "python_version>=\"3.9\"",
            "sys_platform == \"linux\" and python_version < \"3.12\"",
            "(os_name == 'nt' or os_name == 'posix')",
            "extra == 'test'",
            "platform_machine == \"x86_64\"",
            "implementation_name == 'cpython' and",
            "python_version > 3",
            "python_version",
            "unknown_variable == '1'",
            "python_version > '3' # comment",
            "python_version > '3'\u{a0}",
            "",
            " ",
        ]);
        prop_oneof![
            3 => Just(String::new()),
            2 => (separator, expression).prop_map(|(s, e)| format!("{s}{e}")),
        ]
    }

    /// Names and clauses in the simple grammar only, so most cases take the fast path.
    fn simple_like() -> impl Strategy<Value = String> {
        let operator = prop::sample::select(vec!["==", "!=", "<=", ">=", "~=", "<", ">"]);
        let number = prop::sample::select(vec!["0", "1", "01", "2", "10"]);
        let version = (
            prop::collection::vec(number, 1..4),
            prop::sample::select(vec!["", "", "", ".*"]),
        )
            .prop_map(|(numbers, suffix)| format!("{}{suffix}", numbers.join(".")));
        let clause = (operator, prop::sample::select(vec!["", " "]), version)
            .prop_map(|(op, blank, v)| format!("{op}{blank}{v}"));
        (
            prop::sample::select(vec!["a", "Zope.Interface", "x_y-z9"]),
            prop::sample::select(vec!["", "", "", "[security]", "[Socks,HTTP2]"]),
            prop::collection::vec(clause, 0..4),
            prop::sample::select(vec![",", " , "]),
            prop::sample::select(vec![
                "",
                "",
                "",
                " ; python_version >= \"3.9\"",
                ";sys_platform=='win32'",
            ]),
        )
            .prop_map(|(name, extras, clauses, separator, marker)| {
                format!("{name}{extras}{}{marker}", clauses.join(separator))
            })
    }

    fn check_against_uv(input: &str) -> Result<(), TestCaseError> {
        if let Some(simple) = parse(input) {
            // The requirement built from the simple reading is the one uv's reading
            // gives: same parts, same spans, same pin.
            let map = SpanMap::contiguous(7, input.len());
            let from_uv = parse_with_uv(input, &map, "s");
            prop_assert!(from_uv.is_ok(), "uv rejects {input:?}");
            prop_assert_eq!(
                simple_requirement(input, &simple, &map, "s", Vec::new()),
                from_uv.unwrap(),
                "{:?}",
                input
            );
        }
        if let Some(fast) = pin(input) {
            let parsed = ParsedRequirement::from_str(input);
            prop_assert!(parsed.is_ok(), "uv rejects {input:?}: {:?}", parsed.err());
            let parsed = parsed.unwrap();
            let expected = match &parsed.version_or_url {
                None => Pin::None,
                Some(VersionOrUrl::VersionSpecifier(specifiers)) => {
                    pin_of_specifiers(specifiers, &[])
                }
                Some(VersionOrUrl::Url(_)) => Pin::Url,
            };
            prop_assert_eq!(fast, expected, "{:?}", input);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Where the fast path answers, uv agrees: the string is valid, and has the
        /// same parts and pin.
        #[test]
        fn agrees_with_uv_on_simple_strings(input in simple_like()) {
            check_against_uv(&input)?;
        }

        #[test]
        fn agrees_with_uv_on_near_simple_strings(input in requirement_like()) {
            check_against_uv(&input)?;
        }
    }

    #[test]
    fn where_the_parts_are() {
        let simple = parse(" a.b == 1.0 ,<2 ").unwrap();
        assert_eq!(simple.name, 1..4);
        assert_eq!(simple.whole(), 1..15);
        assert_eq!(simple.specifier(), Some(5..15));
        assert_eq!(simple.clauses[0].operator, 5..7);
        assert_eq!(simple.clauses[0].version, 8..11);
        assert_eq!(simple.clauses[1].operator, 13..14);
        assert_eq!(simple.clauses[1].version, 14..15);
        assert_eq!(parse("six").unwrap().specifier(), None);

        let input = "a [x, Y] == 1 ; python_version > '3' ";
        let simple = parse(input).unwrap();
        assert_eq!(simple.extras.as_slice(), [3..4, 6..7]);
        assert_eq!(simple.specifier(), Some(9..13));
        assert_eq!(
            &input[simple.marker.clone().unwrap()],
            "python_version > '3'"
        );
        assert_eq!(simple.whole(), 0..input.len() - 1);
        assert_eq!(simple.pin, Pin::Exact);
        assert_eq!(parse("a[x]").unwrap().whole(), 0..4);
    }

    #[test]
    fn extras_and_markers_are_simple_when_uv_accepts_them() {
        assert_eq!(pin("a[x]==1"), Some(Pin::Exact));
        assert_eq!(pin("a==1.0;python_version>'3'"), Some(Pin::Exact));
        assert_eq!(pin("a ; sys_platform == 'linux'"), Some(Pin::None));
        assert_eq!(pin("a>=1 ; python_version > '3'"), Some(Pin::Range));
        // A marker uv rejects is left to uv, which explains the error; twice, as the
        // second time may come from what the thread remembers.
        for _ in 0..2 {
            assert_eq!(pin("a==1 ; python_version >"), None);
            assert_eq!(pin("a==1 ; python_version > '3'"), Some(Pin::Exact));
        }
    }

    #[test]
    fn simple_requirements_and_their_pins() {
        assert_eq!(pin("six"), Some(Pin::None));
        assert_eq!(pin("  zope.interface  "), Some(Pin::None));
        assert_eq!(pin("requests==2.31.0"), Some(Pin::Exact));
        assert_eq!(pin("a == 1.0 , == 1"), Some(Pin::Exact));
        assert_eq!(pin("a==1.0,==2.0"), Some(Pin::Unsatisfiable));
        assert_eq!(pin("django==4.2.*"), Some(Pin::Wildcard));
        assert_eq!(pin("a!=1.*"), Some(Pin::Range));
        assert_eq!(pin("a==1.*,==1.2"), Some(Pin::Exact));
        assert_eq!(pin("flask>=2.0,<3"), Some(Pin::Range));
        assert_eq!(pin("a~=1.4"), Some(Pin::Range));
    }

    #[test]
    fn anything_else_is_left_to_uv() {
        for input in [
            "",
            "-a",
            "a-",
            "a[]==1",
            "a[x,]==1",
            "a==1.0rc1",
            "a==1.0+local",
            "a===1.0",
            "a==v1",
            "a~=1",
            "a>=1.*",
            "a~=1.*",
            "a==1.0;",
            "a==1.0;python_version>",
            "a @ https://h/a.whl",
            "a==1.0,",
            "a 1.0",
            "a==1234567890123456789",
            "a==1..0",
            "a==1.",
            "a (==1.0)",
            "a=1.0",
        ] {
            assert_eq!(pin(input), None, "{input:?}");
        }
    }
}
