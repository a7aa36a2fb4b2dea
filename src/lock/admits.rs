//! Whether a requirement's specifier admits a version, for every dialect the
//! manifests use: PEP 440 (requirement strings), pipenv (`*`, a bare version means
//! `==`) and Poetry (`^`, `~`, bare versions, `1.2.*`/`1.x`, `||` alternatives).

use std::str::FromStr;

use uv_pep440::{Version, VersionSpecifiers};

use crate::manifest::pep508::{split_clauses, trim_span};
use crate::manifest::{ManifestKind, Requirement};

/// Whether the Poetry constraint syntax applies to this requirement.
pub fn is_poetry(kind: ManifestKind, req: &Requirement) -> bool {
    kind == ManifestKind::Pyproject && req.section.starts_with("tool.poetry.")
}

/// `Some(true)` when `version` satisfies the requirement's specifier, `None` when the
/// specifier cannot be interpreted (it is then reported as a parse error elsewhere).
pub fn admits(kind: ManifestKind, req: &Requirement, version: &Version) -> Option<bool> {
    let alternatives = alternatives(kind, req)?;
    Some(
        alternatives
            .iter()
            .any(|specifiers| specifiers.contains(version)),
    )
}

/// The specifier as PEP 440 alternatives: a version is admitted when any one of them
/// contains it. No specifier is one empty alternative (any version).
fn alternatives(kind: ManifestKind, req: &Requirement) -> Option<Vec<VersionSpecifiers>> {
    let specifier = req.specifier.trim();
    if is_poetry(kind, req) {
        return specifier
            .split('|')
            .map(str::trim)
            .filter(|alternative| !alternative.is_empty())
            .map(poetry_alternative)
            .collect::<Option<Vec<_>>>()
            .filter(|alternatives| !alternatives.is_empty());
    }
    if specifier.is_empty() || (kind == ManifestKind::Pipfile && specifier == "*") {
        return Some(vec![VersionSpecifiers::empty()]);
    }
    if kind == ManifestKind::Pipfile {
        // pipenv prepends `==` to a specifier that starts without an operator.
        let clauses = split_clauses(specifier, trim_span(specifier, 0..specifier.len()));
        let pep440: Vec<String> = clauses
            .iter()
            .enumerate()
            .map(|(index, (operator, version, _))| match operator.as_str() {
                "" if index == 0 => format!("=={version}"),
                _ => format!("{operator}{version}"),
            })
            .collect();
        return VersionSpecifiers::from_str(&pep440.join(","))
            .ok()
            .map(|s| vec![s]);
    }
    VersionSpecifiers::from_str(specifier).ok().map(|s| vec![s])
}

/// One Poetry alternative (clauses joined by `,` or whitespace) in PEP 440.
fn poetry_alternative(alternative: &str) -> Option<VersionSpecifiers> {
    let mut pep440 = Vec::new();
    for (operator, version) in poetry_clauses(alternative) {
        pep440.extend(poetry_clause(&operator, &version)?);
    }
    VersionSpecifiers::from_str(&pep440.join(",")).ok()
}

/// Split at commas and at whitespace before an operator or a version.
fn poetry_clauses(input: &str) -> Vec<(String, String)> {
    let bytes = input.as_bytes();
    let is_operator = |b: u8| b"<>=!~^".contains(&b);
    let mut clauses = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        while pos < bytes.len() && (bytes[pos].is_ascii_whitespace() || bytes[pos] == b',') {
            pos += 1;
        }
        if pos >= bytes.len() {
            break;
        }
        let start = pos;
        while pos < bytes.len() && is_operator(bytes[pos]) {
            pos += 1;
        }
        let operator = input[start..pos].to_string();
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let version_start = pos;
        while pos < bytes.len() && !bytes[pos].is_ascii_whitespace() && bytes[pos] != b',' {
            pos += 1;
        }
        clauses.push((operator, input[version_start..pos].to_string()));
    }
    clauses
}

/// One Poetry clause as PEP 440 clauses (none for any version).
fn poetry_clause(operator: &str, version: &str) -> Option<Vec<String>> {
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
    use crate::manifest::Pin;

    fn req(section: &str, specifier: &str) -> Requirement {
        Requirement {
            span: 0..0,
            name: Some("pkg".into()),
            name_span: None,
            extras: Vec::new(),
            specifier: specifier.into(),
            specifier_span: None,
            clauses: Vec::new(),
            marker: None,
            marker_span: None,
            url: None,
            hashes: Vec::new(),
            editable: false,
            section: section.to_string().into(),
            pin: Pin::Range,
            standing: Default::default(),
        }
    }

    fn check(kind: ManifestKind, section: &str, specifier: &str, version: &str) -> Option<bool> {
        admits(
            kind,
            &req(section, specifier),
            &Version::from_str(version).unwrap(),
        )
    }

    #[test]
    fn pep440_specifiers() {
        let pep = |s: &str, v: &str| check(ManifestKind::Requirements, "requirements", s, v);
        assert_eq!(pep(">=2,<3", "2.32.3"), Some(true));
        assert_eq!(pep(">=2,<3", "3.0"), Some(false));
        assert_eq!(pep("==1.*", "1.26.4"), Some(true));
        assert_eq!(pep("~=2.3", "2.9.1"), Some(true));
        assert_eq!(pep("~=2.3.0", "2.4.0"), Some(false));
        assert_eq!(pep("==1.0", "1.0.0"), Some(true));
        assert_eq!(pep("", "9"), Some(true));
        assert_eq!(pep(">=>1", "1"), None);
    }

    #[test]
    fn pipfile_specifiers() {
        let pip = |s: &str, v: &str| check(ManifestKind::Pipfile, "packages", s, v);
        assert_eq!(pip("*", "1.0"), Some(true));
        assert_eq!(pip("4.2.16", "4.2.16"), Some(true));
        assert_eq!(pip("4.2.16", "4.2.17"), Some(false));
        assert_eq!(pip(">=4.2,<5", "4.2.16"), Some(true));
    }

    #[test]
    fn poetry_constraints() {
        let poetry =
            |s: &str, v: &str| check(ManifestKind::Pyproject, "tool.poetry.dependencies", s, v);
        assert_eq!(poetry("^2.31", "2.32.3"), Some(true));
        assert_eq!(poetry("^2.31", "3.0.0"), Some(false));
        assert_eq!(poetry("^0.2.3", "0.2.9"), Some(true));
        assert_eq!(poetry("^0.2.3", "0.3.0"), Some(false));
        assert_eq!(poetry("^0.0.3", "0.0.4"), Some(false));
        assert_eq!(poetry("^0", "0.9"), Some(true));
        assert_eq!(poetry("~1.2.3", "1.2.9"), Some(true));
        assert_eq!(poetry("~1.2.3", "1.3.0"), Some(false));
        assert_eq!(poetry("~1", "1.9"), Some(true));
        assert_eq!(poetry("1.2.3", "1.2.3"), Some(true));
        assert_eq!(poetry("1.2.3", "1.2.4"), Some(false));
        assert_eq!(poetry("1.2.*", "1.2.4"), Some(true));
        assert_eq!(poetry("1.x", "2.0"), Some(false));
        assert_eq!(poetry("*", "5"), Some(true));
        assert_eq!(poetry(">=1.2 <2.0", "1.9"), Some(true));
        assert_eq!(poetry(">= 1.2, < 2.0", "2.0"), Some(false));
        assert_eq!(poetry("^1.0 || ^3.0", "3.1"), Some(true));
        assert_eq!(poetry("^1.0 || ^3.0", "2.1"), Some(false));
        assert_eq!(poetry("<>1.5", "1.5"), Some(false));
        assert_eq!(poetry("^1.x", "1.0"), None);
        // Outside Poetry tables, `^` is not an operator.
        assert_eq!(
            check(
                ManifestKind::Pyproject,
                "project.dependencies",
                "^1.0",
                "1.0"
            ),
            None
        );
    }
}
