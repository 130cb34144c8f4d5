"""Citizens log in with VNeID over real OpenID Connect against the simulated provider
(R-AUTH-01/02): code + PKCE S256, ID token verified against the JWKS, account linked by personal
ID number, logout at both ends."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import time_machine
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from motcua.accounts.models import User
from motcua.core.clock import now
from motcua.portal.models import VneidIdentity
from motcua.portal.oidc import Flow, VneidError, finish_flow, provider_metadata, verify_id_token
from motcua.portal.tests.conftest import REDIRECT_URI
from simulators.tests.conftest import SimProcess

DEMO_ID = "092190000001"
AUTO = {"X-Sim-Auto-Login": "1"}


@pytest.fixture
def browser(vneid: SimProcess) -> Iterator[httpx.Client]:
    """The citizen's browser at the provider: keeps the provider's session cookie."""
    with httpx.Client(base_url=vneid.url, timeout=5, follow_redirects=False) as client:
        yield client


def start(client: Client, next_url: str = "/ho-so-cua-toi/") -> str:
    response = client.get("/auth/vneid/login", {"next": next_url})
    assert response.status_code == 302
    return str(response["Location"])


def authorize(browser: httpx.Client, url: str, citizen_id: str = DEMO_ID) -> dict[str, str]:
    """The provider logs the citizen in (test path: login_hint + X-Sim-Auto-Login)."""
    response = browser.get(f"{url}&login_hint={citizen_id}", headers=AUTO)
    assert response.status_code in {302, 303}, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def log_in(client: Client, browser: httpx.Client, citizen_id: str = DEMO_ID) -> str:
    params = authorize(browser, start(client), citizen_id)
    response = client.get("/auth/vneid/callback", params)
    assert response.status_code == 302, response.content.decode()
    return str(response["Location"])


@pytest.mark.django_db
def test_the_authorisation_request_uses_pkce_s256_state_and_nonce(vneid: SimProcess) -> None:
    client = Client()
    url = start(client)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(f"{vneid.url}/authorize?")
    assert query["response_type"] == "code"
    assert query["client_id"] == "motcua-dev"
    assert query["redirect_uri"] == REDIRECT_URI
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert "openid" in query["scope"].split()
    flow = client.session["vneid_flows"][query["state"]]
    assert flow["nonce"] == query["nonce"]
    assert flow["verifier"] not in url  # only the challenge leaves the server


@pytest.mark.django_db
def test_the_demo_citizen_logs_in_and_is_linked_to_her_account_by_id_number(
    vneid: SimProcess, browser: httpx.Client, citizen: User, settings: SettingsWrapper
) -> None:
    client = Client()
    assert log_in(client, browser) == "/ho-so-cua-toi/"
    assert int(client.session["_auth_user_id"]) == citizen.pk
    identity = VneidIdentity.objects.get(user=citizen)
    assert identity.loa == "2"  # R-AUTH-02: the demo citizen enrolled in person
    citizen.refresh_from_db()
    assert citizen.full_name == "Nguyễn Thị An"
    assert citizen.phone == "0901234567"
    assert client.session["vneid_loa"] == "2"
    # Session timeout: idle expiry of the citizen's session.
    assert client.session.get_expiry_age() == settings.MOTCUA_CITIZEN_SESSION_SECONDS
    page = client.get("/ho-so-cua-toi/")
    assert page.status_code == 200
    assert "Hồ sơ của tôi" in page.content.decode()


@pytest.mark.django_db
def test_a_first_login_creates_the_citizen_account(
    vneid: SimProcess, browser: httpx.Client
) -> None:
    sample = httpx.get(
        f"{vneid.url}/_sim/sample", params={"n": 3}, headers={"X-Api-Key": vneid.key}
    ).json()
    person = sample[1]
    assert not User.objects.filter(citizen_id=person["SoDinhDanh"]).exists()
    log_in(Client(), browser, person["SoDinhDanh"])
    user = User.objects.get(citizen_id=person["SoDinhDanh"])
    assert user.kind == User.Kind.CITIZEN
    assert user.full_name == person["HoVaTen"]
    assert not user.has_usable_password()
    assert user.vneid.sub == person["sub"]
    assert user.vneid.loa == person["loAs"]


@pytest.mark.django_db
def test_an_officer_account_is_never_opened_by_a_citizen_login(
    vneid: SimProcess, browser: httpx.Client, officer_a: User
) -> None:
    sample = httpx.get(
        f"{vneid.url}/_sim/sample", params={"n": 4}, headers={"X-Api-Key": vneid.key}
    ).json()
    officer_a.citizen_id = sample[2]["SoDinhDanh"]
    officer_a.save()
    client = Client()
    params = authorize(browser, start(client), officer_a.citizen_id)
    response = client.get("/auth/vneid/callback", params)
    assert response.status_code == 400
    assert "tài khoản cán bộ" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_callback_with_an_unknown_or_replayed_state_is_refused(
    vneid: SimProcess, browser: httpx.Client
) -> None:
    client = Client()
    params = authorize(browser, start(client))
    forged = client.get("/auth/vneid/callback", {**params, "state": "forged"})
    assert forged.status_code == 400
    assert "Yêu cầu đăng nhập đã hết hạn" in forged.content.decode()
    # The real state was consumed with the forged attempt? No: each state is used once only.
    assert client.get("/auth/vneid/callback", params).status_code == 302
    again = client.get("/auth/vneid/callback", params)
    assert again.status_code == 400


@pytest.mark.django_db
def test_a_callback_claiming_another_issuer_is_refused(
    vneid: SimProcess, browser: httpx.Client
) -> None:
    client = Client()
    params = authorize(browser, start(client))
    response = client.get("/auth/vneid/callback", {**params, "iss": "http://evil.example"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_provider_error_is_explained_in_vietnamese(vneid: SimProcess) -> None:
    client = Client()
    url = start(client)
    state = parse_qs(urlsplit(url).query)["state"][0]
    response = client.get("/auth/vneid/callback", {"error": "access_denied", "state": state})
    assert response.status_code == 400
    assert "Bạn đã hủy đăng nhập trên VNeID" in response.content.decode()


@pytest.mark.django_db
def test_an_unreachable_provider_gives_a_clear_message(settings: SettingsWrapper) -> None:
    settings.MOTCUA_VNEID_ISSUER = "http://127.0.0.1:9"  # discard port: nobody listens
    response = Client().get("/auth/vneid/login")
    assert response.status_code == 503
    assert "Không kết nối được với hệ thống định danh điện tử VNeID" in response.content.decode()


def _fresh_token(client: Client, browser: httpx.Client) -> tuple[str, Flow]:
    """A real ID token from the provider, and the flow (nonce) it was issued for."""
    url = start(client)
    params = authorize(browser, url)
    flow = Flow(**client.session["vneid_flows"][params["state"]])
    return finish_flow(flow, code=params["code"]).id_token, flow


@pytest.mark.django_db
def test_the_id_token_is_verified_signature_audience_nonce_and_expiry(
    vneid: SimProcess, browser: httpx.Client, settings: SettingsWrapper
) -> None:
    meta = provider_metadata()
    token, flow = _fresh_token(Client(), browser)
    claims = verify_id_token(token, nonce=flow.nonce, meta=meta)
    assert claims["SoDinhDanh"] == DEMO_ID
    with pytest.raises(VneidError):  # replayed into another login attempt
        verify_id_token(token, nonce="another-nonce", meta=meta)
    header, payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["SoDinhDanh"] = "092190000002"
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    with pytest.raises(VneidError):  # a changed claim breaks the RS256 signature
        verify_id_token(f"{header}.{forged}.{signature}", nonce=flow.nonce, meta=meta)
    with pytest.raises(VneidError):  # "none" algorithm: never accepted
        verify_id_token(f"{header}.{payload}.", nonce=flow.nonce, meta=meta)
    settings.MOTCUA_VNEID_CLIENT_ID = "another-client"
    with pytest.raises(VneidError):  # issued for someone else
        verify_id_token(token, nonce=flow.nonce, meta=meta)
    settings.MOTCUA_VNEID_CLIENT_ID = "motcua-dev"
    with time_machine.travel(now() + timedelta(hours=1), tick=False), pytest.raises(VneidError):
        verify_id_token(token, nonce=flow.nonce, meta=meta)  # expired (exp = 900 s)


@pytest.mark.django_db
def test_a_wrong_pkce_verifier_is_refused_by_the_provider(
    vneid: SimProcess, browser: httpx.Client
) -> None:
    client = Client()
    params = authorize(browser, start(client))
    data = client.session["vneid_flows"][params["state"]]
    flow = Flow(**{**data, "verifier": "x" * 64})
    with pytest.raises(VneidError, match="hết hạn hoặc không hợp lệ"):
        finish_flow(flow, code=params["code"])


@pytest.mark.django_db
def test_logout_ends_the_session_here_and_at_the_provider(
    vneid: SimProcess, browser: httpx.Client
) -> None:
    client = Client()
    log_in(client, browser)
    id_token = client.session["vneid_id_token"]
    response = client.post("/auth/vneid/logout")
    assert "_auth_user_id" not in client.session
    location = str(response["Location"])
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert location.startswith(f"{vneid.url}/logout?")
    assert query["id_token_hint"] == id_token
    assert query["post_logout_redirect_uri"] == "http://testserver/auth/vneid/da-dang-xuat/"
    # The browser follows it to the provider (which only redirects to registered URIs: the
    # simulator's dev client allows 127.0.0.1, so ask it to come back there).
    query["post_logout_redirect_uri"] = "http://127.0.0.1:8000/auth/vneid/da-dang-xuat/"
    ended = browser.get("/logout", params=query)
    assert ended.status_code == 302
    assert ended.headers["location"].startswith("http://127.0.0.1:8000/auth/vneid/da-dang-xuat/")
    # The provider session is over: a silent login is refused.
    again = browser.get(f"{start(client)}&prompt=none")
    assert "error=login_required" in again.headers["location"]
    assert client.get("/auth/vneid/da-dang-xuat/").status_code == 200


@pytest.mark.django_db
def test_my_dossiers_sends_anonymous_visitors_to_the_vneid_login_page() -> None:
    response = Client().get("/ho-so-cua-toi/")
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=%2Fho-so-cua-toi%2F"
    page = Client().get(response["Location"])
    assert "Đăng nhập bằng VNeID" in page.content.decode()
