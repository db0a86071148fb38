"""Pages of a list shown with only "previous" and "next": no COUNT(*), so a page costs the same at any size.

Django's Paginator counts every row to know the number of pages; an inbox or a queue that grows with
years of history would pay for that on every visit, for a total nobody is shown.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404


@dataclass(frozen=True)
class Page:
    object_list: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


# Deeper than any list is long; beyond it a page number would only overflow the database's OFFSET.
LAST_PAGE = 1_000_000


def page_without_count(queryset: QuerySet[Any], number: object, size: int) -> Page:
    """Page `number` (from 1; as given in the URL) of an ordered queryset; 404 for a page that is not there
    (nor a page number: "abc", "0", or one so large it would overflow the database)."""
    try:
        page = int(str(number))
    except ValueError:
        raise Http404 from None
    if not 1 <= page <= LAST_PAGE:
        raise Http404
    start = (page - 1) * size
    rows = list(queryset[start : start + size + 1])  # one more than shown: is there a next page?
    if page > 1 and not rows:
        raise Http404
    return Page(rows[:size], page, len(rows) > size)
