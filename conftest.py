"""The cast every test can use (STYLE.md "Test style"); they are also the demo users.

- congdan.an           a citizen
- motcua.ninhkieu      counter officer at commune A (Phường Ninh Kiều)
- chuyenvien.ninhkieu  specialist at commune A
- lanhdao.ninhkieu     leader at commune A (TOTP)
- quantri.ninhkieu     unit admin at commune A (TOTP)
- motcua.caikhe        counter officer at commune B (Phường Cái Khế): must see nothing of A
- chuyenvien.sotuphap  specialist at the provincial Department of Justice
- quantri.tinh         provincial admin (TOTP)
- ioc.tinh             operations-centre viewer

The session database holds the real geography (34 provinces, 3,321 communes) and the demo
province's unit tree, built by the same code `make demo` runs.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from motcua.accounts.demo import seed_personas
from motcua.accounts.models import User
from motcua.agencies.demo import seed_province_units
from motcua.agencies.models import Unit, UnitKind
from motcua.catalog.assignments import assign_defaults
from motcua.catalog.importer import import_procedures, read_rows
from motcua.catalog.models import Procedure
from motcua.geo.loader import load_geography
from motcua.geo.models import Province
from motcua.worktime.calendars import seed_calendar

TEST_PASSWORD = "Mat-khau-thu-2026"  # noqa: S105 - synthetic test users only
CAN_THO = 92
SEED_CSV = Path(__file__).parent / "motcua" / "catalog" / "data" / "procedures.csv"
SEED_FROM = date(2025, 7, 1)

# Property tests must not depend on the machine's speed (the brief: tests never depend on
# timing): on a loaded 2-core CI machine, generating examples can be slow and one example can
# take longer than hypothesis' 200 ms deadline. Every example is still run and checked.
settings.register_profile("motcua", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("motcua")
BOUNDARY_FREE_BASIS = "Quyết định công bố danh mục TTHC không phụ thuộc địa giới (thử nghiệm)"


def _seeded() -> bool:
    """The session's seed is already in a reused database (``make test-fast``)."""
    return (
        Province.objects.filter(code=CAN_THO).exists()
        and User.objects.filter(username="congdan.an").exists()
        and Procedure.objects.filter(province_id=CAN_THO).exists()
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any, request: Any) -> None:
    with django_db_blocker.unblock():
        if request.config.getoption("reuse_db", default=False) and _seeded():
            return  # --reuse-db: the seed committed by an earlier run is still there
        load_geography()
        province = Province.objects.get(code=CAN_THO)
        seed_province_units(province)
        seed_personas(province, password=TEST_PASSWORD)
        seed_calendar(province)
        report = import_procedures(read_rows(SEED_CSV), province=province, effective_from=SEED_FROM)
        assert report.ok, report.errors[:3]
        assign_defaults(province, boundary_free_basis=BOUNDARY_FREE_BASIS)


@pytest.fixture(scope="session")
def pki_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(autouse=True)
def _isolated_files(settings: Any, pki_root: Path, tmp_path: Path) -> None:
    """Keys of the demo CA and every stored file (scans, signed results) stay in temporary
    directories, never in var/."""
    settings.MOTCUA_PKI_DIR = pki_root
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``concurrency`` use real committed transactions and threads; Django flushes
    the database after them, so they run after every test that needs the seeded data. Browser
    tests come last: they use their own server, and Playwright's sync API keeps an event loop in
    the main thread while a browser is open, which Django's database layer refuses to run in."""

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("browser") is not None:
            return 3
        if item.get_closest_marker("flushes") is not None:
            return 2  # transactional, needs no seeded data: after the tests that do
        return 1 if item.get_closest_marker("concurrency") is not None else 0

    items.sort(key=rank)


def _user(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def citizen(db: None) -> User:
    return _user("congdan.an")


@pytest.fixture
def officer_a(db: None) -> User:
    return _user("motcua.ninhkieu")


@pytest.fixture
def specialist_a(db: None) -> User:
    return _user("chuyenvien.ninhkieu")


@pytest.fixture
def leader_a(db: None) -> User:
    return _user("lanhdao.ninhkieu")


@pytest.fixture
def admin_a(db: None) -> User:
    return _user("quantri.ninhkieu")


@pytest.fixture
def officer_b(db: None) -> User:
    return _user("motcua.caikhe")


@pytest.fixture
def dept_specialist(db: None) -> User:
    return _user("chuyenvien.sotuphap")


@pytest.fixture
def provincial_admin(db: None) -> User:
    return _user("quantri.tinh")


@pytest.fixture
def ioc_viewer(db: None) -> User:
    return _user("ioc.tinh")


@pytest.fixture
def can_tho(db: None) -> Province:
    return Province.objects.get(code=CAN_THO)


def commune_unit(commune_name: str, kind: str) -> Unit:
    return Unit.objects.get(commune__name=commune_name, kind=kind)


@pytest.fixture
def psc_a(db: None) -> Unit:
    return commune_unit("Phường Ninh Kiều", UnitKind.COMMUNE_PSC)


@pytest.fixture
def pc_a(db: None) -> Unit:
    return commune_unit("Phường Ninh Kiều", UnitKind.COMMUNE_PC)


@pytest.fixture
def psc_b(db: None) -> Unit:
    return commune_unit("Phường Cái Khế", UnitKind.COMMUNE_PSC)


@pytest.fixture
def pc_b(db: None) -> Unit:
    return commune_unit("Phường Cái Khế", UnitKind.COMMUNE_PC)


def logged_in(user: User, *, verified: bool = False) -> Client:
    """A client logged in as ``user``; ``verified`` also passes the TOTP second factor."""
    client = Client()
    client.force_login(user)
    if verified:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def totp_code(user: User) -> str:
    """The current code of ``user``'s confirmed TOTP device (the leader's fresh second factor)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    key = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{key.token():0{device.digits}d}"
