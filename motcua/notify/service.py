"""Tell the applicant, through every channel they gave: SMS and e-mail leave through the outbox
(a failed gateway delays, never loses, a message); the in-app copy is written at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from motcua.accounts.models import User
from motcua.core.outbox import enqueue
from motcua.notify import templates as t
from motcua.notify.models import Notification

BUILDERS: dict[str, Callable[[t.Facts], t.Message]] = {
    "received": t.received,
    "supplement": t.supplement,
    "payment_due": t.payment_due,
    "apology": t.apology,
    "result_ready": t.result_ready,
    "returned": t.returned,
}


#: Links that apps above ``notify`` put into a message, by message kind: a function of the
#: dossier code returning an absolute URL, or "" when there is none. ``feedback`` registers the
#: signed rating link for "returned" in its AppConfig.ready (R-SAT-01); the layers forbid
#: importing it from here.
LINKS: dict[str, Callable[[str], str]] = {}


def notify_applicant(
    kind: str,
    facts: t.Facts,
    *,
    key: str,
    phone: str = "",
    email: str = "",
    user: User | None = None,
) -> t.Message:
    """Render ``kind`` and queue it. ``key`` makes every copy idempotent (one event, one SMS).
    Must run inside the transaction of the change it reports (outbox rule)."""
    link = LINKS.get(kind)
    if link is not None and facts.code and not facts.rating_url:
        facts = replace(facts, rating_url=link(facts.code))
    message = BUILDERS[kind](facts)
    if phone:
        enqueue(
            topic="sms.send",
            key=facts.code,
            payload={"phone": phone, "text": message.sms, "kind": kind},
            idempotency_key=f"sms:{key}",
        )
    if email:
        enqueue(
            topic="email.send",
            key=facts.code,
            payload={"to": email, "subject": message.title, "body": message.body, "kind": kind},
            idempotency_key=f"email:{key}",
        )
    if user is not None:
        Notification.objects.create(
            user=user, dossier_code=facts.code, kind=kind, title=message.title, body=message.body
        )
    return message
