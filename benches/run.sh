#!/usr/bin/env bash
# Throughput and latency of pinwarden on a generated monorepo, beside ripgrep reading the
# same manifests (the I/O floor) and the Python linter pinlint 0.6.1 on the same
# requirement files. Writes the tables to WORKDIR/results.md; docs/performance.md
# records one run.
#
# Needs: hyperfine, rg, GNU time (/usr/bin/time), python3 with venv, network access to
# PyPI for pinlint the first time (skipped with a note if it cannot be installed).
#
# Usage: benches/run.sh [WORKDIR]      (default: target/bench)
#        RUNS=10 PACKAGES=5000 LINES=300000 benches/run.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mkdir -p "${1:-$repo/target/bench}" && cd "${1:-$repo/target/bench}" && pwd)
runs=${RUNS:-10}
packages=${PACKAGES:-5000}
lines=${LINES:-300000}
pinwarden=${CARGO_TARGET_DIR:-$repo/target}/release/pinwarden
results=$work/results.md

cargo build --release --manifest-path "$repo/Cargo.toml"

monorepo=$work/monorepo
stamp=$work/monorepo.params
if [ ! -d "$monorepo" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$packages $lines" ]; then
    python3 "$repo/benches/gen_monorepo.py" "$monorepo" --packages "$packages" --lines "$lines"
    echo "$packages $lines" >"$stamp"
fi

pinlint=$work/pinlint-venv/bin/pinlint
if [ ! -x "$pinlint" ]; then
    python3 -m venv "$work/pinlint-venv"
    "$work/pinlint-venv/bin/pip" install --quiet pinlint==0.6.1 ||
        echo "note: pinlint==0.6.1 could not be installed; its rows are skipped"
fi

# ripgrep over the files pinwarden reads (`rg_manifests`).
. "$repo/benches/rg_manifests.sh"

cd "$monorepo"
single=$(grep -m1 '/requirements.txt$' requirement-files.list)
files=$(wc -l <requirement-files.list)
bytes=$(xargs cat <requirement-files.list | wc -c)
{
    echo "# pinwarden benchmark"
    echo
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- monorepo: $packages packages, $lines requirement entries in $files requirement files ($((bytes / 1024)) KiB), $(find . -type f | wc -l) files in all"
    echo "- pinwarden $("$pinwarden" --version | cut -d' ' -f2), $(rg --version | head -1), $(hyperfine --version)"
    echo
} >"$results"

# Linters exit 1 when they find something: -i keeps hyperfine measuring.
commands=(
    -n "pinwarden check ." "$pinwarden check . --format concise --exit-zero"
    -n "pinwarden check <requirement files>" "$pinwarden check --format concise --exit-zero \$(cat requirement-files.list)"
    -n "rg (same manifests)" "$rg_manifests"
)
if [ -x "$pinlint" ]; then
    commands+=(-n "pinlint --no-hashes <requirement files>" "$pinlint --no-hashes \$(cat requirement-files.list)")
fi
hyperfine -i --warmup 1 --runs "$runs" --export-markdown "$work/monorepo.md" "${commands[@]}"

# The pre-commit case for a Dockerfile and a workflow: the full-stack example's, with
# their RUN lines and run: steps.
dockerfile="$repo/examples/fullstack/backend/Dockerfile"
workflow="$repo/examples/fullstack/.github/workflows/ci.yml"
single_commands=(
    -n "pinwarden check $single" "$pinwarden check $single --format concise --exit-zero"
    -n "pinwarden check <Dockerfile>" "$pinwarden check $dockerfile --format concise --exit-zero"
    -n "pinwarden check <Dockerfile> (human)" "$pinwarden check $dockerfile --exit-zero --color never"
    -n "pinwarden check <workflow>" "$pinwarden check $workflow --format concise --exit-zero"
)
if [ -x "$pinlint" ]; then
    single_commands+=(-n "pinlint --no-hashes $single" "$pinlint --no-hashes $single")
fi
hyperfine -N -i --warmup 10 --runs 200 --export-markdown "$work/single.md" "${single_commands[@]}"

peak() { /usr/bin/time -f '%M' sh -c "$1 >/dev/null 2>&1" 2>&1 | tail -1; }
{
    echo "## Monorepo"
    echo
    cat "$work/monorepo.md"
    echo
    echo "## Single file (pre-commit)"
    echo
    cat "$work/single.md"
    echo
    echo "## Peak memory (max RSS)"
    echo
    echo "| command | max RSS |"
    echo "|:---|---:|"
    echo "| pinwarden check . | $(($(peak "$pinwarden check . --format concise --exit-zero") / 1024)) MiB |"
    echo "| pinwarden check <requirement files> | $(($(peak "$pinwarden check --format concise --exit-zero \$(cat requirement-files.list)") / 1024)) MiB |"
    echo "| rg (same manifests) | $(($(peak "$rg_manifests") / 1024)) MiB |"
    if [ -x "$pinlint" ]; then
        echo "| pinlint --no-hashes <requirement files> | $(($(peak "$pinlint --no-hashes \$(cat requirement-files.list)") / 1024)) MiB |"
    fi
    echo "| pinwarden check $single | $(($(peak "$pinwarden check $single --format concise --exit-zero") / 1024)) MiB |"
    echo
    echo "- findings, pinwarden check .: $("$pinwarden" check . --format concise --exit-zero | wc -l)"
    if [ -x "$pinlint" ]; then
        # shellcheck disable=SC2046 # one argument per file
        echo "- findings, pinlint: $("$pinlint" --no-hashes $(cat requirement-files.list) 2>/dev/null | wc -l)"
    fi
    echo "- load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
} >>"$results"
cat "$results"
