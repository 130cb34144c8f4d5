from __future__ import annotations

from ninja import Schema

from motcua.core.schemas import ErrorOut

__all__ = ["CommuneOut", "ErrorOut", "MeOut", "ProvinceOut", "UnitOut"]


class ProvinceOut(Schema):
    code: int
    name: str
    kind: str
    communes: int | None = None


class CommuneOut(Schema):
    code: int
    name: str
    kind: str
    province_code: int


class UnitOut(Schema):
    id: str
    eid_code: str
    eid_format: str
    name: str
    kind: str
    level: str
    parent_id: str | None
    commune_code: int | None
    address: str
    phone: str


class MeOut(Schema):
    username: str
    full_name: str
    kind: str
    roles: list[dict[str, str]]
