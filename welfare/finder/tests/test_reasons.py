"""Every reason of the district's starting rules reads right for every person and every town, in both languages."""

import json
import re
from pathlib import Path

import pytest
from django.utils import translation

from welfare.finder.engine import Answers, _reason
from welfare.finder.models import FinderRule, Who
from welfare.territory.models import Municipality

RULES = json.loads((Path(__file__).parents[1] / "data" / "rules.json").read_text())["rules"]
# Phrasings that are wrong whoever the person is: a preposition not joined to the article ("di il"), a person
# in a clause whose verb does not agree with them, an age without its unit right, a placeholder left over.
WRONG = {
    "it": [r"\bdi il\b", r"\ba il\b", r"\bda il\b", r"\bsu il\b", r"\bhai indicato te\b", r"\b[01] anni\b",
           r"\bte che\b", r"\bte (ha|vive|vorrebbe)\b", r"[{}]", r"\s[,.:]", r"\s{2}"],
    "en": [r"\byourself\b", r"\baged 1 years\b", r"\byou (needs|lives|would likes)\b", r"[{}]", r"\s[,.:]", r"\s{2}"],
}  # fmt: skip


@pytest.mark.parametrize("who", Who.values)
@pytest.mark.parametrize("language", ["it", "en"])
def test_reasons_read_right_for_everyone(district, who, language):
    """Issue 17, friction: "Perché hai indicato te di 78 anni a Tradate" (every combination of who and where)."""
    for municipality in Municipality.objects.all():
        for age in (0, 1, 8, 78):
            answers = Answers(who=who, age=age, municipality=municipality, help_kinds=(), urgency="soon",
                              isee_band="none", lives_alone=True)  # fmt: skip
            for fields in RULES:
                rule = FinderRule(reason_it=fields["reason_it"], reason_en=fields["reason_en"])
                with translation.override(language):
                    reason, _advice = _reason(rule, answers)
                for pattern in WRONG[language]:
                    assert not re.search(pattern, reason), f"{fields['name']} / {who} / {municipality}: {reason}"
                assert municipality.name in reason or "{municipality}" not in fields[f"reason_{language}"]


def test_someone_who_lives_alone_is_offered_meals_company_and_heat_wave_help(district, taxonomy):
    from welfare.finder.actions import do_load_finder_rules
    from welfare.finder.engine import find_help

    do_load_finder_rules(district, {"rules": RULES}, actor=None)
    tradate = Municipality.objects.get(name="Tradate")
    alone = Answers(who=Who.PARENT, age=81, municipality=tradate, help_kinds=("transport",), urgency="soon",
                    isee_band="none", lives_alone=True)  # fmt: skip
    with translation.override("it"):
        reasons = [s.reason + " " + s.advice for s in find_help(district, alone).suggestions]
        assert any("come un tuo genitore" in text and "caldo" in text and "compagnia" in text.lower()
                   for text in reasons)  # fmt: skip
        together = Answers(**{**vars(alone), "lives_alone": False})
        assert not any("vive da solo" in s.reason for s in find_help(district, together).suggestions)
