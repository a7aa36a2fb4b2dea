//! Secrets in env files: generated fake credentials must be found by the right rule,
//! placeholders must not be, no output format may print a flagged value, and a real
//! `.env` that git does not ignore is reported.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use pinwarden::config::Settings;
use pinwarden::policy::RuleSet;
use pinwarden::report::{self, Format, RenderOptions};
use pinwarden::{CheckInput, Outcome, check};

// Generated credentials come from a deterministic generator, so failures reproduce.
use common::SplitMix as Rng;

impl Rng {
    fn string(&mut self, alphabet: &str, len: usize) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        (0..len)
            .map(|_| chars[(self.next() % chars.len() as u64) as usize])
            .collect()
    }
}

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_NUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BASE32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const HEX: &str = "0123456789abcdef";
const DIGITS: &str = "0123456789";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Documented, non-secret starts of credential formats, longest first.
const FIXED_PREFIXES: &[&str] = &[
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ",
    "https://hooks.slack.com/services/",
    "pypi-AgEIcHlwaS5vcmc",
    "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=",
    "sk-ant-api03-",
    "xoxe.xoxp-1-",
    "github_pat_",
    "dckr_pat_",
    "api_org_",
    "sk-proj-",
    "sk_live_",
    "whsec_",
    "glpat-",
];

/// A fake credential: the key it is stored under, its value, and the rule that must
/// report it.
struct Fake {
    key: &'static str,
    value: String,
    rule: &'static str,
}

impl Fake {
    /// The random part: what must never be printed. A URL's scheme, user and host, a
    /// PEM block's armour lines and a format's fixed prefix (`github_pat_`, a JWT's
    /// header) are not secret and also appear in rule texts and SARIF rule metadata.
    fn random_parts(&self) -> Vec<&str> {
        if let Some((_, rest)) = self.value.split_once("://app:") {
            return vec![rest.split('@').next().unwrap()];
        }
        self.value
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .map(|line| {
                FIXED_PREFIXES
                    .iter()
                    .find_map(|prefix| line.strip_prefix(prefix))
                    .unwrap_or(line)
            })
            .collect()
    }
}

fn fakes(rng: &mut Rng) -> Vec<Fake> {
    let mut r = |alphabet: &str, len: usize| rng.string(alphabet, len);
    let jwt = format!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ{}.{}",
        r(URLSAFE, 60),
        r(URLSAFE, 43)
    );
    let pem_body: Vec<String> = (0..4).map(|_| r(BASE64, 64)).collect();
    let fake = |key, value, rule| Fake { key, value, rule };
    vec![
        fake(
            "AWS_ACCESS_KEY_ID",
            format!("AKIA{}", r(BASE32, 16)),
            "secret-aws-access-key-id",
        ),
        fake(
            "AWS_SECRET_ACCESS_KEY",
            r(BASE64, 40),
            "secret-aws-secret-access-key",
        ),
        fake(
            "GITHUB_TOKEN",
            format!("ghp_{}", r(ALNUM, 36)),
            "secret-github-token",
        ),
        fake(
            "GH_PAT",
            format!("github_pat_{}_{}", r(ALNUM, 22), r(ALNUM, 59)),
            "secret-github-token",
        ),
        fake(
            "GITLAB_TOKEN",
            format!("glpat-{}", r(URLSAFE, 20)),
            "secret-gitlab-token",
        ),
        fake(
            "SLACK_BOT_TOKEN",
            format!("xoxb-{}-{}-{}", r(DIGITS, 12), r(DIGITS, 13), r(ALNUM, 24)),
            "secret-slack-token",
        ),
        fake(
            "SLACK_WEBHOOK",
            format!(
                "https://hooks.slack.com/services/T{}/B{}/{}",
                r(UPPER_NUM, 10),
                r(UPPER_NUM, 10),
                r(ALNUM, 24)
            ),
            "secret-slack-token",
        ),
        fake(
            "STRIPE_SECRET_KEY",
            format!("sk_live_{}", r(ALNUM, 24)),
            "secret-stripe-key",
        ),
        fake(
            "STRIPE_WEBHOOK_SECRET",
            format!("whsec_{}", r(ALNUM, 32)),
            "secret-stripe-key",
        ),
        fake(
            "OPENAI_API_KEY",
            format!("sk-proj-{}", r(URLSAFE, 64)),
            "secret-ai-api-key",
        ),
        fake(
            "ANTHROPIC_API_KEY",
            format!("sk-ant-api03-{}AA", r(URLSAFE, 93)),
            "secret-ai-api-key",
        ),
        fake(
            "HF_TOKEN",
            format!(
                "hf_{}",
                r("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 34)
            ),
            "secret-ai-api-key",
        ),
        fake(
            "GOOGLE_API_KEY",
            format!("AIza{}", r(URLSAFE, 35)),
            "secret-google-api-key",
        ),
        fake("SERVICE_JWT", jwt, "secret-jwt"),
        fake(
            "JWT_PRIVATE_KEY",
            format!(
                "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----",
                pem_body.join("\n")
            ),
            "secret-private-key",
        ),
        fake(
            "DATABASE_URL",
            format!(
                "postgresql://app:{}{}@db.internal:5432/app",
                r(ALNUM, 10),
                r(DIGITS, 2)
            ),
            "secret-url-password",
        ),
        fake(
            "TWINE_PASSWORD",
            format!("pypi-AgEIcHlwaS5vcmc{}", r(URLSAFE, 70)),
            "secret-pypi-token",
        ),
        fake("DJANGO_SECRET_KEY", r(HEX, 64), "secret-high-entropy-value"),
        fake(
            "SMTP_PASSWORD",
            format!("{}{}", r(ALNUM, 14), r(DIGITS, 2)),
            "secret-high-entropy-value",
        ),
        // A base-64 value may start with `/`: it is not a path.
        fake(
            "SESSION_SECRET",
            format!("/{}+{}==", r(ALNUM, 20), r(BASE64, 20)),
            "secret-high-entropy-value",
        ),
        fake(
            "REDIS_URL",
            format!(
                "redis://app:{}{}{}@cache.internal:6379/0",
                r(UPPER, 6),
                r(LOWER, 6),
                r(LETTERS, 6)
            ),
            "secret-url-password",
        ),
        fake(
            "SLACK_CONFIG_TOKEN",
            format!("xoxe.xoxp-1-{}", r(ALNUM, 163)),
            "secret-slack-token",
        ),
        fake(
            "GITLAB_TRIGGER_TOKEN",
            format!("glptt-{}", r(HEX, 40)),
            "secret-gitlab-token",
        ),
        fake(
            "HUGGINGFACEHUB_API_TOKEN",
            format!("api_org_{}", r(LETTERS, 34)),
            "secret-ai-api-key",
        ),
        fake(
            "NPM_TOKEN",
            format!("npm_{}", r(ALNUM, 36)),
            "secret-npm-token",
        ),
        fake(
            "DOCKERHUB_TOKEN",
            format!("dckr_pat_{}", r(URLSAFE, 27)),
            "secret-docker-hub-token",
        ),
        fake(
            "AZURE_CLIENT_SECRET",
            format!("{}{}Q~{}", r(ALNUM, 3), r(DIGITS, 1), r(ALNUM, 34)),
            "secret-azure-key",
        ),
        fake(
            "AZURE_STORAGE_CONNECTION_STRING",
            format!(
                "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={}==",
                r(BASE64, 86)
            ),
            "secret-azure-key",
        ),
        fake(
            "TWILIO_API_KEY",
            format!("SK{}", r(HEX, 32)),
            "secret-twilio-api-key",
        ),
        fake(
            "SENDGRID_API_KEY",
            format!("SG.{}.{}", r(URLSAFE, 22), r(URLSAFE, 43)),
            "secret-sendgrid-key",
        ),
        fake(
            "HEROKU_API_KEY",
            format!("HRKU-AA{}", r(URLSAFE, 58)),
            "secret-heroku-api-key",
        ),
        fake(
            "DATABRICKS_TOKEN",
            format!("dapi{}", r(HEX, 32)),
            "secret-databricks-token",
        ),
        fake(
            "SHOPIFY_ACCESS_TOKEN",
            format!("shpat_{}", r(HEX, 32)),
            "secret-shopify-token",
        ),
    ]
}

/// Write `value` under `key` in one of several dotenv spellings, chosen by `style`.
fn entry(key: &str, value: &str, style: usize) -> String {
    if value.contains('\n') {
        return match style % 2 {
            0 => format!("{key}=\"{value}\"\n"),
            _ => format!("{key}=\"{}\"\n", value.replace('\n', "\\n")),
        };
    }
    match style % 5 {
        0 => format!("{key}={value}\n"),
        1 => format!("export {key}=\"{value}\"\n"),
        2 => format!("{key} = '{value}'  # rotate me\n"),
        3 => format!("{key}={value} # set in CI\n"),
        _ => format!("  export {key} = {value}\r\n"),
    }
}

/// Every generated file: (file name, text, the fakes in it).
fn generated_files() -> Vec<(String, String, Vec<Fake>)> {
    let mut rng = Rng(0x5EC2_E75E_ED00_0001);
    (0..6)
        .map(|round| {
            let fakes = fakes(&mut rng);
            let mut text = String::from("# generated fake credentials\nDEBUG=false\n\n");
            for (i, fake) in fakes.iter().enumerate() {
                text.push_str(&entry(fake.key, &fake.value, round + i));
                text.push_str("LOG_LEVEL=info\n");
            }
            let template = [
                ".env.example",
                "prod.env.example",
                ".env.sample",
                ".env.template",
                ".env.dist",
                ".env.staging.example",
            ][round];
            let name = format!("app{round}/{template}");
            (name, text, fakes)
        })
        .collect()
}

fn write_tree(files: &[(String, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn run(paths: Vec<PathBuf>, select: &str) -> Outcome {
    let rules = RuleSet::builtin().unwrap();
    let settings = Settings {
        select: Some(vec![select.to_string()]),
        ..Settings::default()
    };
    let input = CheckInput {
        paths,
        ..CheckInput::default()
    };
    check(&input, &rules, &settings)
}

/// The findings of a run as (file name relative to `root`, line, rule).
fn located(outcome: &Outcome, root: &Path) -> Vec<(String, usize, String)> {
    outcome
        .findings
        .iter()
        .map(|f| {
            let relative = f.path.strip_prefix(root).unwrap_or(&f.path);
            (
                relative.display().to_string(),
                f.start.line,
                f.rule.name.clone(),
            )
        })
        .collect()
}

#[test]
fn every_generated_credential_is_found_by_its_rule_and_only_once() {
    let files = generated_files();
    let tree: Vec<_> = files
        .iter()
        .map(|(n, t, _)| (n.clone(), t.clone()))
        .collect();
    let dir = write_tree(&tree);
    let outcome = run(vec![dir.path().to_path_buf()], "secret-*");
    for (name, text, fakes) in &files {
        let path = dir.path().join(name);
        let file_findings: Vec<_> = outcome
            .findings
            .iter()
            .filter(|f| *f.path == *path)
            .collect();
        for fake in fakes {
            let hits: Vec<_> = file_findings
                .iter()
                .filter(|f| {
                    let secret = f.secret.clone().expect("secret rules mark the value");
                    // The whole value, or for a URL the credential part of it.
                    let marked = &text[secret];
                    marked.contains(fake.value.lines().next().unwrap())
                        || (marked.len() >= 8 && fake.value.contains(marked))
                })
                .collect();
            let rules: Vec<&str> = hits.iter().map(|f| f.rule.name.as_str()).collect();
            assert_eq!(rules, [fake.rule], "{name}: {} = {}", fake.key, fake.value);
        }
        // Nothing else in the file (DEBUG, LOG_LEVEL) is reported.
        assert_eq!(file_findings.len(), fakes.len(), "{name}");
    }
}

#[test]
fn placeholders_and_demo_values_are_never_flagged() {
    let placeholders = [
        "SECRET_KEY=",
        "SECRET_KEY=\"\"",
        "SECRET_KEY=changeme",
        "SECRET_KEY=change_me_in_production_2024",
        "API_KEY=your_api_key_here",
        "API_KEY=<API_KEY>",
        "API_KEY=\"<your-openai-key>\"",
        "API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "API_KEY=XXXX-XXXX-XXXX-XXXX",
        "API_KEY=${OTHER_API_KEY}",
        "API_KEY=$OTHER_API_KEY",
        "API_KEY={{ api_key }}",
        "API_KEY=example",
        "API_KEY=example-key-1a2b3c4d5e6f",
        "API_KEY=aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "API_KEY=abababababababababab1",
        "ENCRYPTION_KEY=0000000000000000000000000000000000000000000000000000000000000000",
        "ENCRYPTION_KEY=1111111111111111111111111111111111111111",
        "SECRET=CAFEBABE",
        "SECRET=DEADBEEFDEADBEEFDEADBEEF",
        "PASSWORD=password123",
        "PASSWORD=P@ssw0rd",
        "PASSWORD=admin",
        "PASSWORD=12345",
        "DB_PASSWORD=null",
        "TOKEN=your-token",
        "TOKEN=REDACTED",
        "TOKEN=********",
        "TOKEN=...",
        "OPENAI_API_KEY=sk-...",
        "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "STRIPE_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx",
        "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app",
        "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app",
        "DATABASE_URL=mysql://root:root@127.0.0.1/app",
        "DATABASE_URL=postgresql://user:password@localhost/db",
        "PRIVATE_KEY=\"-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\"",
        "SECRET_KEY=generate_a_new_key",
        "SECRET_KEY_FILE=/run/secrets/s3cr3t_k3y_f1le",
        "SESSION_TTL_SECONDS=86400",
        "PUBLIC_KEY=pk_live_8rESQedUStPKR0CsTy4Q",
        "GIT_COMMIT=3f6a1c2d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f",
        "REQUEST_ID=7a88fb47-b4e2-43b8-a06c-a5ce950dc53a",
    ];
    let text = placeholders.join("\n");
    let dir = write_tree(&[(".env.example".to_string(), text.clone())]);
    let outcome = run(vec![dir.path().to_path_buf()], "secret-*");
    let flagged: Vec<String> = outcome
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}: {}",
                f.rule.name,
                text.lines().nth(f.start.line - 1).unwrap()
            )
        })
        .collect();
    assert!(flagged.is_empty(), "{flagged:#?}");
}

/// Every window of `window` characters of `secret`: none may appear in output.
fn windows(secret: &str, window: usize) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .windows(window.min(chars.len()))
        .map(|w| w.iter().collect())
        .collect()
}

fn render_all(outcome: &Outcome) -> Vec<(&'static str, String)> {
    Format::NAMES
        .iter()
        .map(|name| {
            let format = Format::from_name(name).expect("every listed format parses");
            let mut out = Vec::new();
            report::render(format, outcome, RenderOptions::default(), &mut out).unwrap();
            (*name, String::from_utf8(out).unwrap())
        })
        .collect()
}

#[test]
fn no_output_format_prints_a_flagged_value() {
    let mut files: Vec<(String, String)> = generated_files()
        .into_iter()
        .map(|(name, text, _)| (name, text))
        .collect();
    let mut fakes: Vec<Fake> = generated_files()
        .into_iter()
        .flat_map(|(_, _, fakes)| fakes)
        .collect();
    // Index credentials in a requirements file, where `extra-index-url` also quotes
    // the URL in its message.
    let mut rng = Rng(7);
    let password = format!("{}{}", rng.string(ALNUM, 14), rng.string(DIGITS, 2));
    let token = format!("{}{}", rng.string(ALNUM, 22), rng.string(DIGITS, 2));
    files.push((
        "svc/requirements.txt".into(),
        format!(
            "--index-url https://deploy:{password}@pypi.internal.example.com/simple\n\
             --extra-index-url https://{token}@pypi.fury.io/acme/\n\
             flask==3.0.3\n"
        ),
    ));
    for value in [password, token] {
        fakes.push(Fake {
            key: "--index-url",
            value,
            rule: "secret-requirement-credentials",
        });
    }
    // A real `.env` as well: its excerpts are masked whole.
    files.push((
        ".env".into(),
        format!(
            "PastedBareLine7xQ\nGITHUB_TOKEN={}\nDB_PASSWORD=Hunter2IsNotRandom\n",
            fakes[2].value
        ),
    ));
    let dir = write_tree(&files);
    let outcome = run(vec![dir.path().to_path_buf()], "ALL");
    let flagged = outcome
        .findings
        .iter()
        .filter(|f| f.rule.name.starts_with("secret-"))
        .count();
    assert!(flagged > fakes.len(), "{flagged}");

    let outputs = render_all(&outcome);
    assert!(outputs.len() >= 3);
    for (format, output) in &outputs {
        assert!(
            output.contains("redacted"),
            "{format} shows no redacted value"
        );
        for fake in &fakes {
            // A redacted value shows at most a 4-character prefix; 8 characters of a
            // random secret in the output would be a leak.
            for part in fake.random_parts().into_iter().flat_map(|p| windows(p, 8)) {
                assert!(
                    !output.contains(&part),
                    "{format} output leaks `{part}` of a secret:\n{output}"
                );
            }
        }
    }
    let human = &outputs.iter().find(|(f, _)| *f == "human").unwrap().1;
    // The secret on line 2 shows lines 1 to 3 around it.
    assert!(human.contains("DB_PASSWORD="), "{human}");
    for unflagged in ["Hunter2IsNotRandom", "PastedBareLine7xQ"] {
        assert!(
            !human.contains(unflagged),
            "a real .env file's values are masked in excerpts:\n{human}"
        );
    }
}

/// Run the CLI with a clean home, so no global gitignore on this machine changes what
/// the walk sees.
fn cli_json(args: &[&str], cwd: &Path) -> serde_json::Value {
    let home = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args(args)
        .current_dir(cwd)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn flagged_paths(doc: &serde_json::Value) -> Vec<String> {
    let mut paths: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    paths
}

#[test]
fn real_env_files_that_git_does_not_ignore_are_reported() {
    let names = [
        ".env",
        ".env.local",
        ".env.development.local",
        "svc/.env",
        ".env.example",
        ".env.local.example",
        ".env.sample",
        ".env.template",
        ".env.dist",
        "prod.env.example",
        ".env.test.example",
        ".env.development",
        ".env.production",
        "prod.env",
    ];
    let files: Vec<(String, String)> = names
        .iter()
        .map(|n| (n.to_string(), "DEBUG=1\n".to_string()))
        .collect();
    let dir = write_tree(&files);
    let args = [
        "check",
        "--format",
        "json",
        "--select",
        "env-file-committed",
    ];
    let doc = cli_json(&args, dir.path());
    assert_eq!(
        flagged_paths(&doc),
        [".env", ".env.development.local", ".env.local", "svc/.env"]
    );

    // Ignored files are not walked; a file named explicitly (pre-commit passes staged
    // files) is being committed and is reported anyway.
    std::fs::write(dir.path().join(".gitignore"), ".env\n.env*.local\n").unwrap();
    let doc = cli_json(&args, dir.path());
    assert_eq!(flagged_paths(&doc), Vec::<String>::new());
    let mut explicit = args.to_vec();
    explicit.push(".env");
    let doc = cli_json(&explicit, dir.path());
    assert_eq!(flagged_paths(&doc), [".env"]);
}

#[test]
fn corpus_env_files() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus");
    assert!(corpus.is_dir(), "corpus missing at {}", corpus.display());
    let mut outcome = run(vec![corpus.clone()], "secret-*");
    outcome
        .findings
        .retain(|f| f.path.extension().is_none_or(|e| e != "toml"));
    // Conservatively, the corpus holds one real-looking credential (see
    // benches/secrets_eval/labels.tsv); every other value is a placeholder or demo.
    assert_eq!(
        located(&outcome, &corpus),
        [(
            "PyDevJ__skypro_cw6/.env.sample".to_string(),
            5,
            "secret-high-entropy-value".to_string()
        )]
    );
    let env_files = outcome
        .files
        .iter()
        .filter(|f| f.manifest.kind == pinwarden::manifest::ManifestKind::Dotenv)
        .count();
    assert_eq!(env_files, 48);

    let outcome = run(vec![corpus.clone()], "env-file-committed");
    let mut committed: Vec<String> = located(&outcome, &corpus)
        .into_iter()
        .map(|(path, _, _)| path)
        .collect();
    committed.sort();
    assert_eq!(
        committed,
        [
            "fastapi__full-stack-fastapi-template/.env",
            "getsentry__self-hosted/.env",
            "n8n-io__n8n-hosting/docker-caddy/.env",
            "n8n-io__n8n-hosting/docker-compose/withPostgres/.env",
            "searxng__searxng-docker/.env",
        ]
    );
}
