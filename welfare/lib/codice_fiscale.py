"""Codice fiscale rules, delegated to python-codicefiscale.

The code carries the birth date with a two-digit year, so the century is a guess:
we never derive the birth date from it, we cross-check the one the person declares.
"""

import datetime as dt

from codicefiscale import codicefiscale
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalise_codice_fiscale(value: str) -> str:
    return "".join(value.split()).upper()


def validate_codice_fiscale(value: str) -> None:
    code = normalise_codice_fiscale(value)
    if len(code) != 16:
        raise ValidationError(
            _("A codice fiscale has 16 characters; this one has %(count)d."),
            code="length",
            params={"count": len(code)},
        )
    if not codicefiscale.is_valid(code):
        raise ValidationError(
            _("This codice fiscale is not valid: check every character against your health card."),
            code="invalid",
        )


def birth_date_matches(code: str, birth_date: dt.date) -> bool:
    """True when the day, month and two-digit year in `code` agree with `birth_date`."""
    encoded = codicefiscale.decode(normalise_codice_fiscale(code))["birthdate"]
    return (encoded.day, encoded.month, encoded.year % 100) == (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    )


def validate_birth_date_against_code(code: str, birth_date: dt.date) -> None:
    if not birth_date_matches(code, birth_date):
        raise ValidationError(
            _("The date of birth does not match the codice fiscale. Check both."),
            code="birth_date_mismatch",
        )
