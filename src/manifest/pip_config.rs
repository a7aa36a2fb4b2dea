//! Installer configuration in the tree: pip's `pip.conf` / `pip.ini` (INI, as pip's
//! configparser reads it) and `uv.toml` (TOML, the `[tool.uv]` table of a
//! `pyproject.toml` at the top level). Only their package index settings matter here:
//! they are the pip options they amount to, so the index rules and the credential rule
//! judge them like `--index-url` in a requirements file.

use toml_edit::Document;

use super::{Item, PipOption, setup_cfg, sources};

/// pip's configuration keys that name package sources, and the options they are.
const PIP_KEYS: [(&str, &str); 4] = [
    ("index-url", "index-url"),
    ("extra-index-url", "extra-index-url"),
    ("find-links", "find-links"),
    ("trusted-host", "trusted-host"),
];

/// Parse a `pip.conf`, `pip.ini` or `uv.toml`: text that is valid TOML is a `uv.toml`
/// (pip's INI values are unquoted, which TOML rejects), anything else pip's INI.
pub fn parse(text: &str) -> Vec<Item> {
    if let Ok(doc) = Document::parse(text) {
        let mut out = Vec::new();
        sources::uv(text, doc.as_table(), &mut out);
        out.sort_by_key(|item| item.span().start);
        return out;
    }
    let ini = setup_cfg::scan(text);
    let mut out: Vec<Item> = ini.errors.into_iter().map(Item::ParseError).collect();
    for option in &ini.options {
        // pip reads `index_url` and `index-url` alike, in any section.
        let key = option.name.to_ascii_lowercase().replace('_', "-");
        let Some((_, name)) = PIP_KEYS.iter().find(|(known, _)| *known == key) else {
            continue;
        };
        for line in &option.lines {
            // Several values are separated by white space, on one line or several.
            let mut offset = line.start;
            for value in text[line.clone()].split_whitespace() {
                let at = offset + text[offset..line.end].find(value).unwrap_or(0);
                let span = at..at + value.len();
                out.push(Item::Option(PipOption {
                    name: (*name).to_string(),
                    value: Some(value.to_string()),
                    value_span: Some(span.clone()),
                    span,
                }));
                offset = at + value.len();
            }
        }
    }
    out.sort_by_key(|item| item.span().start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(text: &str) -> Vec<(String, String)> {
        parse(text)
            .into_iter()
            .filter_map(|item| match item {
                Item::Option(option) => Some((option.name, option.value?)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn pip_conf_sources_are_pip_options() {
        let text = "[global]\nindex-url = https://pypi.internal/simple\nextra_index_url =\n    http://a.example/simple\n    https://b.example/simple\ntrusted-host = a.example b.example\ntimeout = 60\n";
        assert_eq!(
            options(text),
            [
                (
                    "index-url".to_string(),
                    "https://pypi.internal/simple".to_string()
                ),
                (
                    "extra-index-url".to_string(),
                    "http://a.example/simple".to_string()
                ),
                (
                    "extra-index-url".to_string(),
                    "https://b.example/simple".to_string()
                ),
                ("trusted-host".to_string(), "a.example".to_string()),
                ("trusted-host".to_string(), "b.example".to_string()),
            ]
        );
    }

    #[test]
    fn uv_toml_is_read_as_tool_uv() {
        let text = "index-url = \"http://mirror.example/simple\"\n\n[[index]]\nname = \"private\"\nurl = \"https://private.example/simple\"\n";
        let found = options(text);
        assert!(found.contains(&(
            "index-url".to_string(),
            "http://mirror.example/simple".to_string()
        )));
        assert!(
            found
                .iter()
                .any(|(_, value)| value == "https://private.example/simple")
        );
    }
}
