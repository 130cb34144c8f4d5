"""The petition's desk page shows the official letter forwarding it to an outside body (issue
#18): its number (or that it has none yet), its state and a link to its document page, for the
officers who may see that document; nobody else learns of it."""

from __future__ import annotations

import html

import pytest

from conftest import logged_in
from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.correspondence.models import BodyProfile, Document, DocumentPetition
from motcua.correspondence.tests.factories import to_released
from motcua.petitions.forwarding import do_forward_petition
from motcua.petitions.tests.conftest import file
from motcua.petitions.tests.test_forwarding import letters_a  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _page(user: User, code: str) -> tuple[int, str]:
    response = logged_in(user).get(f"/desk/petitions/{code}/")
    return response.status_code, html.unescape(response.content.decode())


def test_the_desk_shows_the_forwarding_letter_number_state_and_link(
    pc_a: Unit,
    psc_b: Unit,
    specialist_a: User,
    leader_a: User,
    officer_b: User,
    letters_a: BodyProfile,  # noqa: F811
) -> None:
    petition = file(pc_a)
    do_forward_petition(
        petition,
        reason="Thuộc thẩm quyền của Bộ Tư pháp.",
        agency_code="000.00.00.G10",
        agency_name="Bộ Tư pháp",
        acting_user=specialist_a,
    )
    letter = Document.objects.get(pk=DocumentPetition.objects.get().document_id)
    status, page = _page(specialist_a, petition.code)
    assert status == 200
    assert "Công văn chuyển" in page
    assert f'href="/desk/documents/{letter.pk}/"' in page
    assert "Chưa cấp số" in page
    assert "Dự thảo" in page
    assert logged_in(specialist_a).get(f"/desk/documents/{letter.pk}/").status_code == 200

    clerk = User.objects.create_user("vanthu.thu", full_name="Văn thư", kind=User.Kind.OFFICER)
    RoleAssignment.objects.create(user=clerk, unit=pc_a, role=Role.CLERK)
    to_released(letter, specialist_a, leader_a, clerk)
    assert letter.number_and_symbol
    status, page = _page(specialist_a, petition.code)
    assert f"Số {letter.number_and_symbol}" in page
    assert "Đã phát hành" in page

    # Denied: another commune's officer sees neither the petition nor the letter.
    assert _page(officer_b, petition.code)[0] == 404
    assert logged_in(officer_b).get(f"/desk/documents/{letter.pk}/").status_code == 404
    # A letter the officer may not see (held by a unit outside their scope) is not listed.
    Document.objects.filter(pk=letter.pk).update(owner_unit=psc_b)
    status, page = _page(specialist_a, petition.code)
    assert status == 200
    assert "Công văn chuyển" not in page
    assert str(letter.pk) not in page
