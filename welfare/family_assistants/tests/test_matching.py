"""At the desk: a family's need, the assistants ranked by fit with their reasons, proposals, contacts shared only
when the assistant accepts (and recorded), the outcome and the follow-up three months later."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import VEDANO, make_staff
from welfare.accounts.models import Role
from welfare.audit.models import AuditEntry
from welfare.family_assistants.access import listed_for
from welfare.family_assistants.actions import (
    ask_follow_ups,
    candidates_for,
    do_answer_follow_up,
    do_answer_proposal,
    do_propose,
    do_record_outcome,
)
from welfare.family_assistants.models import Need, Proposal
from welfare.family_assistants.tests.conftest import make_assistant, make_need
from welfare.lib.dates import add_months
from welfare.territory.models import Municipality, SocialPoint

TODAY = timezone.localdate


@pytest.fixture
def register(maria, olga):
    """Maria (Romanian, 30 h, days only), Ana (Romanian and Ukrainian, 40 h, nights too), Lena (works only in
    Vedano), Olena (no live-in)."""
    ana = make_assistant("ana@example.org", "Ana", "Dumitru", validator=olga, hours_per_week=40, nights=True,
                         languages=["ro", "uk"], live_in=True)  # fmt: skip
    lena = make_assistant("lena@example.org", "Lena", "Rossi", validator=olga,
                          municipalities=[Municipality.objects.get(istat_code=VEDANO)])  # fmt: skip
    return {"maria": maria, "ana": ana, "lena": lena}


def test_the_desk_sees_who_fits_best_first_with_the_reasons(register, family, olga):
    need = make_need(family, olga, nights=True, hours_per_week=35)
    ranked = candidates_for(need, list(listed_for(need.municipality.district_id)))
    assert [fit.listing for fit in ranked] == [register["ana"], register["maria"]]  # Lena works only in Vedano
    ana, maria = ranked
    assert "disponibile di notte" in ana.good
    assert "parla Rumeno" in "; ".join(ana.good)
    assert "non disponibile di notte" in maria.bad
    assert "solo 30 ore a settimana" in maria.bad
    live_in = make_need(family, olga, live_in=True)
    assert [fit.listing for fit in candidates_for(live_in, list(listed_for(need.municipality.district_id)))] == [
        register["ana"]
    ]


def test_the_need_page_ranks_and_proposes(client, register, family, olga, django_capture_on_commit_callbacks,
                                          mailoutbox):  # fmt: skip
    client.force_login(olga)
    response = client.post(reverse("family_assistants:need_new", args=[family.citizen_profile.pk]), {
        "cared_for": "elderly", "tasks": ["personal_care"], "hours_per_week": "25", "languages": ["ro"],
        "starts_on": TODAY().isoformat(), "municipality": str(family.citizen_profile.municipality_id),
    })  # fmt: skip
    need = Need.objects.get()
    assert response.url == reverse("family_assistants:need", args=[need.pk])
    page = client.get(response.url).content.decode()
    assert "Ana Dumitru" in page
    assert "Maria Popescu" in page
    assert "Lena Rossi" not in page
    assert AuditEntry.objects.filter(verb="assistant_need.viewed", on_behalf_of_id=family.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url, {"assistente": [str(register["ana"].pk), str(register["maria"].pk)]})
    assert set(need.proposals.values_list("listing", flat=True)) == {register["ana"].pk, register["maria"].pk}
    assert {message.to[0] for message in mailoutbox} >= {"ana@example.org", "maria@example.org"}
    assert "Alice" not in " ".join(message.body for message in mailoutbox)  # the family stays unknown


def test_an_assistant_outside_the_register_cannot_be_proposed(client, register, family, olga):
    need = make_need(family, olga)
    client.force_login(olga)
    client.post(reverse("family_assistants:need", args=[need.pk]), {"assistente": [str(register["lena"].pk)]})
    assert not Proposal.objects.exists()  # Lena does not work in Tradate
    draft = make_assistant("lucia@example.org", "Lucia", "Bianchi")
    client.post(reverse("family_assistants:need", args=[need.pk]), {"assistente": [str(draft.pk)]})
    assert not Proposal.objects.exists()
    with pytest.raises(ValidationError):
        do_propose(need, actor=olga, listings=[draft])


def test_contacts_are_shared_only_when_the_assistant_accepts(client, register, family, olga,
                                                             django_capture_on_commit_callbacks,
                                                             mailoutbox):  # fmt: skip
    need = make_need(family, olga)
    do_propose(need, actor=olga, listings=[register["maria"], register["ana"]])
    proposal, declined = (Proposal.objects.get(listing=register[name]) for name in ("maria", "ana"))
    client.force_login(family)
    page = client.get(reverse("family_assistants:my_need", args=[need.pk])).content.decode()
    assert "Maria Popescu" not in page
    assert "333 111 2222" not in page
    client.force_login(register["maria"].user)
    url = reverse("family_assistants:proposal", args=[proposal.pk])
    assert "Alice" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"risposta": "accetto"})
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ACCEPTED
    assert proposal.contacts_shared_at is not None
    assert "Alice" in client.get(url).content.decode()
    assert AuditEntry.objects.filter(verb="assistant_proposal.contacts_shared", target_id=str(proposal.pk),
                                     actor_id=register["maria"].user_id,
                                     on_behalf_of_id=family.pk).exists()  # fmt: skip
    assert mailoutbox[-1].to == [family.email]
    assert "333 111 2222" in mailoutbox[-1].body
    client.force_login(family)
    assert "Maria Popescu" in client.get(reverse("family_assistants:my_need", args=[need.pk])).content.decode()
    do_answer_proposal(declined, actor=register["ana"].user, accept=False)
    assert Proposal.objects.get(pk=declined.pk).contacts_shared_at is None
    with pytest.raises(ValidationError):
        do_answer_proposal(declined, actor=register["ana"].user, accept=True)


def test_someone_elses_proposal_is_not_found(client, register, family, olga):
    need = make_need(family, olga)
    (proposal,) = do_propose(need, actor=olga, listings=[register["maria"]])
    client.force_login(register["ana"].user)
    url = reverse("family_assistants:proposal", args=[proposal.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"risposta": "accetto"}).status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).state == Proposal.State.PROPOSED


def test_another_social_points_desk_cannot_open_the_need(client, register, family, olga):
    need = make_need(family, olga)
    vera = make_staff(
        "vera@example.org", "Vera", "Colombo", Role.OPERATOR, SocialPoint.objects.get(slug="vedano-olona")
    )
    client.force_login(vera)
    assert client.get(reverse("family_assistants:need", args=[need.pk])).status_code == 404
    assert client.post(reverse("family_assistants:need", args=[need.pk]),
                       {"assistente": [str(register["maria"].pk)]}).status_code == 404  # fmt: skip
    assert not Proposal.objects.exists()


def test_a_resident_the_desk_does_not_follow_is_not_found(client, olga, bob, maria):
    client.force_login(olga)
    assert client.get(reverse("family_assistants:need_new", args=[bob.citizen_profile.pk])).status_code == 404


def test_hired_then_followed_up_after_three_months(register, family, olga, client, django_capture_on_commit_callbacks,
                                                   mailoutbox):  # fmt: skip
    need = make_need(family, olga)
    (proposal,) = do_propose(need, actor=olga, listings=[register["maria"]])
    with pytest.raises(ValidationError):  # not accepted yet
        do_record_outcome(need, actor=olga, hired=register["maria"], hired_on=TODAY(), regular_contract=True,
                          not_hired_reason="")  # fmt: skip
    do_answer_proposal(proposal, actor=register["maria"].user, accept=True)
    client.force_login(olga)
    client.post(
        reverse("family_assistants:need_outcome", args=[need.pk]),
        {"hired": str(register["maria"].pk), "hired_on": TODAY().isoformat(), "regular_contract": "on"},
    )
    need.refresh_from_db()
    assert need.outcome == Need.Outcome.HIRED
    assert need.regular_contract
    assert need.follow_up_due_on == add_months(TODAY(), 3)
    assert ask_follow_ups(today=TODAY() + dt.timedelta(days=80)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert ask_follow_ups(today=add_months(TODAY(), 3)) == 1
    assert {m.to[0] for m in mailoutbox[-2:]} == {family.email, "maria@example.org"}
    assert ask_follow_ups(today=add_months(TODAY(), 4)) == 0  # once
    client.force_login(family)
    client.post(reverse("family_assistants:follow_up", args=[need.pk]), {"answer": "well"})
    client.force_login(register["maria"].user)
    client.post(reverse("family_assistants:follow_up", args=[need.pk]), {"answer": "difficulties"})
    need.refresh_from_db()
    assert (need.family_follow_up, need.assistant_follow_up) == ("well", "difficulties")
    client.force_login(register["ana"].user)
    assert client.post(reverse("family_assistants:follow_up", args=[need.pk]), {"answer": "ended"}).status_code == 404


def test_not_hired_needs_a_reason_and_closes_the_waiting_proposals(register, family, olga):
    need = make_need(family, olga)
    (proposal,) = do_propose(need, actor=olga, listings=[register["maria"]])
    with pytest.raises(ValidationError):
        do_record_outcome(need, actor=olga, hired=None, hired_on=None, regular_contract=False, not_hired_reason="")
    do_record_outcome(need, actor=olga, hired=None, hired_on=None, regular_contract=False, not_hired_reason="cost")
    assert Proposal.objects.get(pk=proposal.pk).state == Proposal.State.WITHDRAWN
    with pytest.raises(ValidationError):
        do_answer_follow_up(need, actor=family, answer="well")


def test_a_need_with_a_past_start_or_another_districts_place_is_refused(family, olga):
    from welfare.territory.models import District

    with pytest.raises(ValidationError):
        make_need(family, olga, starts_on=TODAY() - dt.timedelta(days=1))
    other = District.objects.create(slug="altro", name="Ambito di Varese", province="VA", region="Lombardia")
    varese = Municipality.objects.create(district=other, name="Varese", istat_code="012133", cadastral_code="L682")
    with pytest.raises(ValidationError):
        make_need(family, olga, municipality=varese)
    assert not Need.objects.exists()


def test_at_most_three_proposals_wait_at_once(register, family, olga):
    extra = [make_assistant(f"a{n}@example.org", "Anna", f"Verdi{n}", validator=olga) for n in range(2)]
    need = make_need(family, olga)
    do_propose(need, actor=olga, listings=[register["maria"], register["ana"], extra[0]])
    with pytest.raises(ValidationError):
        do_propose(need, actor=olga, listings=[extra[1]])
    with pytest.raises(ValidationError):
        do_propose(need, actor=olga, listings=[register["maria"]])


def test_the_figures_count_needs_matches_hires_and_regular_contracts(register, family, olga):
    from welfare.impact.indicators import family_assistance
    from welfare.impact.periods import period_from

    hired, open_need = make_need(family, olga), make_need(family, olga)
    (proposal,) = do_propose(hired, actor=olga, listings=[register["maria"]])
    do_answer_proposal(proposal, actor=register["maria"].user, accept=True)
    do_record_outcome(hired, actor=olga, hired=register["maria"], hired_on=TODAY(), regular_contract=True,
                      not_hired_reason="")  # fmt: skip
    assert open_need.outcome == Need.Outcome.OPEN
    places = list(Municipality.objects.order_by("name"))
    figure = family_assistance(period_from(str(TODAY().year)), places)
    row = figure.values[figure.rows.index("Tradate")]
    assert row == [2, 1, 1, 1]
    assert sum(sum(values) for values in figure.values) == 5
