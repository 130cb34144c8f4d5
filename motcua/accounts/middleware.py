from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from motcua.accounts.scope import needs_second_factor

# Paths a half-logged-in leader may reach: the second-factor pages, logout, static files.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")


class SecondFactorMiddleware:
    """Leaders and admins must pass TOTP before using anything behind their password."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            # The role check shares the request's one assignments query with the scope checks.
            and needs_second_factor(user)
            # django-otp's middleware attaches is_verified() to the user.
            and not getattr(user, "is_verified", lambda: False)()
        ):
            return redirect(f"{reverse('accounts:otp')}?next={request.get_full_path()}")
        return self.get_response(request)
