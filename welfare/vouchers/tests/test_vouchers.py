"""The family's voucher: balance, history, PDF with verification code, choosing a provider with the cost shown."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import TRADATE, issued_voucher
from welfare.care.models import ServiceRequest
from welfare.lib.money import split_copayment
from welfare.territory.models import Municipality


@pytest.mark.parametrize(
    ("tariff", "percent", "voucher", "copayment"),
    [(2200, 10, 1980, 220), (2200, 30, 1540, 660), (2050, 30, 1435, 615), (2050, 15, 1742, 308), (999, 50, 499, 500),
     (2200, 0, 2200, 0), (2200, 100, 0, 2200)],
)  # fmt: skip
def test_the_hour_splits_to_the_cent_and_adds_up(tariff, percent, voucher, copayment):
    breakdown = split_copayment(tariff, percent)
    assert (breakdown.voucher_cents, breakdown.copayment_cents) == (voucher, copayment)
    assert breakdown.voucher_cents + breakdown.copayment_cents == tariff


def test_the_family_chooses_a_provider_seeing_the_cost_before_confirming(
    client, programme, accredited, catalogue, alice, child, sofia, diana
):
    voucher = issued_voucher(programme, alice, sofia, diana, isee_cents=1_500_000, member=child)  # 30% co-payment
    client.force_login(alice)
    page = client.get(reverse("vouchers:voucher", args=[voucher.pk]))
    assert "1.000,00 €" in page.text  # what is left
    offers = page.context["offers"]
    assert [(o.service, o.hour.total_cents, o.hour.voucher_cents, o.hour.copayment_cents) for o in offers] == [
        (catalogue.educativa, 2200, 1540, 660),
    ]  # fmt: skip  (the SAD service serves only Vedano Olona, not alice's Tradate)
    url = reverse("care:request_new", args=[catalogue.educativa.pk])
    form = client.get(f"{url}?voucher={voucher.pk}")
    assert "15,40 €" in form.text
    assert "6,60 €" in form.text
    assert form.context["form"].initial["beneficiary"] == str(child.pk)
    # The voucher is Luca's: asking it for alice herself is explained, and nothing is sent.
    refused = client.post(url, {"beneficiary": "self", "needs": "Compiti", "payment": str(voucher.pk)})
    assert refused.status_code == 200
    assert not ServiceRequest.objects.exists()
    response = client.post(url, {"beneficiary": str(child.pk), "needs": "Compiti", "payment": str(voucher.pk)})
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    assert (request.voucher, request.tariff_cents, request.beneficiary_member) == (voucher, 2200, child)


def test_without_a_voucher_the_request_form_asks_nothing_about_payment(client, catalogue, accredited, alice):
    client.force_login(alice)
    form = client.get(reverse("care:request_new", args=[catalogue.educativa.pk]))
    assert "payment" not in form.context["form"].fields


def test_the_neighbour_cannot_see_or_use_the_voucher(
    client, programme, accredited, catalogue, alice, bob, sofia, diana
):
    voucher = issued_voucher(programme, alice, sofia, diana, isee_cents=500_000)
    client.force_login(bob)
    assert client.get(reverse("vouchers:voucher", args=[voucher.pk])).status_code == 404
    assert client.get(reverse("vouchers:voucher_pdf", args=[voucher.pk])).status_code == 404
    response = client.post(reverse("care:request_new", args=[catalogue.educativa.pk]),
                           {"beneficiary": "self", "needs": "Aiuto", "payment": str(voucher.pk)})  # fmt: skip
    assert response.status_code == 302  # bob has no voucher: the payment choice does not exist for him
    assert ServiceRequest.objects.get().voucher is None


def test_the_voucher_pdf_carries_the_verification_code_that_anyone_can_check(
    client, programme, accredited, alice, sofia, diana
):
    voucher = issued_voucher(programme, alice, sofia, diana, isee_cents=500_000)
    client.force_login(alice)
    pdf = client.get(reverse("vouchers:voucher_pdf", args=[voucher.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Cache-Control"] == "no-store"
    client.logout()
    found = client.get(reverse("vouchers:verify"), {"codice": voucher.verification_code.lower()})
    assert found.context["voucher"] == voucher
    assert "Alice" not in found.text  # the check says genuine and active, not whose it is
    assert client.get(reverse("vouchers:verify"), {"codice": "NOTACODE"}).context["voucher"] is None


def test_the_provider_proposes_at_the_accredited_tariff_only(programme, accredited, catalogue, alice, child, pietro,
                                                            sofia, diana):  # fmt: skip
    import datetime as dt

    from django.core.exceptions import ValidationError

    from welfare.care.actions import do_propose, do_submit_request
    from welfare.vouchers.queries import voucher_choices

    issued_voucher(programme, alice, sofia, diana, isee_cents=500_000, member=child)
    from welfare.accounts.access import ALL_POWERS, Acting

    me = Acting(actor=alice, citizen=alice, powers=ALL_POWERS)
    (choice,) = voucher_choices(me, catalogue.educativa)
    request = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=child, needs="Compiti",
                                voucher=choice)  # fmt: skip
    start = dt.date.today() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        do_propose(request, actor=pietro, start=start, schedule="Lun 15-17", operator="Marta", price_cents=2500,
                   funding="voucher")  # fmt: skip
    assert refused.value.code == "voucher_tariff"
    do_propose(request, actor=pietro, start=start, schedule="Lun 15-17", operator="Marta", price_cents=2200,
               funding="voucher")  # fmt: skip
    assert request.hour_breakdown.copayment_cents == 220


def test_the_expiry_command_returns_what_is_left_to_the_budget(programme, accredited, alice, sofia, diana, capsys):
    import datetime as dt

    from django.core.management import call_command

    from welfare.vouchers.models import Programme, Voucher

    voucher = issued_voucher(programme, alice, sofia, diana, isee_cents=500_000)
    call_command("expire_vouchers")
    assert "0" in capsys.readouterr().out
    yesterday, month_ago = dt.date.today() - dt.timedelta(days=1), dt.date.today() - dt.timedelta(days=30)
    Voucher.objects.filter(pk=voucher.pk).update(valid_from=month_ago, valid_until=yesterday)
    Programme.objects.filter(pk=programme.pk).update(vouchers_valid_from=month_ago, vouchers_valid_until=yesterday)
    call_command("expire_vouchers")
    voucher.refresh_from_db()
    assert voucher.status == "expired"
    assert voucher.account.balance_cents == 0


def test_the_needs_finder_suggests_open_programmes_for_the_family_s_municipality(programme, finder_rules, catalogue):
    from welfare.finder.engine import Answers, find_help
    from welfare.territory.queries import current_district

    def answers(istat):
        return Answers(who="child", age=8, municipality=Municipality.objects.get(istat_code=istat),
                       help_kinds=("school",), urgency="soon", isee_band="under_10k")  # fmt: skip

    assert find_help(current_district(), answers(TRADATE)).programmes == [programme]
    assert find_help(current_district(), answers("012044")).programmes == []  # no budget in that municipality


def test_an_application_that_got_its_voucher_says_so_and_only_so(client, programme, alice, sofia, diana):
    """Not "admissible, waiting for the ranking · voucher issued": once ranked, the outcome is where it stands."""
    voucher = issued_voucher(programme, alice, sofia, diana, isee_cents=500_000)
    application = alice.voucher_applications.get()
    assert voucher.holder == alice
    client.force_login(alice)
    for page in (reverse("vouchers:mine"), reverse("vouchers:application", args=[application.pk])):
        text = client.get(page, HTTP_ACCEPT_LANGUAGE="it").text
        assert "Voucher emesso" in text
        assert "in attesa della graduatoria" not in text


def test_an_elderly_persons_voucher_offers_no_childrens_services(programme, catalogue, bob, sofia, diana):
    """Issue 17, defect 6: a 78-year-old's home-care voucher listed the children's educational service."""
    from welfare.vouchers.queries import offers_for_voucher

    voucher = issued_voucher(programme, bob, sofia, diana, isee_cents=900_000)
    offered = [offer.service for offer in offers_for_voucher(voucher)]
    assert offered == [catalogue.anziani]  # Vedano Olona, no age limit; the educativa (3–17) serves Vedano too
    bob.citizen_profile.birth_date = dt.date(2015, 1, 1)  # were he a child, both would suit
    bob.citizen_profile.save()
    assert {offer.service for offer in offers_for_voucher(voucher)} == {catalogue.anziani, catalogue.educativa}
