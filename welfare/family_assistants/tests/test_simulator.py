"""The cost of a domestic work contract, checked against a year's tables for three known cases worked out by hand,
and the planning office keeping those tables (and the requirements and the hiring guide) as data."""

from decimal import Decimal

import pytest
from django.urls import reverse

from welfare.audit.models import AuditEntry
from welfare.family_assistants.models import ContractYear, ContributionBand, Guide, PayRate, Requirement
from welfare.family_assistants.rules import NoTable, simulate


@pytest.fixture
def table(db):
    """The district's tables for 2030: BS 7,00 €/h; DS 9,50 €/h; CS living in 1.100,00 €/month; contribution bands
    up to 8 €/h, up to 10 €/h, above, and over 24 hours a week."""
    table = ContractYear.objects.create(year=2030, extra_months=Decimal(1), severance_divisor=Decimal("13.5"))
    PayRate.objects.create(table=table, level="BS", live_in=False, amount=Decimal("7.00"))
    PayRate.objects.create(table=table, level="DS", live_in=False, amount=Decimal("9.50"))
    PayRate.objects.create(table=table, level="CS", live_in=True, amount=Decimal("1100.00"))
    for up_to, over_24, employer, worker in (("8", False, "1.20", "0.40"), ("10", False, "1.40", "0.45"),
                                             (None, False, "1.70", "0.55"), (None, True, "0.90", "0.30")):  # fmt: skip
        ContributionBand.objects.create(table=table, up_to=Decimal(up_to) if up_to else None, over_24_hours=over_24,
                                        employer_per_hour=Decimal(employer),
                                        worker_per_hour=Decimal(worker))  # fmt: skip
    return table


def test_twenty_hours_not_living_in_at_level_bs(table):
    # 7,00 × 20 h × 52 = 7.280,00 a year; 13th month 606,67; hourly with the 13th 7,58 → first band (1,20 + 0,40)
    cost = simulate(table, "BS", 20, live_in=False)
    assert cost.yearly_pay == 728000
    assert cost.extra_month_pay == 60667
    assert (cost.employer_contributions, cost.worker_contributions) == (124800, 41600)  # 1.040 hours
    assert cost.severance == 58420  # (7.280 + 606,67) / 13,5
    assert cost.family_monthly == 71067  # (7.280 + 1.248) / 12
    assert cost.family_yearly == 971886  # 7.280 + 606,67 + 1.248 + 584,20
    assert cost.net_monthly == 57200
    assert cost.net_yearly == 747067


def test_ten_hours_at_level_ds_fall_in_the_top_band(table):
    # 9,50 × 10 × 52 = 4.940,00; with the 13th 10,29 €/h → above 10 €: 1,70 + 0,55 per hour, 520 hours
    cost = simulate(table, "DS", 10, live_in=False)
    assert cost.hourly_for_contributions == 1029
    assert (cost.employer_contributions, cost.worker_contributions) == (88400, 28600)
    assert cost.family_monthly == 48533
    assert cost.family_yearly == 663209
    assert cost.net_monthly == 38783
    assert cost.net_yearly == 506567


def test_living_in_full_time_pays_the_band_over_24_hours(table):
    # 1.100,00 × 12 = 13.200,00; 13th 1.100,00; 54 h × 52 = 2.808 hours at 0,90 + 0,30
    cost = simulate(table, "CS", 54, live_in=True)
    assert cost.monthly_pay == 110000
    assert cost.yearly_pay == 1320000
    assert (cost.employer_contributions, cost.worker_contributions) == (252720, 84240)
    assert cost.severance == 105926
    assert cost.family_monthly == 131060
    assert cost.family_yearly == 1788646
    assert cost.net_monthly == 102980
    assert cost.net_yearly == 1345760


def test_a_level_without_figures_says_so(table):
    with pytest.raises(NoTable):
        simulate(table, "A", 20, live_in=False)


def test_the_public_page_shows_the_cost_and_refuses_impossible_hours(client, table):
    url = reverse("family_assistants:simulator")
    page = client.get(url, {"level": "BS", "live_in": "0", "weekly_hours": "20", "year": "2030"})
    assert page.status_code == 200
    assert "710,67 €" in page.content.decode()
    assert "9.718,86 €" in page.content.decode()
    page = client.get(url, {"level": "BS", "live_in": "0", "weekly_hours": "45", "year": "2030"})
    assert page.status_code == 400
    assert "al massimo 40 ore" in page.content.decode()
    page = client.get(url, {"level": "A", "live_in": "0", "weekly_hours": "20", "year": "2030"})
    assert page.status_code == 400
    assert "non ha valori" in page.content.decode()


def test_a_new_installation_has_this_years_tables_and_the_guide(client, db):
    page = client.get(reverse("family_assistants:simulator"), {"level": "CS", "live_in": "1", "weekly_hours": "54",
                                                               "year": "2026"})  # fmt: skip
    assert page.status_code == 200
    assert "Costo per la famiglia" in page.content.decode()
    assert Requirement.objects.count() == 3
    assert Guide.objects.filter(section="step").count() >= 3


def test_the_planning_office_corrects_a_years_figures(client, diana, table):
    client.force_login(diana)
    url = reverse("family_assistants:admin_table", args=[2030])
    form = client.get(url).context["form"]
    body = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    rate = table.pay_rates.get(level="BS")
    body[f"rate_{rate.pk}"] = "7.50"
    assert client.post(url, body).status_code == 302
    assert simulate(table, "BS", 20, live_in=False).yearly_pay == 780000
    assert AuditEntry.objects.filter(verb="contract_year.saved", actor_id=diana.pk).exists()
    body[f"rate_{rate.pk}"] = "-1"
    other = table.pay_rates.get(level="DS")
    body[f"rate_{other.pk}"] = "12.00"
    assert client.post(url, body).status_code == 400
    assert PayRate.objects.get(pk=other.pk).amount == Decimal("9.50")  # nothing half-saved


def test_a_new_year_starts_from_the_latest(client, diana, table):
    client.force_login(diana)
    response = client.post(reverse("family_assistants:admin_tables"), {"year": "2027"})
    assert response.status_code == 302
    assert ContractYear.objects.get(year=2027).pay_rates.count() == 3
    assert client.post(reverse("family_assistants:admin_tables"), {"year": "2027"}).status_code == 400


def test_requirements_and_guide_are_the_planning_offices(client, diana, olga, district):
    url = reverse("family_assistants:admin_requirements")
    client.force_login(olga)
    assert client.get(url).status_code == 403
    client.force_login(diana)
    body = {}
    for requirement in Requirement.objects.all():
        body |= {f"{requirement.kind}-min_training_hours": "80", f"{requirement.kind}-min_experience_months": "6",
                 f"{requirement.kind}-certificates_required": "on", f"{requirement.kind}-validity_months": "12",
                 f"{requirement.kind}-documents": "Documento"}  # fmt: skip
    assert client.post(url, body).status_code == 302
    assert set(Requirement.objects.values_list("min_training_hours", flat=True)) == {80}
    guide = reverse("family_assistants:admin_guide")
    assert client.post(guide, {"section": "helper", "order": "1", "title_it": "Patronato ACLI Tradate",
                               "title_en": "ACLI Tradate", "contact": "Via Roma 1"}).status_code == 302  # fmt: skip
    entry = Guide.objects.get(title_it="Patronato ACLI Tradate")
    assert "Patronato ACLI Tradate" in client.get(reverse("family_assistants:info")).content.decode()
    client.post(reverse("family_assistants:admin_guide_entry", args=[entry.pk]), {"azione": "elimina"})
    assert not Guide.objects.filter(pk=entry.pk).exists()
