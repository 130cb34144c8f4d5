"""Simulated VNeID identity provider: a real OpenID Connect provider (R-AUTH-01, R-AUTH-02).

Contract: :mod:`contracts.vneid`. Endpoints (no ``X-Api-Key``; clients authenticate with their
secret, the browser with the login form):

* ``GET /.well-known/openid-configuration`` — discovery; the issuer is this process's own base
  URL (``http://127.0.0.1:PORT``) unless ``MOTCUA_SIM_VNEID_ISSUER`` is set.
* ``GET /jwks.json`` — the RSA public key. The private key is generated with ``cryptography``
  at first start and kept in the state dir (``vneid-signing-key.pem``, mode 0600); never in git.
* ``GET|POST /authorize`` — authorization code flow; PKCE ``S256`` is required. ``client_id``
  and ``redirect_uri`` are checked against the registered clients first (an unknown one gets
  an error page, never a redirect); every other error is an OAuth error redirect. Without a
  provider session the Vietnamese login form is shown ("Số định danh cá nhân", "Mật khẩu";
  every synthetic citizen's password is ``MOTCUA_SIM_VNEID_PASSWORD``, default ``vneid-demo``).
  With the session cookie a second ``/authorize`` skips the form (SSO) unless ``prompt=login``;
  ``prompt=none`` without a session → ``login_required``. Tests log in without the form with
  ``login_hint=<12-digit ID>`` and header ``X-Sim-Auto-Login: 1``, or by POSTing the form.
* ``POST /token`` — code (single use, 60 s, bound to client, redirect URI and challenge) +
  ``code_verifier`` → ``access_token``, RS256 ``id_token``; ``client_secret_basic`` or
  ``client_secret_post``. A code presented twice is refused and its tokens are revoked.
* ``GET|POST /userinfo`` — Bearer access token → R-AUTH-01 claims.
* ``GET|POST /logout`` — RP-initiated logout: ends the provider session, redirects to a
  registered ``post_logout_redirect_uri`` (with ``state``).

Clients: the dev client ``motcua-dev`` / ``motcua-dev-secret`` (redirect URIs
``http://127.0.0.1:*/auth/vneid/callback`` and ``http://localhost:*/…``, any port) plus
``MOTCUA_SIM_VNEID_CLIENTS`` = JSON ``{client_id: {secret, redirect_uris[],
post_logout_redirect_uris[]}}``; in a URI pattern ``:*`` is any port, ``*`` one path segment,
``**`` the rest of the path and query.

Citizens are the population simulator's (same 12-digit IDs) plus the demo citizen
``092190000001`` (Nguyễn Thị An, level of assurance 2). ``sub`` = ``TechID``, an opaque ID
derived from the personal ID, stable across restarts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import os
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass, replace
from typing import Annotated, Any, Final
from urllib.parse import parse_qs, unquote_plus, urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from contracts import vneid as c
from contracts.population import Citizen
from simulators import population as pop
from simulators.base import SimContext, create_sim_app, state_dir

CODE_TTL_S: Final = 60
ACCESS_TOKEN_TTL_S: Final = 900
ID_TOKEN_TTL_S: Final = 900
SESSION_TTL_S: Final = 8 * 3600
SESSION_COOKIE: Final = "vneid_sid"
KEY_FILE: Final = "vneid-signing-key.pem"
TECHID_SALT: Final = "motcua-vneid-techid-v1"
MOBILE_PREFIXES: Final = (
    "032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079",
    "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096",
    "097", "098",
)  # fmt: skip
_VERIFIER: Final = re.compile(r"[A-Za-z0-9._~-]{43,128}")
_CHALLENGE: Final = re.compile(r"[A-Za-z0-9_-]{43}")
_PUBLIC: Final = (
    c.DISCOVERY_PATH, c.JWKS_PATH, c.AUTHORIZE_PATH, c.TOKEN_PATH, c.USERINFO_PATH, c.LOGOUT_PATH,
)  # fmt: skip


# --------------------------------------------------------------------------- clients


@dataclass(frozen=True)
class Client:
    """A registered relying party."""

    client_id: str
    secret: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]


def _uri_regex(pattern: str) -> re.Pattern[str]:
    out = []
    for part in re.split(r"(:\*|\*\*|\*)", pattern):
        if part == ":*":
            out.append(r":[0-9]{1,5}")
        elif part == "**":
            out.append(r"[^#]*")
        elif part == "*":
            out.append(r"[^/?#@]*")
        else:
            out.append(re.escape(part))
    return re.compile("".join(out))


def uri_allowed(uri: str, patterns: tuple[str, ...]) -> bool:
    """True when ``uri`` is one of the registered URIs (exact, or matching a ``*`` pattern)."""
    return any(_uri_regex(p).fullmatch(uri) for p in patterns)


def load_clients() -> dict[str, Client]:
    """The dev client plus ``MOTCUA_SIM_VNEID_CLIENTS`` (which may redefine ``motcua-dev``)."""
    out = {
        c.DEV_CLIENT_ID: Client(
            c.DEV_CLIENT_ID,
            c.DEV_CLIENT_SECRET,
            c.DEV_REDIRECT_URIS,
            c.DEV_POST_LOGOUT_REDIRECT_URIS,
        )
    }
    raw = os.environ.get("MOTCUA_SIM_VNEID_CLIENTS", "").strip()
    if raw:
        for client_id, spec in json.loads(raw).items():
            out[client_id] = Client(
                client_id,
                str(spec["secret"]),
                tuple(str(u) for u in spec.get("redirect_uris", ())),
                tuple(str(u) for u in spec.get("post_logout_redirect_uris", ())),
            )
    return out


CLIENTS: Final = load_clients()


def dev_password() -> str:
    """The password of every synthetic citizen (a documented dev value, never a secret)."""
    return os.environ.get("MOTCUA_SIM_VNEID_PASSWORD", c.DEV_PASSWORD)


# --------------------------------------------------------------------------- citizens


def _h(tag: str, text: str) -> int:
    return int.from_bytes(hashlib.sha256(f"vneid:{tag}:{text}".encode()).digest()[:8], "big")


def tech_id(personal_id: str) -> str:
    """A stable opaque account ID (``sub``/``TechID``) for a personal ID."""
    digest = hashlib.sha256(f"{TECHID_SALT}:{personal_id}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def level_of_assurance(personal_id: str) -> str:
    """``"2"`` for the demo citizen and ~80 % of people, else ``"1"`` (R-AUTH-02)."""
    if personal_id == c.DEMO_ID:
        return c.LOA_HIGH
    return c.LOA_BASIC if _h("loa", personal_id) % 5 == 0 else c.LOA_HIGH


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower()


def phone(personal_id: str) -> str:
    """A mobile number with a real carrier prefix (the demo citizen's is fixed)."""
    if personal_id == c.DEMO_ID:
        return pop.DEMO_PHONE
    prefix = MOBILE_PREFIXES[_h("prefix", personal_id) % len(MOBILE_PREFIXES)]
    return f"{prefix}{_h('phone', personal_id) % 10**7:07d}"


def email(person: Citizen) -> str:
    """About 60 % of people registered an e-mail (reserved domain ``example.com``)."""
    if person.ThuDienTu:
        return person.ThuDienTu
    if _h("email", person.SoDinhDanh) % 5 >= 3:
        return ""
    return f"{_ascii(person.HoVaTen.full)}{_h('mail', person.SoDinhDanh) % 1000}@example.com"


def userinfo_of(person: Citizen) -> c.UserInfo:
    """The R-AUTH-01 claims of a citizen's account."""
    tid = tech_id(person.SoDinhDanh)
    return c.UserInfo(
        sub=tid,
        TechID=tid,
        LoaiTaiKhoan=c.ACCOUNT_CITIZEN,
        SoDinhDanh=person.SoDinhDanh,
        SoCMND=person.SoCMND,
        MaSoThue=person.MaSoThue,
        HoVaTen=person.HoVaTen.full,
        ThuDienTu=email(person),
        SoDienThoai=phone(person.SoDinhDanh),
        GioiTinh=person.GioiTinh,
        DanToc=person.DanToc,
        TonGiao=person.TonGiao,
        TinhTrangHonNhan=person.TinhTrangHonNhan,
        NhomMau=person.NhomMau,
        NgayThangNamSinh=person.NgayThangNamSinh.NgayThangNam,
        NoiDangKyKhaiSinh=person.NoiDangKyKhaiSinh,
        QueQuan=person.QueQuan,
        ThuongTru=person.ThuongTru,
        NoiOHienNay=person.NoiOHienTai,
        QuocTich="VN",
        Cha=person.Cha,
        Me=person.Me,
        VoChong=person.VoChong,
        NguoiDaiDien=person.NguoiDaiDien,
        ChuHo=person.ChuHo,
        TrangThai="1",
        loAs=level_of_assurance(person.SoDinhDanh),
    )


# --------------------------------------------------------------------------- state, key

SCHEMA = """
CREATE TABLE IF NOT EXISTS session (
    sid_hash TEXT PRIMARY KEY,
    so_dinh_danh TEXT NOT NULL,
    auth_time INTEGER NOT NULL,
    created REAL NOT NULL,
    ended REAL
);
CREATE TABLE IF NOT EXISTS auth_code (
    code_hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    nonce TEXT,
    scope TEXT NOT NULL,
    so_dinh_danh TEXT NOT NULL,
    auth_time INTEGER NOT NULL,
    created REAL NOT NULL,
    used REAL
);
CREATE TABLE IF NOT EXISTS access_token (
    token_hash TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL,
    client_id TEXT NOT NULL,
    so_dinh_danh TEXT NOT NULL,
    scope TEXT NOT NULL,
    expires REAL NOT NULL,
    revoked REAL
);
CREATE TABLE IF NOT EXISTS event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    kind TEXT NOT NULL,
    client_id TEXT,
    so_dinh_danh TEXT,
    detail TEXT
);
"""

_keys: dict[str, RSAKey] = {}


def _load_key(_ctx: SimContext) -> None:
    """Create the signing key at first start (0600, state dir), then load it."""
    path = state_dir() / KEY_FILE
    if not path.exists():
        pem = RSAKey.generate_key(2048, private=True).as_pem(private=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
    key = RSAKey.import_key(path.read_bytes(), {"use": "sig", "alg": "RS256"})
    key.ensure_kid()
    _keys["signing"] = key


def signing_key() -> RSAKey:
    """The provider's RSA key (loaded at start)."""
    return _keys["signing"]


app, ctx = create_sim_app(
    "vneid",
    title="VNeID — định danh và xác thực điện tử (mô phỏng OpenID Connect)",
    schema=SCHEMA,
    public_prefixes=_PUBLIC,
    on_start=_load_key,
)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _event(kind: str, client_id: str | None, personal_id: str | None, detail: str = "") -> None:
    with ctx.db.transaction() as conn:
        conn.execute(
            "INSERT INTO event (at, kind, client_id, so_dinh_danh, detail) VALUES (?, ?, ?, ?, ?)",
            (time.time(), kind, client_id, personal_id, detail),
        )
    ctx.stats[f"oidc_{kind}"] += 1


def issuer(request: Request) -> str:
    """``MOTCUA_SIM_VNEID_ISSUER``, else the address this process is bound to."""
    configured = os.environ.get("MOTCUA_SIM_VNEID_ISSUER", "").strip()
    if configured:
        return configured.rstrip("/")
    server = request.scope.get("server")
    if server and server[1] is not None:
        return f"http://{server[0]}:{server[1]}"
    return str(request.base_url).rstrip("/")


# --------------------------------------------------------------------------- discovery

CLAIMS_SUPPORTED: Final = [
    "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash",
    *c.UserInfo.model_fields,
]  # fmt: skip


@app.get(c.DISCOVERY_PATH)
def discovery(request: Request) -> dict[str, Any]:
    """OpenID Provider metadata (OIDC Discovery 1.0 §3)."""
    base = issuer(request)
    return {
        "issuer": base,
        "authorization_endpoint": base + c.AUTHORIZE_PATH,
        "token_endpoint": base + c.TOKEN_PATH,
        "userinfo_endpoint": base + c.USERINFO_PATH,
        "jwks_uri": base + c.JWKS_PATH,
        "end_session_endpoint": base + c.LOGOUT_PATH,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": list(dict.fromkeys(CLAIMS_SUPPORTED)),
        "prompt_values_supported": ["none", "login"],
        "ui_locales_supported": ["vi"],
        "authorization_response_iss_parameter_supported": True,
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
    }


@app.get(c.JWKS_PATH)
def jwks() -> JSONResponse:
    """The public signing key as a JWK set."""
    return JSONResponse(
        {"keys": [signing_key().as_dict(private=False)]},
        headers={"Cache-Control": "public, max-age=300"},
    )


# --------------------------------------------------------------------------- authorize


@dataclass(frozen=True)
class AuthRequest:
    """A validated authorization request."""

    client: Client
    redirect_uri: str
    state: str | None
    nonce: str | None
    scope: str
    code_challenge: str
    login_hint: str
    prompt: tuple[str, ...]

    def hidden_fields(self) -> dict[str, str]:
        """What the login form re-posts."""
        fields = {
            "client_id": self.client.client_id,
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "scope": self.scope,
            "code_challenge": self.code_challenge,
            "code_challenge_method": "S256",
        }
        if self.state is not None:
            fields["state"] = self.state
        if self.nonce is not None:
            fields["nonce"] = self.nonce
        return fields


def _with_query(uri: str, params: dict[str, str | None]) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{uri}{'&' if '?' in uri else '?'}{query}"


_PAGE: Final = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body><main>
<h1>{title}</h1>
{body}
</main></body></html>
"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        _PAGE.format(title=html.escape(title), body=body),
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def _error_page(message: str, status: int = 400) -> HTMLResponse:
    ctx.stats["oidc_error_page"] += 1
    return _page("Yêu cầu đăng nhập không hợp lệ", f"<p role=\"alert\">{html.escape(message)}</p>",
                 status)  # fmt: skip


def _login_page(req: AuthRequest, *, error: str | None = None) -> HTMLResponse:
    hidden = "\n".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in req.hidden_fields().items()
    )
    alert = f'<p role="alert" id="login-error">{html.escape(error)}</p>' if error else ""
    invalid = ' aria-invalid="true" aria-describedby="login-error"' if error else ""
    body = f"""<p>Ứng dụng <strong>{html.escape(req.client.client_id)}</strong> yêu cầu xác thực
bằng tài khoản định danh điện tử.</p>
{alert}
<form method="post" action="{c.AUTHORIZE_PATH}">
{hidden}
<p><label for="username">Số định danh cá nhân</label><br>
<input id="username" name="username" type="text" inputmode="numeric" pattern="[0-9]{{12}}"
 maxlength="12" autocomplete="username" required value="{html.escape(req.login_hint)}"{invalid}>
</p>
<p><label for="password">Mật khẩu</label><br>
<input id="password" name="password" type="password" autocomplete="current-password"
 required{invalid}></p>
<p><button type="submit">Đăng nhập</button></p>
</form>
<p><small>Môi trường mô phỏng: mọi công dân mô phỏng dùng chung mật khẩu phát triển
(xem simulators/README.md).</small></p>"""
    return _page("Đăng nhập VNeID (mô phỏng)", body)


def _validate(params: dict[str, str], iss: str) -> AuthRequest | Response:  # noqa: PLR0911 - per error
    """Check an authorization request; an error is a page (bad client) or an error redirect."""
    client = CLIENTS.get(params.get("client_id", ""))
    if client is None:
        return _error_page("Ứng dụng (client_id) chưa được đăng ký với VNeID.")
    redirect_uri = params.get("redirect_uri", "")
    if not redirect_uri or not uri_allowed(redirect_uri, client.redirect_uris):
        return _error_page("Địa chỉ chuyển hướng (redirect_uri) chưa được đăng ký cho ứng dụng.")
    state = params.get("state")

    def fail(error: str, description: str) -> Response:
        ctx.stats[f"oidc_authorize_{error}"] += 1
        params_out = {"error": error, "error_description": description, "state": state,
                      "iss": iss}  # fmt: skip
        return RedirectResponse(_with_query(redirect_uri, params_out), status_code=302)

    if params.get("response_type") != "code":
        return fail("unsupported_response_type", "only response_type=code is supported")
    scopes = params.get("scope", "").split()
    if "openid" not in scopes:
        return fail("invalid_scope", "scope must include openid")
    challenge = params.get("code_challenge", "")
    if not challenge:
        return fail("invalid_request", "code_challenge is required (PKCE)")
    if params.get("code_challenge_method", "plain") != "S256":
        return fail("invalid_request", "code_challenge_method must be S256")
    if not _CHALLENGE.fullmatch(challenge):
        return fail("invalid_request", "malformed code_challenge")
    return AuthRequest(
        client=client,
        redirect_uri=redirect_uri,
        state=state,
        nonce=params.get("nonce"),
        scope=" ".join(s for s in scopes if s in {"openid", "profile"}),
        code_challenge=challenge,
        login_hint=params.get("login_hint", "").strip(),
        prompt=tuple(params.get("prompt", "").split()),
    )


def _current_session(request: Request) -> Any:
    sid = request.cookies.get(SESSION_COOKIE)
    if not sid:
        return None
    rows = ctx.db.query(
        "SELECT * FROM session WHERE sid_hash=? AND ended IS NULL AND created>?",
        (_digest(sid), time.time() - SESSION_TTL_S),
    )
    return rows[0] if rows else None


def _new_session(personal_id: str) -> tuple[str, int]:
    sid = secrets.token_urlsafe(32)
    now = int(time.time())
    with ctx.db.transaction() as conn:
        conn.execute(
            "INSERT INTO session (sid_hash, so_dinh_danh, auth_time, created) VALUES (?, ?, ?, ?)",
            (_digest(sid), personal_id, now, time.time()),
        )
    return sid, now


def _issue_code(req: AuthRequest, personal_id: str, auth_time: int, iss: str) -> str:
    code = secrets.token_urlsafe(32)
    with ctx.db.transaction() as conn:
        conn.execute(
            "INSERT INTO auth_code (code_hash, client_id, redirect_uri, code_challenge, nonce,"
            " scope, so_dinh_danh, auth_time, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_digest(code), req.client.client_id, req.redirect_uri, req.code_challenge,
             req.nonce, req.scope, personal_id, auth_time, time.time()),
        )  # fmt: skip
    _event("code", req.client.client_id, personal_id)
    return _with_query(req.redirect_uri, {"code": code, "state": req.state, "iss": iss})


def _set_cookie(response: Response, sid: str) -> None:
    response.set_cookie(
        SESSION_COOKIE, sid, max_age=SESSION_TTL_S, path="/", httponly=True, samesite="lax"
    )


def _authorize(request: Request, params: dict[str, str], *, status: int) -> Response:
    iss = issuer(request)
    req = _validate(params, iss)
    if isinstance(req, Response):
        return req
    session = None if "login" in req.prompt else _current_session(request)
    auto = request.headers.get(c.AUTO_LOGIN_HEADER, "").strip() == "1"
    if auto and req.login_hint and (session is None or session["so_dinh_danh"] != req.login_hint):
        if pop.find(req.login_hint) is None:
            return _login_page(req, error="Không tìm thấy tài khoản định danh điện tử.")
        sid, auth_time = _new_session(req.login_hint)
        _event("login", req.client.client_id, req.login_hint, "auto-login")
        response = RedirectResponse(
            _issue_code(req, req.login_hint, auth_time, iss), status_code=status
        )
        _set_cookie(response, sid)
        return response
    if session is not None:
        _event("sso", req.client.client_id, session["so_dinh_danh"])
        target = _issue_code(req, session["so_dinh_danh"], int(session["auth_time"]), iss)
        return RedirectResponse(target, status_code=status)
    if "none" in req.prompt:
        return RedirectResponse(
            _with_query(
                req.redirect_uri,
                {"error": "login_required", "error_description": "no VNeID session",
                 "state": req.state, "iss": iss},
            ),
            status_code=status,
        )  # fmt: skip
    return _login_page(req)


def _form(body: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}


@app.get(c.AUTHORIZE_PATH)
def authorize(request: Request) -> Response:
    """Authorization request: SSO redirect, auto-login (tests) or the login form."""
    return _authorize(request, dict(request.query_params), status=302)


@app.post(c.AUTHORIZE_PATH)
async def authorize_post(request: Request) -> Response:
    """The login form (``username`` + ``password``), or a form-encoded authorization request."""
    form = _form(await request.body())
    if "username" not in form:
        return _authorize(request, form, status=303)
    iss = issuer(request)
    req = _validate(form, iss)
    if isinstance(req, Response):
        return req
    personal_id = form["username"].strip()
    req = replace(req, login_hint=personal_id)
    person = pop.find(personal_id) if re.fullmatch(r"\d{12}", personal_id) else None
    if person is None or not hmac.compare_digest(
        form.get("password", "").encode(), dev_password().encode()
    ):
        _event("login_failed", req.client.client_id, personal_id)
        return _login_page(req, error="Số định danh cá nhân hoặc mật khẩu không đúng.")
    sid, auth_time = _new_session(personal_id)
    _event("login", req.client.client_id, personal_id, "form")
    response = RedirectResponse(_issue_code(req, personal_id, auth_time, iss), status_code=303)
    _set_cookie(response, sid)
    return response


# --------------------------------------------------------------------------- token

_NO_STORE: Final = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _oauth_error(
    status: int, error: str, description: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    ctx.stats[f"oidc_error_{error}"] += 1
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={**_NO_STORE, **(headers or {})},
    )


def _authenticate_client(request: Request, form: dict[str, str]) -> Client | JSONResponse:
    """``client_secret_basic`` (RFC 6749 §2.3.1) or ``client_secret_post``."""
    auth = request.headers.get("authorization", "")
    basic = {"WWW-Authenticate": 'Basic realm="vneid"'}
    if auth[:6].lower() == "basic ":
        if "client_secret" in form:
            return _oauth_error(400, "invalid_request", "more than one client authentication")
        try:
            decoded = base64.b64decode(auth[6:].strip(), validate=True).decode("utf-8")
        except ValueError:
            return _oauth_error(401, "invalid_client", "malformed Basic credentials", basic)
        raw_id, _, raw_secret = decoded.partition(":")
        client_id, secret = unquote_plus(raw_id), unquote_plus(raw_secret)
        if form.get("client_id", client_id) != client_id:
            return _oauth_error(401, "invalid_client", "client_id mismatch", basic)
    elif "client_secret" in form:
        client_id, secret, basic = form.get("client_id", ""), form["client_secret"], {}
    else:
        return _oauth_error(401, "invalid_client", "client authentication required", basic)
    client = CLIENTS.get(client_id)
    if client is None or not hmac.compare_digest(secret.encode(), client.secret.encode()):
        return _oauth_error(401, "invalid_client", "unknown client or wrong secret", basic)
    return client


def _at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


def _id_token(row: Any, client_id: str, access_token: str, iss: str) -> str:
    person = pop.find(row["so_dinh_danh"])
    if person is None:  # pragma: no cover - codes are only issued for known people
        msg = "unknown citizen"
        raise RuntimeError(msg)
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": iss,
        "sub": tech_id(person.SoDinhDanh),
        "aud": client_id,
        "exp": now + ID_TOKEN_TTL_S,
        "iat": now,
        "auth_time": int(row["auth_time"]),
        "at_hash": _at_hash(access_token),
        "SoDinhDanh": person.SoDinhDanh,
        "HoVaTen": person.HoVaTen.full,
        "loAs": level_of_assurance(person.SoDinhDanh),
        "LoaiTaiKhoan": c.ACCOUNT_CITIZEN,
    }
    if row["nonce"] is not None:
        claims["nonce"] = row["nonce"]
    key = signing_key()
    return jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key)


@app.post(c.TOKEN_PATH)
async def token(request: Request) -> JSONResponse:  # noqa: PLR0911 - one per OAuth error
    """Authorization code + PKCE verifier → access token and ID token."""
    form = _form(await request.body())
    client = _authenticate_client(request, form)
    if isinstance(client, JSONResponse):
        return client
    if form.get("grant_type") != "authorization_code":
        return _oauth_error(400, "unsupported_grant_type", "only authorization_code")
    code, verifier = form.get("code", ""), form.get("code_verifier", "")
    if not code or not verifier:
        return _oauth_error(400, "invalid_request", "code and code_verifier are required")
    iss = issuer(request)
    now = time.time()
    with ctx.db.transaction() as conn:
        row = conn.execute("SELECT * FROM auth_code WHERE code_hash=?", (_digest(code),)).fetchone()
        if row is None:
            return _oauth_error(400, "invalid_grant", "unknown authorization code")
        if row["used"] is not None:
            conn.execute(
                "UPDATE access_token SET revoked=? WHERE code_hash=? AND revoked IS NULL",
                (now, row["code_hash"]),
            )
            _event("code_replay", client.client_id, row["so_dinh_danh"])
            return _oauth_error(400, "invalid_grant", "authorization code already used")
        conn.execute("UPDATE auth_code SET used=? WHERE code_hash=?", (now, row["code_hash"]))
        if now - row["created"] > CODE_TTL_S:
            return _oauth_error(400, "invalid_grant", "authorization code expired")
        if row["client_id"] != client.client_id:
            return _oauth_error(400, "invalid_grant", "code was issued to another client")
        if form.get("redirect_uri") != row["redirect_uri"]:
            return _oauth_error(400, "invalid_grant", "redirect_uri does not match")
        if not _VERIFIER.fullmatch(verifier) or not hmac.compare_digest(
            c.s256_challenge(verifier), row["code_challenge"]
        ):
            return _oauth_error(400, "invalid_grant", "PKCE verification failed")
        access_token = secrets.token_urlsafe(32)
        conn.execute(
            "INSERT INTO access_token (token_hash, code_hash, client_id, so_dinh_danh, scope,"
            " expires) VALUES (?, ?, ?, ?, ?, ?)",
            (_digest(access_token), row["code_hash"], client.client_id, row["so_dinh_danh"],
             row["scope"], now + ACCESS_TOKEN_TTL_S),
        )  # fmt: skip
    _event("token", client.client_id, row["so_dinh_danh"])
    body = {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ACCESS_TOKEN_TTL_S,
        "id_token": _id_token(row, client.client_id, access_token, iss),
        "scope": row["scope"],
    }
    return JSONResponse(body, headers=_NO_STORE)


# --------------------------------------------------------------------------- userinfo


@app.api_route(c.USERINFO_PATH, methods=["GET", "POST"])
def userinfo(request: Request) -> JSONResponse:
    """Bearer access token → the citizen's R-AUTH-01 claims."""
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() != "bearer ":
        return JSONResponse(
            {"error": "invalid_request", "error_description": "Bearer token required"},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="vneid"'},
        )
    rows = ctx.db.query(
        "SELECT * FROM access_token WHERE token_hash=? AND revoked IS NULL AND expires>?",
        (_digest(auth[7:].strip()), time.time()),
    )
    person = pop.find(rows[0]["so_dinh_danh"]) if rows else None
    if person is None:
        ctx.stats["oidc_error_invalid_token"] += 1
        return JSONResponse(
            {"error": "invalid_token", "error_description": "unknown, expired or revoked token"},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="vneid", error="invalid_token"'},
        )
    return JSONResponse(userinfo_of(person).model_dump(mode="json"), headers=_NO_STORE)


# --------------------------------------------------------------------------- logout


def _hint_audience(hint: str, iss: str) -> str | None:
    """The ``aud`` of an ID token we signed (expired is fine), else ``None``."""
    try:
        decoded = jwt.decode(hint, signing_key(), algorithms=["RS256"])
    except (JoseError, ValueError):
        return None
    aud = decoded.claims.get("aud")
    if decoded.claims.get("iss") != iss or not isinstance(aud, str):
        return None
    return aud


async def _logout(request: Request, params: dict[str, str]) -> Response:
    iss = issuer(request)
    session = _current_session(request)
    if session is not None:
        with ctx.db.transaction() as conn:
            conn.execute(
                "UPDATE session SET ended=? WHERE sid_hash=?", (time.time(), session["sid_hash"])
            )
    hint = params.get("id_token_hint", "")
    audience = _hint_audience(hint, iss) if hint else None
    client_id = params.get("client_id") or audience
    _event("logout", client_id, session["so_dinh_danh"] if session is not None else None)
    target = params.get("post_logout_redirect_uri", "")
    response: Response
    if hint and audience is None:
        response = _error_page("id_token_hint không hợp lệ; phiên đăng nhập VNeID đã kết thúc.")
    elif target:
        client = CLIENTS.get(client_id or "")
        if (
            client is None
            or (audience is not None and audience != client.client_id)
            or not uri_allowed(target, client.post_logout_redirect_uris)
        ):
            response = _error_page(
                "post_logout_redirect_uri chưa được đăng ký; phiên đăng nhập VNeID đã kết thúc."
            )
        else:
            response = RedirectResponse(
                _with_query(target, {"state": params.get("state")}), status_code=302
            )
    else:
        response = _page("Đã đăng xuất", "<p>Bạn đã đăng xuất khỏi VNeID (mô phỏng).</p>")
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response


@app.get(c.LOGOUT_PATH)
async def logout(request: Request) -> Response:
    """RP-initiated logout (OIDC RP-Initiated Logout 1.0)."""
    return await _logout(request, dict(request.query_params))


@app.post(c.LOGOUT_PATH)
async def logout_post(request: Request) -> Response:
    """RP-initiated logout, form-encoded."""
    return await _logout(request, _form(await request.body()))


# --------------------------------------------------------------------------- /_sim


@app.get("/_sim/sample", tags=["_sim"])
def sample(n: Annotated[int, Query(ge=1, le=100)] = 5) -> list[dict[str, str]]:
    """The demo citizen and a few synthetic citizens who can log in."""
    people = [pop.demo_citizen()] + [
        pop.citizen((k * 7919 + 13) % pop.POPULATION) for k in range(n - 1)
    ]
    return [
        {
            "SoDinhDanh": p.SoDinhDanh,
            "HoVaTen": p.HoVaTen.full,
            "loAs": level_of_assurance(p.SoDinhDanh),
            "sub": tech_id(p.SoDinhDanh),
        }
        for p in people
    ]


@app.get("/_sim/clients", tags=["_sim"])
def clients() -> list[dict[str, Any]]:
    """Registered clients (without their secrets)."""
    return [
        {
            "client_id": cl.client_id,
            "redirect_uris": list(cl.redirect_uris),
            "post_logout_redirect_uris": list(cl.post_logout_redirect_uris),
        }
        for cl in CLIENTS.values()
    ]


@app.get("/_sim/events", tags=["_sim"])
def events(limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
    """Logins, SSO, codes, tokens, logouts, refusals — newest first."""
    return [dict(r) for r in ctx.db.query("SELECT * FROM event ORDER BY id DESC LIMIT ?",
                                          (limit,))]  # fmt: skip
