"""Statements per period laid out as bars: the timeline chart is plain SVG computed here, no script.

The period adapts to the span of the data: days for up to two months, months
for up to ten years, years beyond.  Empty periods are kept as empty bars so the
horizontal axis is time, not a list of busy days.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Mapping

from .records import Bar, Chart

WIDTH, HEIGHT, MIN_BAR = 720, 140, 2.0


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except (TypeError, ValueError):
        return None


def _periods(first: date, last: date, unit: str) -> list[tuple[str, date, date]]:
    out = []
    if unit == "day":
        d = first
        while d <= last:
            out.append((d.isoformat(), d, d))
            d += timedelta(days=1)
    elif unit == "month":
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            out.append((f"{y:04d}-{m:02d}", date(y, m, 1), nxt - timedelta(days=1)))
            y, m = nxt.year, nxt.month
    else:
        for y in range(first.year, last.year + 1):
            out.append((f"{y:04d}", date(y, 1, 1), date(y, 12, 31)))
    return out


def build_chart(per_day: Mapping[str, int], undated: int = 0, *, width: int = WIDTH, height: int = HEIGHT) -> Chart:
    """Bars for statement counts keyed by ISO day; days that are not dates count as undated."""
    days: dict[date, int] = {}
    for key, count in per_day.items():
        d = _day(key)
        if d is None:
            undated += count
        else:
            days[d] = days.get(d, 0) + count
    total = sum(days.values()) + undated
    if not days:
        return Chart("month", (), width, height, 0, undated, total)
    first, last = min(days), max(days)
    span = (last - first).days
    unit = "day" if span <= 62 else "month" if span <= 3660 else "year"
    periods = _periods(first, last, unit)
    if len(periods) > 400:  # a stray date centuries away must not draw thousands of empty years
        years = {d.year for d in days}
        periods = [p for p in periods if int(p[0]) in years]
    counts = [0] * len(periods)
    index = {label: i for i, (label, _, _) in enumerate(periods)}
    for d, count in days.items():
        label = d.isoformat() if unit == "day" else f"{d.year:04d}-{d.month:02d}" if unit == "month" else f"{d.year:04d}"
        counts[index[label]] += count
    peak = max(counts)
    slot = width / len(periods)
    gap = min(2.0, slot * 0.2)
    bars = []
    for (label, lo, hi), count in zip(periods, counts):
        h = 0.0 if count == 0 else max(MIN_BAR, (height - 4) * count / peak)
        i = len(bars)
        bars.append(Bar(label, count, lo.isoformat(), hi.isoformat(), round(i * slot + gap / 2, 2),
                        round(height - h, 2), round(max(slot - gap, 0.5), 2), round(h, 2)))
    return Chart(unit, tuple(bars), width, height, peak, undated, total)
