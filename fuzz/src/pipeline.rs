//! The whole `check` pipeline (discovery aside: the text arrives as standard input
//! named as a file of each family, as `--stdin-filename` gives it) on arbitrary bytes.
//!
//! Shared by the `pipeline` fuzz target and by `tests/fuzz_pipeline.rs`, which runs the
//! same driver as a property test, so what the fuzzer checks also runs with `cargo test`.
//! It uses only pinwarden's public interface and the standard library.

use std::path::PathBuf;
use std::sync::OnceLock;

use pinwarden::baseline::Baseline;
use pinwarden::config::Settings;
use pinwarden::policy::RuleSet;
use pinwarden::report::{self, Format};
use pinwarden::{CheckInput, Outcome};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules are valid"))
}

/// The file names each family is read as.
pub const FAMILIES: [&str; 22] = [
    "requirements.txt",
    "pyproject.toml",
    "setup.cfg",
    "Pipfile",
    ".env.example",
    ".env",
    "Dockerfile",
    ".github/workflows/ci.yml",
    "action.yml",
    ".pre-commit-config.yaml",
    "setup.sh",
    "package.json",
    "pnpm-lock.yaml",
    "package-lock.json",
    "yarn.lock",
    ".npmrc",
    "pnpm-workspace.yaml",
    "uv.lock",
    "poetry.lock",
    "pdm.lock",
    "Pipfile.lock",
    "pylock.toml",
];

/// What may be put before the fuzzed text: nothing, suppression directives (a good one
/// and one never closed), a configuration table with a directive. Any mention of
/// pinwarden makes the file's comments be read, where the crash on multi-byte text was.
pub const PREFIXES: [&str; 4] = [
    "",
    "# pinwarden: ignore[version-range, secret-*]\n",
    "# pinwarden: ignore[unpinned-requirement\n",
    "[tool.pinwarden]\nextend-select = [\"ALL\"]\n# pinwarden: ignore\n",
];

const FORMATS: [Format; 5] = [
    Format::Human,
    Format::Concise,
    Format::Json,
    Format::Sarif,
    Format::Github,
];

/// The first byte picks the family and the prefix, the rest is decoded as a manifest
/// file is; then [`run`].
pub fn pipeline(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let family = FAMILIES[usize::from(selector) % FAMILIES.len()];
    let prefix = PREFIXES[usize::from(selector / 8) % PREFIXES.len()];
    let Ok((text, _)) = pinwarden::manifest::text::decode(rest) else {
        return;
    };
    let _ = run(family, &format!("{prefix}{text}"));
}

/// Check `text` as the file `name` with every rule enabled, the way the command line
/// does for each output format (each format keeps a different part of the run: text,
/// help, fingerprints), and render that format. Then the run `--diff`, `--fix`,
/// `--write-baseline` and `--baseline` make: the diff of its fixes, a baseline written
/// as JSON and read back, which must hold every finding, and a second run filtered by
/// it, which must report none. Returns how many findings the run had.
pub fn run(name: &str, text: &str) -> usize {
    for format in FORMATS {
        let input = CheckInput {
            // As the command line sets them: only the human report reads the text,
            // the concise one leaves out help, SARIF takes fingerprints as it goes.
            drop_text: format != Format::Human,
            brief: format == Format::Concise,
            fingerprints: format == Format::Sarif,
            ..stdin(name, text)
        };
        let outcome = check(&input);
        let mut out = Vec::new();
        report::render(format, &outcome, Default::default(), &mut out)
            .expect("rendering into memory cannot fail");
    }

    let mut outcome = check(&stdin(name, text));
    for unsafe_fixes in [false, true] {
        let _ = pinwarden::fix::plan_with(&outcome, unsafe_fixes).diff();
    }
    let written = serde_json::to_string_pretty(&Baseline::from_outcome(&outcome))
        .expect("a baseline is JSON");
    let baseline: Baseline = serde_json::from_str(&written).expect("a written baseline reads back");
    let recorded = outcome.findings.len();
    assert_eq!(
        baseline.filter(&mut outcome),
        recorded,
        "the baseline holds every finding"
    );
    let filtered = check(&CheckInput {
        baseline: Some(baseline),
        ..stdin(name, text)
    });
    assert!(
        filtered.findings.is_empty(),
        "a baseline of a run leaves none of its findings: {:?}",
        filtered.findings
    );
    recorded
}

fn stdin(name: &str, text: &str) -> CheckInput {
    CheckInput {
        stdin: Some((PathBuf::from(name), text.to_string())),
        ..CheckInput::default()
    }
}

fn check(input: &CheckInput) -> Outcome {
    let settings = Settings {
        select: Some(vec!["ALL".into()]),
        ..Settings::default()
    };
    pinwarden::check(input, rules(), &settings)
}
