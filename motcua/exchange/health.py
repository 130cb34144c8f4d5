"""Sync health for the operations centre (issue #7 item 5): what is waiting, what is dead,
and how late the portal is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import DurationField, ExpressionWrapper, F, Max, Min

from motcua.core.clock import now
from motcua.core.models import OutboxMessage


@dataclass(frozen=True)
class SyncHealth:
    pending: int
    retrying: int
    dead: int
    oldest_pending_s: float  # how long the oldest undelivered change has waited
    worst_lag_s: float  # worst enqueue → delivery time over the last day
    delivered_day: int


def sync_health(topic: str = "portal.step") -> SyncHealth:
    moment = now()
    rows = OutboxMessage.objects.filter(topic=topic)
    pending = rows.filter(status=OutboxMessage.Status.PENDING)
    oldest = pending.aggregate(m=Min("created_at"))["m"]
    day = rows.filter(
        status=OutboxMessage.Status.DELIVERED, delivered_at__gte=moment - timedelta(days=1)
    )
    lag = day.annotate(
        lag=ExpressionWrapper(F("delivered_at") - F("created_at"), output_field=DurationField())
    ).aggregate(m=Max("lag"))["m"]
    return SyncHealth(
        pending=pending.count(),
        retrying=pending.filter(attempts__gt=0).count(),
        dead=rows.filter(status=OutboxMessage.Status.DEAD).count(),
        oldest_pending_s=(moment - oldest).total_seconds() if oldest else 0.0,
        worst_lag_s=lag.total_seconds() if lag else 0.0,
        delivered_day=day.count(),
    )
