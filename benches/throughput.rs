//! Parser and rule-engine throughput, in memory (no disk, no walk): `cargo bench`.
//!
//! Prints MiB/s and nanoseconds per line for each parser on a generated file of each
//! kind, and for the whole per-file evaluation (every built-in rule). Whole-program
//! numbers against other tools come from `benches/run.sh`.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use pinwarden::manifest::text::LineIndex;
use pinwarden::manifest::{self, Encoding, Manifest, ManifestKind};
use pinwarden::policy::RuleSet;
use pinwarden::policy::engine::evaluate_manifest;

/// A small deterministic generator (xorshift), so runs compare like with like.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn version(&mut self) -> String {
        format!("{}.{}.{}", self.below(30), self.below(20), self.below(12))
    }
}

const NAMES: [&str; 12] = [
    "requests",
    "urllib3",
    "boto3",
    "numpy",
    "pandas",
    "django",
    "flask",
    "pydantic",
    "sqlalchemy",
    "celery",
    "cryptography",
    "typing-extensions",
];

fn requirement(rng: &mut Rng, i: usize) -> String {
    let name = format!("{}-{i}", NAMES[rng.below(NAMES.len() as u64) as usize]);
    match rng.below(20) {
        0 => format!("{name}>={},<40", rng.version()),
        1 => format!(
            "{name}[security]=={} ; python_version >= \"3.9\"",
            rng.version()
        ),
        2 => format!("{name} @ git+https://github.com/org/{name}.git@main"),
        _ => format!("{name}=={}", rng.version()),
    }
}

fn requirements_file(rng: &mut Rng, lines: usize) -> String {
    let mut out = String::from("--index-url https://pypi.org/simple\n-r base.txt\n");
    for i in 0..lines {
        out.push_str(&requirement(rng, i));
        if i % 5 == 0 {
            out.push_str(" \\\n    --hash=sha256:");
            out.push_str(&format!("{:064x}", u128::from(rng.next())));
        }
        if i % 7 == 0 {
            out.push_str("  # via something");
        }
        out.push('\n');
    }
    out
}

fn pyproject_file(rng: &mut Rng, lines: usize) -> String {
    let mut out = String::from("[project]\nname = \"app\"\nversion = \"1\"\ndependencies = [\n");
    for i in 0..lines {
        // A literal string: markers carry double quotes.
        out.push_str(&format!("    '{}',\n", requirement(rng, i)));
    }
    out.push_str("]\n[tool.ruff]\nline-length = 100\n");
    out
}

fn setup_cfg_file(rng: &mut Rng, lines: usize) -> String {
    let mut out = String::from("[metadata]\nname = app\n\n[options]\ninstall_requires =\n");
    for i in 0..lines {
        out.push_str(&format!("    {}\n", requirement(rng, i)));
    }
    out
}

fn pipfile_file(rng: &mut Rng, lines: usize) -> String {
    let mut out = String::from("[[source]]\nurl = \"https://pypi.org/simple\"\n\n[packages]\n");
    for i in 0..lines {
        out.push_str(&format!("pkg-{i} = \"=={}\"\n", rng.version()));
    }
    out
}

fn dotenv_file(rng: &mut Rng, lines: usize) -> String {
    (0..lines)
        .map(|i| format!("SETTING_{i}=value-{}\n", rng.next()))
        .collect()
}

/// Run `f` repeatedly for about `budget`; the mean time per run.
fn time(budget: Duration, mut f: impl FnMut()) -> Duration {
    f();
    let start = Instant::now();
    let mut runs = 0u32;
    while start.elapsed() < budget {
        f();
        runs += 1;
    }
    start.elapsed() / runs.max(1)
}

fn main() {
    // `cargo bench -- FILTER` passes extra arguments; `--bench` is always there.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let rules = RuleSet::builtin().expect("built-in rules are valid");
    let lines = 10_000;
    let budget = Duration::from_millis(700);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let inputs = [
        (
            ManifestKind::Requirements,
            requirements_file(&mut rng, lines),
        ),
        (ManifestKind::Pyproject, pyproject_file(&mut rng, lines)),
        (ManifestKind::SetupCfg, setup_cfg_file(&mut rng, lines)),
        (ManifestKind::Pipfile, pipfile_file(&mut rng, lines)),
        (ManifestKind::Dotenv, dotenv_file(&mut rng, lines)),
    ];
    println!(
        "{:<14} {:>8} {:>8} {:>12} {:>10} {:>15}",
        "kind", "KiB", "items", "parse MiB/s", "ns/line", "+rules ns/line"
    );
    for (kind, text) in inputs {
        if filter
            .as_ref()
            .is_some_and(|f| !kind.as_str().contains(f.as_str()))
        {
            continue;
        }
        let parse = time(budget, || {
            black_box(manifest::parse(kind, black_box(&text)));
        });
        let manifest = Manifest {
            path: PathBuf::from("bench").into(),
            kind,
            encoding: Encoding::Utf8,
            items: manifest::parse(kind, &text),
            text: text.clone(),
        };
        let index = LineIndex::new(&text);
        let evaluate = time(budget, || {
            black_box(evaluate_manifest(&rules.rules, &manifest, &index, false));
        });
        let mib_per_s = text.len() as f64 / (1024.0 * 1024.0) / parse.as_secs_f64();
        let per_line = |d: Duration| d.as_nanos() as f64 / lines as f64;
        println!(
            "{:<14} {:>8} {:>8} {:>12.1} {:>10.0} {:>15.0}",
            kind.as_str(),
            text.len() / 1024,
            manifest.items.len(),
            mib_per_s,
            per_line(parse),
            per_line(parse + evaluate),
        );
    }
}
