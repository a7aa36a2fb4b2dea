//! Whether a requirement's specifier admits a version, for every dialect the
//! manifests use (see [`admitted`](crate::manifest::admitted)).

use super::LockedVersion;
pub use crate::manifest::admitted::is_poetry;
use crate::manifest::admitted::of_requirement;
use crate::manifest::{ManifestKind, Requirement, npm_spec};

/// `Some(true)` when `version` satisfies the requirement's specifier, `None` when the
/// specifier cannot be interpreted (it is then reported as a parse error elsewhere, or
/// it is an npm dist-tag). npm ranges are judged by npm's rules, on the version's text.
pub fn admits(kind: ManifestKind, req: &Requirement, version: &LockedVersion) -> Option<bool> {
    if kind.is_npm() {
        return npm_spec::satisfies(&req.specifier, &version.text);
    }
    Some(of_requirement(kind, req)?.contains(&version.parsed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Pin;
    use std::str::FromStr;

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
        let version = LockedVersion {
            text: version.to_string(),
            parsed: uv_pep440::Version::from_str(version).unwrap(),
        };
        admits(kind, &req(section, specifier), &version)
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
    fn npm_ranges() {
        let npm = |s: &str, v: &str| check(ManifestKind::PackageJson, "dependencies", s, v);
        assert_eq!(npm("^4.17.0", "4.17.21"), Some(true));
        assert_eq!(npm("^4.17.0", "5.0.0"), Some(false));
        assert_eq!(npm("~1.2.3", "1.3.0"), Some(false));
        assert_eq!(npm("latest", "1.0.0"), Some(true));
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
