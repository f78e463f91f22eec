"""Geometry of the impact page's charts, drawn by the templates as SVG on the server: no
chart library and no script. Every number the bars show is also in a table beside them.

Lengths are in the SVG's own units; its ``viewBox`` is ``WIDTH`` wide and it scales to the
width of the page, so a phone and a desktop show the same chart.
"""

import dataclasses
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise

WIDTH = 320
BAR_ROOM = WIDTH  # the longest bar; its label and number are on the line above it
ROW_HEIGHT = 46
COLUMN_CHART_HEIGHT = 160


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str | Promise
    value: int | Decimal | None  # None: hidden (a small group) or unknown
    length: float
    # A second, darker bar over the first: connections over applications.
    inner_value: int | None = None
    inner_length: float = 0.0
    # Where the bar's line starts (horizontal charts).
    y: int = 0

    @property
    def label_y(self) -> int:
        return self.y + 17

    @property
    def bar_y(self) -> int:
        return self.y + 24

    @property
    def text_x(self) -> int:
        return WIDTH  # right-aligned at the end of the label's line


@dataclasses.dataclass(frozen=True)
class HorizontalChart:
    bars: list[Bar]

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT

    @property
    def width(self) -> int:
        return WIDTH


def _scale(values: Sequence[int | Decimal | None], room: float, top: float | None) -> float:
    largest = top if top is not None else max((float(v) for v in values if v), default=0.0)
    return room / largest if largest else 0.0


def horizontal(
    rows: Sequence[tuple[str | Promise, int | Decimal | None, int | None]],
    *,
    top: float | None = None,
) -> HorizontalChart:
    """One bar per ``(label, value, inner value)``; ``top`` fixes the scale (100 for per cent),
    otherwise the largest value fills the room."""
    scale = _scale([value for _, value, _ in rows], BAR_ROOM, top)
    return HorizontalChart(
        bars=[
            Bar(
                label=label,
                value=value,
                length=round(float(value or 0) * scale, 1),
                inner_value=inner,
                inner_length=round(float(inner or 0) * scale, 1),
                y=index * ROW_HEIGHT,
            )
            for index, (label, value, inner) in enumerate(rows)
        ]
    )


@dataclasses.dataclass(frozen=True)
class Column:
    month: date
    value: int | None
    inner_value: int | None
    x: float
    width: float
    height: float
    inner_height: float
    show_label: bool

    @property
    def y(self) -> float:
        return round(COLUMN_CHART_HEIGHT - self.height, 1)

    @property
    def inner_y(self) -> float:
        return round(COLUMN_CHART_HEIGHT - self.inner_height, 1)

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclasses.dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    long: bool  # more than a year of months: label the Januaries with their year

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return COLUMN_CHART_HEIGHT + 24

    @property
    def label_y(self) -> int:
        return COLUMN_CHART_HEIGHT + 18

    @property
    def axis_y(self) -> int:
        return COLUMN_CHART_HEIGHT


def columns(rows: Sequence[tuple[date, int | None, int | None]]) -> ColumnChart:
    """One column per month: the value, and the inner value drawn over it."""
    scale = _scale([value for _, value, _ in rows], COLUMN_CHART_HEIGHT - 8, None)
    step = WIDTH / max(1, len(rows))
    long = len(rows) > 12
    return ColumnChart(
        columns=[
            Column(
                month=month,
                value=value,
                inner_value=inner,
                x=round(index * step + step * 0.1, 1),
                width=round(step * 0.8, 1),
                height=round((value or 0) * scale, 1),
                inner_height=round((inner or 0) * scale, 1),
                show_label=(month.month == 1) if long else True,
            )
            for index, (month, value, inner) in enumerate(rows)
        ],
        long=long,
    )
