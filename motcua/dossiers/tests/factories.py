"""Build dossiers through the real actions (STYLE: state built through the actions)."""

from __future__ import annotations

from typing import Any

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.catalog.models import Procedure
from motcua.dossiers.actions import (
    Applicant,
    ComponentInput,
    Filing,
    do_create_dossier,
    do_receive_dossier,
    do_register_and_receive,
)
from motcua.dossiers.models import Dossier

BIRTH = "1.001193"  # Đăng ký khai sinh: same day, 15:00 rule, commune level
TRANSACTION_CERT = "2.001035"  # Chứng thực giao dịch: 2 working days
CITIZEN_ID = "092190000001"


def all_components(code: str, province_id: int = 92) -> list[ComponentInput]:
    version = Procedure.objects.get(province_id=province_id, code_national=code).current
    assert version is not None
    return [ComponentInput(c.pk, pages=1) for c in version.components.filter(is_note=False)]


def submitted(
    officer: User,
    *,
    at: Unit,
    competent: Unit,
    code: str = BIRTH,
    complete: bool = True,
    name: str = "Nguyễn Văn Bé",
) -> Dossier:
    return do_create_dossier(
        counter_filing(at, competent, code, complete, name), acting_user=officer
    )


def received_in_one_step(
    officer: User,
    *,
    at: Unit,
    competent: Unit,
    code: str = BIRTH,
    complete: bool = True,
    name: str = "Nguyễn Văn Bé",
) -> Dossier:
    """The counter's one step: registered and received in one transaction."""
    filing = counter_filing(at, competent, code, complete, name)
    return do_register_and_receive(filing, acting_user=officer).dossier


def counter_filing(
    at: Unit,
    competent: Unit,
    code: str = BIRTH,
    complete: bool = True,
    name: str = "Nguyễn Văn Bé",
    **more: Any,
) -> Filing:
    """A counter application of a person (``CITIZEN_ID``) for ``code``, with every checklist
    item (``complete``) or none."""
    return Filing(
        procedure_code=code,
        receiving_unit=at,
        competent_unit=competent,
        channel="counter",
        applicant=Applicant(kind="person", name=name, id_number=CITIZEN_ID, phone="0901234567"),
        components=tuple(all_components(code)) if complete else (),
        **more,
    )


def received(
    officer: User, *, at: Unit, competent: Unit, code: str = BIRTH, name: str = "Nguyễn Văn Bé"
) -> Dossier:
    dossier = submitted(officer, at=at, competent=competent, code=code, name=name)
    do_receive_dossier(dossier, acting_user=officer, at_unit=at)
    dossier.refresh_from_db()
    return dossier
