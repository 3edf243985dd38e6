"""Sparklines on the ministry's dashboard: a glance must not mislead."""

from __future__ import annotations

import re

from aggregator.web.charts import line_chart, sparkline


def _ys(svg: str) -> list[float]:
    points = re.search(r'points="([^"]+)"', svg)
    assert points is not None
    return [float(pair.split(",")[1]) for pair in points.group(1).split()]


def test_a_one_record_change_in_a_large_museum_draws_an_almost_flat_line() -> None:
    ys = _ys(str(sparkline([5000, 5000, 4999], height=24)))
    assert max(ys) - min(ys) < 0.1  # 24 px high: a 0.02 % dip is well under a pixel


def test_a_museum_losing_half_its_records_draws_a_fall_over_the_whole_height() -> None:
    svg = str(sparkline([5000, 5000, 2500], height=24))
    ys = _ys(svg)
    assert max(ys) - min(ys) == 20.0  # from the top to the bottom of the drawing area (2 px padding)
    assert 'class="spark falling"' in svg


def test_a_small_museum_growing_from_nothing_uses_the_whole_height() -> None:
    ys = _ys(str(sparkline([0, 10, 20], height=24)))
    assert ys[0] == 22.0 and ys[-1] == 2.0


def test_fewer_than_two_runs_draw_a_dash_and_labels_are_escaped() -> None:
    assert "spark-empty" in str(sparkline([7]))
    assert "&lt;b&gt;" in str(sparkline([1, 2], label="<b>"))


def test_the_museum_page_chart_keeps_its_own_range_because_it_writes_its_axis_values() -> None:
    svg = str(line_chart([5000, 4999], title="records"))
    assert ">5 000<" in svg and ">4 999<" in svg


def test_the_axis_leaves_room_for_its_longest_label() -> None:
    """A phone draws the chart at ~0.6 of its size and its labels larger: long ones need a wider margin."""
    short = str(line_chart([3, 9], title="t"))
    long = str(line_chart([6, 43_210], title="t", unit="мс"))
    axis_x = [float(re.search(r'<line class="axis" x1="([\d.]+)"', svg).group(1)) for svg in (short, long)]  # type: ignore[union-attr]
    assert axis_x[0] == 52 and axis_x[1] >= 14 + 11 * len("43 210 мс")
    assert ">43 210 мс<" in long
