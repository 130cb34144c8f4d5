"""The GeoReport v2 endpoints (https://wiki.open311.org/GeoReport_v2). Reading is public and
shows no personal data (``public``); filing needs an app's ``api_key`` (``keys``). Every error
is the spec's list of {code, description}, in the format asked for."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core import idempotency
from motcua.core.clock import LOCAL_TZ, now
from motcua.core.errors import MotcuaError
from motcua.core.limits import take
from motcua.petitions.models import OPEN_STATES, Open311Request, Open311Service, PetitionPhoto
from motcua.petitions.open311.filing import do_file_report, report_from_post
from motcua.petitions.open311.keys import client_for
from motcua.petitions.open311.public import as_public, public_reports
from motcua.petitions.open311.render import error, respond

MAX_DAYS = 90  # the spec's largest date range
MAX_RESULTS = 200


def _base(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _service(service: Open311Service) -> dict[str, Any]:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": bool(service.attributes),
        "type": "realtime",
        "keywords": service.keywords,
        "group": service.group,
    }


@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = [_service(s) for s in Open311Service.objects.filter(active=True)]
    return respond(fmt, "services", rows)


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    service = Open311Service.objects.filter(code=code, active=True).first()
    if service is None:
        return error(fmt, 404, "Không có dịch vụ với mã này.", "No service has this code.")
    attributes = [
        {
            "variable": bool(a.get("variable", True)),
            "code": a.get("code", ""),
            "datatype": a.get("datatype", "string"),
            "required": bool(a.get("required", False)),
            "datatype_description": a.get("datatype_description", ""),
            "order": a.get("order", index),
            "description": a.get("description", ""),
            "values": [{"key": v["key"], "name": v["name"]} for v in a.get("values") or []],
        }
        for index, a in enumerate(service.attributes, start=1)
    ]
    return respond(
        fmt, "service_definition", {"service_code": service.code, "attributes": attributes}
    )


def _moment(value: str, *, end: bool) -> datetime | None:
    """A W3C date-time (or a plain date: its start, or its end for ``end_date``)."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        moment = datetime.combine(day, time.max if end else time.min)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = public_reports()
    ids = [i.strip().upper() for i in request.GET.get("service_request_id", "").split(",")]
    ids = [i for i in ids if i]
    if ids:  # the spec: the ids override every other filter
        rows = rows.filter(petition__code__in=ids[:MAX_RESULTS])
    else:
        try:
            start = (
                _moment(request.GET["start_date"], end=False)
                if request.GET.get("start_date")
                else None
            )
            end = (
                _moment(request.GET["end_date"], end=True) if request.GET.get("end_date") else None
            )
        except ValueError:
            return error(
                fmt,
                400,
                "Ngày không hợp lệ; dùng định dạng W3C, ví dụ 2026-03-10T00:00:00+07:00.",
                "Invalid date; use the W3C format, e.g. 2026-03-10T00:00:00+07:00.",
            )
        if end is None:
            end = now() if start is None else start + timedelta(days=MAX_DAYS)
        if start is None:
            start = end - timedelta(days=MAX_DAYS)
        if end < start or end - start > timedelta(days=MAX_DAYS):
            return error(
                fmt,
                400,
                f"Khoảng thời gian phải từ 0 đến {MAX_DAYS} ngày.",
                f"The date range must span 0 to {MAX_DAYS} days.",
            )
        rows = rows.filter(petition__received_at__gte=start, petition__received_at__lte=end)
        codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
        if codes:
            rows = rows.filter(service__code__in=codes)
        statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            return error(
                fmt,
                400,
                "Trạng thái status chỉ nhận open hoặc closed.",
                "status takes open or closed.",
            )
        if statuses == {"open"}:
            rows = rows.filter(petition__state__in=OPEN_STATES)
        elif statuses == {"closed"}:
            rows = rows.exclude(petition__state__in=OPEN_STATES)
    rows = rows.order_by("-petition__received_at", "-id")[:MAX_RESULTS]
    base = _base(request)
    return respond(fmt, "service_requests", [as_public(r, base) for r in rows])


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    client = client_for(str(request.POST.get("api_key", "")))
    if client is None:
        return error(
            fmt,
            403,
            "Khoá api_key không hợp lệ hoặc đã bị thu hồi.",
            "Invalid or revoked api_key.",
        )
    most: int = settings.MOTCUA_OPEN311_POSTS_PER_HOUR
    if not take(f"open311:{client.prefix}", request, limit=most, window_seconds=3600):
        return error(
            fmt,
            429,
            f"Ứng dụng đã gửi quá {most} phản ánh trong một giờ; hãy thử lại sau.",
            f"This app sent more than {most} reports this hour; try again later.",
        )
    # Motcua extension: an ``Idempotency-Key`` header makes a retried POST (a hotline or an app
    # that lost the reply) answer the report filed the first time instead of filing it again.
    request_body: dict[str, object] = {
        "post": {k: request.POST.getlist(k) for k in sorted(request.POST) if k != "api_key"},
        "files": sorted(
            (name, f.size or 0, f.name or "")
            for name in request.FILES
            for f in request.FILES.getlist(name)
        ),
    }
    try:
        record, _replayed = idempotency.once(
            actor=f"open311:{client.prefix}",
            scope="open311.requests",
            key=request.headers.get(idempotency.HEADER),
            body=request_body,
            create=lambda: do_file_report(client, report_from_post(request.POST, request.FILES)),
            object_id=lambda filed: filed.pk,
            replay=lambda pk: Open311Request.objects.select_related("petition__unit").get(pk=pk),
        )
    except MotcuaError as exc:
        status = 400 if exc.http_status == 422 else exc.http_status
        return error(fmt, status, exc.message_vi, exc.message_en)
    body = [
        {
            "service_request_id": record.petition.code,
            "token": record.token,
            "service_notice": (
                f"Đã tiếp nhận, hạn xử lý {record.petition.due_on:%d/%m/%Y}. "
                f"Đơn vị: {record.petition.unit.name}."
            ),
            "account_id": "",
        }
    ]
    return respond(fmt, "service_requests", body, 201)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


@require_GET
def one_request(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    record = public_reports().filter(petition__code=request_id.strip().upper()).first()
    if record is None:
        return error(fmt, 404, "Không tìm thấy phản ánh này.", "No such service request.")
    return respond(fmt, "service_requests", [as_public(record, _base(request))])


@require_GET
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    record = public_reports().filter(token=token).first()
    if record is None:
        return error(fmt, 404, "Không tìm thấy mã token này.", "No such token.")
    body = [{"service_request_id": record.petition.code, "token": record.token}]
    return respond(fmt, "service_requests", body)


@require_GET
def photo(request: HttpRequest, photo_id: int, fmt: str) -> HttpResponseBase:
    """A cleaned photo of a public report (only those; see ``public``)."""
    row = PetitionPhoto.objects.filter(
        Q(pk=photo_id) & Q(petition__open311__isnull=False) & Q(content_type="image/jpeg")
    ).first()
    if row is None:
        return error("json", 404, "Không tìm thấy ảnh.", "No such photo.")
    response = FileResponse(default_storage.open(row.image.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
