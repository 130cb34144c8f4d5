"""Checks on a document a citizen uploads: its type from its content (magic bytes, never the
file name), its size, its page count, and that it opens at all. Officers must be able to read
every accepted file, so a truncated PDF or a broken image is refused with a clear message."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from motcua.core.errors import ValidationFailed
from motcua.core.uploads import JPEG, PDF, PNG, scan, sniff

EXTENSION = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class UploadRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str
    pages: int

    @property
    def extension(self) -> str:
        return EXTENSION[self.content_type]


def _pdf_pages(data: bytes, name: str) -> int:
    from pypdf import PdfReader  # noqa: PLC0415 - loaded when a file is checked
    from pypdf.errors import PyPdfError  # noqa: PLC0415 - loaded when a file is checked

    broken = (
        f"Tệp “{name}” là PDF nhưng bị hỏng hoặc tải lên chưa hết. Hãy mở thử tệp trên máy, "
        "lưu hoặc quét lại rồi tải lên lại."
    )
    # pypdf repairs many damaged files silently; a file that lost its end (%%EOF) was cut off
    # in transfer, and the officer would see missing pages.
    if b"%%EOF" not in data[-2048:]:
        raise UploadRejected(broken)
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            raise UploadRejected(
                f"Tệp “{name}” được đặt mật khẩu nên cán bộ không mở được. Hãy bỏ mật khẩu "
                "rồi tải lên lại."
            )
        pages = len(reader.pages)
        for page in reader.pages:
            page.get_contents()
    except UploadRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise UploadRejected(broken) from exc
    if pages < 1:
        raise UploadRejected(broken)
    return pages


def _check_image(data: bytes, name: str) -> None:
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - loaded when a file is checked

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # verify() misses truncated pixel data; decoding finds it
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise UploadRejected(
            f"Không mở được ảnh “{name}”: tệp bị hỏng hoặc tải lên chưa hết. Hãy chụp hoặc "
            "quét lại rồi tải lên lại."
        ) from exc


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Read and check one uploaded file; :class:`UploadRejected` says what is wrong."""
    name = (upload.name or "tệp")[:120]
    limit: int = settings.MOTCUA_UPLOAD_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise UploadRejected(
            f"Tệp “{name}” có dung lượng {size / 1048576:.1f} MB, vượt mức tối đa "
            f"{limit / 1048576:.0f} MB. Hãy quét với độ phân giải thấp hơn (200 dpi là đủ) hoặc "
            "chia thành nhiều tệp."
        )
    data = upload.read(limit + 1)
    if len(data) > limit:  # the declared size was wrong
        raise UploadRejected(
            f"Tệp “{name}” vượt dung lượng tối đa {limit / 1048576:.0f} MB. Hãy quét với độ "
            "phân giải thấp hơn."
        )
    if not data:
        raise UploadRejected(f"Tệp “{name}” không có nội dung. Hãy chọn lại tệp.")
    kind = sniff(data[:16])
    if kind is None:
        raise UploadRejected(
            f"Tệp “{name}” không phải PDF, JPG hoặc PNG (kiểm tra theo nội dung tệp, không theo "
            "tên). Hãy lưu giấy tờ dưới dạng PDF hoặc chụp ảnh JPG, PNG rồi tải lên lại."
        )
    if kind == PDF:
        pages = _pdf_pages(data, name)
        max_pages: int = settings.MOTCUA_UPLOAD_MAX_PAGES
        if pages > max_pages:
            raise UploadRejected(
                f"Tệp “{name}” có {pages} trang, nhiều hơn mức tối đa {max_pages} trang. Hãy "
                "chỉ tải lên các trang của giấy tờ này."
            )
    else:
        _check_image(data, name)
        pages = 1
    try:
        scan(data, name=name)
    except ValidationFailed as exc:
        raise UploadRejected(exc.message_vi) from exc
    return CheckedFile(data=data, content_type=kind, pages=pages)
