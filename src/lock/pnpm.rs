//! `pnpm-lock.yaml` (lockfile versions 5 to 9): the version each importer (the root
//! project, and each workspace member under `importers`) resolved for its direct
//! dependencies. Transitive packages are not listed: a manifest names only direct ones.

use super::npm_source::{bare_version, of_reference};
use super::{LockFile, LockFormat, Source};
use crate::manifest::yaml::{NodeId, Yaml};

const TABLES: [&str; 3] = ["dependencies", "devDependencies", "optionalDependencies"];

pub fn parse(text: &str) -> Result<LockFile, String> {
    let yaml = Yaml::parse(text);
    if let Some((message, _)) = &yaml.error {
        return Err(message.clone());
    }
    let root = yaml.root.ok_or("the file is empty")?;
    if yaml.get(root, "lockfileVersion").is_none() {
        return Err("it has no `lockfileVersion`".to_string());
    }
    let mut file = LockFile::new(LockFormat::Pnpm);
    // pnpm 9 records what each catalog entry resolved to.
    if let Some(catalogs) = yaml.get(root, "catalogs") {
        for (_, catalog) in yaml.entries(catalogs) {
            for (name, entry) in yaml.entries(catalog) {
                if let Some(version) = yaml.scalar_at(entry, "version") {
                    add(&mut file, &name.value, &version.value);
                }
            }
        }
    }
    match yaml.get(root, "importers") {
        Some(importers) => {
            let mut members = Vec::new();
            for (path, importer) in yaml.entries(importers) {
                read_importer(&yaml, importer, &mut file);
                members.push(path.value.clone());
            }
            file.workspace_members = Some(members);
        }
        None => {
            read_importer(&yaml, root, &mut file);
            file.workspace_members = Some(vec![".".to_string()]);
        }
    }
    Ok(file)
}

fn read_importer(yaml: &Yaml, importer: NodeId, file: &mut LockFile) {
    for table in TABLES {
        let Some(table) = yaml.get(importer, table) else {
            continue;
        };
        for (name, entry) in yaml.entries(table) {
            // v6+: `{specifier, version}`; v5: the version alone.
            let version = yaml
                .scalar_at(entry, "version")
                .or_else(|| yaml.scalar(entry));
            let Some(version) = version else {
                continue;
            };
            add(file, &name.value, &version.value);
        }
    }
}

fn add(file: &mut LockFile, name: &str, version: &str) {
    match of_reference(version) {
        Source::Index if !version.contains("://") => {
            file.add(name, Some(bare_version(version)), Source::Index)
        }
        Source::Index => file.add(name, None, Source::Direct(format!("`{version}`"))),
        source => file.add(name, None, source),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v9_importers_and_v5_roots() {
        let v9 = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      react:\n        specifier: ^18.2.0\n        version: 18.2.0\n      lib:\n        specifier: workspace:*\n        version: link:packages/lib\n    devDependencies:\n      vite:\n        specifier: ^5.0.0\n        version: 5.2.8(@types/node@20.12.7)\n  packages/web:\n    dependencies:\n      react:\n        specifier: ^18.0.0\n        version: 18.3.1\npackages:\n  react@18.2.0:\n    resolution: {integrity: sha512-x}\n";
        let lock = parse(v9).unwrap();
        let versions: Vec<&str> = lock
            .get("react")
            .iter()
            .map(|p| p.version.as_ref().unwrap().text.as_str())
            .collect();
        assert_eq!(versions, ["18.2.0", "18.3.1"]);
        assert_eq!(lock.get("vite")[0].version.as_ref().unwrap().text, "5.2.8");
        assert!(matches!(lock.get("lib")[0].source, Source::Reproducible(_)));
        let v5 = "lockfileVersion: 5.4\nspecifiers:\n  left-pad: ^1.3.0\ndependencies:\n  left-pad: 1.3.0\n";
        let lock = parse(v5).unwrap();
        assert_eq!(
            lock.get("left-pad")[0].version.as_ref().unwrap().text,
            "1.3.0"
        );
        assert!(parse("a: 1\n").is_err());
        assert!(parse("[").is_err());
    }
}
