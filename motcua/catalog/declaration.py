"""Declarations (tờ khai) as data per procedure version (issue #14 item 2).

A procedure version's ``declaration`` is a JSON object validated by :class:`Declaration`: the
fields the e-form and the counter ask (name, labels vi/en, type, required, choices, where the
State already holds the value, help) and how the result document lays them out. A province adds
or changes a form by editing ``data/declarations.json`` (or the version in the admin), without
code. :func:`clean_values` is the one server-side validator used by the e-form, the counter and
the dossier action, so every channel gives the same precise Vietnamese error.

Prefill (R-REUSE-01/02): ``identity:<claim>`` fields are filled from the citizen's verified
identity (VNeID login, or the ID the officer checked at the counter); ``<database>:<field>``
fields name the national database the competent agency reads them from, so the applicant may
leave them empty (the agency looks them up and asks for a supplement only if it cannot).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from vn_ident import is_valid_cccd, is_valid_cmnd, is_valid_phone

from motcua.catalog.intake import touch_version
from motcua.catalog.models import DataSource, Procedure
from motcua.core.text import nfc

__all__ = [
    "DECLARATIONS",
    "Declaration",
    "DeclarationField",
    "FieldType",
    "apply_declarations",
    "birth_date_claim",
    "clean_values",
    "declaration_of",
    "identity_prefill",
    "labelled_values",
    "load_declarations",
]

DECLARATIONS = Path(__file__).resolve().parent / "data" / "declarations.json"

#: Claims of the verified identity a field may be prefilled from.
IDENTITY_CLAIMS = ("full_name", "id_number", "birth_date", "address", "phone", "email")
_PREFILL = re.compile(
    r"^(identity:("
    + "|".join(IDENTITY_CLAIMS)
    + r")|("
    + "|".join(DataSource.values)
    + r"):[a-z_]+)$"
)
MAX_TEXT = 300


class FieldType(StrEnum):
    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    ID_NUMBER = "id-number"
    PHONE = "phone"
    ADDRESS = "address"
    NUMBER = "number"


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    value: str = Field(pattern=r"^[a-z0-9_]{1,30}$")
    label_vi: str
    label_en: str


class DeclarationField(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,40}$")
    label_vi: str = Field(min_length=1, max_length=200)
    label_en: str = Field(min_length=1, max_length=200)
    type: FieldType = FieldType.TEXT
    required: bool = True
    choices: tuple[Choice, ...] = ()
    prefill: str = ""
    past_only: bool = True  # a date in the future is refused (a birth, a death)
    section_vi: str = ""  # heading of the group the field starts (e.g. "Người được khai sinh")
    section_en: str = ""
    help_vi: str = ""
    help_en: str = ""

    @field_validator("prefill")
    @classmethod
    def _known_source(cls, value: str) -> str:
        if value and not _PREFILL.match(value):
            raise ValueError(f"unknown prefill source {value!r}")
        return value

    @field_validator("label_vi", "help_vi", "section_vi")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)

    @property
    def database(self) -> str:
        """The national database holding the value (R-REUSE-03), or ""."""
        source = self.prefill.split(":", 1)[0]
        return "" if source in ("", "identity") else source

    @property
    def identity_claim(self) -> str:
        return self.prefill.split(":", 1)[1] if self.prefill.startswith("identity:") else ""

    def label(self) -> str:
        return self.label_en if _english() else self.label_vi

    def help(self) -> str:
        return self.help_en if _english() else self.help_vi

    def section(self) -> str:
        return self.section_en if _english() else self.section_vi


Layout = Literal["birth", "death", "marriage", "generic", "decision"]


class Declaration(BaseModel):
    """The declaration of one procedure and how its result shows the declared data."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    form_vi: str = Field(min_length=1)  # the legal form, or what the fields were taken from
    source: str = Field(min_length=1)  # where the field list was read (law, form, or "result")
    layout: Layout = "generic"
    result_title_vi: str = Field(min_length=1)
    decision_vi: str = ""  # Article 1 of a decision (layout "decision")
    fields: tuple[DeclarationField, ...] = Field(min_length=1)

    @field_validator("fields")
    @classmethod
    def _unique(cls, fields: tuple[DeclarationField, ...]) -> tuple[DeclarationField, ...]:
        names = [f.name for f in fields]
        if len(names) != len(set(names)):
            raise ValueError("field names must be unique")
        for f in fields:
            if (f.type == FieldType.CHOICE) != bool(f.choices):
                raise ValueError(f"{f.name}: choices go with type 'choice' only")
        return fields


def _english() -> bool:
    return (translation.get_language() or "vi").startswith("en")


def declaration_of(raw: Mapping[str, Any] | None) -> Declaration | None:
    """The version's declaration, or None when the procedure has none yet."""
    if not raw:
        return None
    return Declaration.model_validate(raw)


def _date(value: str) -> date | None:
    """ISO (from ``<input type=date>``) or dd/mm/yyyy as people type it."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None


Checked = tuple[str, str]  # (clean value, "") or ("", the error in the active language)


def _check_date(f: DeclarationField, value: str, today: date) -> Checked:
    day = _date(value)
    if day is None:
        return "", _(
            "{label}: ngày “{value}” không đúng. Hãy nhập theo dạng ngày/tháng/năm, "
            "ví dụ 01/06/2025."
        ).format(label=f.label(), value=value)
    if f.past_only and day > today:
        return "", _("{label}: ngày {day} còn ở tương lai.").format(
            label=f.label(), day=day.strftime("%d/%m/%Y")
        )
    return day.isoformat(), ""


def _check_choice(f: DeclarationField, value: str, today: date) -> Checked:
    if value not in {c.value for c in f.choices}:
        return "", _("{label}: hãy chọn một trong các lựa chọn có sẵn.").format(label=f.label())
    return value, ""


def _check_id(f: DeclarationField, value: str, today: date) -> Checked:
    digits = re.sub(r"\s", "", value)
    if not (is_valid_cccd(digits) or is_valid_cmnd(digits)):
        return "", _(
            "{label}: số “{value}” không hợp lệ (số định danh cá nhân 12 chữ số, "
            "hoặc CMND 9 chữ số)."
        ).format(label=f.label(), value=value)
    return digits, ""


def _check_phone(f: DeclarationField, value: str, today: date) -> Checked:
    digits = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    if not is_valid_phone(digits):
        return "", _("{label}: số điện thoại “{value}” chưa đúng. Ví dụ 0901234567.").format(
            label=f.label(), value=value
        )
    return digits, ""


def _check_number(f: DeclarationField, value: str, today: date) -> Checked:
    try:
        number = Decimal(value.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        return "", _("{label}: “{value}” không phải là một số.").format(
            label=f.label(), value=value
        )
    if number < 0:
        return "", _("{label}: hãy nhập một số không âm.").format(label=f.label())
    return format(number.normalize(), "f"), ""


def _check_text(f: DeclarationField, value: str, today: date) -> Checked:
    text = nfc(" ".join(value.split()))
    if len(text) > MAX_TEXT:
        return "", _("{label}: tối đa {limit} ký tự.").format(label=f.label(), limit=MAX_TEXT)
    return text, ""


_CHECKS = {
    FieldType.DATE: _check_date,
    FieldType.CHOICE: _check_choice,
    FieldType.ID_NUMBER: _check_id,
    FieldType.PHONE: _check_phone,
    FieldType.NUMBER: _check_number,
    FieldType.TEXT: _check_text,
    FieldType.ADDRESS: _check_text,
}


def clean_values(
    declaration: Declaration,
    raw: Mapping[str, Any],
    *,
    today: date,
    require: bool = True,
) -> tuple[dict[str, str], dict[str, str]]:
    """Validate the declared values: (clean values by field name, errors by field name).

    Unknown keys are dropped. ``require`` False (a draft being saved) checks only what is
    typed. A field the State holds in a national database may be left empty (R-REUSE-01/02)."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for f in declaration.fields:
        value = str(raw.get(f.name) or "").strip()
        if not value:
            if require and f.required and not f.database:
                errors[f.name] = _("Hãy nhập {label}.").format(label=f.label().lower())
            continue
        cleaned, error = _CHECKS[f.type](f, value, today)
        if error:
            errors[f.name] = error
        else:
            values[f.name] = cleaned
    return values, errors


def labelled_values(
    declaration: Declaration | None, values: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(section, label, shown value) of every declared value, in the form's order, in
    Vietnamese (for documents): dates as dd/mm/yyyy, choices by their label."""
    if declaration is None:
        return []
    rows = []
    section = ""
    for f in declaration.fields:
        section = f.section_vi or section
        value = values.get(f.name, "")
        if not value:
            continue
        if f.type == FieldType.DATE:
            day = _date(value)
            value = day.strftime("%d/%m/%Y") if day else value
        elif f.type == FieldType.CHOICE:
            value = next((c.label_vi for c in f.choices if c.value == value), value)
        rows.append((section, f.label_vi, value))
    return rows


def load_declarations(path: Path = DECLARATIONS) -> dict[str, Declaration]:
    """The data file, every entry validated (a bad entry names its code and stops the load)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    loaded: dict[str, Declaration] = {}
    for code, entry in raw["procedures"].items():
        try:
            loaded[code] = Declaration.model_validate(entry)
        except ValidationError as exc:
            raise ValueError(f"{path.name}: {code}: {exc}") from exc
    return loaded


@transaction.atomic
def apply_declarations(province_id: int, path: Path = DECLARATIONS) -> int:
    """Set the declaration of the current version of every procedure of the data file that
    has none or a different one; returns how many versions changed. Idempotent."""
    loaded = load_declarations(path)
    changed = 0
    for procedure in Procedure.objects.filter(
        province_id=province_id, code_national__in=list(loaded)
    ).select_related("current"):
        version = procedure.current
        if version is None:
            continue
        data = loaded[procedure.code_national].model_dump(mode="json")
        if version.declaration != data:
            version.declaration = data
            version.save(update_fields=["declaration"])
            touch_version(version.pk)  # the intake cache reloads the version
            changed += 1
    return changed


def identity_prefill(declaration: Declaration | None, claims: Mapping[str, str]) -> dict[str, str]:
    """Values of the ``identity:<claim>`` fields from the verified identity's claims (the State
    holds them: R-REUSE-01), by field name; claims missing or empty are left out."""
    if declaration is None:
        return {}
    values = {}
    for f in declaration.fields:
        claim = claims.get(f.identity_claim, "") if f.identity_claim else ""
        if claim:
            values[f.name] = claim
    return values


def birth_date_claim(value: str) -> str:
    """VNeID's ``NgayThangNamSinh`` (yyyyMMdd) as an ISO date, or ""."""
    if re.fullmatch(r"\d{8}", value or ""):
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return ""
