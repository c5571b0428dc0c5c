"""Photo-like test images made with Pillow from a fixed seed: coloured shapes over a noisy background, so two
seeds give really different pictures, and the edits a recycler makes (re-saving, resizing, brightening)."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageEnhance


def photo(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    rnd = random.Random(seed)
    image = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x0, y0 = rnd.randrange(size[0]), rnd.randrange(size[1])
        x1, y1 = x0 + rnd.randrange(40, 300), y0 + rnd.randrange(40, 250)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        shape = rnd.choice(["rectangle", "ellipse", "line"])
        if shape == "rectangle":
            draw.rectangle([x0, y0, x1, y1], fill=colour)
        elif shape == "ellipse":
            draw.ellipse([x0, y0, x1, y1], fill=colour)
        else:
            draw.line([x0, y0, x1, y1], fill=colour, width=rnd.randrange(3, 20))
    # A light, deterministic shading over the shapes (a photo is never flat colour).
    shading = Image.linear_gradient("L").resize(size).convert("RGB")
    return Image.blend(image, shading, 0.15)


def encode(image: Image.Image, kind: str = "JPEG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def jpeg(seed: int, quality: int = 85) -> bytes:
    return encode(photo(seed), "JPEG", quality=quality)


def png(seed: int) -> bytes:
    return encode(photo(seed), "PNG")


def variants(seed: int) -> dict[str, bytes]:
    """What a recycler does to last month's photo before filing it again."""
    image = photo(seed)
    return {
        "resaved_q40": encode(image, "JPEG", quality=40),
        "resaved_q95": encode(image, "JPEG", quality=95),
        "resized_half": encode(image.resize((320, 240)), "JPEG", quality=85),
        "resized_up": encode(image.resize((1024, 768)), "JPEG", quality=85),
        "brightened": encode(ImageEnhance.Brightness(image).enhance(1.15), "JPEG", quality=85),
        "more_contrast": encode(ImageEnhance.Contrast(image).enhance(1.1), "JPEG", quality=85),
        "as_png": encode(image, "PNG"),
        "cropped_edges": encode(image.crop((8, 6, 632, 474)), "JPEG", quality=85),
    }
