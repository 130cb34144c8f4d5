"""The operations-centre board (/ioc/): province overview, ranking of all communes and
departments, trends, distributions, overdue and at-risk lists, boundary-free flows. Live parts
refresh by htmx polling; charts are server-side SVG."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from motcua.agencies.models import Unit
from motcua.assistant import selectors as assistant_selectors
from motcua.core.clock import now, to_local
from motcua.core.htmx import wants_fragment
from motcua.core.text import vi_sorted
from motcua.correspondence.selectors import handled_on_time_by_unit
from motcua.exchange.health import sync_health
from motcua.insights import board as insights_board
from motcua.insights import selectors
from motcua.insights.formulas import BY_CODE, INDICATORS, OUTCOME_VI
from motcua.insights.periods import KIND_VI, Period
from motcua.insights.selectors import Summary
from motcua.petitions.models import PetitionResponse, PetitionState

REFRESH_SECONDS = 60


#: The figures whose records can be listed (dossiers, petitions, procedure versions): linked on
#: the board, a commune's page and the table of scored indicators. Derived from the registry.
DRILLABLE = selectors.DRILLABLE


#: Titles of the lists that are parts of a figure rather than indicators (the on-time breakdown).
EXTRA_TITLES = {
    "open_overdue": "Hồ sơ đang giải quyết quá hạn",
    "open_in_time": "Hồ sơ đang giải quyết, chưa quá hạn",
    "resolved_in_time": "Hồ sơ đã giải quyết trong hạn (trước hạn, đúng hạn, rút/dừng trước hạn)",
    "early": "Hồ sơ giải quyết trước hạn",
    "resolved_on_time": "Hồ sơ giải quyết đúng hạn",
    "ended_in_time": "Hồ sơ rút, dừng trước hạn",
    "late": "Hồ sơ giải quyết quá hạn",
}


def require_viewer(request: HttpRequest) -> None:
    """Missing and forbidden look the same (STYLE): a 404 for anyone but the centre's viewers."""
    if not request.user.has_perm("ioc.view_board"):
        raise Http404


def ranking_rows(rows: list[Summary], period: Period) -> list[dict[str, Any]]:
    """The ranking tables' cells, formatted once here: ~130 rows × 8 cells through template
    filters (floatformat, url) cost more than computing the whole ranking."""
    sep = str(get_format("DECIMAL_SEPARATOR"))
    commune_url = reverse("ioc:commune", kwargs={"code": 999_999_999}).replace("999999999", "{}")
    zero = uuid.UUID(int=0)
    unit_url = reverse("ioc:unit", kwargs={"unit_id": zero}).replace(str(zero), "{}")

    def pct(value: Decimal | None) -> str:
        return "—" if value is None else f"{value:.2f}".replace(".", sep) + "\u00a0%"

    out = []
    for row in rows:
        scope, s = row.scope, row.score
        url = (
            commune_url.format(scope.commune_code)
            if scope.commune_code
            else unit_url.format(scope.key.removeprefix("unit:"))
        )
        out.append(
            {
                "rank": row.rank,
                "name": scope.name,
                "url": f"{url}?ky={period.key}",
                "received": row.received,
                "on_time": pct(row.figures["on_time"].percent),
                "resolved_in_time": row.resolved_in_time,
                "open_in_time": row.open_in_time,
                "online": pct(row.figures["online_applied"].percent),
                "digitized": pct(row.figures["digitized"].percent),
                "total": f"{s.total:.2f}".replace(".", sep),
                "possible": f"{s.possible:.0f}",
                "band_vi": s.band_vi,
                "indicative": s.indicative_band_vi
                if s.band == "chua_du_du_lieu" and row.received
                else "",
            }
        )
    return out


@dataclass(frozen=True)
class Kept:
    """The board's figures for a period, day and language, with its two rendered parts."""

    updated_at: datetime
    body: SafeString  # every section but the sync health (ioc/partials/overview_body.html)
    live: SafeString  # the part htmx polls (ioc/partials/live.html)


#: Per worker process (decision 0028): the ``board`` cache alias (config/settings.py, a
#: LocMemCache), bounded in time (``MOTCUA_BOARD_CACHE_SECONDS``) and in size (MAX_ENTRIES).
KEPT_CACHE = "board"


def kept_key(period_key: str, day: date) -> str:
    """The cache key of the board of this period and day in the active language."""
    return f"{settings.MOTCUA_PROVINCE_CODE}:{period_key}:{day.isoformat()}:{get_language() or ''}"


def forget() -> None:
    """Drop this process's kept boards (tests; a data change that must show at once)."""
    caches[KEPT_CACHE].clear()


def assemble(period: Period, day: date, *, live_only: bool = False) -> Kept:
    """Build the board from the rollups and render its sections: ~90 % of the page's CPU.
    ``live_only``: the polled part alone (``body`` stays empty)."""
    data = insights_board.build(period, day, settings.MOTCUA_PROVINCE_CODE, live_only=live_only)
    updated_at = to_local(now())
    context = {
        "board": data,
        "period": period,
        "periods": insights_board.period_choices(day),
        "kind_vi": KIND_VI,
        "refresh_seconds": REFRESH_SECONDS,
        "updated_at": updated_at,
        "indicators": INDICATORS,
        "groups": insights_board.GROUPS,
        "drillable": DRILLABLE,
        "commune_rows": ranking_rows(data.communes, period),
        "department_rows": ranking_rows(data.departments, period),
        "unranked_commune_rows": ranking_rows(data.unranked_communes, period),
        "unranked_department_rows": ranking_rows(data.unranked_departments, period),
    }
    # No part of these templates depends on the request or the user (tested).
    body = "" if live_only else render_to_string("ioc/partials/overview_body.html", context)
    live = render_to_string("ioc/partials/live.html", context)
    return Kept(updated_at, mark_safe(body), mark_safe(live))  # noqa: S308 - rendered (and escaped) by the template engine


def kept_board(period: Period, day: date, *, live_only: bool = False) -> Kept:
    """The board of this period and day, assembled at most ``MOTCUA_BOARD_CACHE_SECONDS`` ago
    in this process (0: assembled for every request, ``live_only`` then the polled part only)."""
    seconds = settings.MOTCUA_BOARD_CACHE_SECONDS
    if seconds <= 0:
        return assemble(period, day, live_only=live_only)
    cache = caches[KEPT_CACHE]
    key = kept_key(period.key, day)
    found: Kept | None = cache.get(key)
    if found is not None:
        return found
    fresh = assemble(period, day)  # two threads may both assemble, once
    cache.set(key, fresh, timeout=seconds)
    return fresh


def overview(request: HttpRequest) -> HttpResponse:
    require_viewer(request)
    day = to_local(now()).date()
    period = insights_board.choose_period(request.GET.get("ky"), day)
    live = wants_fragment(request) and request.GET.get("phan") == "truc-tiep"
    kept = kept_board(period, day, live_only=live)
    if live:
        return HttpResponse(kept.live)
    context = {
        "body": kept.body,
        "sync": sync_health(),  # issue #7 item 5: national portal sync lag and failures
    }
    return render(request, "ioc/overview.html", context)


def assistant_questions(request: HttpRequest) -> HttpResponse:
    """Issue #15: what citizens asked the assistant most, and what it could not answer (30
    days), for the lexicon's maintainers (docs/assistant.md)."""
    require_viewer(request)
    province = settings.MOTCUA_PROVINCE_CODE
    context = {
        "asked": assistant_selectors.most_asked(province, limit=20),
        "unanswered": assistant_selectors.unanswered(province, limit=20),
    }
    return render(request, "ioc/assistant.html", context)


def documents_on_time(request: HttpRequest) -> HttpResponse:
    """Issue #16 item 7: per unit of the province, the incoming official documents completed in
    the period, how many by their handling deadline (R-DOC-16), and how many are still open past
    it today. Counts only: no document's content reaches the centre (R-DOC-19)."""
    require_viewer(request)
    day = to_local(now()).date()
    period = insights_board.choose_period(request.GET.get("ky"), day)
    units = set(
        Unit.objects.filter(province_id=settings.MOTCUA_PROVINCE_CODE).values_list("pk", flat=True)
    )
    rows = vi_sorted(
        handled_on_time_by_unit(units, period.start, period.end), key=lambda r: r.unit_name
    )
    context = {
        "period": period,
        "periods": insights_board.period_choices(day),
        "rows": rows,
        "completed": sum(r.completed for r in rows),
        "on_time": sum(r.on_time for r in rows),
        "open_overdue": sum(r.open_overdue for r in rows),
    }
    return render(request, "ioc/documents.html", context)


def indicator_dossiers(request: HttpRequest, code: str) -> HttpResponse:
    """The dossiers behind a number (R-IDX-05): ?pham-vi=<scope>&ky=<period>&phan=tu-so|mau-so."""
    require_viewer(request)
    day = to_local(now()).date()
    period = insights_board.choose_period(request.GET.get("ky"), day)
    scope = selectors.scope_of(
        request.GET.get("pham-vi", "province"), settings.MOTCUA_PROVINCE_CODE
    )
    part = {"tu-so": "numerator", "mau-so": "denominator"}.get(request.GET.get("phan", "tu-so"))
    if part is None:
        raise Http404
    if code in selectors.PETITION_CODES:  # R-IDX-02/03: petitions, not dossiers
        return _indicator_petitions(request, code, scope, period, part, day)
    if code in selectors.PUBLICATION_CODES:  # §10.4 published on time: procedure versions
        versions = selectors.publication_drill_down(
            scope, period, part, day, settings.MOTCUA_PROVINCE_CODE
        )
        return render(
            request,
            "ioc/versions.html",
            {
                "title": BY_CODE[code].name_vi,
                "indicator": BY_CODE[code],
                "part": part,
                "scope": scope,
                "period": period,
                "page": Paginator(versions, 50).get_page(request.GET.get("trang")),
            },
        )
    rows = selectors.drill_down(scope, period, code, part, day).order_by(
        "received_on", "dossier_id"
    )
    page = Paginator(rows, 50).get_page(request.GET.get("trang"))
    indicator = BY_CODE.get(code)
    title = indicator.name_vi if indicator else OUTCOME_VI.get(code, code)
    title = EXTRA_TITLES.get(code, title)
    return render(
        request,
        "ioc/dossiers.html",
        {
            "title": title,
            "indicator": indicator,
            "part": part,
            "scope": scope,
            "period": period,
            "page": page,
            "outcome_vi": OUTCOME_VI,
        },
    )


def _indicator_petitions(  # noqa: PLR0917
    request: HttpRequest, code: str, scope: selectors.Scope, period: Period, part: str, day: Any
) -> HttpResponse:

    rows = selectors.petition_drill_down(scope, period, code, part, day).order_by(
        "received_on", "code"
    )
    return render(
        request,
        "ioc/petitions.html",
        {
            "title": BY_CODE[code].name_vi,
            "indicator": BY_CODE[code],
            "part": part,
            "scope": scope,
            "period": period,
            "page": Paginator(rows, 50).get_page(request.GET.get("trang")),
            "states": dict(PetitionState.choices),
            "responses": dict(PetitionResponse.choices),
        },
    )
