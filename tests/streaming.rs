//! A report written as the run goes (`check_and_report`, what `pinwarden check` does
//! for a report) is byte for byte the report of the finished run (`check`, then
//! `report::render`, what fixes, baselines and statistics go through): in every format,
//! on trees with the findings only the whole project shows (include checks, hash-checking
//! mode through includes, a lock several manifests share), inline directives that
//! suppress them, and on real repositories.

mod common;
use common::tree;

use std::path::{Path, PathBuf};

use pinwarden::config::Settings;
use pinwarden::policy::RuleSet;
use pinwarden::report::{self, Format};
use pinwarden::{CheckInput, check, check_and_report};

const FORMATS: [Format; 5] = [
    Format::Human,
    Format::Concise,
    Format::Json,
    Format::Sarif,
    Format::Github,
];

/// The input `pinwarden check` makes for a report in `format`, written as the run goes:
/// each file is rendered while its text is at hand; SARIF takes each finding's line for
/// its fingerprint as the file is linted.
fn streamed_input(path: &Path, format: Format) -> CheckInput {
    CheckInput {
        paths: vec![path.to_path_buf()],
        drop_text: true,
        brief: format == Format::Concise,
        fingerprints: format == Format::Sarif,
        ..CheckInput::default()
    }
}

/// The same for a finished run rendered at the end: its texts are freed as files are
/// linted, so the human report reads them again.
fn finished_input(path: &Path, format: Format) -> CheckInput {
    CheckInput {
        reread_text: format == Format::Human,
        ..streamed_input(path, format)
    }
}

/// Both reports of `path`, with their counts, in `format`.
fn both(path: &Path, format: Format, settings: &Settings) -> [(String, report::Summary); 2] {
    let rules = RuleSet::builtin().unwrap();
    let finished = check(&finished_input(path, format), &rules, settings);
    let mut whole = Vec::new();
    report::render(format, &finished, Default::default(), &mut whole).unwrap();
    let streamer = report::file_report(format, Default::default(), &settings.root, &rules.rules);
    let mut streamed = Vec::new();
    let input = streamed_input(path, format);
    let (outcome, written) = check_and_report(&input, &rules, settings, &*streamer, &mut streamed);
    written.unwrap();
    assert_eq!(
        outcome.suppressed,
        finished.suppressed,
        "{}",
        path.display()
    );
    [
        (String::from_utf8(whole).unwrap(), finished.summary()),
        (String::from_utf8(streamed).unwrap(), outcome.summary()),
    ]
}

fn assert_same(path: &Path, settings: &Settings) -> usize {
    let mut findings = 0;
    for format in FORMATS {
        let [(whole, whole_summary), (streamed, streamed_summary)] = both(path, format, settings);
        assert_eq!(
            whole,
            streamed,
            "{format:?} report of {} differs when written as the run goes",
            path.display()
        );
        assert_eq!(whole_summary, streamed_summary);
        findings = streamed_summary.total();
    }
    findings
}

/// Every rule, the ones off by default too (unused suppressions, style notes).
fn settings_for(root: &Path) -> Settings {
    let mut settings = Settings {
        root: root.to_path_buf(),
        ..Settings::default()
    };
    settings.overrides.extend_select = vec!["ALL".to_string()];
    settings
}

#[test]
fn project_wide_findings_and_directives_come_out_as_in_the_finished_run() {
    let dir = tree(&[
        // Hash-checking mode through an include: the included file's findings come
        // only once the including file is known, and one is suppressed inline.
        (
            "requirements.txt",
            "--require-hashes\n-r requirements-z.txt\n-r missing.txt\n",
        ),
        (
            "requirements-z.txt",
            "flask==3.0.3\nrich==13.7.1  # pinwarden: ignore[missing-hash]\nclick>=8  # pinwarden: ignore[hash-checking-mode]\n",
        ),
        // An include cycle.
        (
            "cycle/requirements-one.txt",
            "-r requirements-two.txt\nhttpx==0.27.0\n",
        ),
        ("cycle/requirements-two.txt", "-r requirements-one.txt\n"),
        // A lock two manifests share and no one can read: one finding, on the lock.
        (
            "shared/pyproject.toml",
            "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"flask>=2\"]\n",
        ),
        ("shared/uv.lock", "this is = = not toml\n"),
        (
            "shared/sub/pyproject.toml",
            "[project]\nname = \"b\"\nversion = \"1\"\ndependencies = [\"rich>=1\"]\n",
        ),
        // Directives that suppress nothing, and one written wrongly.
        (
            "requirements-dev.txt",
            "flask>=2  # pinwarden: ignore[unpinned-requirement]\nrich==1.0  # pinwarden: ignore[version-range\n",
        ),
        // A real env file: its values never show.
        (".env", "TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n"),
    ]);
    let findings = assert_same(dir.path(), &settings_for(dir.path()));
    assert!(findings > 8, "the tree gives {findings} findings");
    // Each kind of finding the whole project shows is there.
    let [_, (concise, _)] = both(dir.path(), Format::Concise, &settings_for(dir.path()));
    for expected in [
        "requirements-z.txt:1:1: error[hash-checking-mode]",
        "requirements-one.txt:1:4: error[include-cycle]",
        "requirements.txt:3:4: error[include-not-found]",
        "shared/uv.lock:1:1: error[lock-unreadable]",
        "requirements-dev.txt:1:13: warning[unused-suppression]",
    ] {
        assert!(concise.contains(expected), "{expected} not in\n{concise}");
    }
    // The directives hold for the findings that come last.
    for suppressed in [
        "requirements-z.txt:3:1: error[hash-checking-mode]",
        "requirements-z.txt:2:1: error[missing-hash]",
    ] {
        assert!(!concise.contains(suppressed), "{suppressed} in\n{concise}");
    }
}

#[test]
fn a_file_that_turns_hash_checking_on_is_linted_in_the_install_it_is_really_in() {
    // Each file with a `--hash` is first linted as its own install in the mode; the
    // include graph then shows where that was wrong, and only the right findings stay.
    const HASH: &str =
        "--hash=sha256:0000000000000000000000000000000000000000000000000000000000000000";
    let hashed = format!("flask==3.0.3 {HASH}\nrich==13.7.1\n");
    let dir = tree(&[
        // Its own install: right as assumed.
        ("own/requirements.txt", hashed.as_str()),
        // Included by another file: installed by that one's install.
        (
            "included/requirements.txt",
            "-r requirements-hashed.txt\nclick>=8\n",
        ),
        ("included/requirements-hashed.txt", hashed.as_str()),
        // An included file turns the mode off again: no install in the mode.
        (
            "off/requirements.txt",
            &format!("{hashed}-r requirements-off.txt\n"),
        ),
        (
            "off/requirements-off.txt",
            "--no-require-hashes\nsix==1.16.0\n",
        ),
        // A constraint file is not installed, though its hash turns the mode on.
        (
            "constraint/requirements.txt",
            "-c constraints.txt\nhttpx==0.27.0\n",
        ),
        ("constraint/constraints.txt", hashed.as_str()),
        // An install command turns the mode on: it is named as the cause.
        (
            "docker/Dockerfile",
            "FROM python:3.12@sha256:0000000000000000000000000000000000000000000000000000000000000000\nRUN pip install --require-hashes -r requirements.txt\n",
        ),
        ("docker/requirements.txt", hashed.as_str()),
    ]);
    let settings = settings_for(dir.path());
    assert_same(dir.path(), &settings);
    let [_, (json, _)] = both(dir.path(), Format::Json, &settings);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let hash_mode: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["rule"] == "hash-checking-mode")
        .map(|finding| {
            (
                finding["path"].as_str().unwrap().to_string(),
                finding["help"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let root_of = |path: &str| -> Vec<&str> {
        hash_mode
            .iter()
            .filter(|(at, _)| at.ends_with(path))
            .map(|(_, help)| help.as_str())
            .collect()
    };
    let [own] = root_of("own/requirements.txt")[..] else {
        panic!("{hash_mode:?}")
    };
    assert!(own.contains("/own/requirements.txt` is"), "{own}");
    let [by_root] = root_of("included/requirements-hashed.txt")[..] else {
        panic!("{hash_mode:?}")
    };
    assert!(
        by_root.contains("/included/requirements.txt` is"),
        "{by_root}"
    );
    assert_eq!(
        root_of("included/requirements.txt").len(),
        1,
        "{hash_mode:?}"
    );
    assert!(root_of("off/requirements.txt").is_empty(), "{hash_mode:?}");
    assert!(
        root_of("constraint/constraints.txt").is_empty(),
        "{hash_mode:?}"
    );
    assert_eq!(
        root_of("constraint/requirements.txt").len(),
        1,
        "{hash_mode:?}"
    );
    let [by_command] = root_of("docker/requirements.txt")[..] else {
        panic!("{hash_mode:?}")
    };
    assert!(by_command.contains("Dockerfile:2"), "{by_command}");
}

#[test]
fn the_report_is_the_same_when_every_piece_goes_through_the_temporary_file() {
    // Nothing kept in memory: each file's report is written to disk and read back.
    report::stream::set_memory_limit(0);
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let findings = assert_same(&examples, &settings_for(&examples));
    assert!(findings > 20, "the examples give {findings} findings");
    // Pieces the second pass replaces lie further on in the file than the pieces
    // around them, which are read in order past the replaced ones.
    const HASH: &str =
        "--hash=sha256:0000000000000000000000000000000000000000000000000000000000000000";
    let hashed = format!("flask==3.0.3 {HASH}\nrich==13.7.1\nclick>=8\n");
    let mut files: Vec<(String, String)> = Vec::new();
    for package in 0..40 {
        files.push((format!("p{package:02}/requirements.txt"), hashed.clone()));
        files.push((
            format!("p{package:02}/requirements-dev.txt"),
            "-r requirements.txt\npytest>=8\n".to_string(),
        ));
        files.push((
            format!("p{package:02}/z/requirements.txt"),
            "six>=1\n".to_string(),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = tree(&files);
    let findings = assert_same(dir.path(), &settings_for(dir.path()));
    assert!(findings > 200, "the tree gives {findings} findings");
}

#[test]
fn real_repositories_report_the_same_either_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real-repos");
    let projects: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("the real repositories' test data")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() && !path.ends_with("expected"))
        .collect();
    assert!(projects.len() >= 10, "test data missing: {projects:?}");
    let mut total = 0;
    for project in &projects {
        total += assert_same(project, &settings_for(project));
    }
    assert!(total > 100, "the projects give {total} findings");
}
