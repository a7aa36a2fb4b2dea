#!/usr/bin/env bash
# The pre-commit hook end to end, as a user meets it: pre-commit (exactly pinned, installed
# with --require-hashes from requirements.txt beside this script) builds pinwarden from
# this repository's .pre-commit-hooks.yaml, then runs it in two throwaway git repositories:
# one with a version range (the hook and `git commit` must fail, naming the rule) and one
# fully pinned (both must pass). The Python hook (`pinwarden-python`: pip builds the wheel
# of pyproject.toml with maturin, from Cargo.lock) is run on both kinds of repository too.
#
# The repository under test is a snapshot of the working tree (tracked and untracked files,
# minus what .gitignore ignores), committed into a temporary git repository, so the hook
# definition and code being tested are exactly what is on disk.
#
# Usage: tests/pre-commit/run.sh      (needs python3 with venv, git, cargo, network to PyPI)
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf '\n== %s\n' "$*"; }
fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}

# Commits in the throwaway repositories need an identity; the user's own is not touched.
export GIT_AUTHOR_NAME=pinwarden-test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=pinwarden-test GIT_COMMITTER_EMAIL=test@example.invalid
export GIT_CONFIG_GLOBAL=/dev/null
# pre-commit's environments (the built hook included) live in the temporary directory.
export PRE_COMMIT_HOME=$work/pre-commit-home
# The hook is built by `cargo install`; this test checks behaviour, not speed, so the
# release profile is made cheap to compile.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_PROFILE_RELEASE_OPT_LEVEL=1
unset CARGO_TARGET_DIR

step "pre-commit from PyPI, pinned with hashes"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-deps \
    --require-hashes -r "$repo/tests/pre-commit/requirements.txt"
pre_commit=$work/venv/bin/pre-commit
"$pre_commit" --version

step "snapshot of the repository under test"
snapshot=$work/pinwarden
mkdir "$snapshot"
if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$repo" && git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
        xargs -0 cp --parents -t "$snapshot")
else
    (cd "$repo" && tar --exclude=./target --exclude=./fuzz/target --exclude=./fuzz/corpus \
        --exclude=./fuzz/artifacts -cf - .) | (cd "$snapshot" && tar -xf -)
fi
git -C "$snapshot" init --quiet
git -C "$snapshot" add --all
git -C "$snapshot" commit --quiet -m snapshot
rev=$(git -C "$snapshot" rev-parse HEAD)

# A git repository with one requirement file and a .pre-commit-config.yaml using the hook
# (`pinwarden` unless a third argument names another).
make_repo() {
    local dir=$1 requirement=$2 hook=${3:-pinwarden}
    mkdir -p "$dir"
    git -C "$dir" init --quiet
    cat >"$dir/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $snapshot
    rev: $rev
    hooks:
      - id: $hook
EOF
    printf '%s\n' "$requirement" >"$dir/requirements.txt"
    # Not a manifest: the hook's `files` pattern keeps it away from pinwarden.
    mkdir -p "$dir/docs"
    printf 'requests>=2 is what the old notes said\n' >"$dir/docs/notes.txt"
    git -C "$dir" add --all
}

step "a repository with a version range: the hook fails"
bad=$work/bad
make_repo "$bad" "requests>=2.31"
set +e
(cd "$bad" && "$pre_commit" run --all-files --color never) >"$work/bad.out" 2>&1
status=$?
set -e
cat "$work/bad.out"
[ "$status" -ne 0 ] || fail "the hook passed a version range"
grep -q 'version-range' "$work/bad.out" || fail "the hook's output does not name version-range"
grep -q 'requirements.txt' "$work/bad.out" || fail "the hook's output does not name the file"
if grep -q 'notes.txt' "$work/bad.out"; then fail "the hook linted docs/notes.txt"; fi

step "the same repository: git commit is refused by the installed hook"
(cd "$bad" && "$pre_commit" install --install-hooks >/dev/null)
if (cd "$bad" && PATH="$work/venv/bin:$PATH" git commit --quiet -m "add requirements") \
    >"$work/commit.out" 2>&1; then
    cat "$work/commit.out"
    fail "git commit succeeded with a version range"
fi
grep -q 'version-range' "$work/commit.out" || fail "the refused commit does not name the rule"
echo "commit refused, as it should be"

step "a fully pinned repository: the hook passes and the commit goes through"
good=$work/good
make_repo "$good" "requests==2.32.3"
(cd "$good" && "$pre_commit" run --all-files --color never) ||
    fail "the hook failed on an exactly pinned requirement"
(cd "$good" && "$pre_commit" install >/dev/null &&
    PATH="$work/venv/bin:$PATH" git commit --quiet -m "add requirements") ||
    fail "git commit was refused in a clean repository"

step "the Python hook: pip builds the wheel (maturin, Cargo.lock) and it fails a range"
python_bad=$work/python-bad
make_repo "$python_bad" "requests>=2.31" pinwarden-python
set +e
(cd "$python_bad" && "$pre_commit" run --all-files --color never) >"$work/python-bad.out" 2>&1
status=$?
set -e
cat "$work/python-bad.out"
[ "$status" -ne 0 ] || fail "the Python hook passed a version range"
grep -q 'version-range' "$work/python-bad.out" || fail "the Python hook's output does not name version-range"

step "the Python hook in a fully pinned repository: it passes"
python_good=$work/python-good
make_repo "$python_good" "requests==2.32.3" pinwarden-python
(cd "$python_good" && "$pre_commit" run --all-files --color never) ||
    fail "the Python hook failed on an exactly pinned requirement"

step "pre-commit hook: all checks passed"
