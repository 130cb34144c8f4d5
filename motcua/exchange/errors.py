"""One error family for every national system (STYLE "External systems behind a small adapter").

``permanent`` tells the outbox whether a retry is worth it (healthchecks' ``TransportError``):
a timeout, a 5xx or a broken body may pass on the next try; a refused payload will not.
"""

from __future__ import annotations

from motcua.core.errors import MotcuaError


class ExchangeError(MotcuaError):
    """A call to a national system did not succeed."""

    code = "exchange_error"
    http_status = 502
    permanent = False

    def __init__(self, system: str, detail: str, *, error_code: str = "") -> None:
        super().__init__(
            f"Không kết nối được hệ thống quốc gia “{system}”: {detail}. Hãy thử lại sau.",
            f"The national system {system!r} could not be reached: {detail}. Try again later.",
            system=system,
            error_code=error_code,
        )
        self.system = system
        self.detail = detail
        self.error_code = error_code


class ExchangeTimeout(ExchangeError):
    """No reply within the timeout (the call may or may not have taken effect)."""

    code = "exchange_timeout"
    http_status = 504


class ExchangeUnavailable(ExchangeError):
    """Connection refused, or the system answered 5xx."""

    code = "exchange_unavailable"
    http_status = 503


class ExchangeInvalidResponse(ExchangeError):
    """The reply is not the contract's JSON (truncated, wrong shape)."""

    code = "exchange_invalid_response"


class CircuitOpen(ExchangeUnavailable):
    """Too many consecutive failures: the system is skipped until the cool-down ends."""

    code = "exchange_circuit_open"


class ExchangeRejected(ExchangeError):
    """The system answered with a business error (``error_code`` ≠ "0"): retrying the same
    request gives the same answer, so the outbox dead-letters it at once."""

    code = "exchange_rejected"
    http_status = 422
    permanent = True

    def __init__(self, system: str, detail: str, *, error_code: str = "") -> None:
        MotcuaError.__init__(
            self,
            f"Hệ thống quốc gia “{system}” từ chối yêu cầu (mã {error_code}): {detail}",
            f"The national system {system!r} refused the request (code {error_code}): {detail}",
            system=system,
            error_code=error_code,
        )
        self.system = system
        self.detail = detail
        self.error_code = error_code


class RecordNotFound(ExchangeRejected):
    """The registry has no record for the identifier given (``-2``)."""

    code = "exchange_not_found"
    http_status = 404


class PurposeRequired(MotcuaError):
    """R-PDP-02: a registry lookup needs an open dossier and a purpose; nothing is sent."""

    code = "purpose_required"
    http_status = 422

    def __init__(self, missing: list[str]) -> None:
        names = ", ".join(missing)
        super().__init__(
            f"Từ chối tra cứu: thiếu {names}. Chỉ tra cứu trong hồ sơ đang giải quyết, "
            "ghi rõ mục đích (R-PDP-02).",
            f"Lookup refused: {names} missing. Look up only for an open dossier, with a "
            "stated purpose (R-PDP-02).",
            missing=missing,
        )
