"""Search at scale (R-DOC-08, decision 0020): a folded column (no accents, lower case) of the
number and symbol, summary and sender, kept in step on every write, searched with LIKE under a
trigram GIN index on PostgreSQL; the same results on both databases."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection, transaction

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.text import fold
from motcua.correspondence import actions as a
from motcua.correspondence import incoming, selectors
from motcua.correspondence.models import BodyProfile, Document
from motcua.correspondence.tests.factories import draft, to_released

pytestmark = pytest.mark.django_db


def found(text: str) -> set[object]:
    return set(selectors.search(Document.objects.all(), text).values_list("pk", flat=True))


def test_the_folded_column_follows_every_write_and_finds_with_or_without_diacritics(
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    pc_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-08: search by number, symbol, summary, sender, with or without diacritics; the
    column follows the draft, the number given at release, the clerk's update of the summary,
    a paper registration and a package received from another body."""
    letter = draft(pc_a, specialist_a, leader_a)
    assert found("kien toan") == found("Kiện TOÀN") == {letter.pk}
    assert found("01/QĐ-UBND") == set()
    to_released(letter, specialist_a, leader_a, clerk_a)
    assert found("01/QĐ-UBND") == found("qd ubnd 01") == {letter.pk}
    a.do_update_document(letter, reason="Sửa trích yếu", summary="Về việc thành lập Tổ một cửa",
                         acting_user=clerk_a)  # fmt: skip
    assert found("kien toan") == set()
    assert found("thanh lap to mot cua") == {letter.pk}
    paper = a.do_register_incoming_document(
        pc_a,
        a.IncomingInput(
            type_code="cong_van", summary="Về việc góp ý dự thảo", issuing_body_code="",
            issuing_body_name="Sở Tư pháp thành phố Cần Thơ", number=12, symbol="STP-VP",
            issued_on=date(2026, 3, 2),
        ),
        acting_user=clerk_a,
    )  # fmt: skip
    assert found("so tu phap") == found("SỞ TƯ PHÁP") == {paper.pk}
    assert found("12/STP-VP") == {paper.pk}
    assert paper.pk in found(str(paper.arrival_number))  # the arrival number, exactly
    BodyProfile.objects.create(unit=pc_b, abbreviation="UBND", place="Thành phố Cần Thơ")
    received = incoming.do_receive_document(pc_b, letter.package.read(), acting_user=None)
    assert found(fold(pc_a.name)) >= {received.pk}
    assert found("dong thap") == set()
    for document in Document.objects.all():
        assert document.search_folded == document.search_text(), document


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_the_search_uses_the_trigram_index_on_postgresql(
    profile_a: BodyProfile, pc_a: Unit, specialist_a: User, leader_a: User
) -> None:
    """Decision 0020: ``corr_document_search_trgm_idx`` serves the folded LIKE."""
    draft(pc_a, specialist_a, leader_a)
    query = selectors.search(Document.objects.all(), "kiện toàn").values_list("pk", flat=True)
    sql, params = query.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "corr_document_search_trgm_idx" in plan
