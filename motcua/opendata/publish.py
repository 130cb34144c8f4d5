"""The publication job (issue #17 item 5): build every table of every dataset, hash it, and write
a new version only when the content changed. Resumable (a run records the resources it has
finished; a crashed run is picked up by the next one) and it reports its progress.

Short transactions (background work never blocks users on SQLite): rows are built and hashed
with reads outside any write transaction; a new version's rows are written in small batches,
each its own transaction, while the version is not yet visible; one last short transaction
makes it current. A crash leaves an incomplete, invisible version that the next run deletes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.db import transaction

from motcua.core.clock import local_today, now
from motcua.core.text import fold
from motcua.opendata.datasets import DATASETS, Context, Dataset, Row, Table
from motcua.opendata.models import DatasetControl, DatastoreRow, PublicationRun, ResourceVersion

log = logging.getLogger(__name__)

BATCH = 1000


def canonical(rows: list[Row]) -> bytes:
    return json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_hash(table: Table, rows: list[Row]) -> str:
    fields = [(c.id, c.type) for c in table.all_columns]
    digest = hashlib.sha256(json.dumps(fields).encode())
    digest.update(canonical(rows))
    return digest.hexdigest()


def row_text(row: Row) -> str:
    return fold(" ".join(str(v) for v in row.values() if isinstance(v, str) and v))


def held_back() -> set[str]:
    return set(DatasetControl.objects.filter(held_back=True).values_list("dataset", flat=True))


def _clean_incomplete() -> None:
    """Remove versions a crashed run left half-written (never visible)."""
    for pk in ResourceVersion.objects.filter(complete=False).values_list("pk", flat=True):
        while True:
            ids = list(
                DatastoreRow.objects.filter(version_id=pk).values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            with transaction.atomic():
                DatastoreRow.objects.filter(pk__in=ids).delete()
        with transaction.atomic():
            ResourceVersion.objects.filter(pk=pk, complete=False).delete()


def publish_table(dataset: Dataset, table: Table, ctx: Context, *, hold: bool) -> bool:
    """Publish ``table`` if its content changed; True when a new version was written."""
    rows = [{c.id: row.get(c.id) for c in table.all_columns} for row in table.build(ctx)]
    digest = content_hash(table, rows)
    last = (
        ResourceVersion.objects.filter(dataset=dataset.slug, resource=table.slug, complete=True)
        .order_by("-version")
        .first()
    )
    if last is not None and last.content_hash == digest and last.held_back == hold:
        return False
    suppressed = sum(1 for r in rows for f in table.count_fields if r.get(f) is None)
    with transaction.atomic():
        version = ResourceVersion.objects.create(
            dataset=dataset.slug,
            resource=table.slug,
            version=(last.version + 1) if last else 1,
            content_hash=digest,
            fields=[{"id": c.id, "type": c.type, "label": str(c.label)} for c in table.all_columns],
            row_count=len(rows),
            suppressed_cells=suppressed,
            last_modified=now(),
            held_back=hold,
        )
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        with transaction.atomic():
            DatastoreRow.objects.bulk_create(
                DatastoreRow(version=version, n=start + i, data=row, text=row_text(row))
                for i, row in enumerate(chunk)
            )
    with transaction.atomic():
        if not hold:
            ResourceVersion.objects.filter(
                dataset=dataset.slug, resource=table.slug, current=True
            ).update(current=False)
        ResourceVersion.objects.filter(pk=version.pk).update(complete=True, current=not hold)
    _prune(dataset.slug, table.slug)
    return True


def _prune(dataset: str, resource: str) -> None:
    """History keeps every version's metadata and hash; rows only for the served version and the
    latest (held-back) one, so storage stays one copy of each table."""
    keep = set(
        ResourceVersion.objects.filter(
            dataset=dataset, resource=resource, current=True
        ).values_list("pk", flat=True)
    )
    latest = (
        ResourceVersion.objects.filter(dataset=dataset, resource=resource)
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )
    if latest is not None:
        keep.add(latest)
    old = ResourceVersion.objects.filter(dataset=dataset, resource=resource).exclude(pk__in=keep)
    for pk in old.values_list("pk", flat=True):
        while True:
            ids = list(
                DatastoreRow.objects.filter(version_id=pk).values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            with transaction.atomic():
                DatastoreRow.objects.filter(pk__in=ids).delete()


def _resources(datasets: Iterable[Dataset]) -> list[tuple[Dataset, Table]]:
    return [(d, t) for d in datasets for t in d.tables]


def run(
    *,
    today: date | None = None,
    progress: Callable[[PublicationRun], None] | None = None,
    only: Iterable[str] | None = None,
    ctx: Context | None = None,
) -> PublicationRun:
    """Publish every dataset (or ``only`` those slugs). Resumes an unfinished run."""
    ctx = ctx or Context.default(today or local_today())
    wanted = [d for d in DATASETS if only is None or d.slug in set(only)]
    items = _resources(wanted)
    _clean_incomplete()
    with transaction.atomic():
        current_run = PublicationRun.objects.filter(finished_at__isnull=True).first()
        if current_run is None:
            current_run = PublicationRun.objects.create(started_at=now(), total=len(items))
    hold = held_back()
    done = set(current_run.done)
    for i, (dataset, table) in enumerate(items, start=1):
        key = f"{dataset.slug}/{table.slug}"
        if key in done:
            continue
        is_held = dataset.slug in hold
        changed = publish_table(dataset, table, ctx, hold=is_held)
        done.add(key)
        current_run.done = sorted(done)
        if is_held:
            current_run.skipped += 1
        elif changed:
            current_run.published += 1
        else:
            current_run.unchanged += 1
        current_run.progress = f"{i}/{len(items)} {key}"
        with transaction.atomic():
            current_run.save(
                update_fields=["done", "published", "unchanged", "skipped", "progress"]
            )
        log.info("opendata: %s %s", current_run.progress, "new" if changed else "unchanged")
        if progress is not None:
            progress(current_run)
    current_run.finished_at = now()
    with transaction.atomic():
        current_run.save(update_fields=["finished_at"])
    return current_run


def publish_datasets() -> int:
    """The scheduled job (config/jobs.py): returns how many resources got a new version."""
    if not settings.MOTCUA_OPENDATA_ENABLED:
        return 0
    return run().published


def publish_once_for_demo(today: date | None = None) -> PublicationRun:
    """What ``demo_setup`` calls so /du-lieu-mo/ is not empty on a fresh demo."""
    return run(today=today)
