"""Pure rules of form: types, symbols, numbers, date lines and series (R-DOC-02…05, R-DOC-18)."""

from __future__ import annotations

from datetime import date

import pytest

from motcua.correspondence import types as t
from motcua.correspondence.actions import date_line


def test_types_are_the_2020_list_with_the_new_abbreviations() -> None:
    """R-DOC-02: BGN, BTT, GNP since 2020; the 2011 GN/TTh/NP are gone; công văn has none."""
    abbreviations = {k.abbreviation for k in t.TYPES_2020}
    assert {"BGN", "BTT", "GNP", "QyĐ", "CTr", "TTr", "SY", "TrS", "SL"} <= abbreviations
    assert not {"GN", "TTh", "NP"} & abbreviations
    assert t.doc_type("cong_van").abbreviation == ""
    with pytest.raises(t.UnknownType):
        t.doc_type("quyet_dinh", version="1999")


def test_symbol_and_number_line() -> None:
    """R-DOC-03: ``15/QĐ-UBND``, ``05/UBND-VP`` (leading zero below 10, no spaces)."""
    qd = t.doc_type("quyet_dinh")
    assert t.number_symbol(15, t.symbol(qd, "UBND")) == "Số: 15/QĐ-UBND"
    cv = t.doc_type("cong_van")
    assert t.number_symbol(5, t.symbol(cv, "UBND", "VP")) == "Số: 05/UBND-VP"
    assert t.symbol(qd, "UBND X") == "QĐ-UBNDX"
    assert t.number_text(9) == "09"
    assert t.number_text(100) == "100"
    with pytest.raises(ValueError, match="01"):
        t.number_text(0)


def test_date_line_has_leading_zeros() -> None:
    """R-DOC-04: days below 10 and months 1–2 take a leading zero."""
    assert date_line("Thành phố Cần Thơ", date(2026, 1, 5)) == "Cần Thơ, ngày 05 tháng 01 năm 2026"
    assert date_line("Thành phố Cần Thơ", date(2026, 3, 15)) == "Cần Thơ, ngày 15 tháng 3 năm 2026"


def test_series() -> None:
    """R-DOC-05: secret documents, normative types, boards have their own series; R-DOC-18:
    copies have one yearly series."""
    qd = t.doc_type("quyet_dinh")
    assert t.series_for(qd, secret=False) == t.MAIN_SERIES
    assert t.series_for(qd, secret=True) == t.SECRET_SERIES
    assert t.series_for(t.doc_type("ban_sao_y"), secret=False) == t.COPY_SERIES
    assert t.series_for(qd, secret=False, board="HĐTĐ") == "board:HĐTĐ"
    normative = t.DocType("nq_qppl", "Nghị quyết", "NQ", normative=True)
    assert t.series_for(normative, secret=False) == "normative:nq_qppl"
