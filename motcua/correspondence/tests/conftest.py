"""Fixtures of the correspondence tests: the body profile of commune A's People's Committee
and a clerk (văn thư) there, commune B's body, and a clock stopped on a working Tuesday
(10 March 2026, 09:00; a test file that needs another moment defines its own ``clock``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.correspondence.models import BodyProfile
from motcua.worktime.calc import TZ


@pytest.fixture
def profile_a(pc_a: Unit) -> BodyProfile:
    return BodyProfile.objects.create(
        unit=pc_a, abbreviation="UBND", superior_name="", place="Thành phố Cần Thơ"
    )


@pytest.fixture
def clerk_a(pc_a: Unit) -> User:
    user = User.objects.create_user(
        "vanthu.ninhkieu", full_name="Trần Thị Văn Thư", kind=User.Kind.OFFICER
    )
    RoleAssignment.objects.create(user=user, unit=pc_a, role=Role.CLERK)
    return user


@pytest.fixture
def body_b(pc_b: Unit) -> Unit:
    BodyProfile.objects.create(unit=pc_b, abbreviation="UBND", place="Thành phố Cần Thơ")
    return pc_b


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=TZ), tick=False) as traveller:
        yield traveller
