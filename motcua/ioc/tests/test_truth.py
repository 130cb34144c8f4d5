"""Issue #14 item 7, "the operations centre tells the truth": each bug seen on the board is
reproduced here first, then the score follows DOMAIN.md §10 and explains itself (formula,
numerator/denominator, points earned of the maximum) on the board, a unit's page, the reports and
the API alike."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.actions import do_approve_dossier, do_forward_dossier, do_submit_for_approval
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TRANSACTION_CERT, received
from motcua.insights import formulas
from motcua.insights.formulas import figure
from motcua.insights.periods import parse
from motcua.insights.reports import build_pdf, build_xlsx, collect
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db
COMMUNE_A = "Phường Ninh Kiều"


def local(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def mostly_open(
    officer_a: User, specialist_a: User, leader_a: User, psc_a: Unit, pc_a: Unit
) -> Iterator[list[Dossier]]:
    """Commune A received three dossiers on 10/3/2026; one was resolved early the same day, two
    are still open and not yet due when the board is read on 11/3."""
    with time_machine.travel(local(3, 10, 9), tick=False) as traveller:
        dossiers = [
            received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT) for _ in range(3)
        ]
        for d in dossiers:
            do_forward_dossier(d, acting_user=officer_a, at_unit=psc_a)
        do_submit_for_approval(
            dossiers[0], acting_user=specialist_a, proposal="approved", opinion="Đủ"
        )
        do_approve_dossier(dossiers[0], acting_user=leader_a)
        traveller.move_to(local(3, 11, 10))
        yield dossiers


@pytest.mark.parametrize("code", ["online_provision", "payment_procedures", "reused"])
def test_an_indicator_at_zero_percent_earns_no_points(code: str) -> None:
    """Bug seen: three indicators at 0% earned 1.60 of 2 points. The partial points of §10.4
    ("2 if ≥80%, else 1.6") reward a rate below the threshold, not the absence of any (R-IDX-05)."""
    fig = figure(code, 0, 12)
    assert fig.percent == Decimal("0.00")
    assert fig.points == Decimal("0.00")
    assert figure(code, 1, 12).points == Decimal("1.60")  # below the threshold, above zero
    assert figure(code, 12, 12).points == Decimal("2.00")


def test_open_dossiers_are_not_late_yet_never_on_time(
    mostly_open: list[Dossier], ioc_viewer: User, pc_a: Unit
) -> None:
    """Bug seen: "on time" showed 100% (33/33) while 20 of them were still open. The figure of
    R-IDX-08 counts open dossiers still within their deadline (R-TIME-15), so the page must say
    how many are resolved in time and how many are open and only "not late yet"."""
    client = logged_in(ioc_viewer)
    response = client.get(f"/ioc/xa/{pc_a.commune_id}/", {"ky": "2026-M03"})
    page = response.content.decode()
    summary = response.context["summary"]
    parts = {p.key: p.count for p in summary.on_time_parts}
    assert parts == {
        "early": 1,
        "on_time": 0,
        "ended_in_time": 0,
        "open_in_time": 2,
        "late": 0,
        "open_overdue": 0,
    }
    assert "Chưa quá hạn" in page
    assert "1 đã giải quyết trong hạn + 2 chưa quá hạn" in page
    # The ranking, the API and the reports say the same.
    body = client.get("/api/v1/insights/indicators", {"period": "2026-M03"}).json()
    assert (body["resolved_in_time"], body["open_in_time"]) == (1, 2)
    content = collect("province", parse("2026-M03"), local(3, 11, 10).date(), 92)
    sheet = load_workbook(io.BytesIO(build_xlsx(content)))["Số liệu"]
    counts = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert counts["Đang giải quyết, chưa quá hạn"] == 2
    assert counts["Đã giải quyết trong hạn (trước hạn, đúng hạn, rút/dừng trước hạn)"] == 1
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=build_pdf(content), capture_output=True, check=True
    ).stdout.decode()
    assert "Đang giải quyết, chưa quá hạn: 2" in " ".join(text.split())


def test_units_without_dossiers_are_listed_apart_not_ranked(
    mostly_open: list[Dossier], ioc_viewer: User
) -> None:
    """Bug seen: units with no dossiers were ranked first. Only units with dossiers received in
    the period are ranked (R-IDX-07); the others are listed apart, without a rank."""
    client = logged_in(ioc_viewer)
    response = client.get("/ioc/", {"ky": "2026-M03"})
    board = response.context["board"]
    assert [r.scope.name for r in board.communes] == [COMMUNE_A]
    assert len(board.unranked_communes) == 102
    assert all(r.received == 0 for r in board.unranked_communes)
    assert all(r.received == 0 for r in board.unranked_departments)
    assert "Chưa có hồ sơ trong kỳ" in response.content.decode()
    ranking = client.get("/api/v1/insights/ranking", {"period": "2026-M03"}).json()
    assert ranking[0]["rank"] == 1
    assert ranking[0]["scope_name"] == COMMUNE_A
    assert all(r["rank"] is None for r in ranking[1:])
    content = collect("province", parse("2026-M03"), local(3, 11, 10).date(), 92)
    assert [r.scope.name for r in content.ranking] == [COMMUNE_A]


def test_every_score_explains_itself(
    mostly_open: list[Dossier], ioc_viewer: User, pc_a: Unit
) -> None:
    """Each scored figure shows its formula, numerator/denominator and points earned of the
    maximum, the same on the page and in the API."""
    client = logged_in(ioc_viewer)
    page = client.get(f"/ioc/xa/{pc_a.commune_id}/", {"ky": "2026-M03"})
    html = page.content.decode()
    for ind in formulas.INDICATORS:
        if ind.scoring is not None:
            assert ind.scoring.describe_vi() in html, ind.code
    assert "Công thức" in html
    body = client.get("/api/v1/insights/indicators", {"period": "2026-M03"}).json()
    reused = next(f for f in body["figures"] if f["code"] == "reused")
    assert reused["points_rule"] == "2 điểm nếu tỷ lệ ≥ 80 %; dưới ngưỡng 1,6 điểm; 0 % được 0 điểm"
    assert reused["formula"].startswith("Hồ sơ có thành phần tái sử dụng")
