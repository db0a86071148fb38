"""Demo family assistance for `make run`: Ioana Marin listed in the register by the Tradate desk, Olena Kovalenko
listed too (nights, Ukrainian and Russian), Fatima El Amrani waiting for her interview, and the district's helpers
in the hiring guide. Safe to repeat."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from welfare.accounts.models import User
from welfare.family_assistants.actions import (
    ListingData,
    do_add_experience,
    do_add_training,
    do_save_guide_entry,
    do_save_listing,
    do_submit_listing,
    do_validate_listing,
)
from welfare.family_assistants.models import Guide, Listing
from welfare.territory.models import District, Municipality, SocialPoint

ASSISTANTS = [
    # email, kinds, languages, nights, live in, hours, listed
    ("ioana.marin@example.org", ["carer"], ["ro", "it"], False, False, 30, True),
    ("olena.kovalenko@example.org", ["carer", "domestic"], ["uk", "ru", "it"], True, True, 54, True),
    ("fatima.elamrani@example.org", ["babysitter", "domestic"], ["ar", "fr", "it"], False, False, 20, False),
]


@transaction.atomic
def load_demo_family_assistants(district: District) -> None:
    operator = User.objects.filter(email="sara.ferrari@example.org").first()
    point = SocialPoint.objects.filter(slug="tradate-centro").first()
    places = list(Municipality.objects.filter(district=district, name__in=["Tradate", "Venegono Superiore",
                                                                           "Castiglione Olona"]))  # fmt: skip
    today = timezone.localdate()
    for number, (email, kinds, languages, nights, live_in, hours, listed) in enumerate(ASSISTANTS):
        user = User.objects.filter(email=email).first()
        if user is None or Listing.objects.filter(user=user).exists():
            continue
        listing = do_save_listing(user, district, ListingData(
            codice_fiscale="", permit_type="work", permit_number=f"AX000{number + 1:04d}",
            permit_expires_on=today + dt.timedelta(days=600), phone="333 000 0000", kinds=kinds, languages=languages,
            italian_level="B1", live_in=live_in, nights=nights, weekends=nights, hours_per_week=hours,
            available_from=today, municipalities=places,
        ), consent=True)  # fmt: skip
        for kind in kinds:
            do_add_training(listing, actor=user, title="Corso regionale per assistenti familiari", provider="ENAIP",
                            hours=160, year=today.year - 1,
                            certificate=SimpleUploadedFile("attestato.pdf", b"%PDF-1.4 attestato demo"))  # fmt: skip
            do_add_experience(listing, actor=user, kind=kind, months=36, description="Presso una famiglia di Tradate",
                              reference_name="Famiglia Rossi", reference_phone="0331 000 333")  # fmt: skip
        do_submit_listing(listing, actor=user)
        if listed and operator is not None and point is not None:
            do_validate_listing(listing, actor=operator, social_point=point, interviewed_on=today)
    if not Guide.objects.filter(section=Guide.Section.HELPER, contact__icontains="Tradate").exists():
        do_save_guide_entry(None, actor=None, fields={
            "section": Guide.Section.HELPER, "order": 0, "title_it": "Patronato ACLI di Tradate",
            "title_en": "ACLI patronato, Tradate", "text_it": "Comunicazione di assunzione all'INPS, buste paga.",
            "text_en": "The hiring communication to INPS, payslips.", "contact": "Via Manzoni 4, Tradate",
        })  # fmt: skip
