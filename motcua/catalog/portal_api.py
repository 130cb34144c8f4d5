"""Procedure records of the national portal as its public API returns them (issue #19, session 8).

The portal (dichvucong.gov.vn, 2026) loads each procedure page from an API whose detail record
(``get-formality-by-citizen``) holds the national code, name, field (``category``), the levels
that carry it out (``isWard`` commune, ``isProvince`` province, ``isMinistry`` central), the
issuing ministry (``departmentPromulgateName``), the channels with their time limit and fees
(``executionMethods``: ``DIRECT`` in person, ``ONLINE``, ``POSTAL``), the cases with their own
time limit (``cases[].processingDay``), the documents per case (``executionCases``) and the legal
bases. A public crawl stores one such record per procedure as ``raw_procedure.json``
(github.com/qtungnui07/crwatdatadvc, ``procedures/<life-event group>/<code>/``, 5,665 records,
snapshot 3ec9a11 of 18 July 2026).

``read_record`` turns one record into a catalogue row (the columns of ``importer.COLUMNS``) or
says why it is left out; ``fill_gaps`` completes a row another source already holds. Nothing is
guessed: a value the record does not give stays empty (time limit ``unknown``), and the one
conversion that is not a reading (the portal's ``HOUR`` taken as working hours, the model's only
hour unit, R-TIME-01) is flagged in ``inferred``. The online level (full/partial) is not in the
record: each province decides it (the record's ``isFullProcess`` is not explained on the page
nor in its PDF export, so it is not read as one).
"""

from __future__ import annotations

import unicodedata
from typing import Any

SOURCE = "github.com/qtungnui07/crwatdatadvc"
READ_ON = "2026-07-18"  # snapshot commit 3ec9a11
PORTAL_PAGE = "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/"

# The record's spelling → the catalogue's name of the same ministry-level body.
MINISTRY_NAMES = {
    "Bộ Công thương": "Bộ Công Thương",
    "Bộ xây dựng (Giao thông vận tải cũ)": "Bộ Xây dựng",
}
# Issuers that are ministry-level bodies. Provinces' own procedures ("UBND tỉnh …", a province's
# service centre or department) are province-specific and left out, as for the decisions' lists;
# "Bộ Lao động - Thương binh và Xã hội" no longer exists (merged into Bộ Nội vụ, 2025) and is
# left out rather than re-filed by guess.
MINISTRY_PREFIXES = ("Bộ ", "Ngân hàng Nhà nước", "Thanh tra Chính phủ", "Tòa án nhân dân")
DEFUNCT = ("Bộ Lao động - Thương binh và Xã hội",)
# The record's units → (catalogue unit, inferred). MONTH, YEAR and OTHER have no catalogue unit.
UNITS = {
    "WORKING_DAY": ("working_days", False),
    "DAY": ("days", False),
    "HOUR": ("working_hours", True),
}
CHANNEL_ORDER = ("DIRECT", "ONLINE", "POSTAL")


def nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip()


def ministry(record: dict[str, Any]) -> str | None:
    """The ministry-level body that issued the procedure, in the catalogue's spelling, or None
    for a province's own procedure or a body that no longer exists."""
    name = nfc(record.get("departmentPromulgateName"))
    name = MINISTRY_NAMES.get(name, name)
    if not name.startswith(MINISTRY_PREFIXES) or name in DEFUNCT:
        return None
    return name


def level(record: dict[str, Any]) -> str | None:
    """Commune where the record lists the commune level (a procedure of several levels is filed
    under the lowest, as the rest of the catalogue), province where it lists only the province,
    None for a central-level procedure."""
    if record.get("isWard"):
        return "commune"
    if record.get("isProvince"):
        return "province"
    return None


def field_name(record: dict[str, Any]) -> str:
    """The record's field (``category``; some records only carry ``categoriesDetails``: their
    names, joined by "; " where there are several)."""
    name = nfc((record.get("category") or {}).get("name"))
    if name:
        return name
    names = [nfc(c.get("name")) for c in record.get("categoriesDetails") or [] if c]
    return "; ".join(dict.fromkeys(n for n in names if n))


def _number(value: object) -> str:
    number = float(str(value))
    return str(int(number)) if number.is_integer() else str(number)


def time_limit(record: dict[str, Any]) -> tuple[str, str, bool, str]:
    """(value, unit, inferred, how) from the in-person channel, else the first channel listed;
    where that channel's unit is "OTHER" and every case of the record states the same limit, the
    cases' limit. ("", "unknown", False, why) when the record gives none the model can hold."""
    methods = [m for m in record.get("executionMethods") or [] if m]
    methods.sort(
        key=lambda m: (
            CHANNEL_ORDER.index(m["submissionMethod"])
            if m.get("submissionMethod") in CHANNEL_ORDER
            else len(CHANNEL_ORDER)
        )
    )
    chosen = methods[0] if methods else None
    if chosen is not None:
        unit = chosen.get("processingTimeUnit")
        amount = chosen.get("processingTime")
        if unit in UNITS and amount not in (None, "") and float(amount) > 0:
            name, inferred = UNITS[unit]
            return _number(amount), name, inferred, f"{chosen['submissionMethod']} channel"
    limits = {
        (c["processingDay"].get("qty"), c["processingDay"].get("type"))
        for c in record.get("cases") or []
        if c and c.get("processingDay")
    }
    if len(limits) == 1:
        amount, unit = limits.pop()
        if unit in UNITS and amount not in (None, "") and float(amount) > 0:
            name, inferred = UNITS[unit]
            return _number(amount), name, inferred, "the record's cases (all the same)"
    if chosen is not None and chosen.get("processingTimeUnit") in ("MONTH", "YEAR"):
        return (
            "",
            "unknown",
            False,
            (
                f"the record gives {chosen.get('processingTime')} {chosen['processingTimeUnit']}, "
                "no catalogue unit"
            ),
        )
    return "", "unknown", False, "no time limit in the record"


def fee_text(record: dict[str, Any]) -> str:
    """The fee lines of the in-person channel (else the first), as the record words them; an
    amount without wording is written "N đồng"; zero amounts without wording say nothing."""
    methods = [m for m in record.get("executionMethods") or [] if m]
    direct = [m for m in methods if m.get("submissionMethod") == "DIRECT"]
    chosen = (direct or methods or [None])[0]
    lines: list[str] = []
    for fee in (chosen or {}).get("fees") or []:
        if not fee:
            continue
        text = nfc(fee.get("description"))
        if not text and fee.get("value"):
            text = f"{int(fee['value']):,} đồng".replace(",", ".")
        if text and text not in lines:
            lines.append(text)
    return "; ".join(lines)[:400]


def documents(record: dict[str, Any]) -> str:
    names: list[str] = []
    for case in record.get("executionCases") or []:
        for component in (case or {}).get("profileComponents") or []:
            name = nfc((component or {}).get("name")).replace("|", "/")
            if name and name not in names:
                names.append(name)
    return " | ".join(names)


def legal_basis(record: dict[str, Any]) -> str:
    codes = [nfc(b.get("code")) for b in record.get("legalBasisesDetails") or [] if b]
    return "; ".join(dict.fromkeys(c for c in codes if c))


def source(record: dict[str, Any], path: str) -> str:
    proposal = record.get("procedureProposal") or {}
    decision = nfc(proposal.get("proposalNumber"))
    return (
        f"{SOURCE}/{path} (the portal's API record, {PORTAL_PAGE}{record.get('id', '')}"
        + (f"; decision {decision}" if decision else "")
        + ")"
    )


def read_record(record: dict[str, Any], path: str) -> tuple[dict[str, str] | None, str]:
    """A catalogue row for a local procedure of a ministry-level body, or (None, why left out)."""
    issuer = ministry(record)
    where = level(record)
    if where is None:
        return None, "central level only"
    if issuer is None:
        return None, "not issued by a ministry-level body"
    code = nfc(record.get("code") or record.get("codeNotation"))
    name = nfc(record.get("name"))
    field = field_name(record)
    if not code or not name or not field:
        return None, "no code, name or field"
    value, unit, inferred, how = time_limit(record)
    text = source(record, path)
    if unit == "unknown" and how != "no time limit in the record":
        text += f"; {how}"
    elif unit != "unknown" and how != "DIRECT channel":
        text += f"; time limit from {how}"
    return {
        "code": code,
        "name_vi": name,
        "field_vi": field,
        "competent_level": where,
        "time_limit_value": value,
        "time_limit_unit": unit,
        "same_day_cutoff_1500": "",
        "fee_text": fee_text(record),
        "online_level": "unknown",
        "documents_vi": documents(record),
        "legal_basis": legal_basis(record),
        "source": text,
        "ministry": issuer,
        "inferred": "time_limit_unit" if inferred else "",
        "read_on": READ_ON,
    }, ""


def _add(current: str, columns: str) -> str:
    names = [c for c in current.split(";") if c]
    names += [c for c in columns.split(";") if c and c not in names]
    return ";".join(names)


def fill_gaps(row: dict[str, str], record: dict[str, Any], path: str) -> list[str]:
    """Complete ``row`` (held by another source) with what the record gives and the row lacks:
    the time limit, fee, documents and legal basis where empty, the time limit and the ministry
    where the row's were inferred and the record gives them. Values read elsewhere are never
    replaced. Returns the
    columns filled; the row's ``source`` names the record for them."""
    filled: list[str] = []
    value, unit, inferred, _how = time_limit(record)
    missing = not row["time_limit_value"] or row["time_limit_unit"] == "unknown"
    # A read limit beats an inferred one (a decision's internal-process total), except the
    # statute's limits that DOMAIN.md §14 gives for the daily civil-status and certification
    # procedures: the record differs for some (1.001193 birth registration: 1 working day on
    # the portal, the same day under Luật Hộ tịch 2014 Art. 16), and the law decides.
    guessed = "time_limit_value" in row["inferred"].split(";") and "DOMAIN.md" not in row["source"]
    if (missing or guessed) and unit != "unknown":
        row["time_limit_value"], row["time_limit_unit"] = value, unit
        names = [c for c in row["inferred"].split(";") if c and not c.startswith("time_limit")]
        row["inferred"] = ";".join(names)
        if inferred:
            row["inferred"] = _add(row["inferred"], "time_limit_unit")
        filled.append("time_limit")
    for column, reader in (
        ("fee_text", fee_text),
        ("documents_vi", documents),
        ("legal_basis", legal_basis),
    ):
        if not row[column]:
            found = reader(record)
            if found:
                row[column] = found
                filled.append(column)
    issuer = ministry(record)
    # A row re-filed to the ministry of its field (build_catalogue.refile_by_field: the record's
    # issuer was seen and set aside there) keeps it.
    refiled = "ministry of the field" in row["source"]
    if "ministry" in row["inferred"].split(";") and issuer and not refiled:
        row["ministry"] = issuer
        row["inferred"] = ";".join(c for c in row["inferred"].split(";") if c != "ministry")
        filled.append("ministry")
    if filled:
        row["source"] += f"; {', '.join(filled)} from {source(record, path)}"
    return filled
