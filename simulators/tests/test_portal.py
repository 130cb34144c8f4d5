"""Portal simulator over real HTTP (R-SYNC-01..05, R-STATE-01)."""

from __future__ import annotations

import itertools
from typing import Any

import httpx
import pytest

from contracts.common import ApiResponse
from contracts.portal import CREATE_PATH, STEPS_PATH, UPDATE_PATH, NationalStatus, ProcessStep
from simulators.tests.conftest import SimProcess

_seq = itertools.count(1)


def new_code() -> str:
    """A fresh dossier code per test (R-ID-09 format)."""
    return f"000.00.01.H26-250801-{next(_seq):04d}"


def dossier(code: str, status: int) -> dict[str, Any]:
    return {
        "MaHoSo": code,
        "MaTTHC": "1.001234",
        "TenTTHC": "Đăng ký khai sinh",
        "KenhThucHien": "2",
        "ChuHoSo": "Nguyễn Thị An",
        "LoaiDoiTuong": "1",
        "NgayTiepNhan": "20250801090000",
        "TrangThaiHoSo": status,
        "DinhDanhCHS": [{"LoaiDinhDanh": "1", "SoDinhDanh": "001199012345"}],
    }


def step(code: str, status: int, minute: int = 0) -> dict[str, Any]:
    return ProcessStep(
        MaHoSo=code,
        NguoiXuLy="Trần Văn Bình",
        ThoiDiemXuLy=f"202508010900{minute:02d}",
        TrangThai=status,
        NoiDungXuLy="Tiếp nhận hồ sơ" if status == 2 else "Xử lý",
    ).model_dump(exclude_none=True)


def reply(response: httpx.Response) -> ApiResponse:
    assert response.status_code == 200, response.text
    return ApiResponse.model_validate_json(response.content)


def test_health_needs_no_key_but_api_does(portal: SimProcess) -> None:
    with portal.client(key="") as anonymous:
        assert anonymous.get("/_sim/health").json()["status"] == "ok"
        refused = anonymous.post(CREATE_PATH, json=[dossier(new_code(), 1)])
    assert refused.status_code == 401
    assert refused.json()["error_code"] == "401"
    with portal.client(key="wrong") as wrong:
        assert wrong.post(CREATE_PATH, json=[]).status_code == 401


def test_full_lifecycle_is_accepted_and_counted_once(portal: SimProcess) -> None:
    code = new_code()
    with portal.client() as client:
        created = reply(client.post(CREATE_PATH, json=[dossier(code, 1)]))
        assert created.ok
        assert "thành công" in created.message
        for status in (2, 4, 9, 10):
            assert reply(client.post(UPDATE_PATH, json=[dossier(code, status)])).ok
        seen = client.get("/_sim/received", params={"MaHoSo": code}).json()
        every = client.get("/_sim/counts").json()["dossiers"]
    assert seen["TrangThaiHoSo"] == 10
    assert seen["status_counts"] == {"1": 1, "2": 1, "4": 1, "9": 1, "10": 1}
    assert every[code] == {"status_counts": seen["status_counts"], "step_counts": {}}


def test_create_of_existing_dossier_says_it_exists(portal: SimProcess) -> None:
    code = new_code()
    with portal.client() as client:
        assert reply(client.post(CREATE_PATH, json=[dossier(code, 2)])).ok
        again = reply(client.post(CREATE_PATH, json=[dossier(code, 2)]))
    assert again.error_code == "3"
    assert "đã tồn tại" in again.message


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((1, 4), "-3"),  # must be received first
        ((1, 2, 10), "-3"),  # result must be ready (9) before it is returned
        ((1, 3, 2), "-3"),  # refused at reception is terminal
        ((2, 9, 10, 4), "-3"),  # no reopening a returned dossier
        ((2, 9, 2), "-3"),  # a dossier told as 9 resumes at 1 or 4 only
        ((2, 0, 7), "0"),  # withdrawn during inter-agency processing (R-STOP-02)
        ((1, 7), "0"),  # an online dossier withdrawn before receipt
        ((1, 5, 1, 8), "0"),  # supplement before receipt, back at the counter, stopped
        ((1, 9, 9), "0"),  # the same, each pause told as 9 (R-STATE-02)
        ((2, 4, 9, 4, 9, 10), "0"),  # a supplement told as 9, then resumed (R-STATE-02)
        ((2, 4, 4), "0"),  # the same status again is an idempotent re-send
        ((2, 5, 4, 6, 4, 9, 10), "0"),
    ],
)
def test_status_sequences_follow_the_table(
    portal: SimProcess, path: tuple[int, ...], expected: str
) -> None:
    code = new_code()
    with portal.client() as client:
        assert reply(client.post(CREATE_PATH, json=[dossier(code, path[0])])).ok
        last = ApiResponse(error_code="0", message="")
        for status in path[1:]:
            last = reply(client.post(UPDATE_PATH, json=[dossier(code, status)]))
            if not last.ok:
                break
    assert last.error_code == expected, last.message


def test_initial_status_must_be_an_entry_status(portal: SimProcess) -> None:
    with portal.client() as client:
        refused = reply(client.post(CREATE_PATH, json=[dossier(new_code(), 9)]))
    assert refused.error_code == "-3"


def test_repeated_idempotency_key_is_applied_once(portal: SimProcess) -> None:
    code = new_code()
    with portal.client() as client:
        assert reply(client.post(CREATE_PATH, json=[dossier(code, 1)])).ok
        headers = {"Idempotency-Key": f"sync-{code}-2"}
        first = client.post(UPDATE_PATH, json=[dossier(code, 2)], headers=headers)
        second = client.post(UPDATE_PATH, json=[dossier(code, 2)], headers=headers)
        other_body = client.post(UPDATE_PATH, json=[dossier(code, 4)], headers=headers)
        seen = client.get("/_sim/received", params={"MaHoSo": code}).json()
    assert first.json() == second.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert other_body.status_code == 422
    assert seen["status_counts"] == {"1": 1, "2": 1}


def test_steps_chunk_of_more_than_ten_is_rejected(portal: SimProcess) -> None:
    code = new_code()
    with portal.client() as client:
        assert reply(client.post(CREATE_PATH, json=[dossier(code, 2)])).ok
        eleven = [step(code, 2)] + [step(code, 4, m) for m in range(1, 11)]
        refused = reply(client.post(STEPS_PATH, json=eleven))
        ten = reply(client.post(STEPS_PATH, json=eleven[:10]))
        seen = client.get("/_sim/received", params={"MaHoSo": code}).json()
    assert refused.error_code == "-1"
    assert ten.ok
    assert seen["step_counts"] == {"2": 1, "4": 9}


def test_steps_follow_the_table_and_need_a_known_dossier(portal: SimProcess) -> None:
    code = new_code()
    with portal.client() as client:
        unknown = reply(client.post(STEPS_PATH, json=[step(new_code(), 2)]))
        assert reply(client.post(CREATE_PATH, json=[dossier(code, 2)])).ok
        bad = reply(client.post(STEPS_PATH, json=[step(code, 2), step(code, 10, 1)]))
        seen = client.get("/_sim/received", params={"MaHoSo": code}).json()
    assert unknown.error_code == "-2"
    assert bad.error_code == "-3"
    assert seen["step_counts"] == {}  # the chunk is all-or-nothing


def test_schema_errors_are_reported_not_stored(portal: SimProcess) -> None:
    with portal.client() as client:
        bad = client.post(CREATE_PATH, json=[{"MaHoSo": new_code(), "TrangThaiHoSo": 11}])
        not_a_list = client.post(CREATE_PATH, json={"MaHoSo": "x"})
    assert reply(bad).error_code == "-1"
    assert not_a_list.status_code == 400
    assert not_a_list.json()["error_code"] == "-1"


def test_fault_headers(portal: SimProcess) -> None:
    code = new_code()
    with portal.client() as client:
        error = client.post(CREATE_PATH, json=[dossier(code, 1)], headers={"X-Sim-Fault": "error"})
        malformed = client.post(
            CREATE_PATH, json=[dossier(code, 1)], headers={"X-Sim-Fault": "malformed"}
        )
        slow = client.post(
            CREATE_PATH, json=[dossier(code, 1)], headers={"X-Sim-Fault": "latency=50"}
        )
        stats = client.get("/_sim/stats").json()
    assert error.status_code == 503
    assert malformed.status_code == 200
    with pytest.raises(ValueError, match=r"."):
        malformed.json()
    assert reply(slow).ok  # latency delays, then processes: the dossier is created once
    assert stats["faults"]["error"] >= 1
    assert stats["faults"]["malformed"] >= 1


def test_timeout_fault_outlasts_the_client_and_changes_nothing(portal: SimProcess) -> None:
    code = new_code()
    with portal.client(timeout=0.3) as client, pytest.raises(httpx.ReadTimeout):
        client.post(CREATE_PATH, json=[dossier(code, 1)], headers={"X-Sim-Fault": "timeout"})
    with portal.client() as client:
        seen = client.get("/_sim/received", params={"MaHoSo": code}).json()
    assert seen["TrangThaiHoSo"] is None


def test_timeout_after_commits_then_loses_the_reply(portal: SimProcess) -> None:
    code = new_code()
    headers = {"X-Sim-Fault": "timeout-after", "Idempotency-Key": f"k-{code}"}
    with portal.client(timeout=0.3) as client, pytest.raises(httpx.ReadTimeout):
        client.post(CREATE_PATH, json=[dossier(code, 1)], headers=headers)
    with portal.client() as client:
        retry = client.post(
            CREATE_PATH, json=[dossier(code, 1)], headers={"Idempotency-Key": f"k-{code}"}
        )
        seen = client.get("/_sim/received", params={"MaHoSo": code}).json()
    assert reply(retry).ok  # the retry replays the stored success
    assert seen["status_counts"] == {"1": 1}


def test_configured_fault_hits_the_next_call_only(portal: SimProcess) -> None:
    with portal.client() as client:
        set_fault = client.post("/_sim/faults", json={"fault": "error", "times": 1})
        assert set_fault.json()["error_code"] == "0"
        first = client.post(CREATE_PATH, json=[dossier(new_code(), 1)])
        second = client.post(CREATE_PATH, json=[dossier(new_code(), 1)])
    assert first.status_code == 503
    assert reply(second).ok


def test_configured_error_rate_affects_a_fraction(portal: SimProcess) -> None:
    with portal.client() as client:
        client.post("/_sim/faults", json={"fault": "error-rate=0.5"})
        codes = [client.post(UPDATE_PATH, json=[]).status_code for _ in range(40)]
        client.delete("/_sim/faults")
        after = client.post(UPDATE_PATH, json=[]).status_code
    assert 0 < codes.count(503) < 40
    assert after == 200


def test_national_status_enum_covers_the_table() -> None:
    assert [int(s) for s in NationalStatus] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
