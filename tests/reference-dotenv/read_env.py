"""Read env files as python-dotenv does, for tests/reference_dotenv.rs.

Usage: read_env.py FILE...  Prints one JSON object: for every file, its bindings in
order, each {"key", "value", "line", "error"}. A file is opened as `dotenv_values` opens
it (UTF-8, universal newlines); `line` is the 1-based line where the binding's text
starts, after the blank lines python-dotenv skips before it. A key without `=` has the
value null, as in `dotenv_values`.
"""
import json
import re
import sys
from importlib.metadata import version

import dotenv
from dotenv.parser import parse_stream

NEWLINE = re.compile(r"\r\n|\n|\r")


def bindings(path):
    with open(path, encoding="utf-8") as stream:
        found = []
        for binding in parse_stream(stream):
            text = binding.original.string
            lead = text[: len(text) - len(text.lstrip())]
            if binding.key is None and not binding.error:
                continue  # a comment or blank lines
            found.append(
                {
                    "key": binding.key,
                    "value": binding.value,
                    "line": binding.original.line + len(NEWLINE.findall(lead)),
                    "error": binding.error,
                }
            )
    # What applications load: the same keys and values, the last of a key winning.
    loaded = dotenv.dotenv_values(path, interpolate=False)
    expected = {}
    for binding in found:
        if not binding["error"]:
            expected[binding["key"]] = binding["value"]
    assert loaded == expected, (path, loaded, expected)
    return found


print(json.dumps({
    "version": version("python-dotenv"),
    "files": {path: bindings(path) for path in sys.argv[1:]},
}))
