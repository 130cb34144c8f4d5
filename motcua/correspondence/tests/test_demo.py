"""Issue #16 item 9: the demo province's documents — a few hundred between its bodies, in every
state the desk shows, several linked to demo dossiers; idempotent; the series continue."""

from __future__ import annotations

import pytest

from motcua.correspondence.demo import seed_demo_documents
from motcua.correspondence.models import Document, DocumentDossier, NumberSeries
from motcua.correspondence.numbering import next_arrival_number
from motcua.dossiers.demo import seed_demo_dossiers
from motcua.dossiers.models import DossierEvent

pytestmark = pytest.mark.django_db


def test_demo_documents_are_varied_linked_and_seeded_once() -> None:
    seed_demo_dossiers(count=4)
    made = seed_demo_documents(count=150)
    assert made >= 300
    assert seed_demo_documents() == 0  # idempotent
    states = set(Document.objects.values_list("state", flat=True))
    assert {"released", "revoked", "arrived", "registered", "assigned", "handling",
            "completed", "draft", "in_review", "approved"} <= states  # fmt: skip
    assert Document.objects.filter(
        direction="in", state__in=("assigned", "handling"), handling_deadline__isnull=False
    ).exists()
    links = DocumentDossier.objects.filter(role="consultation")
    assert links.count() == 8  # two letters for each of the 4 dossiers
    assert DossierEvent.objects.filter(kind="dossier:document:sent").count() == 8  # R-DOC-17
    # R-DOC-06: the next arrival number of a body continues its series without a gap
    document = Document.objects.filter(direction="in").exclude(arrival_number=None).first()
    assert document is not None
    last = max(
        n
        for n in Document.objects.filter(owner_unit=document.owner_unit, direction="in")
        .exclude(arrival_number=None)
        .values_list("arrival_number", flat=True)
        if n is not None
    )
    assert document.arrival_year is not None
    assert NumberSeries.objects.filter(owner__endswith=":in:arrival").count() >= 2
    assert next_arrival_number(document.owner_unit_id, document.arrival_year) == last + 1
