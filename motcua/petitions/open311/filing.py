"""Filing a report through Open311: the app's form fields become one petition, filed by the
petitions action itself (``do_file_petition``, channel ``open311``), with its place, photos and
the app's request record — all in one transaction; bad input changes nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from motcua.core.actions import action
from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc
from motcua.petitions.actions import PetitionContent, write_filed_petition
from motcua.petitions.models import (
    Open311Client,
    Open311Request,
    Open311Service,
    PetitionChannel,
)
from motcua.petitions.open311.photos import clean_photo, store_photos
from motcua.petitions.open311.routing import Route, route, rule_unit


@dataclass
class Upload:
    name: str
    data: bytes


@dataclass
class Report:
    """What an app sent (the spec's POST fields)."""

    service_code: str = ""
    description: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    media_url: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    media: list[Upload] = field(default_factory=list)


def _coordinate(value: str, name: str, limit: int) -> Decimal | None:
    if not value.strip():
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or abs(number) > limit:
        raise ValidationFailed(
            f"Toạ độ “{name}” không hợp lệ (số thập phân từ -{limit} đến {limit}).",
            f"Coordinate {name!r} is not valid (a decimal between -{limit} and {limit}).",
            field=name,
        )
    return number.quantize(Decimal("0.000001"))


def _attributes(service: Open311Service, sent: dict[str, str]) -> dict[str, str]:
    """The values of the service's attributes: required ones present, list values known."""
    out: dict[str, str] = {}
    for attribute in service.attributes:
        code = str(attribute.get("code", ""))
        value = nfc(sent.get(code, ""))[:200]
        if not value:
            if attribute.get("required"):
                raise ValidationFailed(
                    f"Hãy nhập thuộc tính “{attribute.get('description', code)}”.",
                    f"Attribute {code!r} is required.",
                    field=f"attribute[{code}]",
                )
            continue
        keys = [str(v.get("key")) for v in attribute.get("values") or []]
        if keys and value not in keys:
            raise ValidationFailed(
                f"Giá trị của thuộc tính “{code}” không hợp lệ; chọn một trong: {', '.join(keys)}.",
                f"Attribute {code!r} must be one of: {', '.join(keys)}.",
                field=f"attribute[{code}]",
            )
        out[code] = value
    return out


def _check(report: Report) -> tuple[Open311Service, Decimal | None, Decimal | None]:
    service = Open311Service.objects.filter(code=report.service_code.strip(), active=True).first()
    if service is None:
        raise ValidationFailed(
            "Không có dịch vụ với mã service_code này. Xem danh sách tại services.json.",
            "No service has this service_code; see services.json.",
            field="service_code",
        )
    lat = _coordinate(report.lat, "lat", 90)
    lon = _coordinate(report.long, "long", 180)
    if (lat is None) != (lon is None):
        raise ValidationFailed(
            "Hãy gửi cả vĩ độ (lat) và kinh độ (long).",
            "Send both lat and long.",
            field="lat",
        )
    if lat is None and not report.address_string.strip():
        raise ValidationFailed(
            "Hãy gửi vị trí: toạ độ lat/long hoặc địa chỉ address_string.",
            "Send a location: lat/long or address_string.",
            field="address_string",
        )
    if report.email.strip():
        try:
            validate_email(report.email.strip())
        except ValidationError:
            raise ValidationFailed(
                "Địa chỉ thư điện tử chưa đúng.", "The e-mail address is not valid.", field="email"
            ) from None
    if report.media_url.strip():
        try:
            URLValidator(schemes=["http", "https"])(report.media_url.strip())
        except ValidationError:
            raise ValidationFailed(
                "Đường dẫn ảnh media_url chưa đúng (http hoặc https).",
                "media_url is not a valid http(s) URL.",
                field="media_url",
            ) from None
    most: int = settings.MOTCUA_OPEN311_MAX_PHOTOS
    if len(report.media) > most:
        raise ValidationFailed(
            f"Mỗi phản ánh gửi tối đa {most} ảnh.",
            f"At most {most} photos per report.",
            field="media",
        )
    return service, lat, lon


@action
def do_file_report(client: Open311Client, report: Report) -> Open311Request:
    """File ``report`` for the app ``client``: the request record (with its token) of the new
    petition. Photos are cleaned before anything is written."""
    service, lat, lon = _check(report)
    attributes = _attributes(service, report.attributes)
    limit: int = settings.MOTCUA_UPLOAD_MAX_BYTES
    photos = [clean_photo(m.data, name=m.name[:120], max_bytes=limit) for m in report.media]
    address = nfc(report.address_string)[:255]
    where = route(address, settings.MOTCUA_PROVINCE_CODE, lat, lon)
    ruled = rule_unit(service.pk, where.commune)  # the admin's routing rules come first
    if ruled is not None:
        where = Route(ruled, where.commune, "rule")
    dossier_code = attributes.get("dossier_code", "")
    if where.unit is None and not dossier_code:
        raise ValidationFailed(
            "Chưa xác định được cơ quan tiếp nhận cho địa chỉ này.",
            "No unit receives reports for this place.",
            field="address_string",
        )
    name = " ".join(p for p in (nfc(report.first_name), nfc(report.last_name)) if p)
    petition = write_filed_petition(
        PetitionContent(
            unit=None if dossier_code else where.unit,
            kind=service.kind,
            subject=service.name,
            content=report.description,
            name=name,
            phone=report.phone,
            email=report.email,
            channel=client.channel or PetitionChannel.OPEN311,
            dossier_code=dossier_code,
            latitude=lat,
            longitude=lon,
            address=address,
            commune=where.commune,
        ),
        via_api=True,
    )
    record = Open311Request.objects.create(
        petition=petition,
        client=client,
        service=service,
        token=secrets.token_urlsafe(18),
        attributes=attributes,
        media_url=report.media_url.strip()[:500],
        routed_by="dossier" if dossier_code else where.routed_by,
    )
    store_photos(petition, photos)
    return record


def report_from_post(data: Any, files: Any) -> Report:
    """A :class:`Report` from a request's POST and FILES (``attribute[code]`` fields)."""
    attributes = {
        key[len("attribute[") : -1]: str(value)
        for key, value in data.items()
        if key.startswith("attribute[") and key.endswith("]")
    }
    media = [Upload(f.name or "", f.read()) for f in files.getlist("media")]
    return Report(
        service_code=str(data.get("service_code", "")),
        description=str(data.get("description", "")),
        lat=str(data.get("lat", "")),
        long=str(data.get("long", "")),
        address_string=str(data.get("address_string", "")),
        first_name=str(data.get("first_name", "")),
        last_name=str(data.get("last_name", "")),
        email=str(data.get("email", "")),
        phone=str(data.get("phone", "")),
        media_url=str(data.get("media_url", "")),
        attributes=attributes,
        media=media,
    )
