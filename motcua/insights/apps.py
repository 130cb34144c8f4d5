from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "motcua.insights"
    label = "insights"

    def ready(self) -> None:
        from motcua.insights import rules  # noqa: F401 - registers the permissions

        register_rollup_hook()
        register_input_hooks()


def register_rollup_hook() -> None:
    """Keep the rollups current from every state event (DESIGN §6). ``dossiers`` sits below
    ``insights`` and may not import it, so the transition core offers a list of reactions,
    ``EVENT_HOOKS``, called after each event in its transaction; we register ours there
    explicitly (no signals). Until the core has the list, nothing is registered."""
    from motcua.dossiers.actions import core
    from motcua.insights.rollups import apply_event

    hooks = getattr(core, "EVENT_HOOKS", None)
    if isinstance(hooks, list) and apply_event not in hooks:
        hooks.append(apply_event)


# --------------------------------------------------------------------------- other apps' inputs


def _payment_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A confirmed online payment (``payments._after_paid`` appends ``dossier:payment:paid``,
    not a state change): R-PAY-04 online payment rate."""
    from motcua.insights.rollups import refresh_dossier

    if created and not instance.to_state and instance.kind.startswith("dossier:payment:"):
        refresh_dossier(pk=instance.dossier_id)


def _signed_document(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A signed result or refusal, issued right after the decision (R-RES-05)."""
    from motcua.insights.rollups import RESULT_KINDS, refresh_dossier

    if instance.kind in RESULT_KINDS and instance.reference:
        refresh_dossier(code=instance.reference)


def _rating(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A rating of a returned dossier (R-SAT-01, R-IDX-04)."""
    from motcua.insights.rollups import refresh_dossier

    refresh_dossier(pk=instance.dossier_id)


def _petition_event(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A feedback filed about a dossier, or found outside the unit's competence: R-IDX-04
    counts complaints about a dossier's receipt, processing or lateness."""
    from motcua.insights.rollups import refresh_dossier

    if created and instance.petition.dossier_id is not None:
        refresh_dossier(pk=instance.petition.dossier_id)


def _delivered(envelope: Any) -> None:
    """The portal accepted a message of a dossier (R-SYNC-04)."""
    from motcua.insights.rollups import SYNC_TOPIC, refresh_dossier

    if envelope.topic == SYNC_TOPIC:
        refresh_dossier(code=envelope.key)


def register_input_hooks() -> None:
    """The inputs of the indicators that change outside the state machine, each from the hook
    its app already has: Django's ``post_save`` of the event log, the signed documents and the
    ratings (all written with ``save()``/``create()``), and the outbox's ``DELIVERY_HOOKS``."""
    from django.db.models.signals import post_save

    from motcua.documents.models import SignedDocument
    from motcua.dossiers.models import DossierEvent
    from motcua.exchange import outbox
    from motcua.feedback.models import Rating
    from motcua.petitions.models import PetitionEvent

    post_save.connect(_payment_event, sender=DossierEvent, dispatch_uid="insights:payment")
    post_save.connect(_signed_document, sender=SignedDocument, dispatch_uid="insights:signed")
    post_save.connect(_rating, sender=Rating, dispatch_uid="insights:rating")
    post_save.connect(_petition_event, sender=PetitionEvent, dispatch_uid="insights:petition")
    if _delivered not in outbox.DELIVERY_HOOKS:
        outbox.DELIVERY_HOOKS.append(_delivered)
