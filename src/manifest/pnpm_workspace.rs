//! `pnpm-workspace.yaml`: the catalogs a pnpm workspace's `package.json` files refer to
//! with `catalog:` (`catalog:` is the default catalog, `catalogs.<name>` the named
//! ones), and the `overrides` pnpm 10 reads from here. The versions live here, so they
//! are judged here, with npm's range grammar like `package.json` (see
//! [`npm_spec`](super::npm_spec)).

use super::npm_spec;
use super::yaml::{NodeId, Yaml};
use super::{Item, ParseError};

pub fn parse(text: &str) -> Vec<Item> {
    let yaml = Yaml::parse(text);
    let mut out = Vec::new();
    if let Some(root) = yaml.root {
        if let Some(catalog) = yaml.get(root, "catalog") {
            read_table(&yaml, catalog, "catalog", &mut out);
        }
        if let Some(catalogs) = yaml.get(root, "catalogs") {
            for (name, catalog) in yaml.entries(catalogs) {
                read_table(
                    &yaml,
                    catalog,
                    &format!("catalogs.{}", name.value),
                    &mut out,
                );
            }
        }
        if let Some(overrides) = yaml.get(root, "overrides") {
            read_table(&yaml, overrides, "overrides", &mut out);
        }
    }
    if let Some((message, span)) = yaml.error {
        out.push(Item::ParseError(ParseError { message, span }));
    }
    out.sort_by_key(|item| (item.span().start, item.span().end));
    out
}

fn read_table(yaml: &Yaml, table: NodeId, section: &str, out: &mut Vec<Item>) {
    for (key, value) in yaml.entries(table) {
        let Some(value) = yaml.scalar(value) else {
            continue;
        };
        // An override selector (`a>b`, `b@<2`) names the last package, without its range.
        let name = key.value.rsplit('>').next().unwrap_or(&key.value);
        let name_end = name
            .char_indices()
            .skip(1)
            .find(|(_, c)| *c == '@')
            .map_or(name.len(), |(at, _)| at);
        let name = &name[..name_end];
        let name_start = key.value.len() - key.value.rsplit('>').next().unwrap_or("").len();
        if name.is_empty() || value.value == "-" {
            continue;
        }
        let span = key.span.start.min(value.span.start)..key.span.end.max(value.span.end);
        let req = npm_spec::requirement(
            name,
            key.span_of(name_start..name_start + name.len()),
            &value.value,
            span,
            |range| value.span_of(range),
            section,
        );
        out.extend(req.map(Item::Requirement));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_and_overrides() {
        let text = "packages:\n  - packages/*\ncatalog:\n  react: ^18.2.0\n  lodash: '4.17.21'\ncatalogs:\n  legacy:\n    react: ~17.0.2\noverrides:\n  'a>b': latest\n  gone: '-'\n";
        let items = parse(text);
        let got: Vec<(&str, &str, &str, &str)> = items
            .iter()
            .filter_map(|item| match item {
                Item::Requirement(req) => Some((
                    req.name.as_deref().unwrap(),
                    &text[req.version_span()],
                    req.pin.as_str(),
                    &*req.section,
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            got,
            [
                ("react", "^18.2.0", "range", "catalog"),
                ("lodash", "4.17.21", "exact", "catalog"),
                ("react", "~17.0.2", "range", "catalogs.legacy"),
                ("b", "latest", "range", "overrides"),
            ]
        );
        for hostile in [
            "catalog: 1",
            "catalogs: {a: 1, b: [1]}",
            "catalog: {'>': x, '@': y}",
            "[",
        ] {
            let _ = parse(hostile);
        }
    }
}
