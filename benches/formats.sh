#!/usr/bin/env bash
# Every output format on generated monorepos of three sizes spanning 10x, beside
# ripgrep reading the same manifests in one run (the I/O floor), with peak memory; and
# the single-file pre-commit case in every format. Writes WORKDIR/formats.md;
# docs/performance.md records one run.
#
# Needs: hyperfine, rg, GNU time (/usr/bin/time), python3.
# Usage: benches/formats.sh [WORKDIR]            (default: target/bench-formats)
#        SIZES="500 1600 5000" MEMORY_SIZE=15000 RUNS=10 ROUNDS=5 benches/formats.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mkdir -p "${1:-$repo/target/bench-formats}" && cd "${1:-$repo/target/bench-formats}" && pwd)
runs=${RUNS:-10}
# The runs of each command are spread over rounds, the commands in a different order in
# each: the machine's load drifts over a minute, and in one batch per command a quiet
# or a busy stretch would fall on one command alone and skew its ratio.
rounds=${ROUNDS:-5}
sizes=${SIZES:-500 1600 5000}
# Peak memory alone (no timing) on a larger tree still: it must not grow with findings.
memory_size=${MEMORY_SIZE:-15000}
pinwarden=${CARGO_TARGET_DIR:-$repo/target}/release/pinwarden
results=$work/formats.md
formats="human concise json sarif github"

cargo build --release --manifest-path "$repo/Cargo.toml"

# ripgrep over the files pinwarden reads (`rg_manifests`).
. "$repo/benches/rg_manifests.sh"

peak_mib() { /usr/bin/time -f '%M' sh -c "$1 >/dev/null 2>&1" 2>&1 | tail -1 | awk '{printf "%d", $1 / 1024}'; }

{
    echo "# pinwarden: every format"
    echo
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- pinwarden $("$pinwarden" --version | cut -d' ' -f2), $(rg --version | head -1), $(hyperfine --version)"
    echo
    echo "| packages | files | findings | format | pinwarden | rg | ratio | per package | peak memory |"
    echo "|---:|---:|---:|:---|---:|---:|---:|---:|---:|"
} >"$results"

for packages in $sizes; do
    tree=$work/monorepo-$packages
    if [ ! -d "$tree" ]; then
        # Lines scale with packages: 60 requirement entries a package.
        python3 "$repo/benches/gen_monorepo.py" "$tree" --packages "$packages" --lines $((packages * 60))
    fi
    cd "$tree"
    files=$(find . -type f | wc -l)
    findings=$("$pinwarden" check . --format concise --exit-zero | wc -l)
    names=(rg $formats)
    lines=("$rg_manifests")
    for format in $formats; do
        lines+=("$pinwarden check . --format $format --exit-zero --color never")
    done
    # Each round starts one command further on: rg first, then human first, and so on.
    rm -f "$work"/run-"$packages"-round-*.json
    for round in $(seq 0 $((rounds - 1))); do
        commands=()
        for i in $(seq 0 $((${#names[@]} - 1))); do
            at=$(((i + round) % ${#names[@]}))
            commands+=(-n "${names[$at]}" "${lines[$at]}")
        done
        hyperfine -i --warmup 1 --runs $(((runs + rounds - 1) / rounds)) \
            --export-json "$work/run-$packages-round-$round.json" "${commands[@]}" >/dev/null
    done
    # Every round's times of a command, as one mean.
    python3 - "$work/run-$packages.json" "$work"/run-"$packages"-round-*.json <<'PY'
import json, sys
times = {}
for path in sys.argv[2:]:
    for result in json.load(open(path))["results"]:
        times.setdefault(result["command"], []).extend(result["times"])
results = [{"command": c, "times": t, "mean": sum(t) / len(t)} for c, t in times.items()]
json.dump({"results": sorted(results, key=lambda r: r["command"] != "rg")}, open(sys.argv[1], "w"))
PY
    rg_mean=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(r[0]['mean'])" "$work/run-$packages.json")
    for format in $formats; do
        mean=$(python3 -c "import json,sys; r={x['command']:x for x in json.load(open(sys.argv[1]))['results']}; print(r[sys.argv[2]]['mean'])" "$work/run-$packages.json" "$format")
        memory=$(peak_mib "$pinwarden check . --format $format --exit-zero --color never")
        python3 - "$packages" "$files" "$findings" "$format" "$mean" "$rg_mean" "$memory" >>"$results" <<'PY'
import sys
packages, files, findings, fmt, mean, rg, memory = sys.argv[1:]
mean, rg = float(mean), float(rg)
print(f"| {int(packages):,} | {int(files):,} | {int(findings):,} | {fmt} | {mean:.3f} s | {rg:.3f} s "
      f"| {mean / rg:.2f}x | {mean / int(packages) * 1e6:.0f} µs | {memory} MiB |")
PY
    done
done

tree=$work/monorepo-$memory_size
if [ ! -d "$tree" ]; then
    python3 "$repo/benches/gen_monorepo.py" "$tree" --packages "$memory_size" --lines $((memory_size * 60))
fi
cd "$tree"
findings=$("$pinwarden" check . --format concise --exit-zero | wc -l)
{
    echo
    echo "## Peak memory at $(printf "%d" "$memory_size") packages ($(printf "%d" "$findings") findings)"
    echo
    echo "| format | peak memory |"
    echo "|:---|---:|"
    for format in $formats; do
        echo "| $format | $(peak_mib "$pinwarden check . --format $format --exit-zero --color never") MiB |"
    done
    echo "| concise, no findings (\`--select parse-error\`) | $(peak_mib "$pinwarden check . --format concise --exit-zero --select parse-error") MiB |"
} >>"$results"

# The pre-commit case: one requirements file of 646 lines with 100 findings.
single=$work/single
mkdir -p "$single"
python3 - "$single/requirements.txt" <<'PY'
import sys
lines = []
for i in range(646):
    lines.append(f"pkg{i}>=1.{i}\n" if i % 646 < 100 and i < 100 else f"pkg{i}==1.{i}.0\n")
open(sys.argv[1], "w").writelines(lines)
PY
{
    echo
    echo "## Single file (pre-commit): 646 lines, 100 findings"
    echo
    echo "| format | mean | max RSS |"
    echo "|:---|---:|---:|"
} >>"$results"
cd "$single"
for format in $formats; do
    hyperfine -N -i --warmup 10 --runs 100 --export-json "$work/single-$format.json" \
        "$pinwarden check requirements.txt --format $format --exit-zero --color never" >/dev/null
    mean=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['mean'])" "$work/single-$format.json")
    memory=$(peak_mib "$pinwarden check requirements.txt --format $format --exit-zero --color never")
    python3 -c "import sys; print(f'| {sys.argv[1]} | {float(sys.argv[2]) * 1000:.1f} ms | {sys.argv[3]} MiB |')" \
        "$format" "$mean" "$memory" >>"$results"
done
echo >>"$results"
echo "- load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"
cat "$results"
