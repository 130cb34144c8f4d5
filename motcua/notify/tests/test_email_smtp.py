"""E-mail notifications reach a real SMTP server (issue #6 item 5): a local aiosmtpd sink on a
free loopback port, Django's SMTP backend pointed at it, the outbox delivering. A gateway that is
down delays the message, never loses it: it stays in the outbox and goes out on retry, once."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from pytest_django.fixtures import Settings as SettingsWrapper

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.models import OutboxMessage
from motcua.dossiers.actions import do_receive_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import submitted
from motcua.exchange import outbox
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db
EMAIL = "nguyenthian@example.com"


@dataclass
class Sink:
    """What the SMTP server received: (envelope sender, recipients, parsed message)."""

    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def subject(mail: EmailMessage) -> str:
    """The decoded subject (RFC 2047). A long encoded subject is folded onto the next line;
    Python's parser keeps the fold's leading space, a mail client drops it."""
    return str(mail["Subject"]).strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_port(settings: SettingsWrapper) -> int:
    """Django's real SMTP backend, pointed at a loopback port (nothing listens yet)."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "dichvucong@cantho.gov.vn"
    settings.MOTCUA_OUTBOX_BACKOFF_BASE_S = 60
    return port


def start_sink(port: int) -> tuple[Sink, Controller]:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return sink, controller


@pytest.fixture
def sink(smtp_port: int) -> Iterator[Sink]:
    found, controller = start_sink(smtp_port)
    yield found
    controller.stop()


def received_dossier(officer: User, psc: Unit, pc: Unit) -> Dossier:
    dossier = submitted(officer, at=psc, competent=pc)
    dossier.applicant_email = EMAIL
    dossier.save(update_fields=["applicant_email"])
    do_receive_dossier(dossier, acting_user=officer, at_unit=psc)
    dossier.refresh_from_db()
    return dossier


def test_the_receipt_e_mail_arrives_in_vietnamese_at_the_applicant(
    sink: Sink, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        dossier = received_dossier(officer_a, psc_a, pc_a)
    message = OutboxMessage.objects.get(topic="email.send", key=dossier.code)
    assert sink.received == []  # queued with the receipt, not sent inside its transaction

    report = outbox.drain()
    assert report.delivered >= 1
    message.refresh_from_db()
    assert message.status == "delivered"
    assert len(sink.received) == 1
    sender, recipients, mail = sink.received[0]
    assert (sender, recipients) == ("dichvucong@cantho.gov.vn", [EMAIL])
    assert mail["To"] == EMAIL
    assert subject(mail) == f"Đã tiếp nhận hồ sơ {dossier.code}"
    # The idempotency key travels as the Message-ID, so a receiver can drop a duplicate; it
    # must survive a strict RFC 5322 parser (the key's colons become dots).
    strict = message_from_bytes(mail.as_bytes(), policy=policy.default)
    expected = "<" + message.idempotency_key.replace(":", ".") + "@motcua>"
    assert str(strict["Message-ID"]) == expected
    body = mail.get_content()
    assert f"{psc_a.name} đã tiếp nhận hồ sơ {dossier.code}" in body
    assert "Thời gian hẹn trả kết quả:" in body
    assert "/tra-cuu/?ma=" in body


def test_a_mail_server_that_is_down_delays_the_message_and_never_loses_it(
    smtp_port: int, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    start = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
    with time_machine.travel(start, tick=False) as clock:
        dossier = received_dossier(officer_a, psc_a, pc_a)
        message = OutboxMessage.objects.get(topic="email.send", key=dossier.code)

        # Nothing listens on the port: the attempt fails, the message waits for a retry.
        outbox.drain()
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("pending", 1)
        assert "email" in message.last_error or "Connection refused" in message.last_error
        assert message.next_attempt_at > start

        # The server comes back; before the retry is due nothing is sent, then exactly once.
        sink, controller = start_sink(smtp_port)
        try:
            outbox.drain()
            assert sink.received == []
            clock.move_to(message.next_attempt_at + timedelta(seconds=1))
            outbox.drain()
            outbox.drain()
        finally:
            controller.stop()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("delivered", 2)
    assert [subject(m) for _, _, m in sink.received] == [f"Đã tiếp nhận hồ sơ {dossier.code}"]
