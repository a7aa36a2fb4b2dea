//! Where an npm, pnpm or yarn lock entry comes from, as a [`Source`], and the version
//! text it records: shared by the three JavaScript lock readers.

use super::Source;
use crate::manifest::pep508::is_full_commit;

/// The source of a resolved URL or protocol reference (`link:../lib`,
/// `git+ssh://…#<commit>`, `https://registry.npmjs.org/…`): a registry tarball is the
/// index, a local reference is reproducible, git is reproducible at a full commit.
pub fn of_reference(reference: &str) -> Source {
    let lower = reference.to_ascii_lowercase();
    let local = ["link:", "file:", "workspace:", "portal:"]
        .iter()
        .any(|prefix| lower.starts_with(prefix));
    if local {
        return Source::Reproducible(format!("the local path `{reference}`"));
    }
    let git = lower.starts_with("git+")
        || lower.starts_with("git://")
        || lower.starts_with("github:")
        || lower.starts_with("github.com/")
        || lower.contains(".git#")
        || lower.contains("#commit=");
    if git {
        let commit = reference
            .rsplit(['#', '/', '='])
            .next()
            .filter(|rev| is_full_commit(rev));
        let text = format!("git (`{reference}`)");
        return match commit {
            Some(_) => Source::Reproducible(text),
            None => Source::Direct(text),
        };
    }
    Source::Index
}

/// A version as a lock writes it, without pnpm's peer suffix (`18.2.0(react@18.2.0)`)
/// or an alias's name (`react@18.2.0`, `npm:react@18.2.0`).
pub fn bare_version(text: &str) -> &str {
    let text = text.split('(').next().unwrap_or(text).trim();
    let text = text.strip_prefix("npm:").unwrap_or(text);
    match text.char_indices().skip(1).find(|(_, c)| *c == '@') {
        Some((at, _)) => &text[at + 1..],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_versions() {
        let sha = "5b6aa1a6bc5ad4d5f2ec4ed5d1b6c89d4d1e59b2";
        assert_eq!(
            of_reference("https://registry.npmjs.org/a/-/a-1.0.0.tgz"),
            Source::Index
        );
        assert!(matches!(
            of_reference("link:../lib"),
            Source::Reproducible(_)
        ));
        assert!(matches!(
            of_reference(&format!("git+ssh://git@github.com/o/r.git#{sha}")),
            Source::Reproducible(_)
        ));
        assert!(matches!(
            of_reference(&format!("github.com/o/r/{sha}")),
            Source::Reproducible(_)
        ));
        assert!(matches!(
            of_reference("git+https://github.com/o/r.git#main"),
            Source::Direct(_)
        ));
        assert_eq!(bare_version("18.2.0(react@18.2.0)"), "18.2.0");
        assert_eq!(bare_version("npm:react@18.2.0"), "18.2.0");
        assert_eq!(bare_version("@s/n@1.0.0"), "1.0.0");
        assert_eq!(bare_version("4.17.21"), "4.17.21");
    }
}
