"""Single frames of a video as the render would show them, without rendering it.

A story is planned as a render plans it (the job's speaker: real engine, speech cache);
a scene is drawn once (``draw_scene``), and its frame at a moment is composed from its
layers as ffmpeg would: the camera window of the Ken Burns move at that frame (from the
render's own ``camera_window``), the bullets revealed by then
(``reveal_times``). The captions are burnt in by libass through ffmpeg from the very ASS
the render writes, with each frame's timestamp set, so the cue on screen is the render's.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import ffmpeg
from PIL import Image

from storyreel.errors import StoryreelError
from storyreel.ffmpeg_runner import run_ffmpeg
from storyreel.layout import (
    SceneArt,
    Theme,
    draw_scene,
    theme_for,
)
from storyreel.pipeline.story import plan_narration, with_english
from storyreel.presets import Preset, get_preset
from storyreel.render.mover import camera_window
from storyreel.resources import fonts_dir
from storyreel.storyboard.load import load_storyboard
from storyreel.storyboard.model import Motion, Storyboard
from storyreel.subtitles.files import write_subtitles
from storyreel.timeline.model import Cue, Timeline, frame_to_ms, reveal_times
from storyreel.tts import get_engine


@dataclass(frozen=True)
class PlannedStory:
    """One storyboard planned in one language for one preset, as a render would."""

    board: Storyboard
    lang: str
    preset: Preset
    theme: Theme
    timeline: Timeline
    captions: tuple[Cue, ...]  # what is burnt in (bilingual lines included if asked)

    @property
    def label(self) -> str:
        return f"{self.board.id}.{self.lang}.{self.preset.name}"


def plan_story(
    path: Path, lang: str, preset: str, *, engine: str = "espeak",
    cache_root: Path | None = None, size: tuple[int, int] | None = None,
    bilingual: bool = False,
) -> PlannedStory:
    """Load and plan ``path`` as a render does (``pipeline.story``: same checks, speech)."""
    board = load_storyboard(path)
    frame = get_preset(preset)
    if size is not None:
        frame = frame.scaled(*size)
    theme = theme_for(board)
    timeline, _ = plan_narration(board, lang, frame, theme, get_engine(engine), cache_root,
                                 bilingual)
    captions = with_english(board, timeline.cues) if bilingual and lang == "zh" else \
        timeline.cues
    return PlannedStory(board, lang, frame, theme, timeline, tuple(captions))


def scene_indices(story: PlannedStory, wanted: Sequence[int] | None) -> list[int]:
    """0-based indices of the 1-based scene numbers ``wanted`` (all scenes if None)."""
    count = len(story.board.scenes)
    if not wanted:
        return list(range(count))
    bad = [n for n in wanted if not 1 <= n <= count]
    if bad:
        raise StoryreelError(
            f"{story.board.source}: no scene {bad[0]}; it has scenes 1 to {count}")
    return sorted({n - 1 for n in wanted})


def middle_frame(timeline: Timeline, index: int) -> int:
    """The frame in the middle of scene ``index``."""
    span = timeline.scenes[index]
    return span.start_frame + span.frames // 2


def scene_still(story: PlannedStory, index: int, frame: int,
                art: SceneArt | None = None) -> Image.Image:
    """Scene ``index`` at video frame ``frame``, without captions (RGB, preset size)."""
    timeline = story.timeline
    if art is None:
        art = draw_scene(story.board, index, story.lang, story.preset, story.theme)
    span = timeline.scenes[index]
    on = frame - span.start_frame  # frame number within the scene's own stream
    following = timeline.scenes[index + 1] if index + 1 < len(timeline.scenes) else None
    length = span.frames + (following.transition_frames if following else 0)
    if art.plate is not None and art.motion is not Motion.NONE:
        art = replace(art, plate=camera(art.plate, art.motion, art.focus, on, length))
    seconds = on / timeline.fps
    shown = sum(1 for at in reveal_times(timeline, index, len(art.reveals)) if at <= seconds)
    return art.composite(reveals=shown)


def camera(plate: Image.Image, motion: Motion, focus: tuple[float, float], on: int,
           frames: int) -> Image.Image:
    """The plate as the camera shows it at frame ``on`` of ``frames``: the window the
    render's mover shows (``camera_window``), scaled to the plate."""
    x0, y0, w, h = camera_window(motion, focus, frames, on, plate.width, plate.height)
    box = (x0, y0, x0 + w, y0 + h)
    return plate.resize(plate.size, Image.Resampling.BICUBIC, box=box)


def burn_captions(story: PlannedStory, stills: Sequence[Image.Image], frames: Sequence[int]
                  ) -> list[Image.Image]:
    """``stills`` (shown at video ``frames``) with the caption on screen at each burnt in
    by libass, in one ffmpeg run, from the ASS file a render would write."""
    if not stills:
        return []
    fps = story.timeline.fps
    with tempfile.TemporaryDirectory(prefix="storyreel-preview-") as tmp:
        work = Path(tmp)
        for k, still in enumerate(stills):
            still.save(work / f"still{k:03d}.png", compress_level=1)
        style = story.theme.caption_style(story.preset)
        ass = write_subtitles(story.captions, work, "captions", style, formats=("ass",))["ass"]
        # Frame k is given the timestamp of video frame frames[k] (time base 1/fps, as in
        # the render), so libass shows the cue the render shows then.
        pts = "0"
        for k in reversed(range(len(frames))):
            pts = f"if(eq(N,{k}),{frames[k]},{pts})"
        video = (
            ffmpeg.input(str(work / "still%03d.png"), framerate=1, start_number=0)
            .filter("settb", f"1/{fps}")
            .filter("setpts", pts)
            .filter("subtitles", filename=str(ass), fontsdir=str(fonts_dir()))
        )
        pattern = work / "burnt%03d.png"
        args = ffmpeg.output(video, str(pattern), **{
            "frames:v": len(stills), "fps_mode": "passthrough", "start_number": 0,
            "pix_fmt": "rgb24", "compression_level": 1,
        }).get_args()
        run_ffmpeg(["-y", *args], what="burn captions into the preview stills")
        out: list[Image.Image] = []
        for k in range(len(stills)):
            with Image.open(work / f"burnt{k:03d}.png") as im:
                out.append(im.convert("RGB"))
        return out


def cue_at(story: PlannedStory, frame: int) -> Cue | None:
    """The caption on screen at ``frame`` (for tests and labels)."""
    ms = frame_to_ms(frame, story.timeline.fps)
    return next((c for c in story.captions if c.start_ms <= ms < c.end_ms), None)
