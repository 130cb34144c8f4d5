"""VNeID / National Portal login contract: OpenID Connect (R-AUTH-01, R-AUTH-02).

The platform is an OIDC relying party: authorization code flow with PKCE (S256 only), client
authentication ``client_secret_basic`` or ``client_secret_post``, RS256 ID tokens verified
against the provider's JWKS. Besides the standard claims (``iss``, ``sub``, ``aud``, ``exp``,
``iat``, ``nonce``, ``auth_time``) the ID token carries the R-AUTH-01 identity claims
``SoDinhDanh``, ``HoVaTen``, ``loAs`` (level of assurance, R-AUTH-02: ``"1"`` basic, ``"2"``
in-person enrolment with biometrics) and ``LoaiTaiKhoan``; the userinfo endpoint returns the
full R-AUTH-01 set (:class:`UserInfo`).

The claim names come from a production provincial system [IMPL]; the shapes of the nested
values (addresses as the population address object, dates as ``yyyyMMdd``) are [I].
"""

from __future__ import annotations

import base64
import hashlib
from typing import Final

from pydantic import BaseModel, ConfigDict

from contracts.common import ContractModel
from contracts.population import DEMO_CITIZEN_ID, Address, HouseholdHead, Relative

DISCOVERY_PATH: Final = "/.well-known/openid-configuration"
JWKS_PATH: Final = "/jwks.json"
AUTHORIZE_PATH: Final = "/authorize"
TOKEN_PATH: Final = "/token"  # noqa: S105 - a path
USERINFO_PATH: Final = "/userinfo"
LOGOUT_PATH: Final = "/logout"

#: Development client registered by default (a dev credential, never a secret).
DEV_CLIENT_ID: Final = "motcua-dev"
DEV_CLIENT_SECRET: Final = "motcua-dev-secret"  # noqa: S105 - published dev value
#: Redirect URIs the dev client may use: any port on the loopback host names.
DEV_REDIRECT_URIS: Final = (
    "http://127.0.0.1:*/auth/vneid/callback",
    "http://localhost:*/auth/vneid/callback",
)
#: Where the dev client may send the browser after logout: any path on the loopback hosts.
DEV_POST_LOGOUT_REDIRECT_URIS: Final = ("http://127.0.0.1:*/**", "http://localhost:*/**")
#: Password of every synthetic citizen unless ``MOTCUA_SIM_VNEID_PASSWORD`` says otherwise.
DEV_PASSWORD: Final = "vneid-demo"  # noqa: S105 - published dev value
#: Request header that logs ``login_hint`` in without the form (tests only).
AUTO_LOGIN_HEADER: Final = "X-Sim-Auto-Login"
#: The platform's demo citizen (level of assurance 2).
DEMO_ID: Final = DEMO_CITIZEN_ID

LOA_BASIC: Final = "1"
LOA_HIGH: Final = "2"
ACCOUNT_CITIZEN: Final = "1"
ACCOUNT_ENTERPRISE: Final = "2"
ACCOUNT_ORGANIZATION: Final = "3"

#: Claims of the ID token beyond the OIDC standard ones.
ID_TOKEN_IDENTITY_CLAIMS: Final = ("SoDinhDanh", "HoVaTen", "loAs", "LoaiTaiKhoan")


def s256_challenge(code_verifier: str) -> str:
    """The PKCE ``code_challenge`` of a verifier (RFC 7636 §4.2, method S256)."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class ProviderMetadata(BaseModel):
    """The discovery document (OpenID Connect Discovery 1.0 §3), fields the platform uses."""

    model_config = ConfigDict(extra="allow")

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str
    response_types_supported: list[str]
    code_challenge_methods_supported: list[str]
    id_token_signing_alg_values_supported: list[str]
    scopes_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    subject_types_supported: list[str]


class TokenResponse(BaseModel):
    """Successful token endpoint reply (RFC 6749 §5.1, OIDC Core §3.1.3.3)."""

    model_config = ConfigDict(extra="allow")

    access_token: str
    token_type: str
    expires_in: int
    id_token: str
    scope: str = ""


class OAuthError(BaseModel):
    """Error reply of the token/userinfo endpoints (RFC 6749 §5.2)."""

    model_config = ConfigDict(extra="allow")

    error: str
    error_description: str = ""


class IdTokenClaims(ContractModel):
    """The ID token's claims (RS256 JWT)."""

    iss: str
    sub: str
    aud: str
    exp: int
    iat: int
    auth_time: int
    nonce: str | None = None
    SoDinhDanh: str
    HoVaTen: str
    loAs: str  # noqa: N815 - the national claim name
    LoaiTaiKhoan: str


class UserInfo(ContractModel):
    """Userinfo claims (R-AUTH-01); ``sub`` equals ``TechID``, stable per citizen."""

    sub: str
    TechID: str
    LoaiTaiKhoan: str
    SoDinhDanh: str
    SoCMND: str = ""
    MaSoThue: str = ""
    MaBHXH: str = ""
    HoChieu: str = ""
    HoVaTen: str
    ThuDienTu: str = ""
    SoDienThoai: str = ""
    GioiTinh: str  # "1" nam, "2" nữ
    DanToc: str = ""
    TonGiao: str = ""
    TinhTrangHonNhan: str = ""
    NhomMau: str = ""
    NgayThangNamSinh: str  # yyyyMMdd
    NoiDangKyKhaiSinh: Address | None = None
    QueQuan: Address | None = None
    ThuongTru: Address | None = None
    NoiOHienNay: Address | None = None
    QuocTich: str = "VN"
    Cha: Relative | None = None
    Me: Relative | None = None
    VoChong: Relative | None = None
    NguoiDaiDien: Relative | None = None
    ChuHo: HouseholdHead | None = None
    TrangThai: str = "1"  # "1" account active [I]
    loAs: str  # noqa: N815 - the national claim name
    MaSoDoanhNghiep: str = ""
    TenDoanhNghiep: str = ""
    DiaChi: str = ""
