"""One render job: one story, one language, one preset, from storyboard to finished files.

The job decides what can be skipped because it is already done (its fingerprint) and
hands the rest to the pipeline (:mod:`storyreel.pipeline`), which composes the stages.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

from storyreel.fileio import sha256_file
from storyreel.layout import theme_for
from storyreel.package.outputs import StoryFiles, read_json
from storyreel.package.staging import set_is_complete
from storyreel.pipeline.render import Options, render_story
from storyreel.pipeline.story import effective_mix, music_for, project_of, voice_for
from storyreel.presets import Preset, get_preset
from storyreel.render.audio import Mix
from storyreel.render.graph import Encoding
from storyreel.resources import code_identity
from storyreel.storyboard.load import load_storyboard
from storyreel.storyboard.model import Storyboard
from storyreel.theme import Theme
from storyreel.tts import get_engine
from storyreel.tts.base import Engine
from storyreel.tts.lexicon import project_lexicon


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
    # Scene segments this render encoded, and those it found in the segment cache.
    segments_encoded: tuple[str, ...] = ()
    segments_reused: tuple[str, ...] = ()


Progress = Callable[[str, float], None]  # (stage, fraction of the job done)


def run_job(job: Job, settings: RenderSettings, progress: Progress | None = None,
            executor: Executor | None = None) -> JobResult:
    """Render one job; a skip when its outputs are already up to date. Its scene segments
    run on ``executor`` when given (the batch's), else on local threads."""
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
    options = Options(settings.encoding, settings.mix, settings.bilingual, settings.cache_root)
    done = render_story(board, job.lang, preset, theme, engine, files, options,
                        {"fingerprint": fingerprint}, executor, say)
    return JobResult(job, "rendered", time.monotonic() - started, "", done.warnings,
                     done.files, done.video.encoded, done.video.reused)


def _file_digest(path: Path | None) -> str:
    if path is None or not path.is_file():
        return "-"
    return sha256_file(path)


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
    if not all(isinstance(n, str) and (files.folder / n).is_file() for n in names):
        return False
    published = meta.get("set")
    return isinstance(published, dict) and set_is_complete(files.folder, published)


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
