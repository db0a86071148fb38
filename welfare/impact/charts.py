"""Bar charts drawn on the server as SVG: a title, a description, and the same numbers as the table beside them,
so that a screen reader reads the table and nobody needs JavaScript."""

from dataclasses import dataclass

from welfare.impact.indicators import Published

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH = 22, 8, 220, 320


def format_cell(value: object, unit: str = "") -> str:
    """A figure's cell as people read it in the active language: "2.000,00 €", "27.000", "3,5"; "<5" and "*" as
    they are."""
    from django.utils.formats import number_format

    from welfare.lib.money import format_euros

    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    if unit == "€":
        return format_euros(round(value * 100))
    if float(value).is_integer():
        return str(number_format(int(value), force_grouping=True))
    return str(number_format(round(value, 1), decimal_pos=1, force_grouping=True))  # Django truncates: round first


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as shown ("12", "<5")
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH

    @property
    def width(self) -> int:
        return self.label_width + self.bar_width + 80


def bar_chart(published: Published, column: int = 0) -> Chart | None:
    """One column of a published figure as horizontal bars; a hidden value has no bar and reads "<5"."""
    figure = published.figure
    if not published.cells or column >= len(figure.columns):
        return None
    numbers = [cell for row in published.cells if isinstance(cell := row[column], int | float)]
    top = max(numbers, default=0) or 1
    bars = []
    for index, (label, row) in enumerate(zip(figure.rows, published.cells, strict=True)):
        value = row[column]
        width = int(BAR_WIDTH * value / top) if isinstance(value, int | float) else 0
        text = format_cell(value, figure.unit)
        bars.append(Bar(label[:32], text, index * (BAR_HEIGHT + GAP), width))
    description = "; ".join(f"{bar.label}: {bar.text}" for bar in bars)
    return Chart(f"{figure.title} – {figure.columns[column]}", description, bars, len(bars) * (BAR_HEIGHT + GAP))
