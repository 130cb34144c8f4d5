"""Fixtures of the correspondence tests: the body profile of commune A's People's Committee
and a clerk (văn thư) there."""

from __future__ import annotations

import pytest

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.correspondence.models import BodyProfile


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
