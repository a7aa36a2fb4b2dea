//! `package-lock.json` and `npm-shrinkwrap.json`: lockfile versions 2 and 3 list every
//! installed package under `packages`, keyed by its path (`node_modules/react`);
//! version 1 nests them under `dependencies`. The packages at the top of
//! `node_modules` are the ones the root project's manifest resolves (npm hoists each
//! direct dependency there), and a workspace member's own `node_modules` holds the ones
//! it resolves differently.

use serde::Deserialize;
use std::collections::BTreeMap;

use super::npm_source::of_reference;
use super::{LockFile, LockFormat, Source};

#[derive(Deserialize)]
struct PackageLock {
    #[serde(default)]
    packages: BTreeMap<String, Entry>,
    /// Lockfile version 1.
    #[serde(default)]
    dependencies: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
struct Entry {
    version: Option<String>,
    resolved: Option<String>,
    #[serde(default)]
    link: bool,
}

pub fn parse(text: &str) -> Result<LockFile, String> {
    let lock: PackageLock = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let mut file = LockFile::new(LockFormat::Npm);
    // The root is `""`; a workspace member is listed under its own path.
    let members = lock
        .packages
        .keys()
        .filter(|path| !path.is_empty() && !path.contains("node_modules/"))
        .cloned()
        .chain(std::iter::once(".".to_string()))
        .collect();
    file.workspace_members = Some(members);
    for (path, entry) in &lock.packages {
        // `node_modules/a` or `packages/web/node_modules/a`, not `node_modules/a/node_modules/b`.
        let Some((owner, name)) = path.rsplit_once("node_modules/") else {
            continue;
        };
        if owner.contains("node_modules/") || name.is_empty() {
            continue;
        }
        add(&mut file, name, entry);
    }
    if lock.packages.is_empty() {
        for (name, entry) in &lock.dependencies {
            add(&mut file, name, entry);
        }
    }
    Ok(file)
}

fn add(file: &mut LockFile, name: &str, entry: &Entry) {
    if entry.link {
        let target = entry.resolved.as_deref().unwrap_or(name);
        file.add(
            name,
            None,
            Source::Reproducible(format!("the local path `{target}`")),
        );
        return;
    }
    let reference = entry.resolved.as_deref().or(entry.version.as_deref());
    match reference.map(of_reference) {
        Some(Source::Index) | None => file.add(name, entry.version.as_deref(), Source::Index),
        Some(source) => file.add(name, None, source),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_packages() {
        let text = r#"{"lockfileVersion": 3, "packages": {
            "": {"dependencies": {"react": "^18.2.0"}},
            "node_modules/react": {"version": "18.2.0", "resolved": "https://registry.npmjs.org/react/-/react-18.2.0.tgz", "integrity": "sha512-x"},
            "node_modules/a/node_modules/react": {"version": "17.0.2"},
            "node_modules/@s/n": {"version": "1.0.0"},
            "node_modules/web": {"resolved": "packages/web", "link": true},
            "packages/web/node_modules/react": {"version": "18.3.1"},
            "node_modules/g": {"version": "1.0.0", "resolved": "git+ssh://git@github.com/o/g.git#main"}
        }}"#;
        let lock = parse(text).unwrap();
        let react: Vec<&str> = lock
            .get("react")
            .iter()
            .map(|p| p.version.as_ref().unwrap().text.as_str())
            .collect();
        assert_eq!(react, ["18.2.0", "18.3.1"]);
        assert_eq!(lock.get("@s/n").len(), 1);
        assert!(matches!(lock.get("web")[0].source, Source::Reproducible(_)));
        assert!(matches!(lock.get("g")[0].source, Source::Direct(_)));
        let v1 = r#"{"lockfileVersion": 1, "dependencies": {"left-pad": {"version": "1.3.0"}}}"#;
        assert_eq!(parse(v1).unwrap().get("left-pad").len(), 1);
        assert!(parse("{").is_err());
    }
}
