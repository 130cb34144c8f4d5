"""Reading dossier components out of the published wording (pure, no Django).

The national portal publishes a procedure's documents as running text; the seed joins its items
with `` | ``. Many items are conditions or notes rather than documents. This module classifies
each item by its wording: which requirement (original, copy, present), whether it is
conditional, and which national database can replace it (R-REUSE-03/05). It is a reading aid for
operators, who correct the result in the catalogue; it never removes an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.core.text import fold

SEPARATOR = " | "

# Folded phrases → the national database that holds the same data (R-REUSE-03).
_REPLACEABLE: list[tuple[str, tuple[str, ...]]] = [
    (
        "population",
        (
            "can cuoc",
            "chung minh nhan dan",
            "ho chieu",
            "giay to tuy than",
            "xac nhan thong tin ve cu tru",
            "thong tin ve cu tru",
            "so ho khau",
        ),
    ),
    ("civil_status", ("giay khai sinh", "trich luc", "giay chung nhan ket hon", "giay chung tu")),
    ("land", ("giay chung nhan quyen su dung dat", "so do", "so hong")),
    ("business", ("giay chung nhan dang ky doanh nghiep", "giay chung nhan dang ky ho kinh doanh")),
    ("judicial", ("phieu ly lich tu phap",)),
    ("insurance", ("so bao hiem xa hoi", "the bao hiem y te")),
    ("driving_licence", ("giay phep lai xe",)),
    ("vehicle", ("giay dang ky xe", "chung nhan dang ky xe")),
    ("health", ("giay kham suc khoe",)),
]
_CONDITIONAL_PREFIXES = ("truong hop", "doi voi", "neu ", "khi ", "ngoai ra")
# Items that instruct officers or explain rules rather than name a document to hand in.
_NOTE_PREFIXES = (
    "nguoi tiep nhan",
    "co quan",
    "ca nhan co quyen",
    "viec ",
    "doi voi",
    "nguoi yeu cau dang ky ho tich co the",
    "ban chup cac giay to",
)
_DOCUMENT_WORDS = (
    "to khai",
    "don ",
    "giay",
    "ban chinh",
    "ban sao",
    "van ban",
    "phieu",
    "bien ban",
    "mau ",
    "so ",
    "the ",
    "ho chieu",
    "hop dong",
    "quyet dinh",
    "chung chi",
    "ban ve",
    "du thao",
)
# A form reference ("mẫu số 01/TTDS", "Mẫu TK1-TS") has a digit; "mẫu hộ tịch" is none.
_FORM = re.compile(r"\b(?:mẫu|Mẫu)\s+(?:số\s+)?(?=\S*\d)([0-9A-Za-zĐđ/.\-]+)")


@dataclass(frozen=True)
class ParsedComponent:
    name: str
    requirement: str
    conditional: bool
    replaceable_by: str
    form_template: str
    is_note: bool


def split_items(documents: str) -> list[str]:
    return [item.strip() for item in documents.split(SEPARATOR) if item.strip()]


def classify(item: str) -> ParsedComponent:
    folded = fold(item)
    if folded.startswith(("xuat trinh", "nguoi yeu cau chung thuc phai xuat trinh")):
        requirement = "present"
    elif "ban sao co chung thuc" in folded or "ban sao chung thuc" in folded:
        requirement = "certified_copy"
    elif folded.startswith("ban chinh"):
        requirement = "original"
    elif folded.startswith(("ban sao", "ban chup")):
        requirement = "copy"
    else:
        requirement = "unspecified"
    # A declaration form is filled in, never replaced; only documents a database holds are.
    replaceable = ""
    if not folded.startswith(("to khai", "mau ", "don ")):
        replaceable = next(
            (source for source, phrases in _REPLACEABLE if any(p in folded for p in phrases)), ""
        )
    form = _FORM.search(item)
    is_note = folded.startswith(_NOTE_PREFIXES) or (
        folded.endswith(":") or not any(word in folded[:80] for word in _DOCUMENT_WORDS)
    )
    return ParsedComponent(
        is_note=is_note,
        name=item,
        requirement=requirement,
        conditional=folded.startswith(_CONDITIONAL_PREFIXES),
        replaceable_by=replaceable,
        form_template=form.group(0) if form else "",
    )
