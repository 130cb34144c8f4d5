"""Uploaded documents: what a file really is (by its bytes, not its name), how many pages it
has, and a precise Vietnamese reason when it cannot be accepted."""

from __future__ import annotations

import io
from dataclasses import dataclass

from motcua.core.errors import ValidationFailed

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ACCEPTED = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Inspected:
    content_type: str
    pages: int
    size: int


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def inspect_upload(data: bytes, *, name: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> Inspected:
    """Accept a PDF, JPEG or PNG that opens; count its pages. Raise ValidationFailed otherwise."""
    label = name or "tệp"
    if not data:
        raise ValidationFailed(f"Tệp “{label}” rỗng.", f"File {label!r} is empty.", field="file")
    if len(data) > max_bytes:
        raise ValidationFailed(
            f"Tệp “{label}” lớn {len(data) / 1_048_576:.1f} MB, vượt giới hạn "
            f"{max_bytes / 1_048_576:.0f} MB.",
            f"File {label!r} is larger than {max_bytes / 1_048_576:.0f} MB.",
            field="file",
        )
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationFailed(
            f"Tệp “{label}” không phải PDF, JPEG hay PNG (đã kiểm tra nội dung tệp, không chỉ "
            "phần đuôi tên). Hãy quét lại thành PDF hoặc ảnh.",
            f"File {label!r} is not a PDF, JPEG or PNG (checked by content).",
            field="file",
        )
    try:
        if kind == PDF:
            from pypdf import PdfReader  # noqa: PLC0415 - loaded when a file is checked

            pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
            if pages < 1:
                raise ValueError("no pages")
        else:
            from PIL import Image  # noqa: PLC0415 - loaded when a file is checked

            with Image.open(io.BytesIO(data)) as image:
                image.verify()
            pages = 1
    except Exception as exc:
        raise ValidationFailed(
            f"Tệp “{label}” bị hỏng hoặc không đọc được ({type(exc).__name__}). Hãy quét hoặc "
            "xuất tệp lại.",
            f"File {label!r} is damaged or unreadable.",
            field="file",
        ) from None
    return Inspected(content_type=kind, pages=pages, size=len(data))
