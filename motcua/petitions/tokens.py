"""Signed response links: whoever holds the link may see that one petition's answer and give
their response (satisfied / not satisfied) or complain about late handling, without logging in.
The token names the petition and nothing else; it expires after MOTCUA_PETITION_LINK_DAYS."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "motcua.petitions.response"


class BadToken(Exception):
    pass


def make_token(petition_id: uuid.UUID) -> str:
    return signing.dumps({"p": str(petition_id)}, salt=SALT, compress=True)


def read_token(token: str) -> uuid.UUID:
    """The petition id of a token; :class:`BadToken` if forged, altered or expired."""
    try:
        data = signing.loads(
            token, salt=SALT, max_age=timedelta(days=settings.MOTCUA_PETITION_LINK_DAYS)
        )
        return uuid.UUID(str(data["p"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise BadToken from exc


def response_url(petition_id: uuid.UUID) -> str:
    """The absolute link to send with the answer (SMS or e-mail)."""
    path = reverse("portal:petition_link", kwargs={"token": make_token(petition_id)})
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}{path}"
