"""Writers of the feedback app."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from motcua.core import events
from motcua.core.actions import action
from motcua.core.clock import now
from motcua.core.errors import MotcuaError
from motcua.core.text import nfc
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import State
from motcua.feedback.models import NOT_SATISFIED_MAX, Rating, RatingChannel


class RatingRefused(MotcuaError):
    code = "rating_refused"
    http_status = 409


def can_rate(dossier: Dossier) -> bool:
    return dossier.state == State.RETURNED and not Rating.objects.filter(dossier=dossier).exists()


@action
def do_rate_dossier(dossier: Dossier, *, score: int, comment: str, channel: str) -> Rating:
    """R-SAT-01: one rating per dossier, once its result has been returned."""
    if channel not in RatingChannel.values:
        raise MotcuaError("Kênh đánh giá không hợp lệ.", "Unknown rating channel.")
    if not 1 <= score <= 5:
        raise MotcuaError(
            "Hãy chọn mức độ hài lòng từ 1 đến 5.", "Choose a score from 1 to 5.", field="score"
        )
    if dossier.state != State.RETURNED:
        raise RatingRefused(
            "Hồ sơ chưa trả kết quả nên chưa đánh giá được. Hãy đánh giá sau khi nhận kết quả.",
            "The result has not been returned yet; rate the service after you receive it.",
        )
    if Rating.objects.filter(dossier=dossier).exists():
        raise RatingRefused(
            "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần; cảm ơn bạn đã góp ý.",
            "This dossier has already been rated; each dossier is rated once.",
        )
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                score=score,
                satisfied=score > NOT_SATISFIED_MAX,
                comment=nfc(comment)[:1000],
                channel=channel,
                created_at=now(),
            )
            events.announce("dossier:rated", [dossier.pk])  # the indicators' reactions
            return rating
    except IntegrityError as exc:  # two submissions at once: the unique dossier decides
        raise RatingRefused(
            "Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần; cảm ơn bạn đã góp ý.",
            "This dossier has already been rated; each dossier is rated once.",
        ) from exc
