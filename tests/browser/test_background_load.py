"""Issue #12 item 1: background work never blocks a user.

The demo's first citizen once met "database is locked" for 17 minutes: the worker generated the
periodic reports inside long write transactions. Here the real worker runs its heaviest job (every
scheduled report of every unit and period, XLSX and PDF) against the demo site's SQLite database
while, at the same time, an officer logs in and receives a dossier at the counter and a citizen
logs in with VNeID, opens the e-form and submits online. Every response is the product's (no
5xx); the job is still running before and after (they overlapped for real); SIGTERM stops the
worker in the middle of the job, and the interrupted task goes back to the queue.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, Response, expect

from tests.browser.citizen_server import citizen_site
from tests.browser.conftest import BIN, ROOT, DemoServer
from tests.browser.declaration import fill_birth_declaration
from tests.browser.test_citizen_flow import a_pdf, vneid_login
from tests.browser.test_counter_flow import act, login

pytestmark = pytest.mark.browser


def _db(server: DemoServer) -> sqlite3.Connection:
    return sqlite3.connect(server.env["MOTCUA_SQLITE_PATH"], timeout=30)


def _count(server: DemoServer, sql: str) -> int:
    with _db(server) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _wait_until(condition: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"{what} did not happen within {seconds:.0f} s")


def _watch(page: Page, failures: list[str], timings: list[tuple[str, float]]) -> None:
    started: dict[str, float] = {}

    def on_request(request: Request) -> None:
        started[request.url] = time.monotonic()

    def on_response(response: Response) -> None:
        if response.status >= 500:
            failures.append(f"{response.status} {response.url}")
        began = started.get(response.url)
        if began is not None:
            timings.append((response.url, time.monotonic() - began))

    page.on("request", on_request)
    page.on("response", on_response)


def test_reports_in_the_background_never_block_a_citizen_or_an_officer(
    demo_server: DemoServer, browser: Browser, tmp_path: Path
) -> None:
    reports = "SELECT COUNT(*) FROM insights_report"
    before = _count(demo_server, reports)
    worker = subprocess.Popen(
        [str(BIN / "motcua"), "worker", "--interval", "0.2"],
        env={
            **demo_server.env,
            "MOTCUA_WORKER_STARTUP_DELAY_S": "0",  # the report schedule fires at once
            "MOTCUA_WORKER_NICE": "0",  # compete for the CPU like an un-niced job would
        },
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        # The heaviest job is under way: reports are being written.
        _wait_until(lambda: _count(demo_server, reports) > before, "the first report")
        failures: list[str] = []
        timings: list[tuple[str, float]] = []

        # An officer logs in and receives a dossier at the counter.
        officer = browser.new_context(locale="vi-VN").new_page()
        _watch(officer, failures, timings)
        login(officer, demo_server, "motcua.ninhkieu")
        officer.goto(f"{demo_server.url}/desk/dossiers/new/?procedure=1.001193")
        officer.get_by_label("Họ và tên / Tên tổ chức").fill("Trần Văn Bình")
        officer.get_by_label("Số định danh cá nhân / Mã số thuế").fill("092190000002")
        officer.get_by_label("Số điện thoại").fill("0907654321")
        fill_birth_declaration(officer)
        for box in officer.locator("input[name=components]").all():
            box.check()
        officer.get_by_role("button", name="Ghi nhận hồ sơ").click()
        act(officer, "Tiếp nhận (cấp Giấy tiếp nhận, Mẫu 01)")
        expect(officer.get_by_role("heading", level=1)).to_contain_text("Hồ sơ H92.")

        # A citizen logs in with VNeID, opens the e-form and submits online.
        citizen = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 780})
        page = citizen.new_page()
        _watch(page, failures, timings)
        vneid_login(page, citizen_site(demo_server), citizen_id="092190000001")
        page.goto(f"{demo_server.url}/nop-ho-so/1.001193/")
        required = page.locator(".upload-list > li", has_text="(bắt buộc)")
        for index in range(required.count()):
            required.nth(index).locator("input[type=file]").set_input_files(
                str(a_pdf(tmp_path / f"giay-{index}.pdf", 1))
            )
        page.get_by_role("combobox", name="Cơ quan giải quyết").select_option(
            label="Ủy ban nhân dân phường Ninh Kiều"
        )
        centre = page.get_by_role("combobox", name="Nơi tiếp nhận hồ sơ")
        value = centre.locator("option", has_text="Ninh Kiều").first.get_attribute("value")
        assert value
        centre.select_option(value=value)
        fill_birth_declaration(page)
        page.get_by_role("radio", name="Trực tuyến").check()
        page.get_by_label("Tôi cam đoan").check()
        page.get_by_role("button", name="Nộp hồ sơ").click()
        expect(page.get_by_role("heading", name="Đã nộp hồ sơ", level=1)).to_be_visible()

        assert failures == []
        # The job overlapped every step: it is still running, its task not finished.
        assert worker.poll() is None
        running = _count(
            demo_server,
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status='RUNNING'",
        )
        assert running == 1
        slowest = max(timings, key=lambda item: item[1])
        print(f"\nrequests={len(timings)} slowest_s={slowest[1]:.2f} ({slowest[0]})")  # noqa: T201

        # SIGTERM in the middle of the job: the worker stops, the task goes back to the queue.
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail("the worker ignored SIGTERM in the middle of a long job")
        assert worker.returncode == 0, worker.stderr.read() if worker.stderr else ""
        assert (
            _count(
                demo_server,
                "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status='RUNNING'",
            )
            == 0
        )
        failed = _count(
            demo_server,
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status='FAILED'",
        )
        assert failed == 0  # the interrupted task is READY again, not failed
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
