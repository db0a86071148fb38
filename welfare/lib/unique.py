"""Writes that a unique constraint guards: the check before them answers the usual case, the constraint the
race (a double click, two tabs). The loser of the race gets the same clear refusal as the usual case, not a
500 whose log would quote the row's values."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


@contextmanager
def refused_if_duplicate(refusal: ValidationError) -> Iterator[None]:
    """Run the block in a savepoint; a unique violation inside it is raised as `refusal`.

    Use it around the insert of a row whose only constraint that can fail is the uniqueness being checked.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise refusal from None
