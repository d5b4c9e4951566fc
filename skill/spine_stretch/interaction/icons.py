"""The store icons: content/icon.svg rendered to the two PNG sizes Alexa asks for.

Rendered with resvg (resvg-py, pinned in pyproject's `store` extra): the same version draws
the same bytes, so a test can render again and compare with the committed files.
"""

from __future__ import annotations

import struct
from importlib import resources
from pathlib import Path

# Alexa's store icon sizes (publishingInformation smallIconUri and largeIconUri).
SIZES = (108, 512)
SOURCE = "icon.svg"


class IconError(RuntimeError):
    """The icons could not be rendered; the message says what to install or fix."""


def icon_path(root: Path, size: int) -> Path:
    return root / "interaction_model" / "assets" / f"icon-{size}.png"


def render_icon(size: int) -> bytes:
    """The mark as a size x size PNG."""
    try:
        import resvg_py
    except ModuleNotFoundError:
        raise IconError("rendering the icons needs resvg-py: pip install "
                        "'spine-stretch-coach[store]'") from None
    svg = resources.files("spine_stretch").joinpath("content", SOURCE).read_text("utf-8")
    try:
        return bytes(resvg_py.svg_to_bytes(svg_string=svg, width=size, height=size,
                                           skip_system_fonts=True))
    except ValueError as exc:
        raise IconError(f"content/{SOURCE} does not render: {exc}") from None


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's header; ValueError if `data` is not a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def write_icons(root: Path) -> list[Path]:
    written = []
    for size in SIZES:
        path = icon_path(root, size)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_icon(size))
        written.append(path)
    return written


def drifted_icons(root: Path) -> list[str]:
    """Icons missing, or differing from what content/icon.svg renders to."""
    problems = []
    for size in SIZES:
        path = icon_path(root, size)
        if not path.exists():
            problems.append(f"{path} is missing")
        elif path.read_bytes() != render_icon(size):
            problems.append(f"{path} differs from content/{SOURCE} rendered at {size} px")
    return problems
