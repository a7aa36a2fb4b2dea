//! `hash-checking-mode` against the real pip: for each set of requirement files below,
//! `pip install --dry-run --no-index --find-links WHEELS -r requirements.txt` refuses
//! the install exactly when pinwarden flags a requirement, and names the one it flags.
//!
//! pip is the one pinned with its hash in tests/reference/requirements.txt, installed
//! into a virtual environment (tests/common/reference.rs, made once, reused). The
//! wheels are tiny ones without dependencies, written by the test. Under CI (`CI` set)
//! a reference that cannot be set up fails the test; elsewhere the test says so and
//! passes without checking.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::reference::{clean, run};
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

/// One `pip install -r requirements.txt`, with the files it reads.
struct Case {
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
}

const fn case(name: &'static str, files: &'static [(&'static str, &'static str)]) -> Case {
    Case { name, files }
}

/// `{A1}`, `{A2}`, `{B}`, `{G}` are the sha256 digests of alpha 1.0 and 2.0, beta 1.0
/// and gamma 1.0; `{B_MD5}` beta's md5; `{WHEELS}` the wheels' directory as a file URL.
/// Each case has at most one requirement pip refuses: pip stops at the first.
const CASES: &[Case] = &[
    case(
        "all hashed",
        &[(
            "requirements.txt",
            "alpha==1.0 --hash=sha256:{A1}\nbeta==1.0 --hash=sha256:{B}\n",
        )],
    ),
    case(
        "one without a hash",
        &[(
            "requirements.txt",
            "alpha==1.0 --hash=sha256:{A1}\nbeta==1.0\n",
        )],
    ),
    case(
        "unpinned without a hash",
        &[(
            "requirements.txt",
            "alpha>=1\nbeta==1.0 --hash=sha256:{B}\n",
        )],
    ),
    case(
        "unpinned with hashes",
        &[(
            "requirements.txt",
            "alpha --hash=sha256:{A1} --hash=sha256:{A2}\n",
        )],
    ),
    case(
        "arbitrary equality without a hash",
        &[(
            "requirements.txt",
            "alpha===1.0\nbeta==1.0 --hash=sha256:{B}\n",
        )],
    ),
    case(
        "two clauses without a hash",
        &[(
            "requirements.txt",
            "alpha>=1.0,==1.0\nbeta==1.0 --hash=sha256:{B}\n",
        )],
    ),
    case(
        "wildcard with a hash",
        &[("requirements.txt", "alpha==1.* --hash=sha256:{A1}\n")],
    ),
    case(
        "--require-hashes",
        &[("requirements.txt", "--require-hashes\nbeta==1.0\n")],
    ),
    case(
        "--require-hashes, all hashed",
        &[(
            "requirements.txt",
            "--require-hashes\nbeta==1.0 --hash=sha256:{B}\n",
        )],
    ),
    case(
        "a hash in an included file",
        &[
            ("requirements.txt", "-r inc.txt\ngamma==1.0\n"),
            ("inc.txt", "alpha==1.0 --hash=sha256:{A1}\n"),
        ],
    ),
    case(
        "a hash in a constraint file",
        &[
            ("requirements.txt", "beta==1.0\n-c constraints.txt\n"),
            ("constraints.txt", "alpha==1.0 --hash=sha256:{A1}\n"),
        ],
    ),
    case(
        "a constraint is not installed",
        &[
            (
                "requirements.txt",
                "beta==1.0 --hash=sha256:{B}\n-c constraints.txt\n",
            ),
            ("constraints.txt", "--require-hashes\nalpha==1.0\n"),
        ],
    ),
    case(
        "-r in a constraint file installs",
        &[
            (
                "requirements.txt",
                "alpha==1.0 --hash=sha256:{A1}\n-c constraints.txt\n",
            ),
            ("constraints.txt", "-r inner.txt\n"),
            ("inner.txt", "gamma\n"),
        ],
    ),
    case(
        "--no-require-hashes",
        &[(
            "requirements.txt",
            "--no-require-hashes\nalpha==1.0 --hash=sha256:{A1}\nbeta==1.0\n",
        )],
    ),
    case(
        "a URL's sha256 satisfies the mode",
        &[(
            "requirements.txt",
            "alpha==1.0 --hash=sha256:{A1}\nbeta @ {WHEELS}/beta-1.0-py3-none-any.whl#sha256={B}\n",
        )],
    ),
    case(
        "a URL's sha256 does not turn the mode on",
        &[(
            "requirements.txt",
            "beta @ {WHEELS}/beta-1.0-py3-none-any.whl#sha256={B}\ngamma\n",
        )],
    ),
    case(
        "a URL's md5 satisfies the mode",
        &[(
            "requirements.txt",
            "alpha==1.0 --hash=sha256:{A1}\nbeta @ {WHEELS}/beta-1.0-py3-none-any.whl#md5={B_MD5}\n",
        )],
    ),
    case(
        "a local wheel without a hash",
        &[(
            "requirements.txt",
            "alpha==1.0 --hash=sha256:{A1}\n./beta-1.0-py3-none-any.whl\n",
        )],
    ),
    case(
        "a local wheel with its hash",
        &[(
            "requirements.txt",
            "alpha==1.0 --hash=sha256:{A1}\n./beta-1.0-py3-none-any.whl --hash=sha256:{B}\n",
        )],
    ),
    case(
        "an editable",
        &[(
            "requirements.txt",
            "alpha==1.0 --hash=sha256:{A1}\n-e ./proj\n",
        )],
    ),
    case(
        "a directory",
        &[(
            "requirements.txt",
            "alpha==1.0 --hash=sha256:{A1}\n./proj\n",
        )],
    ),
    case(
        "a version control URL",
        &[(
            "requirements.txt",
            "alpha==1.0 --hash=sha256:{A1}\nx @ git+https://example.invalid/x.git@0123456789abcdef0123456789abcdef01234567\n",
        )],
    ),
];

/// Writes a wheel with only metadata and an empty module, with fixed timestamps.
const MAKE_WHEELS: &str = r#"
import base64, hashlib, sys, zipfile
out = sys.argv[1]
for name, version in [("alpha", "1.0"), ("alpha", "2.0"), ("beta", "1.0"), ("gamma", "1.0")]:
    info = f"{name}-{version}.dist-info"
    files = {
        f"{name}.py": "",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append(f"{path},sha256={digest.decode()},{len(text.encode())}")
    files[f"{info}/RECORD"] = "\n".join(record + [f"{info}/RECORD,,"]) + "\n"
    with zipfile.ZipFile(f"{out}/{name}-{version}-py3-none-any.whl", "w") as wheel:
        for path, text in files.items():
            wheel.writestr(zipfile.ZipInfo(path, (2020, 1, 1, 0, 0, 0)), text)
"#;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// pinwarden's `hash-checking-mode` findings in `dir`: (file, flagged name).
fn flagged(dir: &Path) -> Vec<(String, String)> {
    let (code, stdout, stderr) = common::pinwarden(
        dir,
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "hash-checking-mode",
        ],
    );
    assert!(matches!(code, Some(0 | 1)), "{stdout}{stderr}");
    stdout
        .lines()
        .filter(|line| line.contains("error[hash-checking-mode]"))
        .map(|line| {
            let file = line.split(':').next().unwrap_or_default().to_string();
            let name = line.split('`').nth(1).unwrap_or_default().to_string();
            (file, name)
        })
        .collect()
}

#[test]
fn hash_checking_mode_flags_what_pip_refuses() {
    let Some(python) = common::reference::python("reference/requirements.txt") else {
        return;
    };
    let wheels = tempfile::tempdir().unwrap();
    run(Command::new(&python)
        .arg("-c")
        .arg(MAKE_WHEELS)
        .arg(wheels.path()))
    .unwrap();
    let digest = |file: &str| {
        hex(&Sha256::digest(
            std::fs::read(wheels.path().join(file)).unwrap(),
        ))
    };
    let beta = std::fs::read(wheels.path().join("beta-1.0-py3-none-any.whl")).unwrap();
    let md5 = run(Command::new(&python)
        .args([
            "-c",
            "import hashlib, sys; print(hashlib.md5(open(sys.argv[1], 'rb').read()).hexdigest())",
        ])
        .arg(wheels.path().join("beta-1.0-py3-none-any.whl")))
    .unwrap();
    let fill = |text: &str| {
        text.replace("{A1}", &digest("alpha-1.0-py3-none-any.whl"))
            .replace("{A2}", &digest("alpha-2.0-py3-none-any.whl"))
            .replace("{B}", &digest("beta-1.0-py3-none-any.whl"))
            .replace("{G}", &digest("gamma-1.0-py3-none-any.whl"))
            .replace("{B_MD5}", String::from_utf8_lossy(&md5.stdout).trim())
            .replace("{WHEELS}", &format!("file://{}", wheels.path().display()))
    };

    // Cases run a few at a time: each pip run mostly waits on its interpreter starting.
    let next = AtomicUsize::new(0);
    let outcomes: Vec<(usize, Result<bool, String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(case) = CASES.get(index) else {
                            return done;
                        };
                        let files: Vec<(String, String)> = case
                            .files
                            .iter()
                            .map(|(path, text)| (path.to_string(), fill(text)))
                            .collect();
                        let refs: Vec<(&str, &str)> = files
                            .iter()
                            .map(|(p, t)| (p.as_str(), t.as_str()))
                            .collect();
                        let dir = common::tree(&refs);
                        std::fs::write(dir.path().join("beta-1.0-py3-none-any.whl"), &beta)
                            .unwrap();
                        std::fs::create_dir(dir.path().join("proj")).unwrap();
                        std::fs::write(
                            dir.path().join("proj/setup.py"),
                            "from setuptools import setup\nsetup(name='proj', version='1.0')\n",
                        )
                        .unwrap();
                        done.push((index, compare(&python, wheels.path(), dir.path())));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    });
    let mut failures = Vec::new();
    let mut refused = 0;
    for (index, outcome) in &outcomes {
        match outcome {
            Ok(true) => refused += 1,
            Ok(false) => {}
            Err(why) => failures.push(format!("{}: {why}", CASES[*index].name)),
        }
    }
    assert_eq!(outcomes.len(), CASES.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Both verdicts are met: a pip that refused or took everything would prove nothing.
    assert!(
        refused > 5 && CASES.len() - refused > 5,
        "{refused} refused"
    );
}

/// pip's verdict on `dir/requirements.txt` against pinwarden's findings in `dir`:
/// whether pip refused it, or how the two differ.
fn compare(python: &Path, wheels: &Path, dir: &Path) -> Result<bool, String> {
    let flagged = flagged(dir);
    let output = clean(Command::new(python))
        .args([
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--no-index",
            "--find-links",
        ])
        .arg(wheels)
        .args(["-r", "requirements.txt"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    match (output.status.success(), flagged.as_slice()) {
        (true, []) => Ok(false),
        (true, flagged) => Err(format!(
            "pip installs it, pinwarden flags {flagged:?}\n{said}"
        )),
        (false, []) => Err(format!("pip refuses it, pinwarden flags nothing\n{said}")),
        (false, [(_, name)]) => {
            let named = name.trim_start_matches("./");
            if !said.contains("hash") {
                return Err(format!("pip refuses it for another reason\n{said}"));
            }
            if !said.contains(named) {
                return Err(format!(
                    "pip refuses another requirement than `{name}`\n{said}"
                ));
            }
            Ok(true)
        }
        (false, flagged) => Err(format!(
            "a case has one refused requirement; pinwarden flags {flagged:?}\n{said}"
        )),
    }
}
