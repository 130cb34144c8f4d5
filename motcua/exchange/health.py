"""Sync health for the operations centre (issue #7 item 5): what is waiting, what is dead,
and how late the portal is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q

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
    """One aggregate query over the outbox rows of ``topic`` (the board polls it)."""
    moment = now()
    pending = Q(status=OutboxMessage.Status.PENDING)
    recent = Q(status=OutboxMessage.Status.DELIVERED, delivered_at__gte=moment - timedelta(days=1))
    lag = ExpressionWrapper(F("delivered_at") - F("created_at"), output_field=DurationField())
    row = OutboxMessage.objects.filter(topic=topic).aggregate(
        pending=Count("pk", filter=pending),
        retrying=Count("pk", filter=pending & Q(attempts__gt=0)),
        dead=Count("pk", filter=Q(status=OutboxMessage.Status.DEAD)),
        oldest=Min("created_at", filter=pending),
        worst=Max(lag, filter=recent),
        delivered_day=Count("pk", filter=recent),
    )
    return SyncHealth(
        pending=row["pending"],
        retrying=row["retrying"],
        dead=row["dead"],
        oldest_pending_s=(moment - row["oldest"]).total_seconds() if row["oldest"] else 0.0,
        worst_lag_s=row["worst"].total_seconds() if row["worst"] else 0.0,
        delivered_day=row["delivered_day"],
    )
