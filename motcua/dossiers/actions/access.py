"""The personal-data access log of an officer opening a dossier's file (R-PDP-07)."""

from __future__ import annotations

from motcua.accounts.models import PersonalDataAccess, Role, User
from motcua.accounts.scope import has_role
from motcua.agencies.models import Unit
from motcua.core.actions import action
from motcua.core.clock import now
from motcua.dossiers.models import Dossier, DossierComponent

FILE_SYSTEM = "dossier_file"  # PersonalDataAccess.system for a dossier component's file


def _unit_of(user: User, dossier: Dossier) -> Unit | None:
    for unit in (dossier.competent_unit, dossier.receiving_unit, dossier.return_unit):
        if has_role(user, unit, (Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER)):
            return unit
    return None


@action
def do_log_file_access(dossier: Dossier, component: DossierComponent, *, acting_user: User) -> None:
    """One row of the personal-data access log per opening of a component's file (R-PDP-07)."""
    PersonalDataAccess.objects.create(
        at=now(),
        actor=acting_user,
        unit=_unit_of(acting_user, dossier),
        system=FILE_SYSTEM,
        subject_id_number=dossier.applicant_id_number,
        dossier_ref=dossier.code or str(dossier.pk),
        procedure_code=dossier.procedure_code,
        purpose=f"Xem thành phần hồ sơ: {component.name}"[:300],
        legal_basis="Nghị định 61/2018/NĐ-CP Điều 19 (thẩm định hồ sơ)",
        request={"component": component.pk, "state": dossier.state},
        fields_returned=[component.name[:200]],
        status=PersonalDataAccess.Status.OK,
    )
