"""Satisfaction ratings (R-SAT-01, Decision 766 R-IDX-04): one per dossier, once returned, from
the portal, the SMS link or the counter QR, without logging in for the signed links."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.catalog.models import Procedure
from motcua.core.clock import LOCAL_TZ
from motcua.dossiers.actions import (
    Applicant,
    ComponentInput,
    Filing,
    do_approve_dossier,
    do_create_dossier,
    do_forward_dossier,
    do_receive_dossier,
    do_return_result,
    do_submit_for_approval,
)
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Rating
from motcua.feedback.tokens import make_token, rating_url, read_token


@pytest.fixture
def tuesday_morning() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=LOCAL_TZ), tick=False):
        yield


def online_dossier(citizen: User, psc: Unit, pc: Unit) -> Dossier:
    return do_create_dossier(
        Filing(
            procedure_code="1.001193",
            receiving_unit=psc,
            competent_unit=pc,
            channel="online",
            citizen=citizen,
            components=tuple(
                [
                    ComponentInput(c.pk, pages=1, source="upload")
                    for c in Procedure.objects.get(
                        province_id=92, code_national="1.001193"
                    ).current.components.filter(is_note=False)  # type: ignore[union-attr]
                ]
            ),
            applicant=Applicant(
                kind="person", name="Nguyễn Thị An", id_number="092190000001", phone="0901234567"
            ),
        ),
        acting_user=citizen,
    )


@pytest.fixture
def returned(
    tuesday_morning: None,
    citizen: User,
    officer_a: User,
    specialist_a: User,
    leader_a: User,
    psc_a: Unit,
    pc_a: Unit,
) -> Dossier:
    dossier = online_dossier(citizen, psc_a, pc_a)
    do_receive_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    do_submit_for_approval(dossier, acting_user=specialist_a, proposal="approved", opinion="Đủ")
    do_approve_dossier(dossier, acting_user=leader_a)
    do_return_result(dossier, acting_user=officer_a, at_unit=psc_a)
    dossier.refresh_from_db()
    assert dossier.state == "returned"
    return dossier


def test_the_sms_link_rates_a_returned_dossier_once_without_login(returned: Dossier) -> None:
    """GIVEN a returned dossier WHEN the applicant opens the SMS link and rates it THEN one
    rating is stored with channel sms; a second attempt is refused (R-SAT-01)."""
    url = rating_url(returned, "sms")
    path = url.split("127.0.0.1:8000", 1)[-1] if "127.0.0.1:8000" in url else url
    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    assert "Bạn hài lòng thế nào" in page.content.decode()
    done = client.post(path, {"score": "2", "comment": "Chờ lâu"})
    assert "Cảm ơn bạn đã đánh giá" in done.content.decode()
    rating = Rating.objects.get(dossier=returned)
    assert (rating.score, rating.satisfied, rating.channel) == (2, False, "sms")
    again = client.post(path, {"score": "5"})
    assert again.status_code == 409
    assert "Hồ sơ này đã được đánh giá" in again.content.decode()
    assert Rating.objects.get(dossier=returned).score == 2


def test_the_api_takes_the_qr_token(returned: Dossier) -> None:
    token = make_token(returned, "counter_qr")
    response = Client().post(
        "/api/v1/feedback/ratings",
        {"token": token, "score": 5, "comment": "Nhanh, chu đáo"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["score"], body["satisfied"], body["channel"]) == (5, True, "counter_qr")
    assert body["dossier_code"] == returned.code
    second = Client().post(
        "/api/v1/feedback/ratings",
        {"token": token, "score": 1},
        content_type="application/json",
    )
    assert second.status_code == 409
    assert second.json()["code"] == "rating_refused"
    assert "đã được đánh giá" in second.json()["message"]


def test_a_dossier_not_yet_returned_cannot_be_rated(
    tuesday_morning: None, citizen: User, psc_a: Unit, pc_a: Unit
) -> None:
    dossier = online_dossier(citizen, psc_a, pc_a)
    response = Client().post(
        "/api/v1/feedback/ratings",
        {"token": make_token(dossier, "sms"), "score": 4},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "chưa trả kết quả" in response.json()["message"]
    page = Client().get(f"/danh-gia/{make_token(dossier, 'sms')}/")
    assert page.status_code == 409
    assert not Rating.objects.exists()


def test_forged_altered_or_expired_tokens_are_refused(returned: Dossier) -> None:
    token = make_token(returned, "sms")
    forged = signing.dumps({"d": str(returned.pk), "c": "sms"}, salt="another-salt")
    for bad in (forged, token[:-2] + "xx", "khong-phai-token"):
        response = Client().post(
            "/api/v1/feedback/ratings", {"token": bad, "score": 4}, content_type="application/json"
        )
        assert response.status_code == 404
        assert "Đường dẫn đánh giá không hợp lệ" in response.json()["message"]
    assert read_token(token).channel == "sms"
    with time_machine.travel(datetime(2027, 3, 10, 9, 0, tzinfo=LOCAL_TZ) + timedelta(days=1)):
        page = Client().get(f"/danh-gia/{token}/")
        assert page.status_code == 404
        assert "đã hết hạn" in page.content.decode()


def test_the_score_must_be_chosen(returned: Dossier) -> None:
    path = f"/danh-gia/{make_token(returned, 'sms')}/"
    response = Client().post(path, {"comment": "Không chọn mức"})
    assert response.status_code == 422
    assert "Hãy chọn một mức độ hài lòng." in response.content.decode()
    bad = Client().post(
        "/api/v1/feedback/ratings",
        {"token": make_token(returned, "sms"), "score": 9},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_the_citizen_rates_from_my_dossiers(returned: Dossier, citizen: User) -> None:
    client = logged_in(citizen)
    page = client.get(f"/ho-so-cua-toi/{returned.pk}/").content.decode()
    assert "Đã trả kết quả" in page
    assert "Đánh giá việc giải quyết hồ sơ" in page
    token = page.split("/danh-gia/", 1)[1].split("/", 1)[0]
    client.post(f"/danh-gia/{token}/", {"score": "4"})
    assert Rating.objects.get(dossier=returned).channel == "portal"
    after = client.get(f"/ho-so-cua-toi/{returned.pk}/").content.decode()
    assert "Bạn đã đánh giá: Hài lòng" in after
