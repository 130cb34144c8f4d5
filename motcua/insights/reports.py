"""Periodic reports (monthly, quarterly, 6 and 9 months, yearly) per unit, as XLSX (openpyxl) and
PDF (fpdf2, real text in Be Vietnam Pro), stored with the formula version (R-IDX-05, R-VER-01).
Generated on schedule by the worker (``jobs.py``) and on demand from the board or the API."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from motcua.accounts.models import User
from motcua.catalog.publication import Status
from motcua.core.clock import now, to_local
from motcua.core.errors import ValidationFailed
from motcua.core.fonts import add_be_vietnam_pro
from motcua.insights import selectors
from motcua.insights.formulas import BAND_VI, FORMULA_VERSION, GROUP_VI, OUTCOME_VI, Figure
from motcua.insights.models import Report
from motcua.insights.periods import Period
from motcua.insights.selectors import Summary

COUNT_ROWS = [
    ("received", "Hồ sơ tiếp nhận trong kỳ"),
    ("early", OUTCOME_VI["early"]),
    ("on_time", OUTCOME_VI["on_time"]),
    ("late", OUTCOME_VI["late"]),
    ("withdrawn", OUTCOME_VI["withdrawn"]),
    ("stopped", OUTCOME_VI["stopped"]),
    ("ch_counter", "Nộp trực tiếp"),
    ("ch_online", "Nộp trực tuyến"),
    ("ch_postal", "Nộp qua bưu chính công ích"),
    ("rcv_received", "Hồ sơ tiếp nhận tại đơn vị"),
    ("rcv_cross", "Trong đó: của đơn vị khác (không phụ thuộc địa giới)"),
]


def in_time_rows(s: Summary) -> list[tuple[str, int]]:
    """The on-time numerator's two halves (R-IDX-08): open dossiers are never on time."""
    return [
        ("Đã giải quyết trong hạn (trước hạn, đúng hạn, rút/dừng trước hạn)", s.resolved_in_time),
        ("Đang giải quyết, chưa quá hạn", s.open_in_time),
        ("Đang giải quyết, đã quá hạn", s.open_overdue),
    ]


def petition_rows(s: Summary) -> list[tuple[str, int]]:
    """The petition counters behind R-IDX-02/03 (motcua.petitions)."""
    t = s.petitions
    return [
        ("Phản ánh, kiến nghị thuộc thẩm quyền", t.competent),
        ("PAKN đã trả lời", t.answered),
        ("PAKN trả lời quá hạn", t.answered_late),
        ("PAKN đang xử lý trong hạn", t.open_in_time),
        ("PAKN đang xử lý quá hạn", t.open_overdue),
        ("PAKN không hài lòng hoặc khiếu nại xử lý chậm", t.dissatisfied),
        ("PAKN không thuộc thẩm quyền (đã chuyển)", t.not_competent),
    ]


def publication_rows(s: Summary) -> list[tuple[str, int]]:
    """The version counters behind "TTHC published on time" (catalog/publication.py)."""
    t = s.publications
    if t is None:
        return []

    return [
        ("TTHC phải công bố (có hiệu lực trong kỳ)", t.denominator),
        ("TTHC công bố đúng hạn", len(t.of(Status.ON_TIME))),
        ("TTHC chưa công bố, chưa đến hạn", len(t.of(Status.PENDING))),
        ("TTHC công bố trễ hạn hoặc quá hạn chưa công bố", len(t.of(Status.LATE))),
    ]


@dataclass
class Content:
    summary: Summary
    ranking: list[Summary]  # communes ranked (R-IDX-07), for the province report; else empty
    generated_at: str
    unranked: list[Summary] = field(default_factory=list)  # communes without dossiers: apart


def _pct(fig: Figure) -> str:
    return "—" if fig.percent is None else f"{fig.percent}".replace(".", ",") + " %"


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _dec(value: Decimal | int | None) -> str:
    return "—" if value is None else f"{value}".replace(".", ",")


def collect(scope_key: str, period: Period, today: date, province_id: int) -> Content:
    scope = selectors.scope_of(scope_key, province_id)
    summary = selectors.indicators(scope, period, today, province_id)
    ranking: list[Summary] = []
    unranked: list[Summary] = []
    if scope.level == "province":
        ranking, unranked = selectors.ranked_apart(
            selectors.ranking(selectors.commune_scopes(province_id), period, today, province_id)
        )
    return Content(summary, ranking, f"{to_local(now()):%H:%M %d/%m/%Y}", unranked)


def build_xlsx(content: Content) -> bytes:
    s = content.summary
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Chỉ số 766"
    bold = Font(bold=True)
    head = PatternFill("solid", fgColor="DDE6F0")
    ws.append([f"BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP — {s.scope.name}"])
    ws.append(
        [f"Kỳ báo cáo: {s.period.label_vi} ({s.period.start:%d/%m/%Y}–{s.period.end:%d/%m/%Y})"]
    )
    ws.append(
        [
            f"Phiên bản công thức: {FORMULA_VERSION}; đánh giá hồ sơ đang giải quyết tại ngày "
            f"{s.evaluation:%d/%m/%Y} (R-TIME-15); lập lúc {content.generated_at}"
        ]
    )
    ws.append([])
    header = [
        "Mã",
        "Chỉ số",
        "Nhóm",
        "Tử số",
        "Mẫu số",
        "Tỷ lệ (%)",
        "Điểm",
        "Điểm tối đa",
        "Tử số gồm",
        "Mẫu số gồm",
        "Căn cứ",
        "Dữ liệu chưa có",
        "Cách tính điểm",
    ]
    ws.append(header)
    for cell in ws[ws.max_row]:
        cell.font = bold
        cell.fill = head
    for fig in s.figures.values():
        ind = fig.indicator
        ws.append(
            [
                ind.code,
                ind.name_vi,
                GROUP_VI[ind.group],
                fig.numerator,
                fig.denominator,
                float(fig.percent) if fig.percent is not None else None,
                float(fig.points) if fig.points is not None else None,
                float(ind.max_points) if ind.max_points is not None else None,
                ind.numerator,
                ind.denominator,
                ind.rule,
                fig.pending,
                ind.scoring.describe_vi() if ind.scoring is not None else "Không tính điểm",
            ]
        )
    ws.append([])
    ws.append(
        [
            "",
            "Tổng điểm (các chỉ số tính được)",
            "",
            "",
            "",
            "",
            float(s.score.total),
            float(s.score.possible),
        ]
    )
    ws.append(["", "Xếp loại (R-IDX-01)", BAND_VI[s.score.band]])
    for col, width in zip(
        "ABCDEFGHIJKLM", (18, 48, 26, 10, 10, 10, 8, 10, 50, 40, 40, 50, 40), strict=True
    ):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    counts = wb.create_sheet("Số liệu")
    counts.append(["Nội dung", "Số hồ sơ"])
    for cell in counts[1]:
        cell.font = bold
        cell.fill = head
    for key, label in COUNT_ROWS:
        counts.append([label, s.counts.get(key, 0)])
    for label, value in in_time_rows(s):  # R-IDX-08: open dossiers are "not late yet"
        counts.append([label, value])
    for label, value in petition_rows(s):  # R-IDX-02/03 inputs
        counts.append([label, value])
    for label, value in publication_rows(s):  # §10.4 "published on time" inputs
        counts.append([label, value])
    counts.column_dimensions["A"].width = 60
    if content.ranking or content.unranked:
        _ranking_sheet(wb, content, bold, head)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _ranking_sheet(wb: Workbook, content: Content, bold: Font, head: PatternFill) -> None:
    """R-IDX-07: the ranked communes, then those without dossiers, apart and unranked."""
    rank = wb.create_sheet("Xếp hạng xã")
    rank.append(
        [
            "Hạng",
            "Xã, phường, đặc khu",
            "Tiếp nhận",
            "Đúng hạn (%)",
            "Trực tuyến (%)",
            "Số hóa (%)",
            "Tổng điểm",
            "Điểm có thể",
            "Xếp loại",
        ]
    )
    for cell in rank[1]:
        cell.font = bold
        cell.fill = head
    for row in content.ranking:
        f = row.figures
        rank.append(
            [
                row.rank,
                row.scope.name,
                row.received,
                *(_float(f[c].percent) for c in ("on_time", "online_applied", "digitized")),
                float(row.score.total),
                float(row.score.possible),
                BAND_VI[row.score.band],
            ]
        )
    if content.unranked:  # R-IDX-07: listed apart, never ranked
        rank.append([])
        rank.append(["", f"Chưa có hồ sơ trong kỳ, không xếp hạng ({len(content.unranked)})"])
        for row in content.unranked:
            rank.append(["—", row.scope.name, 0])
    rank.column_dimensions["B"].width = 32


class _ReportPDF(FPDF):
    family = "BeVietnamPro"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 7.5)
        self.set_text_color(90, 90, 90)
        self.cell(
            0, 5, f"Motcua · công thức {FORMULA_VERSION} · trang {self.page_no()}/{{nb}}", align="C"
        )


def build_pdf(content: Content) -> bytes:
    s = content.summary
    pdf = _ReportPDF(orientation="landscape", format="A4")
    pdf.family = add_be_vietnam_pro(pdf)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(f"Báo cáo chỉ số 766 — {s.scope.name} — {s.period.label_vi}")
    pdf.set_author("Motcua")
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 14)
    pdf.multi_cell(
        0,
        7,
        "BÁO CÁO CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP",
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font(pdf.family, "", 11)
    pdf.multi_cell(
        0,
        6,
        f"{s.scope.name} — {s.period.label_vi} ({s.period.start:%d/%m/%Y}–{s.period.end:%d/%m/%Y})",
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font(pdf.family, "I", 8.5)
    pdf.multi_cell(
        0,
        5,
        "Theo Quyết định 766/QĐ-TTg. Hồ sơ tiếp nhận trong kỳ; đúng hạn so với "
        "hạn giải quyết ban đầu (R-LATE-07), so sánh theo ngày (R-TIME-14); hồ sơ đang "
        f"giải quyết đánh giá tại ngày {s.evaluation:%d/%m/%Y} (R-TIME-15). Lập lúc "
        f"{content.generated_at}. Chỉ số chưa đủ dữ liệu để trống, không ước tính.",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)
    pdf.set_font(pdf.family, "", 8.5)
    heading = FontFace(emphasis="BOLD", fill_color=(222, 230, 240))
    with pdf.table(
        col_widths=(60, 38, 18, 18, 18, 14, 14, 77), headings_style=heading, line_height=4.6
    ) as table:
        table.row(
            [
                "Chỉ số",
                "Nhóm",
                "Tử số",
                "Mẫu số",
                "Tỷ lệ",
                "Điểm",
                "Tối đa",
                "Căn cứ / dữ liệu chưa có",
            ]
        )
        for fig in s.figures.values():
            ind = fig.indicator
            table.row(
                [
                    ind.name_vi,
                    GROUP_VI[ind.group],
                    _dec(fig.numerator),
                    _dec(fig.denominator),
                    _pct(fig),
                    _dec(fig.points),
                    _dec(ind.max_points),
                    f"{ind.formula_vi}. Điểm: "
                    + (ind.scoring.describe_vi() if ind.scoring is not None else "không tính")
                    + f". {ind.rule}"
                    + (f" — Chưa có: {fig.pending}" if fig.pending else ""),
                ]
            )
    pdf.ln(3)
    pdf.set_font(pdf.family, "B", 10)
    pdf.multi_cell(
        0,
        6,
        f"Tổng điểm các chỉ số tính được: {_dec(s.score.total)} / "
        f"{_dec(s.score.possible)} — Xếp loại: {BAND_VI[s.score.band]}",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font(pdf.family, "", 9)
    lines = [f"{label}: {s.counts.get(key, 0):,}".replace(",", ".") for key, label in COUNT_ROWS]
    lines += [f"{label}: {value}" for label, value in in_time_rows(s)]
    lines += [f"{label}: {value}" for label, value in petition_rows(s)]
    lines += [f"{label}: {value}" for label, value in publication_rows(s)]
    pdf.multi_cell(0, 5, " · ".join(lines), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if content.ranking:
        pdf.add_page()
        pdf.set_font(pdf.family, "B", 12)
        pdf.cell(
            0, 7, "Xếp hạng các xã, phường, đặc khu (R-IDX-07)", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_font(pdf.family, "", 8)
        with pdf.table(
            col_widths=(12, 70, 22, 26, 26, 26, 22, 30), headings_style=heading, line_height=4.2
        ) as table:
            table.row(
                [
                    "Hạng",
                    "Xã, phường, đặc khu",
                    "Tiếp nhận",
                    "Đúng hạn",
                    "Trực tuyến",
                    "Số hóa",
                    "Tổng điểm",
                    "Xếp loại",
                ]
            )
            for row in content.ranking:
                f = row.figures
                table.row(
                    [
                        str(row.rank),
                        row.scope.name,
                        str(row.received),
                        _pct(f["on_time"]),
                        _pct(f["online_applied"]),
                        _pct(f["digitized"]),
                        _dec(row.score.total),
                        BAND_VI[row.score.band],
                    ]
                )
        if content.unranked:  # R-IDX-07: listed apart, never ranked
            pdf.ln(2)
            pdf.set_font(pdf.family, "", 8.5)
            pdf.multi_cell(
                0,
                5,
                f"Chưa có hồ sơ trong kỳ, không xếp hạng ({len(content.unranked)}): "
                + ", ".join(r.scope.name for r in content.unranked),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
    return bytes(pdf.output())


def do_generate_report(
    scope_key: str,
    period: Period,
    fmt: str,
    *,
    province_id: int,
    acting_user: User | None,
    scheduled: bool = False,
    content: Content | None = None,
    stored: Callable[[Report], None] | None = None,
) -> Report:
    """Collect, render and store one report. ``stored`` runs in the short transaction of the
    INSERT, right after it (the API settles its idempotency claim there, so the report and its
    key commit together; an exception from it rolls the report back)."""
    if fmt not in Report.Format.values:
        raise ValidationFailed("Định dạng không hợp lệ.", "Unknown format.", field="fmt")
    # Read and render outside any write transaction (issue #12): collecting and drawing a
    # report takes seconds; only the INSERT of the finished file is a (short) transaction, so
    # month-end reports never hold the database lock a citizen's submission waits for.
    moment = now()
    content = content or collect(scope_key, period, to_local(moment).date(), province_id)
    data = build_xlsx(content) if fmt == Report.Format.XLSX else build_pdf(content)
    with transaction.atomic(durable=True):
        report = Report.objects.create(
            scope=content.summary.scope.key,
            scope_name=content.summary.scope.name,
            period_kind=period.kind.value,
            period_start=period.start,
            period_end=period.end,
            fmt=fmt,
            content=data,
            size=len(data),
            formula_version=FORMULA_VERSION,
            created_at=moment,
            requested_by=acting_user,
            scheduled=scheduled,
        )
        if stored is not None:
            stored(report)
        return report
