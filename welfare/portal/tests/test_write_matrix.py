"""The write side of the permission matrix: every endpoint that accepts POST (pages and /api/v1/), posted by every
persona who may not act, with a body that would work for someone who may. Each must be refused (403/404, the
login page for the anonymous visitor, 401 on the API) and leave the audit trail and the ledger as they were.

`test_every_post_endpoint_is_in_the_write_matrix` fails when a view that accepts POST is missing here: a write
view cannot lose its check unnoticed.
"""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PERSONAS, TRADATE, make_codice_fiscale
from welfare.accounts.actions import do_add_household_member, do_create_api_token, do_grant_delegation
from welfare.audit.models import AuditEntry
from welfare.ledger.models import Entry, Transaction
from welfare.portal.tests.test_permission_matrix import (
    MATRIX,
    application_token,
    build_world,
    olgas_role,
    term,
    url_names,
)
from welfare.territory.models import SocialPoint

ALL = set(PERSONAS)
LOGGED_IN = ALL - {"anonymous"}
REDIRECT, FORBIDDEN, NOT_FOUND, UNAUTHENTICATED = 302, 403, 404, 401
TODAY = timezone.localdate


def refused(*allowed: str, api: bool = False, **statuses: int) -> dict[str, int]:
    """The answer each persona who may not act gets: 403 by default, the login page (or 401) when anonymous,
    and `statuses` where a persona must not even learn the thing exists (404)."""
    anonymous = UNAUTHENTICATED if api else REDIRECT
    expected = {"anonymous": anonymous} | dict.fromkeys(LOGGED_IN - set(allowed), FORBIDDEN) | statuses
    for persona in allowed:
        expected.pop(persona, None)
    return expected


def only_owner(owner: str, api: bool = False) -> dict[str, int]:
    """Someone's own thing: everybody else gets 404."""
    return refused(owner, api=api, **dict.fromkeys(LOGGED_IN - {owner}, NOT_FOUND))


def session_row(c) -> dict[str, Any]:
    return {"day": TODAY().isoformat(), "starts_at": "17:00", "ends_at": "18:00", "operator": "Marta",
            "activity": "Compiti", "place": ""}  # fmt: skip


def municipal_services(c) -> dict[str, Any]:
    from welfare.territory.models import Municipality

    return {"municipality": Municipality.objects.get(name="Castiglione Olona").pk, "name": "Comune di Castiglione",
            "tax_code": "08765430031"}  # fmt: skip


def give_a_role(c) -> dict[str, Any]:
    return {"email": "nuovo@example.org", "first_name": "Nuovo", "last_name": "Operatore", "role": "operator",
            "place": f"social_point:{SocialPoint.objects.get(slug='tradate-centro').pk}"}  # fmt: skip


def new_social_point(c) -> dict[str, Any]:
    from welfare.territory.models import Municipality

    return {"municipality": Municipality.objects.get(istat_code=TRADATE).pk, "name": "Nuovo", "address": "Via A 1",
            "postal_code": "21049", "slot_minutes": "30", "h0_1_opens": "09:00", "h0_1_closes": "12:00"}  # fmt: skip


# Someone else's own thing (Maria's listing, courses, proposals): every persona gets 404, the anonymous visitor the
# login page.
NOBODYS = {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, NOT_FOUND)
# Self-service endpoints: whoever is logged in acts on their own account; only the anonymous visitor is refused.
SELF_SERVICE = refused(*LOGGED_IN)
# A resident's own request (profile pages): staff without a resident profile are sent to add one first.
PUBLIC_TO_RESIDENTS = {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN - {"alice", "bob"}, REDIRECT)
# Public writes: anyone may post (log in, sign up, book, use the needs finder); nothing of anyone else is reachable.
PUBLIC = "public"

# url name -> (kwargs, body, expected refusals by persona) ; kwargs and body may be functions of the world.
WRITES: dict[str, tuple[Any, Any, Any]] = {
    "portal:set_language": ({}, {"language": "en"}, PUBLIC),
    "accounts:profile": ({}, {}, SELF_SERVICE),
    "accounts:household": ({}, {}, SELF_SERVICE),
    "accounts:household_remove": (lambda c: {"member_id": c.member.pk}, {}, only_owner("alice")),
    "accounts:api_tokens": (
        {},
        {"name": "gestionale"},
        refused("olga", "pietro", "rita", "sofia", "vittorio", "diana", "enzo"),
    ),
    "accounts:api_token_revoke": (lambda c: {"token_id": c.token.pk}, {}, only_owner("alice")),
    "accounts:delegations": ({}, {}, SELF_SERVICE),
    "accounts:delegation_revoke": (lambda c: {"delegation_id": c.delegation.pk}, {}, only_owner("alice")),
    # alice delegated olga's Social Point: olga may act for her, nobody else (alice herself is already herself)
    "accounts:act_for": ({}, lambda c: {"citizen": c.alice.pk}, only_owner("olga")),
    "accounts:act_stop": ({}, {}, SELF_SERVICE),
    "accounts:take_over": ({}, {}, PUBLIC),
    # SPID/CIE: whoever posts acts only on the login in progress in their own browser (welfare/spid/tests shows that
    # a post without one, or with an answer that breaks a rule, changes nothing).
    "spid:acs": ({"federation": "spid"}, {}, PUBLIC),
    "spid:logout": ({"federation": "spid"}, {}, PUBLIC),
    "spid:confirm": ({}, {}, PUBLIC),
    "spid:register": ({}, {}, PUBLIC),
    "spid:reopen": ({}, {}, PUBLIC),
    "spid:test_idp_sso": ({}, {}, PUBLIC),
    "outreach:task": (
        lambda c: {"task_id": c.task.pk},
        {"outcome": "reached", "notes": "Sentita"},
        only_owner("sofia"),
    ),
    "outreach:rule": (
        lambda c: {"rule_id": c.signal_rule.pk},
        lambda c: {
            "active": "on",
            "days": 5,
            "percent": 20,
            "assignee": "social_worker",
            "due_hours": 2,
            "message_it": "X",
            "message_en": "X",
        },
        refused("diana"),
    ),
    "outreach:campaigns": (
        {},
        lambda c: {
            "name": "L",
            "source": "S",
            "legal_basis": "B",
            "valid_from": TODAY().isoformat(),
            "expires_on": TODAY().isoformat(),
            "message": "M",
            "conferma": "1",
            "text": f"codice_fiscale\n{c.alice.citizen_profile.codice_fiscale}\n",
        },
        refused("diana"),
    ),
    "outreach:heat": (
        {},
        lambda c: {
            "level": 2,
            "starts_on": TODAY().isoformat(),
            "ends_on": TODAY().isoformat(),
            "municipalities": [c.task.municipality_id],
        },
        refused("diana"),
    ),
    "outreach:report": ({}, {}, PUBLIC),
    "care:review": (
        lambda c: {"request_id": c.request.pk},
        {"punctuality": 5, "kindness": 5, "competence": 5, "would_recommend": "yes"},
        only_owner("alice"),
    ),
    "care:review_reply": (
        lambda c: {"request_id": c.voucher_request.pk},
        {"reason": "Grazie"},
        refused("pietro", rita=NOT_FOUND),
    ),
    "care:complaint_new": ({}, {}, PUBLIC),
    "care:provider_complaint": (
        lambda c: {"complaint_id": c.complaint.pk},
        {"answer": "Ci scusiamo"},
        refused("pietro", rita=NOT_FOUND),
    ),
    "care:review_hide": (lambda c: {"review_id": c.review.pk}, {"reason": "Nomi"}, refused("diana")),
    "outreach:letters": ({}, {"lettera": ["1"]}, refused("olga")),
    "outreach:call_me": ({}, {"channel": "phone", "phone": "333"}, SELF_SERVICE),
    "employers:claim_new": (
        {},
        lambda c: {
            "wallet": str(c.claim.wallet_id),
            "relation": "parent",
            "beneficiary_name": "Anna Rossi",
            "beneficiary_birth_date": "1940-02-01",
            "amount": "10",
            "receipt_date": TODAY().isoformat(),
        },
        only_owner("alice"),
    ),
    "employers:officer_employees": (
        lambda c: {"employer_id": c.employer.pk},
        lambda c: {"text": "codice_fiscale;nome\n", "complete": "on"},
        refused("enzo"),
    ),
    "employers:officer_employee_end": (
        lambda c: {"employer_id": c.employer.pk, "employee_id": c.employee.pk},
        {},
        refused("enzo"),
    ),
    "employers:officer_plans": (
        lambda c: {"employer_id": c.employer.pk},
        lambda c: {
            "name": "Piano",
            "year": TODAY().year,
            "agreement_reference": "Accordo",
            "residual": "expire",
            "importo_f_0": "50",
        },
        refused("enzo"),
    ),
    "employers:officer_plan": (
        lambda c: {"employer_id": c.employer.pk, "plan_id": c.plan.pk},
        {"azione": "close"},
        refused("enzo"),
    ),
    "employers:officer_claim": (
        lambda c: {"employer_id": c.employer.pk, "claim_id": c.claim.pk},
        {"decision": "approve"},
        refused("enzo"),
    ),
    "employers:officer_payroll": (
        lambda c: {"employer_id": c.employer.pk},
        {"mese": f"{TODAY():%Y-%m}"},
        refused("enzo"),
    ),
    "employers:admin_employers": ({}, {"name": "Ditta", "vat_number": "01987650122"}, refused("diana")),
    "employers:admin_employer": (
        lambda c: {"employer_id": c.employer.pk},
        {"email": "nuovo@example.org", "first_name": "N", "last_name": "U"},
        refused("diana"),
    ),
    "catalogue:staff_service_new": ({}, {}, refused("pietro", "rita")),
    "catalogue:staff_service_edit": (
        lambda c: {"service_id": c.educativa.pk},
        {},
        refused("pietro", rita=NOT_FOUND),
    ),
    "catalogue:staff_service_submit": (
        lambda c: {"service_id": c.educativa.pk},
        {},
        refused("pietro", rita=NOT_FOUND),
    ),
    "catalogue:moderation_review": (
        lambda c: {"service_id": c.submitted.pk},
        {"decision": "publish"},
        refused("diana"),
    ),
    "care:request_new": (
        lambda c: {"service_id": c.educativa.pk},
        {"beneficiary": "self", "needs": "Aiuto", "payment": "family"},
        refused("alice", "bob", **dict.fromkeys(LOGGED_IN - {"alice", "bob"}, REDIRECT)),  # staff: to their profile
    ),
    "care:citizen_request_action": (
        lambda c: {"request_id": c.request.pk, "action": "withdraw"},
        {"reason": "Non serve più"},
        only_owner("alice"),
    ),
    "care:citizen_message": (lambda c: {"request_id": c.request.pk}, {"body": "Buongiorno"}, only_owner("alice")),
    "care:provider_request_action": (
        lambda c: {"request_id": c.request.pk, "action": "reject"},
        {"reason": "Nessun posto"},
        refused("pietro", rita=NOT_FOUND),
    ),
    "care:provider_message": (
        lambda c: {"request_id": c.request.pk},
        {"body": "Buongiorno"},
        refused("pietro", rita=NOT_FOUND),
    ),
    "assistance:residents": ({}, lambda c: {"codice_fiscale": c.bob.citizen_profile.codice_fiscale}, refused("olga")),
    "assistance:resident_new": ({}, {}, refused("olga")),
    "assistance:activation_letter": (lambda c: {"profile_id": c.interview.resident_id}, {}, refused("olga")),
    "assistance:interview_new": (
        {},
        lambda c: {"codice_fiscale": c.bob.citizen_profile.codice_fiscale, "start": "1"},
        refused("olga"),
    ),
    "assistance:interview": (
        lambda c: {"interview_id": c.interview.pk},
        {"need_areas": ["elderly"], "notes": "", "outcome": "open"},
        refused("olga"),
    ),
    "assistance:interview_consent_withdraw": (lambda c: {"interview_id": c.interview.pk}, {}, refused("olga")),
    # bob's own consent: only bob withdraws it here (olga's Social Point withdraws it from its console)
    "assistance:my_consent_withdraw": (lambda c: {"interview_id": c.interview.pk}, {}, only_owner("bob")),
    # the resident's own request: nobody posts one for someone else (there is no one else to name)
    "assistance:my_rectifications": ({}, {"about": "identity", "details": "Sbagliato"}, PUBLIC_TO_RESIDENTS),
    # the resident's own account (the body lacks the confirmation: even they would only see the form again)
    "portal:close_account": ({}, {}, {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN - {"alice", "bob"}, NOT_FOUND)),
    "assistance:rectification": (
        lambda c: {"rectification_id": c.rectification.pk},
        {"corrected": "yes", "answer": "Corretto"},
        refused("olga"),
    ),
    "assistance:walk_in": ({}, {"name": "Mario Bianchi"}, refused("olga")),
    "assistance:point_new": ({}, new_social_point, refused("diana")),
    "assistance:point_edit": ({"slug": "tradate-centro"}, new_social_point, refused("diana")),
    "assistance:point_open": ({"slug": "tradate-centro"}, {"understood": "on"}, refused("diana")),
    "assistance:point_hours": (
        {"slug": "tradate-centro"},
        {"first_day": (TODAY() + dt.timedelta(days=3)).isoformat()},
        refused("diana", "olga"),
    ),
    "assistance:point_exception_remove": (
        lambda c: {"slug": "tradate-centro", "exception_id": c.opening_exception.pk},
        {},
        refused("diana", "olga"),
    ),
    "assistance:point_notes": ({"slug": "tradate-centro"}, {"notes": "Chiuso"}, refused("diana", "olga")),
    "assistance:book_for": ({}, {"name": "Mario Bianchi"}, refused("olga")),
    "assistance:appointment_action": (
        lambda c: {"appointment_id": c.appointment.pk, "action": "annulla"},
        {},
        refused("olga"),
    ),
    "assistance:book": ({"slug": "tradate-centro"}, {}, PUBLIC),
    "assistance:booking_confirm": (lambda c: {"appointment_id": c.appointment.pk, "token": "x"}, {}, PUBLIC),
    "finder:finder": ({}, {}, PUBLIC),
    "finder:summary_pdf": ({}, {}, PUBLIC),
    "finder:rule_new": ({}, {"name": "Nuova"}, refused("diana")),
    "finder:rule_edit": (lambda c: {"rule_id": c.rule.pk}, {"name": "Cambiata"}, refused("diana")),
    "finder:interview_finder": (lambda c: {"interview_id": c.interview.pk}, {}, refused("olga")),
    "vouchers:apply": (
        lambda c: {"slug": c.open_programme.slug},
        {},
        refused("alice", "bob", **dict.fromkeys(LOGGED_IN - {"alice", "bob"}, REDIRECT)),  # staff: to their profile
    ),
    "vouchers:application": (lambda c: {"application_id": c.application.pk}, {}, only_owner("alice")),
    "vouchers:application_document_add": (
        lambda c: {"application_id": c.application.pk},
        {},
        only_owner("alice"),
    ),
    "vouchers:application_withdraw": (lambda c: {"application_id": c.application.pk}, {}, only_owner("alice")),
    "vouchers:assessment": (
        lambda c: {"application_id": c.application.pk},
        {"decision": "reject", "reason": "No"},
        refused("sofia", vittorio=NOT_FOUND),
    ),
    "vouchers:admin_programme_new": ({}, {}, refused("diana")),
    "vouchers:admin_programme_edit": (lambda c: {"programme_id": c.open_programme.pk}, {}, refused("diana")),
    "vouchers:admin_programme": (lambda c: {"programme_id": c.open_programme.pk}, {}, refused("diana")),
    "vouchers:admin_programme_publish": (lambda c: {"programme_id": c.open_programme.pk}, {}, refused("diana")),
    "vouchers:admin_ranking_action": (
        lambda c: {"programme_id": c.programme.pk, "istat_code": TRADATE, "action": "emetti"},
        {},
        refused("diana"),
    ),
    "vouchers:admin_voucher_cancel": (
        lambda c: {"voucher_id": c.voucher.pk},
        {"reason": "Rinuncia"},
        refused("diana"),
    ),
    "vouchers:admin_calls": ({}, {}, refused("diana")),
    "vouchers:admin_accreditation": (
        lambda c: {"accreditation_id": c.accreditation.pk},
        {"decision": "return", "reason": "No"},
        refused("diana"),
    ),
    "vouchers:provider_accreditation_apply": (lambda c: {"call_id": c.call.pk}, {}, refused("pietro", "rita")),
    "delivery:provider_sessions": (
        lambda c: {"request_id": c.voucher_request.pk},
        session_row,
        refused("pietro", rita=NOT_FOUND),
    ),
    "delivery:session_correct": (
        lambda c: {"session_id": c.session.pk},
        lambda c: session_row(c) | {"reason": "Orario sbagliato"},
        refused("pietro", rita=NOT_FOUND),
    ),
    "delivery:provider_session_action": (
        lambda c: {"session_id": c.session.pk, "action": "ritira"},
        {"reason": "Errore"},
        refused("pietro", rita=NOT_FOUND),
    ),
    "delivery:citizen_session_action": (
        lambda c: {"session_id": c.session.pk, "action": "contesta"},
        {"reason": "Non è venuta"},
        only_owner("alice"),
    ),
    "delivery:provider_statements": ({}, {}, refused("pietro", "rita")),
    "delivery:provider_statement": (
        lambda c: {"statement_id": c.statement.pk},
        {"submit": "1"},
        refused("pietro", rita=NOT_FOUND),
    ),
    "delivery:admin_statement": (lambda c: {"statement_id": c.statement.pk}, {"approve": "1"}, refused("diana")),
    # The private API (JSON bodies)
    "api-v1:my_message_post": (
        lambda c: {"request_id": c.request.pk},
        {"body": "Buongiorno"},
        only_owner("alice", api=True),
    ),
    "api-v1:my_confirm": (lambda c: {"request_id": c.request.pk}, {}, only_owner("alice", api=True)),
    "api-v1:my_withdraw": (lambda c: {"request_id": c.request.pk}, {"reason": ""}, only_owner("alice", api=True)),
    "api-v1:inbox_propose": (
        lambda c: {"request_id": c.request.pk},
        {
            "start": (TODAY() + dt.timedelta(days=3)).isoformat(),
            "schedule": "Lun 15-17",
            "operator": "Marta",
            "price_cents": 2000,
            "funding": "family",
        },
        refused("pietro", api=True, rita=NOT_FOUND),
    ),
    "api-v1:inbox_reject": (
        lambda c: {"request_id": c.request.pk},
        {"reason": "No"},
        refused("pietro", api=True, rita=NOT_FOUND),
    ),
    "api-v1:inbox_start": (lambda c: {"request_id": c.request.pk}, {}, refused("pietro", api=True, rita=NOT_FOUND)),
    "api-v1:inbox_complete": (
        lambda c: {"request_id": c.request.pk},
        {},
        refused("pietro", api=True, rita=NOT_FOUND),
    ),
    "api-v1:inbox_message_post": (
        lambda c: {"request_id": c.request.pk},
        {"body": "Buongiorno"},
        refused("pietro", api=True, rita=NOT_FOUND),
    ),
    "api-v1:issue_vouchers": (
        lambda c: {"programme_id": c.programme.pk, "istat_code": TRADATE},
        {},
        refused("diana", api=True),
    ),
    "api-v1:cancel_voucher": (lambda c: {"voucher_id": c.voucher.pk}, {"reason": "No"}, refused("diana", api=True)),
    # rita's rows for pietro's request are refused one by one (200, every row "not_found"): checked below
    "api-v1:post_sessions": (
        {},
        lambda c: {"sessions": [session_row(c) | {"external_id": "W-1", "request_id": str(c.voucher_request.pk)}]},
        refused("pietro", "rita", api=True),
    ),
    "api-v1:upload_employees": (
        lambda c: {"employer_id": c.employer.pk},
        lambda c: {"csv": "codice_fiscale;nome;cognome;email;categoria\n", "complete": True},
        refused("enzo", api=True),
    ),
    "portal:district_details": ({}, {"dpo_name": "Chiunque", "dpo_email": "x@example.org"}, refused("diana")),
    "portal:district_logo_upload": ({}, {"remove": "on"}, refused("diana")),
    "portal:admin_page_new": (
        {},
        {"kind": "news", "title_it": "X", "title_en": "X", "body_it": "X", "body_en": "X"},
        refused("diana"),
    ),
    "portal:admin_page": (
        lambda c: {"page_id": c.district_page.pk},
        {"kind": "news", "title_it": "X", "title_en": "X", "body_it": "X", "body_en": "X"},
        refused("diana"),
    ),
    "portal:admin_page_publish": (lambda c: {"page_id": c.district_page.pk}, {"pubblica": "0"}, refused("diana")),
    "network:people": ({}, give_a_role, refused("diana")),
    "network:apply": ({}, {}, PUBLIC),
    "network:application": (
        lambda c: {"application_id": c.provider_application.pk, "token": application_token(c.provider_application)},
        {},
        PUBLIC,
    ),
    "network:municipal_services": ({}, municipal_services, refused("diana")),
    "network:application_review": (
        lambda c: {"application_id": c.provider_application.pk},
        {"decision": "approve", "message": ""},
        refused("diana"),
    ),
    "catalogue:admin_terms": ({}, {"where": "group:", "name_it": "Giovani", "name_en": "Young"}, refused("diana")),
    "catalogue:admin_term": (
        lambda c: {"term_id": term("centri-estivi").pk},
        {"where": "area:", "name_it": "Estate", "name_en": "Summer"},
        refused("diana"),
    ),
    "catalogue:admin_term_retire": (
        lambda c: {"term_id": term("centri-estivi").pk},
        lambda c: {"replacement": term("babysitting").pk},
        refused("diana"),
    ),
    "network:membership_revoke": (lambda c: {"membership_id": olgas_role().pk}, {}, refused("diana")),
    "network:person_active": (lambda c: {"person_id": olgas_role().user_id}, {"attivo": "0"}, refused("diana")),
    "portal:my_data": ({}, {}, SELF_SERVICE),
    # Family assistants: nobody but Maria touches her listing and proposals; only olga's desk validates, records
    # needs, proposes and records outcomes (diana reads the register but does not validate); the data is diana's.
    "family_assistants:apply": ({}, {}, SELF_SERVICE),
    "family_assistants:training_new": ({}, {"title": "ASA", "hours": "40", "year": "2024"}, NOBODYS),
    "family_assistants:experience_new": ({}, {"kind": "carer", "months": "6", "description": "x"}, NOBODYS),
    "family_assistants:training_remove": (lambda c: {"training_id": c.training.pk}, {}, NOBODYS),
    "family_assistants:experience_remove": (lambda c: {"experience_id": c.experience.pk}, {}, NOBODYS),
    "family_assistants:listing_action": ({"action": "ritira"}, {}, NOBODYS),
    "family_assistants:proposal": (
        lambda c: {"proposal_id": c.assistant_proposal.pk},
        {"risposta": "accetto"},
        NOBODYS,
    ),
    "family_assistants:follow_up": (lambda c: {"need_id": c.need.pk}, {"answer": "well"}, only_owner("bob")),
    "family_assistants:listing": (
        lambda c: {"listing_id": c.listing.pk},
        {"interviewed_on": TODAY().isoformat(), "checked": "on"},
        refused("olga"),
    ),
    "family_assistants:need_new": (
        lambda c: {"profile_id": c.need.resident_id},
        lambda c: {
            "cared_for": "elderly",
            "hours_per_week": "20",
            "starts_on": TODAY().isoformat(),
            "municipality": str(c.need.municipality_id),
        },
        refused("olga"),
    ),
    "family_assistants:need": (
        lambda c: {"need_id": c.need.pk},
        lambda c: {"assistente": [str(c.listing.pk)]},
        refused("olga"),
    ),
    "family_assistants:need_outcome": (
        lambda c: {"need_id": c.need.pk},
        {"hired": "", "not_hired_reason": "cost"},
        refused("olga"),
    ),
    "family_assistants:admin_requirements": ({}, {}, refused("diana")),
    "family_assistants:admin_tables": ({}, {"year": "2027"}, refused("diana")),
    "family_assistants:admin_table": (
        {"year": 2026},
        {"extra_months": "2", "severance_divisor": "13.5"},
        refused("diana"),
    ),
    "family_assistants:admin_guide": ({}, {"section": "helper", "title_it": "x", "title_en": "x"}, refused("diana")),
    "family_assistants:admin_guide_entry": (
        lambda c: {"entry_id": c.guide.pk},
        {"azione": "elimina"},
        refused("diana"),
    ),
    "api-v1:correct_session": (
        lambda c: {"session_id": c.session.pk},
        lambda c: session_row(c) | {"reason": "Orario"},
        refused("pietro", api=True, rita=NOT_FOUND),
    ),
}

# allauth's own pages: each acts only on the account of whoever is logged in (or on the one named by a secret
# link): there is nobody else's data to protect, and django-allauth is tested by its maintainers.
ACCOUNT_PAGES = {
    "account_login", "account_signup", "account_logout", "account_email", "account_change_password",
    "account_set_password", "account_reset_password", "account_reset_password_from_key", "account_confirm_email",
    "account_reauthenticate", "account_inactive", "mfa_authenticate", "mfa_reauthenticate", "mfa_activate_totp",
    "mfa_deactivate_totp", "mfa_generate_recovery_codes", "mfa_download_recovery_codes",
    "account_email_verification_sent", "account_reset_password_done",
    "account_reset_password_from_key_done", "account_confirm_login_code",
}  # fmt: skip


def snapshot():
    return AuditEntry.objects.count(), Entry.objects.count(), Transaction.objects.count()


@pytest.fixture
def world(request, catalogue, programme, accredited, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    users, objects = build_world(request, catalogue, programme, accredited)
    alice = users["alice"]
    objects.alice, objects.bob = alice, users["bob"]
    objects.member = do_add_household_member(
        alice.citizen_profile, actor=alice, first_name="Marco", last_name="Rossi", relationship="child",
        codice_fiscale=make_codice_fiscale("Marco", "Rossi", dt.date(2016, 4, 1), "Tradate", "M"),
        birth_date=dt.date(2016, 4, 1),
    )  # fmt: skip
    objects.token = do_create_api_token(alice, actor=alice, name="gestionale")[0]
    objects.delegation = do_grant_delegation(
        alice.citizen_profile, actor=alice, delegate_social_point=SocialPoint.objects.get(slug="tradate-centro"),
        may_request=False, may_manage_vouchers=False, covers_self=True, beneficiaries=[], starts_on=TODAY(),
        ends_on=TODAY() + dt.timedelta(days=30),
    )  # fmt: skip
    return users, objects


def resolve(value, objects):
    return value(objects) if callable(value) else value


def test_a_persona_who_may_not_act_is_refused_and_nothing_is_recorded(world):
    """Every write endpoint, posted by every persona who may not act: refused, and the audit trail and the ledger as
    they were. One world serves them all: a refused post changes nothing, and one that did fails here."""
    users, objects = world
    wrong = []
    for url_name, (kwargs, body, expected) in WRITES.items():
        if expected == PUBLIC:
            continue
        url = reverse(url_name, kwargs=resolve(kwargs, objects))
        body = resolve(body, objects)
        api = url_name.startswith("api-v1:")
        for persona, status in expected.items():
            client = Client()
            if persona != "anonymous":
                client.force_login(users[persona])
            before = snapshot()
            if api:
                response = client.post(url, body, content_type="application/json",
                                       HTTP_IDEMPOTENCY_KEY=f"k-{url_name}-{persona}")  # fmt: skip
            else:
                response = client.post(url, body)
            if response.status_code != status:
                wrong.append(f"POST {url} ({url_name}) {persona}: expected {status}, got {response.status_code}")
            elif (
                status == REDIRECT
                and persona == "anonymous"
                and not response.headers["Location"].startswith(reverse("account_login"))
            ):
                wrong.append(f"POST {url} ({url_name}) anonymous: not sent to the login page")
            if snapshot() != before:
                wrong.append(f"POST {url} ({url_name}) {persona}: the audit trail or the ledger changed")
    assert not wrong, "\n".join(wrong)


def test_another_providers_session_rows_are_refused_one_by_one(world):
    users, objects = world
    from welfare.api.tests.test_v1 import bearer

    _kwargs, body, _expected = WRITES["api-v1:post_sessions"]
    before = snapshot()
    response = Client().post(reverse("api-v1:post_sessions"), resolve(body, objects), content_type="application/json",
                             HTTP_IDEMPOTENCY_KEY="k", **bearer(users["rita"]))  # fmt: skip
    assert response.status_code == 200
    assert [row["errors"][0]["code"] for row in response.json()["results"]] == ["not_found"]
    assert snapshot()[1:] == before[1:]  # the ledger: nothing moved (the token's creation is audited)


def test_every_post_endpoint_is_in_the_write_matrix(world):
    """Every view that accepts POST is listed above (or is one of allauth's account pages)."""
    users, objects = world
    client = Client()
    client.force_login(users["enzo"])  # logged in, and a GET-only view answers a POST with 405
    missing = []
    for name in url_names():
        if name in WRITES or name in ACCOUNT_PAGES or name.startswith(("hsds:", "api-v1:")):
            continue
        kwargs = MATRIX[name][0]
        response = client.post(reverse(name, kwargs=resolve(kwargs, objects)), {})
        if response.status_code != 405:
            missing.append(name)
    assert not missing, f"These views accept POST: add them to WRITES: {missing}"


def test_every_api_write_is_in_the_write_matrix(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        f"api-v1:{operation['operationId'].removeprefix('welfare_api_v1_')}"
        for methods in schema["paths"].values()
        for method, operation in methods.items()
        if method == "post"
    }
    assert operations
    assert not sorted(operations - set(WRITES))


def test_no_staff_write_goes_through_without_a_second_factor(world):
    """Every page that accepts POST in the personal area, posted by every staff persona logged in without a second
    factor: nothing is done, nothing is recorded."""
    from conftest import plain_force_login
    from welfare.portal.tests.test_permission_matrix import STAFF_PERSONAS

    users, objects = world
    wrong = []
    for url_name, (kwargs, body, _expected) in WRITES.items():
        url = reverse(url_name, kwargs=resolve(kwargs, objects))
        if not url.startswith("/area-riservata/"):
            continue
        for persona in STAFF_PERSONAS:
            client = Client()
            plain_force_login(client, users[persona])
            before = snapshot()
            response = client.post(url, resolve(body, objects))
            if response.status_code != REDIRECT or not response.url.startswith(reverse("mfa_activate_totp")):
                wrong.append(f"{url_name} {persona}: {response.status_code}")
            if snapshot() != before:
                wrong.append(f"{url_name} {persona}: the audit trail or the ledger changed")
    assert not wrong, "; ".join(wrong)
