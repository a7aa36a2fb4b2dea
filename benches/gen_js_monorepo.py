#!/usr/bin/env python3
"""Generate a large, deterministic JavaScript monorepo for the package.json benchmark.

- PACKAGES workspace packages under apps/ and packages/, each with a package.json
  (dependencies, devDependencies, a share with peerDependencies and overrides), mostly
  exact versions with `^`/`~` ranges, dist-tags, `workspace:` and `catalog:` references
  and git specs mixed in at realistic rates;
- a root package.json with `packageManager`, a pnpm-workspace.yaml with a catalog, and
  an .npmrc;
- files pinwarden must not read: source files, READMEs, and node_modules directories
  full of package.json files that would add findings if they were read.

Usage: python3 benches/gen_js_monorepo.py OUT [--packages 5000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

NAMES = """
react react-dom next vite typescript eslint prettier jest vitest lodash axios express
zod date-fns clsx tailwindcss postcss autoprefixer webpack babel-loader @babel/core
@types/node @types/react @tanstack/react-query redux @reduxjs/toolkit rxjs uuid chalk
commander yargs dotenv cors helmet morgan pino winston ws socket.io graphql
@apollo/client prisma @prisma/client sharp esbuild rollup turbo nx storybook
""".split()


def version(rng: random.Random) -> str:
    return f"{rng.randint(0, 20)}.{rng.randint(0, 30)}.{rng.randint(0, 15)}"


def spec(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.80:
        return version(rng)
    if roll < 0.88:
        return "^" + version(rng)
    if roll < 0.92:
        return "~" + version(rng)
    if roll < 0.94:
        return "latest"
    if roll < 0.96:
        return "catalog:"
    if roll < 0.98:
        return "workspace:*"
    return f"github:example/{rng.choice(NAMES).strip('@').replace('/', '-')}#main"


def package_json(name: str, rng: random.Random) -> dict:
    pkg: dict = {
        "name": name,
        "version": "1.0.0",
        "private": True,
        "scripts": {"build": "tsc -p .", "test": "vitest run"},
        "dependencies": {n: spec(rng) for n in rng.sample(NAMES, 12)},
        "devDependencies": {n: spec(rng) for n in rng.sample(NAMES, 8)},
    }
    if rng.random() < 0.2:
        pkg["peerDependencies"] = {"react": ">=17"}
    if rng.random() < 0.1:
        pkg["overrides"] = {"semver": version(rng), "glob": {".": version(rng), "minimatch": "^9.0.0"}}
    return pkg


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def generate(out: Path, packages: int, seed: int) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    write(out / ".gitignore", "dist/\n")
    root = {"name": "monorepo", "private": True, "packageManager": "pnpm@9.12.1",
            "devDependencies": {"turbo": "2.1.3", "typescript": "5.6.2"}}
    write(out / "package.json", json.dumps(root, indent=2) + "\n")
    catalog = "\n".join(f"  {n}: {version(rng)}" for n in ["react", "react-dom", "zod"])
    write(out / "pnpm-workspace.yaml", f"packages:\n  - apps/*\n  - packages/*\ncatalog:\n{catalog}\n")
    write(out / ".npmrc", "save-exact=true\n")
    for i in range(packages):
        area = "apps" if i % 5 == 0 else "packages"
        pkg = out / area / f"pkg-{i:05d}"
        write(pkg / "package.json", json.dumps(package_json(f"@acme/pkg-{i}", rng), indent=2) + "\n")
        write(pkg / "src" / "index.ts", "export const x = 1;\n")
        write(pkg / "README.md", f"# pkg-{i}\n")
        if rng.random() < 0.05:
            nm = pkg / "node_modules"
            for j in range(10):
                write(nm / f"dep{j}" / "package.json", json.dumps({"name": f"dep{j}", "dependencies": {"x": "^1"}}) + "\n")
                write(nm / f"dep{j}" / "index.js", "module.exports = {};\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--packages", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.packages, args.seed)


if __name__ == "__main__":
    main()
