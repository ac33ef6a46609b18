#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Validates every line of FILE... against docs/execsnoop.schema.json.

Prints one line per invalid line (file, line number, why) and exits 1 when
there is any; lines that are not JSON count as invalid.
"""
import json
import os
import sys

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    with open(os.path.join(ROOT, "docs", "execsnoop.schema.json")) as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
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
                errors = list(validator.iter_errors(obj))
                if errors:
                    bad += 1
                    print("%s:%d: %s" % (path, n, errors[0].message[:300]))
    if not total:
        print("no lines to check")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
