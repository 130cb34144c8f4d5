"""QR codes for the tracking URL printed on Form 01 (Circular 01/2018 Art. 19(2), R-ID-13)."""

from __future__ import annotations

import io

import segno

#: Error correction M: survives a folded or slightly smudged A5 slip, keeps the symbol small.
ERROR_LEVEL = "m"
#: The quiet zone the QR specification requires around the symbol, in modules.
QUIET_ZONE = 4


def make_qr(url: str) -> segno.QRCode:
    """A full QR code (never a Micro QR, which phone cameras rarely read) for ``url``."""
    return segno.make_qr(url, error=ERROR_LEVEL)


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """``url`` as a PNG image (black on white, with the quiet zone)."""
    buffer = io.BytesIO()
    make_qr(url).save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    return buffer.getvalue()


def qr_svg(url: str, *, scale: int = 4) -> str:
    """``url`` as a standalone SVG document."""
    buffer = io.BytesIO()
    make_qr(url).save(buffer, kind="svg", scale=scale, border=QUIET_ZONE, xmldecl=False)
    return buffer.getvalue().decode("utf-8")


def qr_modules(url: str) -> list[list[bool]]:
    """The symbol's modules without quiet zone, row by row (True = dark), for vector drawing."""
    return [[bool(m) for m in row] for row in make_qr(url).matrix_iter(border=0)]
