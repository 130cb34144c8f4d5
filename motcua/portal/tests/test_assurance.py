"""VNeID level of assurance (R-AUTH-02, R-ONL-05): the ID token's ``loAs`` (or ``acr``) gives
the level; a procedure configured to need level 2 refuses a level-1 submission with a clear
Vietnamese message and keeps the draft, and accepts the same draft from a level-2 login."""

from __future__ import annotations

import httpx
import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from conftest import logged_in
from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.dossiers.models import Dossier
from motcua.portal.assurance import DEFAULT_LOA2_PROCEDURES, level_of, required_level
from motcua.portal.models import Draft
from motcua.portal.tests.conftest import image_bytes
from motcua.portal.tests.test_apply import BIRTH, components, form_data, start_draft, upload
from motcua.portal.tests.test_vneid_login import authorize, start
from simulators.tests.conftest import SimProcess


@pytest.mark.parametrize(
    ("claims", "level"),
    [
        ({"loAs": "2"}, 2),
        ({"loAs": 2}, 2),
        ({"loAs": "1"}, 1),
        ({"loAs": "3"}, 2),
        ({"acr": "urn:vneid:loa:2"}, 2),
        ({"acr": "http://eidas.europa.eu/LoA/substantial"}, 2),
        ({"acr": "urn:vneid:loa:1"}, 1),
        ({"acr": "http://eidas.europa.eu/LoA/low"}, 1),
        ({"loAs": "1", "acr": "urn:vneid:loa:2"}, 1),  # loAs (R-AUTH-01) wins over acr
        ({"loAs": "", "acr": ""}, 1),
        ({"loAs": "cao"}, 1),  # unreadable: the lower level, never the higher
        ({}, 1),
    ],
)
def test_the_level_comes_from_loas_then_acr_and_defaults_to_1(
    claims: dict[str, object], level: int
) -> None:
    assert level_of(claims) == level


def test_the_level_2_procedures_are_a_setting(settings: SettingsWrapper) -> None:
    assert required_level(DEFAULT_LOA2_PROCEDURES[0]) == 2
    assert required_level(BIRTH) == 1
    settings.MOTCUA_VNEID_LOA2_PROCEDURES = (BIRTH,)
    assert required_level(BIRTH) == 2
    assert required_level(DEFAULT_LOA2_PROCEDURES[0]) == 1


def _files() -> dict[str, object]:
    return {f"file_{c.pk}": upload(f"giay-{c.pk}.png", image_bytes()) for c in components()}


def _with_level(client: Client, level: str) -> Client:
    session = client.session
    session["vneid_loa"] = level
    session.save()
    return client


@pytest.mark.django_db
def test_a_level_1_login_cannot_submit_a_level_2_procedure_and_keeps_the_draft(
    citizen: User, pc_a: Unit, psc_a: Unit, settings: SettingsWrapper
) -> None:
    """GIVEN a procedure that needs level 2 WHEN a level-1 login submits it THEN 403, a
    Vietnamese explanation, no dossier, the draft and its files kept (R-AUTH-02)."""
    settings.MOTCUA_VNEID_LOA2_PROCEDURES = (BIRTH,)
    client = _with_level(logged_in(citizen), "1")
    url = start_draft(client)
    form_page = client.get(url).content.decode()
    assert "yêu cầu tài khoản định danh điện tử VNeID mức độ 2" in form_page
    response = client.post(url, {**form_data(pc_a, psc_a), "action": "submit", **_files()})
    assert response.status_code == 403
    page = response.content.decode()
    assert "chỉ nhận hồ sơ trực tuyến từ tài khoản định danh điện tử VNeID mức độ 2" in page
    assert "Bạn đang đăng nhập bằng tài khoản mức độ 1" in page
    assert not Dossier.objects.filter(citizen=citizen).exists()
    draft = Draft.objects.get(citizen=citizen, submitted_at=None)
    assert draft.files.count() == len(components())

    # The same citizen, logged in at level 2, submits the kept draft.
    _with_level(client, "2")
    response = client.post(url, {**form_data(pc_a, psc_a), "action": "submit"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Dossier.objects.filter(citizen=citizen, state="submitted").count() == 1


@pytest.mark.django_db
def test_a_level_1_login_still_submits_a_procedure_that_needs_no_level_2(
    citizen: User, pc_a: Unit, psc_a: Unit
) -> None:
    client = _with_level(logged_in(citizen), "1")
    url = start_draft(client)
    assert "mức độ 2" not in client.get(url).content.decode()
    response = client.post(url, {**form_data(pc_a, psc_a), "action": "submit", **_files()})
    assert response.status_code == 302
    assert Dossier.objects.filter(citizen=citizen).count() == 1


@pytest.mark.django_db
def test_the_session_keeps_the_level_the_real_id_token_asserted(
    vneid: SimProcess, settings: SettingsWrapper
) -> None:
    """Through the simulated provider: a level-1 person and a level-2 person, each session and
    identity record carry what their signed ID token said (R-AUTH-01/02)."""
    sample = httpx.get(
        f"{vneid.url}/_sim/sample", params={"n": 40}, headers={"X-Api-Key": vneid.key}
    ).json()
    by_level = {p["loAs"]: p for p in sample}
    assert set(by_level) == {"1", "2"}, "the simulator's sample has both levels"
    for level, person in sorted(by_level.items()):
        client = Client()
        with httpx.Client(base_url=vneid.url, timeout=5, follow_redirects=False) as browser:
            params = authorize(browser, start(client), person["SoDinhDanh"])
        assert client.get("/auth/vneid/callback", params).status_code == 302
        assert client.session["vneid_loa"] == level
        user = User.objects.get(citizen_id=person["SoDinhDanh"])
        assert user.vneid.loa == level
