"""Demo personas (also the test cast; see STYLE.md "Test style").

Commune A is Phường Ninh Kiều, commune B is Phường Cái Khế (both real communes of Cần Thơ).
Every person here is synthetic; the citizen IDs are valid in format only and belong to nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit, UnitKind
from motcua.geo.models import Province

COMMUNE_A = "Phường Ninh Kiều"
COMMUNE_B = "Phường Cái Khế"
# Demo only: `demo_setup` refuses to run in production.
DEMO_PASSWORD = "motcua-demo-2026"  # noqa: S105 - published demo password, not a secret


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    role: str | None
    unit: str  # "psc:A", "pc:A", "psc:B", "pc:B", "dept:Sở Tư pháp", "province", "province_psc"
    title: str
    story: str


PERSONAS = [
    Persona("congdan.an", "Nguyễn Thị An", None, "", "Công dân", "a citizen filing dossiers"),
    Persona(
        "motcua.ninhkieu",
        "Trần Văn Bình",
        Role.ONE_STOP_OFFICER,
        "psc:A",
        "Công chức một cửa",
        "counter officer at commune A: receives and returns",
    ),
    Persona(
        "chuyenvien.ninhkieu",
        "Lê Thị Cúc",
        Role.SPECIALIST,
        "pc:A",
        "Công chức tư pháp - hộ tịch",
        "specialist at commune A: appraises",
    ),
    Persona(
        "lanhdao.ninhkieu",
        "Phạm Minh Dũng",
        Role.UNIT_LEADER,
        "pc:A",
        "Phó Chủ tịch UBND phường",
        "leader at commune A: approves and signs (TOTP)",
    ),
    Persona(
        "quantri.ninhkieu",
        "Hoàng Thu Hà",
        Role.UNIT_ADMIN,
        "pc:A",
        "Quản trị hệ thống phường",
        "unit admin at commune A (TOTP)",
    ),
    Persona(
        "motcua.caikhe",
        "Võ Thanh Em",
        Role.ONE_STOP_OFFICER,
        "psc:B",
        "Công chức một cửa",
        "officer at commune B: must see nothing of commune A",
    ),
    Persona(
        "chuyenvien.sotuphap",
        "Đặng Quốc Gia",
        Role.SPECIALIST,
        "dept:Sở Tư pháp",
        "Chuyên viên Sở Tư pháp",
        "department specialist",
    ),
    Persona(
        "quantri.tinh",
        "Bùi Ngọc Hân",
        Role.PROVINCIAL_ADMIN,
        "province",
        "Quản trị hệ thống thành phố",
        "provincial admin: catalogue, calendar, units (TOTP)",
    ),
    Persona(
        "ioc.tinh",
        "Đỗ Khánh Linh",
        Role.IOC_VIEWER,
        "province",
        "Chuyên viên Trung tâm điều hành",
        "operations-centre viewer",
    ),
]

# Synthetic 12-digit personal ID: province prefix 092 (Cần Thơ), century/gender digit 1
# (female, 1900s), birth year 90, then a serial. Valid in format only (R-ID-15).
OPERATOR_APPS = ["geo", "agencies", "accounts", "catalog", "worktime"]

DEMO_CITIZEN_ID = "092190000001"


def _unit_for(province: Province, key: str) -> Unit:
    qs = Unit.objects.filter(province=province)
    if key == "province":
        return qs.get(kind=UnitKind.PROVINCIAL_PC)
    if key == "province_psc":
        return qs.get(kind=UnitKind.PROVINCIAL_PSC)
    kind, _, rest = key.partition(":")
    if kind == "dept":
        return qs.get(kind=UnitKind.DEPARTMENT, name=rest)
    commune_name = COMMUNE_A if rest == "A" else COMMUNE_B
    unit_kind = UnitKind.COMMUNE_PSC if kind == "psc" else UnitKind.COMMUNE_PC
    return qs.get(kind=unit_kind, commune__name=commune_name)


@transaction.atomic
def seed_personas(province: Province, *, password: str = DEMO_PASSWORD) -> list[User]:
    users: list[User] = []
    for persona in PERSONAS:
        user, _ = User.objects.get_or_create(username=persona.username)
        user.full_name = persona.full_name
        user.job_title = persona.title
        user.kind = User.Kind.CITIZEN if persona.role is None else User.Kind.OFFICER
        user.email = f"{persona.username}@demo.motcua.invalid"
        if persona.role is None:
            user.citizen_id = DEMO_CITIZEN_ID
            user.phone = "0901234567"
        user.is_staff = persona.role == Role.PROVINCIAL_ADMIN
        user.set_password(password)
        user.save()
        if persona.role is not None:
            RoleAssignment.objects.get_or_create(
                user=user, unit=_unit_for(province, persona.unit), role=persona.role
            )
        if persona.role == Role.PROVINCIAL_ADMIN:
            # The operators' Django admin: reference data, not dossiers.
            user.user_permissions.set(
                Permission.objects.filter(content_type__app_label__in=OPERATOR_APPS)
            )
        users.append(user)
    return users


def ensure_totp_device(user: User) -> TOTPDevice:
    """A confirmed TOTP device with a fresh random key (never a key from the repository)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    return device
