"""What keeps the indicators current: the insights app's reactions to the events of the other
apps (``core.events``), registered explicitly in ``InsightsConfig.ready``. Every input of a
Decision 766 indicator reaches the facts and counters through one of these, in the transaction
that recorded it; nothing listens to ``save()``."""

from __future__ import annotations

from motcua.core import events
from motcua.dossiers.models import DossierEvent, JustRegistered
from motcua.insights.rollups import SYNC_TOPIC, apply_event, refresh_dossier, refresh_redated

#: Kinds recorded outside the state machine that change an indicator's input.
INPUT_KINDS = (
    "dossier:payment:",  # a confirmed online payment: R-PAY-04 online payment rate
    "dossier:result:signed",  # the signed electronic result, right after the decision (R-RES-05)
    "dossier:rated",  # a rating of a returned dossier (R-SAT-01, R-IDX-04)
)


def state_changed(happened: events.Happened) -> None:
    """A state event just appended by ``transition()`` or the one-step receipt: the dossier in
    memory is current; the receipt says when the dossier is new (``JustRegistered``)."""
    event = happened.events[0] if happened.events else None
    assert event is None or isinstance(event, DossierEvent)
    context = happened.context
    apply_event(
        happened.subject, event, registered=context if isinstance(context, JustRegistered) else None
    )


def input_changed(happened: events.Happened) -> None:
    for pk in happened.subject_ids:
        refresh_dossier(pk=pk)


def redated(happened: events.Happened) -> None:
    """Deadlines moved by a calendar change (both paths of ``dossiers.jobs``): the facts keep
    the deadline that decides lateness (R-LATE-07), so they follow it, set-based (issue #12)."""
    refresh_redated(happened.subject_ids)


def petition_recorded(happened: events.Happened) -> None:
    """A feedback filed about a dossier, or found outside the unit's competence: R-IDX-04
    counts complaints about a dossier's receipt, processing or lateness."""
    petition = happened.subject
    if petition is not None and petition.dossier_id is not None:
        refresh_dossier(pk=petition.dossier_id)


def delivered(happened: events.Happened) -> None:
    """The portal accepted a message of a dossier (R-SYNC-04); subjects are dossier codes."""
    for code in happened.subject_ids:
        refresh_dossier(code=code)


def register() -> None:
    events.react("dossier:state:", state_changed)
    for kind in INPUT_KINDS:
        events.react(kind, input_changed)
    events.react("dossier:deadline:redated", redated)
    events.react("petition:", petition_recorded)
    events.react(f"outbox:delivered:{SYNC_TOPIC}", delivered)
