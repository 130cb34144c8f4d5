"""Administrative procedure codes (mã TTHC), DOMAIN §3.2 (R-ID-06..08).

Pure value objects, standard library only.

* National code ``d.nnnnnn``, e.g. ``1.001193`` (birth registration), ``2.000815`` (certified
  copy). The leading digit is treated as opaque [I]. R-ID-06 suggested accepting only 1-3, but
  the national portal's published catalogue (shared/data/procedures.csv) also uses 5 and 6
  (e.g. ``6.006594``, ``5.003806``), so any digit 1-9 is accepted (docs/decisions/0003).
* Localized long form: national code + ``.`` + QCVN 102 code of the publishing provincial
  People's Committee, e.g. ``1.001193.000.00.00.H56``.
* Localized short form: national code + ``.`` + level-1 code, e.g. ``2.002621.H56``.
* Public-service code on the online payment platform: ``MaDVC = national + ".01"`` (R-ID-08).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.agencies.codes import AgencyCode, CodeError, Qcvn102Code, Qd20Code

__all__ = [
    "CodeError",
    "ParsedProcedureCode",
    "ProcedureCode",
    "parse_procedure_code",
]

_NATIONAL_RE = re.compile(r"[1-9]\.[0-9]{6}")
_NATIONAL_PREFIX_RE = re.compile(r"(?P<national>[0-9]\.[0-9]{6})(?:\.(?P<rest>.*))?", re.DOTALL)
_LEVEL1_RE = re.compile(r"[A-Y][0-9]{2}")  # same list as Decision 20 level-1 codes

PAYMENT_SERVICE_SUFFIX = ".01"
"""Suffix turning a national procedure code into the payment platform's MaDVC (R-ID-08)."""


@dataclass(frozen=True)
class ProcedureCode:
    """A national procedure code ``d.nnnnnn`` with leading digit 1–9 (R-ID-06, widened).

    ``ProcedureCode("1.001193")`` validates strictly; :meth:`parse` also accepts the localized
    forms and returns a :class:`ParsedProcedureCode`.
    """

    code: str

    def __post_init__(self) -> None:
        if not (isinstance(self.code, str) and _NATIONAL_RE.fullmatch(self.code)):
            raise CodeError(
                f"Mã TTHC quốc gia không hợp lệ: {self.code!r} (định dạng d.nnnnnn, chữ số đầu "
                "từ 1 đến 9, R-ID-06)",
                f"Invalid national procedure code: {self.code!r} (format d.nnnnnn with leading "
                "digit 1-9, R-ID-06)",
            )

    @classmethod
    def parse(cls, text: str) -> ParsedProcedureCode:
        """Parse a national, long localized or short localized procedure code (R-ID-06).

        * ``"1.001193"`` → national ``1.001193``, agency ``None``;
        * ``"1.001193.000.00.00.H56"`` → agency :class:`Qcvn102Code` ``000.00.00.H56``;
        * ``"2.002621.H56"`` → agency :class:`Qd20Code` ``H56`` (a bare level-1 code is the
          Decision 20 syntax; both formats expose ``.level1``).

        Surrounding spaces are stripped and letters upper-cased.
        """
        if not isinstance(text, str):
            raise CodeError("Mã TTHC phải là chuỗi ký tự", "Procedure code must be a string")
        normalized = text.strip().upper()
        match = _NATIONAL_PREFIX_RE.fullmatch(normalized)
        if match is None:
            raise CodeError(
                f"Mã TTHC không hợp lệ: {normalized!r} (phải bắt đầu bằng mã quốc gia d.nnnnnn)",
                f"Invalid procedure code: {normalized!r} (must start with a national code "
                "d.nnnnnn)",
            )
        national = cls(match["national"])
        rest = match["rest"]
        if rest is None:
            return ParsedProcedureCode(national=national, agency=None)
        agency: AgencyCode
        if _LEVEL1_RE.fullmatch(rest):
            agency = Qd20Code.parse(rest)
        elif rest[:1].isdigit():
            agency = Qcvn102Code.parse(rest)
        else:
            raise CodeError(
                f"Mã TTHC địa phương không hợp lệ: {normalized!r} (sau mã quốc gia phải là mã "
                "QCVN 102 của UBND tỉnh hoặc mã cấp 1)",
                f"Invalid localized procedure code: {normalized!r} (the national code must be "
                "followed by a QCVN 102 code or a level-1 code)",
            )
        return ParsedProcedureCode(national=national, agency=agency)

    def __str__(self) -> str:
        return self.code

    def localized_long(self, province_code: Qcvn102Code) -> str:
        """Long localized form, e.g. ``1.001193.000.00.00.H56``.

        ``province_code`` must be the QCVN 102 code of a level-1 body itself (``000.00.00.Lxx``),
        i.e. the publishing provincial People's Committee (DOMAIN §3.2).
        """
        if not isinstance(province_code, Qcvn102Code):
            raise CodeError(
                "Mã địa phương hóa dạng dài cần mã định danh theo QCVN 102",
                "The long localized form needs a QCVN 102 agency code",
            )
        if province_code.depth != 1:
            raise CodeError(
                f"Mã {province_code} không phải mã của cơ quan cấp 1 (dạng 000.00.00.Lxx)",
                f"Code {province_code} is not a level-1 body code (form 000.00.00.Lxx)",
            )
        return f"{self.code}.{province_code}"

    def localized_short(self, level1: str) -> str:
        """Short localized form, e.g. ``2.002621.H56`` (``level1`` is upper-cased)."""
        normalized = level1.strip().upper() if isinstance(level1, str) else ""
        if not _LEVEL1_RE.fullmatch(normalized):
            raise CodeError(
                f"Mã cấp 1 không hợp lệ: {level1!r} (phải là chữ cái A–Y + 2 chữ số)",
                f"Invalid level-1 code: {level1!r} (must be a letter A–Y and two digits)",
            )
        return f"{self.code}.{normalized}"

    def payment_service_code(self) -> str:
        """MaDVC on the National Portal payment platform: national code + ``.01`` (R-ID-08)."""
        return f"{self.code}{PAYMENT_SERVICE_SUFFIX}"


@dataclass(frozen=True)
class ParsedProcedureCode:
    """Result of :meth:`ProcedureCode.parse`: the national code and the localizing agency."""

    national: ProcedureCode
    agency: AgencyCode | None

    @property
    def is_localized(self) -> bool:
        """True for the long or short localized forms."""
        return self.agency is not None

    def __str__(self) -> str:
        if self.agency is None:
            return str(self.national)
        return f"{self.national}.{self.agency}"


def parse_procedure_code(text: str) -> ParsedProcedureCode:
    """Module-level alias of :meth:`ProcedureCode.parse`."""
    return ProcedureCode.parse(text)
