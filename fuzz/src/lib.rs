//! What every fuzz target checks after a parser returns: the items' spans lie inside the
//! text on character boundaries, and every built-in rule evaluates over them (with
//! line/column lookups and message interpolation) without a panic.

use std::path::Path;
use std::sync::OnceLock;

use pinwarden::manifest::text::LineIndex;
use pinwarden::manifest::{Encoding, Item, Manifest, ManifestKind, Span};
use pinwarden::policy::RuleSet;
use pinwarden::policy::engine::evaluate_manifest;

pub mod pipeline;
pub use pipeline::pipeline;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules are valid"))
}

/// Every span an item carries, including the spans of its parts.
pub fn spans_of(item: &Item) -> Vec<Span> {
    let mut spans = vec![item.span()];
    match item {
        Item::Requirement(req) => {
            spans.extend(req.name_span.clone());
            spans.extend(req.specifier_span.clone());
            spans.extend(req.marker_span.clone());
            spans.extend(req.clauses.iter().map(|c| c.span.clone()));
            spans.extend(req.url.iter().map(|u| u.span.clone()));
            spans.extend(req.hashes.iter().map(|(_, s)| s.clone()));
        }
        Item::Option(opt) => spans.extend(opt.value_span.clone()),
        Item::Include(include) => spans.push(include.target_span.clone()),
        Item::EnvEntry(entry) => {
            spans.push(entry.key_span.clone());
            spans.push(entry.value_span.clone());
        }
        Item::Action(action) => spans.push(action.ref_span.clone()),
        Item::ParseError(_)
        | Item::Image(_)
        | Item::Download(_)
        | Item::Package(_)
        | Item::HookRev(_)
        | Item::LockSource(_) => {}
    }
    spans
}

/// Parse `text` as `kind`, check every span, and run every built-in rule over it.
pub fn check(kind: ManifestKind, text: &str) {
    let items = pinwarden::manifest::parse(kind, text);
    for item in &items {
        for span in spans_of(item) {
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "span {span:?} outside a text of {} bytes in {item:?}",
                text.len()
            );
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "span {span:?} splits a character in {item:?}"
            );
        }
    }
    let manifest = Manifest {
        path: Path::new("fuzz").into(),
        kind,
        encoding: Encoding::Utf8,
        text: text.to_string(),
        items,
    };
    let index = LineIndex::new(text);
    for template in [false, true] {
        for finding in evaluate_manifest(&rules().rules, &manifest, &index, template) {
            assert!(
                finding.span.end <= text.len(),
                "finding outside the text: {finding:?}"
            );
        }
    }
}

/// Fuzz input as text: parsers only ever see decoded UTF-8.
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// One small manifest of each kind, with every item type in it.
const SAMPLES: [(ManifestKind, &str); 8] = [
    (
        ManifestKind::Requirements,
        "--index-url http://pypi.example/simple\n-r base.txt\nrequests>=2.0 ; python_version >= \"3.9\"\nflask==3.0.0 --hash=sha256:abcd\ngit+https://github.com/a/b@main#egg=b\n-e ./local\nbad requirement here\n",
    ),
    (
        ManifestKind::Pyproject,
        "[project]\nname = \"x\"\ndependencies = [\"requests>=2\", \"flask==3.0.0\"]\n[project.optional-dependencies]\ntest = [\"pytest\"]\n",
    ),
    (
        ManifestKind::SetupCfg,
        "[options]\ninstall_requires =\n    requests>=2\n    flask==3.0.0\n",
    ),
    (
        ManifestKind::Pipfile,
        "[packages]\nrequests = \"*\"\nflask = \"==3.0.0\"\n",
    ),
    (
        ManifestKind::Dotenv,
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nDEBUG=true\n",
    ),
    (
        ManifestKind::Workflow,
        "jobs:\n  a:\n    container: python:3.12\n    services:\n      db:\n        image: postgres\n    steps:\n      - uses: actions/checkout@v4 # v4.1.1\n      - uses: docker://alpine\n  b:\n    uses: o/r/.github/workflows/w.yml@main\n",
    ),
    (
        ManifestKind::Action,
        "runs:\n  using: composite\n  steps:\n    - uses: actions/cache@v4\n",
    ),
    (
        ManifestKind::PreCommit,
        "repos:\n- repo: https://github.com/psf/black\n  rev: 24.1.0\n  hooks:\n  - id: black\n    additional_dependencies: [click>=8, 'bad !']\n- repo: local\n  hooks:\n  - id: e\n    language: node\n    additional_dependencies: [eslint@^8]\n",
    ),
];

/// Evaluate one rule over every sample manifest.
pub fn evaluate_samples(rule: &std::sync::Arc<pinwarden::policy::Rule>) {
    for (kind, text) in SAMPLES {
        let manifest = Manifest {
            path: Path::new("sample").into(),
            kind,
            encoding: Encoding::Utf8,
            text: text.to_string(),
            items: pinwarden::manifest::parse(kind, text),
        };
        let index = LineIndex::new(text);
        let _ = evaluate_manifest(std::slice::from_ref(rule), &manifest, &index, false);
    }
}
