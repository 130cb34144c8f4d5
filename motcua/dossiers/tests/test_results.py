"""The signed electronic result of a dossier: issued after the leader's decision, signed by the
competent unit, kept in the citizen's store, exported by the operator command (R-RES-03/05)."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.documents import ca, signing
from motcua.documents.models import DocumentKind, SignedDocument
from motcua.documents.selectors import documents_of_citizen
from motcua.documents.tests.pdftools import text_of
from motcua.dossiers.actions import (
    do_approve_dossier,
    do_forward_dossier,
    do_refuse_after_appraisal,
    do_return_result,
    do_submit_for_approval,
)
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import Dossier
from motcua.dossiers.results import issue_signed_result, signed_result_of
from motcua.dossiers.tests.factories import CITIZEN_ID, received
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def approved(officer: User, specialist: User, leader: User, psc: Unit, pc: Unit) -> Dossier:
    dossier = received(officer, at=psc, competent=pc)
    do_forward_dossier(dossier, acting_user=officer, at_unit=psc)
    do_submit_for_approval(dossier, acting_user=specialist, proposal="approved", opinion="Đủ")
    do_approve_dossier(dossier, acting_user=leader)
    return dossier


def pdfsig(path: Path) -> str:
    run = subprocess.run(
        ["/usr/bin/pdfsig", str(path)], capture_output=True, text=True, check=False
    )
    return run.stdout


def test_an_approved_dossier_gets_a_result_signed_by_the_competent_unit(
    officer_a: User, specialist_a: User, leader_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """GIVEN a birth registration approved by the leader of commune A WHEN its result is issued
    THEN it is a PDF signed by commune A's People's Committee, stored under the applicant's ID
    for reuse, with the dossier code and the procedure's result in real text (R-RES-03/05)."""
    dossier = approved(officer_a, specialist_a, leader_a, psc_a, pc_a)
    document = issue_signed_result(dossier)
    assert document.kind == DocumentKind.RESULT
    assert document.owner_unit == pc_a
    assert document.reference == dossier.code
    assert document.subject_id_number == CITIZEN_ID
    pdf = document.file.read()
    check = signing.validate_pdf(pdf, ca.ensure_root_ca()[1])
    assert check.ok
    assert pc_a.name in check.signer
    text = text_of(pdf)
    assert dossier.code in text
    assert "Nguyễn Văn Bé" in text
    assert dossier.procedure_version.name.split()[0] in text
    assert list(documents_of_citizen(CITIZEN_ID)) == [document]
    assert signed_result_of(dossier) == document
    assert issue_signed_result(dossier) == document  # idempotent


def test_a_refusal_is_signed_as_a_refusal_with_its_reason(
    officer_a: User, specialist_a: User, leader_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    dossier = received(officer_a, at=psc_a, competent=pc_a)
    do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    do_refuse_after_appraisal(
        dossier, acting_user=leader_a, reason="Người yêu cầu không cư trú trên địa bàn"
    )
    document = issue_signed_result(dossier)
    assert document.kind == DocumentKind.REFUSAL
    assert "không cư trú trên địa bàn" in text_of(document.file.read())
    assert list(documents_of_citizen(CITIZEN_ID)) == []  # a refusal is nothing to reuse


def test_no_result_is_signed_before_the_decision(officer_a: User, psc_a: Unit, pc_a: Unit) -> None:
    dossier = received(officer_a, at=psc_a, competent=pc_a)
    with pytest.raises(RuleViolation):
        issue_signed_result(dossier)
    assert not SignedDocument.objects.exists()


def test_the_operator_commands_list_returned_dossiers_and_export_their_results(
    officer_a: User,
    specialist_a: User,
    leader_a: User,
    psc_a: Unit,
    pc_a: Unit,
    tmp_path: Path,
) -> None:
    returned = []
    for _ in range(3):
        dossier = approved(officer_a, specialist_a, leader_a, psc_a, pc_a)
        do_return_result(dossier, acting_user=officer_a, at_unit=psc_a)
        returned.append(dossier)
    approved(officer_a, specialist_a, leader_a, psc_a, pc_a)  # result ready, not returned
    out = StringIO()
    call_command("dossier", "list", "--state", "returned", "--limit", "2", stdout=out)
    codes = out.getvalue().split()
    assert len(codes) == 2
    assert set(codes) <= {d.code for d in returned}

    target = tmp_path / "kq" / "result.pdf"
    call_command("result", "export", codes[0], str(target), stdout=StringIO())
    document = SignedDocument.objects.get(reference=codes[0])
    assert target.read_bytes() == document.file.open("rb").read()
    report = pdfsig(target)
    assert "Signature is Valid." in report
    assert "Total document signed" in report

    with pytest.raises(CommandError):
        call_command("result", "export", "000.00.00.H00-000000-0000", str(target))


def test_approval_signs_the_result_in_the_same_step_and_both_sides_can_download_it(
    officer_a: User, specialist_a: User, leader_a: User, citizen: User, psc_a: Unit, pc_a: Unit
) -> None:
    """GIVEN a dossier of a logged-in citizen WHEN the leader approves THEN the signed result
    exists at once, the counter and the citizen download the same bytes, and another commune
    cannot (R-RES-03)."""
    from conftest import logged_in

    dossier = received(officer_a, at=psc_a, competent=pc_a)
    dossier.citizen = citizen
    dossier.save(update_fields=["citizen"])
    do_forward_dossier(dossier, acting_user=officer_a, at_unit=psc_a)
    do_submit_for_approval(dossier, acting_user=specialist_a, proposal="approved", opinion="Đủ")
    do_approve_dossier(dossier, acting_user=leader_a)
    document = signed_result_of(dossier)
    desk = logged_in(officer_a).get(f"/desk/dossiers/{dossier.pk}/result.pdf")
    mine = logged_in(citizen).get(f"/ho-so-cua-toi/{dossier.pk}/ket-qua.pdf")
    assert desk.status_code == mine.status_code == 200
    desk_bytes = desk.getvalue()
    assert desk_bytes == mine.getvalue()
    assert hashlib.sha256(desk_bytes).hexdigest() == document.sha256
    other = User.objects.get(username="motcua.caikhe")
    assert logged_in(other).get(f"/desk/dossiers/{dossier.pk}/result.pdf").status_code == 404
