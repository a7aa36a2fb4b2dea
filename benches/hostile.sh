#!/usr/bin/env bash
# Inputs a hostile pull request can hold, at sizes where a quadratic step would show:
# a requirements file of 1,000,000 range lines, an include chain 100,000 files deep,
# and an include cycle of 100,000 files. Prints the time and peak memory of each;
# docs/performance.md records one run.
#
# Needs: GNU time (/usr/bin/time), python3.
# Usage: benches/hostile.sh [WORKDIR]      (default: target/bench-hostile)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mkdir -p "${1:-$repo/target/bench-hostile}" && cd "${1:-$repo/target/bench-hostile}" && pwd)
pinwarden=${CARGO_TARGET_DIR:-$repo/target}/release/pinwarden

cargo build --release --manifest-path "$repo/Cargo.toml"

python3 - "$work" <<'PY'
import os, sys
work = sys.argv[1]
lines = os.path.join(work, "lines")
os.makedirs(lines, exist_ok=True)
with open(os.path.join(lines, "requirements.txt"), "w") as f:
    f.writelines(f"pkg{i}>=1.0\n" for i in range(1_000_000))
for name, wrap in (("requirements_chain", False), ("requirements_cycle", True)):
    folder = os.path.join(work, name)
    os.makedirs(folder, exist_ok=True)
    depth = 100_000
    for i in range(depth):
        if i + 1 < depth:
            include = f"-r r{i + 1}.txt\n"
        elif wrap:
            include = "-r r0.txt\n"
        else:
            include = ""
        with open(os.path.join(folder, f"r{i}.txt"), "w") as f:
            f.write(f"{include}p{i}==1\n")
PY

echo "| case | time | peak memory | findings |"
echo "|---|---:|---:|---:|"
for case in "1,000,000 range lines:lines" "include chain 100,000 deep:requirements_chain" \
    "include cycle of 100,000 files:requirements_cycle"; do
    label=${case%%:*}
    dir=${case#*:}
    stats=$(mktemp)
    findings=$( (cd "$work" && /usr/bin/time -f "%e %M" -o "$stats" \
        "$pinwarden" check "$dir" --format concise || true) | wc -l)
    read -r seconds kib < <(tail -n 1 "$stats")
    rm -f "$stats"
    echo "| $label | ${seconds} s | $((kib / 1024)) MiB | $findings |"
done
