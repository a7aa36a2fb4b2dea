//! Pins and hashes from a lock, end to end, for every lock format: a requirements file beside a
//! lock is fixed with `--fix`, and pip (the pinned reference, tests/reference/) then
//! accepts it in hash-checking mode, offline, against tiny wheels the test builds. The
//! same file before the fix is refused, so the fix is what makes the install verify.
//! Property tests: the fix changes no line but the ones it adds hashes to.

mod common;

use std::path::Path;
use std::process::Command;

use common::reference::{clean, run};
use common::{pinwarden, tree};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

/// A pure-Python wheel of `name` `version`, written by the reference Python's zipfile.
const BUILD_WHEEL: &str = r#"
import base64, hashlib, sys, zipfile
name, version, out = sys.argv[1:4]
dist = f"{name}-{version}.dist-info"
files = {
    f"{name}/__init__.py": "",
    f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
    f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = []
for path, text in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
    record.append(f"{path},sha256={digest},{len(text.encode())}")
record.append(f"{dist}/RECORD,,")
files[f"{dist}/RECORD"] = "\n".join(record) + "\n"
with zipfile.ZipFile(f"{out}/{name}-{version}-py3-none-any.whl", "w") as archive:
    for path, text in files.items():
        archive.writestr(zipfile.ZipInfo(path, date_time=(2020, 1, 1, 0, 0, 0)), text)
"#;

fn wheel(python: &Path, dir: &Path, name: &str, version: &str) -> String {
    run(clean(Command::new(python)).args([
        "-c",
        BUILD_WHEEL,
        name,
        version,
        dir.to_str().unwrap(),
    ]))
    .unwrap();
    let bytes = std::fs::read(dir.join(format!("{name}-{version}-py3-none-any.whl"))).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The lock of `format` for alpha 1.0 and beta 2.0 with their wheels' hashes.
fn lock(format: &str, alpha: &str, beta: &str) -> (&'static str, String) {
    let files = "https://files.pythonhosted.org/packages";
    match format {
        "uv" => (
            "uv.lock",
            format!(
                "version = 1\nrequires-python = \">=3.9\"\n\n[[package]]\nname = \"alpha\"\nversion = \"1.0\"\nsource = {{ registry = \"https://pypi.org/simple\" }}\nwheels = [\n    {{ url = \"{files}/alpha-1.0-py3-none-any.whl\", hash = \"sha256:{alpha}\" }},\n]\n\n[[package]]\nname = \"beta\"\nversion = \"2.0\"\nsource = {{ registry = \"https://pypi.org/simple\" }}\nwheels = [\n    {{ url = \"{files}/beta-2.0-py3-none-any.whl\", hash = \"sha256:{beta}\" }},\n]\n"
            ),
        ),
        "poetry" => (
            "poetry.lock",
            format!(
                "[[package]]\nname = \"alpha\"\nversion = \"1.0\"\ndescription = \"\"\noptional = false\npython-versions = \"*\"\nfiles = [\n    {{file = \"alpha-1.0-py3-none-any.whl\", hash = \"sha256:{alpha}\"}},\n]\n\n[[package]]\nname = \"beta\"\nversion = \"2.0\"\ndescription = \"\"\noptional = false\npython-versions = \"*\"\nfiles = [\n    {{file = \"beta-2.0-py3-none-any.whl\", hash = \"sha256:{beta}\"}},\n]\n\n[metadata]\nlock-version = \"2.0\"\npython-versions = \"*\"\ncontent-hash = \"0\"\n"
            ),
        ),
        "pdm" => (
            "pdm.lock",
            format!(
                "[metadata]\ngroups = [\"default\"]\nlock_version = \"4.5.0\"\n\n[[package]]\nname = \"alpha\"\nversion = \"1.0\"\nfiles = [\n    {{file = \"alpha-1.0-py3-none-any.whl\", hash = \"sha256:{alpha}\"}},\n]\n\n[[package]]\nname = \"beta\"\nversion = \"2.0\"\nfiles = [\n    {{file = \"beta-2.0-py3-none-any.whl\", hash = \"sha256:{beta}\"}},\n]\n"
            ),
        ),
        "pipenv" => (
            "Pipfile.lock",
            format!(
                "{{\n    \"_meta\": {{\"sources\": [{{\"name\": \"pypi\", \"url\": \"https://pypi.org/simple\", \"verify_ssl\": true}}]}},\n    \"default\": {{\n        \"alpha\": {{\"hashes\": [\"sha256:{alpha}\"], \"version\": \"==1.0\"}},\n        \"beta\": {{\"hashes\": [\"sha256:{beta}\"], \"version\": \"==2.0\"}}\n    }},\n    \"develop\": {{}}\n}}\n"
            ),
        ),
        "pylock" => (
            "pylock.toml",
            format!(
                "lock-version = \"1.0\"\ncreated-by = \"uv\"\n\n[[packages]]\nname = \"alpha\"\nversion = \"1.0\"\nindex = \"https://pypi.org/simple\"\nwheels = [{{ url = \"{files}/alpha-1.0-py3-none-any.whl\", hashes = {{ sha256 = \"{alpha}\" }} }}]\n\n[[packages]]\nname = \"beta\"\nversion = \"2.0\"\nindex = \"https://pypi.org/simple\"\nwheels = [{{ url = \"{files}/beta-2.0-py3-none-any.whl\", hashes = {{ sha256 = \"{beta}\" }} }}]\n"
            ),
        ),
        _ => unreachable!(),
    }
}

fn pip_accepts(python: &Path, wheels: &Path, dir: &Path) -> Result<(), String> {
    run(clean(Command::new(python))
        .current_dir(dir)
        .args([
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--no-index",
            "--find-links",
        ])
        .arg(wheels)
        .args(["--require-hashes", "-r", "requirements.txt"]))
    .map(|_| ())
}

#[test]
fn each_format_round_trips_through_pip_hash_checking() {
    let Some(python) = common::reference::python("reference/requirements.txt") else {
        return;
    };
    let wheels = tempfile::tempdir().unwrap();
    let alpha = wheel(&python, wheels.path(), "alpha", "1.0");
    let beta = wheel(&python, wheels.path(), "beta", "2.0");
    for format in ["uv", "poetry", "pdm", "pipenv", "pylock"] {
        let (name, text) = lock(format, &alpha, &beta);
        // A range is pinned to the lock's version by one `--fix` and given hashes by
        // the next.
        let requirements = "alpha>=0.5\r\nbeta==2.0  # via alpha\r\n";
        let dir = tree(&[(name, &text), ("requirements.txt", requirements)]);
        assert!(
            pip_accepts(&python, wheels.path(), dir.path()).is_err(),
            "{format}: pip accepted the file before the fix"
        );
        let args = [
            "check",
            "--isolated",
            "--extend-select",
            "missing-hash",
            "--fix",
            "requirements.txt",
        ];
        if format == "pylock" {
            // pylock.toml beside a requirements file pins it, so its range is not
            // flagged unless exact pins are asked for.
            let pin = [&args[..4], &["--require-exact-pins"], &args[4..]].concat();
            pinwarden(dir.path(), &pin);
        }
        pinwarden(dir.path(), &args);
        pinwarden(dir.path(), &args);
        let fixed = std::fs::read_to_string(dir.path().join("requirements.txt")).unwrap();
        assert_eq!(
            fixed,
            format!(
                "alpha==1.0 \\\r\n    --hash=sha256:{alpha}\r\nbeta==2.0 \\\r\n    --hash=sha256:{beta}  # via alpha\r\n"
            ),
            "{format}"
        );
        pip_accepts(&python, wheels.path(), dir.path()).unwrap_or_else(|e| panic!("{format}: {e}"));
        // Idempotent: nothing left to fix, no finding left.
        let (code, out, _) = pinwarden(
            dir.path(),
            &[
                "check",
                "--isolated",
                "--extend-select",
                "missing-hash",
                "--format",
                "concise",
                "requirements.txt",
            ],
        );
        assert_eq!((code, out.as_str()), (Some(0), ""), "{format}");
    }
}

/// Lines of a requirements file: pins the lock has hashes for, and lines the fix must
/// leave alone (comments, options, ranges, pins of other versions, blank lines).
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("alpha==1.0".to_string()),
        Just("beta == 2.0  # via alpha".to_string()),
        Just("# a comment".to_string()),
        Just(String::new()),
        Just("--index-url https://pypi.org/simple".to_string()),
        Just("alpha>=0.5".to_string()),
        Just("beta==3.0".to_string()),
        Just("gamma==1.0 --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000".to_string()),
        "[a-z]{1,8}(==[0-9]\\.[0-9])?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every line the fix does not give hashes to comes out as it went in, in order;
    /// a line it does is the same line, then its hash lines.
    #[test]
    fn the_fix_changes_no_line_it_should_not(lines in proptest::collection::vec(line(), 1..8), crlf in any::<bool>()) {
        let a = "a".repeat(64);
        let b = "b".repeat(64);
        let (_, lock_text) = lock("uv", &a, &b);
        let newline = if crlf { "\r\n" } else { "\n" };
        let text: String = lines.iter().map(|line| format!("{line}{newline}")).collect();
        let dir = tree(&[("uv.lock", &lock_text), ("requirements.txt", &text)]);
        // The hash fix alone: ranges are pinned by another fix.
        pinwarden(dir.path(), &["check", "--isolated", "--select", "missing-hash", "--fix", "requirements.txt"]);
        let fixed = std::fs::read_to_string(dir.path().join("requirements.txt")).unwrap();
        let mut out = fixed.split(newline).peekable();
        for line in &lines {
            let first = out.next().unwrap_or_default();
            let hashed = first.ends_with(" \\");
            if hashed {
                let expected_hash = if line.starts_with("alpha") { &a } else { &b };
                prop_assert!(line.starts_with("alpha==1.0") || line.starts_with("beta == 2.0"), "{line:?} got hashes");
                prop_assert_eq!(first.trim_end_matches(" \\"), line.split("  #").next().unwrap());
                let hash_line = out.next().unwrap_or_default();
                prop_assert!(hash_line.starts_with(&format!("    --hash=sha256:{expected_hash}")), "{hash_line:?}");
                prop_assert_eq!(hash_line.strip_prefix(&format!("    --hash=sha256:{expected_hash}")).unwrap(), line.strip_prefix(line.split("  #").next().unwrap()).unwrap());
            } else {
                prop_assert_eq!(first, line.as_str());
            }
        }
        prop_assert_eq!(out.collect::<Vec<_>>(), vec![""]);
    }
}

/// One `--hash` puts the file in hash-checking mode: the default-on rule's findings
/// take the lock's hashes with a plain `--fix`.
#[test]
fn hash_checking_mode_findings_take_the_locks_hashes() {
    let a = "a".repeat(64);
    let b = "b".repeat(64);
    let (_, lock_text) = lock("pdm", &a, &b);
    let requirements = format!("alpha==1.0\nbeta==2.0 --hash=sha256:{b}\n");
    let dir = tree(&[
        ("pdm.lock", &lock_text),
        ("requirements.txt", &requirements),
    ]);
    let (code, out, _) = pinwarden(dir.path(), &["check", "--isolated", "--format", "concise"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("error[hash-checking-mode] `alpha`"), "{out}");
    pinwarden(dir.path(), &["check", "--isolated", "--fix"]);
    let fixed = std::fs::read_to_string(dir.path().join("requirements.txt")).unwrap();
    assert_eq!(
        fixed,
        format!("alpha==1.0 \\\n    --hash=sha256:{a}\nbeta==2.0 --hash=sha256:{b}\n")
    );
    let (code, out, _) = pinwarden(dir.path(), &["check", "--isolated", "--format", "concise"]);
    assert_eq!(code, Some(0), "{out}");
}
