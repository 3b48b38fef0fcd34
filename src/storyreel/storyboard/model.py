"""The storyboard format, v1: pydantic models that validate once, at load.

The models are also the source of the JSON Schema editors get completion from, so every
field carries a description.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    model_validator,
)

from storyreel.resources import music_dir

LANGS: tuple[str, ...] = ("zh", "en")
NO_MUSIC = "none"  # ``music: none``: no bed, not even the theme's
Lang = Literal["zh", "en"]

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
StoryId = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Model):
    """The same text in every language a story is told in."""

    zh: NonEmpty = Field(description="Chinese (Simplified) text.")
    en: NonEmpty = Field(description="English text.")

    def get(self, lang: str) -> str:
        value: str = getattr(self, lang)
        return value


class Layout(StrEnum):
    """How a scene is drawn."""

    TITLE = "title"
    IMAGE = "image"
    SPLIT = "split"
    QUOTE = "quote"
    STAT = "stat"
    BULLETS = "bullets"
    END = "end"


class Motion(StrEnum):
    """The slow camera move over a scene's image (Ken Burns)."""

    NONE = "none"
    ZOOM_IN = "zoom-in"
    ZOOM_OUT = "zoom-out"
    PAN_LEFT = "pan-left"
    PAN_RIGHT = "pan-right"
    PAN_UP = "pan-up"
    PAN_DOWN = "pan-down"


class Transition(StrEnum):
    """How a scene enters: a hard cut, a crossfade, a slide or a wipe from the right."""

    CUT = "cut"
    FADE = "fade"
    SLIDE = "slide"
    WIPE = "wipe"


# The fields each layout cannot do without (the JSON Schema says so too).
LAYOUT_NEEDS: dict[Layout, tuple[str, ...]] = {
    Layout.IMAGE: ("image",),
    Layout.SPLIT: ("image",),
    Layout.QUOTE: ("text",),
    Layout.STAT: ("figure",),
    Layout.BULLETS: ("points",),
    Layout.TITLE: ("heading",),
}


class Scene(_Model):
    """One slide of the video and the narration spoken over it."""

    layout: Layout = Field(description="How the scene is drawn: " + ", ".join(Layout))
    image: str | None = Field(
        default=None,
        description="Image file, relative to the storyboard; must stay inside the project. "
        "Required for the image and split layouts.",
    )
    focus: tuple[float, float] | None = Field(
        default=None,
        description="Focal point of the image as [x, y] fractions (0..1) of its width and "
        "height; crops and camera moves keep it in frame. Default: the centre.",
    )
    motion: Motion | None = Field(
        default=None,
        description="Camera move over the image. Default: zoom-in on image scenes.",
    )
    transition: Transition = Field(
        default=Transition.FADE,
        description="How this scene enters from the previous one (ignored on the first).",
    )
    heading: Localized | None = Field(
        default=None, description="Large text: a card's title or a scene's headline."
    )
    text: Localized | None = Field(
        default=None, description="Body text on the slide (a lower third, a quote, a label)."
    )
    figure: Localized | None = Field(
        default=None, description="The big number of a stat scene, e.g. '100 吨' / '100 tons'."
    )
    points: list[Localized] | None = Field(
        default=None, description="Two to four short points of a bullets scene."
    )
    attribution: Localized | None = Field(
        default=None, description="Who said the quote of a quote scene."
    )
    narration: Localized = Field(description="What the voice says over this scene.")

    @model_validator(mode="after")
    def _layout_fields(self) -> Scene:
        for name in LAYOUT_NEEDS.get(self.layout, ()):
            if getattr(self, name) is None:
                raise ValueError(f"the {self.layout.value} layout needs '{name}'")
        if self.points is not None and not 2 <= len(self.points) <= 4:
            raise ValueError(f"'points' takes 2 to 4 items, not {len(self.points)}")
        if self.focus is not None and not all(0.0 <= v <= 1.0 for v in self.focus):
            raise ValueError("'focus' values are fractions between 0 and 1")
        return self


class PostOverride(_Model):
    """A story's own texts for one platform, used instead of its title, description and
    tags there (still shortened to the platform's limits, with a warning)."""

    title: dict[Lang, NonEmpty] | None = Field(
        default=None, description="Title per language, e.g. {zh: 河水进城}.")
    description: dict[Lang, NonEmpty] | None = Field(
        default=None, description="Description (post text) per language.")
    tags: dict[Lang, list[NonEmpty]] | None = Field(
        default=None, description="Tags per language, without '#'.")


class Storyboard(_Model):
    """One story, told in Chinese and English, as a sequence of scenes."""

    id: StoryId = Field(
        description="Story id: lower-case letters, digits and hyphens; names the output folder."
    )
    title: Localized = Field(description="The story's title.")
    description: Localized | None = Field(
        default=None,
        description="One or two sentences for the platforms' description field.",
    )
    tags: list[Localized] = Field(
        default_factory=list, description="Topic tags for the platforms, in both languages."
    )
    target_seconds: int = Field(
        default=100, ge=5, le=600, description="Exact length of every video, in seconds."
    )
    theme: str = Field(
        default="default",
        description="Name of the theme to draw with. Default: the project's theme "
        "(storyreel.toml), else 'default'.",
    )
    music: str | None = Field(
        default=None,
        description="Music bed: a file beside the storyboard or in music/; 'none' for no "
        "music. Default: the theme's bed.",
    )
    theme_overrides: dict[str, Any] = Field(
        default_factory=dict,
        description="Parts of the theme to change for this story, in the theme file's "
        "shape, e.g. {colors: {accent: '#e4572e'}, captions: {box: true}}.",
    )
    voices: dict[str, dict[Lang, str]] = Field(
        default_factory=dict,
        description="Voices per speech engine and language, overriding the engine's "
        "defaults, e.g. {edge: {zh: zh-CN-YunxiNeural, en: en-US-GuyNeural}}.",
    )
    names: list[str] = Field(
        default_factory=list,
        description="Names and terms no line may break inside (organisations, places, "
        "people), in either language, e.g. [绿色桥梁公益促进会, Kafue River].",
    )
    status: Literal["ready", "draft"] = Field(
        default="ready",
        description="'draft': left out of batches (render and check of a whole folder or "
        "of --select patterns) unless selected by its id.",
    )
    scenes: list[Scene] = Field(min_length=1, description="The scenes, in order.")
    platforms: dict[str, PostOverride] = Field(
        default_factory=dict,
        description="Texts for particular platforms (keys of the platform table, e.g. "
        "douyin, youtube), overriding title, description and tags there.",
    )

    # Where the storyboard was read from and the project it belongs to (its root, and the
    # project's default theme); set by the loader, never read from YAML.
    _source: Path = PrivateAttr(default=Path("storyboard.yaml"))
    _root: Path | None = PrivateAttr(default=None)
    _default_theme: str = PrivateAttr(default="default")

    @property
    def source(self) -> Path:
        return self._source

    def with_source(self, path: Path) -> Storyboard:
        self._source = path
        return self

    def in_project(self, root: Path, default_theme: str = "default") -> Storyboard:
        self._root = root
        self._default_theme = default_theme
        return self

    @property
    def project_root(self) -> Path:
        """The folder every file the storyboard names must stay in (see storyreel.project)."""
        if self._root is not None:
            return self._root
        from storyreel.project import project_root_of

        return project_root_of(self._source)

    @property
    def theme_name(self) -> str:
        """The theme drawn with: the storyboard's, else its project's default."""
        return self.theme if "theme" in self.model_fields_set else self._default_theme

    def music_path(self) -> Path | None:
        """The music bed: ``music`` beside the storyboard if there is such a file, else in
        the shipped ``music/`` folder (checked at load to exist)."""
        if self.music is None or self.music == NO_MUSIC:
            return None
        candidate = self._source.parent / self.music
        return candidate if candidate.is_file() else music_dir() / self.music

    def image_path(self, scene: Scene) -> Path | None:
        """The absolute path of a scene's image (checked at load to lie inside the project)."""
        if scene.image is None:
            return None
        return (self._source.parent / scene.image).resolve()
