"""Subset Noto Sans CJK SC (Regular, Bold) into src/storyreel/data/fonts/.

Run once by a maintainer, not at install or render time: the subset files and the
licence are committed. Source: Debian's ``fonts-noto-cjk`` TTCs (the SC face is index 2)::

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb x
    python scripts/subset_fonts.py x/usr/share/fonts/opentype/noto

The subset keeps GB 2312, ASCII, Latin-1, general and CJK punctuation and full-width
forms, which is what stories in Chinese and English need.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SC_INDEX = 2
OUT = Path(__file__).resolve().parent.parent / "src" / "storyreel" / "data" / "fonts"


def codepoints() -> set[int]:
    points: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    points |= set(range(0x2000, 0x2070))  # general punctuation: — ‘ ’ “ ” … ‰
    points |= set(range(0x2100, 0x2200))  # letterlike symbols: ℃ №
    points |= set(range(0x2190, 0x2200))  # arrows
    points |= set(range(0x2460, 0x24FF))  # enclosed numbers ①
    points |= set(range(0x3000, 0x3040))  # CJK symbols and punctuation
    points |= set(range(0xFF00, 0xFFF0))  # full-width forms
    points |= {0x00B7, 0x30FB, 0x2027}  # middle dots
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                ch = bytes([hi, lo]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            points.add(ord(ch))
    return points


def main(src_dir: str) -> None:
    OUT.mkdir(exist_ok=True)
    for weight in ("Regular", "Bold"):
        font = TTFont(Path(src_dir) / f"NotoSansCJK-{weight}.ttc", fontNumber=SC_INDEX)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints())
        subsetter.subset(font)
        target = OUT / f"NotoSansCJKsc-{weight}.otf"
        font.save(target)
        size_mb = target.stat().st_size / 1e6
        print(f"{target}: {size_mb:.1f} MB, {len(font.getBestCmap())} characters")


if __name__ == "__main__":
    main(sys.argv[1])
