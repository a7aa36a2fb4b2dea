//! The versions a specifier admits, against `packaging` (the pinned one in
//! tests/reference/requirements.txt, through tests/reference/specifiers.py).
//!
//! Generated specifier sets of one to three clauses, over versions with pre-, post-,
//! dev- and local parts, epochs and zero padding, are judged by pinwarden and by
//! `packaging`:
//! - each version of the pool is admitted by both or by neither
//!   (`SpecifierSet.contains(v, prereleases=True)`);
//! - pinwarden finds no version exactly when `SpecifierSet.is_unsatisfiable()`;
//! - when pinwarden finds one version, packaging's range lies within `==` that version;
//!   when it finds several, within no admitted version of the pool.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::str::FromStr;

use pinwarden::manifest::admitted::{Alternative, Verdict, quick_verdict};
use serde_json::{Value, json};
use uv_pep440::{Version, VersionSpecifiers};

/// Versions the clauses name.
const CLAUSE_VERSIONS: &[&str] = &[
    "0",
    "1",
    "1.0",
    "1.0.0",
    "1.1",
    "1.0.1",
    "2",
    "2.0",
    "1.0.0.1",
    "1.0a1",
    "1.0b2",
    "1.0rc1",
    "1.0.post0",
    "1.0.post1",
    "1.0.dev0",
    "1.0.dev1",
    "1.0a1.post1",
    "1.0.post1.dev0",
    "1.0a1.dev0",
    "1.1.dev0",
    "2.0rc1",
    "1!1.0",
    "0.dev0",
    "0.dev1",
];

/// Local labels, which only `==` and `!=` take.
const LOCALS: &[&str] = &["+abc", "+1", "+abc.2"];

/// Versions every specifier is tried on.
const POOL: &[&str] = &[
    "0.dev0",
    "0.dev1",
    "0a0",
    "0",
    "0.9",
    "0.9.post1.dev1",
    "1.0.dev0",
    "1.0.dev1",
    "1.0a0",
    "1.0a1",
    "1.0a1.dev0",
    "1.0a1.post1",
    "1.0a2.dev0",
    "1.0b2",
    "1.0rc1",
    "1",
    "1.0",
    "1.0.0",
    "1.0+abc",
    "1.0+1",
    "1.0+abc.2",
    "1.0.post0.dev0",
    "1.0.post0",
    "1.0.post1",
    "1.0.post1+x",
    "1.0.post1.dev0",
    "1.0.post2.dev0",
    "1.0.0.0.1",
    "1.0.0.1",
    "1.0.1",
    "1.0.1+abc",
    "1.1.dev0",
    "1.1a1",
    "1.1",
    "1.2",
    "2.0.dev0",
    "2.0rc1",
    "2",
    "2.0",
    "2.0.post1",
    "3",
    "1!0.1",
    "1!1.0",
    "1!1.0+abc",
];

const OPERATORS: &[&str] = &["==", "!=", "<", "<=", ">", ">=", "~=", "==*", "!=*", "==="];

/// Specifier sets from a deterministic generator: the same cases on every run.
struct Cases(common::SplitMix);

impl Cases {
    fn next(&mut self) -> u64 {
        self.0.next()
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }

    fn clause(&mut self) -> String {
        let operator = self.pick(OPERATORS);
        let version = self.pick(CLAUSE_VERSIONS);
        match operator {
            "==*" | "!=*" => {
                // A wildcard follows a release only.
                let release = version.split(['a', 'b', 'r', '.']).next().unwrap_or("1");
                let release = if version.starts_with("1!") {
                    "1!1"
                } else if version.contains(".0") && self.next().is_multiple_of(2) {
                    "1.0"
                } else {
                    release
                };
                format!("{}{release}.*", &operator[..2])
            }
            "==" | "!=" if self.next().is_multiple_of(4) => {
                format!("{operator}{version}{}", self.pick(LOCALS))
            }
            _ => format!("{operator}{version}"),
        }
    }

    fn specifier(&mut self) -> String {
        let count = 1 + self.next() % 3;
        (0..count)
            .map(|_| self.clause())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Specifiers every run includes: the table of the issue this judgement answers.
const FIXED: &[&str] = &[
    ">=1.2.0,<=1.2.0",
    "==1.0,>=1.0",
    ">=2.0,<2.0",
    "==1.0,!=1.0",
    ">=1.0,<1.0.1",
    "==1.0.*",
    ">1.0,<1.0.post0",
    ">=1.0,<1.0.post0",
    ">1.0.dev0,<1.0.dev2",
    "<0",
    "<0.dev1",
    ">=1,<2,!=1.*",
    "===1.0,>=1",
    "===1.0.0,==1.0",
];

#[test]
fn specifier_sets_admit_what_packaging_admits() {
    let Some(python) = common::reference::python("reference/requirements.txt") else {
        return;
    };
    let mut generator = Cases(common::SplitMix(0x5eed));
    let mut specifiers: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
    specifiers.extend((0..4000).map(|_| generator.specifier()));
    let pool: Vec<Version> = POOL.iter().map(|v| Version::from_str(v).unwrap()).collect();

    let quick_count = std::cell::Cell::new(0);
    let ours: Vec<Option<(Alternative, Verdict)>> = specifiers
        .iter()
        .map(|text| {
            let parsed = VersionSpecifiers::from_str(text).ok()?;
            let alternative = Alternative::new(parsed.iter(), []);
            let verdict = alternative.verdict();
            // The shortcut for common shapes must agree with the set.
            let specifiers: Vec<_> = parsed.iter().cloned().collect();
            if let Some(quick) = quick_verdict(&specifiers) {
                assert_eq!(quick, verdict, "quick verdict of `{text}`");
                quick_count.set(quick_count.get() + 1);
            }
            Some((alternative, verdict))
        })
        .collect();
    let cases: Vec<Value> = specifiers
        .iter()
        .zip(&ours)
        .map(|(text, ours)| {
            let one = match ours {
                Some((_, Verdict::One(version))) => Some(version.clone()),
                _ => None,
            };
            json!({ "specifier": text, "one": one })
        })
        .collect();
    let request = json!({ "versions": POOL, "cases": cases });

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/specifiers.py");
    let mut child = Command::new(&python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "specifiers.py failed");
    let answers: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(answers.len(), specifiers.len());

    let mut failures = Vec::new();
    let mut compared = 0;
    let mut verdicts = [0usize; 3];
    for ((text, ours), answer) in specifiers.iter().zip(&ours).zip(&answers) {
        let valid = answer["valid"].as_bool().unwrap();
        let Some((alternative, verdict)) = ours else {
            if valid {
                failures.push(format!("`{text}`: packaging reads it, pinwarden does not"));
            }
            continue;
        };
        if !valid {
            failures.push(format!("`{text}`: pinwarden reads it, packaging does not"));
            continue;
        }
        compared += 1;
        for (version, admitted) in pool.iter().zip(answer["contains"].as_array().unwrap()) {
            let admitted = admitted.as_bool().unwrap();
            if alternative.contains(version) != admitted {
                failures.push(format!(
                    "`{text}` on {version}: packaging {admitted}, pinwarden {}",
                    !admitted
                ));
            }
        }
        let unsatisfiable = answer["unsatisfiable"].as_bool().unwrap();
        match verdict {
            Verdict::Unsatisfiable => verdicts[0] += 1,
            Verdict::One(_) => verdicts[1] += 1,
            Verdict::Many => verdicts[2] += 1,
        }
        if (*verdict == Verdict::Unsatisfiable) != unsatisfiable {
            failures.push(format!(
                "`{text}`: pinwarden {verdict:?}, packaging unsatisfiable = {unsatisfiable}"
            ));
        }
        match verdict {
            Verdict::One(version) if answer["within_one"] == json!(false) => failures.push(
                format!("`{text}`: pinwarden says only {version}, packaging admits more"),
            ),
            Verdict::Many if answer["one_of_pool"] == json!(true) => failures.push(format!(
                "`{text}`: pinwarden says several versions, packaging admits one"
            )),
            _ => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements with packaging:\n{}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n")
    );
    // The generator must reach every verdict, or the comparison says little.
    assert!(compared > 3000, "only {compared} specifiers compared");
    assert!(
        quick_count.get() > 300,
        "quick verdicts: {}",
        quick_count.get()
    );
    assert!(verdicts.iter().all(|&n| n >= 50), "verdicts: {verdicts:?}");
}
