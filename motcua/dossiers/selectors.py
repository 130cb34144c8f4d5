"""Scoped reads of dossiers. Missing and forbidden look the same (NotFound)."""

from __future__ import annotations

import operator
import re
import uuid
from collections.abc import Iterable
from datetime import datetime
from functools import reduce

from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, Count, Q, QuerySet
from django.db.models.expressions import RawSQL

from motcua.accounts.models import Role, User
from motcua.accounts.scope import CASEWORK_ROLES, scope_parts, units_in_scope
from motcua.agencies.models import Unit
from motcua.core.clock import now
from motcua.core.errors import NotFound
from motcua.core.text import fold
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.states import OPEN, State
from motcua.worktime import calc
from motcua.worktime.calendars import calendar_for

QUEUES = {
    "mine": ("Được giao cho tôi", "Assigned to me"),
    "to_receive": ("Chờ tiếp nhận", "To receive"),
    "to_forward": ("Chờ chuyển xử lý", "To forward"),
    "to_appraise": ("Chờ thẩm định", "To appraise"),
    "to_approve": ("Chờ ký duyệt", "To approve"),
    "to_return": ("Chờ trả kết quả", "To return"),
    "due_soon": ("Đến hạn trong 1 ngày", "Due within a day"),
    "overdue": ("Quá hạn", "Overdue"),
    "all": ("Tất cả", "All"),
}


def dossiers_visible_to(user: User) -> QuerySet[Dossier]:
    """Dossiers received, decided or returned by a unit in the officer's scope; a citizen sees
    their own."""
    base = Dossier.objects.select_related(
        "procedure_version", "receiving_unit", "competent_unit", "return_unit"
    )
    if not user.is_authenticated:
        return base.none()
    if not user.is_officer:
        return base.filter(citizen=user)
    return base.filter(in_scope(user, CASEWORK_ROLES))


UNIT_FIELDS = ("receiving_unit", "competent_unit", "return_unit")


def in_scope(user: User, roles: Iterable[str], fields: Iterable[str] = UNIT_FIELDS) -> Q:
    """Dossiers with one of ``fields`` on a unit where ``user`` holds one of ``roles``
    (``units_in_scope``). A province covered whole (a province-wide role) is filtered by a
    subquery on the units' province, not by the list of its hundreds of unit ids: one short
    query the planner hashes once, instead of ~1,000 parameters to send and plan per query
    (decision 0022, bench/README.md "search")."""
    provinces, units = scope_parts(user, roles)
    condition = Q()  # an empty scope gives ``unit IN ()``: nothing visible
    for field in fields:
        if provinces:
            whole = Unit.objects.filter(province_id__in=sorted(provinces)).values("pk")
            condition |= Q(**{f"{field}__in": whole})
        if units or not provinces:
            condition |= Q(**{f"{field}__in": units})
    return condition


def access_dossier(user: User, key: str | uuid.UUID) -> Dossier:
    """One visible dossier by code or id, or NotFound (the same for missing and forbidden)."""
    qs = dossiers_visible_to(user)
    dossier: Dossier | None
    if isinstance(key, uuid.UUID):
        dossier = qs.filter(pk=key).first()
    else:
        try:
            dossier = qs.filter(pk=uuid.UUID(key)).first()
        except ValueError:
            dossier = qs.filter(code=key.strip().upper()).first()
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ", "Dossier not found")
    return dossier


def queue(user: User, name: str, *, at: datetime | None = None) -> QuerySet[Dossier]:
    """A work queue of the desk, always within the officer's scope and roles."""
    qs = dossiers_visible_to(user)
    condition = _queue_condition(user, name, at or now())
    return qs.none() if condition is None else qs.filter(condition)


def queue_counts(user: User, names: Iterable[str], *, at: datetime | None = None) -> dict[str, int]:
    """``{name: queue(user, name).count()}`` in one aggregate query instead of one query per
    queue (the desk's home, issue #12 item 9): each count is a ``COUNT(*) FILTER (WHERE …)`` of
    the queue's condition over the dossiers of any of the queues (a queue of a role the officer
    does not hold counts 0 without SQL, as ``queue`` does)."""
    moment = at or now()
    conditions = {name: _queue_condition(user, name, moment) for name in names}
    counts = dict.fromkeys(conditions, 0)
    asked = {name: c for name, c in conditions.items() if c is not None}
    if not asked:
        return counts
    rows = dossiers_visible_to(user).select_related(None)
    if "all" not in asked:
        # Every queue but "all" is among open or result-ready dossiers (served by the state
        # indexes); the OR of the queues keeps the rows read to those of a queue.
        rows = rows.filter(state__in=sorted(s.value for s in {*OPEN, State.RESULT_READY}))
        rows = rows.filter(reduce(operator.or_, asked.values()))
    found = rows.aggregate(
        **{f"n_{name}": Count("pk", filter=c) if name != "all" else Count("pk")
           for name, c in asked.items()}
    )  # fmt: skip
    counts.update({name: int(found[f"n_{name}"] or 0) for name in asked})
    return counts


def _queue_condition(user: User, name: str, moment: datetime) -> Q | None:
    """The filter of a work queue over ``dossiers_visible_to(user)``; None: the queue of a role
    the user does not hold (nothing in it)."""
    by_role = {
        "to_receive": (Role.ONE_STOP_OFFICER, "receiving_unit", [State.SUBMITTED]),
        "to_forward": (Role.ONE_STOP_OFFICER, "receiving_unit", [State.RECEIVED]),
        "to_appraise": (
            Role.SPECIALIST,
            "competent_unit",
            [State.IN_APPRAISAL, State.IN_INTERAGENCY],
        ),
        "to_approve": (Role.UNIT_LEADER, "competent_unit", [State.AWAITING_SIGNATURE]),
        "to_return": (Role.ONE_STOP_OFFICER, "return_unit", [State.RESULT_READY]),
    }
    if name in by_role:
        role, unit_field, states = by_role[name]
        units = units_in_scope(user, (role,))
        return (
            Q(state__in=[s.value for s in states], **{f"{unit_field}__in": units})
            if units
            else None
        )
    open_states = [s.value for s in OPEN]
    if name == "mine":
        # Assigned to this specialist by the unit's leader (R-PROC-01), still open; served by
        # the partial (assigned_to, state) index.
        units = units_in_scope(user, (Role.SPECIALIST,))
        return (
            Q(competent_unit__in=units, assigned_to=user, state__in=open_states) if units else None
        )
    if name == "due_soon":
        # Due within one working day (R-LATE-06 flags dossiers at T-1 working day).
        cal = calendar_for(settings.MOTCUA_PROVINCE_CODE)
        horizon = calc.add_working_minutes(
            calc.normalize_receipt(moment, cal), cal.minutes_per_day(), cal
        )
        return Q(state__in=open_states, due_at_current__gte=moment, due_at_current__lte=horizon)
    if name == "overdue":
        return Q(state__in=open_states, due_at_current__lt=moment)
    return Q()


def search(qs: QuerySet[Dossier], query: str) -> QuerySet[Dossier]:
    """By dossier code, ID number, or applicant name with or without diacritics: every token
    typed must start a word of the folded name ("van an" finds "Đặng Văn An" and "Lê Văn Anh",
    not every "Văn" whose name holds "an" inside a word such as "Thanh"; decision 0029)."""
    text = query.strip()
    if not text:
        return qs
    if re.fullmatch(r"\d{9,13}", text):
        return qs.filter(applicant_id_number=text)
    if "-" in text:
        # A full code typed or scanned from Form 01 is found through the unique index; only
        # a partial code falls back to a substring scan.
        exact = qs.filter(code=text.upper())
        if exact.exists():
            return exact
        return qs.filter(code__icontains=text)
    return _by_name(qs, fold(text).split())


def _by_name(qs: QuerySet[Dossier], tokens: list[str]) -> QuerySet[Dossier]:
    if not tokens:  # only punctuation typed: as an empty search
        return qs
    if connections[qs.db].vendor == "postgresql":
        return _name_words(qs, tokens)
    condition = Q()
    for token in tokens:  # folded names: words of [0-9a-z] between single spaces
        condition &= Q(applicant_name_folded__startswith=token) | Q(
            applicant_name_folded__contains=f" {token}"
        )
    return qs.filter(condition)


def _name_words(qs: QuerySet[Dossier], tokens: list[str]) -> QuerySet[Dossier]:
    """PostgreSQL: each token becomes the words in use that it starts (``dossier_name_word``,
    kept by the triggers of migration 0007), and the dossier's words must overlap them: the
    GIN index ``dossier_name_words_idx`` answers each ``&&`` and the planner knows each word's
    frequency. Same answers as the SQLite condition."""
    with connections[qs.db].cursor() as cursor:
        cursor.execute(
            "SELECT ARRAY(SELECT w.word FROM dossier_name_word w WHERE w.word >= u.t "
            'COLLATE "C" AND w.word < u.t || chr(1114111) COLLATE "C" ORDER BY w.word) '
            "FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, i) ORDER BY u.i",
            [sorted(set(tokens))],
        )
        expansions = [row[0] for row in cursor.fetchall()]
    if any(not words for words in expansions):
        return qs.none()
    # The expression of the index, on the model's own table and column (no input in the SQL;
    # the words are a parameter).
    column = f'"{Dossier._meta.db_table}"."applicant_name_folded"'
    overlap = f"string_to_array({column}, ' ') && %s::text[]"
    for words in expansions:
        qs = qs.filter(RawSQL(overlap, [words], BooleanField()))  # noqa: S611
    return qs


def consultations_for(user: User) -> QuerySet[Consultation]:
    units = units_in_scope(user, (Role.SPECIALIST, Role.UNIT_LEADER))
    return Consultation.objects.filter(agency__in=units, answered_at__isnull=True).select_related(
        "dossier", "agency"
    )
