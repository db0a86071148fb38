"""Reviews: asked once by the family's channel, written once, answered once by the provider, hidden with a reason;
the service's page shows averages only from five."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import TRADATE, make_citizen
from welfare.accounts.models import Notice
from welfare.care.actions import do_complete, do_confirm, do_propose, do_start, do_submit_request
from welfare.care.models import RequestEvent
from welfare.care.reviews import do_ask_for_reviews, do_hide_review, do_reply_review, do_review, may_review
from welfare.catalogue.models import Review

pytestmark = pytest.mark.django_db


def served(citizen, service, staff, *, complete=True):
    request = do_submit_request(actor=citizen, service=service, beneficiary=None, needs="Aiuto")
    do_propose(request, actor=staff, start=timezone.localdate(), schedule="Lun", operator="M", price_cents=2200,
               funding="family")  # fmt: skip
    do_confirm(request, actor=citizen)
    do_start(request, actor=staff)
    if complete:
        do_complete(request, actor=staff)
    return request


def rate(request, citizen, score=4, comment=""):
    return do_review(request, actor=citizen, punctuality=score, kindness=score, competence=score,
                     would_recommend=True, comment=comment)  # fmt: skip


def test_a_completed_service_is_rated_once_and_answered_once(catalogue, alice, pietro, rita):
    request = served(alice, catalogue.educativa, pietro)
    assert may_review(request)
    review = rate(request, alice, comment="Marta è bravissima")
    with pytest.raises(ValidationError):
        rate(request, alice)
    with pytest.raises(PermissionDenied):
        do_reply_review(review, actor=rita, text="Non è nostro")  # another provider
    do_reply_review(review, actor=pietro, text="Grazie!")
    with pytest.raises(ValidationError):
        do_reply_review(review, actor=pietro, text="Ancora")


def test_a_service_under_way_may_be_rated_after_three_months(catalogue, alice, pietro):
    request = served(alice, catalogue.educativa, pietro, complete=False)
    assert not may_review(request)
    RequestEvent.objects.filter(request=request, to_state="active").update(at=timezone.now() - dt.timedelta(days=91))
    assert may_review(request)


def test_the_family_is_asked_once_by_its_channel(
    catalogue, alice, pietro, mailoutbox, django_capture_on_commit_callbacks
):
    carla = make_citizen("carla@example.org", "Carla", "Bossi", dt.date(1950, 5, 5), TRADATE)
    carla.citizen_profile.contact_channel, carla.citizen_profile.postal_address = "letter", "Via Roma 3"
    carla.citizen_profile.save()
    served(alice, catalogue.educativa, pietro)
    served(carla, catalogue.educativa, pietro)
    with django_capture_on_commit_callbacks(execute=True):
        assert do_ask_for_reviews() == 2
    assert [m.subject for m in mailoutbox if m.to == ["alice@example.org"]][-1].endswith(
        "“Educativa domiciliare Melograno”?"
    )
    assert Notice.objects.filter(user=carla, template="care/email/review_invite").count() == 1
    assert do_ask_for_reviews() == 0


def test_averages_show_from_five_reviews_and_comments_without_names(client, catalogue, pietro, diana):
    url = reverse("catalogue:service_detail", args=[catalogue.educativa.pk])
    families = [make_citizen(f"f{n}@example.org", "Famiglia", f"Numero{chr(65 + n)}", dt.date(1980, 1, 1 + n), TRADATE)
                for n in range(5)]  # fmt: skip
    reviews = []
    for number, family in enumerate(families[:4]):
        reviews.append(rate(served(family, catalogue.educativa, pietro), family, score=3 + number % 3,
                            comment=f"Commento {number}"))  # fmt: skip
    assert "Le valutazioni compaiono quando almeno cinque famiglie" in client.get(url).text
    reviews.append(rate(served(families[4], catalogue.educativa, pietro), families[4], score=5))
    page = client.get(url).text
    assert "Valutato da 5 famiglie." in page
    assert "Commento 0" in page
    assert "NumeroA" not in page
    do_hide_review(reviews[0], actor=diana, reason="Contiene un nome")
    page = client.get(url).text
    assert "Commento 0" not in page  # hidden, and fewer than five visible: no averages again
    assert "Valutato da" not in page
    assert Review.objects.filter(hidden_at__isnull=False).count() == 1


def test_the_family_rates_through_the_page(client, catalogue, alice, pietro):
    request = served(alice, catalogue.educativa, pietro)
    client.force_login(alice)
    url = reverse("care:review", args=[request.pk])
    assert client.post(url, {"punctuality": 5}).status_code == 400
    response = client.post(url, {"punctuality": 5, "kindness": 4, "competence": 5, "would_recommend": "yes",
                                 "comment": "Ottimo"})  # fmt: skip
    assert response.status_code == 302
    assert Review.objects.get().kindness == 4
