"""Writing a draft: YAML an editor likes to read, loaded back before it is written."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from storyreel.editor.draft.scenes import Draft
from storyreel.editor.draft.story import DraftError
from storyreel.errors import StoryboardError
from storyreel.fileio import atomic_path
from storyreel.project import project_root_of
from storyreel.storyboard.load import StoryboardInvalid, load_storyboard
from storyreel.storyboard.model import LANGS, Storyboard
from storyreel.storyboard.schema import SCHEMA_FILE


def to_yaml(data: dict[str, Any], schema: str) -> str:
    """The storyboard as YAML: block style, language pairs inline when short, the
    schema line first."""
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096  # one line per text: easier to edit, and line numbers stay put
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(_commented(data), buf)
    return f"# yaml-language-server: $schema={schema}\n" + buf.getvalue()


def _commented(node: Any) -> Any:
    if isinstance(node, dict):
        out = CommentedMap((k, _commented(v)) for k, v in node.items())
        if set(node) == set(LANGS) and sum(len(str(v)) for v in node.values()) < 60:
            out.fa.set_flow_style()
        return out
    if isinstance(node, list):
        return CommentedSeq(_commented(v) for v in node)
    return node


def write_draft(draft_: Draft, path: Path, *, force: bool = False) -> Storyboard:
    """Write ``draft_`` to ``path`` (atomically, after loading it back to be sure it is
    a valid storyboard); returns the loaded storyboard. Every problem is listed."""
    if path.exists() and not force:
        raise DraftError(f"{path}: already exists; choose another id or --out, or --force")
    schema = os.path.relpath(project_root_of(path) / SCHEMA_FILE, path.parent.resolve())
    text = to_yaml(draft_.board, schema.replace(os.sep, "/"))
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
        try:
            board = load_storyboard(tmp)
        except StoryboardError as exc:  # told of the file it was to be (not written)
            found = exc.problems if isinstance(exc, StoryboardInvalid) else (exc,)
            lines = [f"{p.format().replace(str(tmp), str(path))} (not written)"
                     for p in found]
            raise DraftError(lines[0], lines) from None
    return board.with_source(path)
