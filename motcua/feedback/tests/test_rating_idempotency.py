"""Issue #12 item 6: a rating retried with the same key (API header, the rating page's hidden
field) answers the rating recorded first and writes nothing new; R-SAT-01 still refuses a second
rating under another key."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from motcua.core.models import IdempotencyRecord
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Rating
from motcua.feedback.tests.test_ratings import returned, tuesday_morning
from motcua.feedback.tokens import make_token

pytestmark = pytest.mark.django_db
__all__ = ["returned", "tuesday_morning"]  # fixtures shared with test_ratings
KEY = "kiosk-7-20260310-0001"


def rate(token: str, score: int, key: str | None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return Client().post(
        "/api/v1/feedback/ratings",
        {"token": token, "score": score, "comment": "Nhanh"},
        content_type="application/json",
        headers=headers,
    )


def test_an_api_retry_with_the_same_key_answers_the_first_rating(returned: Dossier) -> None:
    token = make_token(returned, "counter_qr")
    first = rate(token, 5, KEY)
    assert first.status_code == 201, first.content
    again = rate(token, 5, KEY)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert Rating.objects.filter(dossier=returned).count() == 1
    assert IdempotencyRecord.objects.filter(key=KEY, scope="feedback.rate").count() == 1
    # R-SAT-01 still holds: another key (or none) is a second rating, refused.
    assert rate(token, 5, "kiosk-7-20260310-0002").status_code == 409
    assert rate(token, 5, None).status_code == 409
    assert Rating.objects.filter(dossier=returned).count() == 1


def test_the_same_key_with_another_score_is_refused(returned: Dossier) -> None:
    token = make_token(returned, "counter_qr")
    assert rate(token, 5, KEY).status_code == 201
    other = rate(token, 1, KEY)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Rating.objects.get(dossier=returned).score == 5


def test_the_rating_page_resent_shows_the_thanks_again(returned: Dossier) -> None:
    path = f"/danh-gia/{make_token(returned, 'sms')}/"
    client = Client()
    page = client.get(path).content.decode()
    found = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page)
    assert found is not None, page[-1500:]
    form = {"score": "4", "comment": "Tốt", "idempotency_key": found.group(1)}
    first = client.post(path, form)
    assert "Cảm ơn bạn đã đánh giá" in first.content.decode()
    resent = client.post(path, form)  # a double click, or the browser's "resend"
    assert resent.status_code == 200
    assert "Cảm ơn bạn đã đánh giá" in resent.content.decode()
    assert Rating.objects.filter(dossier=returned).count() == 1
    # A new showing of the form (a new key) is a second rating: refused as before.
    assert client.post(path, {"score": "4", "idempotency_key": "f" * 32}).status_code == 409
