"""The charts, drawn as SVG on the server: no script, nothing for the CSP to refuse, nothing to
download, the same picture for every browser (docs/design.md, "Dashboard").

Every shape's colour comes from a class (static/css/dashboard.css): style attributes would be
refused by the CSP. Every number a shape stands for is in its <title> (a tooltip), in the
chart's table and in its CSV; the SVG itself is one image (role="img") named by the chart's
text summary, so a screen reader reads the summary and then the table, not a thousand shapes.

Security: every text that reaches the SVG (source names, usernames, status labels) goes
through format_html, which escapes it.
"""

import datetime
import math
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 32
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def nice_ceiling(value: float) -> int:
    """The y axis's top for counts up to `value`: the smallest of 2, 4, 6, 10 x 10^k at or
    above it, so that the half-way line is a whole number too (1, 2, 3, 5, 10 ...)."""
    if value <= 2:
        return 2
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 6, 10):
        if step * power >= value and (step * power) % 2 == 0:
            return int(step * power)
    return int(10 * power)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b}"


def _frame(described_by: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
        'preserveAspectRatio="xMidYMid meet" focusable="false">{}</svg>',
        WIDTH,
        HEIGHT,
        described_by,
        body,
    )


def _axes(days: Sequence[datetime.date], top: float, unit: str = "") -> SafeString:
    """Horizontal grid lines at 0, half and top, with their values; the first, middle and
    last day under the plot."""
    parts = []
    for fraction in (0, 0.5, 1):
        y = TOP + PLOT_H * (1 - fraction)
        parts.append(
            format_html(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="tick" x="{}" y="{}" text-anchor="end">{}{}</text>',
                LEFT,
                LEFT + PLOT_W,
                f"{y:.1f}",
                f"{y:.1f}",
                LEFT - 6,
                f"{y + 4:.1f}",
                _number(top * fraction),
                unit,
            )
        )
    n = len(days)
    marks = {0: "start", n - 1: "end"}
    if n > 4:
        marks[n // 2] = "middle"
    for index, anchor in sorted(marks.items()):
        x = LEFT + PLOT_W * (index + 0.5) / n
        if anchor == "start":
            x = LEFT
        elif anchor == "end":
            x = LEFT + PLOT_W
        parts.append(
            format_html(
                '<text class="tick" x="{}" y="{}" text-anchor="{}">{}</text>',
                f"{x:.1f}",
                HEIGHT - 8,
                anchor,
                _day(days[index]),
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 (format_html results only)


def day_columns(
    described_by: str,
    days: Sequence[datetime.date],
    series: Sequence[tuple[str, str, Sequence[int]]],
) -> SafeString:
    """Stacked columns, one per day: `series` is (label, css class, one value per day),
    bottom first."""
    totals = [sum(values[i] for _, _, values in series) for i in range(len(days))]
    top = nice_ceiling(max(totals, default=0))
    slot = PLOT_W / len(days)
    gap = slot * 0.15 if len(days) <= 62 else 0
    rects = []
    for i, day in enumerate(days):
        base = 0
        for label, css, values in series:
            value = values[i]
            if value <= 0:
                continue
            y_top = TOP + PLOT_H * (1 - (base + value) / top)
            height = PLOT_H * value / top
            rects.append(
                format_html(
                    '<rect class="{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {} {}</title></rect>",
                    css,
                    f"{LEFT + i * slot + gap / 2:.2f}",
                    f"{y_top:.2f}",
                    f"{max(slot - gap, 0.5):.2f}",
                    f"{height:.2f}",
                    day.isoformat(),
                    _number(value),
                    label,
                )
            )
            base += value
    body = format_html(
        "{}{}",
        _axes(days, top),
        mark_safe("".join(rects)),  # noqa: S308
    )
    return _frame(described_by, body)


def day_lines(
    described_by: str,
    days: Sequence[datetime.date],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
) -> SafeString:
    """Percentages per day, one line per series (label, css class, value or None per day);
    a day without a value breaks the line, every value is also a dot."""
    slot = PLOT_W / len(days)
    shapes = []
    for label, css, values in series:
        run: list[str] = []
        dots = []
        for i, value in enumerate(values):
            if value is None:
                if len(run) > 1:
                    shapes.append(_polyline(css, run))
                run = []
                continue
            x = LEFT + slot * (i + 0.5)
            y = TOP + PLOT_H * (1 - value / 100)
            run.append(f"{x:.2f},{y:.2f}")
            dots.append(
                format_html(
                    '<circle class="{}" cx="{}" cy="{}" r="2.5"><title>{} {}: {}%</title>'
                    "</circle>",
                    css,
                    f"{x:.2f}",
                    f"{y:.2f}",
                    days[i].isoformat(),
                    label,
                    f"{value:.0f}",
                )
            )
        if len(run) > 1:
            shapes.append(_polyline(css, run))
        shapes.extend(dots)
    body = format_html(
        "{}{}",
        _axes(days, 100, "%"),
        mark_safe("".join(shapes)),  # noqa: S308
    )
    return _frame(described_by, body)


def _polyline(css: str, points: list[str]) -> SafeString:
    return format_html('<polyline class="{}" points="{}"/>', css, " ".join(points))


def bar(segments: Sequence[tuple[str, float]], *, scale: float) -> SafeString:
    """One horizontal bar of (css class, value) segments, `scale` being a full bar: a small
    SVG that stretches to its cell (the row's text says what it shows)."""
    x = 0.0
    rects = []
    for css, value in segments:
        if value <= 0 or scale <= 0:
            continue
        width = 100 * value / scale
        rects.append((css, f"{x:.3f}", f"{width:.3f}"))
        x += width
    return format_html(
        '<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">{}</svg>',
        format_html_join(
            "", '<rect class="{}" x="{}" y="0" width="{}" height="10"/>', rects
        ),
    )
