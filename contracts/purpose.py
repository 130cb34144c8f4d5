"""Purpose-bound lookups of the national databases (R-PDP-02, R-PDP-07, R-REUSE-06).

Civil status, land and judicial-record lookups are allowed only for an open dossier: every
request names the officer (``MaCanBo``), the dossier (``MaHoSo``) and the purpose
(``MucDich``); a request without one of them is refused with :data:`ERR_PURPOSE_REQUIRED`
(HTTP 200, ``missing`` lists the absent fields) and is still logged. ``MaDonVi`` (agency
e-ID), ``MaTTHC`` (procedure code) and ``CanCuPhapLy`` (legal basis) are recorded when sent.
Every reply carries ``MaTraCuu``, the ID of the query-log entry, to attach to the dossier
with the response snapshot (R-REUSE-06).
"""

from __future__ import annotations

from typing import Final

from contracts.common import ApiResponse, ContractModel

ERR_OK: Final = "0"
ERR_INVALID: Final = "-1"
ERR_NOT_FOUND: Final = "-2"
ERR_PURPOSE_REQUIRED: Final = "-4"

#: Fields without which a lookup is refused (R-PDP-02; ``MaCanBo`` for R-PDP-07).
REQUIRED_PURPOSE_FIELDS: Final = ("MaCanBo", "MaHoSo", "MucDich")


class PurposeBoundRequest(ContractModel):
    """Who asks, for which dossier, why (R-PDP-02, R-PDP-07)."""

    MaCanBo: str | None = None
    MaDonVi: str | None = None
    MaHoSo: str | None = None
    MaTTHC: str | None = None
    MucDich: str | None = None
    CanCuPhapLy: str | None = None

    def missing_purpose_fields(self) -> list[str]:
        """The required purpose fields that are absent or blank."""
        return [name for name in REQUIRED_PURPOSE_FIELDS if not (getattr(self, name) or "").strip()]


class LookupReply(ApiResponse):
    """``{error_code, message, MaTraCuu, missing?}``; on success ``message`` is JSON."""

    MaTraCuu: str = ""
    missing: list[str] | None = None
