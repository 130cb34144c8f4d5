"""Filing from the portal form with photos and a place (issue #18): the photos are cleaned
exactly as Open311 ones (``open311.photos``: checked by content, upright, resized, re-encoded
without EXIF/GPS/device) before anything is written, the address is routed to its commune
(``open311.routing``) and stored with the petition; the petition, its place and its photos are
one transaction. PDF files (documents, papers) come along too, rewritten without their
metadata (``answers.clean_pdf``, as an answer's). Portal photos and files are never public:
only the handling unit and the petitioner see them (``petitions.files``)."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings

from motcua.accounts.models import User
from motcua.core.actions import action
from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc
from motcua.core.uploads import PDF, inspect_upload
from motcua.petitions.actions import PetitionContent, write_filed_petition
from motcua.petitions.answers import clean_pdf
from motcua.petitions.models import Petition
from motcua.petitions.open311.photos import clean_photo, store_documents, store_photos
from motcua.petitions.open311.routing import route


def _clean_document(data: bytes, name: str, limit: int) -> bytes:
    label = name or "tệp"
    if inspect_upload(data, name=label, max_bytes=limit).content_type != PDF:
        raise ValidationFailed(
            f"Tệp “{label}” không phải PDF. Ảnh chụp hãy gửi ở ô Ảnh chụp.",
            f"File {label!r} is not a PDF; send photos in the photo field.",
            field="documents",
        )
    try:
        return clean_pdf(data)
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise ValidationFailed(
            f"Không đọc được tệp PDF “{label}”. Hãy xuất tệp lại.",
            f"PDF {label!r} cannot be read.",
            field="documents",
        ) from exc


@action
def do_file_petition_with_photos(
    filed: PetitionContent,
    *,
    photos: list[tuple[str, bytes]],
    documents: list[tuple[str, bytes]] | None = None,
    acting_user: User | None = None,
) -> Petition:
    """``do_file_petition(filed)`` with the place typed (``filed.address``), up to
    ``MOTCUA_OPEN311_MAX_PHOTOS`` photos and as many PDF documents (name, bytes)."""
    documents = documents or []
    most: int = settings.MOTCUA_OPEN311_MAX_PHOTOS
    if len(photos) > most:
        raise ValidationFailed(
            f"Mỗi phản ánh gửi tối đa {most} ảnh.", f"At most {most} photos.", field="photos"
        )
    if len(documents) > most:
        raise ValidationFailed(
            f"Mỗi phản ánh gửi tối đa {most} tệp PDF.",
            f"At most {most} PDF files.",
            field="documents",
        )
    limit: int = settings.MOTCUA_UPLOAD_MAX_BYTES
    try:
        cleaned = [clean_photo(data, name=name[:120], max_bytes=limit) for name, data in photos]
    except ValidationFailed as exc:  # named after the form's field
        raise ValidationFailed(exc.message_vi, exc.message_en, field="photos") from None
    try:
        pdfs = [_clean_document(data, name[:120], limit) for name, data in documents]
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message_vi, exc.message_en, field="documents") from None
    address = nfc(filed.address).strip()[:255]
    # The address the citizen typed first, then the point picked on the map (nearest centre).
    where = route(address, settings.MOTCUA_PROVINCE_CODE, filed.latitude, filed.longitude)
    petition = write_filed_petition(
        replace(filed, address=address, commune=where.commune), acting_user=acting_user
    )
    store_photos(petition, cleaned)
    store_documents(petition, pdfs, first=len(cleaned) + 1)
    return petition
