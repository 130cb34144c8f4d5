"""Downloading a file of a petition's answer, or a photo of the petition: the handling unit's
officers, the petitioner's citizen account, or the holder of the petition's signed link
(``?t=<token>``). Anyone else gets the same 404 as for a file that does not exist."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from motcua.petitions.actions import can_handle
from motcua.petitions.models import PetitionAnswerFile, PetitionPhoto
from motcua.petitions.tokens import BadToken, read_token


def may_read(request: HttpRequest, row: PetitionAnswerFile | PetitionPhoto) -> bool:
    petition = row.petition
    user = request.user
    if user.is_authenticated and (
        can_handle(user, petition)
        or (petition.citizen_id is not None and petition.citizen_id == user.pk)
    ):
        return True
    token = request.GET.get("t", "")
    if token:
        try:
            return read_token(token) == petition.pk
        except BadToken:
            return False
    return False


@require_GET
def answer_file(request: HttpRequest, file_id: int) -> FileResponse:
    row = PetitionAnswerFile.objects.select_related("petition").filter(pk=file_id).first()
    if row is None or not may_read(request, row):
        raise Http404
    response = FileResponse(
        default_storage.open(row.file.name, "rb"),
        content_type=row.content_type,
        as_attachment=True,
        filename=row.name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def petition_photo(request: HttpRequest, photo_id: int) -> FileResponse:
    """A petition's (cleaned) photo or PDF file, for the same people as the answer's files."""
    row = PetitionPhoto.objects.select_related("petition").filter(pk=photo_id).first()
    if row is None or not may_read(request, row):
        raise Http404
    if row.content_type == "application/pdf":
        number = row.image.name.rsplit("/", 1)[-1]
        response = FileResponse(
            default_storage.open(row.image.name, "rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{row.petition.code}-{number}",
        )
        response["Cache-Control"] = "private, no-store"
        return response
    response = FileResponse(default_storage.open(row.image.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
