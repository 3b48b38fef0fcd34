"""Previews: stills of chosen scenes, a contact sheet of a whole story, a short video.

* :func:`stills` writes the middle frame of each chosen scene as a PNG, captions burnt
  in, at the preset's own size (about a second each).
* :func:`contact_sheet` writes one PNG with the middle frame of every scene, captioned,
  labelled with its number, layout and time, to review a story's look at a glance.
* :func:`preview_video` renders only the chosen scenes, small and fast, with narration
  and captions: the render's own pipeline (``pipeline.render.encode``: drawing,
  soundtrack, scene segments) over an excerpt of the story's Timeline, with ``PREVIEW``
  encoding.

Everything goes to ``output/<id>/preview/`` (or another folder), written atomically.
"""

from __future__ import annotations

import io
import math
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageDraw

from storyreel.editor.frames import (
    PlannedStory,
    burn_captions,
    middle_frame,
    plan_story,
    scene_indices,
    scene_still,
)
from storyreel.fileio import write_atomic
from storyreel.fonts import load_font
from storyreel.package.outputs import StoryFiles
from storyreel.pipeline.render import encode, segment_cache
from storyreel.pipeline.story import effective_mix, music_for
from storyreel.presets import get_preset
from storyreel.render.graph import PREVIEW
from storyreel.subtitles.files import write_subtitles
from storyreel.timeline.model import Clip, Cue, SceneSpan, Timeline, frame_to_ms

VIDEO_LONG_SIDE = 640
SHEET_THUMB_LONG_SIDE = 480


@dataclass(frozen=True)
class PreviewSettings:
    out_root: Path = Path("output")
    out_dir: Path | None = None  # instead of <out_root>/<id>/preview
    engine: str = "espeak"
    cache_root: Path | None = None
    bilingual: bool = False  # burn the English line under the Chinese one


def preview_dir(story: PlannedStory, settings: PreviewSettings) -> Path:
    return settings.out_dir or StoryFiles(settings.out_root, story.board.id).folder / "preview"


def _plan(path: Path, lang: str, preset: str, settings: PreviewSettings,
          size: tuple[int, int] | None = None) -> PlannedStory:
    return plan_story(path, lang, preset, engine=settings.engine,
                      cache_root=settings.cache_root, size=size, bilingual=settings.bilingual)


def _save_png(image: Image.Image, path: Path) -> Path:
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=3)
    write_atomic(path, buf.getvalue())
    return path


def stills(path: Path, scenes: Sequence[int] | None, lang: str, preset: str,
           settings: PreviewSettings = PreviewSettings()) -> list[Path]:
    """The middle frame of each chosen scene (1-based numbers; all if None) as a PNG:
    ``<id>.<lang>.<preset>.scene<NN>.png``."""
    story = _plan(path, lang, preset, settings)
    chosen = scene_indices(story, scenes)
    frames = [middle_frame(story.timeline, i) for i in chosen]
    drawn = [scene_still(story, i, f) for i, f in zip(chosen, frames, strict=True)]
    folder = preview_dir(story, settings)
    return [
        _save_png(image, folder / f"{story.label}.scene{i + 1:02d}.png")
        for i, image in zip(chosen, burn_captions(story, drawn, frames), strict=True)
    ]


def contact_sheet(path: Path, lang: str, preset: str,
                  settings: PreviewSettings = PreviewSettings()) -> Path:
    """One PNG with the middle frame of every scene: ``<id>.<lang>.<preset>.sheet.png``."""
    story = _plan(path, lang, preset, settings)
    chosen = list(range(len(story.board.scenes)))
    frames = [middle_frame(story.timeline, i) for i in chosen]
    drawn = [scene_still(story, i, f) for i, f in zip(chosen, frames, strict=True)]
    sheet = _sheet(story, burn_captions(story, drawn, frames))
    return _save_png(sheet, preview_dir(story, settings) / f"{story.label}.sheet.png")


def _sheet(story: PlannedStory, shots: Sequence[Image.Image]) -> Image.Image:
    """Thumbnails in a grid under a title line, each labelled: number, layout, time."""
    w, h = story.preset.width, story.preset.height
    scale = SHEET_THUMB_LONG_SIDE / max(w, h)
    tw, th = round(w * scale), round(h * scale)
    columns = 3 if w >= h else 5
    rows = math.ceil(len(shots) / columns)
    gap, label_h, head_h = 16, 34, 64
    sheet = Image.new("RGB", (gap + columns * (tw + gap),
                              head_h + rows * (th + label_h + gap) + gap), (24, 26, 30))
    draw = ImageDraw.Draw(sheet)
    title = story.board.title.get(story.lang)
    seconds = story.timeline.duration_ms / 1000
    draw.text((gap, 18), f"{title}   {story.board.id} · {story.lang} · {story.preset.name} · "
              f"{len(shots)} scenes · {seconds:.0f} s", font=load_font(26, True),
              fill=(240, 240, 240))
    small = load_font(18)
    fps = story.timeline.fps
    for k, shot in enumerate(shots):
        x = gap + (k % columns) * (tw + gap)
        y = head_h + (k // columns) * (th + label_h + gap)
        sheet.paste(shot.resize((tw, th), Image.Resampling.LANCZOS, reducing_gap=2.0), (x, y))
        span = story.timeline.scenes[k]
        scene = story.board.scenes[k]
        label = (f"{k + 1}  {scene.layout.value}   "
                 f"{_clock(frame_to_ms(span.start_frame, fps))}–"
                 f"{_clock(frame_to_ms(span.end_frame, fps))}")
        draw.text((x, y + th + 6), label, font=small, fill=(200, 204, 210))
    return sheet


def _clock(ms: int) -> str:
    s = ms // 1000
    return f"{s // 60}:{s % 60:02d}"


def preview_video(path: Path, scenes: Sequence[int] | None, lang: str, preset: str,
                  settings: PreviewSettings = PreviewSettings()) -> Path:
    """The chosen scenes (all if None) as a small, fast video with narration, music and
    captions: ``<id>.<lang>.<preset>.scenes-<a>-<b>.mp4``."""
    story = _plan(path, lang, preset, settings, size=_video_size(preset))
    chosen = scene_indices(story, scenes)
    # The captions burnt in (bilingual lines included) move with their scenes too.
    timeline = excerpt(replace(story.timeline, cues=story.captions), chosen)
    numbers = "-".join(str(i + 1) for i in chosen) if len(chosen) <= 4 else \
        f"{chosen[0] + 1}-to-{chosen[-1] + 1}"
    video = preview_dir(story, settings) / f"{story.label}.scenes-{numbers}.mp4"
    with tempfile.TemporaryDirectory(prefix="storyreel-preview-") as tmp:
        work = Path(tmp)
        style = story.theme.caption_style(story.preset)
        ass = write_subtitles(timeline.cues, work, "captions", style, formats=("ass",))["ass"]
        encode(story.board, timeline, chosen, story.theme, story.preset, timeline.cues, ass,
               music_for(story.board, story.theme), effective_mix(story.preset, story.theme),
               video, work, PREVIEW, segment_cache(settings.cache_root))
    return video


def _video_size(preset: str) -> tuple[int, int]:
    full = get_preset(preset)
    scale = VIDEO_LONG_SIDE / max(full.width, full.height)
    return (round(full.width * scale / 2) * 2, round(full.height * scale / 2) * 2)


def excerpt(timeline: Timeline, indices: Sequence[int]) -> Timeline:
    """The scenes ``indices`` of ``timeline`` back to back: transitions kept between
    scenes that follow each other in the story, a cut elsewhere; narration clips and
    captions move with their scenes."""
    spans: list[SceneSpan] = []
    clips: list[Clip] = []
    cues: list[Cue] = []
    fps = timeline.fps
    start = 0
    previous: int | None = None
    for k, index in enumerate(sorted(indices)):
        span = timeline.scenes[index]
        moved = replace(span, index=k, start_frame=start, end_frame=start + span.frames)
        if previous is None or index != previous + 1:
            moved = replace(moved, transition_frames=0, transition="cut")
        spans.append(moved)
        shift = frame_to_ms(start, fps) - frame_to_ms(span.start_frame, fps)
        clips += [replace(c, start_ms=c.start_ms + shift, scene=k)
                  for c in timeline.clips if c.scene == index]
        cues += [replace(c, start_ms=c.start_ms + shift, end_ms=c.end_ms + shift, scene=k)
                 for c in timeline.cues if c.scene == index]
        start = moved.end_frame
        previous = index
    return replace(timeline, total_frames=start, scenes=tuple(spans), clips=tuple(clips),
                   cues=tuple(cues))
