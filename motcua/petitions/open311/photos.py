"""Photos sent with a report: checked by their content (``core.uploads``, the same check as a
dossier's scans), turned upright, resized to at most MAX_SIDE pixels and re-encoded as a new
JPEG from the pixels alone — EXIF (GPS position, device, time), XMP, ICC and PNG text chunks are
never copied, so the stored file is the only one anyone sees."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile

from motcua.core.clock import now
from motcua.core.errors import ValidationFailed
from motcua.core.uploads import JPEG, PNG, inspect_upload
from motcua.petitions.models import Petition, PetitionPhoto

MAX_SIDE = 1600
QUALITY = 85


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    width: int
    height: int


def clean_photo(data: bytes, *, name: str, max_bytes: int) -> CleanPhoto:
    """The stored form of an uploaded photo; ValidationFailed when it is not a JPEG or PNG."""
    from PIL import Image, ImageOps  # noqa: PLC0415 - Pillow loads when a photo is checked

    label = name or "ảnh"
    inspected = inspect_upload(data, name=label, max_bytes=max_bytes)
    if inspected.content_type not in (JPEG, PNG):
        raise ValidationFailed(
            f"Tệp “{label}” không phải ảnh JPEG hay PNG. Hãy gửi ảnh chụp.",
            f"File {label!r} is not a JPEG or PNG photo.",
            field="media",
        )
    try:
        with Image.open(io.BytesIO(data)) as opened:
            upright = ImageOps.exif_transpose(opened)
            pixels = upright.convert("RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationFailed(
            f"Không mở được ảnh “{label}”: tệp bị hỏng hoặc tải lên chưa hết.",
            f"Photo {label!r} is damaged or incomplete.",
            field="media",
        ) from exc
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image from the pixels: nothing of the original's metadata can come along.
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=QUALITY, optimize=True)
    return CleanPhoto(out.getvalue(), clean.width, clean.height)


def store_photos(petition: Petition, photos: list[CleanPhoto]) -> None:
    """Keep the cleaned photos of ``petition`` (numbered from 1), in the filing's transaction."""
    at = now()
    for index, photo in enumerate(photos, start=1):
        row = PetitionPhoto(
            petition=petition,
            content_type="image/jpeg",
            width=photo.width,
            height=photo.height,
            size=len(photo.data),
            created_at=at,
        )
        row.image.save(f"{index}.jpg", ContentFile(photo.data), save=False)
        row.save()


def store_documents(petition: Petition, documents: list[bytes], *, first: int = 1) -> None:
    """Keep cleaned PDF files of ``petition`` (portal form only: never public), numbered on
    from ``first``, in the filing's transaction."""
    at = now()
    for index, data in enumerate(documents, start=first):
        row = PetitionPhoto(
            petition=petition,
            content_type="application/pdf",
            width=0,
            height=0,
            size=len(data),
            created_at=at,
        )
        row.image.save(f"{index}.pdf", ContentFile(data), save=False)
        row.save()
