from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from motcua.core.errors import MotcuaError, NotFound, PermissionDenied
from motcua.web import errors
from motcua.web.errors import BAD_REQUEST, TOO_LARGE, error_page


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the person chose English with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, and many phones in Vietnam
    are set to English; a Vietnamese public service must not switch language behind a citizen's
    back. The choice is the language cookie set by ``/i18n/setlang/``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than ``MOTCUA_REQUEST_MAX_BYTES`` from its Content-Length,
    before a byte of it is read (issue #12 item 6): a 300 MB upload used to be written to disk
    before the 10 MB check per file answered. A form carries several files, so the limit is
    the per-file limit times the most files a form sends, plus room for the fields."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MOTCUA_REQUEST_MAX_BYTES:
            return error_page(request, TOO_LARGE)
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in value for values in request.GET.lists() for value in values[1]
        ):
            # A NUL byte is never valid text (PostgreSQL refuses it in any text value): the
            # request is malformed, whatever the view would do with the parameter.
            return error_page(request, BAD_REQUEST)
        return self.get_response(request)


class MotcuaErrorMiddleware:
    """A domain error no view caught becomes the product's page with its status and message
    (a NotFound is the 404 page, a PermissionDenied the 403 page), never a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, MotcuaError) or request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound):
            return errors.error_page(request, errors.NOT_FOUND)
        if isinstance(exception, PermissionDenied):
            return errors.error_page(request, errors.FORBIDDEN)
        return errors.error_page(request, errors.BAD_REQUEST, hint=exception.message)
