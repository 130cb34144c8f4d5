"""/api/v1/: the assembled API (OpenAPI 3.1 at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Router, Status
from ninja.errors import AuthenticationError
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
from motcua.dossiers.api import router as dossiers_router
from motcua.exchange.api import router as exchange_router
from motcua.feedback.api import router as feedback_router
from motcua.geo.models import Province
from motcua.geo.selectors import search_communes
from motcua.insights.api import router as insights_router
from motcua.payments.api import router as payments_router

api = NinjaAPI(
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
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", []) if p not in {"body", "query", "path"})
    return api.create_response(
        request,
        {
            "code": "invalid",
            "message": f"Dữ liệu không hợp lệ ở trường “{where}”: {first.get('msg', '')}",
            "message_en": f"Invalid input at {where}: {first.get('msg', '')}",
            "details": {"errors": exc.errors},
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
