"""Small charts as inline SVG, drawn on the server: no script, no CDN, readable in any browser.

A sparkline shows a museum's records over its recent runs in a table cell;
a line chart with its axis values shows one series on the museum's page.
Every number is formatted here and every label escaped, so a chart is
plain markup the templates can include as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

__all__ = ["SPARK_MIN_SPAN", "line_chart", "sparkline"]


#: A sparkline's height spans at least this share of its largest value, so that a museum
#: going from 5,000 to 4,999 records draws a flat line, not a crash (a sparkline has no axis).
SPARK_MIN_SPAN = 0.1
#: Width of one axis-label character, in chart units, at the largest size admin.css draws it.
_LABEL_CHAR = 11


def _points(
    values: Sequence[float], width: float, height: float, pad: float, min_span: float = 0.0
) -> list[tuple[float, float]]:
    low, high = min(values), max(values)
    floor = min_span * max(abs(high), abs(low))
    if high - low < floor:
        low = high - floor
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(1, len(values) - 1)
    return [(pad + i * step, height - pad - (v - low) / span * (height - 2 * pad)) for i, v in enumerate(values)]


def sparkline(values: Sequence[float], *, width: int = 96, height: int = 24, label: str = "") -> Markup:
    """A line of the values (oldest first); a dash when there are fewer than two."""
    if len(values) < 2:
        return Markup('<span class="spark-empty" aria-hidden="true">–</span>')
    drawn = _points(values, width, height, 2, SPARK_MIN_SPAN)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in drawn)
    last_x, last_y = drawn[-1]
    falling = values[-1] < values[-2]
    return Markup(
        f'<svg class="spark{" falling" if falling else ""}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2" fill="currentColor"/></svg>'
    )


def line_chart(
    values: Sequence[float], *, title: str, unit: str = "", width: int = 560, height: int = 160
) -> Markup:
    """One series with its lowest and highest value written on the axis; scales to its container."""
    if not values:
        return Markup(f'<p class="chart-empty">{escape(title)}: –</p>')
    series = list(values) if len(values) > 1 else [values[0], values[0]]

    def shown(v: float) -> str:
        return f"{v:,.0f}".replace(",", " ") + (f" {unit}" if unit else "")

    # The axis labels sit left of the axis: room for the longer one at the phone size of the
    # text (admin.css draws it larger on narrow screens, where the chart is scaled down).
    left, pad = max(52, 14 + _LABEL_CHAR * max(len(shown(max(series))), len(shown(min(series))))), 10
    points = _points(series, width - left, height, pad)
    path = " ".join(f"{x + left:.1f},{y:.1f}" for x, y in points)
    dots = "".join(f'<circle cx="{x + left:.1f}" cy="{y:.1f}" r="2.5"/>' for x, y in points)

    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}: {escape(shown(series[-1]))}">'
        f"<title>{escape(title)}</title>"
        f'<line class="axis" x1="{left}" y1="{pad}" x2="{left}" y2="{height - pad}"/>'
        f'<line class="axis" x1="{left}" y1="{height - pad}" x2="{width}" y2="{height - pad}"/>'
        f'<text x="{left - 4}" y="{pad + 4}" text-anchor="end">{escape(shown(max(series)))}</text>'
        f'<text x="{left - 4}" y="{height - pad}" text-anchor="end">{escape(shown(min(series)))}</text>'
        f'<polyline fill="none" stroke-width="2" points="{path}"/><g class="dots">{dots}</g></svg>'
    )
