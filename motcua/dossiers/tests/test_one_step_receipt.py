"""The counter's one step (``do_register_and_receive``) has its own writer (issue #13 item 3):
it must leave exactly what registering then receiving leaves — the dossier row, its checklist,
its trail, its outbox messages (portal step, applicant's message) and its indicator fact — the
only differences being the dossier's identity and its number of the day (R-ID-09)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.forms.models import model_to_dict

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.models import OutboxMessage
from motcua.dossiers.actions import do_receive_dossier, do_register_and_receive
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent
from motcua.dossiers.tests.factories import counter_filing, submitted
from motcua.insights.models import DossierFact
from motcua.worktime.calc import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday_morning() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False):
        yield


def _anonymous(value: Any, dossier: Dossier, components: dict[int, int]) -> dict[str, Any]:
    """``value`` with the dossier's own identity replaced by placeholders: its key, its code,
    and its checklist rows' keys where the portal record carries them (``TepDinhKemId``),
    numbered in checklist order."""
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    text = text.replace(str(dossier.pk), "<dossier>").replace(str(dossier.code), "<code>")
    data: dict[str, Any] = json.loads(text)

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: f"<component {components[int(v)]}>" if k == "TepDinhKemId" else walk(v)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    data["messages"] = walk(data["messages"])
    return dict(data)


def _written(dossier: Dossier) -> dict[str, Any]:
    """Everything the receipt left for ``dossier``, as comparable values."""
    dossier = Dossier.objects.get(pk=dossier.pk)
    rows = list(DossierComponent.objects.filter(dossier=dossier).order_by("catalog_component_id"))
    keys = {row.pk: n for n, row in enumerate(rows)}
    row_fields = [model_to_dict(row, exclude=["id", "dossier", "file"]) for row in rows]
    trail = [
        model_to_dict(event, exclude=["id", "dossier"])
        for event in DossierEvent.objects.filter(dossier=dossier).order_by("seq")
    ]
    messages = [
        {"topic": m.topic, "payload": m.payload, "key": m.key, "idem": m.idempotency_key}
        for m in OutboxMessage.objects.filter(key__in=[dossier.code, str(dossier.pk)]).order_by(
            "topic", "idempotency_key"
        )
    ] + [
        {"topic": m.topic, "payload": m.payload, "idem": m.idempotency_key}
        for m in OutboxMessage.objects.filter(idempotency_key__contains=f"{dossier.pk}:").exclude(
            topic="portal.step"
        )
    ]
    fact = DossierFact.objects.filter(pk=dossier.pk).values().first()
    assert fact is not None, "the receipt must reach the indicators"
    values = model_to_dict(dossier, exclude=["id", "code"])
    return _anonymous(
        {
            "dossier": values,
            "components": row_fields,
            "trail": trail,
            "messages": messages,
            "fact": fact,
        },
        dossier,
        keys,
    )


def test_the_one_step_receipt_writes_what_register_then_receive_writes(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """GIVEN the same complete counter application WHEN it is registered then received, and
    when it is received in one step THEN the two dossiers, checklists, trails, outbox messages
    and facts are the same, identity and number of the day aside (R-RCV-01, R-RCV-07)."""
    two_steps = submitted(officer_b, at=psc_b, competent=pc_a)
    do_receive_dossier(two_steps, acting_user=officer_b, at_unit=psc_b)
    receipt = do_register_and_receive(counter_filing(psc_b, pc_a), acting_user=officer_b)

    assert [e.seq for e in receipt.trail] == [1, 2]
    assert str(two_steps.code).endswith("-0001")
    assert str(receipt.dossier.code).endswith("-0002")  # the next number of the day
    expected, got = _written(two_steps), _written(receipt.dossier)
    assert expected["messages"], "the receipt sends the portal step and the applicant's message"
    for part in ("dossier", "components", "trail", "messages", "fact"):
        assert got[part] == expected[part], part


def test_the_one_step_receipt_answers_with_the_trail_it_wrote(
    officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """The receipt's trail comes back as written: the same events a later read finds."""
    receipt = do_register_and_receive(counter_filing(psc_b, pc_a), acting_user=officer_b)
    stored = list(DossierEvent.objects.filter(dossier=receipt.dossier).order_by("seq"))
    assert [(e.pk, e.kind, e.to_state) for e in receipt.trail] == [
        (e.pk, e.kind, e.to_state) for e in stored
    ]
