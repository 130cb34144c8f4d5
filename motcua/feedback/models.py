"""Satisfaction ratings of dossiers (R-SAT-01; Decision 766 satisfaction group, R-IDX-04)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier

#: Decision 766 counts dossiers "rated not satisfied" (R-IDX-04): scores 1 and 2.
NOT_SATISFIED_MAX = 2


class RatingChannel(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công")
    SMS = "sms", _("Đường dẫn trong tin nhắn SMS")
    COUNTER_QR = "counter_qr", _("Mã QR tại bộ phận một cửa")


class Score(models.IntegerChoices):
    VERY_UNSATISFIED = 1, _("Rất không hài lòng")
    UNSATISFIED = 2, _("Không hài lòng")
    NEUTRAL = 3, _("Bình thường")
    SATISFIED = 4, _("Hài lòng")
    VERY_SATISFIED = 5, _("Rất hài lòng")


class Rating(models.Model):
    """One rating per dossier, whatever the channel."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    score = models.PositiveSmallIntegerField(_("mức độ hài lòng"), choices=Score.choices)
    satisfied = models.BooleanField()  # the 766 scale, stored so indicators can filter on it
    comment = models.TextField(_("góp ý"), blank=True, max_length=1000)
    channel = models.CharField(max_length=12, choices=RatingChannel.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_5"
            )
        ]
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.score}"
