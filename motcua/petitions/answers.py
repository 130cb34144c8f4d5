"""Files on the unit's answer (issue #18): up to ``MOTCUA_PETITION_ANSWER_MAX_FILES`` (3) images
or PDFs, checked by content (``core.uploads``), and cleaned before anyone else sees them —
images exactly as report photos (upright, resized, re-encoded from the pixels:
``open311.photos``), PDFs rewritten page by page without the document information dictionary
and the XMP metadata (author, software, dates). The answer and its files are one transaction:
a refused file refuses the answer, and nothing changes."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile

from motcua.accounts.models import User
from motcua.core.actions import action
from motcua.core.clock import now
from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc
from motcua.core.uploads import PDF, inspect_upload
from motcua.petitions.actions import write_answer
from motcua.petitions.models import Petition, PetitionAnswerFile
from motcua.petitions.open311.photos import clean_photo

DEFAULT_MAX_FILES = 3


@dataclass(frozen=True)
class CleanFile:
    name: str
    data: bytes
    content_type: str
    pages: int


def clean_pdf(data: bytes) -> bytes:
    """The PDF's pages in a new document: no /Info, no XMP /Metadata, no JavaScript or
    attachments of the original catalogue."""
    from pypdf import PdfReader, PdfWriter  # noqa: PLC0415 - loads when a PDF is attached

    reader = PdfReader(io.BytesIO(data), strict=False)
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer._info = None  # pypdf adds /Producer otherwise
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def clean_file(data: bytes, name: str) -> CleanFile:
    limit: int = settings.MOTCUA_UPLOAD_MAX_BYTES
    stem = PurePath(nfc(name) or "tep").stem[:100] or "tep"
    inspected = inspect_upload(data, name=name, max_bytes=limit)
    if inspected.content_type == PDF:
        try:
            cleaned = clean_pdf(data)
        except Exception as exc:  # pypdf raises many kinds on broken files
            raise ValidationFailed(
                f"Không đọc được tệp PDF “{name}”. Hãy xuất tệp lại.",
                f"PDF {name!r} cannot be read.",
                field="files",
            ) from exc
        return CleanFile(f"{stem}.pdf", cleaned, PDF, inspected.pages)
    photo = clean_photo(data, name=name, max_bytes=limit)
    return CleanFile(f"{stem}.jpg", photo.data, "image/jpeg", 1)


@action
def do_answer_petition_with_files(
    petition: Petition, *, answer: str, files: list[tuple[str, bytes]], acting_user: User
) -> Petition:
    """Answer ``petition`` with attached files (name, bytes)."""
    most = getattr(settings, "MOTCUA_PETITION_ANSWER_MAX_FILES", DEFAULT_MAX_FILES)
    if len(files) > most:
        raise ValidationFailed(
            f"Mỗi câu trả lời đính kèm tối đa {most} tệp.",
            f"At most {most} files per answer.",
            field="files",
        )
    cleaned = [clean_file(data, name) for name, data in files]  # before anything is written
    petition = write_answer(petition, answer=answer, acting_user=acting_user)
    at = now()
    for index, item in enumerate(cleaned, start=1):
        row = PetitionAnswerFile(
            petition=petition,
            name=item.name,
            content_type=item.content_type,
            size=len(item.data),
            pages=item.pages,
            created_at=at,
            created_by=acting_user,
        )
        suffix = ".pdf" if item.content_type == PDF else ".jpg"
        row.file.save(f"{index}{suffix}", ContentFile(item.data), save=False)
        row.save()
    return petition
