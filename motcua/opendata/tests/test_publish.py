"""Issue #17 item 5: new versions only when the data changed, history and last-modified kept,
held-back datasets hidden, a crashed run resumed, progress reported."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.opendata import publish
from motcua.opendata.datasets import DATASETS
from motcua.opendata.models import DatasetControl, DatastoreRow, PublicationRun, ResourceVersion
from motcua.opendata.tests.conftest import TODAY, Seeded, seed_counters

N_TABLES = sum(len(d.tables) for d in DATASETS)
pytestmark = pytest.mark.usefixtures("clock")


def test_the_first_run_publishes_every_table_and_the_second_nothing(seeded: Seeded) -> None:
    assert seeded.run.published == N_TABLES
    assert seeded.run.finished_at is not None
    seen: list[str] = []
    again = publish.run(today=TODAY, progress=lambda r: seen.append(r.progress))
    assert (again.published, again.unchanged) == (0, N_TABLES)
    assert len(seen) == N_TABLES
    assert seen[-1].startswith(f"{N_TABLES}/{N_TABLES} ")
    assert ResourceVersion.objects.count() == N_TABLES


def test_a_change_makes_a_new_version_of_that_table_only(seeded: Seeded, clock: Any) -> None:
    before = ResourceVersion.objects.get(dataset="thong-ke-ho-so", resource="theo-don-vi-thang")
    clock.shift(3600)
    seed_counters(
        seeded.unit_b, {"ch_online": 10, "received": 10}, month=TODAY.replace(day=1, month=2)
    )
    run = publish.run(today=TODAY)
    assert run.published >= 1
    versions = ResourceVersion.objects.filter(
        dataset="thong-ke-ho-so", resource="theo-don-vi-thang"
    ).order_by("version")
    assert [v.version for v in versions] == [1, 2]
    old, new = versions
    assert old.content_hash == before.content_hash
    assert not old.current
    assert new.current
    assert new.last_modified > old.last_modified
    assert old.last_modified == before.last_modified  # history keeps its date
    assert not DatastoreRow.objects.filter(version=old).exists()  # one copy of the rows
    assert (
        ResourceVersion.objects.filter(
            dataset="danh-muc-thu-tuc-hanh-chinh", resource="thu-tuc"
        ).count()
        == 1
    )


def test_a_held_back_dataset_disappears_everywhere(seeded: Seeded) -> None:
    DatasetControl.objects.create(dataset="thong-ke-ho-so", held_back=True, reason="Kiểm tra")
    client = Client()
    names = client.get("/opendata/api/3/action/package_list").json()["result"]
    assert "thong-ke-ho-so" not in names
    assert "lich-lam-viec" in names
    assert client.get("/du-lieu-mo/thong-ke-ho-so/").status_code == 404
    assert client.get("/du-lieu-mo/thong-ke-ho-so/theo-don-vi-thang.csv").status_code == 404
    assert b"thong-ke-ho-so" not in client.get("/opendata/catalog.ttl").content
    run = publish.run(today=TODAY)
    assert run.skipped == 2
    assert ResourceVersion.objects.filter(dataset="thong-ke-ho-so", held_back=True).count() == 2
    DatasetControl.objects.filter(dataset="thong-ke-ho-so").update(held_back=False)
    run = publish.run(today=TODAY)
    assert run.published == 2  # released: a public version again
    assert client.get("/du-lieu-mo/thong-ke-ho-so/").status_code == 200


def test_a_crashed_run_is_resumed(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    seed_counters(seeded.unit_b, {"received": 50}, month=TODAY.replace(day=1, month=1))
    built: list[str] = []
    real = publish.publish_table

    def crash(dataset: Any, table: Any, ctx: Any, *, hold: bool) -> bool:
        built.append(table.slug)
        if table.slug == "theo-don-vi-thang":
            raise RuntimeError("worker killed")
        return real(dataset, table, ctx, hold=hold)

    monkeypatch.setattr(publish, "publish_table", crash)
    with pytest.raises(RuntimeError):
        publish.run(today=TODAY)
    stuck = PublicationRun.objects.get(finished_at__isnull=True)
    assert "thong-ke-ho-so/theo-don-vi-thang" not in stuck.done
    assert len(stuck.done) == len(built) - 1
    assert not ResourceVersion.objects.filter(complete=False).exists()
    rebuilt: list[str] = []

    def count(dataset: Any, table: Any, ctx: Any, *, hold: bool) -> bool:
        rebuilt.append(table.slug)
        return real(dataset, table, ctx, hold=hold)

    monkeypatch.setattr(publish, "publish_table", count)
    resumed = publish.run(today=TODAY)
    assert resumed.pk == stuck.pk
    assert resumed.finished_at is not None
    assert len(resumed.done) == N_TABLES
    assert len(rebuilt) == N_TABLES - len(stuck.done)  # only what the crash left undone
    assert rebuilt[0] == "theo-don-vi-thang"
    new = ResourceVersion.objects.get(
        dataset="thong-ke-ho-so", resource="theo-don-vi-thang", current=True
    )
    assert new.version == 2


def test_the_scheduled_job_is_listed() -> None:
    from config.jobs import SCHEDULE

    assert ("motcua.opendata.publish.publish_datasets", 3600) in SCHEDULE
