"""The forwarding's own deadline is a setting (issue #18): by default within the working day of
receipt, or the next working day when received after the calendar's cut-off (R-TRF-03, R-ORG-05
read for petitions, computed as R-TIME-10); N working days when set (R-TIME-05 flag)."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.agencies.models import Unit
from motcua.core.clock import to_local
from motcua.petitions.forwarding import forward_due_at
from motcua.petitions.tests.conftest import file, local

pytestmark = pytest.mark.django_db


def _due(traveller: Any, unit: Unit, day: int, hour: int, minute: int = 0) -> str:
    traveller.move_to(local(3, day, hour).replace(minute=minute))
    return f"{to_local(forward_due_at(file(unit))):%a %d/%m %H:%M}"


def test_the_default_is_the_working_day_of_receipt_or_the_next_after_the_cut_off(
    traveller: Any, pc_a: Unit
) -> None:
    assert _due(traveller, pc_a, 10, 9) == "Tue 10/03 17:00"  # R-TIME-10: received by 15:00
    assert _due(traveller, pc_a, 10, 15, 0) == "Tue 10/03 17:00"  # 15:00 is not after
    assert _due(traveller, pc_a, 10, 15, 1) == "Wed 11/03 17:00"  # after the cut-off
    assert _due(traveller, pc_a, 14, 10) == "Mon 16/03 17:00"  # a Saturday: next working day


def test_working_days_when_set(traveller: Any, pc_a: Unit, settings: Any) -> None:
    settings.MOTCUA_PETITION_FORWARD_WORKING_DAYS = 2
    assert _due(traveller, pc_a, 10, 9) == "Thu 12/03 09:00"  # 2 x 8 working hours (R-TIME-03)
    assert _due(traveller, pc_a, 10, 16) == "Thu 12/03 17:00"  # from Wednesday opening, R-TIME-05
    settings.MOTCUA_PETITION_FORWARD_WORKING_DAYS = -1
    with pytest.raises(ValueError, match="FORWARD_WORKING_DAYS"):
        _due(traveller, pc_a, 10, 9)
