"""The operations-centre board, a commune's page, the drill-down and the reports, as the
centre's viewer (ioc.tinh) sees them; a commune officer gets the same 404 as for a page that
does not exist."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.actions import do_approve_dossier, do_forward_dossier, do_submit_for_approval
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TRANSACTION_CERT, received
from motcua.insights.jobs import schedule_periodic_reports
from motcua.insights.models import CriterionStatus, Report
from motcua.insights.tasks import generate_all, scheduled_scopes
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db
COMMUNE_A = "Phường Ninh Kiều"


def local(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def history(
    officer_a: User,
    officer_b: User,
    specialist_a: User,
    leader_a: User,
    psc_a: Unit,
    psc_b: Unit,
    pc_a: Unit,
) -> Iterator[list[Dossier]]:
    """Three dossiers of commune A in March 2026: one filed at commune B and resolved on its due
    date, one resolved early, one still open past its deadline; the board is read on 31/3."""
    with time_machine.travel(local(3, 10, 9), tick=False) as traveller:
        one = received(officer_b, at=psc_b, competent=pc_a)
        two = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        three = received(officer_a, at=psc_a, competent=pc_a, code=TRANSACTION_CERT)
        do_forward_dossier(one, acting_user=officer_b, at_unit=psc_b)
        for d in (two, three):
            do_forward_dossier(d, acting_user=officer_a, at_unit=psc_a)
        for d in (one, two):
            do_submit_for_approval(d, acting_user=specialist_a, proposal="approved", opinion="Đủ")
            do_approve_dossier(d, acting_user=leader_a)
        traveller.move_to(local(3, 31, 10))
        yield [one, two, three]


def test_the_viewer_sees_the_province_ranking_and_charts_without_any_cdn(
    history: list[Dossier], ioc_viewer: User
) -> None:
    """GIVEN three March dossiers WHEN the centre's viewer opens /ioc/ for Q1 THEN the province
    on-time rate is 2/3 (the open one is overdue at 31/3, R-TIME-15), commune A, the only one
    with dossiers, is ranked and the 102 others are listed apart (R-IDX-07), the charts are
    inline SVG and nothing loads from elsewhere."""
    response = logged_in(ioc_viewer).get("/ioc/", {"ky": "2026-Q1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trung tâm điều hành" in html
    assert "66.67" in html or "66,67" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 3
    assert "cdn" not in html.lower()
    board = response.context["board"]
    assert len(board.communes) + len(board.unranked_communes) == 103
    assert [r.scope.name for r in board.communes] == [COMMUNE_A]
    assert [f.dossier_id for f in board.extras["overdue"]] == [history[2].pk]
    assert board.extras["flows"][0]["count"] == 1
    assert 'hx-trigger="every 60s"' in html


def test_the_live_part_refreshes_alone(history: list[Dossier], ioc_viewer: User) -> None:
    response = logged_in(ioc_viewer).get(
        "/ioc/", {"ky": "2026-Q1", "phan": "truc-tiep"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith("{#") is False
    assert b'id="live"' in response.content
    assert b"<html" not in response.content


def test_the_board_costs_the_same_few_queries_whatever_the_history(
    history: list[Dossier], ioc_viewer: User
) -> None:
    """The board reads the rollups: its query count does not grow with the dossiers."""
    client = logged_in(ioc_viewer)
    client.get("/ioc/", {"ky": "2026-Q1"})  # warm the catalogue cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/ioc/", {"ky": "2026-Q1"}).status_code == 200
    # 31: one more, constant, for the petitions per intake channel (issue #18).
    assert len(ctx.captured_queries) <= 31, [q["sql"][:90] for q in ctx.captured_queries]


def test_a_commune_officer_gets_a_404_everywhere(history: list[Dossier], officer_b: User) -> None:
    client = logged_in(officer_b)
    for url in ("/ioc/", "/ioc/xa/31117/", "/ioc/bao-cao/", "/ioc/chi-so/on_time/ho-so/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/insights/indicators").status_code == 404


def test_every_number_opens_the_dossiers_behind_it(
    history: list[Dossier], ioc_viewer: User, pc_a: Unit
) -> None:
    """R-IDX-05: the on-time numerator lists the two resolved dossiers, the denominator all
    three; the overdue count lists the open one."""
    client = logged_in(ioc_viewer)
    assert pc_a.commune_id is not None
    commune = f"commune:{pc_a.commune_id}"
    num = client.get(
        "/ioc/chi-so/on_time/ho-so/", {"pham-vi": commune, "ky": "2026-M03", "phan": "tu-so"}
    )
    den = client.get(
        "/ioc/chi-so/on_time/ho-so/", {"pham-vi": commune, "ky": "2026-M03", "phan": "mau-so"}
    )
    assert num.context["page"].paginator.count == 2
    assert den.context["page"].paginator.count == 3
    late = client.get("/ioc/chi-so/open_overdue/ho-so/", {"pham-vi": commune, "ky": "2026-M03"})
    assert history[2].code
    assert history[2].code in late.content.decode()


def test_a_commune_page_shows_its_figures_and_the_16_placeholder_criteria(
    history: list[Dossier], ioc_viewer: User, provincial_admin: User, pc_a: Unit
) -> None:
    """R-IDX-09: sixteen criteria, marked as not official; a provincial admin records a status
    with its evidence; 'met' without evidence is refused."""
    page = logged_in(ioc_viewer).get(f"/ioc/xa/{pc_a.commune_id}/", {"ky": "2026-Q1"})
    assert page.status_code == 200
    assert len(page.context["checklist"]) == 16
    assert "chưa có nội dung chính thức" in page.content.decode()
    assert page.context["summary"].figures["on_time"].numerator == 2
    admin = logged_in(provincial_admin, verified=True)
    url = f"/ioc/xa/{pc_a.commune_id}/tieu-chi/TC01/"
    admin.post(url, {"status": "dat", "evidence": "Quyết định 12/QĐ-UBND"})
    row = CriterionStatus.objects.get(commune=pc_a.commune, criterion__code="TC01")
    assert (row.status, row.evidence) == ("dat", "Quyết định 12/QĐ-UBND")
    assert logged_in(ioc_viewer).post(url, {"status": "chua_dat"}).status_code == 404


def test_reports_are_generated_on_demand_stored_and_downloadable(
    history: list[Dossier], ioc_viewer: User
) -> None:
    """A quarterly province report as XLSX (figures and ranking sheets) and as PDF with real
    Vietnamese text."""
    client = logged_in(ioc_viewer)
    for fmt in ("xlsx", "pdf"):
        client.post("/ioc/bao-cao/", {"pham-vi": "province", "ky": "2026-Q1", "dinh-dang": fmt})
    xlsx = Report.objects.get(fmt="xlsx")
    book = load_workbook(io.BytesIO(bytes(xlsx.content)))
    assert book.sheetnames == ["Chỉ số 766", "Số liệu", "Xếp hạng xã"]
    rows = {r[0]: r for r in book["Chỉ số 766"].iter_rows(values_only=True) if r and r[0]}
    assert rows["on_time"][3:5] == (2, 3)
    pdf = Report.objects.get(fmt="pdf")
    download = client.get(f"/ioc/bao-cao/{pdf.pk}/tai-ve/")
    assert download["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"],
        input=b"".join(download.streaming_content)  # type: ignore[attr-defined]
        if download.streaming
        else download.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn" in text
    assert "Quý 1/2026" in text


def test_the_schedule_enqueues_each_ended_period_once_and_the_task_makes_every_report(
    history: list[Dossier], pc_a: Unit
) -> None:
    """On 31/3 the ended periods are February, Q4 2025, the 6 and 9 months and the year 2025;
    the task makes XLSX and PDF for the province, the 103 communes and the departments."""
    from django_tasks_db.models import DBTaskResult

    assert schedule_periodic_reports() == 5
    assert DBTaskResult.objects.count() == 5
    assert len(scheduled_scopes(92)) == 1 + 103 + 13
    scopes = ["province", f"commune:{pc_a.commune_id}"]
    assert generate_all(92, "2026-M02", scopes) == 4
    assert Report.objects.filter(scheduled=True, scope="province").count() == 2
    assert generate_all(92, "2026-M02", scopes) == 0  # idempotent


def test_the_api_publishes_numerator_denominator_ratio_points_and_version(
    history: list[Dossier], ioc_viewer: User
) -> None:
    client = logged_in(ioc_viewer)
    body = client.get("/api/v1/insights/indicators", {"period": "2026-Q1"}).json()
    on_time = next(f for f in body["figures"] if f["code"] == "on_time")
    assert (on_time["numerator"], on_time["denominator"]) == (2, 3)
    assert on_time["formula_version"] == body["formula_version"] == "766-2026.5"
    # No petitions and no publication data in this history: those figures have no ratio.
    assert body["score"]["band_label"] == "Chưa đủ dữ liệu"
    ranking = client.get("/api/v1/insights/ranking", {"period": "2026-Q1"}).json()
    assert len(ranking) == 103
    assert [r["rank"] for r in ranking[:2]] == [1, None]  # only commune A has dossiers
    formulas = client.get("/api/v1/insights/formulas").json()
    assert len(formulas) >= 15
    assert not any(f["pending"] for f in formulas)  # every input exists since 766-2026.4
    made = client.post(
        "/api/v1/insights/reports",
        {"scope": "province", "period": "2026-Q1", "fmt": "xlsx"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert client.get(made.json()["download"]).status_code == 200
    bad = client.get("/api/v1/insights/indicators", {"period": "2026-Q9"})
    assert bad.status_code == 422


def test_the_board_shows_national_sync_health(ioc_viewer: User) -> None:
    """Issue #7 item 5: the operations centre sees what waits, retries and failed towards the
    national portal."""
    from motcua.core.clock import now
    from motcua.core.models import OutboxMessage

    OutboxMessage.objects.create(
        topic="portal.step",
        key="X",
        payload={},
        idempotency_key="k-dead",
        status="dead",
        next_attempt_at=now(),
    )
    body = logged_in(ioc_viewer).get("/ioc/").content.decode()
    assert "Đồng bộ Cổng Dịch vụ công quốc gia" in body
    assert "Bản tin lỗi (cần xử lý)" in body
