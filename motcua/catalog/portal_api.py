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
hour unit, R-TIME-01) is flagged in ``inferred``, and so are the readings of decision 0027:
the online level derived from ``isFullProcess``, ``isOfflineOnly`` and the channels
(``online_level``), and a time limit whose unit the API gives as ``OTHER`` (``time_limit``).
"""

from __future__ import annotations

import re
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
# A duration as the channel and step texts write it ("05 ngày làm việc", "1 ngày", "12 giờ"); a
# number followed by "/" ("ngày/lần") is a rate, not a duration.
DURATION = re.compile(
    r"(?<![0-9.,/])0*([1-9][0-9]{0,2})(?:\s*\([^)]{0,20}\))?\s*"
    r"(ngày làm việc|ngày|giờ làm việc|giờ)(?!\s*/)",
    re.IGNORECASE,
)
TEXT_UNITS = {
    "ngày làm việc": "working_days",
    "ngày": "days",
    "giờ làm việc": "working_hours",
    "giờ": "working_hours",  # the model's only hour unit (R-TIME-01)
}
# Said in a channel's own text (decision 0027): a read online level beats the flags.
SAYS_FULL = re.compile(r"\(toàn trình\)|trực tuyến toàn trình|dịch vụ công toàn trình")
SAYS_PARTIAL = re.compile(r"trực tuyến một phần")
# Procedures that DOMAIN.md §14 says are filed online although their record lists no online
# channel: not `none` (decision 0027); which level is not said, so `unknown`.
ONLINE_PER_DOMAIN = {
    "2.000986": "no online channel listed, but DOMAIN.md §14 row 7 gives an interactive e-form",
}
NAME_FULL = re.compile(r"trực\s+tuyến\s+toàn\s+trình|dịch\s+vụ\s+công\s+toàn\s+trình")
NAME_PARTIAL = re.compile(r"dịch\s+vụ\s+công\s+(?:trực\s+tuyến\s+)?một\s+phần")
SAYS_NOT_FULL = re.compile(r"(chưa|không) đủ điều kiện[^.;]{0,60}toàn trình")


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
    if chosen is not None and chosen.get("processingTimeUnit") == "OTHER":
        found = _other_unit(record, chosen)
        if found is not None:
            return found
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


def durations(text: str) -> set[tuple[int, str]]:
    """The (number, unit) durations a text states ("05 ngày làm việc" → (5, working days))."""
    return {(int(n), TEXT_UNITS[u.lower()]) for n, u in DURATION.findall(nfc(text))}


def _other_unit(
    record: dict[str, Any], chosen: dict[str, Any]
) -> tuple[str, str, bool, str] | None:
    """The API's ``OTHER`` unit (decision 0027, issue #19 session 9): only where the record
    itself writes the unit. "1 OTHER" is the API's placeholder, not a limit: records whose
    cases or texts state the limit carry it too (1.000025: "1 OTHER", its case 55 working days;
    notary, tax and defence procedures whose steps give 10 to 30 days), so 1 counts as no
    number. With a number N > 1: the unit the channel's text gives N where N is the only
    duration it states, else the unit the record's steps write beside N where they write one.
    Without a number: the duration the channel's text opens with, where it states no other
    ("05 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ, hợp lệ"; not "15 ngày và 05 ngày
    làm việc, cụ thể: ..."). The portal's export prints ``N OTHER`` as "N ngày"
    (as it prints ``N DAY``), but that is not taken as days: 1.001022 prints "3 ngày" where Luật
    Hộ tịch 2014 Art. 25 gives 3 working days. Flagged inferred; None where nothing fits."""
    text = nfc(chosen.get("description"))
    stated = durations(text)
    amount = chosen.get("processingTime")
    number = float(amount) if isinstance(amount, (int, float)) else 0.0
    if number > 1 and number.is_integer():
        if len(stated) == 1 and next(iter(stated))[0] == int(number):
            unit = next(iter(stated))[1]
            return _number(number), unit, True, "OTHER unit read from the channel text"
        steps = " ".join(
            nfc((s or {}).get("description")) for s in record.get("executionSteps") or []
        )
        units = {u for n, u in durations(steps) if n == int(number)}
        if not stated and len(units) == 1:
            return _number(number), units.pop(), True, "OTHER unit read from the steps"
        summed = _step_sum(steps)
        if not stated and summed is not None and summed[0] == int(number):
            return _number(number), summed[1], True, "OTHER unit: the steps' limits add up to it"
        return None
    if len(stated) == 1 and DURATION.match(text):
        value, unit = stated.pop()
        return str(value), unit, True, "time limit read from the channel text"
    return None


# A numbered step that states its own limit: "Bước 3: Trong thời hạn 17 ngày làm việc kể từ ..."
STEP_LIMIT = re.compile(
    r"Bước\s*([0-9]+)\s*[:.]\s*Trong thời hạn\s*(?:không quá\s*)?0*([1-9][0-9]{0,2})\s*"
    r"(ngày làm việc|ngày|giờ làm việc|giờ)(?!\s*/)",
    re.IGNORECASE,
)


def _step_sum(steps: str) -> tuple[int, str] | None:
    """(total, unit) of the limits the numbered steps state, where at least two steps state one
    and all in the same unit (decision 0031): 1.010090 "Bước 3: Trong thời hạn 17 ngày làm
    việc …; Bước 4: Trong thời hạn 03 ngày làm việc …" → (20, working days). None otherwise."""
    limits: dict[str, tuple[int, str]] = {}
    for step, amount, unit in STEP_LIMIT.findall(steps):
        limits.setdefault(step, (int(amount), TEXT_UNITS[unit.lower()]))
    units = {unit for _n, unit in limits.values()}
    if len(limits) < 2 or len(units) != 1:
        return None
    return sum(n for n, _u in limits.values()), units.pop()


def _said_level(record: dict[str, Any], online: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The level the record writes: in the procedure's name, else in its online channel's text."""
    name = nfc(record.get("name")).lower()
    text = " ".join(nfc(m.get("description")).lower() for m in online)
    said = [
        (NAME_FULL.search(name), "full", "the name says toàn trình"),
        (NAME_PARTIAL.search(name), "partial", "the name says một phần"),
        (
            online and SAYS_FULL.search(text) and not SAYS_NOT_FULL.search(text),
            "full",
            "the online channel's text says toàn trình",
        ),
        (
            online and SAYS_PARTIAL.search(text),
            "partial",
            "the online channel's text says một phần",
        ),
    ]
    return next(((level, how) for found, level, how in said if found), None)


def online_level(record: dict[str, Any]) -> tuple[str, bool, str]:
    """(level, inferred, how) — decision 0027, R-ONL-01. Where the procedure's name or the
    online channel's own text says "toàn trình" or "(dịch vụ công / trực tuyến) một phần",
    that is read. Otherwise the flags: the portal
    lists no online channel, or marks the procedure ``isOfflineOnly`` → ``none``; an online
    channel and ``isFullProcess`` → ``full``; an online channel without it → ``partial``. The
    two contradictions (``isFullProcess`` with no online channel; ``isOfflineOnly`` with one)
    stay ``unknown``. The flags' meaning is not published, so a level from them is inferred."""
    methods = [m for m in record.get("executionMethods") or [] if m]
    online = [m for m in methods if m.get("submissionMethod") == "ONLINE"]
    full = bool(record.get("isFullProcess"))
    offline_only = bool(record.get("isOfflineOnly"))
    said = _said_level(record, [] if offline_only else online)
    if said is not None:
        return said[0], False, said[1]
    if online and offline_only:
        return "unknown", False, "isOfflineOnly with an online channel: contradictory"
    if not online and full and not offline_only:
        return "unknown", False, "isFullProcess without an online channel: contradictory"
    if (not online or offline_only) and nfc(record.get("code")) in ONLINE_PER_DOMAIN:
        return "unknown", False, ONLINE_PER_DOMAIN[nfc(record.get("code"))]
    if not online or offline_only:
        return "none", True, "no online channel (isOfflineOnly or none listed)"
    return (
        ("full", True, "online channel and isFullProcess")
        if full
        else (
            "partial",
            True,
            "online channel without isFullProcess",
        )
    )


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
    online, online_inferred, online_how = online_level(record)
    text = source(record, path)
    if unit == "unknown" and how != "no time limit in the record":
        text += f"; {how}"
    elif unit != "unknown" and how != "DIRECT channel":
        text += f"; time limit from {how}"
    if online != "unknown":
        text += f"; online level: {online_how}"
    flags = _time_flags(how) if inferred else ""
    if online_inferred:
        flags = _add(flags, "online_level")
    return {
        "code": code,
        "name_vi": name,
        "field_vi": field,
        "competent_level": where,
        "time_limit_value": value,
        "time_limit_unit": unit,
        "same_day_cutoff_1500": "",
        "fee_text": fee_text(record),
        "online_level": online,
        "documents_vi": documents(record),
        "legal_basis": legal_basis(record),
        "source": text,
        "ministry": issuer,
        "inferred": flags,
        "read_on": READ_ON,
    }, ""


def _time_flags(how: str) -> str:
    """The columns an inferred time limit flags: the unit, and the value too where the number
    itself was read from free text."""
    if how == "time limit read from the channel text":
        return "time_limit_value;time_limit_unit"
    return "time_limit_unit"


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
    unit_held = row["time_limit_unit"]
    missing = unit_held in ("", "unknown") or (
        unit_held != "same_day" and not row["time_limit_value"]
    )
    # A read limit beats an inferred one (a decision's internal-process total), except the
    # statute's limits that DOMAIN.md §14 gives for the daily civil-status and certification
    # procedures: the record differs for some (1.001193 birth registration: 1 working day on
    # the portal, the same day under Luật Hộ tịch 2014 Art. 16), and the law decides.
    guessed = "time_limit_value" in row["inferred"].split(";") and "DOMAIN.md" not in row["source"]
    # A reading of the API's OTHER unit (decision 0027) fills a gap only; it does not replace
    # another inference.
    from_other = _how.startswith(("OTHER", "time limit read from"))
    if (missing or (guessed and not from_other)) and unit != "unknown":
        row["time_limit_value"], row["time_limit_unit"] = value, unit
        names = [c for c in row["inferred"].split(";") if c and not c.startswith("time_limit")]
        row["inferred"] = ";".join(names)
        if inferred:
            row["inferred"] = _add(row["inferred"], _time_flags(_how))
        filled.append(f"time_limit ({_how})" if from_other else "time_limit")
    # The online level where the row has none (decision 0027); a level read elsewhere stays.
    online, online_inferred, online_how = online_level(record)
    if row["online_level"] in ("", "unknown") and online != "unknown":
        row["online_level"] = online
        if online_inferred:
            row["inferred"] = _add(row["inferred"], "online_level")
        filled.append(f"online_level ({online_how})")
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
