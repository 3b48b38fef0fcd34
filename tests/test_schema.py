"""The JSON Schema: up to date with the models, described field by field, accepting every
sample storyboard and rejecting the corpus's schema errors (checked with ``jsonschema``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from storyreel.cli import main
from storyreel.storyboard.schema import MODELINE, SCHEMA_FILE, schema_text, storyboard_schema

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "storyboards").glob("*.yaml"))
CORPUS = Path(__file__).parent / "corpus"
CASES: list[dict[str, Any]] = YAML(typ="safe").load(
    (CORPUS / "cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / SCHEMA_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_file_is_up_to_date() -> None:
    assert (ROOT / SCHEMA_FILE).read_text(encoding="utf-8") == schema_text(), (
        "storyreel.schema.json is stale: run `storyreel schema` at the repository root")


def test_the_command_writes_the_schema(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    result = CliRunner().invoke(main, ["schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8")) == storyboard_schema()
    printed = CliRunner().invoke(main, ["schema", "--out", "-"])
    assert json.loads(printed.output) == storyboard_schema()


def _properties(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            yield f"{where}.{name}", prop
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{where}[{i}]")


def test_every_field_and_type_is_described() -> None:
    schema = storyboard_schema()
    undescribed = [where for where, prop in _properties(schema)
                   if "description" not in prop and "not" not in prop and "const" not in prop]
    assert undescribed == []
    assert all(d.get("description") for d in schema["$defs"].values())


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_samples_point_at_the_schema_and_satisfy_it(
    sample: Path, validator: jsonschema.Draft202012Validator,
) -> None:
    text = sample.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    assert (sample.parent / MODELINE.split("$schema=")[1]).resolve() == ROOT / SCHEMA_FILE
    errors = [e.message for e in validator.iter_errors(YAML(typ="safe").load(text))]
    assert errors == []


SCHEMA_CASES = [c for c in CASES if c["schema"] in ("reject", "accept")]


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=[c["case"] for c in SCHEMA_CASES])
def test_corpus_schema_errors_are_rejected(
    case: dict[str, Any], validator: jsonschema.Draft202012Validator,
) -> None:
    path = CORPUS / case.get("file", f"{case['case']}/story.yaml")
    data = YAML(typ="rt", pure=True).load(path.read_text(encoding="utf-8"))  # as storyreel reads
    errors = list(validator.iter_errors(data))
    if case["schema"] == "reject":
        assert errors, f"{case['case']}: the schema accepts it"
    else:  # only storyreel itself can tell (files, fonts, timing): the schema accepts it
        assert [e.message for e in errors] == []
