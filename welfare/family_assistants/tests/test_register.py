"""The register of family assistants: applying online, the requirements, the desk's validation, corrections,
renewal and expiry, withdrawal; and who may see it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import TRADATE, VEDANO, close_response, make_user
from welfare.audit.models import AuditEntry
from welfare.family_assistants.actions import (
    do_renew_listing,
    do_return_listing,
    do_save_listing,
    do_submit_listing,
    do_validate_listing,
    do_withdraw_listing,
    remind_and_expire_listings,
)
from welfare.family_assistants.models import Listing, Proposal, Training
from welfare.family_assistants.tests.conftest import listing_data, make_assistant, make_need, pdf
from welfare.lib.dates import add_months
from welfare.territory.models import District, Municipality, SocialPoint
from welfare.territory.queries import current_district

TODAY = timezone.localdate


def application(**changes):
    tradate = Municipality.objects.get(istat_code=TRADATE)
    body = {
        "codice_fiscale": "", "permit_type": "work", "permit_number": "AB1234567",
        "permit_expires_on": (TODAY() + dt.timedelta(days=400)).isoformat(), "phone": "333 111 2222",
        "kinds": ["carer"], "languages": ["ro"], "italian_level": "B1", "hours_per_week": "30",
        "available_from": TODAY().isoformat(), "municipalities": [str(tradate.pk)], "consent": "on",
    }  # fmt: skip
    return body | changes


@pytest.fixture
def applicant(district, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return make_user("ioana@example.org", "Ioana", "Marin")


def test_it_takes_an_application_online(client, applicant):
    client.force_login(applicant)
    assert client.get(reverse("family_assistants:mine")).url == reverse("family_assistants:apply")
    response = client.post(reverse("family_assistants:apply"), application())
    assert response.status_code == 302
    listing = Listing.objects.get(user=applicant)
    assert listing.state == Listing.State.DRAFT
    assert listing.permit_number == "AB1234567"
    assert listing.kinds == ["carer"]
    assert [m.istat_code for m in listing.municipalities.all()] == [TRADATE]
    assert AuditEntry.objects.filter(verb="assistant_listing.created", actor_id=applicant.pk).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"permit_expires_on": (TODAY() - dt.timedelta(days=1)).isoformat()}, "permesso di soggiorno è scaduto"),
        ({"permit_number": "", "permit_type": ""}, "codice fiscale o il permesso di soggiorno"),
        ({"consent": ""}, "Per essere iscritti"),
        ({"codice_fiscale": "RSSMRA80A01L400X", "permit_number": "", "permit_type": ""}, "codice fiscale"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(client, applicant, changes, message):
    client.force_login(applicant)
    response = client.post(reverse("family_assistants:apply"), application(**changes), HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Listing.objects.exists()


def test_a_municipality_outside_the_district_is_refused(client, applicant):
    other = District.objects.create(slug="altro", name="Ambito di Varese", province="VA", region="Lombardia")
    varese = Municipality.objects.create(district=other, name="Varese", istat_code="012133", cadastral_code="L682")
    client.force_login(applicant)
    response = client.post(reverse("family_assistants:apply"), application(municipalities=[str(varese.pk)]))
    assert response.status_code == 400  # not even offered: the form's choices are the district's
    with pytest.raises(Exception, match="solo i Comuni"):
        do_save_listing(applicant, current_district(), listing_data(municipalities=[varese]), consent=True)
    assert not Listing.objects.exists()


def test_training_below_the_minimum_keeps_the_listing_from_the_desk(applicant, olga):
    listing = make_assistant("lucia@example.org", "Lucia", "Bianchi", training_hours=20)
    with pytest.raises(Exception, match="almeno 40 ore di formazione"):
        do_submit_listing(listing, actor=listing.user)
    listing.refresh_from_db()
    assert listing.state == Listing.State.DRAFT
    # a course without its certificate does not count
    from welfare.family_assistants.actions import do_add_training

    do_add_training(listing, actor=listing.user, title="Primo soccorso", provider="", hours=30, year=2024,
                    certificate=None)  # fmt: skip
    with pytest.raises(Exception, match="le tue sono 20"):
        do_submit_listing(listing, actor=listing.user)
    do_add_training(listing, actor=listing.user, title="ASA", provider="", hours=30, year=2024, certificate=pdf())
    do_submit_listing(listing, actor=listing.user)
    assert Listing.objects.get(pk=listing.pk).state == Listing.State.SUBMITTED


def test_the_desk_validates_after_the_interview(
    client, applicant, olga, mailoutbox, django_capture_on_commit_callbacks
):
    listing = make_assistant("lucia@example.org", "Lucia", "Bianchi")
    do_submit_listing(listing, actor=listing.user)
    client.force_login(olga)
    url = reverse("family_assistants:listing", args=[listing.pk])
    page = client.get(url)
    assert "Lucia Bianchi" in page.content.decode()
    assert AuditEntry.objects.filter(verb="assistant_listing.viewed", actor_id=olga.pk).exists()
    assert client.post(url, {"interviewed_on": (TODAY() + dt.timedelta(days=1)).isoformat(),
                             "checked": "on"}).status_code == 400  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"interviewed_on": TODAY().isoformat(), "checked": "on"}).status_code == 302
    listing.refresh_from_db()
    assert listing.state == Listing.State.LISTED
    assert listing.validated_by == olga
    assert listing.social_point.slug == "tradate-centro"
    assert listing.expires_on == add_months(TODAY(), 12)
    assert mailoutbox[-1].to == ["lucia@example.org"]


def test_a_listing_never_outlasts_the_permit(applicant, olga):
    listing = make_assistant("lucia@example.org", "Lucia", "Bianchi", validator=olga,
                             permit_expires_on=TODAY() + dt.timedelta(days=90))  # fmt: skip
    assert listing.expires_on == TODAY() + dt.timedelta(days=90)


def test_the_desk_sends_it_back_with_what_to_change(applicant, olga, mailoutbox, django_capture_on_commit_callbacks):
    listing = make_assistant("lucia@example.org", "Lucia", "Bianchi")
    do_submit_listing(listing, actor=listing.user)
    with django_capture_on_commit_callbacks(execute=True):
        do_return_listing(listing, actor=olga, reason="Manca l'attestato del corso ASA")
    listing.refresh_from_db()
    assert listing.state == Listing.State.DRAFT
    assert "ASA" in listing.returned_reason
    assert "ASA" in mailoutbox[-1].body


def test_availability_changes_apply_at_once_but_a_new_kind_of_work_is_checked_again(maria):
    do_save_listing(maria.user, current_district(), listing_data(hours_per_week=40, nights=True), consent=False)
    maria.refresh_from_db()
    assert maria.state == Listing.State.LISTED
    assert maria.hours_per_week == 40
    do_save_listing(maria.user, current_district(), listing_data(kinds=["carer", "babysitter"]), consent=False)
    maria.refresh_from_db()
    assert maria.state == Listing.State.SUBMITTED


def test_reminder_expiry_and_renewal(maria, mailoutbox, django_capture_on_commit_callbacks):
    ends = maria.expires_on
    assert remind_and_expire_listings(today=ends - dt.timedelta(days=31)) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_and_expire_listings(today=ends - dt.timedelta(days=30)) == (1, 0)
    assert remind_and_expire_listings(today=ends - dt.timedelta(days=10)) == (0, 0)  # once
    assert mailoutbox[-1].subject.endswith("Rinnova la tua iscrizione come assistente familiare")
    assert remind_and_expire_listings(today=ends + dt.timedelta(days=1)) == (0, 1)
    maria.refresh_from_db()
    assert maria.state == Listing.State.EXPIRED
    do_renew_listing(maria, actor=maria.user)
    maria.refresh_from_db()
    assert maria.state == Listing.State.LISTED
    assert maria.expires_on > TODAY()


def test_a_renewal_too_early_is_refused(maria):
    with pytest.raises(Exception, match="ultimi 30 giorni"):
        do_renew_listing(maria, actor=maria.user)


def test_withdrawal_erases_what_identifies_the_person_and_ends_the_proposals(maria, family, olga, client):
    need = make_need(family, olga)
    from welfare.family_assistants.actions import do_propose

    do_propose(need, actor=olga, listings=[maria])
    files = [training.file.path for training in maria.trainings.all()]
    client.force_login(maria.user)
    assert client.post(reverse("family_assistants:listing_action", args=["ritira"])).status_code == 302
    maria.refresh_from_db()
    assert maria.state == Listing.State.WITHDRAWN
    assert (maria.permit_number, maria.phone) == ("", "")
    assert not Training.objects.filter(listing=maria).exists()
    assert not any(__import__("os").path.exists(path) for path in files)
    assert not maria.experiences.exclude(reference_name="").exists()
    assert Proposal.objects.get(listing=maria).state == Proposal.State.WITHDRAWN
    client.force_login(olga)
    assert client.get(reverse("family_assistants:listing", args=[maria.pk])).status_code == 404


def test_only_desks_and_the_planning_office_see_the_register(client, maria, alice, bob, pietro, sofia, diana, olga):
    url = reverse("family_assistants:register") + "?stato=listed"
    for person, status in ((alice, 403), (pietro, 403), (sofia, 403), (diana, 200), (olga, 200)):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == status, person
        assert ("Maria Popescu" in response.content.decode()) == (status == 200)
    # a draft is still the person's own
    draft = make_assistant("lucia@example.org", "Lucia", "Bianchi")
    client.force_login(olga)
    assert client.get(reverse("family_assistants:listing", args=[draft.pk])).status_code == 404


def test_the_planning_office_reads_but_does_not_validate(client, diana):
    listing = make_assistant("lucia@example.org", "Lucia", "Bianchi")
    do_submit_listing(listing, actor=listing.user)
    client.force_login(diana)
    url = reverse("family_assistants:listing", args=[listing.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"interviewed_on": TODAY().isoformat(), "checked": "on"}).status_code == 403
    assert Listing.objects.get(pk=listing.pk).state == Listing.State.SUBMITTED


def test_certificates_go_to_their_owner_and_the_desks_only(client, maria, olga, alice):
    training = maria.trainings.get()
    url = reverse("family_assistants:certificate", args=[training.pk])
    client.force_login(maria.user)
    response = client.get(url)
    assert response.status_code == 200
    close_response(response)
    client.force_login(olga)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    close_response(response)
    assert AuditEntry.objects.filter(verb="assistant_listing.certificate_read", actor_id=olga.pk).exists()
    client.force_login(alice)
    assert client.get(url).status_code == 404


def test_a_validation_cannot_skip_the_requirements(olga):
    listing = make_assistant("lucia@example.org", "Lucia", "Bianchi", training_hours=10)
    listing.state = Listing.State.SUBMITTED
    listing.save()
    with pytest.raises(Exception, match="formazione"):
        do_validate_listing(listing, actor=olga, social_point=SocialPoint.objects.get(slug="tradate-centro"),
                            interviewed_on=TODAY())  # fmt: skip
    assert Listing.objects.get(pk=listing.pk).state == Listing.State.SUBMITTED


def test_vedano_desk_sees_the_same_district_register(client, maria):
    from conftest import make_staff
    from welfare.accounts.models import Role

    vera = make_staff(
        "vera@example.org", "Vera", "Colombo", Role.OPERATOR, SocialPoint.objects.get(slug="vedano-olona")
    )
    client.force_login(vera)
    assert client.get(reverse("family_assistants:listing", args=[maria.pk])).status_code == 200
    assert VEDANO
    assert withdraw_is_idempotent(maria)


def withdraw_is_idempotent(listing):
    do_withdraw_listing(listing, actor=listing.user)
    return do_withdraw_listing(listing, actor=listing.user).state == Listing.State.WITHDRAWN
