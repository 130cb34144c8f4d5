"""/api/v1/feedback: satisfaction ratings with a signed link's token (SMS, QR), no login."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from motcua.core.errors import MotcuaError, NotFound
from motcua.core.schemas import ErrorOut
from motcua.dossiers.models import Dossier
from motcua.feedback.actions import do_rate_dossier
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
def rate(request: HttpRequest, body: RatingIn) -> Status[dict[str, Any]]:
    dossier, channel = dossier_of_token(body.token)
    rating = do_rate_dossier(dossier, score=body.score, comment=body.comment, channel=channel)
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
