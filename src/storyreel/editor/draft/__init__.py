"""Draft a storyboard from a story told in plain text or Markdown.

``read_story`` parses a story file into its title and paragraphs (``story``);
``condense`` keeps the sentences that matter when a story is too long for its target
(``condense``); ``draft`` turns paragraphs into scenes with layouts, slide text and
pictures (``scenes``, with the phrase finding of ``phrases``); ``write_draft`` writes the
YAML and loads it back, so a draft is always a valid storyboard (``output``). Timing the
narration and fitting slide text to the layouts happen a stage up, in
``storyreel.editor.new``, which the ``new`` command calls.
"""

from storyreel.editor.draft.condense import Condensed, condense
from storyreel.editor.draft.output import to_yaml, write_draft
from storyreel.editor.draft.phrases import (
    LIMITS,
    enumeration,
    first_figure,
    key_phrase,
    leading_figure,
    quotation,
    shorten,
)
from storyreel.editor.draft.scenes import Draft, draft, picture
from storyreel.editor.draft.story import (
    Block,
    DraftError,
    Story,
    read_story,
    sentences,
)

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

__all__ = [
    "IMAGE_SUFFIXES",
    "LIMITS",
    "Block",
    "Condensed",
    "Draft",
    "DraftError",
    "Story",
    "condense",
    "draft",
    "enumeration",
    "first_figure",
    "key_phrase",
    "leading_figure",
    "picture",
    "quotation",
    "read_story",
    "sentences",
    "shorten",
    "to_yaml",
    "write_draft",
]
