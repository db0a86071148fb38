"""Italian tax numbers of organisations, checked by python-stdnum: the VAT number (partita IVA) and an entity's
codice fiscale (11 digits, the VAT number's rule; an association without VAT has only this)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.it import codicefiscale, iva


def clean_vat_number(value: str) -> str:
    """An Italian VAT number (partita IVA); the digits only."""
    digits = value.strip().upper().removeprefix("IT").replace(" ", "")
    if not iva.is_valid(digits):
        raise ValidationError(_("This is not a valid Italian VAT number (11 digits)."), code="invalid_vat")
    return str(iva.compact(digits))


def clean_entity_tax_code(value: str) -> str:
    """An organisation's codice fiscale: 11 digits with the check digit (a person's 16 characters are not one)."""
    code = value.strip().upper().replace(" ", "")
    if not (code.isdigit() and len(code) == 11 and codicefiscale.is_valid(code)):
        raise ValidationError(_("This is not a valid codice fiscale of an organisation (11 digits)."),
                              code="invalid_tax_code")  # fmt: skip
    return code
