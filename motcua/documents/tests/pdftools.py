"""Read back what a renderer produced: text (NFC), page sizes, page images, QR codes."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import zxingcpp
from PIL import Image
from pypdf import PdfReader

MM_PER_PT = 25.4 / 72


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, NFC-normalised, all white space (line wraps too) as one space."""
    return [_clean(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def raw_text(pdf: bytes) -> str:
    """The extracted text exactly as stored (no normalisation)."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def text_of(pdf: bytes) -> str:
    return " ".join(page_texts(pdf))


def page_sizes_mm(pdf: bytes) -> list[tuple[int, int]]:
    """(width, height) of each page in whole millimetres."""
    return [
        (round(float(p.mediabox.width) * MM_PER_PT), round(float(p.mediabox.height) * MM_PER_PT))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def render_png(pdf: bytes, *, page: int = 1, dpi: int = 200) -> Image.Image:
    """Page ``page`` rasterised by poppler's pdftoppm, as a PIL image."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "/usr/bin/pdftoppm",
                "-r",
                str(dpi),
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(source),
                str(Path(tmp) / "out"),
            ],
            check=True,
        )
        image = Image.open(Path(tmp) / "out.png")
        image.load()
        return image


def qr_texts(image: Image.Image) -> list[str]:
    return [
        barcode.text
        for barcode in zxingcpp.read_barcodes(
            image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        )
    ]
