"""VNeID OpenID Connect provider over real HTTP (R-AUTH-01, R-AUTH-02).

The relying party side is authlib's ``OAuth2Client`` (PKCE S256, ``client_secret_basic``);
ID tokens are verified against the published JWKS with ``joserfc`` (authlib's JOSE
successor: ``authlib.jose`` is deprecated in the installed authlib).
"""

from __future__ import annotations

import re
import secrets
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from contracts import vneid as c
from contracts.vneid import ProviderMetadata, UserInfo
from simulators import population as pop
from simulators.tests.conftest import SimProcess

with warnings.catch_warnings():  # authlib warns that its httpx integration will move to httpx2
    import authlib.deprecate  # type: ignore[import-untyped]  # installs an "always" filter first

    warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
    from authlib.common.security import generate_token  # type: ignore[import-untyped]
    from authlib.integrations.httpx_client import OAuth2Client  # type: ignore[import-untyped]

REDIRECT_URI = "http://127.0.0.1:8000/auth/vneid/callback"
AUTO = {c.AUTO_LOGIN_HEADER: "1"}


@dataclass
class Flow:
    """One relying-party login attempt."""

    client: Any  # authlib OAuth2Client
    url: str
    verifier: str
    nonce: str
    state: str


@pytest.fixture(scope="module")
def meta(vneid: SimProcess) -> ProviderMetadata:
    return ProviderMetadata.model_validate(
        httpx.get(vneid.url + c.DISCOVERY_PATH, timeout=5).json()
    )


@pytest.fixture
def browser(vneid: SimProcess) -> Iterator[httpx.Client]:
    """A cookie-keeping user agent that does not follow redirects to the (absent) RP."""
    with httpx.Client(base_url=vneid.url, timeout=5, follow_redirects=False) as client:
        yield client


def start(meta: ProviderMetadata, **extra: str) -> Flow:
    client = OAuth2Client(
        c.DEV_CLIENT_ID,
        c.DEV_CLIENT_SECRET,
        scope="openid profile",
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
        timeout=5,
    )
    verifier = generate_token(64)
    nonce = secrets.token_urlsafe(16)
    url, state = client.create_authorization_url(
        meta.authorization_endpoint, code_verifier=verifier, nonce=nonce, **extra
    )
    return Flow(client, url, verifier, nonce, state)


def callback_params(response: httpx.Response) -> dict[str, str]:
    assert response.status_code in {302, 303}, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def verify_id_token(meta: ProviderMetadata, id_token: str, nonce: str) -> dict[str, Any]:
    keys = KeySet.import_key_set(httpx.get(meta.jwks_uri, timeout=5).json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    assert token.header["alg"] == "RS256"
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": meta.issuer},
        aud={"essential": True, "value": c.DEV_CLIENT_ID},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
    ).validate(token.claims)
    return dict(token.claims)


def test_discovery_document(vneid: SimProcess, meta: ProviderMetadata) -> None:
    assert meta.issuer == vneid.url
    for endpoint in ("authorization", "token", "userinfo", "end_session"):
        assert getattr(meta, f"{endpoint}_endpoint").startswith(vneid.url + "/")
    assert meta.jwks_uri == vneid.url + c.JWKS_PATH
    assert meta.response_types_supported == ["code"]
    assert meta.code_challenge_methods_supported == ["S256"]
    assert meta.id_token_signing_alg_values_supported == ["RS256"]
    assert {"openid", "profile"} <= set(meta.scopes_supported)
    assert {"client_secret_basic", "client_secret_post"} <= set(
        meta.token_endpoint_auth_methods_supported
    )
    keys = httpx.get(meta.jwks_uri, timeout=5).json()["keys"]
    assert [(k["kty"], k["alg"], k["use"]) for k in keys] == [("RSA", "RS256", "sig")]
    assert "d" not in keys[0]  # public part only


def test_full_code_flow_with_pkce(meta: ProviderMetadata, browser: httpx.Client) -> None:
    flow = start(meta, login_hint=c.DEMO_ID)
    params = callback_params(browser.get(flow.url, headers=AUTO))
    assert params["state"] == flow.state
    assert params["iss"] == meta.issuer
    with flow.client:
        token = flow.client.fetch_token(
            meta.token_endpoint,
            authorization_response=f"{REDIRECT_URI}?code={params['code']}&state={flow.state}",
            code_verifier=flow.verifier,
        )
        claims = verify_id_token(meta, token["id_token"], flow.nonce)
        info = UserInfo.model_validate(flow.client.get(meta.userinfo_endpoint).json())
    assert token["token_type"].lower() == "bearer"
    assert token["expires_in"] > 0
    assert claims["SoDinhDanh"] == c.DEMO_ID
    assert claims["HoVaTen"] == "Nguyễn Thị An"
    assert claims["loAs"] == c.LOA_HIGH
    assert claims["LoaiTaiKhoan"] == "1"
    assert claims["auth_time"] <= claims["iat"]
    assert re.fullmatch(r"[0-9a-f-]{36}", claims["sub"])
    assert info.sub == info.TechID == claims["sub"]
    assert info.SoDinhDanh == c.DEMO_ID
    assert info.SoDienThoai == "0901234567"
    assert info.GioiTinh == "2"
    assert info.NgayThangNamSinh.startswith("1990")
    assert info.ThuongTru is not None
    assert (info.ThuongTru.TenPhuongXa, info.ThuongTru.TenTinhThanh) == (
        "Phường Ninh Kiều",
        "Thành phố Cần Thơ",
    )


def test_login_form_then_sso_then_logout(meta: ProviderMetadata, browser: httpx.Client) -> None:
    person = pop.citizen(4 * 77)  # a household head of the population data set
    flow = start(meta)
    page = browser.get(flow.url)
    assert page.status_code == 200
    assert '<label for="username">Số định danh cá nhân</label>' in page.text
    assert '<label for="password">Mật khẩu</label>' in page.text
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    wrong = browser.post(
        c.AUTHORIZE_PATH, data={**hidden, "username": person.SoDinhDanh, "password": "sai"}
    )
    assert wrong.status_code == 200
    assert 'role="alert"' in wrong.text
    login = browser.post(
        c.AUTHORIZE_PATH,
        data={**hidden, "username": person.SoDinhDanh, "password": c.DEV_PASSWORD},
    )
    first = callback_params(login)
    with flow.client:
        token = flow.client.fetch_token(
            meta.token_endpoint, code=first["code"], code_verifier=flow.verifier
        )
    claims = verify_id_token(meta, token["id_token"], flow.nonce)
    assert claims["SoDinhDanh"] == person.SoDinhDanh
    # SSO: the provider session cookie skips the form.
    again = start(meta)
    assert "code" in callback_params(browser.get(again.url))
    # Logout ends the session and goes back to a registered URI with the state.
    logout = browser.get(
        meta.end_session_endpoint,
        params={
            "id_token_hint": token["id_token"],
            "post_logout_redirect_uri": "http://127.0.0.1:8000/",
            "state": "bye",
        },
    )
    assert logout.status_code == 302
    assert logout.headers["location"] == "http://127.0.0.1:8000/?state=bye"
    after = browser.get(start(meta).url)
    assert after.status_code == 200
    assert 'name="password"' in after.text


def test_wrong_verifier_and_code_reuse(meta: ProviderMetadata, browser: httpx.Client) -> None:
    bad = start(meta, login_hint=c.DEMO_ID)
    code = callback_params(browser.get(bad.url, headers=AUTO))["code"]
    wrong = httpx.post(
        meta.token_endpoint,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": generate_token(64),
        },
        auth=(c.DEV_CLIENT_ID, c.DEV_CLIENT_SECRET),
        timeout=5,
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"

    good = start(meta, login_hint=c.DEMO_ID)
    code = callback_params(browser.get(good.url, headers=AUTO))["code"]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": good.verifier,
        "client_id": c.DEV_CLIENT_ID,
        "client_secret": c.DEV_CLIENT_SECRET,  # client_secret_post
    }
    first = httpx.post(meta.token_endpoint, data=form, timeout=5)
    assert first.status_code == 200, first.text
    access = first.json()["access_token"]
    bearer = {"Authorization": f"Bearer {access}"}
    assert httpx.get(meta.userinfo_endpoint, headers=bearer, timeout=5).status_code == 200
    replay = httpx.post(meta.token_endpoint, data=form, timeout=5)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    # The replay revoked what the code had produced (RFC 6749 §4.1.2).
    revoked = httpx.get(meta.userinfo_endpoint, headers=bearer, timeout=5)
    assert revoked.status_code == 401
    wrong_secret = httpx.post(
        meta.token_endpoint, data={**form, "client_secret": "nope"}, timeout=5
    )
    assert wrong_secret.status_code == 401
    assert wrong_secret.json()["error"] == "invalid_client"


def test_authorize_errors(meta: ProviderMetadata, browser: httpx.Client) -> None:
    flow = start(meta, login_hint=c.DEMO_ID)
    evil = flow.url.replace("127.0.0.1%3A8000", "evil.example%3A8000")
    assert evil != flow.url
    refused = browser.get(evil, headers=AUTO)
    assert refused.status_code == 400
    assert "location" not in refused.headers  # never redirected to an unregistered URI
    userinfo_trick = flow.url.replace("127.0.0.1%3A8000", "127.0.0.1%3A%40evil.example")
    assert browser.get(userinfo_trick, headers=AUTO).status_code == 400
    unknown_client = browser.get(flow.url.replace(c.DEV_CLIENT_ID, "nobody"), headers=AUTO)
    assert unknown_client.status_code == 400
    plain = browser.get(
        flow.url.replace("code_challenge_method=S256", "code_challenge_method=plain")
    )
    assert callback_params(plain)["error"] == "invalid_request"
    no_pkce = re.sub(r"&code_challenge(_method)?=[^&]*", "", flow.url)
    params = callback_params(browser.get(no_pkce, headers=AUTO))
    assert params["error"] == "invalid_request"
    assert params["state"] == flow.state
    silent = callback_params(browser.get(start(meta, prompt="none").url))
    assert silent["error"] == "login_required"


def test_fault_header_applies(meta: ProviderMetadata) -> None:
    response = httpx.get(meta.jwks_uri, headers={"X-Sim-Fault": "error"}, timeout=5)
    assert response.status_code == 503
