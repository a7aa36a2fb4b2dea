"""What packaging says of specifier sets, for tests/specifier_reference.rs.

Reads one JSON object from standard input:
  {"versions": [...], "cases": [{"specifier": "...", "one": "1.0" | null}, ...]}
and writes one JSON object per case, a line each:
  {"valid": bool, "contains": [bool per version], "unsatisfiable": bool,
   "within_one": bool | null, "one_of_pool": bool}
where `within_one` says whether every version the set admits is `one` or a local
build of it (null when `one` is null or not a version), and `one_of_pool` whether
that holds for some admitted version of the pool or the range's lower bound.
"""

import json
import sys

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version


def within(range_, version):
    try:
        return range_.is_subset(SpecifierSet(f"=={version}").to_range())
    except (InvalidSpecifier, InvalidVersion):
        return None


def main():
    request = json.load(sys.stdin)
    versions = [Version(v) for v in request["versions"]]
    out = sys.stdout
    for case in request["cases"]:
        try:
            specifiers = SpecifierSet(case["specifier"])
        except InvalidSpecifier:
            out.write(json.dumps({"valid": False}) + "\n")
            continue
        contains = [specifiers.contains(v, prereleases=True) for v in versions]
        range_ = specifiers.to_range()
        one = case.get("one")
        within_one = within(range_, one) if one is not None else None
        candidates = [v for v, inside in zip(versions, contains) if inside]
        bounds = getattr(range_, "_bounds", ())
        if bounds and isinstance(getattr(bounds[0][0], "version", None), Version):
            candidates.append(bounds[0][0].version)
        one_of_pool = any(within(range_, v) for v in candidates)
        out.write(
            json.dumps(
                {
                    "valid": True,
                    "contains": contains,
                    "unsatisfiable": specifiers.is_unsatisfiable(),
                    "within_one": within_one,
                    "one_of_pool": one_of_pool,
                }
            )
            + "\n"
        )


main()
