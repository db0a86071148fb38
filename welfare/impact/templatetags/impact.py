from django import template

from welfare.impact.charts import format_cell
from welfare.impact.indicators import Published

register = template.Library()


@register.filter
def rows_of(shown: Published) -> list[tuple[str, list[object]]]:
    """A published figure's rows with their cells (and the row's total, for counts)."""
    if shown.row_totals:
        return [(label, [*cells, total]) for label, cells, total in zip(shown.figure.rows, shown.cells,
                                                                        shown.row_totals, strict=True)]  # fmt: skip
    return [(label, list(cells)) for label, cells in zip(shown.figure.rows, shown.cells, strict=True)]


@register.filter
def figure_cell(value: object, unit: str) -> str:
    return format_cell(value, unit)
