"""The rating link reaches the applicant (R-SAT-01): the SMS (and the in-app notice) sent when
the result is returned carries the signed link; opened from the SMS it shows the rating page and
records one rating, channel "sms". The public tracking page offers the link too, until used."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.test import Client

from motcua.core.models import OutboxMessage
from motcua.dossiers.models import Dossier
from motcua.exchange import outbox
from motcua.feedback.models import Rating
from motcua.feedback.tests.test_ratings import returned, tuesday_morning
from motcua.notify.models import Notification

if TYPE_CHECKING:
    from motcua.exchange.tests.sims import National

pytestmark = pytest.mark.django_db
pytest_plugins = ["motcua.exchange.tests.sims"]  # the `national` fixture
__all__ = ["returned", "tuesday_morning"]  # fixtures shared with test_ratings
LINK = re.compile(r"https?://\S+/danh-gia/\S+/")


def test_the_link_in_the_returned_sms_opens_the_rating_page_and_rates_once(
    national: National, returned: Dossier
) -> None:
    sms = national.use("sms")
    national.use("portal")
    queued = OutboxMessage.objects.get(topic="sms.send", payload__kind="returned")
    assert LINK.search(queued.payload["text"])

    outbox.drain()
    sent = sms.get("/_sim/messages", phone=returned.applicant_phone)
    texts = [m["text"] for m in (sent["messages"] if isinstance(sent, dict) else sent)]
    last = [t for t in texts if "da tra ket qua" in t]
    assert len(last) == 1, texts
    assert returned.code is not None
    assert returned.code in last[0]
    found = LINK.search(last[0])
    assert found is not None, last[0]
    path = urlsplit(found.group(0)).path

    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    assert "Bạn hài lòng thế nào" in page.content.decode()
    assert returned.code in page.content.decode()
    done = client.post(path, {"score": "4", "comment": "Nhanh"})
    assert "Cảm ơn bạn đã đánh giá" in done.content.decode()
    again = client.post(path, {"score": "1"})
    assert again.status_code == 409
    rating = Rating.objects.get(dossier=returned)
    assert (rating.score, rating.channel, rating.satisfied) == (4, "sms", True)
    assert Rating.objects.filter(dossier=returned).count() == 1


def test_the_in_app_copy_carries_the_rating_link_too(returned: Dossier) -> None:
    notice = Notification.objects.get(kind="returned", dossier_code=returned.code)
    found = LINK.search(notice.body)
    assert found is not None, notice.body
    assert "Đánh giá tại:" in notice.body
    assert Client().get(urlsplit(found.group(0)).path).status_code == 200


def test_the_tracking_page_offers_the_rating_link_until_it_is_used(returned: Dossier) -> None:
    client = Client()
    digits = returned.applicant_phone[-4:]
    page = client.post("/tra-cuu/", {"ma": returned.code, "so": digits}).content.decode()
    found = re.search(r'href="(/danh-gia/[^"]+/)"', page)
    assert found is not None, page[-2000:]
    assert "Đánh giá mức độ hài lòng" in page
    client.post(found.group(1), {"score": "5"})
    rating = Rating.objects.get(dossier=returned)
    assert (rating.score, rating.channel) == (5, "portal")
    page = client.post("/tra-cuu/", {"ma": returned.code, "so": digits}).content.decode()
    assert "/danh-gia/" not in page
