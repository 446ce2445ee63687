# Copyright (c) 2026 Prefect Cloud collection contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Extract the OpenAPI subset the emulator implements.

Usage: ``python tests/emulator/tools/extract_openapi.py FULL_DOC OUT``

Copies ``openapi`` and ``info``, the operations of the emulator's route table verbatim (under
their exact path keys), and the transitive closure of the components they reference.
"""
from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR_DIR = os.path.dirname(HERE)


def emulated_operations():
    """(method, path) pairs of the route table, in table order."""
    if EMULATOR_DIR not in sys.path:
        sys.path.insert(0, EMULATOR_DIR)
    from prefect_emulator.routes import ROUTES  # pylint: disable=import-outside-toplevel
    return [(route.method.lower(), route.path) for route in ROUTES]


def _refs(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append(value)
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def extract(doc, operations):
    """Return the subset document. Raises KeyError when an operation is missing from ``doc``."""
    paths = {}
    for method, path in operations:
        if path not in doc["paths"] or method not in doc["paths"][path]:
            raise KeyError(f"{method.upper()} {path} is not in the OpenAPI document")
    wanted = set(operations)
    for path, item in doc["paths"].items():   # keep the document's order
        ops = {key: value for key, value in item.items() if (key, path) in wanted}
        if ops:
            if "parameters" in item:
                ops = {"parameters": item["parameters"], **ops}
            paths[path] = ops
    components = {}
    pending = []
    _refs(paths, pending)
    while pending:
        ref = pending.pop()
        if not ref.startswith("#/components/"):
            raise ValueError(f"unsupported $ref {ref}")
        kind, name = ref[len("#/components/"):].split("/", 1)
        if name in components.get(kind, {}):
            continue
        schema = doc["components"][kind][name]
        components.setdefault(kind, {})[name] = schema
        _refs(schema, pending)
    ordered = {kind: {name: components[kind][name] for name in sorted(components[kind])} for kind in sorted(components)}
    return {"openapi": doc["openapi"], "info": doc["info"], "paths": paths, "components": ordered}


def render(subset):
    return json.dumps(subset, indent=2, ensure_ascii=False) + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        sys.stderr.write("usage: extract_openapi.py FULL_DOC OUT\n")
        return 2
    with open(argv[0], "r", encoding="utf-8") as handle:
        doc = json.load(handle)
    subset = extract(doc, emulated_operations())
    with open(argv[1], "w", encoding="utf-8") as handle:
        handle.write(render(subset))
    return 0


if __name__ == "__main__":
    sys.exit(main())
