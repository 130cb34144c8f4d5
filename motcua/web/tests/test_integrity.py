"""``motcua check_integrity`` passes on a sound database and reports each property broken on
purpose: codes, sequences, trails, outbox, signatures (issue #12 part 8)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.models import OutboxMessage
from motcua.documents.models import SignedDocument
from motcua.dossiers.models import Dossier, DossierEvent, DossierSequence
from motcua.dossiers.results import issue_signed_result
from motcua.dossiers.tests.factories import received_in_one_step
from motcua.dossiers.tests.test_results import approved
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


@dataclass
class Population:
    decided: Dossier
    plain: Dossier
    document: SignedDocument


@pytest.fixture
def population(
    officer_a: User, specialist_a: User, leader_a: User, psc_a: Unit, pc_a: Unit
) -> Population:
    decided = approved(officer_a, specialist_a, leader_a, psc_a, pc_a)
    document = SignedDocument.objects.filter(reference=decided.code).first() or (
        issue_signed_result(decided)
    )
    plain = received_in_one_step(officer_a, at=psc_a, competent=pc_a)
    received_in_one_step(officer_a, at=psc_a, competent=pc_a)
    decided.refresh_from_db()
    plain.refresh_from_db()
    return Population(decided, plain, document)


def run() -> tuple[str, str | None]:
    out = StringIO()
    try:
        call_command("check_integrity", stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), None


def findings(output: str, check: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"[{check}] ")]


def test_a_sound_database_passes(population: Population) -> None:
    output, error = run()
    assert error is None, output
    assert "integrity OK" in output
    assert "dossiers=3" in output
    assert "signed_documents=1" in output
    for name in ("codes", "sequences", "trails", "outbox", "signatures"):
        assert f"{name}: OK" in output


def test_a_malformed_code_and_a_received_dossier_without_a_code_are_reported(
    population: Population,
) -> None:
    Dossier.objects.filter(pk=population.plain.pk).update(code="NOT-A-CODE")
    Dossier.objects.filter(pk=population.decided.pk).update(code=None)
    output, error = run()
    assert error is not None
    assert "codes (2)" in error
    lines = findings(output, "codes")
    assert any(line.startswith("[codes] NOT-A-CODE: sai định dạng") for line in lines), lines
    assert any("không có mã hồ sơ" in line for line in lines), lines
    # The numbers they held are now gaps in their counter (R-ID-11).
    assert any("missing numbers" in line for line in findings(output, "sequences")), output


def test_a_gap_and_a_number_beyond_the_counter_are_reported(population: Population) -> None:
    counter = DossierSequence.objects.get()
    DossierSequence.objects.filter(pk=counter.pk).update(last=counter.last + 2)
    output, error = run()
    assert error is not None
    assert "sequences (1)" in error
    (line,) = findings(output, "sequences")
    assert f"missing numbers {counter.last + 1:04d}, {counter.last + 2:04d}" in line
    assert str(counter.day) in line

    DossierSequence.objects.filter(pk=counter.pk).update(last=counter.last - 1)
    output, _ = run()
    (line,) = findings(output, "sequences")
    assert f"numbers {counter.last:04d} beyond the counter {counter.last - 1}" in line


def add_event(dossier: Dossier, seq: int, from_state: str, to_state: str) -> None:
    """Events are immutable (a trigger refuses UPDATE and DELETE): corruption is an insert."""
    last = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert last is not None
    DossierEvent.objects.create(
        dossier=dossier,
        seq=seq,
        kind="dossier:state:forged",
        from_state=from_state,
        to_state=to_state,
        at=last.at,
    )


def test_a_broken_trail_is_reported(population: Population) -> None:
    decided, plain = population.decided, population.plain
    n = DossierEvent.objects.filter(dossier=decided).count()
    add_event(decided, n + 2, "received", "returned")  # a gap, and a chain that does not hold
    Dossier.objects.filter(pk=plain.pk).update(state="returned")  # state without its event
    orphan = Dossier.objects.get(pk=plain.pk)
    orphan.pk, orphan.code, orphan.received_on = None, None, None
    orphan.id = uuid.uuid4()
    orphan.save(force_insert=True)  # a dossier without any event

    output, error = run()
    assert error is not None
    assert "trails (5)" in error, output
    lines = findings(output, "trails")
    assert f"[trails] {decided.code}: số thứ tự sự kiện không liên tục (thiếu [{n + 1}])" in (
        " / ".join(lines)
    ), lines
    assert any(
        line.startswith(f"[trails] {decided.code}:")
        and f"event {n + 2} starts from received but the dossier was in result_ready" in line
        for line in lines
    ), lines
    assert any(
        line.startswith(f"[trails] {plain.code}:")
        and "state returned does not match the last state event (received)" in line
        for line in lines
    ), lines
    assert f"[trails] dossier {orphan.pk}: không có sự kiện nào / has no events" in lines


def test_a_message_stuck_beyond_its_retries_is_reported(population: Population) -> None:
    message = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).first()
    assert message is not None
    limit = settings.MOTCUA_OUTBOX_MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=limit)
    output, error = run()
    assert error is not None
    assert "outbox (1)" in error
    (line,) = findings(output, "outbox")
    assert f"message {message.pk} ({message.topic} {message.key})" in line
    assert f"after {limit} attempts" in line

    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.DEAD)
    output, error = run()
    assert error is None, output  # a dead letter waits for an operator: not a failure
    assert "dead_letters=1" in output


def test_a_tampered_signed_result_is_reported(population: Population) -> None:
    document = population.document
    with document.file.open("rb") as handle:
        pdf = bytearray(handle.read())
    position = pdf.index(b"/Type /Page") if b"/Type /Page" in pdf else len(pdf) // 3
    pdf[position + 1 : position + 5] = b"TYPE"
    with open(document.file.path, "wb") as handle:
        handle.write(bytes(pdf))
    output, error = run()
    assert error is not None
    assert "signatures (2)" in error
    digest, signature = findings(output, "signatures")
    assert document.reference in digest
    assert "SHA-256" in digest
    assert document.reference in signature
    assert "signature does not verify" in signature

    document.file.storage.delete(document.file.name)
    output, _ = run()
    assert "thiếu tệp / file missing" in output
