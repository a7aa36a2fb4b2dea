//! The `pipeline` fuzz target's driver (fuzz/src/pipeline.rs), run as property tests so
//! that what the fuzzer checks also runs with `cargo test`: the whole `check` on
//! arbitrary bytes and on multi-byte text as every file family, with and without
//! suppression directives and a configuration table, every output format, `--diff`, and
//! a baseline written, read back and applied. The driver asserts as it goes; a panic
//! anywhere is a failure.

#[path = "../fuzz/src/pipeline.rs"]
mod pipeline;

use proptest::prelude::*;

/// Text that is mostly what manifests are made of, with multi-byte characters of every
/// width and the characters comment and string scanners look for.
fn manifest_like() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "requests",
        ">=2",
        "==1.0",
        " ",
        "\n",
        "\r\n",
        "#",
        " # note",
        "\"",
        "'",
        "\"\"\"",
        "=",
        "[",
        "]",
        "[project]\n",
        "dependencies = [\"",
        "[packages]\n",
        "[options]\ninstall_requires =\n    ",
        "KEY=",
        "jobs:\n  a:\n    steps:\n      - uses: ",
        "actions/checkout@v4",
        "    container: ",
        "repos:\n- repo: https://github.com/a/b\n  rev: ",
        "  hooks:\n  - id: x\n    additional_dependencies: [",
        "- ",
        ": ",
        "pinwarden: ignore",
        "pinwarden: ignore[version-range",
        "Ł",
        "é",
        "日",
        "🔒",
        "\u{301}",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Arbitrary bytes, as the fuzz target receives them.
    #[test]
    fn the_pipeline_survives_arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..400)) {
        pipeline::pipeline(&data);
    }

    /// Manifest-like text with multi-byte characters, as every family, after every
    /// prefix.
    #[test]
    fn the_pipeline_survives_multi_byte_manifest_text(
        selector in any::<u8>(),
        text in manifest_like(),
    ) {
        let mut data = vec![selector];
        data.extend_from_slice(text.as_bytes());
        pipeline::pipeline(&data);
    }
}

/// Every family after every prefix, so each pair runs at least once whatever the
/// property tests draw.
#[test]
fn every_family_and_prefix_runs() {
    let text = "[project]\ndescription = \"Ünïcode\"\ndependencies = [\"flask>=2\"]  # Łukasz\nflask>=2 # 日\nKEY='é' # 🔒\n";
    for family in pipeline::FAMILIES {
        for prefix in pipeline::PREFIXES {
            let found = pipeline::run(family, &format!("{prefix}{text}"));
            // Not a vacuous run: the range is found unless a directive covers it.
            if family == "requirements.txt" && prefix.is_empty() {
                assert!(found > 0, "{family}");
            }
        }
    }
}

/// Manifests of every family with directives (and, in TOML, a configuration table),
/// where comments and strings are looked for.
const DIRECTIVE_TEXTS: [(&str, &str); 6] = [
    (
        "pyproject.toml",
        "[project]\nname = \"app\"\ndescription = \"x\"\ndependencies = [\n    \"flask>=2\",  # pinwarden: ignore[version-range]\n    'rich',\n]\n[tool.pinwarden]\nextend-select = [\"unused-suppression\"]\n",
    ),
    (
        "requirements.txt",
        "# pinwarden: ignore[unpinned-requirement]\nrequests\nflask>=2 # pinwarden: ignore[version-range\n",
    ),
    (
        "setup.cfg",
        "[options]\ninstall_requires =\n    flask>=2  # pinwarden: ignore[version-range]\n    ; pinwarden: ignore\n    rich\n",
    ),
    (
        "Pipfile",
        "[packages]\nrequests = \"*\"  # pinwarden: ignore[unpinned-requirement]\nflask = '>=2' # x\n",
    ),
    (
        ".env.example",
        "# pinwarden: ignore\nKEY='a#b' # c\nOTHER=\"x\" # pinwarden: ignore[secret-*]\n",
    ),
    (".env", "A=1 # pinwarden: ignore\nB=\"x # y\" # z\n"),
];

/// At every character boundary of each family's text, a multi-byte character of each
/// width, through the command line's run for every format (SARIF reads comments while
/// it fingerprints, baselines after the run): no panic, and the driver's checks hold.
#[test]
fn every_char_boundary_survives_every_format_and_baseline() {
    for (name, text) in DIRECTIVE_TEXTS {
        for inserted in ["é", "日", "🔒"] {
            for at in (0..=text.len()).filter(|&at| text.is_char_boundary(at)) {
                let mut changed = text.to_string();
                changed.insert_str(at, inserted);
                pipeline::run(name, &changed);
            }
        }
    }
}
