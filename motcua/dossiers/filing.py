"""What an applicant files, as values: who files (``Applicant``) and what they file, where
(``Filing``). The registration (``dossiers.actions.receive``) checks them and writes them; the
counter, the API, the portal, the demo and the benchmarks build them. One type instead of the
same sixteen keyword arguments written in every caller and every layer (issue #13 item 3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from vn_ident import is_valid_cccd, is_valid_cmnd, is_valid_mst

from motcua.core.errors import ValidationFailed
from motcua.core.text import fold, nfc
from motcua.dossiers.models import ApplicantKind, Delivery

if TYPE_CHECKING:
    from motcua.accounts.models import User
    from motcua.agencies.models import Unit


@dataclass(frozen=True)
class ComponentInput:
    """What the applicant hands in for one checklist item (by catalogue component id)."""

    component_id: int
    pages: int = 0
    source: str = "paper"


@dataclass(frozen=True)
class Applicant:
    """The person or organisation filing, and who represents them (R-ID-15/16)."""

    kind: str
    name: str
    id_number: str
    phone: str = ""
    email: str = ""
    address: str = ""
    representative_name: str = ""
    representative_id_number: str = ""

    @classmethod
    def from_data(cls, data: Any, *, prefix: str = "applicant_") -> Applicant:
        """From a form's or a request body's ``applicant_*`` fields (a mapping or an object);
        absent fields are empty, the kind defaults to a person."""

        def get(name: str) -> str:
            value = data.get(name, "") if isinstance(data, Mapping) else getattr(data, name, "")
            return str(value or "")

        return cls(
            kind=get(f"{prefix}kind") or ApplicantKind.PERSON,
            name=get(f"{prefix}name"),
            id_number=get(f"{prefix}id_number"),
            phone=get(f"{prefix}phone"),
            email=get(f"{prefix}email"),
            address=get(f"{prefix}address"),
            representative_name=get("representative_name"),
            representative_id_number=get("representative_id_number"),
        )

    def checked(self) -> Applicant:
        """The values as stored: NFC text, stripped numbers; the name is required and the ID
        number must be valid for the kind (R-ID-15/16). Errors name the form field."""
        if self.kind not in ApplicantKind.values:
            raise ValidationFailed(
                "Loại người nộp không hợp lệ.", "Unknown applicant kind.", field="applicant_kind"
            )
        name = nfc(self.name)
        if not name:
            raise ValidationFailed(
                "Hãy nhập họ tên người nộp hồ sơ.",
                "The applicant's name is required.",
                field="applicant_name",
            )
        id_number = self.id_number.strip()
        _check_id(self.kind, id_number)
        return replace(
            self,
            name=name,
            id_number=id_number,
            phone=self.phone.strip(),
            email=self.email.strip(),
            address=nfc(self.address),
            representative_name=nfc(self.representative_name),
            representative_id_number=self.representative_id_number.strip(),
        )

    def dossier_fields(self) -> dict[str, str]:
        """The dossier's columns for this applicant (call on a ``checked()`` value)."""
        return {
            "applicant_kind": self.kind,
            "applicant_name": self.name,
            "applicant_name_folded": fold(self.name),
            "applicant_id_number": self.id_number,
            "applicant_phone": self.phone,
            "applicant_email": self.email,
            "applicant_address": self.address,
            "representative_name": self.representative_name,
            "representative_id_number": self.representative_id_number,
        }


def _check_id(kind: str, id_number: str) -> None:
    """R-ID-15/16: a 12-digit personal ID (or legacy 9-digit CMND), or a valid tax code."""
    if kind == ApplicantKind.PERSON:
        if is_valid_cccd(id_number) or is_valid_cmnd(id_number):
            return
        raise ValidationFailed(
            f"Số định danh cá nhân “{id_number}” không hợp lệ (12 chữ số, hoặc CMND 9 chữ số).",
            f"Personal ID number {id_number!r} is not valid (12 digits, or a 9-digit legacy ID).",
            field="applicant_id_number",
        )
    if not is_valid_mst(id_number):
        raise ValidationFailed(
            f"Mã số thuế “{id_number}” không hợp lệ (sai chữ số kiểm tra hoặc độ dài).",
            f"Tax code {id_number!r} is not valid (check digit or length).",
            field="applicant_id_number",
        )


@dataclass(frozen=True)
class Filing:
    """One application: which procedure, at which centre for which competent unit, by whom,
    through which channel, with what (checklist items, declaration) and how the result goes
    back."""

    procedure_code: str
    receiving_unit: Unit
    competent_unit: Unit
    channel: str
    applicant: Applicant
    result_delivery: str = Delivery.COUNTER
    summary: str = ""
    components: tuple[ComponentInput, ...] = field(default_factory=tuple)
    citizen: User | None = None
    declaration: dict[str, Any] | None = None
