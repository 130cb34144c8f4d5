from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.core.clock import LOCAL_TZ
from motcua.petitions.actions import do_file_petition
from motcua.petitions.models import Petition


def local(month: int, day: int, hour: int = 9, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def traveller() -> Iterator[Any]:
    """Tuesday 10 March 2026, 09:00 local time; tests move on with ``traveller.move_to``."""
    with time_machine.travel(local(3, 10), tick=False) as t:
        yield t


def file(unit: Unit, *, citizen: User | None = None, phone: str = "0901234567") -> Petition:
    return do_file_petition(
        unit=unit,
        kind="phan_anh",
        subject="Chậm trả kết quả",
        content="Hồ sơ của tôi đã quá hẹn mà chưa nhận được kết quả.",
        name="Nguyễn Thị An",
        phone=phone,
        acting_user=citizen,
    )
