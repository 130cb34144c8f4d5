"""Writes of a citizen's in-app notifications (issue #14 item 3), each in its own transaction."""

from __future__ import annotations

from motcua.accounts.models import User
from motcua.core.actions import action
from motcua.core.clock import now
from motcua.notify.models import Notification


@action
def do_mark_notifications_read(user: User, notification_id: int | None = None) -> int:
    """Mark the citizen's unread notifications read (one, or all); returns how many."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=now())
