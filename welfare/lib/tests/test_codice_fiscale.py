import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from welfare.lib.codice_fiscale import birth_date_matches, normalise_codice_fiscale, validate_codice_fiscale

GIULIA = "BNCGLI85C52L319L"  # Giulia Bianchi, born in Tradate on 12/03/1985


def test_it_normalises_spaces_and_case():
    assert normalise_codice_fiscale(" bncgli85c52 l319l ") == GIULIA


def test_it_accepts_a_valid_code_and_its_omocodia_variant():
    validate_codice_fiscale(GIULIA)
    validate_codice_fiscale("BNCGLI85C52L31VA")  # the same person's code after an omocodia substitution


@pytest.mark.parametrize(("code", "error"), [("BNCGLI85C52L319", "length"), ("BNCGLI85C52L319X", "invalid")])
def test_it_refuses_bad_codes_with_a_reason(code, error):
    with pytest.raises(ValidationError) as excinfo:
        validate_codice_fiscale(code)
    assert excinfo.value.code == error


def test_it_cross_checks_the_declared_birth_date_and_leaves_the_century_to_it():
    assert birth_date_matches(GIULIA, dt.date(1985, 3, 12))
    assert birth_date_matches(GIULIA, dt.date(2085, 3, 12))  # the code cannot tell the century
    assert not birth_date_matches(GIULIA, dt.date(1985, 3, 13))
    assert not birth_date_matches(GIULIA, dt.date(1986, 3, 12))
    assert birth_date_matches("BNCGLI85C52L31VA", dt.date(1985, 3, 12))
