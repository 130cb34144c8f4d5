"""Scheduled work that only calls actions: take the documents waiting on the axis."""

from __future__ import annotations

import logging

from motcua.agencies.models import Unit
from motcua.core.errors import MotcuaError
from motcua.correspondence.exchange import acknowledge, fetch_inbox, fetch_statuses
from motcua.correspondence.incoming import do_receive_document, do_record_statuses
from motcua.correspondence.models import BodyProfile
from motcua.exchange.errors import ExchangeError

logger = logging.getLogger(__name__)


def receive_from_axis() -> int:
    """For every configured body: take each waiting package (one transaction each), then
    acknowledge it; a lost acknowledgement only makes the axis offer it again, which is taken
    once (``do_receive_document`` is idempotent). Returns the packages taken."""
    taken = 0
    for unit in Unit.objects.filter(pk__in=BodyProfile.objects.values("unit_id")):
        try:
            items = fetch_inbox(unit.eid_code)
        except ExchangeError as exc:
            logger.warning("docaxis inbox of %s: %s", unit.eid_code, exc)
            continue
        for item in items:
            try:
                do_receive_document(unit, item.package.encode("utf-8"), acting_user=None)
            except MotcuaError as exc:
                logger.warning("docaxis package %s refused: %s", item.package_id, exc)
            acknowledge(item.package_id, unit.eid_code)
            taken += 1
    return taken


def poll_statuses() -> int:
    """R-DOC-14: bring each recipient's latest status onto the sender's documents."""
    changed = 0
    for unit in Unit.objects.filter(pk__in=BodyProfile.objects.values("unit_id")):
        try:
            items = fetch_statuses(unit.eid_code)
        except ExchangeError as exc:
            logger.warning("docaxis statuses of %s: %s", unit.eid_code, exc)
            continue
        changed += do_record_statuses(unit, items)
    return changed
