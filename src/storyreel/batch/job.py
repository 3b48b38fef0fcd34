"""One render job: one story, one language, one preset, from storyboard to finished files.

This is where the stages meet: load → speak → plan → draw → write → render → package.
Each stage is its own module; this one only passes data between them and decides what
can be skipped because it is already done.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from storyreel import __version__
from storyreel.errors import AssetError
from storyreel.layout import (
    LayoutProblemError,
    check_captions,
    draw_cover,
    draw_scene,
    theme_for,
)
from storyreel.package.outputs import StoryFiles, read_json, write_jpeg, write_json
from storyreel.package.provenance import provenance
from storyreel.presets import Preset, get_preset
from storyreel.render.audio import DEFAULT_MIX, Loudness, Mix, soundtrack
from storyreel.render.graph import Encoding, build
from storyreel.render.layers import save_layers
from storyreel.render.run import run_ffmpeg
from storyreel.resources import cache_dir, code_identity, fonts_dir, music_dir
from storyreel.storyboard.load import load_storyboard
from storyreel.storyboard.model import Storyboard
from storyreel.subtitles.bilingual import add_secondary
from storyreel.subtitles.files import write_subtitles
from storyreel.subtitles.quality import check_cues
from storyreel.theme import Theme
from storyreel.timeline.fill import fill_of
from storyreel.timeline.model import Cue, Timeline
from storyreel.timeline.plan import plan
from storyreel.tts import get_engine
from storyreel.tts.base import Engine, Speech
from storyreel.tts.cache import SpeechCache
from storyreel.tts.lexicon import Lexicon, prepare_for_speech, project_lexicon


@dataclass(frozen=True)
class RenderSettings:
    """Batch-wide settings; everything a job's result depends on besides its inputs."""

    out_root: Path = Path("output")
    engine: str = "espeak"
    cache_root: Path | None = None
    frame_size: tuple[int, int] | None = None  # fit the frame in this box (quick looks)
    encoding: Encoding = field(default_factory=Encoding)
    mix: Mix = field(default_factory=Mix)  # attack, release, fades; levels come from theme
    force: bool = False
    bilingual: bool = False  # burn the English line under the Chinese one in zh videos

    def preset(self, name: str) -> Preset:
        preset = get_preset(name)
        return preset.fitted(*self.frame_size) if self.frame_size else preset


@dataclass(frozen=True)
class Job:
    storyboard: Path
    story_id: str
    lang: str
    preset: str

    @property
    def label(self) -> str:
        return f"{self.story_id} {self.lang} {self.preset}"


@dataclass(frozen=True)
class JobResult:
    job: Job
    status: str  # "rendered", "skipped" or "failed"
    seconds: float = 0.0
    error: str = ""
    warnings: tuple[str, ...] = ()
    files: tuple[Path, ...] = ()


Progress = Callable[[str, float], None]  # (stage, fraction of the job done)


def run_job(job: Job, settings: RenderSettings, progress: Progress | None = None) -> JobResult:
    """Render one job; a skip when its outputs are already up to date."""
    started = time.monotonic()
    say = progress or (lambda stage, done: None)
    say("load", 0.0)
    board = load_storyboard(job.storyboard)
    preset = settings.preset(job.preset)
    theme = theme_for(board)
    files = StoryFiles(settings.out_root, board.id)
    engine = get_engine(settings.engine)
    fingerprint = _fingerprint(board, job, settings, engine, preset, theme)
    meta_path = files.metadata(job.lang, job.preset)
    if not settings.force and _up_to_date(meta_path, fingerprint, files):
        return JobResult(job, "skipped", time.monotonic() - started)

    say("speak", 0.05)
    timeline, speak = plan_narration(board, job.lang, preset, theme, engine, settings.cache_root,
                                     settings.bilingual)
    voice, lexicon = speak.voice, speak.lexicon
    warnings = tuple(str(p) for p in check_cues(timeline.cues, job.lang, timeline.duration_ms))

    say("draw", 0.2)
    music = music_for(board, theme)
    with tempfile.TemporaryDirectory(prefix="storyreel-") as tmp:
        work = Path(tmp)
        # Draw everything before writing anything: a bad picture or text fails the job
        # with no file under its final name.
        cover_image = draw_cover(board, job.lang, preset, theme)
        layers = [
            save_layers(draw_scene(board, i, job.lang, preset, theme), work, i, timeline)
            for i in range(len(board.scenes))
        ]
        style = theme.caption_style(preset)
        subtitle_files = write_subtitles(
            timeline.cues, files.folder, files.subtitle_stem(job.lang), style,
            formats=("srt", "vtt"),
        )
        burned = timeline.cues
        if job.lang == "zh":
            both = with_english(board, timeline.cues)
            written = write_subtitles(
                both, files.folder, files.subtitle_stem("zh-en"), style, formats=("srt", "vtt"),
            )
            subtitle_files["zh-en.srt"] = written["srt"]
            subtitle_files["zh-en.vtt"] = written["vtt"]
            burned = both if settings.bilingual else burned
        ass = write_subtitles(
            burned, files.folder, files.captions(job.lang, job.preset).stem, style,
            formats=("ass",),
        )["ass"]
        cover = files.cover(job.lang, job.preset)
        write_jpeg(cover, cover_image)

        say("mix", 0.3)
        audio = work / "soundtrack.wav"
        loudness = soundtrack(timeline, audio, music, effective_mix(preset, theme, settings.mix))
        say("encode", 0.35)
        video = files.video(job.lang, job.preset)
        args = build(timeline, layers, audio, ass, fonts_dir(), video, settings.encoding)
        total = timeline.total_frames
        run_ffmpeg(
            args.get_args(), video,
            on_frame=lambda frame: say("encode", 0.35 + 0.65 * min(1.0, frame / total)),
        )

    meta = _metadata(board, job, timeline, loudness, fingerprint, music)
    meta["voice"] = {"engine": engine.name, "voice": voice, "rate": timeline.speech_rate,
                     "lexicon": lexicon.digest}
    meta["narration_fill"] = fill_of(timeline).to_json()
    meta.update(
        video=video.name, cover=cover.name, captions=ass.name,
        subtitles={kind: path.name for kind, path in subtitle_files.items()},
        warnings=list(warnings),
    )
    meta["provenance"] = provenance(
        files.folder, meta, [board.source, theme.source, music,
                             *(board.image_path(scene) for scene in board.scenes)],
        engine.identity(voice), project_of(board))
    write_json(meta_path, meta)
    say("done", 1.0)
    outputs = (video, cover, ass, *subtitle_files.values(), meta_path)
    return JobResult(job, "rendered", time.monotonic() - started, "", warnings, outputs)


@dataclass(frozen=True)
class Speaker:
    """How a job speaks: the caption's text through the project lexicon, then the engine,
    through the speech cache. Called as ``plan``'s ``speak``; ``check`` and ``preview``
    build theirs with :func:`speaker` too, so they hear exactly what a render would."""

    engine: Engine
    cache: SpeechCache
    lang: str
    voice: str
    lexicon: Lexicon

    def __call__(self, text: str, rate: float) -> Speech:
        spoken = prepare_for_speech(text, self.lang, self.lexicon)
        return self.cache.speak(self.engine, spoken, lang=self.lang, voice=self.voice,
                                rate=rate)


def plan_narration(
    board: Storyboard, lang: str, preset: Preset, theme: Theme, engine: Engine,
    cache_root: Path | None = None, bilingual: bool = False,
) -> tuple[Timeline, Speaker]:
    """Speak and plan ``board`` in ``lang``: what render, check and preview all do first,
    so they fail on the same problems with the same words (``bilingual``: the English
    burnt in under Chinese captions is checked too)."""
    unreadable = check_captions(board, lang, theme, bilingual)
    if unreadable:
        raise LayoutProblemError(unreadable[0])
    speak = speaker(board, lang, engine, cache_root)
    return plan(board, lang, preset, speak), speak


def with_english(board: Storyboard, cues: Sequence[Cue]) -> tuple[Cue, ...]:
    """Chinese cues with each scene's English narration shared out under them."""
    return add_secondary(cues, [scene.narration.en for scene in board.scenes], "en")


def speaker(board: Storyboard, lang: str, engine: Engine,
            cache_root: Path | None = None) -> Speaker:
    """The :class:`Speaker` of ``board`` in ``lang``: its voice, its project's lexicon."""
    cache = SpeechCache((cache_root or cache_dir()) / "tts")
    return Speaker(engine, cache, lang, voice_for(board, engine, lang),
                   project_lexicon(project_of(board)))


def voice_for(board: Storyboard, engine: Engine, lang: str) -> str:
    """The storyboard's voice for this engine and language, else the engine's default."""
    chosen = {str(k): v for k, v in board.voices.get(engine.name, {}).items()}
    return chosen.get(lang) or engine.default_voice(lang)


def project_of(board: Storyboard) -> Path:
    """The project a storyboard belongs to (see :mod:`storyreel.project`)."""
    return board.project_root


def music_for(board: Storyboard, theme: Theme) -> Path | None:
    """The bed under the narration: the storyboard's, else the theme's, unless 'none'."""
    if board.music is not None:
        return board.music_path()
    if theme.sound.music is None:
        return None
    path = music_dir() / theme.sound.music
    if not path.is_file():
        raise AssetError(f"theme '{theme.name}': music '{theme.sound.music}' not found in "
                         f"{music_dir()}; put it there or change the theme's sound.music")
    return path


def effective_mix(preset: Preset, theme: Theme, base: Mix = DEFAULT_MIX) -> Mix:
    """The mix of a job: the preset's loudness target, the theme's bed levels."""
    return replace(base, target_lufs=preset.loudness_lufs, music_db=theme.sound.music_db,
                   duck_db=theme.sound.duck_db)


def _file_digest(path: Path | None) -> str:
    if path is None or not path.is_file():
        return "-"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fingerprint(board: Storyboard, job: Job, settings: RenderSettings, engine: Engine,
                 preset: Preset, theme: Theme) -> str:
    """A digest of everything the job's outputs depend on: same digest, same files."""
    h = hashlib.sha256()
    parts: list[str] = [
        code_identity(), job.lang, repr(preset), repr(settings.encoding),
        repr(effective_mix(preset, theme, settings.mix)), str(settings.bilingual), engine.name,
        engine.identity(voice_for(board, engine, job.lang)),
        _file_digest(board.source), _file_digest(theme.source),
        _file_digest(music_for(board, theme)), project_lexicon(project_of(board)).digest,
    ]
    parts += [_file_digest(board.image_path(scene)) for scene in board.scenes]
    for part in parts:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _up_to_date(meta_path: Path, fingerprint: str, files: StoryFiles) -> bool:
    meta = read_json(meta_path)
    if meta is None or meta.get("fingerprint") != fingerprint:
        return False
    names = [meta.get("video"), meta.get("cover"), meta.get("captions"),
             *meta.get("subtitles", {}).values()]
    return all(isinstance(n, str) and (files.folder / n).is_file() for n in names)


def _metadata(
    board: Storyboard, job: Job, timeline: Timeline, loudness: Loudness, fingerprint: str,
    music: Path | None,
) -> dict[str, Any]:
    return {
        "id": board.id,
        "lang": job.lang,
        "preset": job.preset,
        "title": board.title.get(job.lang),
        "description": board.description.get(job.lang) if board.description else "",
        "tags": [tag.get(job.lang) for tag in board.tags],
        "width": timeline.width,
        "height": timeline.height,
        "fps": timeline.fps,
        "duration_ms": timeline.duration_ms,
        "frames": timeline.total_frames,
        "scenes": len(timeline.scenes),
        "cues": len(timeline.cues),
        "music": music.name if music else None,
        "loudness": {
            "integrated_lufs": loudness.integrated_lufs,
            "true_peak_dbtp": loudness.true_peak_db,
        },
        "storyreel": __version__,
        "fingerprint": fingerprint,
    }


def fingerprint_of(job: Job, settings: RenderSettings) -> tuple[str, Path]:
    """The fingerprint a render of ``job`` would record, and its metadata file: what a
    cluster client compares before shipping a job and records when it publishes one."""
    board = load_storyboard(job.storyboard)
    preset = settings.preset(job.preset)
    engine = get_engine(settings.engine)
    fingerprint = _fingerprint(board, job, settings, engine, preset, theme_for(board))
    return fingerprint, StoryFiles(settings.out_root, board.id).metadata(job.lang, job.preset)


def is_up_to_date(job: Job, settings: RenderSettings) -> bool:
    """Whether ``job``'s outputs are there and were made from its inputs as they are."""
    if settings.force:
        return False
    fingerprint, meta_path = fingerprint_of(job, settings)
    return _up_to_date(meta_path, fingerprint, StoryFiles(settings.out_root, job.story_id))
