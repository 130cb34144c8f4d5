"""/api/v1/feedback: satisfaction ratings with a signed link's token (SMS, QR), no login."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema, Status

from motcua.core import idempotency
from motcua.core.errors import MotcuaError, NotFound
from motcua.core.schemas import ErrorOut
from motcua.dossiers.models import Dossier
from motcua.feedback.actions import RatingRefused, do_rate_dossier
from motcua.feedback.models import Rating
from motcua.feedback.tokens import BadToken, read_token

router = Router(tags=["feedback"])


class InvalidToken(MotcuaError):
    """A rating link that is forged, altered or expired names no dossier: 404, as the rating
    page answers (and as any lookup of something that does not exist)."""

    code = "invalid_token"
    http_status = 404


class RatingIn(Schema):
    token: str = Field(..., max_length=500, description="From the SMS link or the counter QR")
    score: int = Field(..., ge=1, le=5, description="1 rất không hài lòng … 5 rất hài lòng")
    comment: str = Field("", max_length=1000)


class RatingOut(Schema):
    dossier_code: str | None
    score: int
    satisfied: bool
    channel: str
    created_at: datetime


def dossier_of_token(token: str) -> tuple[Dossier, str]:
    """The dossier and channel a rating link names, or :class:`InvalidToken`."""
    try:
        parsed = read_token(token)
    except BadToken as exc:
        raise InvalidToken(
            "Đường dẫn đánh giá không hợp lệ hoặc đã hết hạn. Hãy dùng đường dẫn trong tin nhắn "
            "mới nhất hoặc đánh giá trên Cổng dịch vụ công.",
            "The rating link is invalid or has expired.",
        ) from exc
    dossier = Dossier.objects.filter(pk=parsed.dossier_id).first()
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ", "Dossier not found")
    return dossier, parsed.channel


@router.post(
    "/ratings",
    response={201: RatingOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Rate a returned dossier once (R-SAT-01), with the token of its rating link",
)
def rate(
    request: HttpRequest,
    body: RatingIn,
    idempotency_key: Annotated[str | None, Header(alias=idempotency.HEADER)] = None,
) -> Status[dict[str, Any]]:
    """With an ``Idempotency-Key`` header, a retry of the same rating (the kiosk or the app lost
    the reply) answers the rating recorded the first time, 201, instead of 409 "already rated"."""
    dossier, channel = dossier_of_token(body.token)
    rating = rate_once(
        dossier, channel, key=idempotency_key, score=body.score, comment=body.comment
    )
    return Status(
        201,
        {
            "dossier_code": dossier.code,
            "score": rating.score,
            "satisfied": rating.satisfied,
            "channel": rating.channel,
            "created_at": rating.created_at,
        },
    )


def rate_once(
    dossier: Dossier, channel: str, *, key: str | None, score: int, comment: str
) -> Rating:
    """R-SAT-01 through ``core.idempotency``: the key belongs to the dossier the rating link
    names (the rater has no account), shared by the API and the rating page."""

    def once() -> Rating:
        rating, _replayed = idempotency.once(
            actor=f"dossier:{dossier.pk}",
            scope="feedback.rate",
            key=key,
            body={"score": score, "comment": comment, "channel": channel},
            create=lambda: do_rate_dossier(dossier, score=score, comment=comment, channel=channel),
            object_id=lambda r: r.pk,
            replay=lambda pk: Rating.objects.get(pk=pk),
        )
        return rating

    try:
        return once()
    except RatingRefused:
        if not key:
            raise
        # A twin with the same key committed first (the unique dossier refused this one):
        # its key is there now, so this answers its rating; another key is refused again.
        return once()
