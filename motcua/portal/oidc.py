"""The relying-party side of VNeID login (R-AUTH-01/02): OpenID Connect authorisation code flow
with PKCE S256, client authentication ``client_secret_basic``, RS256 ID tokens verified against
the provider's JWKS (signature, ``iss``, ``aud``, ``exp``, ``iat``, ``nonce``).

The provider is whatever ``MOTCUA_VNEID_ISSUER`` names: the simulator in development and tests,
the national endpoint in production. Nothing here falls back to a fake: an unreachable provider
is an error the citizen sees in Vietnamese.
"""

from __future__ import annotations

import secrets
import warnings
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from motcua.core.clock import now

with warnings.catch_warnings():  # authlib warns that its httpx integration will move to httpx2
    import authlib.deprecate  # type: ignore[import-untyped]

    warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
    from authlib.common.security import generate_token  # type: ignore[import-untyped]
    from authlib.integrations.base_client.errors import (  # type: ignore[import-untyped]
        OAuthError,
    )
    from authlib.integrations.httpx_client import OAuth2Client  # type: ignore[import-untyped]

METADATA_TTL_S = 10 * 60
CLOCK_LEEWAY_S = 60
SCOPE = "openid profile"
REQUIRED_METADATA = (
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
)


class VneidError(Exception):
    """A login that cannot go on; ``message`` says, in Vietnamese, what happened and what to do."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


UNREACHABLE = (
    "Không kết nối được với hệ thống định danh điện tử VNeID. Hãy thử lại sau ít phút; nếu "
    "vẫn lỗi, bạn có thể nộp hồ sơ trực tiếp tại Trung tâm Phục vụ hành chính công."
)


def _http() -> httpx.Client:
    return httpx.Client(timeout=settings.MOTCUA_VNEID_TIMEOUT_SECONDS)


def _get_json(url: str) -> dict[str, Any]:
    try:
        with _http() as client:
            response = client.get(url)
    except httpx.HTTPError as exc:
        raise VneidError(UNREACHABLE, status=503) from exc
    if response.status_code != 200:
        raise VneidError(UNREACHABLE, status=503)
    try:
        body = response.json()
    except ValueError as exc:
        raise VneidError(UNREACHABLE, status=503) from exc
    if not isinstance(body, dict):
        raise VneidError(UNREACHABLE, status=503)
    return body


def provider_metadata() -> dict[str, Any]:
    """The discovery document; its ``issuer`` must be exactly the configured one (OpenID
    Connect Discovery §4.3), or every token it signs would be trusted for someone else."""
    issuer = settings.MOTCUA_VNEID_ISSUER
    key = f"vneid:metadata:{issuer}"
    cached = cache.get(key)
    if isinstance(cached, dict):
        return cached
    meta = _get_json(f"{issuer}/.well-known/openid-configuration")
    if meta.get("issuer") != issuer or any(not meta.get(k) for k in REQUIRED_METADATA):
        raise VneidError(UNREACHABLE, status=503)
    if "S256" not in meta.get("code_challenge_methods_supported", []):
        raise VneidError(UNREACHABLE, status=503)
    cache.set(key, meta, METADATA_TTL_S)
    return meta


def provider_keys(meta: dict[str, Any], *, refresh: bool = False) -> KeySet:
    key = f"vneid:jwks:{meta['jwks_uri']}"
    data = None if refresh else cache.get(key)
    if not isinstance(data, dict):
        data = _get_json(meta["jwks_uri"])
        cache.set(key, data, METADATA_TTL_S)
    try:
        return KeySet.import_key_set(data)  # type: ignore[arg-type]
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise VneidError(UNREACHABLE, status=503) from exc


@dataclass(frozen=True)
class Flow:
    """One login attempt, kept in the session until the callback: CSRF ``state``, replay
    ``nonce`` and the PKCE ``code_verifier`` (RFC 7636)."""

    state: str
    nonce: str
    verifier: str
    redirect_uri: str
    next_url: str
    started: float

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _client(redirect_uri: str, token: dict[str, Any] | None = None) -> Any:
    return OAuth2Client(
        settings.MOTCUA_VNEID_CLIENT_ID,
        settings.MOTCUA_VNEID_CLIENT_SECRET,
        scope=SCOPE,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",  # noqa: S106 - a method name
        token=token,
        timeout=settings.MOTCUA_VNEID_TIMEOUT_SECONDS,
    )


def start_flow(redirect_uri: str, next_url: str, **extra: str) -> tuple[str, Flow]:
    """The provider's authorisation URL and the flow to remember."""
    meta = provider_metadata()
    flow = Flow(
        state=secrets.token_urlsafe(24),
        nonce=secrets.token_urlsafe(24),
        verifier=generate_token(64),
        redirect_uri=redirect_uri,
        next_url=next_url,
        started=now().timestamp(),
    )
    url, _state = _client(redirect_uri).create_authorization_url(
        meta["authorization_endpoint"],
        state=flow.state,
        nonce=flow.nonce,
        code_verifier=flow.verifier,
        **extra,
    )
    return url, flow


@dataclass(frozen=True)
class Login:
    """A verified login: the ID token (kept for logout), its claims, and the userinfo."""

    id_token: str
    claims: dict[str, Any]
    userinfo: dict[str, Any]


SESSION_ENDED = (
    "Phiên đăng nhập VNeID đã hết hạn hoặc không hợp lệ. Hãy bấm “Đăng nhập bằng VNeID” để "
    "đăng nhập lại."
)


def verify_id_token(id_token: str, *, nonce: str, meta: dict[str, Any]) -> dict[str, Any]:
    """Signature against the JWKS (RS256 only), then ``iss``, ``aud``, ``exp``, ``iat``,
    ``nonce``. A key the cached JWKS does not have triggers one refresh (key rotation)."""
    token = None
    for refresh in (False, True):
        try:
            token = jwt.decode(id_token, provider_keys(meta, refresh=refresh), algorithms=["RS256"])
            break
        except (JoseError, ValueError) as exc:
            if refresh:
                raise VneidError(SESSION_ENDED) from exc
    assert token is not None
    registry = jwt.JWTClaimsRegistry(
        now=int(now().timestamp()),
        leeway=CLOCK_LEEWAY_S,
        iss={"essential": True, "value": meta["issuer"]},
        aud={"essential": True, "value": settings.MOTCUA_VNEID_CLIENT_ID},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
        SoDinhDanh={"essential": True},
    )
    try:
        registry.validate(token.claims)
    except JoseError as exc:
        raise VneidError(SESSION_ENDED) from exc
    return dict(token.claims)


def finish_flow(flow: Flow, *, code: str) -> Login:
    """Exchange the code (with the PKCE verifier), verify the ID token, read the userinfo."""
    meta = provider_metadata()
    client = _client(flow.redirect_uri)
    try:
        with client:
            token = client.fetch_token(
                meta["token_endpoint"], code=code, code_verifier=flow.verifier
            )
            id_token = token.get("id_token")
            if not isinstance(id_token, str):
                raise VneidError(SESSION_ENDED)
            claims = verify_id_token(id_token, nonce=flow.nonce, meta=meta)
            response = client.get(meta["userinfo_endpoint"])
    except OAuthError as exc:
        raise VneidError(SESSION_ENDED) from exc
    except httpx.HTTPError as exc:
        raise VneidError(UNREACHABLE, status=503) from exc
    try:
        userinfo = response.json() if response.status_code == 200 else None
    except ValueError:
        userinfo = None
    # The userinfo must describe the person the ID token names (OIDC Core §5.3.2).
    if not isinstance(userinfo, dict) or userinfo.get("sub") != claims["sub"]:
        raise VneidError(UNREACHABLE, status=503)
    return Login(id_token=id_token, claims=claims, userinfo=userinfo)


def logout_url(id_token: str, post_logout_redirect_uri: str) -> str:
    """RP-initiated logout at the provider (OpenID Connect RP-Initiated Logout 1.0)."""
    meta = provider_metadata()
    query = httpx.QueryParams(
        id_token_hint=id_token,
        client_id=settings.MOTCUA_VNEID_CLIENT_ID,
        post_logout_redirect_uri=post_logout_redirect_uri,
    )
    return f"{meta['end_session_endpoint']}?{query}"
