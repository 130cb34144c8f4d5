"""National document axis simulator over real HTTP (R-DOC-13, R-DOC-14)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from contracts import docaxis as c
from simulators.tests.conftest import SimProcess

SENDER, RECEIVER = "000.00.00.H13", "000.00.12.H13"


@pytest.fixture(scope="module")
def docaxis(sim_factory: Callable[[str, Path | None], SimProcess]) -> SimProcess:
    return sim_factory("docaxis", None)


def package(sender: str, to: str) -> str:
    ns = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
    return (
        f'<edXML:edXMLEnvelope xmlns:edXML="{ns}"><edXML:edXMLHeader><edXML:MessageHeader>'
        f"<edXML:From><edXML:OrganId>{sender}</edXML:OrganId></edXML:From>"
        f"<edXML:To><edXML:OrganId>{to}</edXML:OrganId></edXML:To>"
        "</edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope>"
    )


def test_a_package_reaches_its_addressee_once_and_statuses_come_back(
    docaxis: SimProcess,
) -> None:
    """R-DOC-13: addressed by agency codes; a repeated key delivers nothing twice; R-DOC-14:
    the receiver's status reaches the sender."""
    body = {
        "sender": SENDER,
        "to": [RECEIVER],
        "document_id": "doc-1",
        "package": package(SENDER, RECEIVER),
        "idempotency_key": "docaxis:doc-1:0",
    }
    with docaxis.client() as client:
        first = c.SendResponse.model_validate(client.post(c.SEND_PATH, json=body).json())
        again = c.SendResponse.model_validate(client.post(c.SEND_PATH, json=body).json())
        inbox = client.get(c.INBOX_PATH, params={"organ_id": RECEIVER}).json()["items"]
        other = client.get(c.INBOX_PATH, params={"organ_id": SENDER}).json()["items"]
        acked = client.post(
            c.ACK_PATH.format(package_id=first.package_id), json={"organ_id": RECEIVER}
        ).json()
        after = client.get(c.INBOX_PATH, params={"organ_id": RECEIVER}).json()["items"]
        status = {"organ_id": RECEIVER, "to": SENDER, "document_id": "doc-1", "code": "01"}
        assert client.post(c.STATUS_PATH, json=status).json()["error_code"] == c.ERR_OK
        seen = client.get(c.STATUS_PATH, params={"organ_id": SENDER}).json()["items"]
    assert first.error_code == c.ERR_OK
    assert again.package_id == first.package_id
    assert [item["document_id"] for item in inbox] == ["doc-1"]
    assert other == []
    assert acked["error_code"] == c.ERR_OK
    assert after == []
    assert [(s["organ_id"], s["code"]) for s in seen] == [(RECEIVER, "01")]


def test_a_misaddressed_or_broken_package_is_refused(docaxis: SimProcess) -> None:
    body = {"sender": SENDER, "to": ["000.00.99.H13"], "document_id": "doc-2",
            "package": package(SENDER, RECEIVER)}  # fmt: skip
    with docaxis.client() as client:
        wrong = client.post(c.SEND_PATH, json=body).json()
        broken = client.post(c.SEND_PATH, json={**body, "package": "<not xml"}).json()
    with docaxis.client(key="") as anonymous:
        refused = anonymous.post(c.SEND_PATH, json=body)
    assert wrong["error_code"] == c.ERR_INVALID_PACKAGE
    assert broken["error_code"] == c.ERR_INVALID_PACKAGE
    assert refused.status_code == 401
