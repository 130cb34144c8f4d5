from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.forms import LoginForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    return render(request, "accounts/locked.html", status=429)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
def otp_view(request: HttpRequest) -> HttpResponse:
    """Verify the TOTP code; a leader without a device enrols one here first."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    pending = None
    if device is None:
        pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if pending is None:
            pending = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        candidate = device or pending
        assert candidate is not None
        allowed, _why = candidate.verify_is_allowed()
        if not allowed:
            form.add_error(
                "token", _("Bạn đã nhập sai nhiều lần. Hãy đợi vài giây rồi nhập mã mới.")
            )
        elif candidate.verify_token(form.cleaned_data["token"]):
            if not candidate.confirmed:
                candidate.confirmed = True
                candidate.save(update_fields=["confirmed"])
            otp_login(request, candidate)
            messages.success(request, _("Đã xác thực hai lớp."))
            return redirect(_safe_next(request))
        else:
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới."))
    context: dict[str, Any] = {
        "form": form,
        "enrolling": device is None,
        "next": _safe_next(request),
    }
    if pending is not None:
        context["qr_svg"] = segno.make(pending.config_url, error="m").svg_inline(scale=4)
        context["secret"] = pending.config_url
    return render(request, "accounts/otp.html", context)
