"""Running a change a page asked for and telling the person how it went, in one place for every app."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _


def run_and_tell(request: HttpRequest, change: Callable[[], Any], done: str | None = None) -> bool:
    """Run an action; a refused change becomes a message the person can act on (and nothing is saved), a done one
    says so. Returns whether it was done."""
    try:
        change()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, done or _("Done."))
    return True
