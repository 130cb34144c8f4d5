"""/api/v1/: the assembled API (OpenAPI 3.1 at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Router, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from motcua.accounts.models import RoleAssignment, User
from motcua.accounts.scope import restrict
from motcua.agencies.models import Unit
from motcua.agencies.selectors import service_centres
from motcua.api.schemas import CommuneOut, ErrorOut, MeOut, ProvinceOut, UnitOut
from motcua.assistant.api import router as assistant_router
from motcua.catalog.api import router as catalog_router
from motcua.core.errors import MotcuaError, NotFound
from motcua.core.health import health_report
from motcua.core.schemas import vietnamese_error
from motcua.correspondence.api import router as documents_router
from motcua.dossiers.api import consultations_router
from motcua.dossiers.api import router as dossiers_router
from motcua.exchange.api import router as exchange_router
from motcua.feedback.api import router as feedback_router
from motcua.geo.models import Province
from motcua.geo.selectors import search_communes
from motcua.insights.api import router as insights_router
from motcua.payments.api import router as payments_router

logger = logging.getLogger(__name__)

#: The error envelope, as every error response of the document refers to it.
ENVELOPE_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["code", "message", "message_en"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string", "description": "Tiếng Việt"},
        "message_en": {"type": "string"},
        "details": {"type": "object"},
    },
}
ERROR_WORDS = {
    "400": "Không đọc được yêu cầu / Malformed request",
    "401": "Cần đăng nhập / Authentication required",
    "403": "Không có quyền hoặc thiếu mã CSRF / Forbidden or CSRF failure",
    "404": "Không tìm thấy (hoặc không có quyền xem) / Not found (or not visible to you)",
    "413": "Nội dung quá lớn / Request body too large",
    "422": "Dữ liệu không hợp lệ / Invalid input",
    "500": "Lỗi hệ thống, không có gì thay đổi / Server error, nothing changed",
}


class MotcuaAPI(NinjaAPI):
    """Every status an operation can answer is documented (issue #12 item 8): the errors that
    come from the framework rather than the operation (validation 422, authentication 401, CSRF
    403, malformed body 400 and 413, not found 404, server error 500) are added to each
    operation's responses, in the one envelope."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(**kwargs)
        for item in document.get("paths", {}).values():
            for method, operation in item.items():
                if method not in {"get", "post", "put", "patch", "delete"}:
                    continue
                wanted = {"400", "422", "500"}  # 400: a malformed request (a NUL byte)
                if operation.get("security"):  # missing and forbidden both answer 404
                    wanted |= {"401", "403", "404"}
                if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                    wanted.add("404")
                if "requestBody" in operation:
                    wanted |= {"400", "403", "413"}
                responses = operation.setdefault("responses", {})
                for status in sorted(wanted - responses.keys()):
                    responses[status] = {
                        "description": ERROR_WORDS[status],
                        "content": {"application/json": {"schema": ENVELOPE_SCHEMA}},
                    }
        return document


api = MotcuaAPI(
    title="Motcua API",
    version="1",
    description=(
        "API của hệ thống giải quyết thủ tục hành chính Motcua. Mọi lỗi trả về cùng một dạng: "
        "`code`, `message` (tiếng Việt), `message_en`, `details`.\n\n"
        "Motcua public API. Every error uses the same envelope."
    ),
    urls_namespace="api",
)


@api.exception_handler(MotcuaError)
def motcua_error(request: HttpRequest, exc: MotcuaError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.http_status)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """422 with the first bad field named and the rule it broke, in Vietnamese first
    (issue #12 item 5); every error is listed in ``details.errors``."""
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", []) if p not in {"body", "query", "path"})
    vi, en = vietnamese_error(first)
    return api.create_response(
        request,
        {
            "code": "invalid",
            "message": f"Dữ liệu không hợp lệ ở trường “{where}”: {vi}.",
            "message_en": f"Invalid input at {where}: {en}.",
            "details": {
                "errors": [
                    {
                        "loc": [str(p) for p in e.get("loc", [])],
                        "type": str(e.get("type", "")),
                        "message": vietnamese_error(e)[0],
                        "message_en": vietnamese_error(e)[1],
                    }
                    for e in exc.errors
                ]
            },
        },
        status=422,
    )


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {
            "code": "unauthenticated",
            "message": "Bạn cần đăng nhập để dùng chức năng này.",
            "message_en": "You need to log in to use this.",
            "details": {},
        },
        status=401,
    )


#: What the API answers for ninja's own HttpErrors (CSRF failure, unparseable bodies, …), in
#: the documented envelope and in Vietnamese first (issue #12 item 3).
HTTP_ERRORS: dict[int, tuple[str, str, str]] = {
    400: (
        "bad_request",
        "Không đọc được nội dung yêu cầu (JSON hoặc biểu mẫu không hợp lệ).",
        "The request body could not be read (invalid JSON or form data).",
    ),
    403: (
        "csrf_failed",
        "Yêu cầu bị từ chối: thiếu hoặc sai mã chống giả mạo (CSRF). Hãy tải lại trang rồi thử "
        "lại, hoặc dùng khóa API.",
        "Request refused: missing or wrong CSRF token. Reload the page and try again, or use an "
        "API key.",
    ),
    404: ("not_found", "Không tìm thấy.", "Not found."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ.", "Method not allowed."),
    413: (
        "too_large",
        "Nội dung yêu cầu vượt quá dung lượng cho phép.",
        "The request body is larger than allowed.",
    ),
    429: (
        "too_many_requests",
        "Quá nhiều yêu cầu trong thời gian ngắn. Hãy đợi ít phút rồi thử lại.",
        "Too many requests in a short time. Wait a few minutes and try again.",
    ),
}


def _envelope(request: HttpRequest, status: int, detail: str = "") -> HttpResponse:
    code, vi, en = HTTP_ERRORS.get(status, ("error", "Yêu cầu không thực hiện được.", "Failed."))
    return api.create_response(
        request,
        {"code": code, "message": vi, "message_en": en, "details": {"reason": detail}},
        status=status,
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _envelope(request, exc.status_code, exc.message)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _envelope(request, 404)


@api.exception_handler(MultiPartParserError)
def bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return _envelope(request, 400, "multipart")


@api.exception_handler(SuspiciousOperation)
def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """Django's refusals of a malformed request (body too large for memory, bad headers)."""
    return _envelope(request, 400, exc.__class__.__name__)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Log it with the request ID; the client gets the envelope, never a traceback."""
    logger.exception("unhandled error in the API")
    return api.create_response(
        request,
        {
            "code": "server_error",
            "message": "Đã có lỗi trong hệ thống; không có dữ liệu nào bị thay đổi. Hãy thử lại.",
            "message_en": "Something went wrong in the system; nothing was changed. Try again.",
            "details": {"request_id": getattr(request, "request_id", "")},
        },
        status=500,
    )


public = Router(tags=["public"])
officer = Router(tags=["officer"], auth=django_auth)


@public.get("/health", response={200: dict, 503: dict}, summary="Database and worker health")
def health(request: HttpRequest) -> Status[dict[str, object]]:
    ok, report = health_report()
    return Status(200 if ok else 503, report)


@public.get("/provinces", response=list[ProvinceOut], summary="The 34 provinces (since 1/7/2025)")
def provinces(request: HttpRequest) -> list[ProvinceOut]:
    return [
        ProvinceOut(code=p.code, name=p.name, kind=p.kind)
        for p in Province.objects.order_by("code")
    ]


@public.get(
    "/communes",
    response=list[CommuneOut],
    summary="Search commune-level units, with or without diacritics",
)
def communes(
    request: HttpRequest, q: str = "", province: int | None = None, limit: int = 50
) -> list[CommuneOut]:
    rows = search_communes(q, province=province)[: max(1, min(limit, 500))]
    return [
        CommuneOut(code=c.code, name=c.name, kind=c.kind, province_code=c.province_id) for c in rows
    ]


def _unit_out(unit: Unit) -> UnitOut:
    return UnitOut(
        id=str(unit.pk),
        eid_code=unit.eid_code,
        eid_format=unit.eid_format,
        name=unit.name,
        kind=unit.kind,
        level=unit.level,
        parent_id=str(unit.parent_id) if unit.parent_id else None,
        commune_code=unit.commune_id,
        address=unit.address,
        phone=unit.phone,
    )


@public.get(
    "/service-centres", response=list[UnitOut], summary="Counters of this province (R-ORG-02)"
)
def centres(request: HttpRequest, q: str = "") -> list[UnitOut]:
    return [_unit_out(u) for u in service_centres(settings.MOTCUA_PROVINCE_CODE, q)]


@officer.get("/me", response=MeOut, summary="The logged-in officer and their roles")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    assert isinstance(user, User)
    return MeOut(
        username=user.username,
        full_name=user.full_name,
        kind=user.kind,
        roles=[
            {"role": a.role, "unit_id": str(a.unit_id), "unit": a.unit.name}
            for a in RoleAssignment.objects.filter(user=user).select_related("unit")
        ],
    )


@officer.get(
    "/units/{unit_id}",
    response={200: UnitOut, 404: ErrorOut},
    summary="One unit, if it is within the officer's scope (else 404, as if it did not exist)",
)
def unit_detail(request: HttpRequest, unit_id: uuid.UUID) -> UnitOut:
    user = request.user
    assert isinstance(user, User)
    unit = restrict(Unit.objects.all(), user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị", "Unit not found")
    return _unit_out(unit)


@officer.get("/units", response=list[UnitOut], summary="Units within the officer's scope")
def units(request: HttpRequest) -> list[UnitOut]:
    user = request.user
    assert isinstance(user, User)
    return [_unit_out(u) for u in restrict(Unit.objects.order_by("kind", "name"), user)]


api.add_router("/", public)
api.add_router("/", officer)
api.add_router("/procedures", catalog_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/consultations", consultations_router)
api.add_router("/documents", documents_router)
api.add_router("/exchange", exchange_router)
api.add_router("/payments", payments_router)
api.add_router("/feedback", feedback_router)
api.add_router("/insights", insights_router)
api.add_router("/assistant", assistant_router)


if settings.MOTCUA_BENCH_ENDPOINTS:
    # Benchmarks only (bench/receipt.py): the trivial one-row write a counter receipt is compared
    # with, behind the same session authentication and CSRF check as the dossier API.
    from motcua.core.models import BenchProbe

    bench = Router(tags=["bench"], auth=django_auth)

    @bench.post("/write", response={201: dict}, include_in_schema=False)
    def bench_write(request: HttpRequest) -> Status[dict[str, int]]:
        probe = BenchProbe.objects.create(note="bench")
        return Status(201, {"id": probe.pk})

    api.add_router("/_bench", bench)
