"""The two formats of GeoReport v2: JSON arrays and the spec's XML (a root element holding one
element per item, values as text, lists as nested elements)."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET  # we only write XML, never parse it

from django.http import HttpResponse

#: The XML element of one item under each root.
ITEM = {"services": "service", "service_requests": "request", "errors": "error"}
#: Elements that hold a list, and the element of each entry.
LIST_ITEM = {"attributes": "attribute", "values": "value"}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _fill(parent: ET.Element, data: dict[str, Any]) -> None:
    for key, value in data.items():
        child = ET.SubElement(parent, key)
        if isinstance(value, list):
            for entry in value:
                _fill(ET.SubElement(child, LIST_ITEM.get(key, "item")), entry)
        elif isinstance(value, dict):
            _fill(child, value)
        else:
            child.text = _text(value)


def to_xml(root: str, data: list[dict[str, Any]] | dict[str, Any]) -> bytes:
    top = ET.Element(root)
    if isinstance(data, list):
        for item in data:
            _fill(ET.SubElement(top, ITEM[root]), item)
    else:
        _fill(top, data)
    body: bytes = ET.tostring(top, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def respond(
    fmt: str, root: str, data: list[dict[str, Any]] | dict[str, Any], status: int = 200
) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            to_xml(root, data), status=status, content_type="application/xml; charset=utf-8"
        )
    return HttpResponse(
        json.dumps(data, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def error(fmt: str, status: int, vi: str, en: str) -> HttpResponse:
    """The spec's error list; the description in Vietnamese first, then English."""
    return respond(fmt, "errors", [{"code": status, "description": f"{vi} — {en}"}], status)
