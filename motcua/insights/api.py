"""/api/v1/insights: the Decision 766 indicators for the provincial electronic reporting system
(numerator, denominator, ratio, points, band and formula version per unit and period), the
ranking, the formula registry, the dossiers behind a number, and the stored reports.

Two ways in: an officer's session (``insights.view_reports``), or a reporting client's bearer
key (``insights.keys``), which reads only: generating a report needs the session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Header, Router, Schema, Status
from ninja.security import django_auth

from motcua.accounts.models import User
from motcua.core import idempotency
from motcua.core.clock import now, to_local
from motcua.core.errors import NotFound, ValidationFailed
from motcua.insights import selectors
from motcua.insights.formulas import BAND_VI, FORMULA_VERSION, GROUP_VI, INDICATORS, Figure
from motcua.insights.keys import ReportingKey
from motcua.insights.models import Report, ReportingClient
from motcua.insights.periods import Kind, Period, current, parse
from motcua.insights.reports import do_generate_report
from motcua.insights.selectors import Summary

router = Router(tags=["insights"], auth=[django_auth, ReportingKey()])


class FigureOut(Schema):
    code: str
    name: str
    group: str
    numerator: int | None
    denominator: int | None
    ratio: Decimal | None
    percent: Decimal | None
    points: Decimal | None
    max_points: Decimal | None
    pending: str
    formula_version: str
    formula: str  # numerator / denominator in words (issue #14 item 7: every score explains itself)
    points_rule: str  # how the ratio earns points; "" when published, not scored


class ScoreOut(Schema):
    total: Decimal
    possible: Decimal
    by_group: dict[str, Decimal]
    band: str
    band_label: str


class SummaryOut(Schema):
    scope: str
    scope_name: str
    period: str
    period_label: str
    start: date
    end: date
    evaluation_date: date
    formula_version: str
    received: int
    rank: int | None  # R-IDX-07: None when not ranked (no dossiers received in the period)
    resolved_in_time: int  # early + on time + withdrawn/stopped before the due date
    open_in_time: int  # open, not late yet (R-TIME-15): never called on time
    open_overdue: int
    figures: list[FigureOut]
    score: ScoreOut


class FormulaOut(Schema):
    code: str
    name: str
    name_en: str
    group: str
    group_name: str
    numerator: str
    denominator: str
    max_points: Decimal | None
    points_rule: str
    rule: str
    pending: str
    published: bool
    formula_version: str


class DossierRefOut(Schema):
    code: str | None
    received_on: date
    outcome: str
    due_on: date | None


class PetitionRefOut(Schema):
    code: str
    unit: str
    received_on: date
    due_on: date
    state: str
    answered_on: date | None
    response: str
    late_complaint: bool


class VersionRefOut(Schema):
    code: str
    version: int
    name: str
    effective_from: date
    deadline: date
    deadline_overridden: bool
    decision: str
    published_on: date | None
    status: str


class ReportOut(Schema):
    id: int
    scope: str
    scope_name: str
    period_kind: str
    period_start: date
    period_end: date
    fmt: str
    size: int
    formula_version: str
    scheduled: bool
    download: str


class ReportIn(Schema):
    scope: str = "province"
    period: str
    fmt: str = "xlsx"


def _viewer(request: HttpRequest) -> User | ReportingClient:
    """The officer or the reporting client behind the request (its key's province is checked
    when it authenticates)."""
    client = getattr(request, "auth", None)
    if isinstance(client, ReportingClient):
        return client
    user = request.user
    assert isinstance(user, User)
    if not user.has_perm("insights.view_reports"):
        raise NotFound("Không tìm thấy", "Not found")  # missing and forbidden look the same
    return user


def _period(key: str | None) -> Period:
    today = to_local(now()).date()
    if not key:
        return current(Kind.QUARTER, today)
    try:
        return parse(key)
    except ValueError:
        raise ValidationFailed(
            "Kỳ không hợp lệ: dùng 2026-M03, 2026-Q1, 2026-6T, 2026-9T hoặc 2026.",
            "Invalid period: use 2026-M03, 2026-Q1, 2026-6T, 2026-9T or 2026.",
            field="period",
        ) from None


def _figure(fig: Figure) -> FigureOut:
    ind = fig.indicator
    return FigureOut(
        code=fig.code,
        name=ind.name_vi,
        group=ind.group.value,
        numerator=fig.numerator,
        denominator=fig.denominator,
        ratio=fig.ratio,
        percent=fig.percent,
        points=fig.points,
        max_points=fig.max_points,
        pending=fig.pending,
        formula_version=fig.version,
        formula=ind.formula_vi,
        points_rule=ind.scoring.describe_vi() if ind.scoring is not None else "",
    )


def _summary(s: Summary) -> SummaryOut:
    return SummaryOut(
        scope=s.scope.key,
        scope_name=s.scope.name,
        period=s.period.key,
        period_label=s.period.label_vi,
        start=s.period.start,
        end=s.period.end,
        evaluation_date=s.evaluation,
        formula_version=s.version,
        received=s.received,
        rank=s.rank,
        resolved_in_time=s.resolved_in_time,
        open_in_time=s.open_in_time,
        open_overdue=s.open_overdue,
        figures=[_figure(f) for f in s.figures.values()],
        score=ScoreOut(
            total=s.score.total,
            possible=s.score.possible,
            by_group={g.value: v for g, v in s.score.by_group.items()},
            band=s.score.band.value,
            band_label=BAND_VI[s.score.band],
        ),
    )


@router.get(
    "/formulas", response=list[FormulaOut], summary=f"The formula registry ({FORMULA_VERSION})"
)
def formulas(request: HttpRequest) -> list[FormulaOut]:
    _viewer(request)
    return [
        FormulaOut(
            code=i.code,
            name=i.name_vi,
            name_en=i.name_en,
            group=i.group.value,
            group_name=GROUP_VI[i.group],
            numerator=i.numerator,
            denominator=i.denominator,
            max_points=i.max_points,
            points_rule=i.scoring.describe_vi() if i.scoring is not None else "",
            rule=i.rule,
            pending=i.pending,
            published=i.published,
            formula_version=FORMULA_VERSION,
        )
        for i in INDICATORS
    ]


@router.get(
    "/indicators",
    response={200: SummaryOut},
    summary="Indicators of one unit (province, commune:<code>, unit:<id>) over one period",
)
def indicators(request: HttpRequest, scope: str = "province", period: str = "") -> SummaryOut:
    _viewer(request)
    province = settings.MOTCUA_PROVINCE_CODE
    today = to_local(now()).date()
    return _summary(
        selectors.indicators(selectors.scope_of(scope, province), _period(period), today, province)
    )


@router.get(
    "/ranking", response=list[SummaryOut], summary="Every commune or department, ranked (R-IDX-07)"
)
def ranking(request: HttpRequest, level: str = "commune", period: str = "") -> list[SummaryOut]:
    _viewer(request)
    province = settings.MOTCUA_PROVINCE_CODE
    scopes = (
        selectors.department_scopes(province)
        if level == "department"
        else selectors.commune_scopes(province)
    )
    today = to_local(now()).date()
    return [_summary(s) for s in selectors.ranking(scopes, _period(period), today, province)]


@router.get(
    "/indicators/{code}/dossiers",
    response=list[DossierRefOut],
    summary="The dossiers behind a numerator or denominator",
)
def dossiers(  # noqa: PLR0917 - ninja maps query parameters from the signature
    request: HttpRequest,
    code: str,
    scope: str = "province",
    period: str = "",
    part: str = "numerator",
    offset: int = 0,
    limit: int = 100,
) -> list[DossierRefOut]:
    _viewer(request)
    province = settings.MOTCUA_PROVINCE_CODE
    today = to_local(now()).date()
    rows = selectors.drill_down(
        selectors.scope_of(scope, province), _period(period), code, part, today
    ).order_by("received_on", "dossier_id")[max(0, offset) : max(0, offset) + min(limit, 1000)]
    return [
        DossierRefOut(
            code=r.dossier.code, received_on=r.received_on, outcome=r.outcome, due_on=r.due_on
        )
        for r in rows
    ]


@router.get(
    "/indicators/{code}/petitions",
    response=list[PetitionRefOut],
    summary="The petitions behind an R-IDX-02/03 numerator or denominator",
)
def petitions(  # noqa: PLR0917 - ninja maps query parameters from the signature
    request: HttpRequest,
    code: str,
    scope: str = "province",
    period: str = "",
    part: str = "numerator",
    offset: int = 0,
    limit: int = 100,
) -> list[PetitionRefOut]:
    """No petitioner's personal data here: codes, dates and outcomes only."""
    _viewer(request)
    province = settings.MOTCUA_PROVINCE_CODE
    today = to_local(now()).date()
    rows = selectors.petition_drill_down(
        selectors.scope_of(scope, province), _period(period), code, part, today
    ).order_by("received_on", "code")[max(0, offset) : max(0, offset) + min(limit, 1000)]
    return [
        PetitionRefOut(
            code=p.code,
            unit=p.unit.name,
            received_on=p.received_on,
            due_on=p.due_on,
            state=p.state,
            answered_on=p.answered_on,
            response=p.response,
            late_complaint=p.late_complaint,
        )
        for p in rows
    ]


@router.get(
    "/indicators/{code}/versions",
    response=list[VersionRefOut],
    summary="The procedure versions behind the 'published on time' numerator or denominator",
)
def versions(  # noqa: PLR0917 - ninja maps query parameters from the signature
    request: HttpRequest,
    code: str,
    scope: str = "province",
    period: str = "",
    part: str = "numerator",
    offset: int = 0,
    limit: int = 100,
) -> list[VersionRefOut]:
    """§10.4 "TTHC published/updated on time" (catalog/publication.py, docs/decisions/0006)."""
    _viewer(request)
    if code not in selectors.PUBLICATION_CODES:
        raise NotFound(
            "Chỉ số này không có danh sách thủ tục", "No procedure list for this indicator"
        )
    province = settings.MOTCUA_PROVINCE_CODE
    today = to_local(now()).date()
    rows = selectors.publication_drill_down(
        selectors.scope_of(scope, province), _period(period), part, today, province
    )[max(0, offset) : max(0, offset) + min(limit, 1000)]
    return [
        VersionRefOut(
            code=r.code,
            version=r.version,
            name=r.name,
            effective_from=r.effective_from,
            deadline=r.deadline,
            deadline_overridden=r.deadline_overridden,
            decision=r.decision,
            published_on=r.published_on,
            status=r.status.value,
        )
        for r in rows
    ]


def _report_out(r: Report) -> ReportOut:
    return ReportOut(
        id=r.pk,
        scope=r.scope,
        scope_name=r.scope_name,
        period_kind=r.period_kind,
        period_start=r.period_start,
        period_end=r.period_end,
        fmt=r.fmt,
        size=r.size,
        formula_version=r.formula_version,
        scheduled=r.scheduled,
        download=f"/api/v1/insights/reports/{r.pk}/file",
    )


@router.get("/reports", response=list[ReportOut], summary="Stored periodic reports")
def reports(request: HttpRequest, scope: str = "", period: str = "") -> list[ReportOut]:
    _viewer(request)
    rows = Report.objects.defer("content")
    if scope:
        rows = rows.filter(scope=scope)
    if period:
        p = _period(period)
        rows = rows.filter(period_kind=p.kind.value, period_start=p.start)
    return [_report_out(r) for r in rows[:200]]


class ReportPendingOut(Schema):
    """202: the first request with this ``Idempotency-Key`` is still generating the report."""

    code: str
    message: str
    message_en: str
    retry_after: int  # seconds; also the Retry-After header


#: Seconds a client is asked to wait before asking again for a report under way.
RETRY_AFTER = 5
REPORT_SCOPE = "insights.reports.create"


class _Lost(Exception):
    """Another request settled the same key first (it took over a stale claim)."""


@router.post(
    "/reports",
    response={200: ReportOut, 201: ReportOut, 202: ReportPendingOut},
    summary="Generate a report now",
    description=(
        "201: generated now. With an `Idempotency-Key` header (8–100 characters of letters, "
        "digits and `. _ : -`), a retry of the same request (the client lost the reply) "
        "answers 200 with the report generated the first time, or 202 with `Retry-After` "
        "while that first request is still generating it; the same key with a different body "
        "answers 422 (`idempotency_key_reused`)."
    ),
    auth=django_auth,
)
def generate(
    request: HttpRequest,
    response: HttpResponse,
    payload: ReportIn,
    idempotency_key: Annotated[str | None, Header(alias=idempotency.HEADER)] = None,
) -> Status[Any]:
    """The key is claimed in a short transaction of its own before the report is collected and
    rendered (outside any write transaction, issue #12 item 1); the report's INSERT settles the
    claim in its own transaction, so a report and its key commit together."""
    user = _viewer(request)
    assert isinstance(user, User)  # session only: reporting keys read
    period = _period(payload.period)
    if not idempotency_key:
        return Status(201, _report_out(_generate(user, payload, period)))
    claim = idempotency.claim(
        actor=f"user:{user.pk}", scope=REPORT_SCOPE, key=idempotency_key, body=payload.dict()
    )
    if not claim.mine:
        return _earlier(response, claim.object_id)

    def settle(report: Report) -> None:
        if not idempotency.settle(claim, report.pk):
            raise _Lost  # rolls this report back: the other request's one is the answer

    try:
        report = _generate(user, payload, period, stored=settle)
    except _Lost:
        return _earlier(response, idempotency.settled(claim))
    except BaseException:
        idempotency.release(claim)
        raise
    return Status(201, _report_out(report))


def _earlier(response: HttpResponse, report_id: str) -> Status[Any]:
    """The answer of a retry: 200 with the report of the first request with the key, or 202
    while it is still being generated."""
    if report_id:
        return Status(200, _report_out(_stored(report_id)))
    response["Retry-After"] = str(RETRY_AFTER)
    return Status(
        202,
        ReportPendingOut(
            code="report_pending",
            message="Báo cáo đang được lập theo yêu cầu trước với cùng khóa; "
            "vui lòng thử lại sau ít giây.",
            message_en="The report is being generated for the earlier request with this key; "
            "try again in a few seconds.",
            retry_after=RETRY_AFTER,
        ),
    )


def _stored(report_id: str) -> Report:
    report = Report.objects.defer("content").filter(pk=report_id).first()
    if report is None:  # deleted since the first request
        raise NotFound("Không tìm thấy báo cáo", "Report not found")
    return report


def _generate(
    user: User, payload: ReportIn, period: Period, stored: Callable[[Report], None] | None = None
) -> Report:
    return do_generate_report(
        payload.scope,
        period,
        payload.fmt,
        province_id=settings.MOTCUA_PROVINCE_CODE,
        acting_user=user,
        stored=stored,
    )


@router.get("/reports/{report_id}/file", summary="Download a stored report")
def report_file(request: HttpRequest, report_id: int) -> HttpResponse:
    _viewer(request)
    return download(report_id)


def download(report_id: int) -> HttpResponse:
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        raise NotFound("Không tìm thấy báo cáo", "Report not found")
    content_type = (
        "application/pdf"
        if report.fmt == Report.Format.PDF
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(bytes(report.content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response
