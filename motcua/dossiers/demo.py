"""Demo dossiers in every stage, made with the real actions by the demo personas.

Synthetic people only (names from a fixed list, valid-format IDs that belong to nobody).
"""

from __future__ import annotations

import random

from vn_ident import detect_carrier

from motcua.accounts.models import User
from motcua.agencies.models import Unit, UnitKind
from motcua.catalog.models import Procedure
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hữu"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hạnh",
    "Khoa",
    "Lan",
    "Mai",
    "Nam",
    "Phúc",
    "Quyên",
]
PROCEDURES = ["1.001193", "2.000815", "2.001035", "1.000894", "2.000884"]
# Stage → how far the demo takes a dossier.
STAGES = ["submitted", "received", "in_appraisal", "awaiting_signature", "result_ready", "returned"]


def _citizen_id(rng: random.Random) -> str:
    """Cần Thơ prefix 092, century/gender digit, two birth-year digits, six random digits."""
    return f"092{rng.choice('0123')}{rng.randint(60, 99)}{rng.randint(0, 999_999):06d}"


def _mobile(rng: random.Random) -> str:
    """A 09x mobile number of a carrier (vn-ident's table). The SMS gateway, and its simulator,
    refuse a number no carrier owns (095…): the demo's notifications would be dead letters
    logged as warnings in the first minute of ``make demo``. One draw, as before, so the rest
    of the demo data stays the same."""
    number = f"09{rng.randint(0, 99_999_999):08d}"
    return number if detect_carrier(number) else f"090{number[3:]}"


def seed_demo_dossiers(count: int = 36, seed: int = 2026) -> int:
    if Dossier.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic demo data, not secrets
    counter_a = User.objects.get(username="motcua.ninhkieu")
    counter_b = User.objects.get(username="motcua.caikhe")
    specialist = User.objects.get(username="chuyenvien.ninhkieu")
    leader = User.objects.get(username="lanhdao.ninhkieu")
    psc_a = Unit.objects.get(kind=UnitKind.COMMUNE_PSC, commune__name="Phường Ninh Kiều")
    psc_b = Unit.objects.get(kind=UnitKind.COMMUNE_PSC, commune__name="Phường Cái Khế")
    pc_a = Unit.objects.get(kind=UnitKind.COMMUNE_PC, commune__name="Phường Ninh Kiều")
    made = 0
    for n in range(count):
        code = PROCEDURES[n % len(PROCEDURES)]
        version = Procedure.objects.get(province_id=92, code_national=code).current
        if version is None:
            continue
        counter, at = (counter_a, psc_a) if n % 3 else (counter_b, psc_b)
        filing = actions.Filing(
            procedure_code=code,
            receiving_unit=at,
            competent_unit=pc_a,
            channel="counter",
            applicant=actions.Applicant(
                kind="person",
                name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                id_number=_citizen_id(rng),
                phone=_mobile(rng),
            ),
            components=tuple(
                actions.ComponentInput(c.pk, pages=rng.randint(1, 4))
                for c in version.components.filter(is_note=False)
            ),
        )
        dossier = actions.do_create_dossier(filing, acting_user=counter)
        stage = STAGES[n % len(STAGES)]
        made += 1
        if stage == "submitted":
            continue
        actions.do_receive_dossier(dossier, acting_user=counter, at_unit=at)
        if stage == "received":
            continue
        actions.do_forward_dossier(dossier, acting_user=counter, at_unit=at)
        if stage == "in_appraisal":
            continue
        actions.do_submit_for_approval(
            dossier, acting_user=specialist, proposal="approved", opinion="Hồ sơ đủ điều kiện"
        )
        if stage == "awaiting_signature":
            continue
        actions.do_approve_dossier(dossier, acting_user=leader)
        if stage == "result_ready":
            continue
        actions.do_return_result(dossier, acting_user=counter, at_unit=at)
    return made
