"""Adapters of the national registries (R-REUSE-03): population (R-POP-01..04), civil status,
land, judicial records (purpose-bound, R-PDP-02) and business registration (R-ID-16).

One small interface, ``RegistryClient.lookup(subject, ask)``, one implementation per system over
HTTP with the contract models of :mod:`contracts`. They only talk; the personal-data access log
is written around them by :mod:`motcua.exchange.lookups`, which is what callers use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from pydantic import BaseModel, ValidationError

from contracts import business, civil_status, judicial, land, population
from contracts.purpose import LookupReply
from motcua.exchange.errors import ExchangeInvalidResponse, ExchangeRejected, RecordNotFound
from motcua.exchange.http import call


@dataclass(frozen=True)
class Ask:
    """Who asks, for which dossier, why (R-PDP-02, R-PDP-07): sent with every lookup."""

    officer: str
    unit_code: str
    dossier_ref: str
    procedure_code: str
    purpose: str
    legal_basis: str
    request_id: str

    def purpose_fields(self) -> dict[str, str]:
        return {
            "MaCanBo": self.officer,
            "MaDonVi": self.unit_code,
            "MaHoSo": self.dossier_ref,
            "MaTTHC": self.procedure_code,
            "MucDich": self.purpose,
            "CanCuPhapLy": self.legal_basis,
        }


@dataclass
class Found:
    """A registry's answer: the record as JSON-able data and its query-log reference."""

    system: str
    record: dict[str, Any]
    remote_ref: str = ""
    request: dict[str, Any] = field(default_factory=dict)

    @property
    def fields(self) -> list[str]:
        return sorted(k for k, v in self.record.items() if v not in (None, "", [], {}))


class RegistryClient(Protocol):
    system: str

    def lookup(self, subject: str, ask: Ask) -> Found: ...


def _check(system: str, body: dict[str, Any]) -> None:
    code = str(body.get("error_code"))
    if code == "-2":
        raise RecordNotFound(system, str(body.get("message", "")), error_code=code)
    if code != "0":
        raise ExchangeRejected(system, str(body.get("message", "")), error_code=code)


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)


class PopulationClient:
    """National Population Database (R-POP-01/02): a SOAP envelope inside the JSON reply."""

    system = "population"

    def lookup(self, subject: str, ask: Ask) -> Found:
        request = population.LookupRequest(
            SoDinhDanh=subject,
            MaCanBo=ask.officer,
            MaDVC=ask.procedure_code,
            MaTichHop=ask.unit_code,
            MaYeuCau=ask.request_id,
        )
        sent = _dump(request)
        body = call(self.system, "POST", population.LOOKUP_PATH, body=sent, retries=_retries())
        _check(self.system, body)
        try:
            people = population.parse_envelope(str(body["message"]))
        except (ValueError, ValidationError):
            raise ExchangeInvalidResponse(self.system, "không đọc được SOAP envelope") from None
        if not people:
            raise RecordNotFound(self.system, "không có công dân", error_code="-2")
        return Found(self.system, _dump(people[0]), ask.request_id, sent)


class _PurposeBound:
    system = ""
    path = ""
    request_model: type[BaseModel] = BaseModel

    def parse(self, message: str) -> Any:
        raise NotImplementedError

    def extra(self) -> dict[str, str]:
        return {}

    def lookup(self, subject: str, ask: Ask) -> Found:
        request = self.request_model.model_validate(
            {"SoDinhDanh": subject, **ask.purpose_fields(), **self.extra()}
        )
        sent = _dump(request)
        body = call(self.system, "POST", self.path, body=sent, retries=_retries())
        reply = LookupReply.model_validate(body)
        _check(self.system, body)
        try:
            parsed = self.parse(reply.message)
        except (ValueError, ValidationError):
            raise ExchangeInvalidResponse(self.system, "phản hồi sai cấu trúc") from None
        record = (
            {"DanhSach": [_dump(c) for c in parsed]} if isinstance(parsed, list) else _dump(parsed)
        )
        return Found(self.system, record, reply.MaTraCuu, sent)


class CivilStatusClient(_PurposeBound):
    system = "civil_status"
    path = civil_status.LOOKUP_PATH
    request_model = civil_status.LookupRequest

    def parse(self, message: str) -> Any:
        return civil_status.parse_message(message)


class LandClient(_PurposeBound):
    system = "land"
    path = land.LOOKUP_PATH
    request_model = land.LookupRequest

    def parse(self, message: str) -> Any:
        return land.parse_message(message)


class JudicialClient(_PurposeBound):
    system = "judicial"
    path = judicial.LOOKUP_PATH
    request_model = judicial.LookupRequest

    def parse(self, message: str) -> Any:
        return judicial.parse_message(message)


class BusinessClient:
    """Business registration by tax code (R-ID-16); the purpose fields travel as extras."""

    system = "business"

    def lookup(self, subject: str, ask: Ask) -> Found:
        request = business.LookupRequest.model_validate(
            {"MaSoDoanhNghiep": subject, **ask.purpose_fields()}
        )
        sent = _dump(request)
        body = call(self.system, "POST", business.LOOKUP_PATH, body=sent, retries=_retries())
        _check(self.system, body)
        try:
            enterprise = business.parse_message(str(body["message"]))
        except (ValueError, ValidationError, json.JSONDecodeError):
            raise ExchangeInvalidResponse(self.system, "phản hồi sai cấu trúc") from None
        return Found(self.system, _dump(enterprise), ask.request_id, sent)


def _retries() -> int:

    return int(settings.MOTCUA_EXCHANGE_LOOKUP_RETRIES)


#: The registries a dossier component can be fetched from (catalog.DataSource values).
CLIENTS: dict[str, type[RegistryClient]] = {
    "population": PopulationClient,
    "civil_status": CivilStatusClient,
    "land": LandClient,
    "judicial": JudicialClient,
    "business": BusinessClient,
}
