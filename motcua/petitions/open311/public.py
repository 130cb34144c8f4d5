"""What the public API shows of a report, and nothing more (DOMAIN §8): no name, phone or
e-mail, no street address (only the commune), coordinates rounded to about 100 m, phone numbers
and e-mail addresses typed into the description masked. Only reports filed through Open311 are
public; a petition filed on the portal about one's own dossier is never listed."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db.models import Max, QuerySet
from django.urls import reverse

from motcua.core.clock import to_local
from motcua.petitions.models import Open311Request, Petition, PetitionState

PUBLIC_DECIMALS = Decimal("0.001")  # about 110 m of latitude
MASK = "[đã ẩn]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(\+?84|0)([\s.-]?\d){8,10}(?!\d)")

STATUS_NOTES = {
    PetitionState.RECEIVED: "Đã tiếp nhận",
    PetitionState.IN_PROGRESS: "Đang xử lý",
    PetitionState.ANSWERED: "Đã trả lời",
    PetitionState.NOT_COMPETENT: "Không thuộc thẩm quyền, đã chuyển",
}


def mask_contacts(text: str) -> str:
    return _PHONE.sub(MASK, _EMAIL.sub(MASK, text))


def _when(moment: datetime | None) -> str:
    return to_local(moment).isoformat(timespec="seconds") if moment is not None else ""


def _rounded(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(value.quantize(PUBLIC_DECIMALS, rounding=ROUND_HALF_EVEN))


def public_reports() -> QuerySet[Open311Request]:
    """Every public report, with the moment of its last event (state changes are conditional
    UPDATEs that leave ``updated_at`` alone; the trail knows when it last changed)."""
    return (
        Open311Request.objects.select_related(
            "petition__unit", "petition__commune__province", "service"
        )
        .prefetch_related("petition__photos")
        .annotate(last_event_at=Max("petition__events__at"))
    )


def as_public(record: Open311Request, base_url: str) -> dict[str, Any]:
    petition: Petition = record.petition
    commune = petition.commune
    photos = [p for p in petition.photos.all() if p.content_type == "image/jpeg"]
    media = ""
    if photos:
        media = base_url + reverse("open311:photo", kwargs={"photo_id": photos[0].pk, "fmt": "jpg"})
    return {
        "service_request_id": petition.code,
        "status": "open" if petition.is_open else "closed",
        "status_notes": STATUS_NOTES.get(PetitionState(petition.state), ""),
        "service_name": record.service.name,
        "service_code": record.service.code,
        "description": mask_contacts(petition.content),
        "agency_responsible": petition.unit.name,
        "service_notice": "",
        "requested_datetime": _when(petition.received_at),
        "updated_datetime": _when(getattr(record, "last_event_at", None) or petition.updated_at),
        "expected_datetime": _when(petition.due_at),
        "address": f"{commune.name}, {commune.province.name}" if commune is not None else "",
        "address_id": "",
        "zipcode": "",
        "lat": _rounded(petition.latitude),
        "long": _rounded(petition.longitude),
        "media_url": media,
    }
