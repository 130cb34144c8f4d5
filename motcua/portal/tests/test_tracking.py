"""Public tracking: code plus the applicant's phone digits; guessing is refused and limited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.tests.factories import received
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_cache() -> Iterator[None]:
    cache.clear()
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield
    cache.clear()


def test_the_applicant_sees_a_plain_vietnamese_timeline(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    page = Client().post("/tra-cuu/", {"ma": dossier.code, "so": "4567"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Hồ sơ đã được tiếp nhận" in body
    assert "Thủ tục đăng ký khai sinh" in body
    assert "Đã tiếp nhận" in body


def test_the_qr_link_prefills_the_code_but_shows_nothing_without_the_digits(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    body = Client().get(f"/tra-cuu/?ma={dossier.code}").content.decode()
    assert f'value="{dossier.code}"' in body
    assert "Nguyễn Văn Bé" not in body
    assert "Hồ sơ đã được tiếp nhận" not in body


@pytest.mark.parametrize("digits", ["0000", "456", "abcd", ""])
def test_wrong_digits_and_guessed_codes_get_the_same_answer(
    officer_b: User, psc_b: Unit, pc_a: Unit, digits: str
) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    wrong = Client().post("/tra-cuu/", {"ma": dossier.code, "so": digits})
    guessed = Client().post("/tra-cuu/", {"ma": f"{psc_b.eid_code}-260310-0002", "so": "4567"})
    assert wrong.status_code == guessed.status_code == 404
    assert "Nguyễn Văn Bé" not in wrong.content.decode()
    message = "Không tìm thấy hồ sơ với mã và 4 số cuối điện thoại này"
    assert message in wrong.content.decode()
    assert message in guessed.content.decode()


def test_repeated_guessing_is_stopped(officer_b: User, psc_b: Unit, pc_a: Unit) -> None:
    dossier = received(officer_b, at=psc_b, competent=pc_a)
    client = Client()
    for n in range(10):
        assert client.post("/tra-cuu/", {"ma": f"X-{n}", "so": "1234"}).status_code == 404
    blocked = client.post("/tra-cuu/", {"ma": dossier.code, "so": "4567"})
    assert blocked.status_code == 429
    assert "quá nhiều lần" in blocked.content.decode()
