"""The JSON Schema of the storyboard format, made from the pydantic models.

``storyreel schema`` writes it to ``storyreel.schema.json`` at the repository root. The
sample storyboards start with::

    # yaml-language-server: $schema=../storyreel.schema.json

so editors with a YAML language server (VS Code's YAML extension, JetBrains IDEs)
complete field names and values, show each field's description, and flag mistakes as
you type.

pydantic turns field types, constraints and descriptions into the schema; the rules the
models check in code are added here from the same sources: the fields each layout needs
(``LAYOUT_NEEDS``), two to four ``points``, ``focus`` within 0..1, text that is more
than spaces. What only storyreel can tell (a picture that is missing or broken, text that
overflows, narration that does not fit) is for ``storyreel check``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storyreel.fileio import write_atomic
from storyreel.storyboard.model import LAYOUT_NEEDS, Storyboard

SCHEMA_FILE = "storyreel.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
MODELINE = f"# yaml-language-server: $schema=../{SCHEMA_FILE}"
"""The first line of a storyboard in ``storyboards/`` that points editors at the schema."""


def storyboard_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) a storyboard file satisfies."""
    body = Storyboard.model_json_schema(mode="validation")
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "title": "storyreel storyboard",
        **{k: v for k, v in body.items() if k != "title"},
    }
    defs = schema["$defs"]
    scene = defs["Scene"]
    scene["allOf"] = [
        {
            "if": {"properties": {"layout": {"const": layout.value}}, "required": ["layout"]},
            "then": {
                "required": list(fields),
                "properties": {name: {"not": {"type": "null"}} for name in fields},
            },
        }
        for layout, fields in LAYOUT_NEEDS.items()
    ]
    _array_branch(scene["properties"]["points"]).update(minItems=2, maxItems=4)
    for item in _array_branch(scene["properties"]["focus"])["prefixItems"]:
        item.update(minimum=0, maximum=1)
    for lang in defs["Localized"]["properties"].values():
        lang["pattern"] = r"\S"  # more than spaces: the loader strips them
    return schema


def _array_branch(prop: dict[str, Any]) -> dict[str, Any]:
    """The array alternative of an optional list field (``anyOf: [array, null]``)."""
    for branch in prop.get("anyOf", [prop]):
        if branch.get("type") == "array":
            found: dict[str, Any] = branch
            return found
    raise ValueError(f"no array in {prop}")


def schema_text() -> str:
    return json.dumps(storyboard_schema(), ensure_ascii=False, indent=2) + "\n"


def write_schema(path: Path) -> Path:
    """Write the schema to ``path`` (atomically)."""
    write_atomic(path, schema_text().encode())
    return path
