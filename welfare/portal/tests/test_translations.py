"""Italian is the default and English is complete: no string may be left untranslated."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[3] / "locale"


@pytest.mark.parametrize("language", ["it", "en"])
def test_the_catalogue_has_no_fuzzy_entries(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert not [entry.msgid for entry in po.fuzzy_entries()]


def test_every_italian_string_is_translated():
    po = polib.pofile(str(LOCALE / "it" / "LC_MESSAGES" / "django.po"))
    assert not [entry.msgid for entry in po.untranslated_entries()]
    assert len(po) > 100


def test_the_english_catalogue_lists_the_same_strings():
    italian = {entry.msgid for entry in polib.pofile(str(LOCALE / "it" / "LC_MESSAGES" / "django.po"))}
    english = {entry.msgid for entry in polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))}
    assert italian == english
