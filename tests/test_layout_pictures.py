"""Opening pictures safely, cover crops around the focal point, blurred fills."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from storyreel.errors import AssetError
from storyreel.layout import pictures as images
from storyreel.layout.pictures import contain, cover, crop_loss, fit_picture, open_image

DATA = Path(__file__).parent / "data" / "layout" / "images"
FOCUS = {"wide.jpg": (0.72, 0.42), "classic.jpg": (0.28, 0.55), "tall.jpg": (0.5, 0.32)}
SIZES = [(1920, 1080), (1080, 1920), (1080, 1080), (960, 1080), (1080, 883)]


def red_at(im: Image.Image, focus: tuple[float, float]) -> bool:
    px = im.getpixel((round(focus[0] * (im.width - 1)), round(focus[1] * (im.height - 1))))
    assert isinstance(px, tuple)
    return px[0] > 200 and px[2] < 140


@pytest.mark.parametrize("name", list(FOCUS))
@pytest.mark.parametrize("size", SIZES)
def test_cover_crop_keeps_the_focal_point_in_frame(name: str, size: tuple[int, int]) -> None:
    im = open_image(DATA / name)
    fitted = cover(im, size, FOCUS[name])
    assert fitted.image.size == size and fitted.mode == "cover"
    assert 0 <= fitted.focus[0] <= 1 and 0 <= fitted.focus[1] <= 1
    assert red_at(fitted.image, fitted.focus)  # the subject is where the focus says


@pytest.mark.parametrize("focus", [(0.0, 0.0), (1.0, 1.0), (0.02, 0.97)])
def test_cover_crop_at_the_edges_stays_inside_the_picture(focus: tuple[float, float]) -> None:
    im = Image.new("RGB", (800, 600), (10, 20, 30))
    fitted = cover(im, (1080, 1920), focus)
    assert fitted.image.size == (1080, 1920)
    assert fitted.image.getpixel((0, 0)) == fitted.image.getpixel((1079, 1919))


def test_a_crop_that_loses_too_much_goes_on_a_blurred_fill() -> None:
    assert crop_loss((1920, 1080), (1080, 1920)) > images.MAX_CROP_LOSS
    assert crop_loss((1200, 800), (1080, 1080)) < images.MAX_CROP_LOSS
    im = open_image(DATA / "wide.jpg")
    fitted = fit_picture(im, (1080, 1920), FOCUS["wide.jpg"], darken=0.5)
    assert fitted.mode == "contain" and fitted.image.size == (1080, 1920)
    assert red_at(fitted.image, fitted.focus)
    # The whole picture is there: its left and right edges reach the frame's.
    top = contain(im, (1080, 1920), (0.5, 0.5), 0.5)
    assert top.image.size == (1080, 1920)
    assert fit_picture(im, (1080, 1080), (0.5, 0.5), 0.5).mode == "cover"


def test_open_image_transposes_exif_and_converts_to_rgb(tmp_path: Path) -> None:
    src = Image.new("RGBA", (40, 20), (255, 0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise
    path = tmp_path / "rotated.png"
    src.save(path, exif=exif)
    im = open_image(path)
    assert im.mode == "RGB" and im.size == (20, 40)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AssetError, match=r"nope\.jpg: image not found"):
        open_image(tmp_path / "nope.jpg")


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(AssetError, match=r"empty\.jpg: image file is empty.*re-export"):
        open_image(path)


def test_truncated_jpeg(tmp_path: Path) -> None:
    data = (DATA / "wide.jpg").read_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(AssetError, match=r"cut\.jpg: image is damaged or truncated"):
        open_image(path)


def test_not_an_image(tmp_path: Path) -> None:
    path = tmp_path / "notes.png"
    path.write_text("this is not a picture")
    with pytest.raises(AssetError, match=r"notes\.png: not an image"):
        open_image(path)


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels: a header and no image data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [9000, 40000])  # 81 MP (over ours), 1600 MP (over Pillow's)
def test_decompression_bomb(tmp_path: Path, side: int) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header(side, side))
    with pytest.raises(AssetError, match=r"bomb\.png: .*(decompression bomb|exceeds limit)"):
        open_image(path)


def test_large_pictures_are_reduced_on_load(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    Image.new("RGB", (5000, 3000), (50, 90, 120)).save(path, quality=60)
    im = open_image(path)
    assert min(im.size) <= images.WORK_SIDE and abs(im.width / im.height - 5 / 3) < 0.01
