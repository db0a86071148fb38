"""The needs finder for a set of typical families, its data-driven rules, and anonymity."""

import pytest
from django.urls import reverse

from welfare.audit.models import AuditEntry
from welfare.finder.actions import do_save_finder_rule
from welfare.finder.engine import Answers, find_help
from welfare.finder.models import FinderRule
from welfare.territory.models import Municipality
from welfare.territory.queries import current_district

pytestmark = pytest.mark.usefixtures("finder_rules")


def answers(who="child", age=8, municipality="012134", help_kinds=("school",), urgency="soon", isee_band="over_30k"):
    return Answers(who=who, age=age, municipality=Municipality.objects.get(istat_code=municipality),
                   help_kinds=tuple(help_kinds), urgency=urgency, isee_band=isee_band)  # fmt: skip


def suggested(result):
    return {service.name for suggestion in result.suggestions for service in suggestion.services}


def test_a_child_of_8_in_vedano_who_needs_school_support(catalogue):
    result = find_help(current_district(), answers())
    assert suggested(result) == {"Educativa domiciliare Melograno"}
    assert result.suggestions[0].reason.startswith("Per tuo figlio o tua figlia, 8 anni, a Vedano Olona")
    assert result.social_point is not None
    assert result.social_point.slug == "vedano-olona"


def test_a_toddler_is_not_offered_a_service_from_age_3(catalogue):
    assert "Educativa domiciliare Melograno" not in suggested(find_help(current_district(), answers(age=2)))


def test_an_elderly_parent_in_vedano_who_needs_help_at_home(catalogue):
    result = find_help(current_district(), answers(who="parent", age=82, help_kinds=("home_care",)))
    assert suggested(result) == {"Aiuto a casa Arcobaleno"}


def test_the_same_parent_in_tradate_gets_nothing_that_does_not_serve_tradate(catalogue):
    result = find_help(
        current_district(), answers(who="parent", age=82, municipality="012127", help_kinds=("home_care",))
    )
    assert "Aiuto a casa Arcobaleno" not in suggested(result)
    assert result.social_point is not None
    assert result.social_point.slug == "tradate-centro"
    assert result.next_slot is not None  # Tradate Centro opens on Mondays


def test_a_family_in_tradate_looking_for_advice_with_a_low_isee(catalogue):
    result = find_help(current_district(), answers(who="self", age=40, municipality="012127",
                                                   help_kinds=("family",), isee_band="under_10k"))  # fmt: skip
    assert suggested(result) == {"Sportello famiglie Tradate"}
    assert any("voucher" in suggestion.advice for suggestion in result.suggestions)


def test_urgency_and_no_isee_add_advice_first(catalogue):
    result = find_help(current_district(), answers(urgency="now", isee_band="none"))
    names = [suggestion.rule.name for suggestion in result.suggestions]
    assert names[:3] == ["Urgenza", "Senza ISEE", "Minori: sostegno educativo e scolastico"]
    assert "112" in result.suggestions[0].advice


def test_the_planning_office_changes_the_rules_without_code(client, diana, catalogue):
    rule = FinderRule.objects.get(name="Minori: sostegno educativo e scolastico")
    client.force_login(diana)
    form = client.get(reverse("finder:rule_edit", args=[rule.pk]))
    assert form.status_code == 200
    data = {"name": rule.name, "priority": 10, "is_active": "on", "who": ["child"], "age_min": 3, "age_max": 17,
            "help_kinds": ["school"], "service_kinds": ["consulenza-familiare"],
            "reason_it": "Perché {who} di {age} anni ha bisogno di aiuto a scuola.",
            "reason_en": "Because."}  # fmt: skip
    assert client.post(reverse("finder:rule_edit", args=[rule.pk]), data).status_code == 302
    result = find_help(current_district(), answers(municipality="012127"))
    assert suggested(result) == {"Sportello famiglie Tradate"}
    assert result.suggestions[0].reason == "Perché tuo figlio o tua figlia di 8 anni ha bisogno di aiuto a scuola."
    bad = client.post(reverse("finder:rule_edit", args=[rule.pk]), data | {"reason_it": "Perché {nome}"})
    assert bad.status_code == 200
    rule.refresh_from_db()
    assert "{nome}" not in rule.reason_it


def test_unknown_codes_are_refused(catalogue):
    with pytest.raises(Exception, match="consulenza-inventata"):
        do_save_finder_rule(current_district(), actor=None, fields={
            "name": "Nuova", "service_kinds": ["consulenza-inventata"], "reason_it": "x", "reason_en": "x",
        })  # fmt: skip


def test_anonymous_use_stores_nothing_and_the_summary_is_a_pdf(client, catalogue):
    data = {"who": "child", "age": "8", "municipality": Municipality.objects.get(istat_code="012134").pk,
            "help_kinds": ["school"], "urgency": "soon", "isee_band": "over_30k"}  # fmt: skip
    audit_before = AuditEntry.objects.count()
    response = client.post(reverse("finder:finder"), data)
    assert "Educativa domiciliare Melograno" in response.text
    assert "8 anni, a Vedano Olona" in response.text
    assert AuditEntry.objects.count() == audit_before
    assert "8" not in response.request["PATH_INFO"]
    pdf = client.post(reverse("finder:summary_pdf"), data)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_unanswered_questions_are_explained(client, catalogue):
    response = client.post(reverse("finder:finder"), {"who": "child"})
    assert response.status_code == 400
    assert "Questo campo è obbligatorio" in response.text


def test_during_an_interview_the_answers_are_saved_to_it(client, olga, bob, catalogue):
    from django.utils import timezone

    from welfare.assistance.actions import do_record_interview
    from welfare.territory.models import SocialPoint

    interview = do_record_interview(
        actor=olga, social_point=SocialPoint.objects.get(slug="tradate-centro"), resident=bob.citizen_profile,
        held_on=timezone.localdate(), need_areas=[], notes="", services=[], follow_up_on=None, outcome="open",
        consent_given=True,
    )  # fmt: skip
    client.force_login(olga)
    data = {"who": "self", "age": "78", "municipality": bob.citizen_profile.municipality_id,
            "help_kinds": ["home_care"], "urgency": "soon", "isee_band": "under_20k"}  # fmt: skip
    response = client.post(reverse("finder:interview_finder", args=[interview.pk]), data)
    assert "Aiuto a casa Arcobaleno" in response.text
    interview.refresh_from_db()
    expected = {"who": "self", "age": 78, "municipality": "012134", "help_kinds": ["home_care"],
                "urgency": "soon", "isee_band": "under_20k", "lives_alone": "no"}  # fmt: skip
    assert interview.finder_answers == expected
    again = client.get(reverse("finder:interview_finder", args=[interview.pk]))
    assert "Aiuto a casa Arcobaleno" in again.text
