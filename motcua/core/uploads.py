"""Uploaded documents: what a file really is (by its bytes, not its name), how many pages it
has, and a precise Vietnamese reason when it cannot be accepted."""

from __future__ import annotations

import io
import shlex
import subprocess
from dataclasses import dataclass

from django.conf import settings

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


#: Exit codes of a scanner command in the ClamAV convention (``clamdscan -``, ``clamscan -``):
#: 0 clean, 1 infected; anything else is a scanner failure.
CLEAN, INFECTED = 0, 1


def scan(data: bytes, *, name: str = "") -> None:
    """Run the configured virus scanner (``MOTCUA_VIRUS_SCAN_COMMAND``, e.g.
    ``clamdscan --no-summary -``) on ``data`` through its standard input, where one is
    configured (issue #18 item 3). A file it finds infected is refused; when the scanner fails or
    times out the file is refused too (fail closed), with a message that says to try again."""
    command = str(settings.MOTCUA_VIRUS_SCAN_COMMAND or "")
    if not command:
        return
    label = name or "tệp"
    try:
        done = subprocess.run(  # noqa: S603 - the operator's configured scanner, no shell
            shlex.split(command),
            input=data,
            capture_output=True,
            timeout=float(settings.MOTCUA_VIRUS_SCAN_TIMEOUT_S),
            check=False,
        )
        code = done.returncode
    except (OSError, subprocess.TimeoutExpired):
        code = -1
    if code == INFECTED:
        raise ValidationFailed(
            f"Tệp “{label}” bị phần mềm diệt virus phát hiện có mã độc nên không được nhận.",
            f"File {label!r} was found infected by the virus scanner and was refused.",
            field="file",
        )
    if code != CLEAN:
        raise ValidationFailed(
            f"Chưa kiểm tra được virus cho tệp “{label}”; tệp chưa được nhận. Hãy thử lại sau ít "
            "phút.",
            f"File {label!r} could not be virus-scanned and was not accepted; try again later.",
            field="file",
        )


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
    scan(data, name=label)
    return Inspected(content_type=kind, pages=pages, size=len(data))
