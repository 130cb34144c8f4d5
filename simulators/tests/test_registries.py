"""Civil-status, land and judicial-record simulators over real HTTP (R-REUSE-03, R-PDP-02)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts import civil_status as cs_api
from contracts import judicial as jr_api
from contracts import land as land_api
from contracts.purpose import ERR_PURPOSE_REQUIRED, LookupReply
from simulators import population as pop
from simulators.tests.conftest import SimProcess

PURPOSE = {
    "MaCanBo": "cb-tuphap-01",
    "MaDonVi": "000.00.01.H26",
    "MaHoSo": "000.00.01.H26-250801-0001",
    "MaTTHC": "1.004873",
    "MucDich": "Xác nhận tình trạng hôn nhân",
}


def ask(client: httpx.Client, path: str, **body: Any) -> LookupReply:
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text
    return LookupReply.model_validate_json(response.content)


def test_civil_status_cases(civil_status: SimProcess) -> None:
    with civil_status.client() as client:
        cases = client.get("/_sim/sample").json()
        found = {
            case: civil_status_record(client, personal_id) for case, personal_id in cases.items()
        }
        births_only = ask(
            client, cs_api.LOOKUP_PATH, SoDinhDanh=cases["married"], LoaiSuKien="KS", **PURPOSE
        )
    demo = found["demo"]
    assert demo.HoVaTen == "Nguyễn Thị An"
    assert demo.TinhTrangHonNhan == "1"
    assert demo.KhaiSinh is not None
    assert demo.KhaiSinh.NoiDangKy.TenPhuongXa == "Phường Ninh Kiều"
    assert found["married"].TinhTrangHonNhan == "2"
    (marriage,) = found["married"].KetHon
    assert marriage.Chong.SoDinhDanh == cases["married"]
    assert pop.find(marriage.Vo.SoDinhDanh) is not None  # the spouse is a real person
    assert found["divorced"].TinhTrangHonNhan == "3"
    assert found["widowed"].TinhTrangHonNhan == "4"
    assert found["deceased"].DaChet
    assert found["deceased"].KhaiTu is not None
    child = found["single"]
    assert child.KhaiSinh is not None
    assert child.KhaiSinh.Cha is not None
    assert pop.find(child.KhaiSinh.Cha.SoDinhDanh) is not None
    births = cs_api.parse_message(births_only.message)
    assert births.KetHon == []
    assert births.KhaiSinh is not None


def civil_status_record(client: httpx.Client, personal_id: str) -> Any:
    reply = ask(client, cs_api.LOOKUP_PATH, SoDinhDanh=personal_id, **PURPOSE)
    assert reply.ok, reply.message
    assert reply.MaTraCuu
    return cs_api.parse_message(reply.message)


def test_land_by_owner_and_serial(land: SimProcess) -> None:
    with land.client() as client:
        by_owner = ask(client, land_api.LOOKUP_PATH, SoDinhDanh=pop.DEMO_ID, **PURPOSE)
        (cert,) = land_api.parse_message(by_owner.message)
        by_serial = ask(client, land_api.LOOKUP_PATH, SoPhatHanh=cert.SoPhatHanh, **PURPOSE)
        unknown = ask(client, land_api.LOOKUP_PATH, SoPhatHanh="ZZ 000000", **PURPOSE)
        both = client.post(
            land_api.LOOKUP_PATH,
            json={"SoDinhDanh": pop.DEMO_ID, "SoPhatHanh": cert.SoPhatHanh, **PURPOSE},
        )
        head = pop.id_of(4 * 10)
        joint = land_api.parse_message(ask(client, land_api.LOOKUP_PATH, SoDinhDanh=head,
                                       **PURPOSE).message)  # fmt: skip
    assert cert.ThuaDat.DiaChi.TenPhuongXa == "Phường Ninh Kiều"
    assert cert.ThuaDat.MaMucDich == "ODT"
    assert [o.SoDinhDanh for o in cert.ChuSuDung] == [pop.DEMO_ID]
    assert land_api.parse_message(by_serial.message) == [cert]
    assert unknown.error_code == land_api.ERR_NOT_FOUND
    assert both.status_code == 400
    assert both.json()["error_code"] == "-1"
    residential = joint[0]
    assert residential.ThuaDat.MaMucDich in {"ODT", "ONT"}
    assert [o.SoDinhDanh for o in residential.ChuSuDung] == [head, pop.id_of(4 * 10 + 1)]


def test_judicial_records(judicial: SimProcess) -> None:
    with judicial.client() as client:
        cases = client.get("/_sim/sample").json()

        def record(case: str, kind: str = "1") -> Any:
            reply = ask(client, jr_api.LOOKUP_PATH, SoDinhDanh=cases[case], LoaiPhieu=kind,
                        **PURPOSE)  # fmt: skip
            assert reply.ok, reply.message
            return jr_api.parse_message(reply.message)

        demo, clean, convicted = record("demo"), record("clean"), record("convicted")
        expunged_1, expunged_2 = record("expunged"), record("expunged", "2")
        unknown = ask(client, jr_api.LOOKUP_PATH, SoDinhDanh="000000000000", **PURPOSE)
    assert demo.TinhTrangAnTich == clean.TinhTrangAnTich == jr_api.NO_RECORD
    assert convicted.TinhTrangAnTich == jr_api.HAS_RECORD
    assert len(convicted.DanhSachAnTich) == 1
    assert expunged_1.TinhTrangAnTich == jr_api.NO_RECORD  # Phiếu số 1 hides it
    assert expunged_2.DanhSachAnTich[0].DaDuocXoaAnTich  # Phiếu số 2 shows it
    assert unknown.error_code == jr_api.ERR_NOT_FOUND


LOOKUPS = [
    ("civil_status", cs_api.LOOKUP_PATH, {"SoDinhDanh": pop.DEMO_ID}),
    ("land", land_api.LOOKUP_PATH, {"SoDinhDanh": pop.DEMO_ID}),
    ("judicial", jr_api.LOOKUP_PATH, {"SoDinhDanh": pop.id_of(4)}),
]


@pytest.mark.parametrize(("name", "path", "key"), LOOKUPS)
def test_lookup_without_purpose_or_dossier_is_refused_and_logged(
    request: pytest.FixtureRequest, name: str, path: str, key: dict[str, str]
) -> None:
    sim: SimProcess = request.getfixturevalue(name)
    dossier = f"{name}-dossier-1"
    officer = f"cb-{name}"
    with sim.client() as client:
        no_purpose = ask(client, path, **key, MaCanBo=officer, MaHoSo=dossier)
        no_dossier = ask(client, path, **key, MaCanBo=officer, MucDich="Kiểm tra")
        nothing = ask(client, path, **key)
        ok = ask(client, path, **key, **{**PURPOSE, "MaCanBo": officer, "MaHoSo": dossier})
        logged = client.get("/_sim/queries", params={"MaCanBo": officer}).json()
        by_dossier = client.get("/_sim/queries", params={"MaHoSo": dossier}).json()
    assert (no_purpose.error_code, no_purpose.missing) == (ERR_PURPOSE_REQUIRED, ["MucDich"])
    assert (no_dossier.error_code, no_dossier.missing) == (ERR_PURPOSE_REQUIRED, ["MaHoSo"])
    assert nothing.missing == ["MaCanBo", "MaHoSo", "MucDich"]
    assert "MucDich" in no_purpose.message
    assert ok.ok
    # Every query is logged, refused ones included, with officer, dossier and purpose.
    assert [q["result"] for q in logged] == ["0", "-4", "-4"]
    newest = logged[0]
    assert (newest["ma_can_bo"], newest["ma_ho_so"], newest["muc_dich"], newest["ma_tthc"]) == (
        officer,
        dossier,
        PURPOSE["MucDich"],
        PURPOSE["MaTTHC"],
    )
    assert str(newest["id"]) == ok.MaTraCuu
    assert {q["id"] for q in by_dossier} == {logged[0]["id"], logged[2]["id"]}


def test_same_answers_after_restart(
    sim_factory: Callable[[str, Path | None], SimProcess], tmp_path: Path
) -> None:
    """All three restarted on the same state dirs (started in parallel to save time)."""

    def start_all() -> list[SimProcess]:
        with ThreadPoolExecutor(len(LOOKUPS)) as pool:
            return list(
                pool.map(lambda n: sim_factory(n, tmp_path / n), [n for n, _, _ in LOOKUPS])
            )

    def answers(sims: list[SimProcess]) -> list[LookupReply]:
        out = []
        for sim, (_name, path, key) in zip(sims, LOOKUPS, strict=True):
            with sim.client() as client:
                out.append(ask(client, path, **key, **PURPOSE))
            sim.stop()
        return out

    before = answers(start_all())
    second = start_all()
    logs = []
    for sim in second:
        with sim.client() as client:
            logs.append(client.get("/_sim/queries").json())
    after = answers(second)
    assert all(b.ok for b in before)
    assert [a.message for a in after] == [b.message for b in before]
    assert [len(log) for log in logs] == [1, 1, 1]  # the query logs persisted across restarts


def test_registry_fault_header(judicial: SimProcess) -> None:
    with judicial.client() as client:
        response = client.post(
            jr_api.LOOKUP_PATH,
            json={"SoDinhDanh": pop.DEMO_ID, **PURPOSE},
            headers={"X-Sim-Fault": "error"},
        )
    assert response.status_code == 503
