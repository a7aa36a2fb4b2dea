//! `yarn.lock`: yarn 1's own format (a header of descriptors, `name@range`, then
//! indented `version "x"` lines) and yarn 2+'s YAML (`__metadata:` first, then entries
//! with `version:` and `resolution: "name@npm:x"`). Every package of the tree is
//! listed, so a name can have several versions; drift and pins weigh them all.

use super::npm_source::of_reference;
use super::{LockFile, LockFormat, Source};
use crate::manifest::yaml::Yaml;

pub fn parse(text: &str) -> Result<LockFile, String> {
    let berry = text.lines().any(|line| line.trim_end() == "__metadata:");
    if berry {
        parse_berry(text)
    } else {
        Ok(parse_classic(text))
    }
}

/// The package name of a descriptor: `lodash@^4`, `@s/n@npm:1.0.0`, `"a@1"`.
fn descriptor_name(descriptor: &str) -> Option<&str> {
    let descriptor = descriptor.trim().trim_matches('"');
    let at = descriptor
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '@')?
        .0;
    Some(&descriptor[..at])
}

fn parse_classic(text: &str) -> LockFile {
    let mut file = LockFile::new(LockFormat::Yarn);
    let mut names: Vec<String> = Vec::new();
    let mut version: Option<String> = None;
    let mut resolved: Option<String> = None;
    let mut flush =
        |names: &mut Vec<String>, version: &mut Option<String>, resolved: &mut Option<String>| {
            let source = resolved.as_deref().map_or(Source::Index, of_reference);
            for name in names.drain(..) {
                match &source {
                    Source::Index => file.add(&name, version.as_deref(), Source::Index),
                    other => file.add(&name, None, other.clone()),
                }
            }
            *version = None;
            *resolved = None;
        };
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            flush(&mut names, &mut version, &mut resolved);
            let header = line.trim_end().trim_end_matches(':');
            let mut seen: Vec<String> = Vec::new();
            for descriptor in header.split(", ") {
                if let Some(name) = descriptor_name(descriptor)
                    && !seen.iter().any(|s| s == name)
                {
                    seen.push(name.to_string());
                }
            }
            names = seen;
            continue;
        }
        let line = line.trim();
        let value = |key: &str| {
            line.strip_prefix(key)
                .filter(|rest| rest.starts_with(' '))
                .map(|rest| rest.trim().trim_matches('"').to_string())
        };
        if let Some(v) = value("version") {
            version = Some(v);
        } else if let Some(r) = value("resolved") {
            resolved = Some(r);
        }
    }
    flush(&mut names, &mut version, &mut resolved);
    file
}

fn parse_berry(text: &str) -> Result<LockFile, String> {
    let yaml = Yaml::parse(text);
    if let Some((message, _)) = &yaml.error {
        return Err(message.clone());
    }
    let root = yaml.root.ok_or("the file is empty")?;
    let mut file = LockFile::new(LockFormat::Yarn);
    let mut members = Vec::new();
    for (key, entry) in yaml.entries(root) {
        if key.value == "__metadata" {
            continue;
        }
        let resolution = yaml
            .scalar_at(entry, "resolution")
            .map(|s| s.value.as_str());
        let version = yaml.scalar_at(entry, "version").map(|s| s.value.as_str());
        let Some(name) = key.value.split(", ").next().and_then(descriptor_name) else {
            continue;
        };
        // `name@npm:1.2.3` is the registry; `name@workspace:.`, `name@git…`,
        // `name@https://…` are not.
        let reference = resolution
            .and_then(|r| {
                let at = r.char_indices().skip(1).find(|(_, c)| *c == '@')?.0;
                Some(&r[at + 1..])
            })
            .unwrap_or("npm:");
        if let Some(member) = reference.strip_prefix("workspace:") {
            members.push(member.to_string());
        }
        if reference.starts_with("npm:") {
            file.add(name, version, Source::Index);
        } else {
            let source = match of_reference(reference) {
                Source::Index => Source::Direct(format!("`{reference}`")),
                other => other,
            };
            file.add(name, None, source);
        }
    }
    file.workspace_members = Some(members);
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(lock: &LockFile, name: &str) -> Vec<String> {
        lock.get(name)
            .iter()
            .filter_map(|p| p.version.as_ref().map(|v| v.text.clone()))
            .collect()
    }

    #[test]
    fn classic() {
        let text = "# yarn lockfile v1\n\n\n\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n  version \"7.12.13\"\n  resolved \"https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#abc\"\n  integrity sha512-x\n  dependencies:\n    \"@babel/highlight\" \"^7.12.13\"\n\nlodash@^4.17.20, lodash@^4.17.21:\n  version \"4.17.21\"\n\nlodash@^3:\n  version \"3.10.1\"\n";
        let lock = parse(text).unwrap();
        assert_eq!(versions(&lock, "@babel/code-frame"), ["7.12.13"]);
        assert_eq!(versions(&lock, "lodash"), ["4.17.21", "3.10.1"]);
        assert!(lock.get("@babel/highlight").is_empty());
    }

    #[test]
    fn berry() {
        let text = "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\"lodash@npm:^4.17.21\":\n  version: 4.17.21\n  resolution: \"lodash@npm:4.17.21\"\n  checksum: 10c0/abc\n  languageName: node\n  linkType: hard\n\n\"web@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"web@workspace:.\"\n";
        let lock = parse(text).unwrap();
        assert_eq!(versions(&lock, "lodash"), ["4.17.21"]);
        assert!(matches!(lock.get("web")[0].source, Source::Reproducible(_)));
    }
}
