//! `docs/rules.md` is generated from `rules/*.toml`; this test fails when it is stale.
//! Regenerate with `UPDATE_DOCS=1 cargo test --test docs` (or
//! `pinwarden rules --format markdown > docs/rules.md`).

use std::path::Path;

use pinwarden::docs::rules_markdown;
use pinwarden::policy::RuleSet;

#[test]
fn rules_page_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let rules = RuleSet::builtin().expect("built-in rules load");
    let generated = rules_markdown(&rules);
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| !v.is_empty()) {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test --test docs`"
    );
    for rule in &rules.rules {
        assert!(
            current.contains(&format!("\n## {}\n", rule.name)),
            "{}",
            rule.name
        );
    }
}

#[test]
fn cli_prints_the_same_page() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args(["rules", "--format", "markdown", "--isolated"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let rules = RuleSet::builtin().unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        rules_markdown(&rules)
    );
}
