"""The facts of a procedure as the assistant tells them, read from its catalogue record.

Two ways to the same :class:`Facts`:

* :func:`facts_of` reads one version's record now (components, fee rules, time limit, units,
  service centres: about five queries) — the reference path;
* :func:`build_table` reads the records of every current version of a province in a handful of
  queries **when the index is built** (``motcua.assistant.index``), composed in every language
  of the site; :func:`facts_from_table` then answers with no query but the calendar's (the due
  date if filed now is computed per question by the deadline engine).

Both compose with :func:`compose`, so the answer is the same either way
(``tests/test_assistant.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language

from motcua.agencies.selectors import service_centres
from motcua.catalog.models import Component, ProcedureVersion
from motcua.catalog.selectors import (
    current_versions,
    fee_summaries,
    online_offer,
    time_limit_text,
)
from motcua.dossiers.actions.core import time_limit
from motcua.geo.models import Commune
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for

MAX_UNITS = 3
MAX_CENTRES = 3

UnitRow = tuple[str, int | None]  # (name, commune id), by name
ComponentRow = tuple[str, bool, str]  # (name, is a note, database that holds it or ""), in order
CentreRow = tuple[object, str, int | None]  # (unit id, name, commune id), in service order


@dataclass(frozen=True)
class Facts:
    """The best procedure's record, as the citizen needs it."""

    code: str
    name: str
    url: str
    apply_url: str
    field: str
    level: str
    bring: list[tuple[str, str]]  # (component, "" or the database that already holds it)
    notes: list[str]
    fee: list[str]
    time_limit: str
    due_if_filed_now: datetime | None
    where: str
    centres: list[str]
    online: str
    legal_basis: str


@dataclass(frozen=True)
class Stored:
    """One procedure's facts composed ahead (no commune, no due date), per language."""

    by_language: dict[str, Facts]
    limit: calc.TimeLimit | None
    units: tuple[UnitRow, ...]
    body_type: str
    boundary_free: bool


@dataclass(frozen=True)
class FactsTable:
    """Every current procedure of a province, keyed by national code, and its service centres."""

    province_id: int
    procedures: dict[str, Stored]
    centres: tuple[CentreRow, ...]

    def legal_basis(self, code: str) -> str | None:
        stored = self.procedures.get(code)
        if stored is None:
            return None
        return next(iter(stored.by_language.values())).legal_basis


def _where(units: Sequence[UnitRow], body_type: str, commune_id: int | None) -> str:
    """The competent units, the citizen's commune's first when known (first three by name)."""
    names: list[str] = []
    if commune_id is not None:
        names = [name for name, commune in units if commune == commune_id][:MAX_UNITS]
    names = names or [name for name, _commune in units[:MAX_UNITS]]
    return "; ".join(names) if names else body_type


def _centres(centres: Sequence[CentreRow], commune_id: int | None) -> list[str]:
    """Three service centres: the citizen's commune's first when known (R-ORG-02)."""
    own = [c for c in centres if commune_id is not None and c[2] == commune_id][:1]
    rest = [c for c in centres[:MAX_CENTRES] if c not in own]
    return [name for _pk, name, _commune in (own + rest)[:MAX_CENTRES]]


def compose(
    version: ProcedureVersion,
    components: Sequence[ComponentRow],
    units: Sequence[UnitRow],
    centres: Sequence[CentreRow],
    commune_id: int | None,
) -> Facts:
    """The facts of ``version`` in the active language, without the due date."""
    code = version.procedure.code_national
    held = dict(Component._meta.get_field("replaceable_by").flatchoices)
    # As Component.get_replaceable_by_display() says it (R-REUSE-05).
    bring = [
        (name, str(held.get(db, db)) if db else "") for name, note, db in components if not note
    ]
    notes = [name for name, note, _db in components if note]
    fees = [f"{f.label}: {f.total}" for f in fee_summaries(version)]
    if not fees and version.fee_text:
        fees = [version.fee_text]
    return Facts(
        code=code,
        name=version.name,
        url=reverse("portal:procedure", args=[code]),
        apply_url=reverse("portal:apply", args=[code]),
        field=version.field.name,
        level=version.get_competent_level_display(),
        bring=bring,
        notes=notes,
        fee=fees,
        time_limit=time_limit_text(version),
        due_if_filed_now=None,
        where=_where(units, version.competent_body_type, commune_id),
        centres=_centres(centres, commune_id) if version.boundary_free else [],  # R-ORG-03
        online=online_offer(version).text,  # the procedure page's sentence (decision 0027)
        legal_basis=version.legal_basis,
    )


def due(limit: calc.TimeLimit | None, province_id: int, now: datetime | None) -> datetime | None:
    """The appointment if filed ``now`` (the deadline engine, the province's calendar)."""
    if limit is None:
        return None
    try:
        return calc.to_local(calc.due_at(now or timezone.now(), limit, calendar_for(province_id)))
    except ValueError:
        return None


def _centre_rows(province_id: int) -> tuple[CentreRow, ...]:
    return tuple(service_centres(province_id).values_list("pk", "name", "commune_id"))


def facts_of(
    version: ProcedureVersion, *, commune: Commune | None = None, now: datetime | None = None
) -> Facts:
    """The facts of ``version`` read from its record now (the reference path)."""
    province_id = version.procedure.province_id
    components = list(version.components.values_list("name", "is_note", "replaceable_by"))
    units = tuple(version.implementing_units.order_by("name").values_list("name", "commune_id"))
    centres = _centre_rows(province_id) if version.boundary_free else ()
    facts = compose(version, components, units, centres, commune.pk if commune else None)
    return replace(facts, due_if_filed_now=due(time_limit(version), province_id, now))


def build_table(province_id: int) -> FactsTable:
    """Every current version's facts, composed in every language of the site (at index build
    time: a few queries for the whole catalogue, never per question)."""
    versions = list(current_versions(province_id).select_related("procedure", "field"))
    ids = [v.pk for v in versions]
    components: dict[object, list[ComponentRow]] = {}
    for version_id, name, is_note, held in (
        Component.objects.filter(version__in=ids)
        .order_by("version", "order")
        .values_list("version_id", "name", "is_note", "replaceable_by")
    ):
        components.setdefault(version_id, []).append((name, is_note, held))
    units: dict[object, list[UnitRow]] = {}
    through = ProcedureVersion.implementing_units.through
    for version_id, name, commune_id in (
        through.objects.filter(procedureversion_id__in=ids)
        .order_by("unit__name")
        .values_list("procedureversion_id", "unit__name", "unit__commune_id")
    ):
        units.setdefault(version_id, []).append((name, commune_id))
    centres = _centre_rows(province_id)
    languages = [code for code, _name in settings.LANGUAGES]
    procedures: dict[str, Stored] = {}
    for version in versions:
        own_components = components.get(version.pk, [])
        own_units = tuple(units.get(version.pk, []))
        by_language: dict[str, Facts] = {}
        for language in languages:
            with translation.override(language):
                by_language[language] = compose(version, own_components, own_units, centres, None)
        procedures[version.procedure.code_national] = Stored(
            by_language=by_language,
            limit=time_limit(version),
            units=own_units,
            body_type=version.competent_body_type,
            boundary_free=version.boundary_free,
        )
    return FactsTable(province_id=province_id, procedures=procedures, centres=centres)


def facts_from_table(
    table: FactsTable, code: str, *, commune: Commune | None, now: datetime | None
) -> Facts | None:
    """The stored facts of ``code`` for the citizen's commune and the active language, with
    the due date if filed ``now``; None when the table does not know the code."""
    stored = table.procedures.get(code)
    if stored is None:
        return None
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    facts = stored.by_language.get(language) or stored.by_language.get(settings.LANGUAGE_CODE)
    if facts is None:
        return None
    if commune is not None:
        facts = replace(
            facts,
            where=_where(stored.units, stored.body_type, commune.pk),
            centres=_centres(table.centres, commune.pk) if stored.boundary_free else [],
        )
    return replace(facts, due_if_filed_now=due(stored.limit, table.province_id, now))
