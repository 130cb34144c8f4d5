"""The retrieval index of a province: built off the request path, kept per process, saved to disk.

* The **fingerprint** of a catalogue is one aggregate query (count of current versions, latest
  change of a procedure and of a current version): a new version changes it.
* :func:`retriever` answers with the index in memory. When the fingerprint moved it keeps
  answering with the previous index and rebuilds in a background thread (a new version is
  searchable within the build time, ≈ 10 s for 1,600 procedures, well within a minute).
* A cold process loads the index saved under ``var/assistant/`` (a few tens of ms) when its
  fingerprint matches; only a process with no index at all and no saved file builds in the
  request (the first request after a fresh install). :func:`warm` — called by
  ``motcua assistant build`` and by the worker job ``assistant-index`` — builds and saves it
  ahead, so web workers never do.

The file is a pickle written by this module into the project's own ``var/`` directory (never
read from anywhere else); its name carries the province and a format version.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from motcua.assistant.facts import build_table
from motcua.assistant.retrieval import Record, Retriever
from motcua.catalog.models import Component, Procedure, ProcedureVersion
from motcua.catalog.selectors import current_versions
from motcua.geo.models import Province

log = logging.getLogger(__name__)

FORMAT = 5  # 5: the retriever keeps per-process caches outside its pickle
KEEP_FILES = 3  # saved states kept per province
_LOCK = threading.Lock()
_COLD = threading.Lock()  # held while a process without an index loads or builds it
_INDEXES: dict[int, Retriever] = {}
_BUILDING: set[int] = set()
_CHECKED: dict[int, float] = {}
CHECK_SECONDS = 10.0  # a new version is seen within this, then searchable after one build


def _province_pk(province: Province | int) -> int:
    return province if isinstance(province, int) else province.pk


def fingerprint(province: Province | int) -> tuple[object, ...]:
    row = Procedure.objects.filter(province=province).aggregate(
        n=Count("current"), changed=Max("current__updated_at"), moved=Max("updated_at")
    )
    return (
        row["n"],
        row["changed"].isoformat() if row["changed"] else None,
        row["moved"].isoformat() if row["moved"] else None,
    )


def records(province: Province | int) -> list[Record]:
    versions = list(
        current_versions(province)
        .select_related("procedure", "field")
        .only("id", "name", "competent_level", "procedure__code_national", "field__name")
    )
    bodies: dict[object, list[str]] = {}
    for version_id, name in Component.objects.filter(
        version__in=[v.pk for v in versions]
    ).values_list("version_id", "name"):
        bodies.setdefault(version_id, []).append(name)
    return [
        Record(
            key=str(v.pk),
            code=v.procedure.code_national,
            name=v.name,
            field=v.field.name,
            level=v.competent_level,
            body="\n".join(bodies.get(v.pk, [])),
        )
        for v in versions
    ]


def index_path_dir() -> Path:
    default = settings.VAR_DIR / "assistant"
    return Path(getattr(settings, "MOTCUA_ASSISTANT_INDEX_DIR", default))


def index_path(province: Province | int, key: tuple[object, ...] | None = None) -> Path:
    """The saved index of ``province`` for the catalogue state ``key`` (the current one by
    default): one file per state, so a state seen again (a rollback) loads instead of building."""
    directory = index_path_dir()
    key = fingerprint(province) if key is None else key
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
    return directory / f"index-{_province_pk(province)}-v{FORMAT}-{digest}.pickle"


def _save(province: Province | int, index: Retriever) -> None:
    assert isinstance(index.fingerprint, tuple)
    path = index_path(province, index.fingerprint)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        pickle.dump(index, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)
    saved = sorted(
        path.parent.glob(f"index-{_province_pk(province)}-v{FORMAT}-*.pickle"),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in saved[KEEP_FILES:]:
        old.unlink(missing_ok=True)


def _load(province: Province | int, wanted: tuple[object, ...]) -> Retriever | None:
    path = index_path(province, wanted)
    if not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            index = pickle.load(handle)  # noqa: S301 -- our own file in var/, see the docstring
    except Exception:  # a torn or outdated file is rebuilt, never fatal
        log.warning("assistant index %s unreadable, rebuilding", path)
        return None
    if not isinstance(index, Retriever) or index.fingerprint != wanted:
        return None
    return index


def build(province: Province | int, *, save: bool = True) -> Retriever:
    """Build the index from the database now (and save it)."""
    key = fingerprint(province)
    started = time.perf_counter()
    index = Retriever(records(province), fingerprint=key)
    # The facts of every answer composed now, so that no answer reads the record (≈ 5 queries).
    index.facts = build_table(_province_pk(province))
    log.info(
        "assistant index built: %d procedures in %.1f s", len(index), time.perf_counter() - started
    )
    if save:
        _save(province, index)
    with _LOCK:
        _INDEXES[_province_pk(province)] = index
    return index


def warm(province: Province | int) -> Retriever:
    """The current index, loaded or built and saved: for start-up and the worker."""
    key = fingerprint(province)
    index = _load(province, key)
    if index is None:
        return build(province)
    with _LOCK:
        _INDEXES[_province_pk(province)] = index
    return index


def preload(province: int) -> None:
    """Load the newest saved index of ``province`` without touching the database (web process
    start-up, in a thread): the first question then only checks its fingerprint."""
    directory = index_path_dir()
    saved = sorted(
        directory.glob(f"index-{province}-v{FORMAT}-*.pickle"),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    if not saved:
        return
    try:
        with saved[0].open("rb") as handle:
            index = pickle.load(handle)  # noqa: S301 -- our own file in var/, see the docstring
    except Exception:
        log.warning("assistant index %s unreadable", saved[0])
        return
    if isinstance(index, Retriever):
        with _LOCK:
            _INDEXES.setdefault(province, index)


def refresh(province: Province | int) -> bool:
    """Make sure the saved index matches the catalogue; True when it was built now."""
    key = fingerprint(province)
    current = _INDEXES.get(_province_pk(province))
    if current is not None and current.fingerprint == key:
        return False
    if index_path(province, key).exists():
        warm(province)
        return False
    build(province)
    return True


def _rebuild_in_background(province_pk: int) -> None:
    with _LOCK:
        if province_pk in _BUILDING:
            return
        _BUILDING.add(province_pk)

    def run() -> None:

        try:
            warm(province_pk)
        except Exception:
            log.exception("assistant index rebuild failed")
        finally:
            connection.close()
            with _LOCK:
                _BUILDING.discard(province_pk)

    threading.Thread(target=run, name="assistant-index", daemon=True).start()


def retriever(province: Province | int) -> Retriever:
    """The province's index for a request: never rebuilt here while one exists (see module).
    The fingerprint is read at most every :data:`CHECK_SECONDS` per process."""
    pk = _province_pk(province)
    current = _INDEXES.get(pk)
    sync = getattr(settings, "MOTCUA_ASSISTANT_SYNC_REBUILD", False)
    if (
        current is not None
        and not sync
        and time.monotonic() - _CHECKED.get(pk, 0.0) < CHECK_SECONDS
    ):
        return current
    key = fingerprint(pk)
    _CHECKED[pk] = time.monotonic()
    if current is not None:
        if current.fingerprint != key:
            if sync:
                return build(pk)
            _rebuild_in_background(pk)
        return current
    # A process without an index loads (or builds) it once: a request arriving while the web
    # warm-up (motcua/web/warmup.py) or another request is loading it waits for that load.
    with _COLD:
        current = _INDEXES.get(pk)
        if current is not None:
            return current
        loaded = _load(pk, key)
        if loaded is not None:
            with _LOCK:
                _INDEXES[pk] = loaded
            return loaded
        return build(pk)


def version_ids(province: Province | int) -> list[str]:
    """Keys of the current versions (for tests and diagnostics)."""
    return [str(pk) for pk in current_versions(province).values_list("pk", flat=True)]


def clear() -> None:
    with _LOCK:
        _INDEXES.clear()


__all__ = [
    "ProcedureVersion",
    "build",
    "clear",
    "fingerprint",
    "index_path",
    "records",
    "retriever",
    "warm",
]
