"""Demo vouchers for `make run`: an accreditation call with the cooperatives' home services accredited,
last year's programme already ranked and issued, and this year's open for applications.

Everything goes through the actions. The only shortcut is the calendar: last year's programme is
created with an open window, applied to and assessed, then its window is moved into the past so that
its ranking can be computed today. Safe to repeat: nothing is created twice.
"""

import datetime as dt

from codicefiscale import codicefiscale
from django.db import transaction
from django.utils import timezone

from welfare.accounts.actions import do_add_household_member
from welfare.accounts.models import HouseholdMember, User
from welfare.catalogue.models import AccreditationCall, CostOption, Organization, Service, TaxonomyTerm
from welfare.territory.models import District
from welfare.vouchers.actions import (
    BandSpec,
    Decision,
    do_add_application_document,
    do_apply_for_accreditation,
    do_approve_accreditation,
    do_assess_application,
    do_compute_ranking,
    do_issue_vouchers,
    do_publish_programme,
    do_publish_ranking,
    do_save_accreditation_call,
    do_save_application,
    do_set_budget,
    do_submit_application,
)
from welfare.vouchers.models import Application, Programme

KINDS = ("adm", "sad", "sadh")
BANDS = [BandSpec(1_000_000, 10, 150_000), BandSpec(2_000_000, 30, 100_000), BandSpec(3_500_000, 60, 50_000)]
CENTS_PER_RESIDENT = 150  # the demo budget of each municipality: 1.50 € per resident


@transaction.atomic
def load_demo_vouchers(district: District) -> None:
    today = timezone.localdate()
    admin = User.objects.filter(memberships__district=district).first()
    if admin is None:  # the demo accounts come first (load_demo)
        return
    terms = list(TaxonomyTerm.objects.filter(code__in=KINDS, taxonomy__slug="servizi-welfare"))
    if not AccreditationCall.objects.filter(district=district).exists():
        _accredit(district, admin, terms, today)
    if not Programme.objects.filter(slug="domiciliarita-2026").exists():
        _last_year(district, admin, terms, today)
    if not Programme.objects.filter(slug="domiciliarita-2027").exists():
        _this_year(district, admin, terms, today)


def _accredit(district: District, admin: User, terms: list[TaxonomyTerm], today: dt.date) -> None:
    call = do_save_accreditation_call(
        actor=admin, district=district, kinds=terms,
        fields={"title": "Accreditamento servizi domiciliari 2026–2028", "opens_on": today - dt.timedelta(days=90),
                "closes_on": today + dt.timedelta(days=270),
                "description": "Enti che offrono ADM, SAD e SADH a tariffa oraria, per i voucher dell'Ambito."},
    )  # fmt: skip
    services = Service.objects.filter(
        voucher_eligible=True, status=Service.Status.PUBLISHED, kinds__in=terms
    ).prefetch_related("kinds", "cost_options")
    offers: dict[tuple[Organization, TaxonomyTerm], list[Service]] = {}
    for service in services:
        for kind in service.kinds.all():
            if kind in terms:
                offers.setdefault((service.organization, kind), []).append(service)
    for (organization, kind), offered in sorted(offers.items(), key=lambda item: (str(item[0][0]), item[0][1].code)):
        hourly = [c.amount_cents for s in offered for c in s.cost_options.all() if c.unit == CostOption.Unit.HOUR]
        accreditation = do_apply_for_accreditation(
            actor=None, call=call, organization=organization, kind=kind, services=offered,
            hourly_tariff_cents=min(hourly) if hourly else 2100,
        )  # fmt: skip
        validity = {"valid_from": today - dt.timedelta(days=60), "valid_until": today + dt.timedelta(days=730)}
        do_approve_accreditation(accreditation, actor=admin, **validity)


def _programme(district: District, admin: User, terms: list[TaxonomyTerm], slug: str, name: str,
               opens: dt.date, closes: dt.date, valid_from: dt.date, valid_until: dt.date) -> Programme:  # fmt: skip
    from welfare.vouchers.actions import do_save_programme

    programme = do_save_programme(
        actor=admin, district=district, kinds=terms, bands=BANDS,
        fields={"name": name, "slug": slug, "applications_open_on": opens, "applications_close_on": closes,
                "vouchers_valid_from": valid_from, "vouchers_valid_until": valid_until,
                "required_documents": ["Attestazione ISEE"],
                "description": "Voucher per servizi a domicilio di minori (ADM), anziani (SAD) e persone con "
                               "disabilità (SADH), da spendere presso gli enti accreditati dell'Ambito."},
    )  # fmt: skip
    for municipality in district.municipalities.all():
        cents = round((municipality.population or 1000) * CENTS_PER_RESIDENT, -5)
        do_set_budget(programme, municipality, allocated_cents=cents, actor=admin)
    return do_publish_programme(programme, actor=admin)


def _apply(citizen: User, programme: Programme, isee_cents: int, member: HouseholdMember | None = None) -> Application:
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = do_save_application(actor=citizen, programme=programme, beneficiary=member, fields={
        "isee_cents": isee_cents, "dsu_protocol": "INPS-ISEE-2026-00012345A-00",
        "dsu_expires_on": dt.date(timezone.localdate().year + 1, 1, 15),
        "household_situation": "Vive da solo; la figlia abita in un altro comune.",
    })  # fmt: skip
    document = SimpleUploadedFile("isee.pdf", b"%PDF-1.4 demo\n%%EOF", content_type="application/pdf")
    do_add_application_document(application, uploaded_by=citizen, upload=document, label="Attestazione ISEE")
    return do_submit_application(application, actor=citizen)


def _last_year(district: District, admin: User, terms: list[TaxonomyTerm], today: dt.date) -> None:
    programme = _programme(district, admin, terms, "domiciliarita-2026", "Voucher domiciliarità 2026",
                           today - dt.timedelta(days=5), today + dt.timedelta(days=5), today - dt.timedelta(days=30),
                           today + dt.timedelta(days=180))  # fmt: skip
    marco = User.objects.filter(email="marco.colombo@example.org").first()
    worker = User.objects.filter(email="davide.greco@example.org").first()
    if marco is None or worker is None:
        return
    application = _apply(marco, programme, 780_000)
    do_assess_application(application, actor=worker, decision=Decision.APPROVE, need_score=75,
                          notes="Vive solo, difficoltà a uscire di casa.", reason="")  # fmt: skip
    places = [marco.citizen_profile.municipality]
    giulia = User.objects.filter(email="giulia.bianchi@example.org").first()
    paola = User.objects.filter(email="paola.conti@example.org").first()
    if giulia is not None and paola is not None:  # Giulia's mother Rosa, 81: her voucher, next to Giulia's credit
        rosa = do_add_household_member(
            giulia.citizen_profile, actor=giulia, first_name="Rosa", last_name="Bianchi", relationship="parent",
            codice_fiscale=codicefiscale.encode(lastname="Bianchi", firstname="Rosa", gender="F",
                                                birthdate="02/02/1945", birthplace="Tradate"),
            birth_date=dt.date(1945, 2, 2),
        )  # fmt: skip
        rosas = _apply(giulia, programme, 1_900_000, member=rosa)
        do_assess_application(rosas, actor=paola, decision=Decision.APPROVE, need_score=60,
                              notes="Vive con la figlia, che lavora.", reason="")  # fmt: skip
        places.append(giulia.citizen_profile.municipality)
    Programme.objects.filter(pk=programme.pk).update(  # the calendar shortcut (see the module's docstring)
        applications_open_on=today - dt.timedelta(days=90), applications_close_on=today - dt.timedelta(days=45)
    )
    programme.refresh_from_db()
    for municipality in places:
        do_compute_ranking(programme, municipality, actor=admin)
        do_publish_ranking(programme, municipality, actor=admin)
        do_issue_vouchers(programme, municipality, actor=admin)


def _this_year(district: District, admin: User, terms: list[TaxonomyTerm], today: dt.date) -> None:
    programme = _programme(district, admin, terms, "domiciliarita-2027", "Voucher domiciliarità 2027",
                           today - dt.timedelta(days=10), today + dt.timedelta(days=40), today + dt.timedelta(days=50),
                           today + dt.timedelta(days=415))  # fmt: skip
    giulia = User.objects.filter(email="giulia.bianchi@example.org").first()
    if giulia is not None:
        _apply(giulia, programme, 1_450_000)  # waits for the social worker of Tradate (Paola Conti)
