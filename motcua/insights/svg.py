"""Charts as server-side SVG (no CDN, no JavaScript chart library): accessible (role="img", a
title, a description, and every value also in a table next to the chart), printable, cacheable.
Pure: plain values in, markup out (escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

BAR = "#1f5fa8"
ALT = "#c2410c"
GRID = "#d5dbe1"
INK = "#1d2329"
MUTED = "#5b6670"


def _num(value: float | Decimal | int) -> str:
    return f"{float(value):,.0f}".replace(",", ".")


def hbar(
    rows: Sequence[tuple[str, float | int | Decimal]],
    *,
    title: str,
    width: int = 520,
    unit: str = "",
    max_value: float | None = None,
) -> str:
    """Horizontal bars: one labelled row per item, the value written at the end of the bar."""
    row_h, label_w, pad = 22, 190, 6
    height = max(1, len(rows)) * row_h + 2 * pad
    top = max([float(v) for _, v in rows] + [max_value or 0.0, 1.0])
    bar_w = width - label_w - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = pad + i * row_h
        w = bar_w * float(value) / top
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{BAR}">'
            f"<title>{escape(label)}: {_num(value)}{escape(unit)}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12" fill="{MUTED}">'
            f"{_num(value)}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def trend(
    labels: Sequence[str],
    bars: Sequence[int],
    line: Sequence[Decimal | None],
    *,
    title: str,
    bar_label: str,
    line_label: str,
    width: int = 640,
    height: int = 240,
) -> str:
    """Monthly bars (counts, left scale) with a line (percent, right scale 0–100)."""
    left, right, top_pad, bottom = 48, 44, 16, 40
    plot_w = width - left - right
    plot_h = height - top_pad - bottom
    n = max(1, len(labels))
    step = plot_w / n
    peak = max([*bars, 1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for frac in (0, 0.25, 0.5, 0.75, 1):
        y = top_pad + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10" '
            f'fill="{MUTED}">{_num(peak * frac)}</text>'
            f'<text x="{left + plot_w + 4}" y="{y + 4:.1f}" font-size="10" fill="{ALT}">'
            f"{int(frac * 100)}%</text>"
        )
    points = []
    for i, (label, count) in enumerate(zip(labels, bars, strict=True)):
        x = left + i * step
        h = plot_h * count / peak
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{top_pad + plot_h - h:.1f}" '
            f'width="{step * 0.7:.1f}" height="{h:.1f}" fill="{BAR}" opacity="0.85">'
            f"<title>{escape(label)} — {escape(bar_label)}: {_num(count)}</title></rect>"
            f'<text x="{x + step / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="10" fill="{INK}">{escape(label)}</text>'
        )
        value = line[i]
        if value is not None:
            y = top_pad + plot_h * (1 - float(value) / 100)
            points.append((x + step / 2, y, label, value))
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{ALT}" stroke-width="2.5"/>')
        for x, y, label, value in points:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{ALT}">'
                f"<title>{escape(label)} — {escape(line_label)}: {value}%</title></circle>"
            )
    parts.append(
        f'<rect x="{left}" y="{height - 16}" width="10" height="10" fill="{BAR}"/>'
        f'<text x="{left + 14}" y="{height - 7}" font-size="11" fill="{INK}">'
        f"{escape(bar_label)}</text>"
        f'<line x1="{left + 180}" x2="{left + 196}" y1="{height - 11}" y2="{height - 11}" '
        f'stroke="{ALT}" stroke-width="2.5"/>'
        f'<text x="{left + 200}" y="{height - 7}" font-size="11" fill="{INK}">'
        f"{escape(line_label)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
