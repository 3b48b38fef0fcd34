"""Render one story in one language and preset: speak → plan → draw → write → render →
package, staged and published as one set (see :mod:`storyreel.package.staging`).

``batch.job.run_job`` calls :func:`render_story` for a job it cannot skip; ``preview
--video`` calls :func:`encode` (the same drawing, captions, soundtrack and segments) on
an excerpt of a story's Timeline; the benchmarks call both through ``run_job``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from storyreel import __version__
from storyreel.fileio import sha256_file
from storyreel.layout import draw_cover, draw_scene, forget_pictures
from storyreel.package.outputs import StoryFiles, write_jpeg, write_json
from storyreel.package.provenance import provenance
from storyreel.package.staging import Staging, clean_stale
from storyreel.pipeline.story import (
    effective_mix,
    music_for,
    plan_narration,
    project_of,
    with_english,
)
from storyreel.presets import Preset
from storyreel.render.audio import Loudness, Mix
from storyreel.render.captions import CaptionDrawer, draw_captions, shown_spans
from storyreel.render.graph import Encoding, SceneLayers
from storyreel.render.segments import LayerDigests, SegmentCache
from storyreel.render.sound import SoundCache
from storyreel.render.video import LayerCache, VideoReport, render_video
from storyreel.resources import (
    cache_dir,
    code_identity,
    fonts_dir,
    keep_heap_lean,
    release_memory,
)
from storyreel.storyboard.model import Storyboard
from storyreel.subtitles.files import write_subtitles
from storyreel.subtitles.quality import check_cues
from storyreel.text.segment import release_words
from storyreel.theme import Theme
from storyreel.theme.captions import CaptionStyle
from storyreel.timeline.fill import fill_of
from storyreel.timeline.model import Cue, Timeline
from storyreel.tts.base import Engine

Progress = Callable[[str, float], None]  # (stage, fraction of the job done)


@dataclass(frozen=True)
class Options:
    """How to render (the job's settings, as the pipeline needs them)."""

    encoding: Encoding
    mix: Mix
    bilingual: bool = False
    cache_root: Path | None = None


@dataclass(frozen=True)
class Rendered:
    files: tuple[Path, ...]
    warnings: tuple[str, ...]
    video: VideoReport


def segment_cache(cache_root: Path | None) -> SegmentCache:
    return SegmentCache((cache_root or cache_dir()) / "segments")


def encode(
    board: Storyboard, timeline: Timeline, scenes: Sequence[int], theme: Theme,
    preset: Preset, burned: Sequence[Cue], ass: Path, music: Path | None, mix: Mix,
    out: Path, work: Path, encoding: Encoding, cache: SegmentCache,
    executor: Executor | None = None, progress: Progress | None = None,
) -> tuple[Loudness, VideoReport]:
    """Draw ``scenes`` of ``board`` (the scenes of ``timeline``, in order), mix the
    soundtrack, and encode the video into ``out`` by segments, burning ``ass``."""
    say = progress or (lambda stage, done: None)
    kept = LayerCache(cache.root.parent / "layers")
    code = code_identity()
    keys = [drawing_key(board, i, timeline.lang, preset, theme, code) for i in scenes]

    def scene(k: int) -> tuple[SceneLayers, LayerDigests]:
        """The ``k``-th of ``scenes``, kept or drawn now."""
        i = scenes[k]
        layers = kept.layers(keys[k], k, timeline,
                             partial(draw_scene, board, i, timeline.lang, preset, theme))
        forget_pictures()  # a scene's picture is not drawn again by this render
        release_memory()  # the scene's layers are files now; ffmpeg is running
        return layers

    def laid_out() -> None:
        release_words()  # every text of the render is laid out
        release_memory()

    ahead = ThreadPoolExecutor(max_workers=1)
    with ThreadPoolExecutor(max_workers=1) as early, contextlib.ExitStack() as stack:
        # The scenes are drawn one after another on a thread of their own: the first
        # while the soundtrack is mixed, the others while the first segments encode;
        # then the words' dictionary goes (the encoding of the long middle needs room).
        # A render that fails draws no more.
        stack.callback(ahead.shutdown, wait=True, cancel_futures=True)
        drawings = [ahead.submit(scene, k) for k in range(len(scenes))]
        drawn_all = ahead.submit(laid_out)
        # libass draws each cue once: the first scene's before its segment is encoded,
        # beside the mixing of the soundtrack or the drawing of that scene, when there
        # is one to do (then segments will be encoded); the others when a segment to
        # encode asks (a render that finds every segment kept draws none).
        size = (timeline.width, timeline.height)
        captions = CaptionDrawer(
            early, partial(draw_captions, ass, burned, size, timeline.fps,
                           timeline.total_frames, fonts_dir(), work),
            shown_spans(burned, timeline.total_frames, timeline.fps),
            head=timeline.scenes[0].end_frame if timeline.scenes else 0)
        if keys and not kept.has(keys[0]):
            captions.start()
        say("mix", 0.2)
        loudness, encode_sound = SoundCache(cache.root.parent / "sound").prepare(
            timeline, music, mix, encoding, code, work, mixing=captions.start)
        release_memory()  # the samples are on disk now; ffmpeg needs the room

        def sound() -> Path:
            # Encoded beside the segments once the drawing is over: not beside the
            # first segment, the drawing and the words' dictionary at once.
            drawn_all.result()
            return encode_sound()

        def drawn() -> Iterator[tuple[SceneLayers, LayerDigests]]:
            say("draw", 0.3)
            for k, drawing in enumerate(drawings):
                yield drawing.result()
                if k == 0:
                    say("encode", 0.3)

        style: CaptionStyle = theme.caption_style(preset)
        report = render_video(
            timeline, drawn(), captions.drawn, burned, repr(style), sound, out, work,
            cache=cache, code=code, encoding=encoding, executor=executor,
            progress=lambda done: say("encode", 0.3 + 0.65 * done),
        )
    return loudness, report


def drawing_key(board: Storyboard, index: int, lang: str, preset: Preset, theme: Theme,
                code: str) -> str:
    """Everything scene ``index``'s drawing reads in ``lang``: the scene (but its
    narration: spoken and captioned, never drawn) and the story's own fields (not the
    other scenes) in that language only, its picture and the logo by content, the
    preset, the theme, the code and fonts. An edit of another scene, of the narration or
    of the other language leaves it as it was."""
    story = board.model_dump(mode="json", exclude={"scenes"})
    scene = board.scenes[index]
    picture = board.image_path(scene)
    logo = theme.logo_file()
    fields = {
        "story": _in_language(story, lang), "scenes": len(board.scenes), "index": index,
        "scene": _in_language(scene.model_dump(mode="json", exclude={"narration"}), lang),
        "lang": lang,
        "picture": sha256_file(picture) if picture is not None else None,
        "logo": sha256_file(logo) if logo is not None and logo.is_file() else None,
        "preset": repr(preset),
        "theme": theme.model_dump(mode="json"), "code": code,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()
                          ).hexdigest()


def _in_language(value: Any, lang: str) -> Any:
    """``value`` (JSON data) with every text given in both languages kept in ``lang``."""
    if isinstance(value, dict):
        if set(value) == {"zh", "en"}:
            return value[lang]
        return {k: _in_language(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [_in_language(v, lang) for v in value]
    return value


def render_story(
    board: Storyboard, lang: str, preset: Preset, theme: Theme, engine: Engine,
    files: StoryFiles, options: Options, metadata: dict[str, Any],
    executor: Executor | None = None, progress: Progress | None = None,
) -> Rendered:
    """Render ``board`` in ``lang`` for ``preset`` and publish its whole set of files.

    ``metadata`` (what the job knows: fingerprint, ids) goes into the render's metadata
    with what the render found out."""
    say = progress or (lambda stage, done: None)
    keep_heap_lean()  # what a stage frees goes back to the system, for the encoder
    say("speak", 0.05)
    timeline, speak = plan_narration(board, lang, preset, theme, engine, options.cache_root,
                                     options.bilingual)
    warnings = tuple(str(p) for p in check_cues(timeline.cues, lang, timeline.duration_ms))
    music = music_for(board, theme)
    label = f"{board.id}.{lang}.{preset.name}"
    stems = (files.subtitle_stem(lang), files.subtitle_stem("zh-en"))
    clean_stale(files.folder, label, stems)
    with Staging(files.folder, label) as stage:
        # Draw the cover before writing anything: a bad picture fails the job early.
        cover_image = draw_cover(board, lang, preset, theme)
        style = theme.caption_style(preset)
        subtitles = {kind: path.name for kind, path in write_subtitles(
            timeline.cues, stage.folder, files.subtitle_stem(lang), style,
            formats=("srt", "vtt")).items()}
        burned = timeline.cues
        if lang == "zh":
            both = with_english(board, timeline.cues)
            written = write_subtitles(both, stage.folder, files.subtitle_stem("zh-en"), style,
                                      formats=("srt", "vtt"))
            subtitles["zh-en.srt"] = written["srt"].name
            subtitles["zh-en.vtt"] = written["vtt"].name
            burned = both if options.bilingual else burned
        video = files.video(lang, preset.name).name
        captions = files.captions(lang, preset.name).name
        ass = write_subtitles(burned, stage.folder, Path(captions).stem, style,
                              formats=("ass",))["ass"]
        cover = files.cover(lang, preset.name).name
        write_jpeg(stage.path(cover), cover_image)
        loudness, report = encode(
            board, timeline, range(len(board.scenes)), theme, preset, burned, ass, music,
            effective_mix(preset, theme, options.mix), stage.path(video), stage.work,
            options.encoding, segment_cache(options.cache_root), executor, say,
        )
        names = [video, cover, captions, *subtitles.values()]
        meta = {
            **metadata, **timeline_facts(board, lang, timeline, music),
            "loudness": {"integrated_lufs": loudness.integrated_lufs,
                         "true_peak_dbtp": loudness.true_peak_db},
            "voice": {"engine": engine.name, "voice": speak.voice,
                      "rate": timeline.speech_rate, "lexicon": speak.lexicon.digest},
            "video": video, "cover": cover, "captions": captions, "subtitles": subtitles,
            "narration_fill": fill_of(timeline).to_json(),
            "warnings": list(warnings), "set": stage.digests(names),
            "segments": {"encoded": list(report.encoded), "reused": list(report.reused),
                         "on_borrowed_slots": report.borrowed},
        }
        # What is on disk, computed from the staged files (they are the published ones).
        meta["provenance"] = provenance(
            stage.folder, meta, [board.source, theme.source, music,
                                 *(board.image_path(scene) for scene in board.scenes)],
            engine.identity(speak.voice), project_of(board))
        meta_name = files.metadata(lang, preset.name).name
        write_json(stage.path(meta_name), meta)
        stage.publish([*names, meta_name], last=meta_name)
    say("done", 1.0)
    return Rendered(tuple(files.folder / n for n in (*names, meta_name)), warnings, report)


def timeline_facts(board: Storyboard, lang: str, timeline: Timeline,
                   music: Path | None) -> dict[str, Any]:
    return {
        "id": board.id,
        "lang": lang,
        "preset": timeline.preset,
        "title": board.title.get(lang),
        "description": board.description.get(lang) if board.description else "",
        "tags": [tag.get(lang) for tag in board.tags],
        "width": timeline.width,
        "height": timeline.height,
        "fps": timeline.fps,
        "duration_ms": timeline.duration_ms,
        "frames": timeline.total_frames,
        "scenes": len(timeline.scenes),
        "cues": len(timeline.cues),
        "music": music.name if music else None,
        "storyreel": __version__,
    }
