"""The officer's side: queues of the units they handle, the petition page with the answer form,
and denials (other communes, the counter officer of the centre, citizens)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.petitions.tests.conftest import file, local

pytestmark = pytest.mark.django_db


def test_queues_answer_form_and_answer(
    traveller: Any, pc_a: Unit, pc_b: Unit, specialist_a: User
) -> None:
    fresh = file(pc_a)
    traveller.move_to(local(3, 13))
    soon = file(pc_a)  # filed 13/3, due 27/3
    late = file(pc_b)  # commune B: never in A's queues
    traveller.move_to(local(3, 26))  # fresh is overdue (24/3); soon is due the next working day
    client = logged_in(specialist_a)
    overdue = client.get("/desk/petitions/?queue=overdue").content.decode()
    assert fresh.code in overdue
    assert soon.code not in overdue
    assert late.code not in overdue
    due_soon = client.get("/desk/petitions/?queue=due_soon").content.decode()
    assert soon.code in due_soon
    assert fresh.code not in due_soon
    page = client.get(f"/desk/petitions/{fresh.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Trả lời phản ánh, kiến nghị" in html
    assert "Quá hạn" in html
    assert "0901234567" in html  # the handling unit sees the contact to answer
    act = f"/desk/petitions/{fresh.code}/act/"
    assert client.post(act + "accept/").status_code == 302
    short = client.post(act + "answer/", {"answer": "Ngắn"}, follow=True).content.decode()
    assert "ít nhất 10 ký tự" in short
    client.post(act + "answer/", {"answer": "Đơn vị đã xử lý và trả kết quả cho công dân."})
    fresh.refresh_from_db()
    assert (fresh.state, fresh.answered_by) == ("answered", specialist_a)
    answered = client.get("/desk/petitions/?queue=answered").content.decode()
    assert fresh.code in answered
    detail = client.get(f"/desk/petitions/{fresh.code}/").content.decode()
    assert "Gửi trả lời" not in detail  # no form once answered
    assert "Đơn vị đã xử lý và trả kết quả cho công dân." in detail


@pytest.mark.parametrize("who", ["officer_b", "officer_a", "citizen"])
def test_others_cannot_see_or_act(traveller: Any, pc_a: Unit, who: str, request: Any) -> None:
    petition = file(pc_a)
    user: User = request.getfixturevalue(who)
    client = logged_in(user)
    assert client.get(f"/desk/petitions/{petition.code}/").status_code == 404
    act = f"/desk/petitions/{petition.code}/act/answer/"
    assert client.post(act, {"answer": "Trả lời không có quyền."}).status_code == 404
    listing = client.get("/desk/petitions/?queue=all")
    assert petition.code not in listing.content.decode()
    petition.refresh_from_db()
    assert petition.state == "received"


def test_not_competent_from_the_desk(traveller: Any, pc_a: Unit, leader_a: User) -> None:
    petition = file(pc_a)
    client = logged_in(leader_a, verified=True)
    url = f"/desk/petitions/{petition.code}/act/not-competent/"
    client.post(url, {"reason": "Thuộc thẩm quyền Công an", "forwarded_to": "Công an phường"})
    petition.refresh_from_db()
    assert (petition.state, petition.forwarded_to) == ("not_competent", "Công an phường")


def test_counter_intake_from_the_desk(traveller: Any, pc_a: Unit, officer_a: User) -> None:
    from motcua.petitions.models import Petition

    client = logged_in(officer_a)
    form = client.get("/desk/petitions/new/").content.decode()
    assert str(pc_a.pk) in form
    data = {
        "channel": "counter",
        "kind": "kien_nghi",
        "unit": str(pc_a.pk),
        "subject": "Đề nghị mở thêm quầy",
        "content": "Đề nghị mở thêm một quầy tiếp nhận vào sáng thứ Hai.",
        "name": "Phan Thị Thu",
        "phone": "",
    }
    refused = client.post("/desk/petitions/new/", data)
    assert refused.status_code == 422
    assert "Hãy nhập số điện thoại" in refused.content.decode()
    assert client.post("/desk/petitions/new/", {**data, "phone": "0934567890"}).status_code == 302
    petition = Petition.objects.get()
    assert (petition.channel, petition.unit, petition.kind) == ("counter", pc_a, "kien_nghi")
