//! npm's configuration file, `.npmrc` (also read by pnpm and yarn 1): `key=value`
//! lines, comments starting with `#` or `;`, `${VAR}` taken from the environment.
//!
//! Every setting becomes an [`EnvEntry`], so the credential rules see
//! `//registry.npmjs.org/:_authToken=…` and mask what they report. The registry
//! settings (`registry=`, `@scope:registry=`) are also package sources, as the pip
//! options they amount to, for `insecure-index`. A file without `save-exact=true` gets
//! a `save-exact` option at its start (an empty span), so the recommendation has an
//! item to be about.

use super::{EnvEntry, Item, PipOption, Span};

pub fn parse(text: &str) -> Vec<Item> {
    let mut out = Vec::new();
    let mut save_exact: Option<(String, Span)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start().len();
        let body = content.trim();
        if body.is_empty() || body.starts_with(['#', ';']) || body.starts_with('[') {
            continue;
        }
        let Some(eq) = body.find('=') else {
            continue;
        };
        let key = body[..eq].trim_end();
        let raw_value = body[eq + 1..].trim_start();
        let value_at = start + indent + body.len() - raw_value.len();
        let (value, value_span) = unquote(raw_value, value_at);
        let key_span = start + indent..start + indent + key.len();
        let span = start + indent..start + indent + body.len();
        if key.is_empty() {
            continue;
        }
        if key == "save-exact" {
            save_exact = Some((value.clone(), value_span.clone()));
        }
        if key == "registry" || key.ends_with(":registry") {
            out.push(Item::Option(PipOption {
                name: "registry".to_string(),
                value: Some(value.clone()),
                value_span: Some(value_span.clone()),
                span: span.clone(),
            }));
        }
        out.push(Item::EnvEntry(EnvEntry {
            key: key.to_string(),
            key_span,
            value,
            value_span,
            span,
        }));
    }
    match save_exact {
        Some((value, _)) if value.eq_ignore_ascii_case("true") => {}
        Some((value, span)) => out.push(Item::Option(PipOption {
            name: "save-exact".to_string(),
            value: Some(value),
            value_span: Some(span.clone()),
            span,
        })),
        None => out.push(Item::Option(PipOption {
            name: "save-exact".to_string(),
            value: None,
            value_span: None,
            span: 0..0,
        })),
    }
    out.sort_by_key(|item| (item.span().start, item.span().end));
    out
}

/// A value without the quotes npm's ini reader strips, and its span.
fn unquote(raw: &str, at: usize) -> (String, Span) {
    for quote in ['"', '\''] {
        if raw.len() >= 2 && raw.starts_with(quote) && raw.ends_with(quote) {
            let inner = &raw[1..raw.len() - 1];
            return (inner.to_string(), at + 1..at + 1 + inner.len());
        }
    }
    (raw.to_string(), at..at + raw.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_registries_and_save_exact() {
        let text = "; comment\nregistry=http://npm.example.com/\n@corp:registry = \"https://npm.corp.example/\"\n//npm.corp.example/:_authToken=${NPM_TOKEN}\n  save-exact=false\n";
        let items = parse(text);
        let entries: Vec<(&str, &str)> = items
            .iter()
            .filter_map(|item| match item {
                Item::EnvEntry(e) => Some((&text[e.key_span.clone()], &text[e.value_span.clone()])),
                _ => None,
            })
            .collect();
        assert_eq!(
            entries,
            [
                ("registry", "http://npm.example.com/"),
                ("@corp:registry", "https://npm.corp.example/"),
                ("//npm.corp.example/:_authToken", "${NPM_TOKEN}"),
                ("save-exact", "false"),
            ]
        );
        let options: Vec<(&str, Option<&str>)> = items
            .iter()
            .filter_map(|item| match item {
                Item::Option(o) => Some((o.name.as_str(), o.value.as_deref())),
                _ => None,
            })
            .collect();
        assert_eq!(
            options,
            [
                ("registry", Some("http://npm.example.com/")),
                ("registry", Some("https://npm.corp.example/")),
                ("save-exact", Some("false")),
            ]
        );
        let exact = parse("save-exact=true\n");
        assert!(!exact.iter().any(|item| matches!(item, Item::Option(_))));
        let missing = parse("");
        assert!(matches!(missing.as_slice(), [Item::Option(o)] if o.span == (0..0)));
        for hostile in ["=", "=\"", "a='", "\"\"=\"\"", "é=é\r\n", "[section]\nkey"] {
            let _ = parse(hostile);
        }
    }
}
