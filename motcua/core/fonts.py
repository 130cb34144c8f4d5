"""Be Vietnam Pro for fpdf2: every Vietnamese diacritic as real, embedded, subset TrueType text.

One helper for every PDF Motcua makes (catalogue checklists, forms 01-07, receipts, results);
it lives in core so that any app may use it.
"""

from __future__ import annotations

import logging
from pathlib import Path

import fontpkg_be_vietnam_pro
from fpdf import FPDF

FONT = "BeVietnamPro"
FONT_DIR = Path(fontpkg_be_vietnam_pro.ROOT) / "files"
FONT_FILES = {
    "": "BeVietnamPro-Regular.ttf",
    "B": "BeVietnamPro-Bold.ttf",
    "I": "BeVietnamPro-Italic.ttf",
    "BI": "BeVietnamPro-BoldItalic.ttf",
}
# fontTools logs every table it subsets at INFO: noise in the request log, once per PDF.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def add_be_vietnam_pro(pdf: FPDF) -> str:
    """Register the regular, bold, italic and bold-italic faces on ``pdf``; return the family."""
    for style, filename in FONT_FILES.items():
        pdf.add_font(FONT, style, str(FONT_DIR / filename))
    return FONT
