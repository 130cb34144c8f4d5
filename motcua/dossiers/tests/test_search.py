"""The desk search (``dossiers.selectors.search``, issue #12 part 9): the same dossiers with and
without diacritics, in any case, on SQLite and PostgreSQL; every token must start a word of the
name (decision 0029); on PostgreSQL the tokens are served by the name-words index of migration
0007, and an exact code or ID number comes first."""

from __future__ import annotations

import unicodedata

import pytest
from django.db import connection, transaction

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.text import fold
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import search
from motcua.dossiers.tests.factories import received_in_one_step

pytestmark = pytest.mark.django_db

NAMES = [
    "Nguyễn Văn Bình",
    "Nguyễn Thị Ngọc Ánh",
    "Lê Thị Hà",
    "Đặng Văn An",
    "Trần Anh Tuấn",
    unicodedata.normalize("NFD", "Huỳnh Thị Thủy"),  # typed in NFD, stored folded the same
]

# (with diacritics, without): each pair must find the same dossiers.
QUERIES = [
    ("Văn Bình", "van binh"),
    ("NGUYỄN", "nguyen"),
    ("Lê", "le"),  # two letters: no trigram, still the same answer
    ("Ngọc Ánh", "ngoc anh"),
    ("Đặng", "dang"),
    ("Thủy", "thuy"),
    ("Bình Nguyễn", "binh nguyen"),  # tokens in any order
    ("Văn Ánh", "van anh"),  # every token must match: none has both
    ("An", "an"),  # starts "An" and "Anh", not "Văn" or "Tuấn" (inside a word)
    ("Nguy", "nguy"),  # a word begun: Nguyễn
    ("Thị Th", "thi th"),  # one word may serve both tokens ("Thị")
]


@pytest.fixture
def dossiers(officer_b: User, psc_b: Unit, pc_a: Unit) -> dict[str, Dossier]:
    return {n: received_in_one_step(officer_b, at=psc_b, competent=pc_a, name=n) for n in NAMES}


def expected(query: str, dossiers: dict[str, Dossier]) -> set[str]:
    """Every token starts a word of the folded name."""
    tokens = fold(query).split()
    return {
        str(d.pk)
        for n, d in dossiers.items()
        if all(any(w.startswith(t) for w in fold(n).split()) for t in tokens)
    }


def found(query: str) -> set[str]:
    return {str(pk) for pk in search(Dossier.objects.all(), query).values_list("pk", flat=True)}


@pytest.mark.parametrize(("marked", "plain"), QUERIES)
def test_with_and_without_diacritics_the_same_dossiers(
    dossiers: dict[str, Dossier], marked: str, plain: str
) -> None:
    assert found(marked) == found(plain) == expected(plain, dossiers)
    assert found(marked.lower()) == found(plain.upper()) == found(marked)


def test_a_name_typed_in_nfd_finds_the_nfc_name(dossiers: dict[str, Dossier]) -> None:
    nfd = unicodedata.normalize("NFD", "Ngọc Ánh")
    assert found(nfd) == found("ngoc anh") == {str(dossiers["Nguyễn Thị Ngọc Ánh"].pk)}


def test_exact_code_and_id_number_first(dossiers: dict[str, Dossier]) -> None:
    one = dossiers["Lê Thị Hà"]
    assert one.code is not None
    assert found(one.code.lower()) == {str(one.pk)}
    assert found(f"  {one.code} ") == {str(one.pk)}
    assert found(one.applicant_id_number) == {str(d.pk) for d in dossiers.values()}


def test_a_token_inside_a_word_finds_nothing(dossiers: dict[str, Dossier]) -> None:
    # Before decision 0029 a token matched anywhere: "uyen" found every Nguyễn, "an" every Văn.
    assert found("uyen") == set()
    assert found("Văn An") == {str(dossiers["Đặng Văn An"].pk)}
    assert found("an") == {
        str(dossiers[n].pk) for n in ("Nguyễn Thị Ngọc Ánh", "Đặng Văn An", "Trần Anh Tuấn")
    }
    assert found("Thị Hà") == {str(dossiers["Lê Thị Hà"].pk)}
    assert found("Nguyễn Văn Bình Xyz") == set()  # an unknown word: nothing, not everything
    assert found(" ... ") == found("") == {str(d.pk) for d in dossiers.values()}  # as before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index and triggers")
def test_postgresql_serves_the_name_tokens_from_the_name_words_index(
    dossiers: dict[str, Dossier],
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'dossier_name_words_idx'")
        row = cursor.fetchone()
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'dossier_name_trgm_idx'")
        trigram = cursor.fetchone()
    assert row is not None
    assert "gin" in row[0]
    assert "string_to_array" in row[0]
    assert "applicant_name_folded" in row[0]
    assert trigram is None
    sql, params = search(Dossier.objects.all(), "Văn Bình").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: force the choice
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "dossier_name_words_idx" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers")
def test_new_and_renamed_names_are_found_at_once(
    dossiers: dict[str, Dossier], officer_b: User, psc_b: Unit, pc_a: Unit
) -> None:
    """The words in use are kept by triggers: a new word is searchable from its insert on, and
    a name corrected by UPDATE (one row or many) by its new words."""
    assert found("Xuyến") == set()
    new = received_in_one_step(officer_b, at=psc_b, competent=pc_a, name="Ksor H'Xuyến")
    assert found("xuyen") == found("Ksor") == {str(new.pk)}
    assert found("H") == {  # "H" starts "H", "Hà", "Huỳnh"
        str(new.pk),
        str(dossiers["Lê Thị Hà"].pk),
        str(dossiers[NAMES[5]].pk),
    }
    one = dossiers["Trần Anh Tuấn"]
    Dossier.objects.filter(pk=one.pk).update(
        applicant_name="Trần Anh Quỳnh", applicant_name_folded=fold("Trần Anh Quỳnh")
    )
    assert found("Quỳnh") == {str(one.pk)}
    assert found("Tuấn") == set()
    with connection.cursor() as cursor:  # a bulk load under replica role keeps them too
        cursor.execute("SET LOCAL session_replication_role = replica")
        Dossier.objects.filter(pk=new.pk).update(applicant_name_folded="ksor h ywaih")
        cursor.execute("SET LOCAL session_replication_role = origin")
    assert found("Ywaih") == {str(new.pk)}
