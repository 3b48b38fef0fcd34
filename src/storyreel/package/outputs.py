"""The output folder of a story: names, atomic writes, metadata and the manifest.

::

    output/<id>/<id>.<lang>.<preset>.mp4    the video
    output/<id>/<id>.<lang>.<preset>.jpg    its cover
    output/<id>/<id>.<lang>.<preset>.ass    the captions burned into it, styled
    output/<id>/<id>.<lang>.<preset>.json   what was rendered, from what, and how
    output/<id>/<id>.<lang>.srt / .vtt      subtitles for platforms that draw their own
    output/<id>/<id>.zh-en.srt              bilingual subtitles
    output/<id>/manifest.json               every file of the story, for upload

Every file appears under its final name only when complete.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from storyreel.fileio import write_atomic
from storyreel.package.staging import set_is_complete


@dataclass(frozen=True)
class StoryFiles:
    """Where one story's outputs go."""

    out_root: Path
    story_id: str

    @property
    def folder(self) -> Path:
        return self.out_root / self.story_id

    def video(self, lang: str, preset: str) -> Path:
        return self.folder / f"{self.story_id}.{lang}.{preset}.mp4"

    def cover(self, lang: str, preset: str) -> Path:
        return self.folder / f"{self.story_id}.{lang}.{preset}.jpg"

    def captions(self, lang: str, preset: str) -> Path:
        return self.folder / f"{self.story_id}.{lang}.{preset}.ass"

    def metadata(self, lang: str, preset: str) -> Path:
        return self.folder / f"{self.story_id}.{lang}.{preset}.json"

    def subtitle_stem(self, lang: str) -> str:
        return f"{self.story_id}.{lang}"

    @property
    def manifest(self) -> Path:
        return self.folder / "manifest.json"


def write_jpeg(path: Path, image: Image.Image) -> None:
    """A cover or still as a progressive JPEG, written atomically."""
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=90, optimize=True, progressive=True)
    write_atomic(path, buf.getvalue())


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``, or None when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_manifest(files: StoryFiles) -> dict[str, Any]:
    """Gather every finished render of a story (from its metadata files) into one manifest.

    A render is listed only when every file its metadata names is there, with the
    content it was published with, so the manifest lists complete, matching sets.
    """
    renders = []
    for meta_path in sorted(files.folder.glob(f"{files.story_id}.*.*.json")):
        meta = read_json(meta_path)
        if meta is None or "video" not in meta:
            continue
        if not all((files.folder / name).is_file() for name in _listed(meta)):
            continue
        if isinstance(meta.get("set"), dict) and not set_is_complete(files.folder,
                                                                     meta["set"]):
            continue  # a file of the set was replaced since (a shared subtitle file)
        renders.append(meta)
    titles = {str(m["lang"]): m.get("title", "") for m in renders}
    manifest = {"id": files.story_id, "title": titles, "renders": renders}
    if read_json(files.manifest) != manifest:  # a re-run that changed nothing touches nothing
        write_json(files.manifest, manifest)
    return manifest


def _listed(meta: Mapping[str, Any]) -> Iterable[str]:
    for key in ("video", "cover", "captions"):
        if meta.get(key):
            yield str(meta[key])
    for name in meta.get("subtitles", {}).values():
        yield str(name)
