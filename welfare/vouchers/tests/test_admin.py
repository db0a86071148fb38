"""The planning office: programmes, budgets, rankings, issuance, exports, accreditation."""

import csv
import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from conftest import TRADATE, close_window, make_application, make_citizen
from welfare.audit.models import AuditEntry
from welfare.catalogue.models import Accreditation
from welfare.ledger.actions import reconcile
from welfare.vouchers.actions import Decision, do_assess_application
from welfare.vouchers.models import Application, Programme, Voucher


def test_the_planning_office_creates_a_programme_with_bands(client, diana, taxonomy):
    client.force_login(diana)
    today = dt.date.today()
    data = {
        "name": "Voucher anziani 2027", "slug": "anziani-2027", "description": "Per gli anziani soli.",
        "kinds": [taxonomy["sad"].pk], "applications_open_on": today.isoformat(),
        "applications_close_on": (today + dt.timedelta(days=30)).isoformat(),
        "vouchers_valid_from": today.isoformat(), "vouchers_valid_until": (today + dt.timedelta(days=365)).isoformat(),
        "required_documents": "Attestazione ISEE\nCertificato medico",
        "bands-TOTAL_FORMS": "4", "bands-INITIAL_FORMS": "0", "bands-MIN_NUM_FORMS": "4", "bands-MAX_NUM_FORMS": "8",
        "bands-0-isee_up_to": "12000", "bands-0-copay_percent": "0", "bands-0-max_voucher": "2000",
        "bands-1-isee_up_to": "", "bands-1-copay_percent": "50", "bands-1-max_voucher": "800",
    }  # fmt: skip
    response = client.post(reverse("vouchers:admin_programme_new"), data)
    assert response.status_code == 302
    programme = Programme.objects.get(slug="anziani-2027")
    assert programme.required_documents == ["Attestazione ISEE", "Certificato medico"]
    assert list(programme.bands.values_list("isee_up_to_cents", "copay_percent", "max_voucher_cents")) == [
        (1_200_000, 0, 200_000), (None, 50, 80_000),
    ]  # fmt: skip
    # A band half filled in is explained, and nothing is saved.
    data |= {"slug": "altro", "bands-2-isee_up_to": "30000"}
    response = client.post(reverse("vouchers:admin_programme_new"), data)
    assert response.status_code == 200
    assert not Programme.objects.filter(slug="altro").exists()


def test_budgets_show_allocated_committed_spent_and_available(client, diana, programme, accredited, alice, sofia):
    from welfare.vouchers.actions import do_compute_ranking, do_issue_vouchers, do_publish_ranking, do_spend_voucher

    application = make_application(alice, programme, isee_cents=500_000)
    do_assess_application(application, actor=sofia, decision=Decision.APPROVE, need_score=50, notes="", reason="")
    close_window(programme)
    tradate = application.municipality
    do_compute_ranking(programme, tradate, actor=diana)
    do_publish_ranking(programme, tradate, actor=diana)
    (voucher,) = do_issue_vouchers(programme, tradate, actor=diana)
    do_spend_voucher(voucher, accredited.adm.organization, 40_000, actor=None)
    client.force_login(diana)
    page = client.get(reverse("vouchers:admin_programme", args=[programme.pk]))
    row = next(line for line in page.context["lines"] if line.istat_code == TRADATE)
    assert (row.allocated_cents, row.committed_cents, row.spent_cents, row.available_cents) == (
        300_000, 110_000, 40_000, 150_000,
    )  # fmt: skip
    assert not reconcile()


def test_ranking_issue_and_exports_through_the_pages(client, diana, sofia, programme):
    citizens = [
        make_citizen(f"r{i}@example.org", "Rango", f"Famiglia{chr(65 + i)}", dt.date(1975, 3, 1 + i), TRADATE)
        for i in range(3)
    ]
    # A family name that a spreadsheet would run as a formula.
    citizens[0].first_name = '=HYPERLINK("http://x")'
    citizens[0].save()
    for i, citizen in enumerate(citizens):
        application = make_application(citizen, programme, isee_cents=600_000 + i * 100_000)
        do_assess_application(application, actor=sofia, decision=Decision.APPROVE, need_score=60, notes="", reason="")
    close_window(programme)
    client.force_login(diana)
    base = reverse("vouchers:admin_ranking", args=[programme.pk, TRADATE])
    for action in ("calcola", "pubblica", "emetti"):
        response = client.post(f"{base}{action}/")
        assert response.status_code == 302
    assert Voucher.objects.count() == 2  # 1,500 € each: the 3,000 € budget serves two
    assert Application.objects.filter(outcome="waiting").count() == 1
    assert AuditEntry.objects.filter(verb="voucher.issued", actor=diana).count() == 2

    export = client.get(reverse("vouchers:admin_ranking_export", args=[programme.pk, TRADATE, "csv"]))
    assert export["Content-Disposition"] == f'attachment; filename="graduatoria-{programme.slug}-{TRADATE}.csv"'
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4
    assert rows[1][2].startswith("'")  # the formula is neutralised
    assert rows[1][0] == "1"
    workbook = load_workbook(io.BytesIO(client.get(
        reverse("vouchers:admin_ranking_export", args=[programme.pk, TRADATE, "xlsx"])).content))  # fmt: skip
    cells = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
    assert cells[1][2] == '\'=HYPERLINK("http://x") FamigliaA'
    assert all(not str(value).startswith("=") for row in cells for value in row if value is not None)
    vouchers = client.get(reverse("vouchers:admin_vouchers_export", args=[programme.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(vouchers.content)).active
    assert sheet.max_row == 4  # header, two vouchers, totals
    assert (sheet["D2"].value, sheet["D4"].value) == (1500, 3000)  # euros, numbers, added up
    assert sheet["D2"].number_format == '#,##0.00 "€"'
    assert isinstance(sheet["G2"].value, dt.datetime)  # valid from: a date

    public = client.get(reverse("vouchers:public_ranking", args=[programme.slug, TRADATE]))
    assert "Rango" not in public.text  # anonymised: protocol, position and outcome only
    assert "600.000" not in public.text
    assert "6.000,00" not in public.text
    for application in Application.objects.all():
        assert application.protocol in public.text


def test_the_public_ranking_is_not_there_before_publication(client, programme):
    assert client.get(reverse("vouchers:public_ranking", args=[programme.slug, TRADATE])).status_code == 404


def apply_for(client, call, taxonomy, catalogue, tariff):
    url = reverse("vouchers:provider_accreditation_apply", args=[call.pk])
    return client.post(url, {"kind": taxonomy["adm"].pk, "services": [catalogue.educativa.pk], "tariff": tariff})


def test_a_provider_applies_and_the_planning_office_accredits_or_returns(client, pietro, diana, catalogue, taxonomy):
    from welfare.vouchers.actions import do_save_accreditation_call

    today = dt.date.today()
    call = do_save_accreditation_call(actor=diana, district=catalogue.educativa.areas_served.first().district,
                                      fields={"title": "ADM 2027", "opens_on": today, "closes_on": today},
                                      kinds=[taxonomy["adm"]])  # fmt: skip
    client.force_login(pietro)
    response = apply_for(client, call, taxonomy, catalogue, "0")
    assert response.status_code == 200  # a zero tariff is explained
    response = apply_for(client, call, taxonomy, catalogue, "23.50")
    assert response.status_code == 302
    accreditation = Accreditation.objects.get(call=call)
    assert (accreditation.hourly_tariff_cents, accreditation.status) == (2350, "submitted")

    client.force_login(diana)
    url = reverse("vouchers:admin_accreditation", args=[accreditation.pk])
    client.post(url, {"return": "1", "reason": "Allegare la carta dei servizi"})
    accreditation.refresh_from_db()
    assert (accreditation.status, accreditation.returned_reason) == ("returned", "Allegare la carta dei servizi")
    client.force_login(pietro)
    apply_for(client, call, taxonomy, catalogue, "22.00")
    client.force_login(diana)
    until = (today + dt.timedelta(days=365)).isoformat()
    client.post(url, {"approve": "1", "valid_from": today.isoformat(), "valid_until": until})
    accreditation.refresh_from_db()
    assert (accreditation.status, accreditation.hourly_tariff_cents) == ("approved", 2200)
    page = client.get(reverse("catalogue:service_detail", args=[catalogue.educativa.pk]))
    assert "22,00 €" in page.text  # the accredited tariff is on the catalogue


def test_another_provider_cannot_list_someone_elses_service(client, rita, catalogue, taxonomy, diana):
    from welfare.vouchers.actions import do_save_accreditation_call

    today = dt.date.today()
    call = do_save_accreditation_call(actor=diana, district=catalogue.educativa.areas_served.first().district,
                                      fields={"title": "ADM", "opens_on": today, "closes_on": today},
                                      kinds=[taxonomy["adm"]])  # fmt: skip
    client.force_login(rita)
    response = apply_for(client, call, taxonomy, catalogue, "20")
    assert response.status_code == 200
    assert not Accreditation.objects.exists()
