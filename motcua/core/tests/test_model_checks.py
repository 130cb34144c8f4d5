"""Model definitions that Django's system checks accept at any time of day.

`make test` runs `check --deploy --fail-level WARNING`. A fixed date/time default (e.g.
`TimeField(default=time(17, 0))`) draws fields.W161 when the check happens to run within ten
seconds of that time, which once failed CI at 17:00 sharp. Defaults must be callables.
"""

from __future__ import annotations

from datetime import date, datetime, time
from unittest import mock

import pytest
from django.apps import apps
from django.db import models


def _temporal_fields() -> list[models.Field]:  # type: ignore[type-arg]
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, (models.DateField, models.TimeField))
    ]


def test_no_temporal_field_has_a_fixed_default() -> None:
    fixed = [
        f"{field.model._meta.label}.{field.name}"
        for field in _temporal_fields()
        if field.has_default() and isinstance(field.default, (date, datetime, time))
    ]
    assert fixed == []


@pytest.mark.parametrize("hhmm", ["07:00", "11:30", "13:30", "15:00", "17:00"])
def test_calendar_session_fields_pass_checks_at_their_own_time(hhmm: str) -> None:
    # Freeze Django's clock at the session boundary: the moment W161 used to fire.
    hour, minute = map(int, hhmm.split(":"))
    frozen = datetime.combine(date(2026, 12, 2), time(hour, minute))
    with mock.patch("django.db.models.fields._get_naive_now", return_value=frozen):
        warnings = [w for f in _temporal_fields() for w in f.check() if w.id == "fields.W161"]
    assert warnings == []
