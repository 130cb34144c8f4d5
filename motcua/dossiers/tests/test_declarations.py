"""Declarations (tờ khai) as data, from submission to the signed result (issue #14 item 2).

For each procedure of ``catalog/data/declarations.json`` the declared values go through the real
actions (register, receive, forward, propose, approve: the approval signs the result) and come
out in the text of the signed PDF, whose signature poppler's ``pdfsig`` verifies."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import time_machine

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit, UnitKind
from motcua.catalog.declaration import (
    Declaration,
    FieldType,
    clean_values,
    declaration_of,
    labelled_values,
    load_declarations,
)
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.errors import ValidationFailed
from motcua.documents.tests.pdftools import page_texts
from motcua.dossiers.actions import (
    Applicant,
    Filing,
    do_approve_dossier,
    do_create_dossier,
    do_forward_dossier,
    do_receive_dossier,
    do_submit_for_approval,
)
from motcua.dossiers.actions.core import time_limit
from motcua.dossiers.models import Dossier
from motcua.dossiers.results import signed_result_of
from motcua.dossiers.tests.factories import CITIZEN_ID, all_components
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db

CAN_THO = 92
DECLARED = load_declarations()


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def sample(form: Declaration) -> dict[str, str]:
    """A valid value for every field, each text distinct so the PDF check can fail."""
    values = {}
    for n, f in enumerate(form.fields):
        values[f.name] = {
            FieldType.DATE: "2025-06-01",
            FieldType.CHOICE: f.choices[0].value if f.choices else "",
            FieldType.ID_NUMBER: CITIZEN_ID,
            FieldType.PHONE: "0901234567",
            FieldType.NUMBER: str(n + 2),
        }.get(f.type, f"Mục {n} Đông Ánh")
    return values


def version_of(code: str) -> ProcedureVersion:
    version = Procedure.objects.get(province_id=CAN_THO, code_national=code).current
    assert version is not None
    return version


def units_for(version: ProcedureVersion, psc_a: Unit) -> tuple[Unit, Unit]:
    """(receiving centre, competent unit): the commune of Ninh Kiều when the procedure is
    handled there, else the provincial centre and a provincial unit (R-ORG-05)."""
    units = list(version.implementing_units.all())
    local = [u for u in units if u.commune_id == psc_a.commune_id]
    if local:
        return psc_a, local[0]
    provincial = next(u for u in units if u.commune_id is None)
    return Unit.objects.filter(kind=UnitKind.PROVINCIAL_PSC).first() or psc_a, provincial


def grant(user: User, unit: Unit, role: str) -> None:
    RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)


def walk(
    code: str, values: dict[str, str], officer: User, specialist: User, leader: User, psc: Unit
) -> Dossier:
    version = version_of(code)
    receiving, competent = units_for(version, psc)
    grant(officer, receiving, Role.ONE_STOP_OFFICER)
    grant(specialist, competent, Role.SPECIALIST)
    grant(leader, competent, Role.UNIT_LEADER)
    dossier = do_create_dossier(
        Filing(
            procedure_code=code,
            receiving_unit=receiving,
            competent_unit=competent,
            channel="counter",
            components=tuple(all_components(code)),
            declaration=values,
            applicant=Applicant(
                kind="person", name="Lê Thị Khai", id_number=CITIZEN_ID, phone="0901234567"
            ),
        ),
        acting_user=officer,
    )
    # A procedure that publishes no time limit needs the appointment the officer sets.
    appointment = None if time_limit(version) else datetime(2026, 3, 20, 9, 0, tzinfo=TZ)
    do_receive_dossier(dossier, acting_user=officer, at_unit=receiving, appointment_at=appointment)
    dossier.refresh_from_db()
    do_forward_dossier(dossier, acting_user=officer, at_unit=receiving)
    do_submit_for_approval(dossier, acting_user=specialist, proposal="approved", opinion="Đủ")
    do_approve_dossier(dossier, acting_user=leader)
    return dossier


def test_the_data_file_covers_thirty_procedures_of_the_seeded_catalogue() -> None:
    """Every entry validates and lands on the current version of its procedure."""
    assert len(DECLARED) >= 30
    for code, form in DECLARED.items():
        assert declaration_of(version_of(code).declaration) == form, code


@pytest.mark.parametrize("code", sorted(DECLARED))
def test_the_declaration_reaches_the_signed_result(
    code: str,
    officer_a: User,
    specialist_a: User,
    leader_a: User,
    psc_a: Unit,
    tmp_path: Path,
) -> None:
    """GIVEN the declared values of procedure ``code`` WHEN the dossier is received, appraised
    and approved THEN the dossier keeps them and the signed result shows every one of them,
    under the result's own title, with a signature pdfsig verifies."""
    form = DECLARED[code]
    values = sample(form)
    dossier = walk(code, values, officer_a, specialist_a, leader_a, psc_a)
    assert dossier.declaration == clean_values(form, values, today=datetime.now(TZ).date())[0]
    pdf = signed_result_of(dossier).file.read()
    text = " ".join(page_texts(pdf))
    assert form.result_title_vi.split()[0] in text
    assert f"Số đăng ký: {dossier.code}" in text
    for _, label, shown in labelled_values(form, dossier.declaration):
        assert shown in text, (label, shown)
    if form.layout == "decision":
        assert "Điều 1." in text
    path = tmp_path / "result.pdf"
    path.write_bytes(pdf)
    report = subprocess.run(
        ["/usr/bin/pdfsig", str(path)], capture_output=True, text=True, check=False
    ).stdout
    assert "Signature is Valid." in report


def test_a_missing_or_wrong_value_is_refused_in_vietnamese_and_nothing_is_written(
    officer_a: User, specialist_a: User, leader_a: User, psc_a: Unit
) -> None:
    """The action validates like the forms: the first error, precise, in Vietnamese."""
    form = DECLARED["1.001193"]
    values = sample(form)
    values["child_full_name"] = ""
    before = Dossier.objects.count()
    with pytest.raises(ValidationFailed) as missing:
        walk("1.001193", values, officer_a, specialist_a, leader_a, psc_a)
    assert missing.value.message_vi == "Hãy nhập họ, chữ đệm và tên."
    assert missing.value.details["field"] == "declaration.child_full_name"
    values = sample(form) | {"child_birth_date": "31/02/2025"}
    with pytest.raises(ValidationFailed) as wrong:
        walk("1.001193", values, officer_a, specialist_a, leader_a, psc_a)
    assert "Ngày, tháng, năm sinh: ngày “31/02/2025” không đúng" in wrong.value.message_vi
    assert "31/02/2025" in wrong.value.message_en
    assert Dossier.objects.count() == before


def test_the_birth_extract_shows_the_child_and_the_parents_under_their_headings(
    officer_a: User, specialist_a: User, leader_a: User, psc_a: Unit
) -> None:
    values = sample(DECLARED["1.001193"]) | {
        "child_full_name": "Trần Minh Khôi",
        "child_birth_date": "15/01/2026",
        "mother_full_name": "Phạm Thị Hoa",
        "father_full_name": "Trần Văn Nam",
    }
    dossier = walk("1.001193", values, officer_a, specialist_a, leader_a, psc_a)
    text = " ".join(page_texts(signed_result_of(dossier).file.read()))
    assert "GIẤY KHAI SINH" in text
    assert f"Số đăng ký: {dossier.code}" in text
    child = text.index("NGƯỜI ĐƯỢC KHAI SINH")
    mother = text.index("MẸ")
    assert child < text.index("Trần Minh Khôi") < mother < text.index("Phạm Thị Hoa")
    assert text.index("CHA") < text.index("Trần Văn Nam")
    assert "Ngày, tháng, năm sinh: 15/01/2026" in text


def test_the_father_may_be_left_empty_and_a_database_field_may_be_left_to_the_agency() -> None:
    """R-REUSE-01/02: a value the agency reads from a national database is not required."""
    today = datetime(2026, 3, 10, tzinfo=TZ).date()
    birth = DECLARED["1.001193"]
    values = {k: v for k, v in sample(birth).items() if not k.startswith("father_")}
    assert clean_values(birth, values, today=today)[1] == {}
    record = DECLARED["3.000333"]
    values = sample(record)
    del values["father_full_name"]
    assert clean_values(record, values, today=today)[1] == {}
    del values["birth_place"]
    assert set(clean_values(record, values, today=today)[1]) == {"birth_place"}
