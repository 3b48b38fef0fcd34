"""The whole output folder at a glance: every finished video, the review decisions on
them, and the files that list them for people and machines.

::

    output/manifest.csv    one row per video: story, language, preset, platforms, path,
    output/manifest.json   bytes, sha256, duration, title, approval
    output/index.html      the gallery, static (no server, nothing from outside)
    output/SHA256SUMS      every file under output/ (``sha256sum -c SHA256SUMS`` there)
    output/review.json     reviewers' decisions (``storyreel review``)
    output/_fonts/         the fonts the gallery draws with (hard links where possible)
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from storyreel.errors import ReviewError
from storyreel.fileio import atomic_path, sha256_file, write_atomic
from storyreel.package.outputs import read_json, write_json
from storyreel.package.platforms import Platforms
from storyreel.resources import FONT_FILES, fonts_dir

REVIEW = "review.json"
FONTS = "_fonts"
SUMS = "SHA256SUMS"
LISTINGS = ("manifest.csv", "manifest.json", "index.html")
# Never in SHA256SUMS: the sums themselves, review.json (reviewers change it) and the
# batch's report.json (written after the sums, new with every run).
_UNSUMMED = {SUMS, REVIEW, "report.json"}

Approval = Literal["approved", "changes", "pending", "stale"]


@dataclass(frozen=True)
class Render:
    """One finished video of the output folder, as its metadata describes it."""

    folder: Path
    meta: Mapping[str, Any]

    @property
    def story_id(self) -> str:
        return str(self.meta["id"])

    @property
    def lang(self) -> str:
        return str(self.meta["lang"])

    @property
    def preset(self) -> str:
        return str(self.meta["preset"])

    @property
    def key(self) -> str:
        return f"{self.story_id}.{self.lang}.{self.preset}"

    @property
    def video(self) -> Path:
        return self.folder / str(self.meta["video"])

    @property
    def cover(self) -> Path:
        return self.folder / str(self.meta["cover"])

    @property
    def fingerprint(self) -> str:
        return str(self.meta.get("fingerprint", ""))

    def subtitle(self, kind: str) -> Path | None:
        name = (self.meta.get("subtitles") or {}).get(kind)
        return self.folder / str(name) if name else None

    def output(self, name: str) -> Mapping[str, Any] | None:
        for record in (self.meta.get("provenance") or {}).get("outputs", ()):
            if record.get("name") == name:
                return dict(record)
        return None

    @property
    def video_sha256(self) -> str:
        """The video's digest: from the provenance when its size still matches, else read."""
        record = self.output(self.video.name)
        if record and record.get("bytes") == self.video.stat().st_size:
            return str(record["sha256"])
        return sha256_file(self.video)


def find_renders(out_root: Path) -> list[Render]:
    """Every finished render under ``out_root``, by story, language and preset."""
    renders: list[Render] = []
    if not out_root.is_dir():
        return renders
    for folder in sorted(p for p in out_root.iterdir() if p.is_dir()):
        manifest = read_json(folder / "manifest.json")
        if manifest is None:
            continue
        for meta in manifest.get("renders", ()):
            render = Render(folder, meta)
            if render.video.is_file() and render.cover.is_file():
                renders.append(render)
    return sorted(renders, key=lambda r: (r.story_id, r.lang, r.preset))


# --- review decisions ------------------------------------------------------------------

def read_review(out_root: Path) -> dict[str, dict[str, Any]]:
    data = read_json(out_root / REVIEW) or {}
    decisions = data.get("decisions", {})
    return {str(k): dict(v) for k, v in decisions.items() if isinstance(v, dict)}


def approval(render: Render, decisions: Mapping[str, Mapping[str, Any]]) -> Approval:
    """A render's state: approved or needing changes (decided on these very files),
    stale (decided on an earlier render: needs deciding again) or pending."""
    decision = decisions.get(render.key)
    if decision is None:
        return "pending"
    if (decision.get("fingerprint") != render.fingerprint
            or decision.get("video_sha256") != render.video_sha256):
        return "stale"
    return "approved" if decision.get("status") == "approved" else "changes"


def decide(out_root: Path, key: str, status: str, who: str, comment: str = "") -> dict[str, Any]:
    """Record a reviewer's decision on the render ``key`` in ``review.json``."""
    if status not in ("approved", "changes"):
        raise ReviewError(f"review: status '{status}' must be approved or changes")
    if not who.strip():
        raise ReviewError("review: say who decides (a name or initials)")
    if status == "changes" and not comment.strip():
        raise ReviewError("review: 'needs changes' needs a comment saying what to change")
    render = next((r for r in find_renders(out_root) if r.key == key), None)
    if render is None:
        raise ReviewError(f"review: no finished render '{key}' in {out_root}")
    data = read_json(out_root / REVIEW) or {}
    decisions = dict(data.get("decisions", {}))
    history = list(data.get("history", []))
    decision = {
        "status": status, "comment": comment.strip(), "who": who.strip(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "fingerprint": render.fingerprint, "video_sha256": render.video_sha256,
    }
    decisions[key] = decision
    history.append({"render": key, **decision})
    write_json(out_root / REVIEW, {"decisions": decisions, "history": history})
    return decision


# --- the listings ----------------------------------------------------------------------

COLUMNS = ("story", "lang", "preset", "platforms", "path", "bytes", "sha256", "duration_s",
           "title", "approval")


def rows(out_root: Path, renders: Sequence[Render], platforms: Platforms,
         decisions: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{
        "story": r.story_id, "lang": r.lang, "preset": r.preset,
        "platforms": " ".join(p.key for p in platforms.taking(r.lang, r.preset)),
        "path": r.video.relative_to(out_root).as_posix(),
        "bytes": r.video.stat().st_size, "sha256": r.video_sha256,
        "duration_s": round(int(r.meta.get("duration_ms", 0)) / 1000, 3),
        "title": str(r.meta.get("title", "")), "approval": approval(r, decisions),
    } for r in renders]


def _csv(table: Sequence[Mapping[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buf.getvalue().encode("utf-8")


def _summed(out_root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(out_root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or (Path(dirpath) == out_root and name in _UNSUMMED):
                continue
            yield path


def _write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)


def _identity(path: Path) -> tuple[int, int, int, int]:
    stat = path.stat()
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


def write_sums(out_root: Path, known: Mapping[Path, str] | None = None) -> Path:
    """``SHA256SUMS`` of every file under ``out_root`` (but itself and review.json), in
    the format ``sha256sum -c`` reads, paths relative to ``out_root``. ``known`` digests
    are reused for those files and every hard link to them (the publish kit's videos)."""
    by_identity = {_identity(path): digest for path, digest in (known or {}).items()}
    lines = []
    for path in _summed(out_root):
        identity = _identity(path)
        digest = by_identity.get(identity) or sha256_file(path)
        by_identity[identity] = digest
        lines.append(f"{digest}  {path.relative_to(out_root).as_posix()}\n")
    target = out_root / SUMS
    _write_if_changed(target, "".join(lines).encode("utf-8"))
    return target


def link_or_copy(source: Path, target: Path) -> bool:
    """``target`` holds ``source``'s bytes: a hard link if possible (True), else a copy."""
    if target.exists() and os.path.samefile(source, target):
        return True
    with atomic_path(target) as tmp:
        tmp.unlink()
        try:
            os.link(source, tmp)
            linked = True
        except OSError:
            shutil.copy2(source, tmp)
            linked = False
    return linked


def link_fonts(out_root: Path) -> None:
    """The shipped fonts in ``out_root/_fonts/``, so the gallery draws Chinese on any
    machine without loading a font from anywhere else."""
    for file in FONT_FILES.values():
        source = fonts_dir() / file
        if source.is_file():
            link_or_copy(source, out_root / FONTS / file)


def refresh(out_root: Path, platforms: Platforms,
            project: Path | None = None) -> list[dict[str, Any]]:
    """Write manifest.csv, manifest.json, index.html and SHA256SUMS for ``out_root``;
    returns the manifest's rows. A folder with no finished render (a batch whose every
    job failed) is left untouched. ``project`` is where the renders' storyboards are
    found (for per-platform overrides; default: the working folder)."""
    from storyreel.package.gallery import gallery_html

    renders = find_renders(out_root)
    if not renders and not (out_root / "manifest.csv").is_file():
        return []  # nothing finished, nothing listed before: leave the folder as it is
    decisions = read_review(out_root)
    table = rows(out_root, renders, platforms, decisions)
    _write_if_changed(out_root / "manifest.csv", _csv(table))
    _write_if_changed(out_root / "manifest.json", (json.dumps(
        {"videos": table}, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    link_fonts(out_root)
    html = gallery_html(out_root, renders, platforms, decisions, server=False,
                        project=project)
    _write_if_changed(out_root / "index.html", html.encode("utf-8"))
    known = {r.video: row["sha256"] for r, row in zip(renders, table, strict=True)}
    write_sums(out_root, known)
    return table
