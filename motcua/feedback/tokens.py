"""Signed rating links (SMS, counter QR, portal): whoever holds the link may rate that one
dossier, without logging in. The token names the dossier and the channel; nothing else."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.feedback.models import RatingChannel

SALT = "motcua.feedback.rating"


@dataclass(frozen=True)
class RatingToken:
    dossier_id: uuid.UUID
    channel: str


class BadToken(Exception):
    pass


def make_token(dossier: Dossier, channel: str) -> str:
    return signing.dumps({"d": str(dossier.pk), "c": channel}, salt=SALT, compress=True)


def read_token(token: str) -> RatingToken:
    """The dossier and channel of a token; :class:`BadToken` if forged, altered or expired."""
    try:
        data = signing.loads(
            token, salt=SALT, max_age=timedelta(days=settings.MOTCUA_RATING_LINK_DAYS)
        )
        channel = str(data["c"])
        if channel not in RatingChannel.values:
            raise BadToken
        return RatingToken(dossier_id=uuid.UUID(str(data["d"])), channel=channel)
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise BadToken from exc


def rating_url(dossier: Dossier, channel: str) -> str:
    """The absolute link to put in the SMS or the counter's QR code."""
    path = reverse("feedback:rate", kwargs={"token": make_token(dossier, channel)})
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}{path}"


def sms_rating_link(dossier_code: str) -> str:
    """The rating link of the notification sent when the result is returned (R-SAT-01)."""
    dossier = Dossier.objects.filter(code=dossier_code).only("pk").first()
    return rating_url(dossier, RatingChannel.SMS) if dossier is not None else ""
