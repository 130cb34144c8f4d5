"""Issue #12 item 8: the denial walker. Every URL pattern with an object in its path, generated
from the URL resolver (a new endpoint is walked without writing a test), is requested for an
object of commune A (Phường Ninh Kiều) and for a missing object of the same shape, as each
persona who has no business with it: anonymous, an officer of commune B, another citizen, and
the operations-centre viewer. The two answers must be the same: missing and forbidden look
alike, so nobody learns what exists where. API operations are walked the same way from the
OpenAPI document.

A pattern whose object is public by design is listed in PUBLIC with the reason; a pattern with
a parameter the walker has no object for fails, so it cannot be forgotten.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.models import OutboxMessage
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import received_in_one_step

pytestmark = pytest.mark.django_db

#: Patterns whose object anyone may see, and why.
PUBLIC = {
    "portal:procedure": "the published catalogue",
    "portal:procedure_pdf": "the published catalogue",
    "portal:procedure_form": "the published catalogue",
    "portal:apply": "the published catalogue (the e-form asks for a login)",
    "feedback:rate": "a signed, expiring capability link sent to the applicant",
    "documents:verify": "a signed result's public verification link (QR on the document)",
    "portal:petition_link": "a signed capability link sent to the petitioner",
    "payments:order": "an unguessable order id: the payment link given to the payer",
    "payments:start-online": "an unguessable order id: the payment link given to the payer",
    "payments:return": "the payment platform's return to an unguessable order id",
    "payments:vietqr": "an unguessable order id: the payment link given to the payer",
    "payments:receipt": "an unguessable order id: the payment link given to the payer",
    "ioc:dossiers": "an indicator's definition is public; its records need the board role",
    "ioc:commune": "communes are public geography; their figures need the board role",
    "ioc:criterion_update": "communes are public geography; the update needs the board role",
    "desk:calendar-year": "a year, not an object",
    "opendata:dataset": "open data: published aggregates",
    "opendata:download": "open data: published aggregates",
    "opendata:ical-province": "the province's working calendar, published",
    "opendata-standard:action": "the CKAN Action API over the published open data",
    "opendata-standard:action-3": "the CKAN Action API over the published open data",
    "open311:service": "Open311 service definitions are public",
    "open311:request": "Open311 public reports, without personal data (docs/open311.md)",
    "open311:token": "Open311 tokens resolve to public reports",
    "open311:photo": "photos of public Open311 reports, stripped of metadata",
}


#: What a rule grants a persona beyond its own unit's work, and the rule.
GRANTED = {
    ("board viewer", "desk:unit"): "the province-wide board role sees every unit's page",
    ("board viewer", "ioc:unit"): "the province-wide board role sees every unit's figures",
    ("board viewer", "ioc:report_download"): "the board role downloads the province's reports",
    ("board viewer", "api:/api/v1/units/{unit_id}"): "the province-wide role sees every unit",
    ("board viewer", "api:/api/v1/insights/reports/{report_id}/file"): "the province's reports",
}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    converters: dict[str, str]


def _routes(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _routes(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern) and p.name:
            route = prefix + str(p.pattern)
            kinds = {name: type(conv).__name__ for name, conv in p.pattern.converters.items()}
            # re_path patterns: their named groups are parameters too (text).
            for group in p.pattern.regex.groupindex:
                kinds.setdefault(group, "StrConverter")
            kinds.pop("fmt", None)  # a response format (json, xml), not an object
            if kinds and not route.startswith(("admin/", "api/")):
                yield Route(f"{ns}:{p.name}" if ns else p.name, route, kinds)


ROUTES = sorted(_routes(get_resolver().url_patterns), key=lambda r: r.name)
WALKED = [r for r in ROUTES if r.name not in PUBLIC]


def _missing(kind: str, param: str) -> Any:
    if kind == "UUIDConverter":
        return uuid.UUID("00000000-0000-4000-8000-000000000000")
    if kind == "IntConverter":
        return 987654321
    if param == "key":
        return "H92.00000.01-260310-9999"
    return "KHONGCO9999"


@pytest.fixture
def world(officer_a: User, citizen: User, psc_a: Unit, pc_a: Unit) -> dict[str, Any]:
    """One object of each kind, belonging to commune A and its citizen An."""
    from motcua.petitions.tests.conftest import file
    from motcua.portal.models import Draft

    dossier = received_in_one_step(officer_a, at=psc_a, competent=pc_a)
    Dossier.objects.filter(pk=dossier.pk).update(citizen=citizen)
    component = dossier.components.first()
    assert component is not None
    petition = file(pc_a, citizen=citizen)
    draft = Draft.objects.create(citizen=citizen, procedure_code=dossier.procedure_code)
    message = OutboxMessage.objects.create(
        topic="portal.sync",
        key="k",
        payload={},
        idempotency_key="walker:1",
        status="dead",
        next_attempt_at=timezone.now(),
    )
    from motcua.insights.models import Report

    report = Report.objects.create(
        scope=f"commune:{pc_a.commune_id}",
        scope_name=pc_a.name,
        period_kind="month",
        period_start="2026-02-01",
        period_end="2026-02-28",
        fmt="pdf",
        content=b"%PDF-1.4",
        size=8,
        formula_version="test",
        created_at=timezone.now(),
    )
    from motcua.dossiers.models import Consultation

    consultation = Consultation.objects.create(
        dossier=dossier,
        agency=pc_a,
        question="Ý kiến",
        requested_at=timezone.now(),
        deadline=timezone.now(),
    )
    from django.core.files.base import ContentFile

    from motcua.petitions.models import PetitionAnswerFile

    answer_file = PetitionAnswerFile(
        petition=petition,
        name="tra-loi.pdf",
        content_type="application/pdf",
        size=8,
        created_at=timezone.now(),
        created_by=officer_a,
    )
    answer_file.file.save("1.pdf", ContentFile(b"%PDF-1.4"), save=False)
    answer_file.save()
    from motcua.petitions.models import PetitionPhoto

    photo = PetitionPhoto(
        petition=petition,
        content_type="image/jpeg",
        width=1,
        height=1,
        size=3,
        created_at=timezone.now(),
    )
    photo.image.save("1.jpg", ContentFile(b"\xff\xd8\xff"), save=False)
    photo.save()
    from motcua.correspondence.models import Document as OfficialDocument

    official = OfficialDocument.objects.create(
        direction="in",
        state="registered",
        owner_unit=pc_a,
        type_code="cong_van",
        summary="Công văn",
        issuing_body_code="000.00.12.H13",
        issuing_body_name="Sở Tư pháp",
    )
    from motcua.correspondence.models import CaseFile

    case_file = CaseFile.objects.create(owner_unit=pc_a, year=2026, code="01.HC", title="Hồ sơ")
    return {
        "document_id": official.pk,  # issue #16: an official document of commune A
        "case_file_id": case_file.pk,  # issue #16: a file of commune A's list (R-DOC-20)
        "kind": "outgoing",  # issue #16: a register (R-DOC-08)
        "file_format": "pdf",  # issue #16: the register's print format
        "file_id": answer_file.pk,  # issue #18: a file of a petition's answer
        "photo_id": photo.pk,  # issue #18: a portal petition's photo (never public)
        "key": dossier.code,
        "page": 1,
        "consultation_id": consultation.pk,
        "dossier_id": dossier.pk,
        "component_id": component.pk,
        "number": "01",
        "action": "forward",
        "unit_id": pc_a.pk,
        "draft_id": draft.pk,
        "message_id": message.pk,
        "report_id": report.pk,
        "api:code": "on_time",
        "desk:petition:code": petition.code,
        "desk:petition-act:code": petition.code,
        "portal:petition_done:code": petition.code,
        "portal:petition_mine:code": petition.code,
        "portal:store_download:key": f"c{component.pk}",
    }


def _existing(route: Route, world: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    for param in route.converters:
        value = world.get(f"{route.name}:{param}", world.get(param))
        if value is None:
            pytest.fail(
                f"the denial walker has no object for <{param}> of {route.name} ({route.route}):"
                " add one to the world fixture, or list the pattern in PUBLIC with the reason"
            )
        kwargs[param] = value
    return kwargs


def _personas(officer_b: User, ioc_viewer: User) -> dict[str, Client]:
    other = User.objects.create_user(
        username="congdan.khac", password="x-khong-dung-9", kind=User.Kind.CITIZEN
    )
    other.citizen_id = "092190009999"
    other.save()
    return {
        "anonymous": Client(),
        "officer of commune B": logged_in(officer_b),
        "another citizen": logged_in(other),
        "board viewer": logged_in(ioc_viewer),
    }


def _answer(client: Client, method: str, url: str) -> tuple[int, str]:
    response = client.post(url) if method == "POST" else client.get(url)
    where = str(response.get("Location", "")).split("?")[0]
    return response.status_code, where


def test_every_route_is_walked_or_public() -> None:
    assert WALKED, "the walker found no route"
    assert set(PUBLIC) <= {r.name for r in ROUTES}, "PUBLIC names a route that is gone"


@pytest.mark.parametrize("route", WALKED, ids=lambda r: r.name)
def test_missing_and_forbidden_look_the_same(
    route: Route, world: dict[str, Any], officer_b: User, ioc_viewer: User
) -> None:
    existing = reverse(route.name, kwargs=_existing(route, world))
    missing = reverse(route.name, kwargs={p: _missing(k, p) for p, k in route.converters.items()})
    for persona, client in _personas(officer_b, ioc_viewer).items():
        if (persona, route.name) in GRANTED:
            assert _answer(client, "GET", missing)[0] == 404, (persona, missing)
            continue
        for method in ("GET", "POST"):
            seen = _answer(client, method, existing)
            unseen = _answer(client, method, missing)
            assert seen[0] < 500, (persona, method, existing, seen)
            assert seen == unseen, (
                f"{persona} tells an existing {route.name} from a missing one with {method}: "
                f"{seen} vs {unseen}"
            )
            assert seen[0] not in {200, 201, 204}, (persona, method, existing, seen)


#: API operations whose object anyone may see, and why.
PUBLIC_API = {
    "/api/v1/procedures/{code}": "the published catalogue",
    "/api/v1/payments/orders/{order_id}": "an unguessable order id: the payer's link",
    "/api/v1/insights/indicators/{code}/dossiers": "indicator definitions are public",
    "/api/v1/insights/indicators/{code}/petitions": "indicator definitions are public",
    "/api/v1/insights/indicators/{code}/versions": "indicator definitions are public",
}


def _operations() -> list[tuple[str, str, list[str]]]:
    from motcua.api.api import api

    document = api.get_openapi_schema()
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            if params and path not in PUBLIC_API:
                found.append((method.upper(), path, params))
    return sorted(found)


@pytest.mark.parametrize(("method", "path", "params"), _operations(), ids=str)
def test_every_api_operation_hides_what_it_forbids(
    method: str,
    path: str,
    params: list[str],
    world: dict[str, Any],
    officer_b: User,
    ioc_viewer: User,
) -> None:
    uuid_params = {"unit_id", "order_id", "dossier_id", "draft_id", "case_file_id"}
    existing, missing = path, path
    for param in params:
        value = world.get(f"api:{param}", world.get(param))
        if value is None:
            pytest.fail(f"the denial walker has no object for {{{param}}} of {method} {path}")
        existing = existing.replace(f"{{{param}}}", str(value))
        kind = "UUIDConverter" if param in uuid_params else "IntConverter"
        if param not in uuid_params and not isinstance(value, int):
            kind = "StrConverter"
        missing = missing.replace(f"{{{param}}}", str(_missing(kind, param)))
    for persona, client in _personas(officer_b, ioc_viewer).items():
        if (persona, f"api:{path}") in GRANTED:
            continue
        seen, unseen = (
            (
                client.post(url, "{}", content_type="application/json")
                if method == "POST"
                else client.get(url)
            )
            for url in (existing, missing)
        )
        assert seen.status_code < 500, (persona, existing, seen.status_code)
        assert seen.status_code not in {200, 201, 204}, (persona, existing)
        assert seen.status_code == unseen.status_code, (
            f"{persona} tells an existing object of {method} {path} from a missing one: "
            f"{seen.status_code} vs {unseen.status_code}"
        )
