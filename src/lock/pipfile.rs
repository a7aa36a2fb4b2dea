//! `Pipfile.lock` (JSON): `_meta`, then one object per category (`default`,
//! `develop`, and any custom category), each mapping a name to `version: "==X"` or to
//! a VCS, path or file source.

use serde_json::Value;

use super::{LockFile, LockFormat, Source};

pub fn parse(text: &str) -> Result<LockFile, String> {
    let root: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Value::Object(categories) = root else {
        return Err("expected a JSON object".into());
    };
    let mut file = LockFile::new(LockFormat::Pipfile);
    for (category, packages) in &categories {
        if category == "_meta" {
            continue;
        }
        let Value::Object(packages) = packages else {
            continue;
        };
        for (name, entry) in packages {
            let text = |key: &str| entry.get(key).and_then(Value::as_str);
            let direct = ["git", "hg", "svn", "bzr"]
                .into_iter()
                .find_map(|vcs| text(vcs).map(|url| format!("{vcs} (`{url}`)")))
                .or_else(|| text("path").map(|p| format!("the local path `{p}`")))
                .or_else(|| text("file").map(|f| format!("`{f}`")));
            let source = direct.map_or(Source::Index, Source::Direct);
            // Versions are written as specifiers: `==2.32.3`.
            let version = text("version").map(|v| v.trim().trim_start_matches('='));
            let hashes = entry
                .get("hashes")
                .and_then(Value::as_array)
                .map(|hashes| {
                    hashes
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            file.add_hashed(name, version, source, hashes);
        }
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"{
    "_meta": {
        "hash": {
            "sha256": "6c1a2f1b0c5e3d9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f"
        },
        "pipfile-spec": 6,
        "requires": {
            "python_version": "3.11"
        },
        "sources": [
            {
                "name": "pypi",
                "url": "https://pypi.org/simple",
                "verify_ssl": true
            }
        ]
    },
    "default": {
        "django": {
            "hashes": [
                "sha256:1ddc333a16fc139fd253035a1606bb24261951bbc3a6ca256717fa06cc41a898"
            ],
            "index": "pypi",
            "markers": "python_version >= '3.10'",
            "version": "==5.0.7"
        },
        "mylib": {
            "editable": true,
            "git": "https://github.com/example-org/mylib.git",
            "ref": "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"
        }
    },
    "develop": {
        "pytest": {
            "hashes": [],
            "index": "pypi",
            "version": "==8.2.2"
        }
    }
}
"#;

    #[test]
    fn categories_versions_and_sources() {
        let file = parse(LOCK).unwrap();
        assert_eq!(
            file.get("django")[0].version.as_ref().unwrap().text,
            "5.0.7"
        );
        assert_eq!(
            file.get("pytest")[0].version.as_ref().unwrap().text,
            "8.2.2"
        );
        assert!(matches!(&file.get("mylib")[0].source, Source::Direct(s) if s.starts_with("git")));
        assert!(file.get("_meta").is_empty());
    }

    #[test]
    fn invalid_json_is_an_error() {
        assert!(parse("{\"default\": ").is_err());
        assert!(parse("[1, 2]").is_err());
    }
}
