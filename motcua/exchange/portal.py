"""National Public Service Portal (DVCQG) adapter: dossier sync (R-SYNC-01..05).

``PortalClient`` is the small interface the rest of the platform sees; ``HttpPortalClient``
speaks the contract of :mod:`contracts.portal` over HTTP. Every write carries the caller's
idempotency key, so a retried delivery never counts twice on the portal.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.conf import settings
from pydantic import TypeAdapter

from contracts import portal as c
from contracts.common import ApiResponse
from motcua.exchange.errors import ExchangeInvalidResponse, ExchangeRejected
from motcua.exchange.http import call

SYSTEM = "portal"

_dossiers = TypeAdapter(list[c.DossierSync])
_steps = TypeAdapter(list[c.ProcessStep])

#: R-STATE-02: the paused and stopped statuses the portal is told as 9 ("Đã xử lý xong"), with
#: the process step wording production uses; the platform keeps the real state locally.
REPORTED_AS_RELEASED: dict[int, str] = {
    int(c.NationalStatus.WAITING): "Cán bộ trả hồ sơ bổ sung",
    int(c.NationalStatus.PAYING): "Công dân thực hiện NVTC",
    int(c.NationalStatus.UNRESOLVED): "Dừng xử lý",
}


def reports_pauses_as_released() -> bool:
    """Whether R-STATE-02 applies (setting ``MOTCUA_PORTAL_PAUSES_AS_RELEASED``, default on as
    production does; a province whose portal wants the real 5/6/8 turns it off)."""
    return bool(getattr(settings, "MOTCUA_PORTAL_PAUSES_AS_RELEASED", True))


def reported_status(code: int) -> int:
    """The status the portal is sent for the local national ``code`` (R-STATE-01, R-STATE-02)."""
    if code in REPORTED_AS_RELEASED and reports_pauses_as_released():
        return int(c.NationalStatus.RELEASING)
    return code


class PortalClient(Protocol):
    """What the platform needs from the national portal."""

    def create(self, dossier: c.DossierSync, *, idempotency_key: str) -> ApiResponse: ...

    def update(self, dossier: c.DossierSync, *, idempotency_key: str) -> ApiResponse: ...

    def push_steps(self, steps: list[c.ProcessStep], *, idempotency_key: str) -> None: ...

    def status_of(self, code: str) -> PortalView: ...


class PortalView:
    """What the portal holds for one dossier: its status and the idempotency keys it accepted."""

    def __init__(self, code: str, status: int | None, keys: set[str], counts: dict[int, int]):
        self.code = code
        self.status = status
        self.keys = keys
        self.status_counts = counts


def _reply(body: dict[str, Any]) -> ApiResponse:
    try:
        return ApiResponse.model_validate(body)
    except ValueError:
        raise ExchangeInvalidResponse(SYSTEM, "phản hồi sai cấu trúc") from None


class HttpPortalClient:
    """The portal over HTTP (URLThemMoi / URLCapNhat / URLDongBoTienTrinh)."""

    def create(self, dossier: c.DossierSync, *, idempotency_key: str) -> ApiResponse:
        """R-SYNC-01 create. ``"3"`` (already exists) is returned, not raised: the caller then
        updates (R-SYNC-02)."""
        body = _dossiers.dump_python([dossier], mode="json", exclude_none=True)
        return _reply(
            call(SYSTEM, "POST", c.CREATE_PATH, body=body, idempotency_key=idempotency_key)
        )

    def update(self, dossier: c.DossierSync, *, idempotency_key: str) -> ApiResponse:
        """R-SYNC-01 update. ``"-2"`` (unknown dossier) is returned for the caller to create."""
        body = _dossiers.dump_python([dossier], mode="json", exclude_none=True)
        return _reply(
            call(SYSTEM, "POST", c.UPDATE_PATH, body=body, idempotency_key=idempotency_key)
        )

    def push_steps(self, steps: list[c.ProcessStep], *, idempotency_key: str) -> None:
        """R-SYNC-05 process steps in chunks of at most ten (R-SYNC-03); chunk ``i > 0`` uses
        ``<key>:<i>`` so each chunk is idempotent on its own."""
        for start in range(0, len(steps), c.MAX_STEPS_PER_CHUNK):
            chunk = steps[start : start + c.MAX_STEPS_PER_CHUNK]
            index = start // c.MAX_STEPS_PER_CHUNK
            key = idempotency_key if index == 0 else f"{idempotency_key}:{index}"
            body = _steps.dump_python(chunk, mode="json", exclude_none=True)
            reply = _reply(call(SYSTEM, "POST", c.STEPS_PATH, body=body, idempotency_key=key))
            if not reply.ok:
                raise ExchangeRejected(SYSTEM, reply.message, error_code=reply.error_code)

    def status_of(self, code: str) -> PortalView:
        """What the portal holds for ``code``. The contract has no read endpoint (R-SYNC-01
        lists three POSTs); this reads the simulator's ``/_sim/received``. A province whose
        portal offers a status query replaces this one method (docs/integration.md)."""
        body = call(SYSTEM, "GET", "/_sim/received", params={"MaHoSo": code}, envelope=False)
        events = body.get("events")
        if not isinstance(events, list):
            raise ExchangeInvalidResponse(SYSTEM, "thiếu danh sách events")
        keys = {str(e["idempotency_key"]) for e in events if e.get("idempotency_key")}
        counts = {int(k): int(v) for k, v in dict(body.get("status_counts") or {}).items()}
        status = body.get("TrangThaiHoSo")
        return PortalView(code, None if status is None else int(status), keys, counts)
