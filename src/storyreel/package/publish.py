"""The publish kit: per platform, a folder ready to upload.

::

    output/publish/<platform>/<id>.<lang>/
        <id>.<lang>.<preset>.mp4   the video: a hard link to the render where the file
                                   system allows, else a copy
        cover.jpg                  the cover at the platform's size
        <id>.<lang>.srt / .vtt     the subtitle files the platform takes
        post.json, post.txt        title, text and tags, within the platform's limits

Only renders approved in review (on the very files now on disk) are published, unless
``every`` is asked for; a render that is no longer selected leaves the kit.
"""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from storyreel.errors import StoryreelError
from storyreel.fileio import write_atomic
from storyreel.package.catalog import (
    Render,
    approval,
    find_renders,
    link_or_copy,
    read_review,
)
from storyreel.package.platforms import Platform, Platforms
from storyreel.package.posts import Texts, make_post, texts_from_metadata, texts_of

PUBLISH = "publish"


@dataclass(frozen=True)
class Published:
    platform: str
    render: str
    folder: Path
    linked: bool  # the video is a hard link (False: copied)


def render_texts(render: Render, project: Path | None = None) -> Texts | None:
    """A render's texts with its storyboard's per-platform overrides, read from the
    storyboard its provenance names (relative to ``project``, default: the working
    folder); None when that storyboard is gone or no longer loads."""
    from storyreel.storyboard.load import load_storyboard

    inputs = (render.meta.get("provenance") or {}).get("inputs") or ()
    if not inputs or not str(inputs[0].get("name", "")).endswith((".yaml", ".yml")):
        return None
    path = (project or Path.cwd()) / str(inputs[0]["name"])
    try:
        return texts_of(load_storyboard(path), render.lang) if path.is_file() else None
    except StoryreelError:
        return None


def _cover(source: Path, target: Path, size: tuple[int, int]) -> None:
    with Image.open(source) as image:
        fitted = ImageOps.fit(image.convert("RGB"), size, Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    fitted.save(buf, "JPEG", quality=90, optimize=True, progressive=True)
    data = buf.getvalue()
    if not (target.is_file() and target.read_bytes() == data):
        write_atomic(target, data)


def _kit(render: Render, platform: Platform, folder: Path, texts: Texts) -> Published:
    folder.mkdir(parents=True, exist_ok=True)
    linked = link_or_copy(render.video, folder / render.video.name)
    _cover(render.cover, folder / "cover.jpg", platform.cover)
    wanted = {folder / render.video.name, folder / "cover.jpg", folder / "post.json",
              folder / "post.txt"}
    for kind in platform.subtitles:
        source = render.subtitle(kind)
        if source is not None and source.is_file():
            link_or_copy(source, folder / source.name)
            wanted.add(folder / source.name)
    post = make_post(texts, platform, render.lang)
    data = {**post.to_json(), "video": render.video.name, "cover": "cover.jpg",
            "story": render.story_id, "preset": render.preset,
            "subtitles": sorted(p.name for p in wanted if p.suffix in (".srt", ".vtt"))}
    for path, text in ((folder / "post.json", json.dumps(data, ensure_ascii=False, indent=2)
                        + "\n"), (folder / "post.txt", post.to_text())):
        if not (path.is_file() and path.read_text(encoding="utf-8") == text):
            write_atomic(path, text.encode("utf-8"))
    for stale in folder.iterdir():
        if stale.is_file() and stale not in wanted:
            stale.unlink()
    return Published(platform.key, render.key, folder, linked)


def publish(out_root: Path, platforms: Platforms, *, every: bool = False,
            project: Path | None = None) -> list[Published]:
    """Build ``out_root/publish/`` (see the module); returns what is in it."""
    decisions = read_review(out_root)
    chosen = [r for r in find_renders(out_root)
              if every or approval(r, decisions) == "approved"]
    root = out_root / PUBLISH
    done: list[Published] = []
    for platform in platforms:
        base = root / platform.key
        base.mkdir(parents=True, exist_ok=True)
        keep: set[str] = set()
        for render in chosen:
            if render.preset != platform.preset or render.lang not in platform.langs:
                continue
            texts = render_texts(render, project) or texts_from_metadata(render.meta)
            name = f"{render.story_id}.{render.lang}"
            keep.add(name)
            done.append(_kit(render, platform, base / name, texts))
        for old in base.iterdir():
            if old.is_dir() and old.name not in keep:
                shutil.rmtree(old)
    return done
