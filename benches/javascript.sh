#!/usr/bin/env bash
# pinwarden on a generated JavaScript monorepo (package.json files, a pnpm workspace,
# node_modules directories to skip), beside ripgrep reading the same manifests (the I/O
# floor). Prints a hyperfine table; docs/performance.md records one run.
#
# Needs: hyperfine, rg, python3.
# Usage: benches/javascript.sh [WORKDIR]      (default: target/bench-js)
#        RUNS=10 PACKAGES=5000 benches/javascript.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mkdir -p "${1:-$repo/target/bench-js}" && cd "${1:-$repo/target/bench-js}" && pwd)
runs=${RUNS:-10}
packages=${PACKAGES:-5000}
pinwarden=${CARGO_TARGET_DIR:-$repo/target}/release/pinwarden

cargo build --release --manifest-path "$repo/Cargo.toml"

monorepo=$work/monorepo
stamp=$work/monorepo.params
if [ ! -d "$monorepo" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$packages" ]; then
    python3 "$repo/benches/gen_js_monorepo.py" "$monorepo" --packages "$packages"
    echo "$packages" >"$stamp"
fi

# ripgrep over the files pinwarden reads, with the same directory skips.
rg_manifests="rg --hidden --count --no-messages -g '!.git' -g '!node_modules' \
 -g 'package.json' -g 'pnpm-workspace.yaml' -g '.npmrc' -g 'pnpm-lock.yaml' '\"' ."

cd "$monorepo"
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- monorepo: $packages packages, $(find . -name package.json -not -path '*/node_modules/*' | wc -l) package.json files, $(find . -type f | wc -l) files in all"
echo "- findings: $("$pinwarden" check . --format concise --exit-zero | wc -l)"
hyperfine -i --warmup 1 --runs "$runs" \
    -n "pinwarden check ." "$pinwarden check . --format concise --exit-zero" \
    -n "rg (same manifests)" "$rg_manifests"
