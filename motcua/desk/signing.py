"""The leader's signature is a deliberate act (issue #14 item 1): before ``approve`` runs, the
leader has opened the preview of the exact result document in this session, ticked the
explicit confirmation, and passed the second factor again for a signing session.

A signing session lasts :data:`SIGNING_SECONDS`; within it the leader signs several dossiers
with one TOTP code, each after its own preview and confirmation. The TOTP device is the one the
leader logs in with (django-otp); a code is accepted once (django-otp refuses a replayed step).
"""

from __future__ import annotations

import time

from django.http import HttpRequest

from motcua.accounts.models import User
from motcua.accounts.otp import verify_fresh_code
from motcua.core.errors import ValidationFailed
from motcua.desk.viewer import GRANTS
from motcua.dossiers.models import Dossier

SESSION_KEY = "motcua_signing_until"
SIGNING_SECONDS = 15 * 60


def session_open(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_KEY, 0) > time.time())


def previewed(request: HttpRequest, dossier: Dossier) -> bool:
    """The leader opened the preview of this dossier's result in this session (recently)."""
    return bool(request.session.get(GRANTS, {}).get(f"p{dossier.pk}", 0) > time.time())


def check(request: HttpRequest, user: User, dossier: Dossier) -> None:
    """Raise a precise error unless preview, confirmation and second factor are all there."""
    if not previewed(request, dossier):
        raise ValidationFailed(
            "Hãy xem trước văn bản kết quả trước khi ký.",
            "Preview the result document before signing.",
            field="preview",
        )
    if request.POST.get("confirm") != "on":
        raise ValidationFailed(
            "Hãy đánh dấu xác nhận đã xem và đồng ý ký văn bản.",
            "Tick the confirmation that you have read the document and sign it.",
            field="confirm",
        )
    if session_open(request):
        return
    token = (request.POST.get("otp") or "").strip()
    if not token.isdigit():
        raise ValidationFailed(
            "Hãy nhập mã xác thực 6 chữ số để mở phiên ký.",
            "Enter the 6-digit code to open a signing session.",
            field="otp",
        )
    if not verify_fresh_code(user, token):
        raise ValidationFailed(
            "Mã xác thực không đúng hoặc đã dùng. Hãy nhập mã mới.",
            "The code is wrong or was already used. Enter a new code.",
            field="otp",
        )
    request.session[SESSION_KEY] = time.time() + SIGNING_SECONDS
