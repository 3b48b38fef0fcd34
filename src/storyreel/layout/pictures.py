"""Pictures: open safely, then fit a frame box by cropping around the focal point, or,
when a crop would lose too much of the picture, by placing all of it on a blurred,
darkened fill of itself.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from storyreel.errors import AssetError

# Larger pictures are refused before they are decoded (a decompression bomb, or a photo
# far bigger than any frame: downscale it first).
MAX_PIXELS = 60_000_000
# Pictures are reduced on load so their shorter side is at most this (frames are at
# most 1920 long; the camera zooms in 12 %).
WORK_SIDE = 2400
# A cover crop may drop at most this fraction of the picture's width (or height);
# past it the whole picture is shown on a blurred fill of itself.
MAX_CROP_LOSS = 0.45


@dataclass(frozen=True)
class Fitted:
    """A picture fitted to a box: the pixels, the focal point in them, how it was done."""

    image: Image.Image
    focus: tuple[float, float]
    mode: str  # "cover" or "contain"


def _fix_hint(path: Path) -> str:
    return f"re-export {path.name} as a JPEG or PNG (sRGB, under {MAX_PIXELS // 1_000_000} MP)"


def open_image(path: Path) -> Image.Image:
    """The picture at ``path`` as RGB, EXIF-rotated, shorter side at most WORK_SIDE.

    Missing, empty, truncated, corrupt and oversized files raise :class:`AssetError`
    naming the file and how to fix it. Results are cached by path and modification time.
    """
    try:
        stat = path.stat()
    except OSError:
        raise AssetError(
            f"{path}: image not found; check the scene's 'image' (relative to the storyboard)"
        ) from None
    if stat.st_size == 0:
        raise AssetError(f"{path}: image file is empty (0 bytes); {_fix_hint(path)}")
    return _open_cached(path, stat.st_mtime_ns, stat.st_size)


def forget_opened() -> None:
    """Drop the pictures kept decoded (see :func:`storyreel.layout.forget_pictures`)."""
    _open_cached.cache_clear()


@lru_cache(maxsize=6)
def _open_cached(path: Path, mtime_ns: int, size: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise AssetError(
                        f"{path}: image is {w}×{h} ({w * h / 1e6:.0f} MP), more than "
                        f"{MAX_PIXELS // 1_000_000} MP (a decompression bomb?); {_fix_hint(path)}"
                    )
                _reduce(im)
                im.load()
                out = ImageOps.exif_transpose(im)
                out = _to_rgb(out)
    except AssetError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AssetError(f"{path}: {str(exc).rstrip('.')}; {_fix_hint(path)}") from None
    except UnidentifiedImageError:
        raise AssetError(f"{path}: not an image Pillow can read; {_fix_hint(path)}") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise AssetError(f"{path}: image is damaged or truncated ({exc}); {_fix_hint(path)}") \
            from None
    shorter = min(out.size)
    if shorter > WORK_SIDE:
        scale = WORK_SIDE / shorter
        out = out.resize((round(out.width * scale), round(out.height * scale)),
                         Image.Resampling.LANCZOS)
    return out


def _reduce(im: Image.Image) -> None:
    """Have a large JPEG decoded at a fraction of its size (its ``draft`` mode)."""
    w, h = im.size
    shorter = min(w, h)
    if shorter > WORK_SIDE and im.format == "JPEG":
        scale = WORK_SIDE / shorter
        im.draft("RGB", (round(w * scale), round(h * scale)))


def _to_rgb(im: Image.Image) -> Image.Image:
    if im.mode == "RGB":
        return im.copy()
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (0, 0, 0))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return im.convert("RGB")


def crop_loss(src: tuple[int, int], dst: tuple[int, int]) -> float:
    """The fraction of the picture's width or height a cover crop to ``dst`` drops."""
    ra, rs = dst[0] / dst[1], src[0] / src[1]
    return 1 - min(ra / rs, rs / ra)


def cover(im: Image.Image, size: tuple[int, int], focus: tuple[float, float]) -> Fitted:
    """Crop ``im`` to the aspect of ``size`` around ``focus`` and scale it to ``size``.

    The crop window is centred on the focal point and slid back inside the picture at
    the edges, so the focal point is always in it.
    """
    box, fitted = _cover_window(im.size, size, focus)
    out = im.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    return Fitted(out, fitted, "cover")


def _cover_window(
    src: tuple[int, int], size: tuple[int, int], focus: tuple[float, float],
) -> tuple[tuple[float, float, float, float], tuple[float, float]]:
    """The crop window (in source pixels) of :func:`cover`, and the focal point in it."""
    w, h = src
    tw, th = size
    scale = max(tw / w, th / h)
    cw, ch = tw / scale, th / scale  # crop window in source pixels
    fx, fy = focus[0] * w, focus[1] * h
    left = min(max(fx - cw / 2, 0.0), w - cw)
    top = min(max(fy - ch / 2, 0.0), h - ch)
    return (left, top, left + cw, top + ch), ((fx - left) / cw, (fy - top) / ch)


def blurred_fill(im: Image.Image, size: tuple[int, int], darken: float) -> Image.Image:
    """A blurred, darkened cover of ``im`` at ``size``: the backdrop for a whole picture."""
    tw, th = size
    small = cover(im, (max(8, tw // 12), max(8, th // 12)), (0.5, 0.5)).image
    small = small.filter(ImageFilter.GaussianBlur(max(2.0, min(small.size) / 14)))
    fill = small.resize(size, Image.Resampling.BICUBIC)
    if darken > 0:
        fill = Image.blend(fill, Image.new("RGB", size, (0, 0, 0)), darken)
    return fill


def contain(
    im: Image.Image, size: tuple[int, int], focus: tuple[float, float], darken: float,
    margin: float = 0.0, rise: float = 0.5,
) -> Fitted:
    """All of ``im`` inside ``size`` (less ``margin`` of the shorter side) on a blurred
    fill of itself, ``rise`` of the way down the free space (0.5: centred)."""
    tw, th = size
    (x, y, pw, ph), fitted = _contain_place(im.size, size, focus, margin, rise)
    pic = im.resize((pw, ph), Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = blurred_fill(im, size, darken)
    # A soft drop shadow under the picture, blurred at a quarter size (fast).
    q = 4
    small = Image.new("L", (max(1, tw // q), max(1, th // q)), 0)
    drop = max(2, ph // 120)
    small.paste(150, (x // q, (y + drop) // q, (x + pw) // q, (y + ph + drop) // q))
    small = small.filter(ImageFilter.GaussianBlur(max(1.0, min(tw, th) / 60 / q)))
    out.paste((0, 0, 0), mask=small.resize(size, Image.Resampling.BILINEAR))
    out.paste(pic, (x, y))
    return Fitted(out, fitted, "contain")


def _contain_place(
    src: tuple[int, int], size: tuple[int, int], focus: tuple[float, float],
    margin: float, rise: float,
) -> tuple[tuple[int, int, int, int], tuple[float, float]]:
    """Where :func:`contain` puts the whole picture (x, y, width, height), and the focal
    point as a fraction of the frame."""
    tw, th = size
    pad = round(margin * min(tw, th))
    scale = min((tw - 2 * pad) / src[0], (th - 2 * pad) / src[1])
    pw, ph = max(1, round(src[0] * scale)), max(1, round(src[1] * scale))
    x, y = (tw - pw) // 2, round((th - ph) * rise)
    return (x, y, pw, ph), ((x + focus[0] * pw) / tw, (y + focus[1] * ph) / th)


def fit_picture(
    im: Image.Image, size: tuple[int, int], focus: tuple[float, float], darken: float,
    max_loss: float = MAX_CROP_LOSS, rise: float = 0.5,
) -> Fitted:
    """Cover-crop around ``focus``, or contain on a blurred fill past ``max_loss``."""
    if crop_loss(im.size, size) <= max_loss:
        return cover(im, size, focus)
    return contain(im, size, focus, darken, rise=rise)


def fitted_focus(
    src: tuple[int, int], size: tuple[int, int], focus: tuple[float, float],
    max_loss: float = MAX_CROP_LOSS, rise: float = 0.5,
) -> tuple[float, float]:
    """The focal point :func:`fit_picture` gives a ``src``-sized picture in ``size``:
    where text is laid out around the subject, known without the pixels."""
    if crop_loss(src, size) <= max_loss:
        return _cover_window(src, size, focus)[1]
    return _contain_place(src, size, focus, 0.0, rise)[1]


def picture_size(path: Path) -> tuple[int, int]:
    """The size :func:`open_image` gives the picture at ``path``, read from its header
    (nothing is decoded: fast, for laying out text without the picture)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                _reduce(im)
                w, h = im.size
                if im.getexif().get(274, 1) in (5, 6, 7, 8):  # EXIF orientation: turned
                    w, h = h, w
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise AssetError(f"{path}: cannot read the picture's size ({exc})") from None
    shorter = min(w, h)
    if shorter > WORK_SIDE:
        scale = WORK_SIDE / shorter
        return round(w * scale), round(h * scale)
    return w, h
