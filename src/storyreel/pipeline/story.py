"""One story in one language and preset, resolved once: what render, check and preview
share before anything is drawn or encoded (theme, voice, lexicon, music, the speech and
the plan), so they fail on the same problems with the same words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from storyreel.errors import AssetError
from storyreel.layout import LayoutProblemError, check_captions
from storyreel.presets import Preset
from storyreel.render.audio import DEFAULT_MIX, Mix
from storyreel.resources import cache_dir, music_dir
from storyreel.storyboard.model import Storyboard
from storyreel.subtitles.bilingual import add_secondary
from storyreel.theme import Theme
from storyreel.timeline.model import Cue, Timeline
from storyreel.timeline.plan import plan
from storyreel.tts.base import Engine, Speech
from storyreel.tts.cache import SpeechCache
from storyreel.tts.lexicon import Lexicon, prepare_for_speech, project_lexicon


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


