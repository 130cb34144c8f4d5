"""Issue #14 item 3: the citizen's portal — a header leading everywhere, the notification bell,
a confirmation with a reference to track at once, delivery-specific messages, and rating as
soon as an online result is downloaded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.actions import (
    do_approve_dossier,
    do_forward_dossier,
    do_receive_dossier,
    do_submit_for_approval,
)
from motcua.dossiers.models import Dossier
from motcua.notify.models import Notification
from motcua.portal.tests.conftest import image_bytes
from motcua.portal.tests.test_apply import components, form_data, start_draft, upload
from motcua.portal.tracking import reference_of
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    cache.clear()
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield
    cache.clear()


def submit_online(citizen: User, pc: Unit, psc: Unit, delivery: str = "online") -> Client:
    client = logged_in(citizen)
    url = start_draft(client)
    files = {f"file_{c.pk}": upload(f"giay-{c.pk}.png", image_bytes()) for c in components()}
    response = client.post(
        url, {**form_data(pc, psc, result_delivery=delivery), "action": "submit", **files}
    )
    assert response.status_code == 302
    return client


def test_the_confirmation_gives_a_reference_that_tracks_before_receipt(
    citizen: User, pc_a: Unit, psc_a: Unit
) -> None:
    client = submit_online(citizen, pc_a, psc_a)
    dossier = Dossier.objects.get(citizen=citizen)
    assert dossier.code is None  # no officer has received it yet
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/da-nop/").content.decode()
    reference = reference_of(dossier)
    assert f'<p class="stat" data-reference>{reference}</p>' in page
    assert "tải kết quả điện tử" in page  # online delivery: the next steps say so
    tracked = Client().post("/tra-cuu/", {"ma": reference.lower(), "so": "4567"})
    body = tracked.content.decode()
    assert tracked.status_code == 200
    assert "Hồ sơ đã được đăng ký" in body
    assert reference in body
    wrong = Client().post("/tra-cuu/", {"ma": reference, "so": "0000"})
    assert wrong.status_code == 404


def test_another_citizen_cannot_open_the_confirmation(
    citizen: User, pc_a: Unit, psc_a: Unit
) -> None:
    submit_online(citizen, pc_a, psc_a)
    dossier = Dossier.objects.get(citizen=citizen)
    other = User.objects.create_user(
        username="congdan.khac", password="x-khong-dung-9", kind=User.Kind.CITIZEN
    )
    assert logged_in(other).get(f"/ho-so-cua-toi/{dossier.pk}/da-nop/").status_code == 404
    assert Client().get(f"/ho-so-cua-toi/{dossier.pk}/da-nop/").status_code == 302


def test_the_header_leads_everywhere_and_the_bell_counts_unread(
    citizen: User, officer_a: User, pc_a: Unit, psc_a: Unit
) -> None:
    anonymous = Client().get("/").content.decode()
    for href in ('href="/tra-cuu/"', 'href="/tro-giup/"'):
        assert href in anonymous
    client = submit_online(citizen, pc_a, psc_a)
    dossier = Dossier.objects.get(citizen=citizen)
    do_receive_dossier(dossier, acting_user=officer_a, at_unit=psc_a)  # notifies in-app
    unread = Notification.objects.filter(user=citizen, read_at__isnull=True).count()
    assert unread >= 1
    home = client.get("/").content.decode()
    assert 'href="/ho-so-cua-toi/"' in home
    assert 'href="/thong-bao/"' in home
    assert f'<span class="count" data-unread>{unread}</span>' in home
    listing = client.get("/thong-bao/").content.decode()
    note = Notification.objects.filter(user=citizen).first()
    assert note is not None
    assert note.title in listing
    assert f"/ho-so-cua-toi/{dossier.pk}/" in listing
    client.post("/thong-bao/da-doc/", {"id": str(note.pk)})
    note.refresh_from_db()
    assert note.read_at is not None
    client.post("/thong-bao/da-doc/")
    assert not Notification.objects.filter(user=citizen, read_at__isnull=True).exists()
    assert "data-unread" not in client.get("/").content.decode()


def test_a_citizen_cannot_mark_another_citizens_notification(citizen: User) -> None:
    other = User.objects.create_user(
        username="congdan.khac", password="x-khong-dung-9", kind=User.Kind.CITIZEN
    )
    note = Notification.objects.create(user=citizen, kind="received", title="T", body="B")
    assert logged_in(other).post("/thong-bao/da-doc/", {"id": str(note.pk)}).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    assert Client().get("/thong-bao/").status_code == 302


def _to_result(
    dossier: Dossier, officer_a: User, specialist_a: User, leader_a: User, psc_a: Unit
) -> None:
    do_receive_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    dossier.refresh_from_db()
    do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    dossier.refresh_from_db()
    do_submit_for_approval(dossier, acting_user=specialist_a, proposal="approved", opinion="Đủ")
    dossier.refresh_from_db()
    do_approve_dossier(dossier, acting_user=leader_a)
    dossier.refresh_from_db()


def test_downloading_an_online_result_returns_it_and_opens_the_rating(
    citizen: User,
    officer_a: User,
    specialist_a: User,
    leader_a: User,
    pc_a: Unit,
    psc_a: Unit,
) -> None:
    client = submit_online(citizen, pc_a, psc_a)
    dossier = Dossier.objects.get(citizen=citizen)
    _to_result(dossier, officer_a, specialist_a, leader_a, psc_a)
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Kết quả điện tử đã có" in page
    assert "Đánh giá việc giải quyết hồ sơ" not in page
    pdf = client.get(f"/ho-so-cua-toi/{dossier.pk}/ket-qua.pdf")
    assert pdf.content.startswith(b"%PDF")
    dossier.refresh_from_db()
    assert dossier.state == "returned"
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Đánh giá việc giải quyết hồ sơ" in page
    assert "Bạn đã nhận kết quả trực tuyến" in page
    assert client.get(f"/ho-so-cua-toi/{dossier.pk}/ket-qua.pdf").status_code == 200


def test_a_counter_delivery_says_where_to_collect_and_a_download_does_not_return_it(
    citizen: User,
    officer_a: User,
    specialist_a: User,
    leader_a: User,
    pc_a: Unit,
    psc_a: Unit,
) -> None:
    client = submit_online(citizen, pc_a, psc_a, delivery="counter")
    dossier = Dossier.objects.get(citizen=citizen)
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/da-nop/").content.decode()
    assert "bạn nhận tại" in page
    _to_result(dossier, officer_a, specialist_a, leader_a, psc_a)
    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert f"Mời bạn đến {dossier.return_unit.name} nhận kết quả" in page
    client.get(f"/ho-so-cua-toi/{dossier.pk}/ket-qua.pdf")
    dossier.refresh_from_db()
    assert dossier.state == "result_ready"


def test_the_help_page_is_public() -> None:
    page = Client().get("/tro-giup/")
    assert page.status_code == 200
    assert "Nộp hồ sơ trực tuyến" in page.content.decode()
