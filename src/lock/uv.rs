//! `uv.lock`: one `[[package]]` table per resolved distribution. A package appears
//! more than once when the resolution forked by environment marker.

use serde::Deserialize;

use super::{LockFile, LockFormat, Source};
use crate::manifest::standing::is_relative_path;

#[derive(Deserialize)]
struct UvLock {
    #[serde(default)]
    package: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: Option<String>,
    #[serde(default)]
    source: toml::Table,
    sdist: Option<toml::Value>,
    wheels: Option<toml::Value>,
}

pub fn parse(text: &str) -> Result<LockFile, String> {
    let lock: UvLock = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let mut file = LockFile::new(LockFormat::Uv);
    for package in lock.package {
        let mut hashes = super::toml_hashes_of(package.sdist.as_ref());
        hashes.extend(super::toml_hashes_of(package.wheels.as_ref()));
        file.add_hashed(
            &package.name,
            package.version.as_deref(),
            source(&package.source),
            hashes,
        );
        if let Some(git) = package.source.get("git").and_then(toml::Value::as_str)
            && let Some(vcs) = resolved_git(git)
        {
            file.resolved(&package.name, vcs);
        }
    }
    Ok(file)
}

/// A uv git source, `URL?rev=…#COMMIT` (or `?branch=`, `?tag=`; no query for the
/// default branch), as what was asked for and what it resolved to.
fn resolved_git(value: &str) -> Option<super::LockedVcs> {
    let (location, commit) = value.rsplit_once('#')?;
    let (url, query) = match location.split_once('?') {
        Some((url, query)) => (url, Some(query)),
        None => (location, None),
    };
    let requested = query.and_then(|query| {
        query.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            matches!(key, "rev" | "branch" | "tag").then(|| value.to_string())
        })
    });
    Some(super::LockedVcs {
        url: url.to_string(),
        requested,
        commit: commit.to_string(),
    })
}

/// `source = { registry = "…" }` is an index; `git`, `url`, `path`, `directory`,
/// `editable` and `virtual` (the project itself or a workspace member) are not. A
/// relative local path and a git URL resolved to a full commit (uv writes it after
/// `#`) still name exactly what is built.
fn source(table: &toml::Table) -> Source {
    if table.is_empty() || table.contains_key("registry") {
        return Source::Index;
    }
    let (kind, value) = table.iter().next().expect("table is not empty");
    let value = value.as_str().unwrap_or_default();
    match kind.as_str() {
        "editable" | "virtual" | "directory" | "path" => {
            let text = format!("the local path `{value}`");
            if is_relative_path(value) {
                Source::Reproducible(text)
            } else {
                Source::Direct(text)
            }
        }
        "git" => {
            let text = format!("git (`{value}`)");
            let commit = value.rsplit_once('#').map(|(_, commit)| commit);
            if commit.is_some_and(|c| c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit())) {
                Source::Reproducible(text)
            } else {
                Source::Direct(text)
            }
        }
        _ => Source::Direct(format!("`{value}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lock::LockedVersion;

    const LOCK: &str = r#"version = 1
revision = 2
requires-python = ">=3.9"
resolution-markers = [
    "python_full_version >= '3.10'",
    "python_full_version < '3.10'",
]

[[package]]
name = "anyio"
version = "4.4.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "idna" },
    { name = "sniffio" },
]
sdist = { url = "https://files.pythonhosted.org/packages/e6/e3/anyio-4.4.0.tar.gz", hash = "sha256:5aadc6a1bbb7cdb0bede386cac5e2940f5e2ff3aa20277e991cf028e0585ce94", size = 163930 }
wheels = [
    { url = "https://files.pythonhosted.org/packages/7b/a2/anyio-4.4.0-py3-none-any.whl", hash = "sha256:c1b2d8f46a8a812513012e1107cb0e68c17159a7a594208005a57dc776e1bdc7", size = 86780 },
]

[[package]]
name = "billing-client"
version = "0.9.2"
source = { git = "https://github.com/example-org/billing-client?rev=main#0d4f3c9b1e2a7f6d5c4b3a291807f6e5d4c3b2a1" }

[[package]]
name = "invoice-service"
version = "1.4.0"
source = { editable = "." }

[[package]]
name = "numpy"
version = "2.0.2"
source = { registry = "https://pypi.org/simple" }
resolution-markers = [
    "python_full_version < '3.10'",
]

[[package]]
name = "numpy"
version = "2.1.3"
source = { registry = "https://pypi.org/simple" }
resolution-markers = [
    "python_full_version >= '3.10'",
]

[[package]]
name = "Pydantic_Settings"
version = "2.3.4"
source = { registry = "https://pypi.org/simple" }
"#;

    #[test]
    fn packages_versions_and_sources() {
        let file = parse(LOCK).unwrap();
        assert_eq!(file.get("anyio")[0].source, Source::Index);
        assert_eq!(
            file.get("anyio")[0]
                .version
                .as_ref()
                .map(|v| v.text.as_str()),
            Some("4.4.0")
        );
        assert_eq!(file.get("numpy").len(), 2);
        assert_eq!(file.get("pydantic-settings").len(), 1);
        assert!(
            matches!(&file.get("billing-client")[0].source, Source::Reproducible(s) if s.starts_with("git"))
        );
        assert!(
            matches!(&file.get("invoice-service")[0].source, Source::Reproducible(s) if s.contains("local path `.`"))
        );
        let version: &LockedVersion = file.get("numpy")[1].version.as_ref().unwrap();
        assert_eq!(version.text, "2.1.3");
    }

    #[test]
    fn invalid_lock_is_an_error_not_a_panic() {
        assert!(parse("[[package]]\nversion = 3").is_err());
        assert!(parse("version = 1\n[[package").is_err());
        assert!(parse("version = 1\n").unwrap().packages.is_empty());
    }
}
