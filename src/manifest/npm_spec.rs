//! npm dependency specs (the values of `package.json` dependency tables, pnpm catalogs,
//! overrides and resolutions) and what they pin.
//!
//! npm's range grammar (`^`, `~`, `x`-ranges, hyphen ranges, `||` unions, comparator
//! sets) is read with `nodejs-semver`: a maintained port of node-semver, the module npm
//! itself uses, with the same loose parsing (`v1.2.3`, `=1.2.3`) and the same
//! satisfaction rules (pre-releases only within their own release tuple), so a version
//! a lock resolved is judged against a range exactly as npm judges it. (The `semver`
//! crate implements Cargo's requirement grammar, which differs: no `||`, no hyphen
//! ranges, other caret and pre-release rules.)
//!
//! The protocols around the range follow npm-package-arg and the pnpm and yarn
//! documentation: `npm:name@range` aliases are judged by their range; git URLs
//! (`git+https://…`, `git://…`, `github:owner/repo`, `owner/repo`) by the ref after
//! `#`; tarball URLs are direct URLs; `workspace:`, `file:`, `link:`, `portal:` and
//! relative paths name code of the checkout, and `catalog:` an entry of
//! `pnpm-workspace.yaml`, which is read as a manifest of its own.

use std::borrow::Cow;

use nodejs_semver::{Range, Version};

use super::pep508::is_full_commit;
use super::{Clause, Pin, Requirement, Span, UrlRef};

/// What an npm spec names, with byte ranges into the spec's text.
#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    /// A version or range (or a dist-tag such as `latest`) at `range` in the text.
    Range { range: Span, pin: Pin },
    /// A git repository, at the ref after `#` if any.
    Git { rev: Option<String> },
    /// A tarball URL.
    Tarball,
    /// Code of this checkout or of the workspace configuration: `workspace:`, `file:`,
    /// `link:`, `portal:`, a relative path, `catalog:`.
    Local,
    /// A protocol this reader does not judge (`patch:`, `exec:`, `$name` references to
    /// another entry): no requirement is made, so nothing is flagged wrongly.
    Other,
}

/// How a version or range pins: one version, any version, or several.
pub fn range_pin(text: &str) -> Pin {
    let trimmed = text.trim();
    if matches!(trimmed, "" | "*" | "x" | "X") {
        return Pin::None;
    }
    if is_exact_version(trimmed) {
        return Pin::Exact;
    }
    // A range, or a dist-tag (`latest`, `next`): either way the version is decided at
    // install time.
    Pin::Range
}

/// One semver version (npm's loose form: a leading `=` or `v`, surrounding spaces).
pub fn is_exact_version(text: &str) -> bool {
    let text = text.trim();
    let bare = text.trim_start_matches(['=', 'v']).trim_start();
    let version_chars = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+');
    if !bare.bytes().all(version_chars) {
        return false;
    }
    // Exactly three numeric components; `1.2` is the range `1.2.x` to npm.
    let core = bare.split(['-', '+']).next().unwrap_or("");
    core.split('.').count() == 3 && Version::parse(bare).is_ok()
}

/// Whether `version` (as a lock writes it) satisfies `range` under npm's rules; `None`
/// when either cannot be read. A dist-tag (`latest`, `next`) is satisfied by whatever
/// the lock resolved: that was the tag's version when the lock was written, and npm
/// installs it from the lock without asking the registry again.
pub fn satisfies(range: &str, version: &str) -> Option<bool> {
    let version = Version::parse(version.trim()).ok()?;
    let range = range.trim();
    let range = if range.is_empty() { "*" } else { range };
    match Range::parse(range) {
        Ok(range) => Some(range.satisfies(&version)),
        Err(_) if is_dist_tag(range) => Some(true),
        Err(_) => None,
    }
}

/// A dist-tag name: a letter, then letters, digits, `.`, `_` or `-` (not a version).
fn is_dist_tag(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Read a spec; the range of an `npm:name@range` alias is the part after the name.
pub fn classify(spec: &str) -> Spec {
    let lower_starts = |prefix: &str| {
        spec.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    };
    if lower_starts("npm:") {
        let rest = &spec[4..];
        // `npm:@scope/name@range`: the `@` of a scope starts the name.
        let at = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '@')
            .map(|(at, _)| at);
        return match at {
            Some(at) => {
                let start = 4 + at + 1;
                Spec::Range {
                    range: start..spec.len(),
                    pin: range_pin(&spec[start..]),
                }
            }
            None => Spec::Range {
                range: spec.len()..spec.len(),
                pin: Pin::None,
            },
        };
    }
    for local in ["workspace:", "file:", "link:", "portal:", "catalog:"] {
        if lower_starts(local) {
            return Spec::Local;
        }
    }
    if spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == ".." {
        return Spec::Local;
    }
    let git_prefixes = [
        "git+",
        "git://",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
    ];
    if git_prefixes.iter().any(|prefix| lower_starts(prefix)) {
        return git(spec);
    }
    if lower_starts("http://") || lower_starts("https://") {
        // A URL to a repository with `.git` is cloned; anything else is a tarball.
        let without_ref = spec.split('#').next().unwrap_or(spec);
        return if without_ref.ends_with(".git") {
            git(spec)
        } else {
            Spec::Tarball
        };
    }
    // `owner/repo` (GitHub shorthand), never a scoped name or a path.
    if let Some((owner, repo)) = spec.split('#').next().unwrap_or("").split_once('/')
        && !owner.is_empty()
        && !repo.is_empty()
        && !owner.starts_with(['@', '.', '~', '/', '<', '>', '=', '^'])
        && !owner.contains(['|', '*'])
        && !spec.contains([' ', ':', '<', '>', '='])
    {
        return git(spec);
    }
    // `~/` is a path; `~1.2` a range.
    let path = spec.starts_with('/') || spec.starts_with("~/");
    if path || spec.contains(':') || spec.starts_with('$') {
        // An absolute path, or a protocol not judged here.
        return if path { Spec::Local } else { Spec::Other };
    }
    Spec::Range {
        range: 0..spec.len(),
        pin: range_pin(spec),
    }
}

fn git(spec: &str) -> Spec {
    let rev = spec
        .split_once('#')
        .map(|(_, rev)| rev.to_string())
        .filter(|rev| !rev.is_empty());
    Spec::Git { rev }
}

/// The requirement an npm spec makes, or `None` for one not judged here.
///
/// `span_of` maps a byte range of `spec` to a span of the file (exact when the spec is
/// written verbatim, the whole value otherwise).
pub fn requirement(
    name: &str,
    name_span: Span,
    spec: &str,
    span: Span,
    span_of: impl Fn(Span) -> Span,
    section: &str,
) -> Option<Requirement> {
    let mut req = Requirement::named(span, name, name_span, section);
    let url = |vcs: Option<&str>, rev: Option<String>, local: bool| {
        Box::new(UrlRef {
            url: spec.to_string(),
            span: span_of(0..spec.len()),
            vcs: vcs.map(str::to_string),
            rev,
            hash_fragment: false,
            local_path: local,
        })
    };
    match classify(spec) {
        Spec::Range { range, pin } => {
            let text = &spec[range.clone()];
            req.pin = pin;
            // The version span, even for `*` or an empty value, so a fix has a place to
            // write the locked version.
            let spec_span = span_of(range);
            req.specifier_span = Some(spec_span.clone());
            req.specifier = text.into();
            if pin != Pin::None || !text.trim().is_empty() {
                req.clauses.push(Clause {
                    operator: Cow::Borrowed(""),
                    version: text.into(),
                    span: spec_span,
                });
            }
        }
        Spec::Git { rev } => {
            req.pin = match &rev {
                Some(rev) if is_full_commit(rev) => Pin::VcsCommit,
                _ => Pin::VcsRef,
            };
            req.url = Some(url(Some("git"), rev, false));
        }
        Spec::Tarball => {
            req.pin = Pin::Url;
            req.url = Some(url(None, None, false));
        }
        Spec::Local => {
            req.pin = Pin::Url;
            req.url = Some(url(None, None, true));
        }
        Spec::Other => return None,
    }
    Some(req)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_versions() {
        for exact in [
            "1.2.3",
            "v1.2.3",
            "=1.2.3",
            " 1.2.3 ",
            "1.0.0-rc.1",
            "1.0.0+b.1",
        ] {
            assert_eq!(range_pin(exact), Pin::Exact, "{exact}");
        }
        for none in ["", "*", "x", " * "] {
            assert_eq!(range_pin(none), Pin::None, "{none}");
        }
        for range in [
            "^1.2.3",
            "~1.2.3",
            ">=1.0.0",
            "1.x",
            "1.2",
            "1",
            "1.2.3 - 2.0.0",
            "^1 || ^2",
            "latest",
            "next",
            ">=1.2.3 <=1.2.3",
            "1.2.3.4",
        ] {
            assert_eq!(range_pin(range), Pin::Range, "{range}");
        }
    }

    #[test]
    fn satisfaction_follows_npm() {
        assert_eq!(satisfies("^4.17.0", "4.17.21"), Some(true));
        assert_eq!(satisfies("^4.17.0", "5.0.0"), Some(false));
        assert_eq!(satisfies("^0.2.3", "0.3.0"), Some(false));
        assert_eq!(satisfies("~1.2.3", "1.2.9"), Some(true));
        assert_eq!(satisfies("1.x || >=3", "3.1.0"), Some(true));
        assert_eq!(satisfies("1.0.0 - 2.0.0", "2.0.0"), Some(true));
        // A pre-release satisfies a range only within its own release tuple.
        assert_eq!(satisfies("^1.0.0", "1.1.0-beta.1"), Some(false));
        assert_eq!(satisfies("", "9.9.9"), Some(true));
        assert_eq!(satisfies("latest", "1.0.0"), Some(true));
        assert_eq!(satisfies("next-2", "1.0.0-rc.1"), Some(true));
        assert_eq!(satisfies(">=>1", "1.0.0"), None);
    }

    #[test]
    fn protocols() {
        let sha = "5b6aa1a6bc5ad4d5f2ec4ed5d1b6c89d4d1e59b2";
        assert_eq!(
            classify("npm:react@^18.2.0"),
            Spec::Range {
                range: 10..17,
                pin: Pin::Range
            }
        );
        assert_eq!(
            classify("npm:@types/node@20.1.0"),
            Spec::Range {
                range: 16..22,
                pin: Pin::Exact
            }
        );
        for local in [
            "workspace:*",
            "workspace:^1.0.0",
            "file:../lib",
            "link:../lib",
            "catalog:",
            "catalog:react18",
            "./vendor/pkg.tgz",
            "../lib",
        ] {
            assert_eq!(classify(local), Spec::Local, "{local}");
        }
        assert_eq!(
            classify(&format!("github:owner/repo#{sha}")),
            Spec::Git {
                rev: Some(sha.into())
            }
        );
        assert_eq!(
            classify("git+https://github.com/o/r.git#v1.0.0"),
            Spec::Git {
                rev: Some("v1.0.0".into())
            }
        );
        assert_eq!(classify("owner/repo"), Spec::Git { rev: None });
        assert_eq!(
            classify("https://github.com/o/r.git#semver:^1"),
            Spec::Git {
                rev: Some("semver:^1".into())
            }
        );
        assert_eq!(
            classify("https://registry.example/pkg/-/pkg-1.0.0.tgz"),
            Spec::Tarball
        );
        for other in ["patch:lodash@npm%3A4.17.21#./p.patch", "$react", "exec:./x"] {
            assert_eq!(classify(other), Spec::Other, "{other}");
        }
    }
}
