"""Citizen login with VNeID (R-AUTH-01/02, R-ONL-05): /dang-nhap/, /auth/vneid/login,
/auth/vneid/callback, /auth/vneid/logout (logout at both ends)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from motcua.core.clock import now
from motcua.portal.assurance import level_of
from motcua.portal.identity import do_link_vneid_citizen
from motcua.portal.oidc import Flow, VneidError, finish_flow, logout_url, start_flow

SESSION_FLOWS = "vneid_flows"
SESSION_ID_TOKEN = "vneid_id_token"  # noqa: S105 - a session key, not a secret
SESSION_LOA = "vneid_loa"
FLOW_TTL_S = 10 * 60
MAX_FLOWS = 5  # a few tabs may start a login at once
#: Provider error codes (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6) in the citizen's words.
PROVIDER_ERRORS = {
    "access_denied": "Bạn đã hủy đăng nhập trên VNeID. Hãy đăng nhập lại khi sẵn sàng.",
    "login_required": "Bạn chưa đăng nhập VNeID. Hãy đăng nhập lại.",
    "temporarily_unavailable": "Hệ thống VNeID đang bận. Hãy thử lại sau ít phút.",
    "server_error": "Hệ thống VNeID đang gặp sự cố. Hãy thử lại sau ít phút.",
}
GENERIC_PROVIDER_ERROR = (
    "Hệ thống VNeID từ chối yêu cầu đăng nhập. Hãy thử lại; nếu vẫn lỗi, hãy liên hệ Trung tâm "
    "Phục vụ hành chính công."
)

View = TypeVar("View", bound=Callable[..., HttpResponse])


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    target = candidate or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:mine")


def login_url_for(request: HttpRequest) -> str:
    return f"{reverse('portal:login')}?{urlencode({'next': request.get_full_path()})}"


def citizen_required(view: View) -> View:
    """Logged-in citizens only; others go to the VNeID login page, then come back."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect(login_url_for(request))
        if user.is_officer:
            messages.error(
                request,
                _("Trang này dành cho công dân. Cán bộ hãy dùng Bàn làm việc."),
            )
            return redirect("portal:home")
        return view(request, *args, **kwargs)

    return cast(View, wrapper)


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"error": message, "next": request.GET.get("next", "")}
    return render(request, "portal/account/login.html", context, status=status)


@require_GET
def login_page(request: HttpRequest) -> HttpResponse:
    """Explains the login and offers the VNeID button (no password is typed on our site)."""
    if request.user.is_authenticated and not request.user.is_officer:
        return redirect(_safe_next(request, request.GET.get("next")))
    return render(request, "portal/account/login.html", {"next": request.GET.get("next", "")})


def _redirect_uri(request: HttpRequest) -> str:
    configured: str = settings.MOTCUA_VNEID_REDIRECT_URI
    return configured or request.build_absolute_uri(reverse("portal:vneid_callback"))


@require_GET
def vneid_start(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.GET.get("next"))
    try:
        url, flow = start_flow(_redirect_uri(request), next_url)
    except VneidError as exc:
        return _error(request, exc.message, exc.status)
    moment = now().timestamp()
    flows = {
        state: data
        for state, data in request.session.get(SESSION_FLOWS, {}).items()
        if moment - float(data.get("started", 0)) < FLOW_TTL_S
    }
    flows[flow.state] = flow.as_dict()
    request.session[SESSION_FLOWS] = dict(list(flows.items())[-MAX_FLOWS:])
    return redirect(url)


@require_GET
def vneid_callback(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    flows: dict[str, dict[str, Any]] = request.session.get(SESSION_FLOWS, {})
    data = flows.pop(state, None) if state else None
    request.session[SESSION_FLOWS] = flows  # a state is used once, success or not
    if data is None or now().timestamp() - float(data.get("started", 0)) > FLOW_TTL_S:
        return _error(
            request,
            _(
                "Yêu cầu đăng nhập đã hết hạn hoặc không khớp với trình duyệt này. Hãy bấm "
                "“Đăng nhập bằng VNeID” để đăng nhập lại."
            ),
            400,
        )
    flow = Flow(**data)
    if "error" in request.GET:
        code = request.GET.get("error", "")
        return _error(request, PROVIDER_ERRORS.get(code, GENERIC_PROVIDER_ERROR), 400)
    issuer = request.GET.get("iss")
    if issuer is not None and issuer != settings.MOTCUA_VNEID_ISSUER:
        # RFC 9207: the answer must come from the provider we asked (mix-up attacks).
        return _error(request, GENERIC_PROVIDER_ERROR, 400)
    code = request.GET.get("code", "")
    if not code:
        return _error(request, GENERIC_PROVIDER_ERROR, 400)
    try:
        result = finish_flow(flow, code=code)
        user = do_link_vneid_citizen(result.claims, result.userinfo)
    except VneidError as exc:
        return _error(request, exc.message, exc.status)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_ID_TOKEN] = result.id_token
    request.session[SESSION_LOA] = str(level_of(result.claims))  # R-AUTH-02
    request.session.set_expiry(settings.MOTCUA_CITIZEN_SESSION_SECONDS)
    messages.success(
        request,
        _("Xin chào {name}. Bạn đã đăng nhập bằng tài khoản định danh điện tử VNeID.").format(
            name=user.full_name
        ),
    )
    return redirect(flow.next_url)


@require_POST
def vneid_logout(request: HttpRequest) -> HttpResponse:
    """Logout at both ends: the local session first, then the provider's session."""
    id_token = request.session.get(SESSION_ID_TOKEN)
    logout(request)
    if not id_token:
        return redirect("portal:home")
    back = request.build_absolute_uri(reverse("portal:logged_out"))
    try:
        return redirect(logout_url(id_token, back))
    except VneidError:
        messages.warning(
            request,
            _(
                "Bạn đã đăng xuất khỏi Dịch vụ công. Không kết nối được VNeID để kết thúc phiên "
                "đăng nhập ở đó; hãy đóng trình duyệt nếu dùng máy tính chung."
            ),
        )
        return redirect("portal:home")


@require_GET
def logged_out(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/account/logged_out.html")
