"""Welfare aziendale through HTTP: the officer's upload with its preview, the neighbouring officer refused, the
employee's wallet and receipt, the payroll export."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from welfare.employers.models import Claim, Employee, Plan
from welfare.employers.tests.conftest import YEAR, roster_csv, wallet_of
from welfare.employers.tests.test_welfare import claim_input, pdf
from welfare.ledger.actions import reconcile

pytestmark = pytest.mark.django_db


def test_the_officer_uploads_sees_the_problems_then_confirms(client, employer, enzo, alice):
    client.force_login(enzo)
    url = reverse("employers:officer_employees", args=[employer.pk])
    bad = SimpleUploadedFile("d.csv", (roster_csv(alice) + "XX;Mario;Bianchi;mario@example.org;;no\n").encode())
    page = client.post(url, {"file": bad})
    assert page.status_code == 400
    assert "Riga 8" in page.text
    assert "Il codice fiscale non è valido." in page.text
    assert not Employee.objects.exists()
    good = SimpleUploadedFile("d.csv", roster_csv(alice).encode())
    preview = client.post(url, {"file": good})
    assert preview.status_code == 200
    assert not Employee.objects.exists()  # nothing saved before the confirmation
    saved = client.post(url, {"text": preview.context["confirm"].initial["text"], "complete": ""})
    assert saved.status_code == 302
    assert Employee.objects.count() == 6


def test_the_neighbouring_officer_is_refused_everywhere(client, plan, ettore, alice):
    client.force_login(ettore)
    for name, extra in [("officer_home", []), ("officer_employees", []), ("officer_plans", []),
                        ("officer_plan", [plan.pk]), ("officer_claims", []), ("officer_payroll", [])]:  # fmt: skip
        assert client.get(reverse(f"employers:{name}", args=[plan.employer_id, *extra])).status_code == 404
    response = client.post(reverse("employers:officer_plan", args=[plan.employer_id, plan.pk]), {"azione": "close"})
    assert response.status_code == 404
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.PUBLISHED


def test_the_employee_sees_the_wallet_and_claims_a_receipt(client, plan, enzo, alice, bob):
    client.force_login(alice)
    page = client.get(reverse("employers:wallets"))
    assert "Manifattura Olona S.p.A." in page.text
    assert "200,00 €" in page.text  # f-ter
    assert "31 dicembre" in page.text or f"31/12/{YEAR}" in page.text
    form = {"wallet": str(wallet_of(alice, "f_ter").pk), "relation": "parent", "beneficiary_name": "Anna Rossi",
            "beneficiary_birth_date": "1960-02-01", "amount": "50", "receipt_date": timezone.localdate().isoformat(),
            "receipt": pdf()}  # fmt: skip
    refused = client.post(reverse("employers:claim_new"), form)
    assert refused.status_code == 400  # under 75 without the certificate: said next to the field
    assert "certificato" in refused.text
    assert not Claim.objects.exists()
    form["receipt"], form["certificate"] = pdf(b"2"), pdf(b"certificato")
    assert client.post(reverse("employers:claim_new"), form).status_code == 302
    assert Claim.objects.get().amount_cents == 5000
    # bob, the neighbour, sees no credits and cannot claim
    client.force_login(bob)
    assert "Manifattura" not in client.get(reverse("employers:wallets")).text
    assert client.get(reverse("employers:claim_new")).status_code == 404


def test_the_officer_approves_and_downloads_the_payroll_export(client, plan, enzo, alice):
    from welfare.employers.actions import do_submit_claim

    claim = do_submit_claim(wallet_of(alice, "f_ter"), actor=alice, data=claim_input(), receipt=pdf())
    client.force_login(enzo)
    url = reverse("employers:officer_claim", args=[plan.employer_id, claim.pk])
    assert client.post(url, {"decision": "reject", "reason": ""}).status_code == 400
    assert client.post(url, {"decision": "approve"}).status_code == 302
    month = f"{timezone.localdate():%Y-%m}"
    csv = client.get(reverse("employers:officer_payroll_csv", args=[plan.employer_id, month]))
    assert csv.content.decode() == (
        f"codice_fiscale;categoria;importo\r\n{alice.citizen_profile.codice_fiscale};f_ter;50.00\r\n"
    )
    client.post(reverse("employers:officer_payroll", args=[plan.employer_id]), {"mese": month})
    assert Claim.objects.get().status == Claim.Status.PAID
    assert reconcile() == []


def test_the_officer_figures_page_shows_no_person(client, plan, enzo, alice):
    client.force_login(enzo)
    page = client.get(reverse("employers:officer_home", args=[plan.employer_id]))
    assert page.status_code == 200
    assert "Rossi" not in page.text
    assert alice.citizen_profile.codice_fiscale not in page.text


def test_the_request_form_offers_the_credits_whose_category_pays_the_service(client, plan, alice, catalogue):
    client.force_login(alice)
    page = client.get(reverse("care:request_new", args=[catalogue.sportello.pk]))
    assert "Usare il credito welfare aziendale?" in page.text
    # family counselling: f, f-ter (sostegno alla famiglia) and fringe pay for it; f-bis (education) does not
    assert [c.wallet.category for c in page.context["credits"]] == ["f", "f_ter", "fringe"]


def test_the_hr_software_uploads_the_register_and_reads_the_payroll_with_a_token(client, plan, enzo, ettore, alice):
    from welfare.accounts.actions import do_create_api_token
    from welfare.employers.actions import do_decide_claim, do_submit_claim

    token = do_create_api_token(enzo, actor=enzo, name="paghe")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_IDEMPOTENCY_KEY": "upload-1"}
    url = reverse("api-v1:upload_employees", args=[plan.employer_id])
    changed = roster_csv(alice).replace("marco@example.org;impiegati", "marco@example.org;operai")
    bad = client.post(url, {"csv": changed + "XX;A;B;c@example.org;operai;no\n"}, content_type="application/json",
                      **auth)  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_file"
    first = client.post(url, {"csv": changed}, content_type="application/json", **auth)
    again = client.post(url, {"csv": changed}, content_type="application/json", **auth)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"created": 0, "updated": 1, "ended": 0, "invited": 0}
    assert Employee.objects.count() == 6
    claim = do_submit_claim(wallet_of(alice, "f_ter"), actor=alice, data=claim_input(), receipt=pdf())
    do_decide_claim(claim, actor=enzo, approve=True)
    month = f"{timezone.localdate():%Y-%m}"
    payroll = client.get(reverse("api-v1:payroll_export", args=[plan.employer_id, month]), **auth)
    assert payroll.json() == [{"codice_fiscale": alice.citizen_profile.codice_fiscale, "category": "f_ter",
                               "amount_cents": 5000, "status": "approved"}]  # fmt: skip
    other = do_create_api_token(ettore, actor=ettore, name="altro")[1]
    refused = client.get(reverse("api-v1:payroll_export", args=[plan.employer_id, month]),
                         HTTP_AUTHORIZATION=f"Bearer {other}")  # fmt: skip
    assert refused.status_code == 404


def test_the_planning_office_registers_an_employer_and_its_officer(
    client, diana, mailoutbox, django_capture_on_commit_callbacks
):
    from welfare.employers.models import Employer

    client.force_login(diana)
    url = reverse("employers:admin_employers")
    refused = client.post(url, {"name": "Ditta", "vat_number": "12345678901"})
    assert refused.status_code == 400
    assert "partita IVA" in refused.text
    assert not Employer.objects.exists()
    created = client.post(url, {"name": "Ditta Rossi S.r.l.", "vat_number": "IT01987650122"})
    employer = Employer.objects.get()
    assert created.headers["Location"] == reverse("employers:admin_employer", args=[employer.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(created.headers["Location"], {"email": "Ufficio.Personale@example.org", "first_name": "Ugo",
                                                  "last_name": "Neri"})  # fmt: skip
    assert employer.membership_set.get().user.email == "ufficio.personale@example.org"
    (mail,) = mailoutbox
    assert "Ditta Rossi S.r.l." in mail.subject
    assert "/account/password/reset/" in mail.body
