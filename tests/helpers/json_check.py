#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Validates every line of FILE... against docs/execsnoop.schema.json.

Prints one line per invalid line (file, line number, why) and exits 1 when
there is any; lines that are not JSON count as invalid. Other helpers import
validator() and as_bytes().
"""
import json
import os
import sys

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def validator():
    """A validator of one line's object against the schema."""
    with open(os.path.join(ROOT, "docs", "execsnoop.schema.json")) as f:
        return jsonschema.Draft202012Validator(json.load(f))


def as_bytes(v):
    """Bytes as the JSON gives them (docs/json.md): a string or {"hex": ...}."""
    return bytes.fromhex(v["hex"]) if isinstance(v, dict) else v.encode()


def main():
    check = validator()
    bad = total = 0
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            for n, raw in enumerate(f, 1):
                total += 1
                try:
                    obj = json.loads(raw)
                except ValueError as e:
                    print("%s:%d: not JSON: %s" % (path, n, e))
                    bad += 1
                    continue
                errors = list(check.iter_errors(obj))
                if errors:
                    bad += 1
                    print("%s:%d: %s" % (path, n, errors[0].message[:300]))
    if not total:
        print("no lines to check")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
