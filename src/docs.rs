//! `docs/rules.md`: every rule's documentation in one Markdown page, generated from the
//! rule files so the page and the rules cannot disagree (a test compares them).

use crate::policy::RuleSet;
use crate::policy::rule::documentation;

/// The page for `rules`: an index table, then each rule's documentation as
/// `pinwarden rule NAME` prints it, one heading level down.
pub fn rules_markdown(rules: &RuleSet) -> String {
    let mut out = String::from(
        "# Rules\n\n\
         <!-- Generated from rules/*.toml by `pinwarden rules --format markdown`; \
         do not edit by hand. -->\n\n\
         Enable or disable rules with `select`, `extend-select` and `ignore` (in \
         configuration or on the command line); rules marked *off* run only when \
         selected.\n\n\
         | Rule | Severity | Default | Summary |\n\
         | --- | --- | --- | --- |\n",
    );
    for rule in &rules.rules {
        out.push_str(&format!(
            "| [`{name}`](#{name}) | {} | {} | {} |\n",
            rule.severity.as_str(),
            if rule.default_enabled { "on" } else { "off" },
            rule.summary.replace('|', "\\|"),
            name = rule.name,
        ));
    }
    for rule in &rules.rules {
        // `documentation` starts with the only top-level heading it writes.
        out.push_str("\n#");
        out.push_str(&documentation(rule));
    }
    out
}

/// Where pinwarden's documentation lives: the package's `repository` (Cargo.toml), as
/// built. `None` while the package names none: a report then gives no links rather
/// than made-up ones, and `pinwarden rule NAME` prints the same documentation.
pub fn home() -> Option<String> {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    (!repository.is_empty()).then(|| repository.to_string())
}

/// The link to one rule's documentation: its section of docs/rules.md at the version
/// that was built.
pub fn rule_url(name: &str) -> Option<String> {
    home().map(|home| {
        format!(
            "{home}/blob/v{}/docs/rules.md#{name}",
            env!("CARGO_PKG_VERSION")
        )
    })
}
