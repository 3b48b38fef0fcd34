"""Text rules below every stage: the character model, the 避头尾 table, Chinese phrases
(budoux) and words (jieba), where a line may break, and line breaking for captions
(by character counts) and for slides and covers (by measured widths).

Captions, slides, covers, speech preparation, drafting and post texts all use this
package, so a rule changed here changes everywhere at once. It imports no stage.
"""

from storyreel.text.breaks import ZH_PAUSE, Level, prepare
from storyreel.text.chars import (
    CLOSE_BRACKETS,
    DASHES,
    EN_NO_LINE_END,
    EN_NO_LINE_START,
    MIDDOTS,
    OPEN_BRACKETS,
    TILDES,
    ZH_NO_LINE_END,
    ZH_NO_LINE_START,
    display_width,
    is_chinese_text,
    is_cjk,
    is_content,
    is_han,
    is_narrow_alnum,
    is_wide,
    no_line_end,
    no_line_start,
    zh_char_width,
)
from storyreel.text.chunk import VERY_SHORT, chunk_narration, split_chunk
from storyreel.text.linebreak import (
    LIMITS,
    MAX_LINES,
    Analysis,
    LineBreakError,
    analyse,
    cue_lines,
    subtitle_text,
)
from storyreel.text.segment import (
    add_words,
    inside_names,
    inside_words,
    phrase_bounds,
    word_spans,
)
from storyreel.text.wrap import Piece, fit_lines, pieces

__all__ = [
    "CLOSE_BRACKETS", "DASHES", "EN_NO_LINE_END", "EN_NO_LINE_START", "LIMITS", "MAX_LINES",
    "MIDDOTS", "OPEN_BRACKETS", "TILDES", "VERY_SHORT", "ZH_NO_LINE_END", "ZH_NO_LINE_START",
    "ZH_PAUSE", "Analysis", "Level", "LineBreakError", "Piece", "add_words", "analyse",
    "chunk_narration", "cue_lines", "display_width", "fit_lines", "inside_names", "inside_words",
    "is_chinese_text", "is_cjk", "is_content", "is_han", "is_narrow_alnum", "is_wide",
    "no_line_end", "no_line_start", "phrase_bounds", "pieces", "prepare", "split_chunk",
    "subtitle_text", "word_spans", "zh_char_width",
]
