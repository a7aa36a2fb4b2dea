#!/usr/bin/env python3
"""Precision and recall of pinwarden's `secret-*` rules, beside detect-secrets.

Two labelled sets:

- corpus: every `.env*` file of tests/data/corpus, labelled by hand in labels.tsv
  (only rows labelled `secret` are positives; every other entry is a non-secret);
- generated: fake credentials in every format the issue names plus formats pinwarden
  has no rule for, and look-alike non-secrets (placeholders, demo values, vendor
  documentation keys, public keys, digests, ids), written by a seeded generator.

The unit is one env entry. A tool flags an entry when it reports any line the entry
covers (a multi-line value covers several); a reported line outside every positive
entry is one false positive. Values are never printed: only file, line and key.

Usage:
    python3 benches/secrets_eval/eval.py --pinwarden target/release/pinwarden \
        --detect-secrets /tmp/ds/bin/detect-secrets [--corpus tests/data/corpus]
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import string
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "_-"
B64 = ALNUM + "+/"
HEX = "0123456789abcdef"


@dataclass
class Entry:
    file: str
    first: int
    last: int
    key: str
    category: str
    positive: bool


@dataclass
class Dataset:
    name: str
    root: Path
    files: list[str]
    positives: list[Entry]
    # Generated sets know every entry; for the corpus only positives are listed.
    entries: list[Entry] = field(default_factory=list)


# --- the corpus -------------------------------------------------------------------


def corpus_dataset(corpus: Path) -> Dataset:
    files = sorted(
        json.loads(line)["file"]
        for line in (corpus / "expected_files.jsonl").read_text().splitlines()
        if json.loads(line)["kind"] == "env"
    )
    positives = []
    for line in (HERE / "labels.tsv").read_text().splitlines():
        if not line or line.startswith("#") or line.startswith("file\t"):
            continue
        file, number, key, label, _reason = line.split("\t")
        if label == "secret":
            n = int(number)
            positives.append(Entry(file, n, n, key, "corpus", True))
    return Dataset("corpus", corpus, files, positives)


# --- generated cases --------------------------------------------------------------


def generated_cases(rng: random.Random) -> list[tuple[str, str, str, bool]]:
    """(category, key, value, is_secret); values are unique per instance."""

    def r(alphabet: str, n: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(n))

    def b64url(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    def jwt() -> str:
        payload = json.dumps({"sub": r(ALNUM, 12), "role": "service_role", "iat": rng.randrange(1_600_000_000, 1_800_000_000)})
        header = b64url(b'{"alg":"HS256","typ":"JWT"}')
        return f"{header}.{b64url(payload.encode())}.{r(URLSAFE, 43)}"

    def pem() -> str:
        body = "\n".join(r(B64, 64) for _ in range(6))
        return f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"

    services = ["openai", "stripe", "mailgun", "sentry", "github", "twilio", "slack", "aws"]
    positive = {
        "aws-access-key-id": lambda: ("AWS_ACCESS_KEY_ID", "AKIA" + r("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)),
        "aws-secret-access-key": lambda: ("AWS_SECRET_ACCESS_KEY", r(B64, 40)),
        "github-token": lambda: ("GITHUB_TOKEN", "ghp_" + r(ALNUM, 36)),
        "github-fine-grained-pat": lambda: ("GH_PAT", f"github_pat_{r(ALNUM, 22)}_{r(ALNUM, 59)}"),
        "gitlab-token": lambda: ("GITLAB_TOKEN", "glpat-" + r(URLSAFE, 20)),
        "slack-bot-token": lambda: ("SLACK_BOT_TOKEN", f"xoxb-{r(string.digits, 12)}-{r(string.digits, 13)}-{r(ALNUM, 24)}"),
        "slack-webhook": lambda: ("SLACK_WEBHOOK_URL", f"https://hooks.slack.com/services/T{r(string.ascii_uppercase + string.digits, 10)}/B{r(string.ascii_uppercase + string.digits, 10)}/{r(ALNUM, 24)}"),
        "stripe-secret-key": lambda: ("STRIPE_SECRET_KEY", "sk_live_" + r(ALNUM, 24)),
        "openai-key": lambda: ("OPENAI_API_KEY", "sk-proj-" + r(URLSAFE, 64)),
        "anthropic-key": lambda: ("ANTHROPIC_API_KEY", "sk-ant-api03-" + r(URLSAFE, 93) + "AA"),
        "google-api-key": lambda: ("GOOGLE_API_KEY", "AIza" + r(URLSAFE, 35)),
        "jwt": lambda: ("SUPABASE_SERVICE_ROLE_KEY", jwt()),
        "pem-private-key": lambda: ("JWT_PRIVATE_KEY", pem()),
        "url-with-password": lambda: ("DATABASE_URL", f"postgresql://app:{r(ALNUM, 14)}{r(string.digits, 2)}@db.internal:5432/app"),
        "pypi-token": lambda: ("TWINE_PASSWORD", "pypi-AgEIcHlwaS5vcmc" + r(URLSAFE, 70)),
        "huggingface-token": lambda: ("HF_TOKEN", "hf_" + r(string.ascii_letters, 34)),
        "hex-signing-key": lambda: ("DJANGO_SECRET_KEY", r(HEX, 64)),
        "base64-api-key": lambda: ("PAYMENTS_API_KEY", r(B64, 32)),
        "random-password": lambda: ("DB_PASSWORD", r(ALNUM, 14) + r(string.digits, 2)),
        # Formats pinwarden has no dedicated rule for.
        "sendgrid-key": lambda: ("SENDGRID_API_KEY", f"SG.{r(URLSAFE, 22)}.{r(URLSAFE, 43)}"),
        "letters-only-password": lambda: ("SMTP_PASSWORD", r(string.ascii_letters, 16)),
        "discord-webhook": lambda: ("DISCORD_WEBHOOK", f"https://discord.com/api/webhooks/{r(string.digits, 18)}/{r(URLSAFE, 68)}"),
    }
    negative = {
        "placeholder": lambda: (
            f"{rng.choice(services).upper()}_API_KEY",
            rng.choice([
                f"your_{rng.choice(services)}_api_key_here",
                f"<{rng.choice(services).upper()}_API_KEY>",
                "changeme",
                "x" * rng.randrange(16, 40),
                f"${{{rng.choice(services).upper()}_KEY}}",
                "sk-...",
                f"replace-with-your-{rng.choice(services)}-key",
                "",
                "TODO",
                f"sk-{'x' * 48}",
            ]),
        ),
        "demo-credential": lambda: rng.choice([
            ("POSTGRES_PASSWORD", rng.choice(["postgres", "password", "secret", "changethis", "admin123"])),
            ("DATABASE_URL", "postgresql://postgres:postgres@localhost:5432/app"),
            ("REDIS_URL", "redis://:redispassword@localhost:6379/0"),
            ("ENCRYPTION_KEY", "0" * 64),
            ("SESSION_SECRET", rng.choice(["CAFEBABE", "DEADBEEF", "supersecret", "keyboard cat"])),
            ("E2E_USER_PASSWORD", "test_Password123"),
        ]),
        "vendor-doc-example": lambda: rng.choice([
            ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            ("JWT", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
            ("SUPABASE_ANON_KEY", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0"),
        ]),
        "git-commit": lambda: ("GIT_COMMIT_SHA", r(HEX, 40)),
        "image-digest": lambda: ("APP_IMAGE", f"ghcr.io/acme/app@sha256:{r(HEX, 64)}"),
        "uuid-id": lambda: ("TENANT_ID", f"{r(HEX, 8)}-{r(HEX, 4)}-4{r(HEX, 3)}-a{r(HEX, 3)}-{r(HEX, 12)}"),
        "publishable-key": lambda: ("STRIPE_PUBLISHABLE_KEY", "pk_live_" + r(ALNUM, 24)),
        "firebase-web-key": lambda: ("NEXT_PUBLIC_FIREBASE_API_KEY", "AIza" + r(URLSAFE, 35)),
        # Public values pinwarden cannot tell from secrets by key and value alone.
        "firebase-web-key-unprefixed": lambda: ("FIREBASE_API_KEY", "AIza" + r(URLSAFE, 35)),
        "gpg-fingerprint": lambda: ("GPG_KEY", r("0123456789ABCDEF", 40)),
        "public-key": lambda: ("VAPID_PUBLIC_KEY", r(URLSAFE, 87)),
        "sentry-dsn": lambda: ("SENTRY_DSN", f"https://{r(HEX, 32)}@o{r(string.digits, 6)}.ingest.sentry.io/{r(string.digits, 7)}"),
        "secret-setting": lambda: rng.choice([
            ("JWT_EXPIRES_IN", "3600"),
            ("TOKEN_TTL", "15m"),
            ("SECRET_KEY_FILE", "/run/secrets/app_secret_key"),
            ("PASSWORD_MIN_LENGTH", "12"),
            ("API_KEY_HEADER", "X-Api-Key"),
        ]),
    }
    cases = []
    for category, make in positive.items():
        for _ in range(8):
            key, value = make()
            cases.append((category, key, value, True))
    for category, make in negative.items():
        for _ in range(8):
            key, value = make()
            cases.append((category, key, value, False))
    return cases


def write_entry(key: str, value: str, style: int) -> str:
    """One entry in one of several dotenv spellings."""
    if "\n" in value:
        return f'{key}="{value}"\n'
    if value == "":
        return f"{key}=\n"
    return [
        f"{key}={value}\n",
        f'export {key}="{value}"\n',
        f"{key} = '{value}'  # rotate me\n",
        f"{key}={value} # set in CI\n",
    ][style % 4]


def generated_dataset(root: Path, seed: int) -> Dataset:
    rng = random.Random(seed)
    cases = generated_cases(rng)
    rng.shuffle(cases)
    names = [".env.example", "api/.env.sample", "worker/.env.template", "deploy/prod.env.example"]
    per_file = (len(cases) + len(names) - 1) // len(names)
    entries, files = [], []
    for index, name in enumerate(names):
        chunk = cases[index * per_file:(index + 1) * per_file]
        text, line = "# generated test data: fake credentials and look-alikes\nDEBUG=false\n", 3
        for style, (category, key, value, is_secret) in enumerate(chunk):
            written = write_entry(key, value, style)
            last = line + written.count("\n") - 1
            entries.append(Entry(name, line, last, key, category, is_secret))
            text += written
            line = last + 1
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        files.append(name)
    positives = [e for e in entries if e.positive]
    return Dataset("generated", root, files, positives, entries)


# --- running the tools ------------------------------------------------------------


def run_pinwarden(binary: str, data: Dataset) -> set[tuple[str, int]]:
    out = subprocess.run(
        [binary, "check", "--format", "json", "--select", "secret-*", "--exit-zero", *data.files],
        cwd=data.root, capture_output=True, text=True, check=True,
    )
    return {(f["path"], f["line"]) for f in json.loads(out.stdout)["findings"]}


def run_detect_secrets(binary: str, data: Dataset) -> set[tuple[str, int]]:
    out = subprocess.run(
        [binary, "scan", *data.files], cwd=data.root, capture_output=True, text=True, check=True,
    )
    results = json.loads(out.stdout)["results"]
    return {(path, r["line_number"]) for path, found in results.items() for r in found}


def entry_at(entries: list[Entry], file: str, line: int) -> Entry | None:
    return next((e for e in entries if e.file == file and e.first <= line <= e.last), None)


def score(data: Dataset, reported: set[tuple[str, int]]) -> dict:
    true_positives, false_positives = set(), set()
    for file, line in reported:
        hit = entry_at(data.positives, file, line)
        if hit:
            true_positives.add((hit.file, hit.first))
        else:
            # Several lines of one non-secret entry count once.
            other = entry_at(data.entries, file, line)
            false_positives.add((file, other.first if other else line))
    missed = [e for e in data.positives if (e.file, e.first) not in true_positives]
    tp, fp, fn = len(true_positives), len(false_positives), len(missed)
    return {
        "tp": tp, "fp": fp, "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else float("nan"),
        "recall": tp / (tp + fn) if tp + fn else float("nan"),
        "false_positives": sorted(false_positives),
        "missed": missed,
    }


def by_category(data: Dataset, reported: set[tuple[str, int]]) -> dict[str, tuple[int, int]]:
    """Per generated category: (entries flagged, entries)."""
    counts: dict[str, list[int]] = {}
    for e in data.entries:
        flagged = any((e.file, line) in reported for line in range(e.first, e.last + 1))
        c = counts.setdefault(e.category, [0, 0])
        c[0] += flagged
        c[1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def pct(x: float) -> str:
    return "n/a" if x != x else f"{100 * x:.1f}%"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pinwarden", default=str(HERE.parents[1] / "target/release/pinwarden"))
    parser.add_argument("--detect-secrets", default="detect-secrets")
    parser.add_argument("--corpus", default=str(HERE.parents[1] / "tests/data/corpus"))
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        sets = [corpus_dataset(Path(args.corpus)), generated_dataset(Path(tmp), args.seed)]
        tools = {"pinwarden": lambda d: run_pinwarden(args.pinwarden, d),
                 "detect-secrets 1.5.0": lambda d: run_detect_secrets(args.detect_secrets, d)}
        reported = {(s.name, t): run(s) for s in sets for t, run in tools.items()}

        print("| set | tool | TP | FP | FN | precision | recall |")
        print("|---|---|---:|---:|---:|---:|---:|")
        scores = {}
        for s in sets:
            for t in tools:
                sc = scores[(s.name, t)] = score(s, reported[(s.name, t)])
                print(f"| {s.name} ({len(s.files)} files, {len(s.positives)} secrets) | {t} | "
                      f"{sc['tp']} | {sc['fp']} | {sc['fn']} | {pct(sc['precision'])} | {pct(sc['recall'])} |")
        total = {t: {k: sum(scores[(s.name, t)][k] for s in sets) for k in ("tp", "fp", "fn")} for t in tools}
        for t, c in total.items():
            p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
            r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
            print(f"| both | {t} | {c['tp']} | {c['fp']} | {c['fn']} | {pct(p)} | {pct(r)} |")

        gen = sets[1]
        print("\nGenerated cases, entries flagged per category:\n")
        print("| category | secret? | " + " | ".join(tools) + " |")
        print("|---|---|" + "---:|" * len(tools))
        cats = {t: by_category(gen, reported[("generated", t)]) for t in tools}
        kinds = {e.category: e.positive for e in gen.entries}
        for category, positive in sorted(kinds.items(), key=lambda kv: (not kv[1], kv[0])):
            cells = " | ".join(f"{cats[t][category][0]}/{cats[t][category][1]}" for t in tools)
            print(f"| {category} | {'yes' if positive else 'no'} | {cells} |")

        print("\nCorpus false positives (file:line):\n")
        for t in tools:
            fps = scores[("corpus", t)]["false_positives"]
            print(f"- {t}: {len(fps)}" + "".join(f"\n  - {f}:{l}" for f, l in fps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
