"""Small numbers hidden, and no hidden cell recoverable from the totals."""

import itertools
import random

from welfare.lib.small_numbers import HIDDEN, WITHHELD, shown, suppress


def recoverable(result, counts) -> list[tuple[int, int]]:
    """Hidden cells whose value follows from one line: its visible entries and its visible total."""
    rows, columns = len(counts), len(counts[0])
    lines = [[(r, c) for c in range(columns)] + [(r, -1)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows)] + [(-1, c)] for c in range(columns)]
    lines += [[(r, -1) for r in range(rows)] + [(-1, -1)], [(-1, c) for c in range(columns)] + [(-1, -1)]]
    return [key for line in lines for key in line if key in result.hidden
            and sum(1 for other in line if other in result.hidden) == 1]  # fmt: skip


def test_one_to_four_show_as_fewer_than_five_and_zero_shows():
    assert [shown(n) for n in (0, 1, 4, 5, 120)] == [0, HIDDEN, HIDDEN, 5, 120]


def test_differencing_a_row_total_cannot_reveal_a_hidden_cell():
    # Tradate: 3 people waiting in one service, 40 in another; the total 43 would give the 3 away.
    result = suppress([[3, 40, 12], [20, 31, 18]])
    assert result.cells[0][0] == HIDDEN
    assert result.cells[0][2] == WITHHELD  # the row's smallest other count, hidden with it
    assert result.cells[1][0] == WITHHELD or result.cells[1][2] == WITHHELD  # and the columns' partners
    assert recoverable(result, [[3, 40, 12], [20, 31, 18]]) == []


def test_a_line_of_zeros_hides_its_total():
    result = suppress([[2, 0, 0], [7, 9, 11]])
    assert result.row_totals[0] in (HIDDEN, WITHHELD)
    assert recoverable(result, [[2, 0, 0], [7, 9, 11]]) == []


def test_no_hidden_cell_is_ever_alone_in_its_line_on_random_tables():
    generator = random.Random(20261127)
    for _ in range(300):
        rows, columns = generator.randint(1, 5), generator.randint(1, 5)
        counts = [[generator.choice([0, 1, 2, 3, 4, 5, 8, 13, 40]) for _ in range(columns)] for _ in range(rows)]
        result = suppress(counts)
        assert recoverable(result, counts) == [], counts
        for r, c in itertools.product(range(rows), range(columns)):
            if 0 < counts[r][c] < 5:
                assert result.cells[r][c] == HIDDEN
