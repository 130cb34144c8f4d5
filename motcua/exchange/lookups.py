"""Registry lookups with the personal-data access log around them (issue #7 item 4).

Every lookup records officer, unit, dossier, purpose, legal basis, the request, the fields
returned and the time (R-PDP-07), in ``accounts.PersonalDataAccess``; the row is written
*before* the request leaves (R-POP-03) and completed with the reply. A lookup without a dossier
or a purpose is refused here, recorded as refused, and never sent (R-PDP-02).

Call it outside any transaction (from a view or an action's preparation step): the log row must
stay even when what follows fails.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from motcua.accounts.models import PersonalDataAccess, User
from motcua.agencies.models import Unit
from motcua.core.clock import now
from motcua.exchange.errors import ExchangeError, PurposeRequired, RecordNotFound
from motcua.exchange.registries import CLIENTS, Ask, Found

Status = PersonalDataAccess.Status


@dataclass(frozen=True)
class Lookup:
    """The answer and the access-log row that records it."""

    found: Found
    access: PersonalDataAccess


def lookup_person(
    system: str,
    subject: str,
    *,
    acting_user: User,
    unit: Unit | None,
    dossier_ref: str,
    procedure_code: str,
    purpose: str,
    legal_basis: str,
    intake_ref: str = "",
) -> Lookup:
    """Look ``subject`` (a personal ID, or a tax code for ``business``) up in ``system``.

    Raises :class:`PurposeRequired` without a dossier or purpose, :class:`RecordNotFound` when
    the registry has no record, :class:`ExchangeError` when it cannot be reached; the access log
    holds the attempt in every case. ``intake_ref``: the counter intake the lookup serves before
    its dossier exists (then also its ``dossier_ref``), see :func:`link_intake`."""
    client = CLIENTS[system]()
    missing = [
        name
        for name, value in (("hồ sơ (MaHoSo)", dossier_ref), ("mục đích (MucDich)", purpose))
        if not value.strip()
    ]
    access = PersonalDataAccess.objects.create(
        at=now(),
        actor=acting_user,
        unit=unit,
        system=system,
        subject_id_number=subject,
        dossier_ref=dossier_ref.strip(),
        intake_ref=intake_ref.strip()[:60],
        procedure_code=procedure_code,
        purpose=purpose.strip()[:300],
        legal_basis=legal_basis[:300],
        status=Status.REFUSED if missing else Status.SENT,
    )
    if missing:
        raise PurposeRequired(missing)
    ask = Ask(
        officer=acting_user.username,
        unit_code=unit.eid_code if unit is not None else "",
        dossier_ref=access.dossier_ref,
        procedure_code=procedure_code,
        purpose=access.purpose,
        legal_basis=access.legal_basis,
        request_id=f"motcua-{access.pk}-{uuid.uuid4().hex[:8]}",
    )
    try:
        found = client.lookup(subject, ask)
    except RecordNotFound as exc:
        _complete(access, Status.NOT_FOUND, error=exc.detail)
        raise
    except ExchangeError as exc:
        _complete(access, Status.FAILED, error=f"{type(exc).__name__}: {exc.detail}")
        raise
    access.request = found.request
    access.fields_returned = found.fields
    access.remote_ref = found.remote_ref[:60]
    _complete(access, Status.OK)
    return Lookup(found, access)


def _complete(access: PersonalDataAccess, status: str, *, error: str = "") -> None:
    access.status = status
    access.error = error[:300]
    access.save(update_fields=["status", "error", "request", "fields_returned", "remote_ref"])


def link_intake(intake_ref: str, dossier_ref: str, *, acting_user: User, unit: Unit) -> int:
    """The lookups a counter intake made before its dossier existed now name that dossier
    (R-PDP-07: the dossier's access log shows them); only this officer's, at this counter, not
    yet linked. Call it in the transaction that writes the dossier. Returns how many rows."""
    if not intake_ref.strip():
        return 0
    return PersonalDataAccess.objects.filter(
        intake_ref=intake_ref.strip(), dossier_ref=intake_ref.strip(), actor=acting_user, unit=unit
    ).update(dossier_ref=dossier_ref[:60])


def accesses_about(id_number: str) -> list[PersonalDataAccess]:
    """Who looked at this person's data (the citizen's own page), newest first."""
    return list(
        PersonalDataAccess.objects.filter(subject_id_number=id_number)
        .exclude(status=Status.REFUSED)
        .select_related("actor", "unit")
    )
