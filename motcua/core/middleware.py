from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from motcua.core.logging import request_id_var

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give every request an id (or keep a sane one from the proxy) and echo it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


#: Part of the idle window after which a request renews the session (writes it again).
RENEW_AFTER_FRACTION = 0.1
SEEN = "_motcua_renewed"  # epoch seconds of the last save, kept in the session itself


class SessionRenewalMiddleware:
    """The idle timeout without a session write on every request.

    ``SESSION_SAVE_EVERY_REQUEST`` renewed the session (an UPDATE and a COMMIT) on each call. Here
    a request renews it only once a tenth of its idle window has passed since the last save, so
    a session still ends after at most its age of inactivity (``SESSION_COOKIE_AGE``, or the
    citizen's ``set_expiry``) and at least 90 % of it, and an active user's API calls write the
    session at most every few minutes. Place it right after ``SessionMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        moment = int(time.time())
        if session.modified:  # saved anyway: remember when
            session[SEEN] = moment
            return response
        if not session.keys():  # nothing to keep alive (an emptied or anonymous session)
            return response
        last = session.get(SEEN)
        window = session.get_expiry_age()
        if not isinstance(last, int) or moment - last >= window * RENEW_AFTER_FRACTION:
            session[SEEN] = moment  # marks it modified: SessionMiddleware saves it, new expiry
        return response
