"""The counter's helpers (issue #14 item 5): find the procedure as the officer types, and look
the applicant up in the national population database by personal ID number.

The lookup goes through the exchange's :func:`motcua.exchange.lookups.lookup_person`, which
writes the personal-data access log before the request leaves (R-POP-03, R-PDP-07) with the
purpose, the procedure and the counter intake it serves (R-PDP-02: only inside a procedure
being received, never a free "search people" screen). Nothing here writes a dossier.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from vn_ident import is_valid_cccd

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.search import code_in_query
from motcua.catalog.selectors import procedures_for
from motcua.core.errors import ValidationFailed
from motcua.core.text import nfc
from motcua.dossiers.models import Dossier
from motcua.dossiers.reuse import LEGAL_BASIS
from motcua.exchange.lookups import link_intake, lookup_person

#: How many procedures the counter's search offers while the officer types.
MATCHES_SHOWN = 8
#: The purpose recorded with every counter lookup (R-PDP-02/07).
PURPOSE = "Tiếp nhận hồ sơ tại quầy: xác minh nhân thân, điền thông tin người nộp"


def procedure_by_code(at_unit: Unit, typed: str) -> Procedure | None:
    """The procedure whose national code was typed ("1.001193" or "1001193"), in the counter's
    province; ``None`` for a name or an unknown code."""
    code = code_in_query(typed.strip())
    if code is None:
        return None
    return (
        Procedure.objects.select_related("current")
        .filter(province_id=at_unit.province_id, code_national=code)
        .first()
    )


def procedure_matches(at_unit: Unit, typed: str) -> list[ProcedureVersion]:
    """The best current procedures for a name typed with or without diacritics, a slip of the
    thumb, or a word half typed (the catalogue's own search, the portal's)."""
    if not typed.strip():
        return []
    return procedures_for(at_unit.province_id, q=typed)[:MATCHES_SHOWN]


def new_intake_ref() -> str:
    """The reference of one counter intake, logged with its lookups before a dossier exists."""
    return f"TQ-{uuid.uuid4().hex[:10].upper()}"


@dataclass(frozen=True)
class Applicant:
    """What the population database returned that the counter form asks for."""

    name: str
    address: str
    birth_date: str
    access_id: int


def link_lookups(intake_ref: str, dossier: Dossier, *, acting_user: User, at_unit: Unit) -> int:
    """The intake's population lookups, logged against ``intake_ref`` before the dossier
    existed, now name the dossier (its code, or its id while it has none): the citizen's and
    the auditor's view of access to the dossier show them (R-PDP-07). In the transaction that
    writes the dossier; another intake's rows are never touched."""
    return link_intake(
        intake_ref, dossier.code or str(dossier.pk), acting_user=acting_user, unit=at_unit
    )


def _address(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    parts = [value.get(k, "") for k in ("ChiTiet", "TenPhuongXa", "TenTinhThanh")]
    return nfc(", ".join(p for p in parts if isinstance(p, str) and p))[:300]


def lookup_applicant(
    id_number: str,
    *,
    acting_user: User,
    at_unit: Unit,
    procedure_code: str,
    intake_ref: str,
) -> Applicant:
    """Look the applicant up by personal ID number in the population database (R-POP-01/02),
    logged with the purpose (R-PDP-07). Raises ``ValidationFailed`` for a malformed number
    (nothing sent, nothing logged), the exchange's errors otherwise (all logged)."""
    id_number = id_number.strip()
    intake_ref = intake_ref.strip() or new_intake_ref()
    if not is_valid_cccd(id_number):
        raise ValidationFailed(
            f"Số định danh cá nhân “{id_number}” không hợp lệ: cần đủ 12 chữ số để tra cứu "
            "Cơ sở dữ liệu quốc gia về dân cư.",
            f"Personal ID number {id_number!r} is not valid: 12 digits are needed to look it up.",
            field="applicant_id_number",
        )
    result = lookup_person(
        "population",
        id_number,
        acting_user=acting_user,
        unit=at_unit,
        dossier_ref=intake_ref,
        procedure_code=procedure_code,
        purpose=PURPOSE,
        legal_basis=LEGAL_BASIS,
        intake_ref=intake_ref,
    )
    record = result.found.record
    name = record.get("HoVaTen") or {}
    full = " ".join(
        str(name.get(k, ""))
        for k in ("Ho", "ChuDem", "Ten")
        if isinstance(name, dict) and name.get(k)
    )
    birth = (record.get("NgayThangNamSinh") or {}).get("NgayThangNam", "")
    return Applicant(
        name=nfc(full),
        address=_address(record.get("NoiOHienTai") or record.get("ThuongTru")),
        birth_date=str(birth),
        access_id=result.access.pk,
    )
