//! `pinwarden server` spoken to as an editor speaks to it: JSON-RPC over its standard
//! input and output (see tests/common/lsp.rs).

mod common;

use std::path::Path;

use common::lsp::{Client, apply, codes, uri};
use serde_json::{Value, json};

/// A client that takes pushed diagnostics and watches files.
fn push_client() -> Value {
    json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}})
}

#[test]
fn pushes_diagnostics_on_open_and_change() {
    let dir = common::tree(&[("requirements.txt", "requests>=2\n")]);
    let mut client = Client::start(dir.path(), push_client());
    let uri = client.open(&dir.path().join("requirements.txt"), "pip-requirements", 1);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(codes(&diagnostics), ["version-range"]);
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["source"], "pinwarden");
    assert_eq!(diagnostic["severity"], 1);
    assert_eq!(
        diagnostic["range"],
        json!({"start": {"line": 0, "character": 8}, "end": {"line": 0, "character": 11}})
    );
    // The package names no repository yet: like the reports, no made-up link.
    assert!(diagnostic.get("codeDescription").is_none(), "{diagnostic}");
    client.change(&uri, 2, "requests==2.32.3\n");
    assert_eq!(codes(&client.diagnostics(&uri, 2)), Vec::<String>::new());
    client.change(&uri, 3, "requests\n");
    assert_eq!(
        codes(&client.diagnostics(&uri, 3)),
        ["unpinned-requirement"]
    );
    assert!(client.shutdown().success());
}

#[test]
fn pull_clients_are_answered_and_not_pushed_to() {
    let dir = common::tree(&[("requirements.txt", "flask>=3\n")]);
    let capabilities = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let mut client = Client::start(dir.path(), capabilities);
    let uri = client.open(&dir.path().join("requirements.txt"), "pip-requirements", 1);
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["result"]["kind"], "full", "{report}");
    let items = report["result"]["items"].as_array().unwrap();
    assert_eq!(codes(items), ["version-range"]);
    // A request answered after the open: had a push been sent, it came before.
    client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 0}}),
    );
    assert!(
        !client
            .notifications
            .iter()
            .any(|n| n["method"] == "textDocument/publishDiagnostics"),
        "{:?}",
        client.notifications
    );
    assert!(client.shutdown().success());
}

/// Every file of the examples, opened in the server, has the diagnostics `check` gives
/// for it by name: every family, the same configuration resolution.
#[test]
fn every_family_is_linted_as_check_lints_it() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files = Vec::new();
    let mut dirs = vec![examples.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if pinwarden::discover::classify(&path).is_some() {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut kinds: Vec<_> = files
        .iter()
        .map(|f| format!("{:?}", pinwarden::discover::classify(f).unwrap()))
        .collect();
    kinds.sort();
    kinds.dedup();
    assert!(
        kinds.len() >= 8,
        "the examples cover the families: {kinds:?}"
    );
    let mut client = Client::start(&examples, push_client());
    for file in &files {
        // Run where the server's workspace is: the root includes may not leave.
        let relative = file.strip_prefix(&examples).unwrap();
        let (_, out, _) = common::pinwarden(
            &examples,
            &["check", "--format", "json", relative.to_str().unwrap()],
        );
        let report: Value = serde_json::from_str(&out).unwrap();
        let mut expected: Vec<(String, u64)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| Path::new(f["path"].as_str().unwrap()).file_name() == file.file_name())
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap() - 1,
                )
            })
            .collect();
        expected.sort();
        let uri = client.open(file, "text", 1);
        let mut got: Vec<(String, u64)> = client
            .diagnostics(&uri, 1)
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap(),
                )
            })
            .collect();
        got.sort();
        assert_eq!(got, expected, "{}", file.display());
    }
    assert!(client.shutdown().success());
}

#[test]
fn secrets_are_masked_in_everything_sent() {
    let text = "--extra-index-url https://ci:Qm7vX2pLk9Rt@pypi.internal.example.com/simple\nrequests==2.32.3\n";
    let dir = common::tree(&[("requirements.txt", text)]);
    let mut client = Client::start(dir.path(), push_client());
    let uri = client.open(&dir.path().join("requirements.txt"), "pip-requirements", 1);
    let diagnostics = client.diagnostics(&uri, 1);
    assert!(
        codes(&diagnostics).contains(&"secret-requirement-credentials".to_string()),
        "{diagnostics:?}"
    );
    for line in 0..2 {
        client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 20}}),
        );
        client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri},
                   "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 60}},
                   "context": {"diagnostics": []}}),
        );
    }
    let transcript = client.transcript();
    assert!(!transcript.contains("Qm7vX2pLk9Rt"), "{transcript}");
    assert!(client.shutdown().success());
}

#[test]
fn a_parse_error_is_a_diagnostic() {
    let dir = common::tree(&[("pyproject.toml", "[project\nname = \"x\"\n")]);
    let mut client = Client::start(dir.path(), push_client());
    let uri = client.open(&dir.path().join("pyproject.toml"), "toml", 1);
    assert_eq!(codes(&client.diagnostics(&uri, 1)), ["parse-error"]);
    assert!(client.shutdown().success());
}

#[test]
fn configuration_is_reloaded_when_it_changes() {
    let dir = common::tree(&[
        ("pinwarden.toml", "ignore = [\"version-range\"]\n"),
        ("requirements.txt", "requests>=2\n"),
    ]);
    let mut client = Client::start(dir.path(), push_client());
    let registration = client.wait_for("client/registerCapability", |_| true);
    assert_eq!(
        registration["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    let uri = client.open(&dir.path().join("requirements.txt"), "pip-requirements", 1);
    assert_eq!(codes(&client.diagnostics(&uri, 1)), Vec::<String>::new());
    std::fs::write(dir.path().join("pinwarden.toml"), "ignore = []\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(dir.path(), "pinwarden.toml"), "type": 2}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri, 1)), ["version-range"]);
    // A broken configuration is said, on the document.
    std::fs::write(dir.path().join("pinwarden.toml"), "ignore = [\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(dir.path(), "pinwarden.toml"), "type": 2}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri, 1)), ["configuration"]);
    assert!(client.shutdown().success());
}

fn uri_of(dir: &Path, name: &str) -> String {
    uri(&dir.join(name))
}

#[test]
fn an_include_cycle_names_each_include_on_the_way_back() {
    let dir = common::tree(&[
        ("requirements.txt", "-r b.txt\nrequests==2.32.3\n"),
        ("b.txt", "-r c.txt\n"),
        ("c.txt", "flask==3.0.3\n-r requirements.txt\n"),
    ]);
    let mut client = Client::start(dir.path(), push_client());
    let uri = client.open(&dir.path().join("requirements.txt"), "pip-requirements", 1);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(codes(&diagnostics), ["include-cycle"]);
    let related = diagnostics[0]["relatedInformation"].as_array().unwrap();
    let places: Vec<(String, u64)> = related
        .iter()
        .map(|r| {
            (
                r["location"]["uri"].as_str().unwrap().to_string(),
                r["location"]["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            (uri_of(dir.path(), "b.txt"), 0),
            (uri_of(dir.path(), "c.txt"), 1)
        ]
    );
    assert!(client.shutdown().success());
}

#[test]
fn an_includer_is_linted_again_when_its_include_appears() {
    let dir = common::tree(&[("requirements.txt", "-r base.txt\n")]);
    let mut client = Client::start(dir.path(), push_client());
    let uri = client.open(&dir.path().join("requirements.txt"), "pip-requirements", 1);
    assert_eq!(codes(&client.diagnostics(&uri, 1)), ["include-not-found"]);
    std::fs::write(dir.path().join("base.txt"), "-r requirements.txt\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(dir.path(), "base.txt"), "type": 1}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri, 1)), ["include-cycle"]);
    assert!(client.shutdown().success());
}

fn code_actions(client: &mut Client, uri: &str, line: u64) -> Vec<Value> {
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    response["result"].as_array().unwrap().clone()
}

fn edits_of(action: &Value, uri: &str) -> Vec<Value> {
    action["edit"]["changes"][uri].as_array().unwrap().clone()
}

#[test]
fn code_actions_fix_ignore_and_fix_all() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/app-with-lock");
    let pyproject = std::fs::read_to_string(examples.join("pyproject.toml")).unwrap();
    let lock = std::fs::read_to_string(examples.join("uv.lock")).unwrap();
    let dir = common::tree(&[
        ("pinwarden.toml", "require-exact-pins = true\n"),
        ("pyproject.toml", &pyproject),
        ("uv.lock", &lock),
    ]);
    let mut client = Client::start(dir.path(), push_client());
    let uri = client.open(&dir.path().join("pyproject.toml"), "toml", 1);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(
        codes(&diagnostics),
        ["lock-drift", "unpinned-requirement", "version-range"]
    );
    let pytest_line = diagnostics
        .iter()
        .find(|d| d["code"] == "version-range")
        .unwrap()["range"]["start"]["line"]
        .as_u64()
        .unwrap();
    let actions = code_actions(&mut client, &uri, pytest_line);
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    // The lock's version.
    let fix = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Fix `version-range`")
        })
        .unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(fix["kind"], "quickfix");
    let fixed = apply(&pyproject, &edits_of(fix, &uri));
    assert!(fixed.contains("\"pytest==8.3.2\","), "{fixed}");
    // The directive, where TOML has it as a comment.
    let ignore = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Ignore `version-range`")
        })
        .unwrap_or_else(|| panic!("{titles:?}"));
    let ignored = apply(&pyproject, &edits_of(ignore, &uri));
    assert!(
        ignored.contains("\"pytest>=8\",  # pinwarden: ignore[version-range]\n"),
        "{ignored}"
    );
    client.change(&uri, 2, &ignored);
    assert_eq!(
        codes(&client.diagnostics(&uri, 2)),
        ["lock-drift", "unpinned-requirement"]
    );
    // Fix all: both pins, in one action.
    let actions = code_actions(&mut client, &uri, 0);
    let fix_all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.pinwarden")
        .unwrap();
    let all = apply(&ignored, &edits_of(fix_all, &uri));
    assert!(all.contains("\"ruff==0.5.5\","), "{all}");
    client.change(&uri, 3, &all);
    assert_eq!(codes(&client.diagnostics(&uri, 3)), ["lock-drift"]);
    assert!(client.shutdown().success());
}

#[test]
fn ignore_directives_follow_each_family() {
    let cases = [
        (
            "requirements.txt",
            "flask>=3  # web\n",
            "flask>=3  # web  # pinwarden: ignore[version-range]\n",
        ),
        (
            "Dockerfile",
            "FROM python:3.12\n",
            "# pinwarden: ignore[unpinned-image]\nFROM python:3.12\n",
        ),
        (
            "requirements-dev.txt",
            "flask>=3  # pinwarden: ignore[unpinned-requirement]\n",
            "flask>=3  # pinwarden: ignore[unpinned-requirement, version-range]\n",
        ),
    ];
    for (name, text, want) in cases {
        let dir = common::tree(&[(name, text)]);
        let mut client = Client::start(dir.path(), push_client());
        let uri = client.open(&dir.path().join(name), "text", 1);
        let diagnostics = client.diagnostics(&uri, 1);
        assert!(!diagnostics.is_empty(), "{name}");
        let actions = code_actions(&mut client, &uri, 0);
        let ignore = actions
            .iter()
            .find(|a| a["title"].as_str().unwrap().starts_with("Ignore"))
            .unwrap_or_else(|| panic!("{name}: {actions:?}"));
        let edited = apply(text, &edits_of(ignore, &uri));
        assert_eq!(edited, want, "{name}");
        client.change(&uri, 2, &edited);
        assert_eq!(
            codes(&client.diagnostics(&uri, 2)),
            Vec::<String>::new(),
            "{name}"
        );
        assert!(client.shutdown().success());
    }
}

#[test]
fn hover_shows_the_rule_documentation() {
    let dir = common::tree(&[("requirements.txt", "requests>=2\n")]);
    let mut client = Client::start(dir.path(), push_client());
    let uri = client.open(&dir.path().join("requirements.txt"), "pip-requirements", 1);
    client.diagnostics(&uri, 1);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 9}}),
    );
    let value = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("# version-range\n"), "{value}");
    assert_eq!(hover["result"]["contents"]["kind"], "markdown");
    let away = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
    );
    assert!(away["result"].is_null(), "{away}");
    assert!(client.shutdown().success());
}

#[test]
// The method that panics is built into debug builds only (`cargo test`, as CI runs).
#[cfg_attr(
    not(debug_assertions),
    ignore = "`pinwarden/panic` exists in debug builds only"
)]
fn a_panic_fails_one_request_and_the_server_goes_on() {
    let dir = common::tree(&[("requirements.txt", "requests>=2\n")]);
    let mut client = Client::start_with_env(
        dir.path(),
        push_client(),
        &[("PINWARDEN_SERVER_TEST_PANIC", "1")],
    );
    let broken = client.request("pinwarden/panic", json!({}));
    assert_eq!(broken["error"]["code"], -32603, "{broken}");
    let logged = client.wait_for("window/logMessage", |_| true);
    assert!(
        logged["message"]
            .as_str()
            .unwrap()
            .contains("pinwarden/panic"),
        "{logged}"
    );
    let uri = client.open(&dir.path().join("requirements.txt"), "pip-requirements", 1);
    assert_eq!(codes(&client.diagnostics(&uri, 1)), ["version-range"]);
    assert!(client.shutdown().success());
}

#[test]
fn files_pinwarden_does_not_read_or_that_are_excluded_have_no_diagnostics() {
    let dir = common::tree(&[
        ("pinwarden.toml", "exclude = [\"vendor\"]\n"),
        ("vendor/requirements.txt", "requests>=2\n"),
        ("notes.txt", "requests>=2\n"),
        ("requirements.txt", "requests>=2\n"),
    ]);
    let mut client = Client::start(dir.path(), push_client());
    for name in ["vendor/requirements.txt", "notes.txt"] {
        let uri = client.open(&dir.path().join(name), "text", 1);
        assert_eq!(
            codes(&client.diagnostics(&uri, 1)),
            Vec::<String>::new(),
            "{name}"
        );
    }
    let uri = client.open(&dir.path().join("requirements.txt"), "text", 1);
    assert_eq!(codes(&client.diagnostics(&uri, 1)), ["version-range"]);
    assert!(client.shutdown().success());
}

#[test]
fn a_pull_client_is_asked_to_pull_again_when_configuration_changes() {
    let dir = common::tree(&[
        ("pinwarden.toml", "ignore = [\"version-range\"]\n"),
        ("requirements.txt", "requests>=2\n"),
    ]);
    let capabilities = json!({
        "textDocument": {"diagnostic": {}},
        "workspace": {"diagnostic": {"refreshSupport": true},
                      "didChangeWatchedFiles": {"dynamicRegistration": true}},
    });
    let mut client = Client::start(dir.path(), capabilities);
    let uri = client.open(&dir.path().join("requirements.txt"), "pip-requirements", 1);
    let pull = |client: &mut Client| {
        let report = client.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        );
        codes(report["result"]["items"].as_array().unwrap())
    };
    assert_eq!(pull(&mut client), Vec::<String>::new());
    std::fs::write(dir.path().join("pinwarden.toml"), "ignore = []\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(dir.path(), "pinwarden.toml"), "type": 2}]}),
    );
    client.wait_for("workspace/diagnostic/refresh", |_| true);
    assert_eq!(pull(&mut client), ["version-range"]);
    assert!(client.shutdown().success());
}

#[test]
fn saving_an_included_file_lints_its_includers_again() {
    let dir = common::tree(&[
        ("requirements.txt", "-r requirements-base.txt\n"),
        ("requirements-base.txt", "flask==3.0.3\n"),
    ]);
    let mut client = Client::start(dir.path(), json!({}));
    let uri = client.open(&dir.path().join("requirements.txt"), "pip-requirements", 1);
    assert_eq!(codes(&client.diagnostics(&uri, 1)), Vec::<String>::new());
    // Saved by the editor: the include now leads back.
    std::fs::write(
        dir.path().join("requirements-base.txt"),
        "flask==3.0.3\n-r requirements.txt\n",
    )
    .unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri_of(dir.path(), "requirements-base.txt")}}),
    );
    assert_eq!(codes(&client.diagnostics(&uri, 1)), ["include-cycle"]);
    assert!(client.shutdown().success());
}
