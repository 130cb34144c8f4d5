"""Issue #12 item 7: the operations-centre viewer sees figures and drill-downs, never a dossier's
personal data or documents (its province-wide role is not a casework role)."""

from __future__ import annotations

import pytest

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.dossiers.tests.factories import received


@pytest.mark.parametrize(
    "path",
    [
        "/desk/dossiers/{key}/",
        "/desk/dossiers/{key}/forms/01.pdf",
        "/desk/dossiers/{key}/result.pdf",
        "/api/v1/dossiers/{key}",
    ],
)
def test_the_board_viewer_cannot_open_a_dossier_or_its_documents(
    ioc_viewer: User, officer_a: User, psc_a: Unit, pc_a: Unit, path: str
) -> None:
    dossier = received(officer_a, at=psc_a, competent=pc_a)
    response = logged_in(ioc_viewer).get(path.format(key=dossier.code))
    assert response.status_code in {403, 404}
    assert dossier.applicant_name not in response.content.decode(errors="replace")
    # The officer of the unit still can (the denial is the role's, not the dossier's).
    assert logged_in(officer_a).get(f"/desk/dossiers/{dossier.code}/").status_code == 200


def test_the_board_viewer_sees_no_dossier_in_any_list(
    ioc_viewer: User, officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    received(officer_a, at=psc_a, competent=pc_a)
    assert not dossiers_visible_to(ioc_viewer).exists()
    assert logged_in(ioc_viewer).get("/api/v1/dossiers").json() == []


def test_the_board_viewer_still_sees_the_board(ioc_viewer: User) -> None:
    assert logged_in(ioc_viewer).get("/ioc/").status_code == 200
