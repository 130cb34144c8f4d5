"""Every error page is the product's (issue #12 item 3): 400, 403 (CSRF included), 404, 429 and
500 in Vietnamese first and English second, as an HTML page for people and as the API's error
envelope (``code``, ``message``, ``message_en``, ``details``) under ``/api/``. No traceback or
URL list is ever shown: the demo runs with DEBUG off, like production."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class ErrorKind:
    status: int
    code: str
    title_vi: str
    message_vi: str
    message_en: str
    #: the English title of the plain page (shown when the full page cannot be rendered)
    title_en: str


BAD_REQUEST = ErrorKind(
    400,
    "bad_request",
    gettext_noop("Yêu cầu không hợp lệ"),
    gettext_noop("Yêu cầu gửi đến không đọc được hoặc không hợp lệ. Hãy tải lại trang và thử lại."),
    "The request could not be read or is not valid. Reload the page and try again.",
    "Invalid request",
)
FORBIDDEN = ErrorKind(
    403,
    "forbidden",
    gettext_noop("Không có quyền truy cập"),
    gettext_noop("Tài khoản của bạn không có quyền xem trang này."),
    "Your account is not allowed to see this page.",
    "Access denied",
)
CSRF = ErrorKind(
    403,
    "csrf_failed",
    gettext_noop("Phiên làm việc đã hết hạn"),
    gettext_noop(
        "Biểu mẫu đã hết hạn hoặc không được gửi từ trang của hệ thống. Hãy tải lại trang rồi "
        "gửi lại; những gì bạn đã nhập trong bản nháp vẫn được giữ."
    ),
    "The form expired or was not sent from this site's page. Reload the page and send it again.",
    "Your session has expired",
)
NOT_FOUND = ErrorKind(
    404,
    "not_found",
    gettext_noop("Không tìm thấy trang"),
    gettext_noop("Trang bạn tìm không có hoặc bạn không có quyền xem."),
    "The page does not exist or you are not allowed to see it.",
    "Page not found",
)
TOO_LARGE = ErrorKind(
    413,
    "too_large",
    gettext_noop("Dung lượng gửi lên quá lớn"),
    gettext_noop(
        "Nội dung gửi lên vượt quá dung lượng cho phép. Hãy gửi ít tệp hơn hoặc tệp nhỏ hơn "
        "(mỗi tệp tối đa 10 MB)."
    ),
    "The upload is larger than allowed. Send fewer or smaller files (at most 10 MB each).",
    "The upload is too large",
)
TOO_MANY = ErrorKind(
    429,
    "too_many_requests",
    gettext_noop("Quá nhiều yêu cầu"),
    gettext_noop("Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Hãy đợi ít phút rồi thử lại."),
    "Too many requests in a short time. Wait a few minutes and try again.",
    "Too many requests",
)
SERVER_ERROR = ErrorKind(
    500,
    "server_error",
    gettext_noop("Hệ thống đang gặp sự cố"),
    gettext_noop(
        "Đã có lỗi trong hệ thống; không có dữ liệu nào bị thay đổi. Hãy thử lại sau ít phút. "
        "Nếu lỗi vẫn còn, hãy báo mã yêu cầu dưới đây cho bộ phận hỗ trợ."
    ),
    "Something went wrong in the system; nothing was changed. Try again in a few minutes. "
    "If it persists, give the request ID below to the help desk.",
    "Something went wrong",
)


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/opendata/api/")


def envelope(kind: ErrorKind, request: HttpRequest, **details: Any) -> JsonResponse:
    rid = getattr(request, "request_id", "")
    body = {
        "code": kind.code,
        "message": kind.message_vi,
        "message_en": kind.message_en,
        "details": {**details, **({"request_id": rid} if rid else {})},
    }
    return JsonResponse(body, status=kind.status, json_dumps_params={"ensure_ascii": False})


def plain_page(request: HttpRequest, kind: ErrorKind) -> HttpResponse:
    """Both languages on one self-contained page: no database, no context processors."""
    html = loader.get_template("web/errors/plain.html").render(
        {"request_id": getattr(request, "request_id", ""), "kind": kind}
    )
    return HttpResponse(html, status=kind.status)


def error_page(request: HttpRequest, kind: ErrorKind, *, hint: str = "") -> HttpResponse:
    if wants_json(request):
        return envelope(kind, request)
    if not hasattr(request, "user"):  # refused before the session and login were read
        return plain_page(request, kind)
    context = {
        "status": kind.status,
        "title": _(kind.title_vi),
        "message": _(kind.message_vi),
        "hint": hint,
        "request_id": getattr(request, "request_id", ""),
    }
    return render(request, "web/errors/page.html", context, status=kind.status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, BAD_REQUEST)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, FORBIDDEN)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, NOT_FOUND)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(request, CSRF)


def too_many_requests(request: HttpRequest) -> HttpResponse:
    return error_page(request, TOO_MANY)


def server_error(request: HttpRequest) -> HttpResponse:
    """No database, no context processors: the page must render when everything else fails."""
    if wants_json(request):
        return envelope(SERVER_ERROR, request)
    return plain_page(request, SERVER_ERROR)
