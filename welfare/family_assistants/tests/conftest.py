"""Assistants in the register, and a family the Tradate desk may act for."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import TRADATE, make_user
from welfare.family_assistants.actions import (
    ListingData,
    NeedData,
    do_add_experience,
    do_add_training,
    do_record_need,
    do_save_listing,
    do_submit_listing,
    do_validate_listing,
)
from welfare.territory.models import Municipality, SocialPoint
from welfare.territory.queries import current_district

TODAY = timezone.localdate


def pdf(content: bytes = b"attestato") -> SimpleUploadedFile:
    return SimpleUploadedFile("attestato.pdf", b"%PDF-1.4 " + content, content_type="application/pdf")


def listing_data(**changes) -> ListingData:
    fields = {
        "codice_fiscale": "", "permit_type": "work", "permit_number": "AB1234567",
        "permit_expires_on": TODAY() + dt.timedelta(days=700), "phone": "333 111 2222", "kinds": ["carer"],
        "languages": ["ro", "it"], "italian_level": "B1", "live_in": False, "nights": False, "weekends": False,
        "hours_per_week": 30, "available_from": TODAY(),
        "municipalities": [Municipality.objects.get(istat_code=TRADATE)],
    }  # fmt: skip
    return ListingData(**(fields | changes))


def make_assistant(email, first_name, last_name, *, validator=None, training_hours=60, experience_months=24,
                   **changes):  # fmt: skip
    """A person with a listing: applied, with a certified course and experience; listed if a validator is given."""
    user = make_user(email, first_name, last_name)
    listing = do_save_listing(user, current_district(), listing_data(**changes), consent=True)
    for kind in listing.kinds:
        do_add_training(listing, actor=user, title="Corso ASA", provider="Regione", hours=training_hours,
                        year=TODAY().year - 1, certificate=pdf(email.encode()))  # fmt: skip
        do_add_experience(listing, actor=user, kind=kind, months=experience_months, description="Assistenza",
                          reference_name="Famiglia Rossi", reference_phone="0331 123456")  # fmt: skip
    if validator is not None:
        do_submit_listing(listing, actor=user)
        do_validate_listing(listing, actor=validator, social_point=SocialPoint.objects.get(slug="tradate-centro"),
                            interviewed_on=TODAY())  # fmt: skip
    listing.refresh_from_db()
    return listing


def follow(resident, operator):
    """The resident gives the Tradate desk their consent in an interview: the desk may act for them."""
    from welfare.assistance.actions import do_record_interview

    do_record_interview(
        actor=operator, social_point=SocialPoint.objects.get(slug="tradate-centro"), resident=resident.citizen_profile,
        held_on=TODAY(), need_areas=["elderly"], notes="", services=[], follow_up_on=None, outcome="open",
        consent_given=True,
    )  # fmt: skip


def make_need(resident, operator, **changes):
    fields = {"cared_for": "elderly", "tasks": ["personal_care", "company"], "hours_per_week": 25, "live_in": False,
              "nights": False, "weekends": False, "languages": ["ro"],
              "municipality": Municipality.objects.get(istat_code=TRADATE), "starts_on": TODAY()}  # fmt: skip
    return do_record_need(actor=operator, social_point=SocialPoint.objects.get(slug="tradate-centro"),
                          resident=resident.citizen_profile, data=NeedData(**(fields | changes)))  # fmt: skip


@pytest.fixture
def maria(olga, settings, tmp_path):
    """Maria, a Romanian carer with a work permit, listed in the register by the Tradate desk."""
    settings.VAR_DIR = tmp_path
    return make_assistant("maria@example.org", "Maria", "Popescu", validator=olga)


@pytest.fixture
def family(alice, olga):
    follow(alice, olga)
    return alice
