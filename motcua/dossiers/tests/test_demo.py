"""The demo's dossiers are made with the real actions by the demo personas (``make demo``)."""

from __future__ import annotations

import pytest

from motcua.dossiers.demo import STAGES, seed_demo_dossiers
from motcua.dossiers.models import Dossier, DossierEvent

pytestmark = pytest.mark.django_db


def test_the_demo_makes_dossiers_in_every_stage_with_their_trail() -> None:
    """GIVEN an empty database WHEN the demo seeds one dossier per stage THEN each stage is
    reached through the actions (a trail from state 1), and a second run adds nothing."""
    made = seed_demo_dossiers(count=len(STAGES))
    assert made == len(STAGES)
    states = set(Dossier.objects.values_list("state", flat=True))
    assert {"submitted", "received", "in_appraisal", "returned"} <= states
    for dossier in Dossier.objects.all():
        kinds = list(
            DossierEvent.objects.filter(dossier=dossier)
            .exclude(to_state="")
            .order_by("seq")
            .values_list("to_state", flat=True)
        )
        assert kinds[0] == "submitted"
        assert kinds[-1] == dossier.state
    assert seed_demo_dossiers(count=len(STAGES)) == 0


def test_every_demo_applicant_has_a_mobile_number_a_carrier_owns() -> None:
    """GIVEN the demo's 36 dossiers WHEN their notifications go out THEN no SMS is refused: every
    applicant's number belongs to a carrier (095… belongs to none; the SMS simulator refused two
    of them in the first minute of ``make demo``, dead letters logged as warnings)."""
    from vn_ident import detect_carrier

    seed_demo_dossiers()
    phones = list(Dossier.objects.values_list("applicant_phone", flat=True))
    assert len(phones) == 36
    assert [p for p in phones if detect_carrier(p) is None] == []
