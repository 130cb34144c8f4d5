"""Publication deadline and the inputs of the 766 indicator "TTHC published/updated on time"
(DOMAIN §10.4, §11.2, R-CAT-02; lead time unverified, docs/decisions/0006).

Every expectation is computed by hand on the seeded 2026 calendar of Cần Thơ (R-CAL-02):
Tết 16–20/2/2026 off, 2/1/2026 swapped day off, Saturday 10/1/2026 a swapped working day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.publication import (
    Status,
    classify,
    computed_deadline,
    deadline_of,
    lead_working_days,
    publication_tally,
)
from motcua.geo.models import Province
from motcua.worktime.calendars import calendar_for

CAN_THO = 92
Q1_2026 = (date(2026, 1, 1), date(2026, 3, 31))


def _cal() -> Any:
    return calendar_for(CAN_THO)


# --- pure arithmetic -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("effective_from", "expected"),
    [
        # Mon 9/3: Fri 6, Thu 5, Wed 4, Tue 3, Mon 2 → Mon 2/3.
        (date(2026, 3, 9), date(2026, 3, 2)),
        # Wed 11/3: Tue 10, Mon 9, (weekend 7–8 skipped) Fri 6, Thu 5, Wed 4 → Wed 4/3.
        (date(2026, 3, 11), date(2026, 3, 4)),
        # Tue 24/2: Mon 23, (Tết 16–20 and weekends 14–15, 21–22 skipped) Fri 13, Thu 12,
        # Wed 11, Tue 10 → Tue 10/2.
        (date(2026, 2, 24), date(2026, 2, 10)),
        # Wed 14/1: Tue 13, Mon 12, Sat 10 (swapped working day), Fri 9, Thu 8 → Thu 8/1.
        (date(2026, 1, 14), date(2026, 1, 8)),
        # Thu 8/1: Wed 7, Tue 6, Mon 5, (Fri 2 swapped day off, Thu 1 holiday, weekend 3–4
        # skipped) Wed 31/12/2025, Tue 30/12/2025 → Tue 30/12/2025.
        (date(2026, 1, 8), date(2025, 12, 30)),
    ],
)
def test_deadline_is_five_working_days_before_effect(effective_from: date, expected: date) -> None:
    assert computed_deadline(effective_from, _cal(), 5) == expected


@pytest.mark.django_db
def test_zero_lead_days_is_the_day_of_effect_and_negative_is_refused() -> None:
    assert computed_deadline(date(2026, 3, 9), _cal(), 0) == date(2026, 3, 9)
    assert computed_deadline(date(2026, 3, 9), _cal(), 1) == date(2026, 3, 6)
    with pytest.raises(ValueError, match="lead_days"):
        computed_deadline(date(2026, 3, 9), _cal(), -1)


@pytest.mark.django_db
def test_override_replaces_the_computed_deadline() -> None:
    assert deadline_of(date(2026, 3, 9), date(2026, 3, 6), _cal(), 5) == date(2026, 3, 6)
    assert deadline_of(date(2026, 3, 9), None, _cal(), 5) == date(2026, 3, 2)


def test_classify_published_and_unpublished() -> None:
    deadline = date(2026, 3, 2)
    as_of = date(2026, 3, 31)
    assert classify(date(2026, 2, 25), deadline, as_of) == Status.ON_TIME  # early
    assert classify(date(2026, 3, 2), deadline, as_of) == Status.ON_TIME  # on the deadline day
    assert classify(date(2026, 3, 3), deadline, as_of) == Status.LATE  # one day late
    assert classify(None, deadline, date(2026, 3, 3)) == Status.LATE  # unpublished, past it
    assert classify(None, deadline, date(2026, 3, 2)) == Status.PENDING  # the deadline day
    assert classify(None, deadline, date(2026, 2, 27)) == Status.PENDING  # before it
    # A recorded date decides even when later than as_of.
    assert classify(date(2026, 3, 5), deadline, date(2026, 2, 27)) == Status.LATE


def test_lead_days_come_from_the_setting(settings: Any) -> None:
    assert lead_working_days() == 5
    settings.MOTCUA_PUBLICATION_LEAD_WORKING_DAYS = 3
    assert lead_working_days() == 3
    settings.MOTCUA_PUBLICATION_LEAD_WORKING_DAYS = -1
    with pytest.raises(ValueError, match="LEAD_WORKING_DAYS"):
        lead_working_days()


# --- the selector ----------------------------------------------------------------------------


def _version(
    procedure: Procedure,
    number: int,
    effective_from: date,
    *,
    published_on: date | None = None,
    decision: str = "",
    override: date | None = None,
) -> ProcedureVersion:
    """A copy of the procedure's seeded version with other dates (content is irrelevant here)."""
    base = procedure.versions.order_by("version").first()
    assert base is not None
    base.pk = None
    base.procedure = procedure
    base.version = number
    base.effective_from = effective_from
    base.published_on = published_on
    base.publication_decision = decision
    base.publication_deadline = override
    base.save(force_insert=True)
    return base


@pytest.fixture
def versions(db: None) -> dict[str, ProcedureVersion]:
    procs = list(Procedure.objects.filter(province_id=CAN_THO).order_by("code_national")[:8])
    d = "DEMO-01/QĐ-UBND"
    return {
        # deadline Mon 2/3 (see above)
        "early": _version(
            procs[0], 101, date(2026, 3, 9), published_on=date(2026, 2, 25), decision=d
        ),
        "on_deadline": _version(
            procs[1], 101, date(2026, 3, 9), published_on=date(2026, 3, 2), decision=d
        ),
        "late": _version(
            procs[2], 101, date(2026, 3, 9), published_on=date(2026, 3, 3), decision=d
        ),
        # deadline Tue 10/2 (Tết skipped): unpublished → late as of any day after 10/2
        "unpublished_past": _version(procs[3], 101, date(2026, 2, 24)),
        # deadline Mon 23/3 (Mon 30/3: Fri 27, Thu 26, Wed 25, Tue 24, Mon 23): see as_of below
        "unpublished_before": _version(procs[4], 101, date(2026, 3, 30)),
        # override Fri 6/3 instead of Mon 2/3: published Thu 5/3 → on time
        "override": _version(
            procs[5],
            101,
            date(2026, 3, 9),
            published_on=date(2026, 3, 5),
            decision=d,
            override=date(2026, 3, 6),
        ),
        # deadline Thu 8/1 (swapped Saturday counted): published Fri 9/1 → late
        "swapped": _version(
            procs[6], 101, date(2026, 1, 14), published_on=date(2026, 1, 9), decision=d
        ),
        # outside the period: not counted
        "april": _version(
            procs[7], 101, date(2026, 4, 1), published_on=date(2026, 3, 1), decision=d
        ),
    }


def _status(tally: Any) -> dict[str, Status]:
    return {r.version_id: r.status for r in tally.rows}


def test_tally_for_a_closed_quarter(versions: dict[str, ProcedureVersion]) -> None:
    tally = publication_tally(CAN_THO, *Q1_2026, as_of=date(2026, 6, 1))
    assert tally.as_of == date(2026, 3, 31)  # min(as_of, period end)
    by_id = _status(tally)
    expected = {
        "early": Status.ON_TIME,
        "on_deadline": Status.ON_TIME,
        "late": Status.LATE,
        "unpublished_past": Status.LATE,
        "unpublished_before": Status.LATE,  # deadline 23/3 < 31/3
        "override": Status.ON_TIME,
        "swapped": Status.LATE,
    }
    assert by_id == {str(versions[k].pk): s for k, s in expected.items()}
    assert (tally.numerator, tally.denominator) == (3, 7)
    rows = {r.version_id: r for r in tally.rows}
    assert rows[str(versions["override"].pk)].deadline == date(2026, 3, 6)
    assert rows[str(versions["override"].pk)].deadline_overridden
    assert rows[str(versions["swapped"].pk)].deadline == date(2026, 1, 8)
    assert rows[str(versions["unpublished_past"].pk)].deadline == date(2026, 2, 10)
    assert rows[str(versions["early"].pk)].decision == "DEMO-01/QĐ-UBND"


def test_unpublished_before_its_deadline_counts_as_on_time_so_far(
    versions: dict[str, ProcedureVersion],
) -> None:
    tally = publication_tally(CAN_THO, *Q1_2026, as_of=date(2026, 3, 23))  # the deadline day
    rows = {r.version_id: r for r in tally.rows}
    assert rows[str(versions["unpublished_before"].pk)].status == Status.PENDING
    assert (tally.numerator, tally.denominator) == (4, 7)
    assert len(tally.counted) == 4
    assert [r.version_id for r in tally.of(Status.PENDING)] == [
        str(versions["unpublished_before"].pk)
    ]
    after = publication_tally(CAN_THO, *Q1_2026, as_of=date(2026, 3, 24))
    assert (after.numerator, after.denominator) == (3, 7)


def test_the_setting_moves_every_computed_deadline(
    versions: dict[str, ProcedureVersion], settings: Any
) -> None:
    settings.MOTCUA_PUBLICATION_LEAD_WORKING_DAYS = 0  # deadline = day of effect
    tally = publication_tally(CAN_THO, *Q1_2026, as_of=date(2026, 6, 1))
    # late (3/3 ≤ 9/3) and swapped (9/1 ≤ 14/1) become on time; the unpublished ones stay late
    # (24/2 and 30/3 < 31/3); the override still decides its own version.
    assert (tally.numerator, tally.denominator) == (5, 7)
    assert tally.lead_days == 0


def test_other_provinces_and_periods_are_not_counted(versions: dict[str, ProcedureVersion]) -> None:
    other = Province.objects.exclude(code=CAN_THO).order_by("code").first()
    assert other is not None
    assert publication_tally(other, *Q1_2026).denominator == 0
    april = publication_tally(CAN_THO, date(2026, 4, 1), date(2026, 4, 30), as_of=date(2026, 5, 1))
    assert [r.version_id for r in april.rows] == [str(versions["april"].pk)]
    assert april.rows[0].status == Status.ON_TIME
    with pytest.raises(ValueError, match="ends before"):
        publication_tally(CAN_THO, date(2026, 4, 2), date(2026, 4, 1))


@pytest.mark.django_db
def test_imported_versions_carry_no_publication() -> None:
    """R-CAT-02: the importer never invents a decision for a real procedure."""
    seeded = ProcedureVersion.objects.filter(procedure__province_id=CAN_THO)
    assert seeded.exists()
    assert not seeded.exclude(publication_decision="").exists()
    assert not seeded.filter(published_on__isnull=False).exists()
    assert not seeded.filter(publication_deadline__isnull=False).exists()


# --- where the decision is shown -------------------------------------------------------------


def _current_birth() -> ProcedureVersion:
    version = Procedure.objects.get(province_id=CAN_THO, code_national="1.001193").current
    assert version is not None
    return version


@pytest.mark.django_db
def test_the_procedure_page_shows_the_publication_decision(client: Any) -> None:
    version = _current_birth()
    url = f"/thu-tuc/{version.procedure.code_national}/"
    assert "Công bố tại Quyết định số" not in client.get(url).content.decode()
    version.publication_decision = "DEMO-07/QĐ-UBND"
    version.published_on = date(2025, 6, 20)
    version.save(update_fields=["publication_decision", "published_on", "updated_at"])
    page = client.get(url).content.decode()
    assert "Công bố tại Quyết định số DEMO-07/QĐ-UBND ngày 20/06/2025." in page


@pytest.mark.django_db
def test_the_admin_enters_the_decision_and_sees_the_deadline(provincial_admin: Any) -> None:
    from conftest import logged_in

    client = logged_in(provincial_admin, verified=True)
    version = _current_birth()
    url = f"/admin/catalog/procedureversion/{version.pk}/change/"
    page = client.get(url).content.decode()
    # effective 1/7/2025 (Tue): Mon 30/6, Fri 27, Thu 26, Wed 25, Tue 24/6/2025.
    assert "24/06/2025" in page
    formsets = {
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
        "results-TOTAL_FORMS": "0",
        "results-INITIAL_FORMS": "0",
    }
    data = {
        "publication_decision": "DEMO-08/QĐ-UBND",
        "published_on": "2025-06-23",
        "publication_deadline": "",
        **formsets,
    }
    response = client.post(url, data)
    errors = getattr(response, "context_data", {}) or {}
    assert response.status_code == 302, str(errors.get("errors"))
    version.refresh_from_db()
    assert version.publication_decision == "DEMO-08/QĐ-UBND"
    assert version.published_on == date(2025, 6, 23)
    assert version.publication_deadline is None


# --- demo data -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_publications_give_the_quarter_a_figure_and_are_marked_demo() -> None:
    from unittest import mock

    from motcua.catalog import demo

    province = Province.objects.get(code=CAN_THO)
    with mock.patch.object(demo, "local_today", return_value=date(2026, 3, 20)):
        assert demo.seed_demo_publications(province) == 5
        assert demo.seed_demo_publications(province) == 0  # idempotent
    tally = publication_tally(CAN_THO, *Q1_2026, as_of=date(2026, 3, 20))
    # Effective 9/2, 18/2, 28/2, 8/3, 14/3/2026 (20/3 minus 40, 30, 20, 12, 6 days); published
    # early, on the deadline day, late (next working day), early, not at all (deadline Mon 9/3:
    # Fri 13, Thu 12, Wed 11, Tue 10, Mon 9 → past on 20/3).
    assert [r.status for r in tally.rows] == [
        Status.ON_TIME,
        Status.ON_TIME,
        Status.LATE,
        Status.ON_TIME,
        Status.LATE,
    ]
    assert (tally.numerator, tally.denominator) == (3, 5)
    assert tally.rows[1].published_on == tally.rows[1].deadline
    assert all(r.decision.startswith("DEMO-") for r in tally.rows[:4])
    assert tally.rows[4].decision == ""
    for row in tally.rows:
        new = ProcedureVersion.objects.get(pk=row.version_id)
        assert new.procedure.current_id == new.pk
        assert demo.DEMO_SOURCE in new.source
        old = new.procedure.versions.get(version=new.version - 1)
        assert old.effective_to == new.effective_from
        assert old.publication_decision == ""
        assert new.components.count() == old.components.count()
        assert new.content_hash == old.content_hash


def test_a_unit_counts_the_versions_it_implements(
    versions: dict[str, ProcedureVersion], pc_a: Any, pc_b: Any
) -> None:
    versions["early"].implementing_units.set([pc_a])
    versions["late"].implementing_units.set([pc_a, pc_b])
    tally = publication_tally(CAN_THO, *Q1_2026, as_of=date(2026, 6, 1))
    mine = tally.for_units({pc_a.pk})
    assert sorted(r.version_id for r in mine.rows) == sorted(
        str(versions[k].pk) for k in ("early", "late")
    )
    assert (mine.numerator, mine.denominator) == (1, 2)
    theirs = tally.for_units({pc_b.pk})
    assert (theirs.numerator, theirs.denominator) == (0, 1)
    assert tally.for_units(set()).denominator == 0
    assert tally.denominator == 7  # the whole province keeps every version
