//! Poetry dependency tables (`[tool.poetry.dependencies]`, `dev-dependencies`, groups)
//! and Poetry's own constraint syntax: `^1.2`, `~1.2`, `1.2.*`, `*`, bare `1.2.3`,
//! comparisons joined by `,` or spaces, alternatives joined by `||`.
//!
//! The constraint is kept as written: `specifier` is the raw string and each clause
//! keeps its operator (`^`, `~`, `` for a bare version). Only `pin` interprets it.

use std::collections::HashSet;
use std::str::FromStr;

use toml_edit::{Item as TomlItem, TableLike, Value};
use uv_pep440::{Version, VersionSpecifiers};

use crate::manifest::admitted::{Admitted, Alternative};
use crate::manifest::pep508::{is_full_commit, pin_of_url, trim_span, url_ref};
use crate::manifest::toml_spans::{self, EntryTable, TomlString};
use crate::manifest::{
    Clause, Item, ParseError, Pin, Requirement, Span, UrlRef, canonicalize_name,
};

/// Every dependency in one Poetry dependency table.
///
/// `declared` holds the canonical names of the `[project]` dependencies. Since Poetry 2,
/// an entry for one of them that gives no version and no source location (for example
/// `requests = { source = "internal" }`) only adds locking details to the `[project]`
/// requirement, which is reported on its own; it is not a second, unpinned requirement.
pub fn dependencies(
    text: &str,
    table: &dyn TableLike,
    section: &str,
    declared: &HashSet<String>,
    out: &mut Vec<Item>,
) {
    for (name, item) in table.iter() {
        // The interpreter constraint, not a package.
        if name.eq_ignore_ascii_case("python") {
            continue;
        }
        if declared.contains(canonicalize_name(name).as_ref()) && only_enriches(item) {
            continue;
        }
        let key = toml_spans::key_span(table, name);
        let name_span = key.clone().unwrap_or_else(|| toml_spans::span_of(item));
        let entry = |span: Span, value: Source| {
            entry(text, name, name_span.clone(), span, section, value)
                .unwrap_or_else(Item::ParseError)
        };
        let span = toml_spans::entry_span(key.clone(), item);
        if let Some(constraint) = toml_spans::string_of(text, item) {
            out.push(entry(span, Source::Constraint(constraint)));
            continue;
        }
        match item {
            TomlItem::Value(Value::InlineTable(inline)) => {
                out.push(entry(span, Source::Table(inline)));
            }
            TomlItem::Table(table) => out.push(entry(span, Source::Table(table))),
            // Multiple constraints: one requirement per element, each at its element.
            TomlItem::Value(Value::Array(array)) => {
                for value in array.iter() {
                    match value {
                        Value::InlineTable(inline) => out.push(entry(
                            value.span().unwrap_or_else(|| span.clone()),
                            Source::Table(inline),
                        )),
                        _ => out.push(Item::ParseError(toml_spans::value_type_error(
                            text,
                            value,
                            &format!("`{name}` multiple-constraints entry"),
                            "an inline table",
                        ))),
                    }
                }
            }
            TomlItem::ArrayOfTables(tables) => {
                for table in tables.iter() {
                    out.push(entry(
                        table.span().unwrap_or_else(|| span.clone()),
                        Source::Table(table),
                    ));
                }
            }
            _ => out.push(Item::ParseError(toml_spans::type_error(
                text,
                item,
                &format!("dependency `{name}`"),
                "a version constraint string or a table",
            ))),
        }
    }
}

/// A table entry that constrains neither the version nor where the package comes from.
fn only_enriches(item: &TomlItem) -> bool {
    item.as_table_like().is_some_and(|table| {
        ["version", "git", "url", "path"]
            .iter()
            .all(|key| !table.contains_key(key))
    })
}

enum Source<'a> {
    /// `name = "^1.2"`
    Constraint(TomlString),
    /// `name = { version = "^1.2", extras = [...] }`, `[...dependencies.name]`, or one
    /// element of a multiple-constraints array.
    Table(&'a dyn TableLike),
}

fn entry(
    text: &str,
    name: &str,
    name_span: Span,
    span: Span,
    section: &str,
    source: Source,
) -> Result<Item, ParseError> {
    let mut req = toml_spans::keyed_requirement(name, name_span, span, section)?;
    let table = match source {
        Source::Constraint(constraint) => {
            apply_constraint(text, &mut req, &constraint)?;
            return Ok(Item::Requirement(req));
        }
        Source::Table(table) => EntryTable { text, table, name },
    };
    if let Some(version) = table.string("version")? {
        apply_constraint(text, &mut req, &version)?;
    }
    if let Some(python) = table.string("python")? {
        // Validated like any constraint; it restricts the interpreter, not the package.
        parse_constraint(&python.value).map_err(|err| constraint_error(text, &python, err))?;
    }
    req.extras = table.strings("extras")?;
    req.editable = table.boolean("develop")?;
    if let Some(markers) = table.string("markers")? {
        req.marker_span = Some(markers.content_span());
        req.marker = Some(markers.value);
    }
    if let Some(git) = table.string("git")? {
        let mut rev = None;
        for key in ["rev", "tag", "branch"] {
            if let Some(value) = table.string(key)? {
                rev.get_or_insert((key, value.value));
            }
        }
        // Only `rev` names a commit; a tag or branch that looks like one can still move.
        req.pin = match &rev {
            Some(("rev", rev)) if is_full_commit(rev) => Pin::VcsCommit,
            _ => Pin::VcsRef,
        };
        req.url = Some(Box::new(UrlRef {
            url: git.value.clone(),
            span: git.content_span(),
            vcs: Some("git".to_string()),
            rev: rev.map(|(_, rev)| rev),
            hash_fragment: false,
            local_path: false,
        }));
    } else if let Some(location) = match table.string("url")? {
        Some(url) => Some(url),
        None => table.string("path")?,
    } {
        let url = url_ref(&location.value, location.content_span());
        req.pin = pin_of_url(&url, false);
        req.url = Some(Box::new(url));
    }
    Ok(Item::Requirement(req))
}

/// Record a constraint string on the requirement: specifier as written, clauses, pin.
fn apply_constraint(
    text: &str,
    req: &mut Requirement,
    constraint: &TomlString,
) -> Result<(), ParseError> {
    let parsed = parse_constraint(&constraint.value)
        .map_err(|err| constraint_error(text, constraint, err))?;
    let whole = trim_span(&constraint.value, 0..constraint.value.len());
    req.specifier = constraint.value[whole.clone()].into();
    req.specifier_span = (!whole.is_empty()).then(|| constraint.span_of(whole));
    req.clauses = parsed
        .clauses
        .into_iter()
        .map(|(operator, version, span)| Clause {
            operator: crate::manifest::operator_text(&operator),
            version: version.as_str().into(),
            span: constraint.span_of(span),
        })
        .collect();
    req.pin = parsed.pin;
    Ok(())
}

fn constraint_error(
    text: &str,
    constraint: &TomlString,
    (message, span): (String, Span),
) -> ParseError {
    toml_spans::error(
        text,
        constraint.span_of(span),
        format!(
            "invalid Poetry version constraint `{}`: {message}",
            constraint.value
        ),
    )
}

/// A parsed Poetry constraint.
#[derive(Debug, Clone)]
pub struct Constraint {
    /// (operator as written, version as written, span in the constraint string); `*`
    /// clauses constrain nothing and are left out.
    pub clauses: Vec<(String, String, Span)>,
    pub pin: Pin,
    /// The versions it admits.
    pub admitted: Admitted,
}

/// What one clause allows, as far as pinning is concerned.
#[derive(Debug, Clone, PartialEq)]
enum ClauseKind {
    Any,
    Exact(Version),
    Wildcard,
    Range,
}

const OPERATORS: [&str; 12] = [
    "", "^", "~", "~=", "=", "==", "!=", ">", ">=", "<", "<=", "<>",
];

/// Parse a constraint; an error is a message and the span of the offending part.
pub fn parse_constraint(input: &str) -> Result<Constraint, (String, Span)> {
    let whole = trim_span(input, 0..input.len());
    if whole.is_empty() {
        return Ok(Constraint {
            clauses: Vec::new(),
            pin: Pin::None,
            admitted: Admitted::any(),
        });
    }
    // Alternatives are separated by `||` (Poetry also accepts a single `|`).
    let bytes = input.as_bytes();
    let mut alternatives = Vec::new();
    let (mut start, mut pos) = (whole.start, whole.start);
    while pos < whole.end {
        if bytes[pos] == b'|' {
            let bar = pos;
            pos += if bytes.get(pos + 1) == Some(&b'|') {
                2
            } else {
                1
            };
            alternatives.push((start..bar, bar..pos));
            start = pos;
        } else {
            pos += 1;
        }
    }
    alternatives.push((start..whole.end, whole.end..whole.end));

    let mut clauses = Vec::new();
    let mut kinds = Vec::new();
    let mut pep440_alternatives = Vec::new();
    for (index, (alternative, separator)) in alternatives.iter().enumerate() {
        let alternative = trim_span(input, alternative.clone());
        if alternative.is_empty() {
            // The last alternative has no separator after it: blame the one before.
            let separator = match index.checked_sub(1) {
                Some(previous) if separator.is_empty() => alternatives[previous].1.clone(),
                _ => separator.clone(),
            };
            return Err(("empty alternative around `||`".into(), separator));
        }
        let mut pep440 = Vec::new();
        for (operator, version, span) in split_alternative(input, alternative.clone()) {
            let kind = clause_kind(&operator, &version).map_err(|m| (m, span.clone()))?;
            let translated = pep440_clauses(&operator, &version).ok_or_else(|| {
                (
                    format!("invalid constraint `{operator}{version}`"),
                    span.clone(),
                )
            })?;
            pep440.extend(translated);
            if kind != ClauseKind::Any {
                clauses.push((operator, version, span));
            }
            kinds.push(kind);
        }
        // Each clause was read above; only a bound past the largest number a version
        // holds (`^18446744073709551614`) is left unreadable, and it bounds nothing.
        pep440_alternatives.push(match VersionSpecifiers::from_str(&pep440.join(",")) {
            Ok(specifiers) => Alternative::new(specifiers.iter(), []),
            Err(_) => Alternative::any(),
        });
    }

    let constrained: Vec<&ClauseKind> = kinds.iter().filter(|k| **k != ClauseKind::Any).collect();
    let admitted = Admitted::union(pep440_alternatives);
    let pin = if constrained.is_empty() {
        Pin::None
    } else {
        let single_wildcard =
            alternatives.len() == 1 && matches!(constrained.as_slice(), [ClauseKind::Wildcard]);
        admitted.pin(single_wildcard)
    };
    Ok(Constraint {
        clauses,
        pin,
        admitted,
    })
}

/// Split one alternative into clauses at commas and at whitespace before an operator
/// or version (`>=1.2 <2`, `>= 1.2, < 2`).
fn split_alternative(input: &str, span: Span) -> Vec<(String, String, Span)> {
    let bytes = input.as_bytes();
    let is_operator = |b: u8| b"<>=!~^".contains(&b);
    let mut clauses = Vec::new();
    let mut pos = span.start;
    while pos < span.end {
        while pos < span.end && (bytes[pos].is_ascii_whitespace() || bytes[pos] == b',') {
            pos += 1;
        }
        if pos >= span.end {
            break;
        }
        let start = pos;
        while pos < span.end && is_operator(bytes[pos]) {
            pos += 1;
        }
        let operator = input[start..pos].to_string();
        while pos < span.end && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let version_start = pos;
        while pos < span.end && !bytes[pos].is_ascii_whitespace() && bytes[pos] != b',' {
            pos += 1;
        }
        clauses.push((operator, input[version_start..pos].to_string(), start..pos));
    }
    clauses
}

fn clause_kind(operator: &str, version: &str) -> Result<ClauseKind, String> {
    if !OPERATORS.contains(&operator) {
        return Err(format!("unknown operator `{operator}`"));
    }
    if version.is_empty() {
        return Err(format!("missing version after `{operator}`"));
    }
    let equality = matches!(operator, "" | "=" | "==");
    // poetry-core reads `*`, `*.*`, `x.x`, `v*`, `v*.*` (`v?[xX*](\.[xX*])*`) as any
    // version.
    let any_version = {
        let bare = version.strip_prefix(['v', 'V']).unwrap_or(version);
        bare.split('.').all(|part| matches!(part, "*" | "x" | "X"))
    };
    if any_version && operator.is_empty() {
        return Ok(ClauseKind::Any);
    }
    if version == "*" {
        return if operator.is_empty() {
            Ok(ClauseKind::Any)
        } else {
            Err(format!("`{operator}*` is not a constraint; use `*` alone"))
        };
    }
    // `1.2.*`, `1.2.x`: a release series.
    let series = version.trim_end_matches(['*', 'x', 'X', '.']);
    let suffix = &version[series.len()..];
    let is_series = suffix.starts_with('.')
        && suffix
            .split('.')
            .skip(1)
            .all(|part| matches!(part, "*" | "x" | "X"));
    if is_series {
        if Version::from_str(series).is_err() {
            return Err(format!("invalid version `{version}`"));
        }
        if matches!(operator, "^" | "~" | "~=") {
            return Err(format!("`{operator}` does not take a wildcard version"));
        }
        return Ok(if equality {
            ClauseKind::Wildcard
        } else {
            ClauseKind::Range
        });
    }
    match Version::from_str(version) {
        Ok(parsed) if equality => Ok(ClauseKind::Exact(parsed)),
        Ok(_) => Ok(ClauseKind::Range),
        Err(err) => Err(format!("invalid version `{version}`: {err}")),
    }
}

/// One Poetry clause as PEP 440 clauses (none for any version); `None` for one
/// PEP 440 cannot say.
pub fn pep440_clauses(operator: &str, version: &str) -> Option<Vec<String>> {
    // `*`, `*.*`, `x.x`, `v*.*`: any version, as poetry-core reads them.
    let bare = version.strip_prefix(['v', 'V']).unwrap_or(version);
    if bare.split('.').all(|part| matches!(part, "*" | "x" | "X")) {
        return operator.is_empty().then(Vec::new);
    }
    // `1.2.*` and `1.2.x` are release series.
    let series = version.trim_end_matches(['*', 'x', 'X', '.']);
    if series.len() < version.len() && version[series.len()..].starts_with('.') {
        return match operator {
            "" | "=" | "==" => Some(vec![format!("=={series}.*")]),
            "!=" => Some(vec![format!("!={series}.*")]),
            _ => None,
        };
    }
    let parsed = Version::from_str(version).ok()?;
    Some(match operator {
        "" | "=" | "==" => vec![format!("=={version}")],
        "<>" | "!=" => vec![format!("!={version}")],
        ">" | ">=" | "<" | "<=" | "~=" => vec![format!("{operator}{version}")],
        "^" => {
            let release = parsed.release();
            // The first non-zero part may not change; `^0.0` keeps `0.0`.
            let keep = release
                .iter()
                .position(|&part| part != 0)
                .unwrap_or(release.len().saturating_sub(1));
            vec![format!(">={version}"), format!("<{}", bump(&release, keep))]
        }
        "~" => {
            let release = parsed.release();
            let keep = if release.len() == 1 { 0 } else { 1 };
            vec![format!(">={version}"), format!("<{}", bump(&release, keep))]
        }
        _ => return None,
    })
}

/// The release with part `index` incremented and everything after it dropped.
fn bump(release: &[u64], index: usize) -> String {
    let mut parts: Vec<u64> = release.iter().take(index + 1).copied().collect();
    if let Some(last) = parts.last_mut() {
        *last += 1;
    }
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(input: &str) -> Pin {
        parse_constraint(input)
            .unwrap_or_else(|e| panic!("{input}: {e:?}"))
            .pin
    }

    #[test]
    fn pins_of_poetry_constraints() {
        for (input, expected) in [
            ("1.2.3", Pin::Exact),
            ("=1.2.3", Pin::Exact),
            ("==1.2.3", Pin::Exact),
            ("v1.2.3", Pin::Exact),
            (" 1.2.3 ", Pin::Exact),
            ("==1.0, ==1.0.0", Pin::Exact),
            ("*", Pin::None),
            ("", Pin::None),
            ("1.2.*", Pin::Wildcard),
            ("==1.2.*", Pin::Wildcard),
            ("1.x", Pin::Wildcard),
            ("^1.2", Pin::Range),
            ("~1.2", Pin::Range),
            ("~=1.2", Pin::Range),
            (">=1.2,<2.0", Pin::Range),
            (">= 1.2, < 2.0", Pin::Range),
            (">=1.2 <2.0", Pin::Range),
            ("!=1.2.*", Pin::Range),
            ("1.2.3 || 1.2.4", Pin::Range),
            ("^1.0|^2.0", Pin::Range),
            ("==1.0,==2.0", Pin::Unsatisfiable),
            // Judged by the versions admitted, not by the spelling.
            (">=1.2,<=1.2", Pin::Exact),
            (">=1.2 <=1.2.0", Pin::Exact),
            ("1.2.3 || 1.2.3", Pin::Exact),
            ("^1.0,<1.0", Pin::Unsatisfiable),
            ("~1.2,<1.2", Pin::Unsatisfiable),
            ("^1.0,<1.0 || 2.0", Pin::Exact),
        ] {
            assert_eq!(pin(input), expected, "{input:?}");
        }
    }

    #[test]
    fn clauses_keep_operators_and_spans() {
        let input = ">= 1.2, <2 || ^3";
        let parsed = parse_constraint(input).unwrap();
        let clauses: Vec<(&str, &str, &str)> = parsed
            .clauses
            .iter()
            .map(|(op, v, span)| (op.as_str(), v.as_str(), &input[span.clone()]))
            .collect();
        assert_eq!(
            clauses,
            vec![(">=", "1.2", ">= 1.2"), ("<", "2", "<2"), ("^", "3", "^3")]
        );
        let bare = parse_constraint("1.0").unwrap();
        assert_eq!(bare.clauses, vec![(String::new(), "1.0".into(), 0..3)]);
    }

    #[test]
    fn malformed_constraints_point_at_the_bad_clause() {
        for (input, bad) in [
            ("^", "^"),
            (">=1.0, <foo", "<foo"),
            ("^1.0 ||", "||"),
            ("===1.0", "===1.0"),
            ("=>1.0", "=>1.0"),
            (">=*", ">=*"),
            ("^1.*", "^1.*"),
            ("latest", "latest"),
        ] {
            let (_, span) = parse_constraint(input).unwrap_err();
            assert_eq!(&input[span], bad, "{input:?}");
        }
    }
}
