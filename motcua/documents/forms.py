"""The forms as versioned templates with a legal basis (R-FORM-01, R-FORM-02), and the plain
data each renderer takes.

The dataclasses carry display-ready values (names, labels, aware datetimes); the dossiers app
builds them from a ``Dossier`` and its events, so this app never imports the aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Paper(StrEnum):
    A4 = "A4"
    A5 = "A5"


class Orientation(StrEnum):
    PORTRAIT = "P"
    LANDSCAPE = "L"


@dataclass(frozen=True)
class FormTemplate:
    number: str
    title_vi: str
    legal_basis: str
    version: str
    effective_from: date
    paper: Paper
    orientation: Orientation = Orientation.PORTRAIT
    effective_until: date | None = None

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    @property
    def small_print(self) -> str:
        """The form number and legal basis printed in small type on every page."""
        return f"{self.legal_basis} · phiên bản {self.version}"


CIRCULAR_03_2025_FROM = date(2025, 9, 15)
# Circular 01/2018/TT-VPCP, signed 23/11/2018; in force from 08/01/2019 [I — verify the date].
CIRCULAR_01_2018_FROM = date(2019, 1, 8)


def _form_2025(number: str, title: str, paper: Paper, orientation: Orientation) -> FormTemplate:
    return FormTemplate(
        number=number,
        title_vi=title,
        legal_basis=f"Mẫu số {number}, Phụ lục I, Thông tư 03/2025/TT-VPCP",
        version="2025.1",
        effective_from=CIRCULAR_03_2025_FROM,
        paper=paper,
        orientation=orientation,
    )


_P, _L = Orientation.PORTRAIT, Orientation.LANDSCAPE

#: The forms issued from 15/9/2025 (DOMAIN.md §5.2). Forms 01–05 print on A5 as the 2018 rule
#: (Circular 01/2018 Art. 9(2)) had it; the control sheet needs A4 for its hand-over table and
#: the tracking book A4 landscape for its fourteen columns.
FORMS: dict[str, FormTemplate] = {
    t.number: t
    for t in (
        _form_2025("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", Paper.A5, _P),
        _form_2025("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", Paper.A5, _P),
        _form_2025("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", Paper.A5, _P),
        _form_2025("04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", Paper.A5, _P),
        _form_2025("05", "Thông báo dừng giải quyết hồ sơ", Paper.A5, _P),
        _form_2025("06", "Phiếu kiểm soát quá trình giải quyết hồ sơ", Paper.A4, _P),
        _form_2025("07", "Sổ theo dõi hồ sơ", Paper.A4, _L),
    )
}


def _form_2018(number: str, title: str, paper: Paper, orientation: Orientation) -> FormTemplate:
    return FormTemplate(
        number=number,
        title_vi=title,
        legal_basis=f"Mẫu số {number}, Thông tư 01/2018/TT-VPCP",
        version="2018.1",
        effective_from=CIRCULAR_01_2018_FROM,
        effective_until=date(2025, 9, 14),
        paper=paper,
        orientation=orientation,
    )


#: The 2018 set, kept for history and reprints (R-FORM-01). Art. 9(2): A5, the book on A4.
FORMS_2018: dict[str, FormTemplate] = {
    t.number: t
    for t in (
        _form_2018("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", Paper.A5, _P),
        _form_2018("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", Paper.A5, _P),
        _form_2018("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", Paper.A5, _P),
        _form_2018("04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", Paper.A5, _P),
        _form_2018("05", "Phiếu kiểm soát quá trình giải quyết hồ sơ", Paper.A5, _P),
        _form_2018("06", "Sổ theo dõi hồ sơ", Paper.A4, _L),
    )
}

#: R-FORM-02: 2018 number → 2025 number. The 2025 Form 05 (stop notice) has no 2018 ancestor.
NUMBER_2018_TO_2025: dict[str, str] = {
    "01": "01",
    "02": "02",
    "03": "03",
    "04": "04",
    "05": "06",
    "06": "07",
}
NUMBER_2025_TO_2018: dict[str, str] = {v: k for k, v in NUMBER_2018_TO_2025.items()}


def template_for(number: str, day: date) -> FormTemplate | None:
    """The template of 2025-numbered form ``number`` in force on ``day`` (R-FORM-01); ``None``
    when no such form existed then (Form 05 before 15/9/2025)."""
    if day >= CIRCULAR_03_2025_FROM:
        return FORMS[number]
    old = NUMBER_2025_TO_2018.get(number)
    return FORMS_2018[old] if old is not None else None


# --------------------------------------------------------------------------- shared parts


@dataclass(frozen=True)
class Issuer:
    """The unit issuing the form. ``parent_name`` is the governing body printed above it
    ("UBND PHƯỜNG NINH KIỀU"); ``province_name`` gives the place of the date line."""

    unit_name: str
    province_name: str
    parent_name: str = ""


@dataclass(frozen=True)
class Applicant:
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class ComponentLine:
    """One dossier component: name, form (bản chính, bản sao, bản sao chứng thực …), count."""

    name: str
    requirement_label: str
    quantity: int = 1


# --------------------------------------------------------------------------- Form 01


@dataclass(frozen=True)
class Form01Data:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (DOMAIN.md §5.1, R-FORM-05, R-ID-13)."""

    issuer: Issuer
    dossier_code: str
    applicant: Applicant
    procedure_name: str
    components: list[ComponentLine]
    statutory_time_text: str
    received_at: datetime
    due_at: datetime
    return_place_text: str
    tracking_url: str
    officer_name: str
    book_ref: str = ""
    dossier_sets: int = 1


# --------------------------------------------------------------------------- Form 02


@dataclass(frozen=True)
class SupplementItem:
    """One item to supplement or complete, with the reason (R-SUP-01)."""

    name: str
    reason: str
    requirement_label: str = ""
    quantity: int | None = None


@dataclass(frozen=True)
class Form02Data:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

    issuer: Issuer
    issued_at: datetime
    applicant: Applicant
    procedure_name: str
    items: list[SupplementItem]
    officer_name: str
    contact_phone: str = ""
    dossier_code: str = ""
    number: str = ""


# --------------------------------------------------------------------------- Form 03


@dataclass(frozen=True)
class Form03Data:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ: each specific reason (R-RCV-07)."""

    issuer: Issuer
    issued_at: datetime
    applicant: Applicant
    procedure_name: str
    reasons: list[str]
    officer_name: str
    dossier_code: str = ""
    contact_text: str = ""
    number: str = ""


# --------------------------------------------------------------------------- Form 04


@dataclass(frozen=True)
class Form04Data:
    """Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (R-LATE-05)."""

    issuer: Issuer
    issued_at: datetime
    applicant: Applicant
    dossier_code: str
    procedure_name: str
    received_at: datetime
    previous_due_at: datetime
    new_due_at: datetime
    current_status: str
    reason: str
    agency_at_fault: str
    return_place_text: str
    signer_title: str
    signer_name: str
    number: str = ""


# --------------------------------------------------------------------------- Form 05


@dataclass(frozen=True)
class Form05Data:
    """Thông báo dừng giải quyết hồ sơ (R-STOP-02)."""

    issuer: Issuer
    issued_at: datetime
    applicant: Applicant
    dossier_code: str
    procedure_name: str
    received_at: datetime
    stopped_at: datetime
    reason: str
    signer_title: str
    signer_name: str
    requested_at: datetime | None = None
    return_place_text: str = ""
    number: str = ""


# --------------------------------------------------------------------------- Form 06


class StepResult(StrEnum):
    """Result of a step against its own deadline (DOMAIN.md §6.6)."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label_vi(self) -> str:
        return {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}[self.value]


@dataclass(frozen=True)
class HandoverStep:
    """One hand-over: who gave, who received, when, and how the giving step ended."""

    from_unit: str
    to_unit: str
    handed_at: datetime
    from_person: str = ""
    to_person: str = ""
    result: StepResult | None = None
    note: str = ""


@dataclass(frozen=True)
class Form06Data:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ."""

    issuer: Issuer
    dossier_code: str
    applicant: Applicant
    procedure_name: str
    received_at: datetime
    statutory_time_text: str
    due_at: datetime
    components: list[ComponentLine]
    steps: list[HandoverStep]
    competent_unit_name: str = ""


# --------------------------------------------------------------------------- Form 07


@dataclass(frozen=True)
class BookRow:
    """One line of the tracking book (columns of DOMAIN.md §5.1, 2018 Form 06)."""

    dossier_code: str
    procedure_name: str
    applicant_name: str
    applicant_address_phone: str
    competent_unit_name: str
    received_at: datetime
    due_at: datetime
    dossier_sets: int = 1
    transferred_at: datetime | None = None
    result_received_at: datetime | None = None
    returned_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class Form07Data:
    """Sổ theo dõi hồ sơ: a period of the book, printed on A4 landscape."""

    issuer: Issuer
    issued_at: datetime
    period_text: str
    rows: list[BookRow] = field(default_factory=list)
    book_no: str = ""
