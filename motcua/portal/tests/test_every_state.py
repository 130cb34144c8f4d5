"""The citizen's pages know every state (issue #13: a state missing from the citizen's table
was a 500 on "my dossiers")."""

from __future__ import annotations

import pytest

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import STATES, State
from motcua.dossiers.tests.factories import received

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", list(State))
def test_my_dossiers_shows_a_dossier_in_every_state(
    state: State, citizen: User, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    dossier = received(officer_a, at=psc_a, competent=pc_a)
    Dossier.objects.filter(pk=dossier.pk).update(state=state.value, citizen=citizen)
    client = logged_in(citizen)
    listing = client.get("/ho-so-cua-toi/")
    detail = client.get(f"/ho-so-cua-toi/{dossier.pk}/")
    assert listing.status_code == 200
    assert detail.status_code == 200
    info = STATES[state]
    assert info.citizen_text in listing.content.decode()
    assert info.label_vi in detail.content.decode()
