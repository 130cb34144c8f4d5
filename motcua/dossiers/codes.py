"""Dossier codes (mã số hồ sơ), DOMAIN §3.3 (R-ID-09..13).

Pure functions and value objects, standard library only.

* Unit-based format ``{agency_eid}-{YYMMDD}-{seq}`` — Circular 01/2018/TT-VPCP Art. 19; Circular
  03/2025/TT-VPCP Art. 13(1)–(2) assumed identical (R-ID-09).
* Centralized-service format ``{handling_agency_eid}-{YYMMDD}-{AA}{seq}`` for procedures flagged
  as nationwide centralized services, from 25/1/2026 — Circular 03/2025 Art. 13(3) (R-ID-10).
* The sequence has **at least 4 digits and grows beyond 9999** (R-ID-11); the date is the
  **receipt** date in Asia/Ho_Chi_Minh (R-ID-11, R-ID-12). Callers convert an aware datetime to
  the local date themselves; passing a ``datetime`` is refused so that a UTC date cannot slip in.

Neither agency code format contains ``-``, so a dossier code is split on the last two ``-``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from motcua.agencies.codes import AgencyCode, CodeError, parse_agency_code

__all__ = [
    "CENTRALIZED_FORMAT_FROM",
    "CodeError",
    "DossierCode",
    "format_centralized_code",
    "format_unit_code",
]

CENTRALIZED_FORMAT_FROM = date(2026, 1, 25)
"""Effective date of Circular 03/2025 Art. 13(3) as added by Circular 04/2025 (R-ID-10)."""

_SEQ_MIN_DIGITS = 4
_AA_RE = re.compile(r"[0-9]{2}")
_DATE_RE = re.compile(r"[0-9]{6}")
_DIGITS_RE = re.compile(r"[0-9]+")


def _agency(agency_eid: str) -> AgencyCode:
    if not isinstance(agency_eid, str) or "-" in agency_eid:
        raise CodeError(
            f"Mã định danh cơ quan trong mã hồ sơ không hợp lệ: {agency_eid!r}",
            f"Invalid agency code in dossier code: {agency_eid!r}",
        )
    return parse_agency_code(agency_eid)


def _check_date(received_on: date) -> None:
    if isinstance(received_on, datetime) or not isinstance(received_on, date):
        raise CodeError(
            "Ngày tiếp nhận phải là ngày (date) theo giờ Việt Nam, không phải thời điểm "
            "(datetime) (R-ID-11)",
            "The receipt date must be a local Asia/Ho_Chi_Minh date, not a datetime (R-ID-11)",
        )
    if not 2000 <= received_on.year <= 2099:
        raise CodeError(
            f"Ngày tiếp nhận {received_on.isoformat()} nằm ngoài khoảng 2000–2099 (YYMMDD)",
            f"Receipt date {received_on.isoformat()} is outside 2000-2099 (YYMMDD)",
        )


def _check_seq(seq: int) -> None:
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise CodeError(
            f"Số thứ tự hồ sơ phải là số nguyên ≥ 1: {seq!r} (R-ID-11)",
            f"Dossier sequence must be an integer >= 1: {seq!r} (R-ID-11)",
        )


def _check_aa(aa: str) -> None:
    if not (isinstance(aa, str) and _AA_RE.fullmatch(aa)):
        raise CodeError(
            f"Mã AA của hệ thống tập trung phải gồm đúng 2 chữ số: {aa!r} (R-ID-10)",
            f"Centralized-system code AA must be exactly two digits: {aa!r} (R-ID-10)",
        )


def _check_centralized_date(received_on: date) -> None:
    if received_on < CENTRALIZED_FORMAT_FROM:
        raise CodeError(
            f"Mã hồ sơ theo định dạng dịch vụ tập trung chỉ áp dụng từ ngày 25/01/2026, "
            f"ngày tiếp nhận là {received_on:%d/%m/%Y} (R-ID-10)",
            f"The centralized-service dossier code applies from 2026-01-25, receipt date is "
            f"{received_on.isoformat()} (R-ID-10)",
        )


def format_unit_code(agency_eid: str, received_on: date, seq: int) -> str:
    """``{eid}-{YYMMDD}-{seq:04d}``, e.g. ``000.00.31.H13-250704-0001`` (R-ID-09, R-ID-11).

    ``agency_eid`` must be a valid agency code in either format (it is normalized); ``seq`` ≥ 1
    is zero-padded to at least 4 digits and grows beyond 9999.
    """
    return str(DossierCode(agency=agency_eid, received_on=received_on, seq=seq, aa=None))


def format_centralized_code(handling_eid: str, received_on: date, aa: str, seq: int) -> str:
    """``{eid}-{YYMMDD}-{AA}{seq:04d}`` for nationwide centralized services (R-ID-10).

    Only from 25/1/2026; ``aa`` is exactly two digits (taken from the e-ID code of the agency
    owning the centralized system).
    """
    return str(DossierCode(agency=handling_eid, received_on=received_on, seq=seq, aa=aa))


@dataclass(frozen=True)
class DossierCode:
    """A dossier code; ``aa`` is ``None`` for the unit format (R-ID-09), two digits for the
    centralized-service format (R-ID-10). ``agency`` is normalized to its canonical string.
    """

    agency: str
    received_on: date
    seq: int
    aa: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "agency", str(_agency(self.agency)))
        _check_date(self.received_on)
        _check_seq(self.seq)
        if self.aa is not None:
            _check_aa(self.aa)
            _check_centralized_date(self.received_on)

    @property
    def agency_code(self) -> AgencyCode:
        """The parsed agency part (QCVN 102 or Decision 20)."""
        return parse_agency_code(self.agency)

    @property
    def is_centralized(self) -> bool:
        """True for the centralized-service format (R-ID-10)."""
        return self.aa is not None

    def __str__(self) -> str:
        return f"{self.agency}-{self.received_on:%y%m%d}-{self.aa or ''}{self.seq:04d}"

    @classmethod
    def parse(cls, text: str, *, centralized: bool = False) -> DossierCode:
        """Parse a dossier code; ``centralized`` selects the ``AAXXXX`` tail (R-ID-10).

        The tail cannot tell the two formats apart on its own (``AA0001`` is also a valid
        6-digit sequence), hence the explicit flag. Non-canonical sequences (``00001``) are
        refused so that ``parse(str(code)) == code`` always holds.
        """
        if not isinstance(text, str):
            raise CodeError("Mã hồ sơ phải là chuỗi ký tự", "Dossier code must be a string")
        normalized = text.strip().upper()
        parts = normalized.rsplit("-", 2)
        if len(parts) != 3:
            raise CodeError(
                f"Mã hồ sơ không hợp lệ: {normalized!r} (định dạng <mã cơ quan>-YYMMDD-<số thứ "
                "tự>)",
                f"Invalid dossier code: {normalized!r} (format <agency code>-YYMMDD-<sequence>)",
            )
        agency, date_part, tail = parts
        received_on = _parse_yymmdd(date_part)
        aa: str | None = None
        if centralized:
            if not _DIGITS_RE.fullmatch(tail) or len(tail) < 2 + _SEQ_MIN_DIGITS:
                raise CodeError(
                    f"Phần AA + số thứ tự không hợp lệ: {tail!r} (2 chữ số AA + ít nhất 4 chữ số, "
                    "R-ID-10)",
                    f"Invalid AA + sequence part: {tail!r} (2 AA digits + at least 4 digits, "
                    "R-ID-10)",
                )
            aa, tail = tail[:2], tail[2:]
        seq = _parse_seq(tail)
        return cls(agency=agency, received_on=received_on, seq=seq, aa=aa)


def _parse_yymmdd(text: str) -> date:
    if not _DATE_RE.fullmatch(text):
        raise CodeError(
            f"Phần ngày của mã hồ sơ phải gồm 6 chữ số YYMMDD: {text!r}",
            f"The dossier code's date part must be 6 digits YYMMDD: {text!r}",
        )
    try:
        return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        raise CodeError(
            f"Ngày trong mã hồ sơ không tồn tại: {text!r}",
            f"The dossier code's date does not exist: {text!r}",
        ) from None


def _parse_seq(text: str) -> int:
    if not _DIGITS_RE.fullmatch(text) or len(text) < _SEQ_MIN_DIGITS:
        raise CodeError(
            f"Số thứ tự hồ sơ phải gồm ít nhất 4 chữ số: {text!r} (R-ID-11)",
            f"Dossier sequence must have at least 4 digits: {text!r} (R-ID-11)",
        )
    seq = int(text)
    if text != f"{seq:04d}":
        raise CodeError(
            f"Số thứ tự hồ sơ có số 0 thừa ở đầu: {text!r} (R-ID-11)",
            f"Dossier sequence has superfluous leading zeros: {text!r} (R-ID-11)",
        )
    return seq
