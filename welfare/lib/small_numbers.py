"""Small numbers hidden: the one rule for every count the portal publishes (pages, exports, open data).

A count from 1 to 4 is shown as "<5" (primary suppression). A hidden cell must not be recoverable by subtracting the
visible cells of its row or column from the row's or column's total, so every row and column that hides one cell
hides at least one more (the smallest visible count in that line, shown as "*"; its total when no other count is
left), and this is repeated until no line hides exactly one of its cells (complementary suppression). Zeros are
shown: a zero reveals nobody.
"""

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
HIDDEN = "<5"
WITHHELD = "*"  # a count of 5 or more hidden only so that a "<5" beside it cannot be worked out


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def shown(count: int) -> int | str:
    """One count on its own (no table around it): itself, or "<5"."""
    return HIDDEN if is_small(count) else count


@dataclass(frozen=True)
class Suppressed:
    """A table of counts after suppression: cells, row totals, column totals and the grand total, each an int, "<5"
    or "*" (withheld to protect a "<5"); `hidden` holds (row, column) of every hidden cell (column -1 is a row's
    total, row -1 a column's)."""

    cells: list[list[int | str]]
    row_totals: list[int | str]
    column_totals: list[int | str]
    total: int | str
    hidden: frozenset[tuple[int, int]]


def suppress(counts: Sequence[Sequence[int]]) -> Suppressed:
    """Hide the small counts of a table with its totals, and enough others that none of them can be worked out."""
    rows, columns = len(counts), len(counts[0]) if counts else 0
    row_totals = [sum(row) for row in counts]
    column_totals = [sum(counts[r][c] for r in range(rows)) for c in range(columns)]
    total = sum(row_totals)
    # A line is a row (its cells and its total at column -1) or a column (its cells and its total at row -1).
    value: dict[tuple[int, int], int] = {(r, c): counts[r][c] for r in range(rows) for c in range(columns)}
    value |= {(r, -1): row_totals[r] for r in range(rows)} | {(-1, c): column_totals[c] for c in range(columns)}
    value[(-1, -1)] = total
    hidden = {key for key, count in value.items() if is_small(count)}
    lines = [[(r, c) for c in range(columns)] + [(r, -1)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows)] + [(-1, c)] for c in range(columns)]
    lines += [[(r, -1) for r in range(rows)] + [(-1, -1)], [(-1, c) for c in range(columns)] + [(-1, -1)]]
    changed = True
    while changed:
        changed = False
        for line in lines:
            secret = [key for key in line if key in hidden]
            if len(secret) != 1:
                continue
            candidates = sorted((value[key], key) for key in line if key not in hidden and value[key] > 0)
            if not candidates:  # everything else in the line is zero: the hidden cell equals the total
                candidates = sorted((value[key], key) for key in line if key not in hidden)
            if candidates:
                hidden.add(candidates[0][1])
                changed = True

    def show(key: tuple[int, int]) -> int | str:
        if key not in hidden:
            return value[key]
        return HIDDEN if is_small(value[key]) else WITHHELD

    return Suppressed(
        cells=[[show((r, c)) for c in range(columns)] for r in range(rows)],
        row_totals=[show((r, -1)) for r in range(rows)],
        column_totals=[show((-1, c)) for c in range(columns)],
        total=show((-1, -1)),
        hidden=frozenset(hidden),
    )
