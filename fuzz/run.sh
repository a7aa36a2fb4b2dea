#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 180) from seeds taken from the
# real-world corpus, the examples and the built-in rules; print each target's
# executions and whether it crashed. Needs nightly and cargo-fuzz:
#   cargo install cargo-fuzz --locked
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-180}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(requirements pyproject setup_cfg pipfile dockerfile dotenv workflow pre_commit package_json javascript_lock decode rule pipeline lock)
fi
corpus_src=../tests/data/corpus

seed() {
    local target=$1 dir=corpus/$1
    mkdir -p "$dir"
    local find_args
    case $target in
        requirements) find_args=(\( -name '*.txt' -o -name '*.in' -o -name '*.pip' \)) ;;
        pyproject) find_args=(-name pyproject.toml) ;;
        setup_cfg) find_args=(-name setup.cfg) ;;
        pipfile) find_args=(-name Pipfile) ;;
        dockerfile) find_args=(\( -name Dockerfile -o -name '*.Dockerfile' -o -name 'Dockerfile.*' \)) ;;
        dotenv) find_args=(-name '*env*') ;;
        workflow) find_args=(\( -name '*.yml' -o -name '*.yaml' \) -not -name '.pre-commit-config.*') ;;
        pre_commit) find_args=(-name '.pre-commit-config.*') ;;
        package_json) find_args=(-name package.json) ;;
        javascript_lock) find_args=(\( -name pnpm-lock.yaml -o -name package-lock.json -o -name yarn.lock -o -name .npmrc -o -name pnpm-workspace.yaml \)) ;;
        decode | pipeline) find_args=(-type f) ;;
        lock) find_args=(\( -name '*.lock' -o -name 'pylock*.toml' \)) ;;
        rule) find ../rules -name '*.toml' -exec cp -t "$dir" {} + ; return ;;
    esac
    for src in "$corpus_src" ../examples ../tests/data/dockerfiles ../tests/data/actions ../tests/data/pre-commit ../tests/data/javascript ../tests/data/locks ../tests/data/real-repos; do
        [ -d "$src" ] || continue
        find "$src" -type f "${find_args[@]}" -size -64k -print0 |
            while IFS= read -r -d '' file; do
                cp "$file" "$dir/$(sha1sum "$file" | cut -c1-16)"
            done
    done
}

dict_for() {
    case $1 in
        requirements) echo dict/requirements.dict ;;
        pyproject | pipfile | rule | lock) echo dict/toml.dict ;;
        workflow | pre_commit) echo dict/yaml.dict ;;
        package_json | javascript_lock) echo dict/json.dict ;;
        *) echo dict/ini_env.dict ;;
    esac
}

cargo +nightly fuzz build -O
for target in "${targets[@]}"; do
    seed "$target"
    log=$(mktemp)
    status=ok
    cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=8192 -dict="$(dict_for "$target")" \
        -print_final_stats=1 >"$log" 2>&1 || status=CRASH
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    echo "$target: $runs executions in ${seconds}s, coverage $cov edges, $status"
    if [ "$status" != ok ]; then
        grep -E 'panicked|ERROR|artifact' "$log" | head -5
    fi
    rm -f "$log"
done
