"""SMS simulator over real HTTP."""

from __future__ import annotations

from contracts.sms import SEND_PATH, SendResponse, segment_count
from simulators.tests.conftest import SimProcess


def test_send_is_stored_once_per_idempotency_key(sms: SimProcess) -> None:
    text = "Hồ sơ 000.00.01.H26-250801-0001 đã có kết quả. Mời ông/bà đến nhận."
    body = {"phone": "+84912345678", "text": text, "idempotency_key": "notify-1"}
    with sms.client() as client:
        first = SendResponse.model_validate_json(client.post(SEND_PATH, json=body).content)
        again = SendResponse.model_validate_json(client.post(SEND_PATH, json=body).content)
        stored = client.get("/_sim/messages", params={"phone": "0912345678"}).json()
    assert first.error_code == "0"
    assert again.message_id == first.message_id
    assert [m["text"] for m in stored] == [text]
    assert stored[0]["segments"] == 1


def test_invalid_phone_and_missing_key(sms: SimProcess) -> None:
    with sms.client() as client:
        bad = client.post(SEND_PATH, json={"phone": "0000000000", "text": "x"}).json()
    with sms.client(key="") as anonymous:
        refused = anonymous.post(SEND_PATH, json={"phone": "0912345678", "text": "x"})
    assert bad["error_code"] == "-1"
    assert refused.status_code == 401


def test_segments_count_unicode_as_ucs2() -> None:
    assert segment_count("a" * 160) == 1
    assert segment_count("ă" * 70) == 1
    assert segment_count("ă" * 71) == 2
