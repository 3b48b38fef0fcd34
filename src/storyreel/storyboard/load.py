"""Read a storyboard YAML file into a validated :class:`Storyboard`.

Every problem becomes ``file:line: field: problem`` with a hint how to fix it. YAML is
read with ruamel.yaml's round-trip loader, which keeps the line of every key and item.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from storyreel.errors import StoryboardError
from storyreel.project import load_project, project_root_of
from storyreel.resources import music_dir
from storyreel.storyboard.bounds import (
    NotRegularFile,
    narration_overruns,
    read_regular,
    yaml_overrun,
)
from storyreel.storyboard.model import LANGS, Storyboard
from storyreel.text import add_words
from storyreel.theme import ThemeError, available_themes, load_theme, resolve_override_paths

MAX_FILE_BYTES = 1_000_000
_MUSIC_SUFFIXES = frozenset({".ogg", ".m4a", ".mp3", ".wav", ".flac", ".opus"})


class StoryboardInvalid(StoryboardError):
    """All the problems found in one storyboard; ``str()`` is the first, with a count."""

    def __init__(self, problems: Sequence[StoryboardError]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        super().__init__(first.path, first.line, first.field, first.problem)

    def format(self) -> str:
        text = super().format()
        more = len(self.problems) - 1
        return f"{text} (and {more} more problem{'s' * (more > 1)})" if more else text


def load_storyboard(path: Path | str, project_root: Path | str | None = None) -> Storyboard:
    """Parse and validate one storyboard; raise :class:`StoryboardInvalid` listing problems.

    Every file it names (pictures, music, the paths in ``theme_overrides``) is resolved
    against the storyboard's folder, symlinks resolved, and must stay inside
    ``project_root`` (default: its project's, see :func:`storyreel.project.project_root_of`).
    """
    path = Path(path)
    data = _read_yaml(path)
    try:
        board = Storyboard.model_validate(data)
    except ValidationError as exc:
        raise StoryboardInvalid(list(_validation_problems(path, data, exc))) from None
    board.with_source(path)
    project = load_project(Path(project_root) if project_root is not None
                           else project_root_of(path))
    board.in_project(project.root, project.config.theme)
    root = project.root
    problems = [*_image_problems(path, board, data, root),
                *_reference_problems(path, board, data, root),
                *_narration_problems(path, board, data)]
    if problems:
        raise StoryboardInvalid(problems)
    add_words(board.names)
    return board


def _narration_problems(path: Path, board: Storyboard, data: Any) -> list[StoryboardError]:
    texts = [{lang: scene.narration.get(lang) for lang in LANGS} for scene in board.scenes]
    return [StoryboardError(path, line_of(data, list(loc)), field_name(loc), problem)
            for loc, problem in narration_overruns(texts, board.target_seconds)]


def _read_yaml(path: Path) -> CommentedMap:
    def fail(line: int | None, problem: str) -> StoryboardInvalid:
        return StoryboardInvalid([StoryboardError(path, line, "", problem)])

    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise fail(None, "file not found; check the name and folder") from None
    except NotRegularFile as exc:
        raise fail(None, f"{exc.kind}, not a storyboard file; name a .yaml file") from None
    except OSError as exc:
        raise fail(None, f"cannot read the file ({exc.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        size = max(len(raw), path.stat().st_size)
        raise fail(None, f"file is {size:,} bytes; a storyboard is at most 1 MB of text")
    if not raw.strip():
        raise fail(None, "file is empty; a storyboard needs id, title and scenes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(
            line, f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8"
        ) from None
    overrun = yaml_overrun(text)
    if overrun is not None:
        raise StoryboardInvalid([StoryboardError(
            path, overrun.line, field_name(overrun.loc), overrun.problem)])
    try:
        data = _parsed(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = int(mark.line) + 1 if mark is not None else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise fail(at, f"YAML syntax error: {problem}; check indentation and quoting") from None
    except YAMLError as exc:
        raise fail(None, f"YAML error: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, CommentedMap):
        raise fail(1, f"expected a mapping with id, title and scenes, found {_kind(data)}")
    return data


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> Any:
    """The YAML document ``text`` (kept: a render reads its storyboard four or five
    times, to select, to fingerprint and render, for the platforms and the catalog, and
    ruamel's pure-Python parser takes about 0.12 s for a sample; the same text is the
    same document, so nothing can be stale). Read only: it is shared."""
    return YAML(typ="rt", pure=True).load(text)


def _kind(value: Any) -> str:
    """What a YAML value is, in an editor's words."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def field_name(loc: Iterable[int | str]) -> str:
    """``('scenes', 3, 'narration', 'en')`` → ``scenes[3].narration.en``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(data: Any, loc: Sequence[int | str]) -> int | None:
    """The 1-based line of the deepest node along ``loc`` that exists in the YAML."""
    node: Any = data
    line: int | None = getattr(getattr(node, "lc", None), "line", None)
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = int(node.lc.key(part)[0])
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = int(node.lc.item(part)[0])
        else:
            break
        node = node[part]
    return None if line is None else line + 1


_HINTS = {
    "missing": "field required; add it",
    "extra_forbidden": "unknown field; check the spelling (see `storyreel schema`)",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
    "enum": "",
    "string_pattern_mismatch": "use lower-case letters, digits and hyphens (e.g. solar-lamps)",
    "string_type": "must be text; put it in quotes",
    "list_type": "must be a list: one '- ' item per line, or [a, b]",
    "tuple_type": "must be a list of two numbers, e.g. [0.5, 0.5]",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
}

# What a mapping the models expect holds, for "must be a mapping" messages.
_MAPPINGS = {
    "Localized": "the text in both languages, e.g. {zh: …, en: …}",
    "Scene": "a scene: a mapping with layout, narration and the layout's fields",
    "Storyboard": "a storyboard: a mapping with id, title and scenes",
}


def _message(err: Mapping[str, Any]) -> str:
    """The problem of one pydantic error, in the storyboard's terms, with how to fix it."""
    kind = str(err["type"])
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    msg = str(err["msg"])
    if kind == "missing" and err["loc"] and isinstance(err["loc"][-1], int):
        return "item missing: the list needs more items"
    if kind in ("model_type", "dict_type"):
        what = _MAPPINGS.get(str(ctx.get("class_name", "")), "a mapping of fields (key: value)")
        return f"must be {what}, not {_kind(err.get('input'))}"
    if kind == "too_long":
        return (f"takes at most {ctx.get('max_length')} items, not "
                f"{ctx.get('actual_length')}; remove the extra ones")
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "enum":
        return msg.replace("Input should be", "must be one of")
    message = _HINTS.get(kind) or msg
    message = message.removeprefix("Value error, ")
    return message.replace("Input should be", "must be")


def _validation_problems(
    path: Path, data: Any, exc: ValidationError
) -> Iterable[StoryboardError]:
    for err in exc.errors(include_url=False):
        # pydantic marks dictionary keys as "[key]": name the mapping the key is in.
        loc = [p for p in err["loc"] if isinstance(p, int | str) and p != "[key]"]
        yield StoryboardError(path, line_of(data, loc), field_name(loc), _message(err))


def _image_problems(
    path: Path, board: Storyboard, data: Any, root: Path
) -> Iterable[StoryboardError]:
    for index, scene in enumerate(board.scenes):
        if scene.image is None:
            continue
        loc: list[int | str] = ["scenes", index, "image"]
        where = (path, line_of(data, loc), field_name(loc))
        image = board.image_path(scene)
        assert image is not None
        if not image.is_relative_to(root):
            yield StoryboardError(
                *where, f"'{scene.image}' points outside the project folder {root}; "
                "keep images inside the project"
            )
        elif not image.is_file():
            yield StoryboardError(
                *where, f"image '{scene.image}' not found (looked for {image}); check the "
                "name and folder (relative to the storyboard)"
            )


def _reference_problems(
    path: Path, board: Storyboard, data: Any, root: Path
) -> Iterable[StoryboardError]:
    """The theme and the music bed the storyboard names must exist."""

    themes = available_themes()
    if board.theme_name not in themes:
        yield StoryboardError(
            path, line_of(data, ["theme"]), "theme",
            f"unknown theme '{board.theme_name}'; choose from {', '.join(themes)}",
        )
    elif board.theme_overrides:
        _, bad = resolve_override_paths(board.theme_overrides,
                                        board.source.resolve().parent, root)
        for loc, problem in bad:
            yield StoryboardError(path, line_of(data, ["theme_overrides", *loc]),
                                  field_name(["theme_overrides", *loc]), problem)
        try:
            if not bad:
                load_theme(board.theme_name, board.theme_overrides)
        except ThemeError as exc:
            problem = f"{exc.field}: {exc.problem}" if exc.field else exc.problem
            yield StoryboardError(
                path, line_of(data, ["theme_overrides"]), "theme_overrides",
                f"{problem}; see the theme files in src/storyreel/theme/themes/",
            )
    music = board.music_path()
    if music is None:
        return
    where = (path, line_of(data, ["music"]), "music")
    shipped = music_dir().resolve()
    if not music.is_file():
        names = sorted(p.name for p in shipped.glob("*") if p.suffix in _MUSIC_SUFFIXES)
        yield StoryboardError(
            *where, f"'{board.music}' not found beside the storyboard nor in {shipped}; "
            f"name a file there ({', '.join(names) or 'none shipped'}) or remove 'music'"
        )
    elif not (music.resolve().is_relative_to(root) or music.resolve().is_relative_to(shipped)):
        yield StoryboardError(
            *where, f"'{board.music}' points outside the project folder {root}; "
            "keep music inside the project"
        )
