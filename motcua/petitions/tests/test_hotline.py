"""The 1022 hotline channel (issue #18): the simulated hotline system (a separate HTTP service,
``simulators.hotline``) pushes operators' calls into Motcua through the Open311 API with its own
key, and Motcua records them with the channel *hotline*."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from contracts.hotline import CALLS_PATH, PUSH_PATH, CallRecord
from motcua.petitions.models import Petition, PetitionChannel
from motcua.petitions.open311.keys import do_issue_key
from simulators.tests.conftest import start_simulator

pytestmark = pytest.mark.django_db

CALL = {
    "call_id": "1022-260310-0001",
    "caller_name": "Trần Văn Bình",
    "caller_phone": "0912345678",
    "service_code": "ha-tang-do-thi",
    "description": "Đèn đường trước số 45 Mậu Thân tắt ba đêm liền, đường rất tối.",
    "address": "45 Mậu Thân, Phường Ninh Kiều, Cần Thơ",
    "attributes": {"loai_su_co": "den_duong"},
}


def test_hotline_calls_arrive_as_hotline_reports(
    traveller: Any, live_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = do_issue_key("Tổng đài 1022", channel="hotline")[1]
    monkeypatch.setenv("MOTCUA_SIM_HOTLINE_OPEN311_URL", live_url)
    monkeypatch.setenv("MOTCUA_SIM_HOTLINE_OPEN311_KEY", key)
    hotline = start_simulator("hotline", tmp_path)
    try:
        with hotline.client(timeout=30) as client:
            first = CallRecord.model_validate_json(client.post(CALLS_PATH, json=CALL).content)
            again = CallRecord.model_validate_json(client.post(CALLS_PATH, json=CALL).content)
            refused = CallRecord.model_validate_json(
                client.post(
                    CALLS_PATH, json={**CALL, "call_id": "1022-x", "service_code": "khong-co"}
                ).content
            )
            nothing_pending = client.post(PUSH_PATH).json()
            anonymous = hotline.client(key="").post(CALLS_PATH, json=CALL)
    finally:
        hotline.stop()

    assert first.status == "pushed"
    assert again.service_request_id == first.service_request_id  # pushed once per call
    assert again.attempts == 1
    petition = Petition.objects.get(code=first.service_request_id)
    assert petition.channel == PetitionChannel.HOTLINE
    assert petition.petitioner_name == "Trần Văn Bình"
    assert petition.commune is not None
    assert petition.commune.name == "Phường Ninh Kiều"
    assert Petition.objects.count() == 1
    assert refused.status == "refused"
    assert "service_code" in refused.refusal
    assert nothing_pending == {"error_code": "0", "pushed": 0, "refused": 0, "pending": 0}
    assert anonymous.status_code == 401


def test_calls_wait_while_motcua_is_unreachable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTCUA_SIM_HOTLINE_OPEN311_URL", "http://127.0.0.1:9/open311/v2")
    monkeypatch.setenv("MOTCUA_SIM_HOTLINE_OPEN311_KEY", "o311_x_y")
    hotline = start_simulator("hotline", tmp_path)
    try:
        with hotline.client(timeout=30) as client:
            record = CallRecord.model_validate_json(client.post(CALLS_PATH, json=CALL).content)
            retried = client.post(PUSH_PATH).json()
    finally:
        hotline.stop()
    assert record.status == "pending"
    assert record.refusal.startswith("transport")
    assert retried["pending"] == 1
    assert Petition.objects.count() == 0


def test_an_app_key_files_open311_reports_and_a_bad_channel_is_refused() -> None:
    from motcua.core.errors import ValidationFailed

    client, _key = do_issue_key("Ứng dụng Cần Thơ Xanh")
    assert client.channel == PetitionChannel.OPEN311
    with pytest.raises(ValidationFailed):
        do_issue_key("Ai đó", channel="portal")


def test_the_operations_centre_counts_reports_per_channel(
    traveller: Any, ioc_viewer: Any, officer_a: Any, pc_a: Any
) -> None:
    """Every intake channel is counted on /ioc/ for the period, zero ones too."""
    from conftest import logged_in
    from motcua.petitions.actions import PetitionContent, do_file_petition
    from motcua.petitions.tests.conftest import file

    file(pc_a)
    file(pc_a)
    do_file_petition(
        PetitionContent(
            unit=pc_a,
            kind="phan_anh",
            subject="Gọi đường dây nóng",
            content="Cán bộ hẹn trả kết quả nhưng không gọi lại cho tôi.",
            name="Phạm Văn Dũng",
            phone="0934567890",
            channel=PetitionChannel.HOTLINE,
        ),
        acting_user=officer_a,
    )
    response = logged_in(ioc_viewer).get("/ioc/", {"ky": "2026-Q1"})
    assert response.status_code == 200
    counts = {
        c["channel"]: c["count"] for c in response.context["board"].extras["petition_channels"]
    }
    assert counts == {"portal": 2, "counter": 0, "hotline": 1, "open311": 0}
    html = response.content.decode()
    assert 'id="petition-channels"' in html
    assert "Phản ánh, kiến nghị theo kênh tiếp nhận" in html


def test_the_demo_hands_the_hotline_a_key_file_it_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``make demo`` issues the hotline its key once and leaves it in the simulators' state
    directory; the simulator reads it there (issue #18: its pushes were refused in the demo)."""
    from motcua.petitions.open311.keys import client_for, ensure_key_file
    from simulators import hotline

    path = tmp_path / "simulators" / hotline.KEY_FILE
    assert ensure_key_file("Tổng đài 1022 (mô phỏng)", path) is True
    key = path.read_text(encoding="utf-8").strip()
    client = client_for(key)
    assert client is not None
    assert client.channel == "hotline"
    assert ensure_key_file("Tổng đài 1022 (mô phỏng)", path) is False  # kept, not reissued
    assert path.read_text(encoding="utf-8").strip() == key
    assert path.stat().st_mode & 0o077 == 0
    monkeypatch.delenv("MOTCUA_SIM_HOTLINE_OPEN311_KEY", raising=False)
    monkeypatch.setenv("MOTCUA_SIM_STATE_DIR", str(tmp_path / "simulators"))
    assert hotline.open311_key() == key
