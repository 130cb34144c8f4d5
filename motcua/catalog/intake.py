"""The catalogue as the counter reads it on every receipt: the version in force of a procedure
with its field and checklist.

A receipt needs the version in force (with its field, for the portal record), its checklist,
whether the competent unit implements it, and the province's calendar mark. One raw SQL
statement reads all of that except the checklist, afresh on every receipt; the checklist is
kept per process and read again only when the version's ``updated_at`` moved. Every change to a
version's checklist moves it: ``Component`` saves and deletes through the ORM (signals below)
and the bulk rewrites of ``curated.apply_curated_checklists`` (``touch_version``). The catalogue
importer never edits a version in place: a changed procedure gets a new version (new key).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.utils.dateparse import parse_datetime

from motcua.catalog.models import Component, Field, Procedure, ProcedureVersion
from motcua.core.clock import now
from motcua.core.rawsql import db_uuid
from motcua.worktime.models import WorkingCalendar


@dataclass(frozen=True)
class InForce:
    version: ProcedureVersion  # with ``field`` loaded
    checklist: tuple[Component, ...]  # the non-note components, in order
    handled: bool  # the competent unit asked about implements this version
    calendar_mark: tuple[Any, Any]  # (calendar id, updated_at) for calendar_from_mark


#: version id -> (its updated_at when the checklist was read, the checklist)
_CHECKLISTS: dict[uuid.UUID, tuple[datetime, tuple[Component, ...]]] = {}


def forget_versions() -> None:
    _CHECKLISTS.clear()


def touch_version(version_id: uuid.UUID) -> None:
    """Mark a version changed (its checklist was rewritten in bulk): every process reloads it."""
    ProcedureVersion.objects.filter(pk=version_id).update(updated_at=now())
    _CHECKLISTS.pop(version_id, None)


def _component_changed(sender: Any, instance: Component, **_: Any) -> None:
    touch_version(instance.version_id)


def _version_saved(sender: Any, instance: ProcedureVersion, **_: Any) -> None:
    # Saved in this process: no need to wait for the next receipt to compare updated_at.
    _CHECKLISTS.pop(instance.pk, None)


post_save.connect(_component_changed, sender=Component, dispatch_uid="motcua.intake.component")
post_delete.connect(_component_changed, sender=Component, dispatch_uid="motcua.intake.component_d")
post_save.connect(_version_saved, sender=ProcedureVersion, dispatch_uid="motcua.intake.version")
post_delete.connect(_version_saved, sender=ProcedureVersion, dispatch_uid="motcua.intake.version_d")


def _aware(value: Any) -> Any:
    """A timestamp as the ORM returns it: SQLite hands raw SQL a naive UTC datetime (or a
    string)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def version_in_force(
    procedure_code: str, province_id: int, competent_unit_id: uuid.UUID | None
) -> InForce | None:
    """The version in force of ``procedure_code`` in the province, or None (no such procedure,
    or none in force). The version row and its field are read afresh by one raw statement
    (no ORM query compilation), so any change of them, however it was made, is seen; the
    checklist comes from the per-process copy unless the version's ``updated_at`` moved."""
    procedure = Procedure._meta.db_table
    version = ProcedureVersion._meta.db_table
    field = Field._meta.db_table
    through = ProcedureVersion.implementing_units.through._meta.db_table
    calendar = WorkingCalendar._meta.db_table
    columns = ", ".join(f"v.{f.column}" for f in ProcedureVersion._meta.concrete_fields)
    handled = (
        f"EXISTS (SELECT 1 FROM {through} i WHERE i.procedureversion_id = p.current_id "  # noqa: S608 - our own table names
        "AND i.unit_id = %s)"
        if competent_unit_id is not None
        else "0 = 1"
    )
    sql = (
        f"SELECT {columns}, {handled} AS in_force_handled, "  # noqa: S608 - our own table names
        "f.code AS in_force_field_code, f.name AS in_force_field_name, "
        "f.name_folded AS in_force_field_name_folded, "
        "f.national_code AS in_force_field_national_code, "
        f"(SELECT c.id FROM {calendar} c WHERE c.province_id = p.province_id) "
        "AS in_force_calendar_id, "
        f"(SELECT c.updated_at FROM {calendar} c WHERE c.province_id = p.province_id) "
        "AS in_force_calendar_at "
        f"FROM {procedure} p JOIN {version} v ON v.id = p.current_id "
        f"JOIN {field} f ON f.id = v.field_id "
        "WHERE p.province_id = %s AND p.code_national = %s"
    )
    params: list[Any] = [province_id, procedure_code]
    if competent_unit_id is not None:
        params.insert(0, db_uuid(competent_unit_id))
    found = next(iter(ProcedureVersion.objects.raw(sql, params)), None)
    if found is None:
        return None
    extra: dict[str, Any] = found.__dict__
    sector = Field(
        id=found.field_id,
        code=extra.pop("in_force_field_code"),
        name=extra.pop("in_force_field_name"),
        name_folded=extra.pop("in_force_field_name_folded"),
        national_code=extra.pop("in_force_field_national_code"),
    )
    sector._state.adding = False
    sector._state.db = found._state.db
    found.field = sector
    handled_now = bool(extra.pop("in_force_handled"))
    mark = (extra.pop("in_force_calendar_id"), _aware(extra.pop("in_force_calendar_at")))
    cached = _CHECKLISTS.get(found.pk)
    if cached is None or cached[0] != found.updated_at:
        checklist = tuple(
            Component.objects.filter(version_id=found.pk, is_note=False).order_by("order")
        )
        cached = (found.updated_at, checklist)
        _CHECKLISTS[found.pk] = cached
    return InForce(version=found, checklist=cached[1], handled=handled_now, calendar_mark=mark)
