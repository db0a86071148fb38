"""Every URL pattern × every persona, with the status each must get on GET.

A new URL pattern fails `test_every_url_pattern_is_in_the_matrix` until it is added here.
"""

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import (
    PERSONAS,
    TRADATE,
    active_voucher_request,
    close_response,
    close_window,
    make_application,
    make_programme,
)
from welfare.accounts.models import User
from welfare.assistance.actions import do_book_appointment, do_record_interview, do_request_rectification
from welfare.assistance.slots import free_slots
from welfare.care.actions import do_attach, do_submit_request
from welfare.delivery.actions import SessionInput, do_confirm_session, do_generate_statement, do_log_session
from welfare.finder.actions import do_save_finder_rule
from welfare.operations.heartbeat import beat
from welfare.territory.actions import do_add_opening_exception
from welfare.territory.models import SocialPoint
from welfare.territory.queries import current_district

ALL = set(PERSONAS)
LOGGED_IN = ALL - {"anonymous"}

OK, REDIRECT, FORBIDDEN, NOT_ALLOWED, NOT_FOUND, BAD_REQUEST = 200, 302, 403, 405, 404, 400


def public(status: int = OK) -> dict[str, int]:
    return dict.fromkeys(ALL, status)


LOGIN_REQUIRED = {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, OK)


def role_only(*holders: str) -> dict[str, int]:
    return {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, FORBIDDEN) | dict.fromkeys(holders, OK)


def anonymous_only() -> dict[str, int]:
    """allauth's entrance pages: logged-in users are sent on to their area."""
    return {"anonymous": OK} | dict.fromkeys(LOGGED_IN, REDIRECT)


UNAUTHENTICATED = 401


def api_role_only(*holders: str) -> dict[str, int]:
    return {"anonymous": UNAUTHENTICATED} | dict.fromkeys(LOGGED_IN, FORBIDDEN) | dict.fromkeys(holders, OK)


def staff_of_provider_a() -> dict[str, int]:
    """A service of pietro's cooperative: rita (another provider) must not know it exists."""
    return role_only("pietro") | {"rita": NOT_FOUND}


def post_only_for_logged_in() -> dict[str, int]:
    return {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, NOT_ALLOWED)


def term(code):
    from welfare.catalogue.models import TaxonomyTerm

    return TaxonomyTerm.objects.get(code=code)


def application_token(application):
    from welfare.network.actions import application_path

    return application_path(application).rstrip("/").rsplit("/", 1)[-1]


def olgas_role():
    from welfare.accounts.models import Membership

    return Membership.objects.get(user__email="olga@example.org")


def confirmation_token(c):
    from django.core import signing

    from welfare.assistance.actions import CONFIRMATION_SALT

    return signing.dumps(str(c.appointment.pk), salt=CONFIRMATION_SALT)


def service_id(c):
    return {"service_id": c.educativa.pk}


def request_id(c):
    return {"request_id": c.request.pk}


STAFF = LOGGED_IN - {"alice", "bob"}  # staff personas have no resident profile


def only_alice() -> dict[str, int]:
    """Alice's own things: everyone else, the neighbour bob included, must not know they exist."""
    return {"anonymous": REDIRECT, "alice": OK} | dict.fromkeys(LOGGED_IN - {"alice"}, NOT_FOUND)


def employer_id(c):
    return {"employer_id": c.employer.pk}


def application_id(c):
    return {"application_id": c.application.pk}


def programme_id(c):
    return {"programme_id": c.programme.pk}


def statement_id(c):
    return {"statement_id": c.statement.pk}


# url name -> (kwargs for reverse, or a function of the `catalogue` fixture giving them; status per persona)
MATRIX: dict[str, tuple[Any, dict[str, int]]] = {
    "portal:home": ({}, public()),
    "portal:social_points": ({}, public()),
    "portal:privacy": ({}, public()),
    "portal:accessibility": ({}, public()),
    "portal:set_language": ({}, public(NOT_ALLOWED)),  # POST only
    "portal:healthz": ({}, public()),  # the world's worker and scheduler have just shown they are alive
    "portal:healthz_web": ({}, public()),
    "accounts:home": ({}, LOGIN_REQUIRED),
    "accounts:profile": ({}, LOGIN_REQUIRED),
    "accounts:provider_dashboard": ({}, role_only("pietro", "rita")),
    "accounts:social_worker_dashboard": ({}, role_only("sofia", "vittorio")),
    "accounts:district_dashboard": ({}, role_only("diana")),
    "accounts:employer_dashboard": ({}, role_only("enzo")),
    # Welfare aziendale: alice is an employee of enzo's company; the neighbouring officer is in employers' tests
    "employers:wallets": ({}, LOGIN_REQUIRED),
    # Outreach: a report about someone in Tradate is sofia's (Tradate's social worker) and nobody else's
    "outreach:tasks": ({}, role_only("olga", "sofia", "vittorio", "diana")),
    "outreach:task": (
        lambda c: {"task_id": c.task.pk},
        {"anonymous": REDIRECT, "sofia": OK} | dict.fromkeys(LOGGED_IN - {"sofia"}, NOT_FOUND),
    ),
    "outreach:rules": ({}, role_only("diana")),
    "outreach:rule": (lambda c: {"rule_id": c.signal_rule.pk}, role_only("diana")),
    "outreach:campaigns": ({}, role_only("diana")),
    "outreach:campaign": (lambda c: {"campaign_id": c.campaign.pk}, role_only("diana")),
    "outreach:heat": ({}, role_only("diana")),
    "outreach:report": ({}, public()),
    # Reviews: alice's request is not done yet, so her rating page sends her back to it
    "care:review": (
        request_id,
        {"anonymous": REDIRECT, "alice": REDIRECT} | dict.fromkeys(LOGGED_IN - {"alice"}, NOT_FOUND),
    ),
    "care:review_reply": (lambda c: {"request_id": c.voucher_request.pk}, post_only_for_logged_in()),
    "care:reviews_moderation": ({}, role_only("diana")),
    "care:complaint_new": ({}, public()),
    "care:my_complaints": ({}, LOGIN_REQUIRED),
    "care:provider_complaints": ({}, role_only("pietro", "rita")),
    "care:provider_complaint": (lambda c: {"complaint_id": c.complaint.pk}, staff_of_provider_a()),
    "care:admin_complaints": ({}, role_only("diana")),
    "care:review_hide": (lambda c: {"review_id": c.review.pk}, post_only_for_logged_in()),
    # Figures: the planning office (district), social workers (their municipality), providers (their services)
    "impact:dashboard": ({}, role_only("diana", "sofia", "vittorio", "pietro", "rita")),
    "impact:export": (
        {"key": "requests", "extension": "csv"},
        role_only("diana", "sofia", "vittorio", "pietro", "rita"),
    ),
    "impact:open_data": ({}, public()),
    "impact:open_data_json": ({}, public()),
    "impact:open_data_csv": ({"key": "reach"}, public()),
    "outreach:letters": ({}, role_only("olga")),
    "outreach:letters_pdf": ({}, role_only("olga") | {"olga": NOT_FOUND}),  # no letter waits in this world
    "outreach:call_me": ({}, {"anonymous": REDIRECT, "alice": OK, "bob": OK} | dict.fromkeys(STAFF, REDIRECT)),
    "employers:claim_new": ({}, only_alice()),
    "employers:officer_home": (employer_id, role_only("enzo")),
    "employers:officer_employees": (employer_id, role_only("enzo")),
    "employers:officer_roster_template": (employer_id, role_only("enzo")),
    "employers:officer_employee_end": (
        lambda c: employer_id(c) | {"employee_id": c.employee.pk},
        post_only_for_logged_in(),
    ),
    "employers:officer_plans": (employer_id, role_only("enzo")),
    "employers:officer_plan": (lambda c: employer_id(c) | {"plan_id": c.plan.pk}, role_only("enzo")),
    "employers:officer_claims": (employer_id, role_only("enzo")),
    "employers:officer_claim": (lambda c: employer_id(c) | {"claim_id": c.claim.pk}, role_only("enzo")),
    "employers:officer_claim_file": (
        lambda c: employer_id(c) | {"claim_id": c.claim.pk, "which": "ricevuta"},
        role_only("enzo"),
    ),
    "employers:officer_payroll": (employer_id, role_only("enzo")),
    "employers:officer_payroll_csv": (
        lambda c: employer_id(c) | {"month": f"{timezone.localdate():%Y-%m}"},
        role_only("enzo"),
    ),
    "employers:admin_employers": ({}, role_only("diana")),
    "employers:admin_employer": (employer_id, role_only("diana")),
    "account_login": ({}, anonymous_only()),
    "account_signup": ({}, anonymous_only()),
    "account_logout": ({}, {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, OK)),  # a confirmation page
    "account_inactive": ({}, public()),
    "account_reauthenticate": ({}, LOGIN_REQUIRED),
    # allauth's second factor, on the logged-in person's own account only (nobody here has set it up yet)
    "mfa_index": ({}, LOGIN_REQUIRED),
    "mfa_authenticate": ({}, public(REDIRECT)),  # only within a login that asked for the code
    "mfa_reauthenticate": ({}, public(REDIRECT)),  # only for someone who has a second factor
    "mfa_activate_totp": ({}, LOGIN_REQUIRED),
    "mfa_deactivate_totp": ({}, {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, NOT_FOUND)),
    "mfa_view_recovery_codes": ({}, {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, NOT_FOUND)),
    "mfa_generate_recovery_codes": ({}, LOGIN_REQUIRED),
    "mfa_download_recovery_codes": ({}, {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, NOT_FOUND)),
    "account_email": ({}, LOGIN_REQUIRED),
    "account_email_verification_sent": ({}, public()),
    "account_change_password": ({}, LOGIN_REQUIRED),
    "account_set_password": ({}, {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, REDIRECT)),  # all have one
    "account_reset_password": ({}, public()),
    "account_reset_password_done": ({}, public()),
    "account_reset_password_from_key_done": ({}, public()),
    "account_confirm_login_code": ({}, public(REDIRECT)),  # login by code is off
    # An unknown key shows the "link expired" page, to everyone.
    "account_confirm_email": ({"key": "not-a-real-key"}, public()),
    "account_reset_password_from_key": ({"uidb36": "zz", "key": "not-a-real-key"}, public()),
    # Catalogue
    "catalogue:search": ({}, public()),
    "catalogue:service_detail": (service_id, public()),
    "catalogue:organization_detail": (lambda c: {"organization_id": c.educativa.organization_id}, public()),
    "catalogue:staff_services": ({}, role_only("pietro", "rita")),
    "catalogue:staff_service_new": ({}, role_only("pietro", "rita")),
    "catalogue:staff_service_edit": (service_id, staff_of_provider_a()),
    "catalogue:staff_service_submit": (service_id, post_only_for_logged_in()),
    "catalogue:moderation_queue": ({}, role_only("diana")),
    "catalogue:moderation_review": (lambda c: {"service_id": c.submitted.pk}, role_only("diana")),
    # Requests: the citizen who asked and the provider asked, nobody else (not even the neighbour)
    "care:request_new": (service_id, {"anonymous": REDIRECT, "alice": OK, "bob": OK} | dict.fromkeys(STAFF, REDIRECT)),
    "portal:timeline": ({}, LOGIN_REQUIRED),
    "care:citizen_request": (
        request_id,
        {"anonymous": REDIRECT, "alice": OK} | dict.fromkeys(LOGGED_IN - {"alice"}, 404),
    ),
    "care:citizen_message": (request_id, post_only_for_logged_in()),
    "care:citizen_request_action": (lambda c: request_id(c) | {"action": "confirm"}, post_only_for_logged_in()),
    "care:attachment": (
        lambda c: {"attachment_id": c.attachment.pk},
        {"anonymous": REDIRECT, "alice": OK, "pietro": OK} | dict.fromkeys(LOGGED_IN - {"alice", "pietro"}, NOT_FOUND),
    ),
    "care:provider_inbox": ({}, role_only("pietro", "rita")),
    "care:provider_request": (request_id, staff_of_provider_a()),
    "care:provider_message": (request_id, post_only_for_logged_in()),
    "care:provider_request_action": (lambda c: request_id(c) | {"action": "propose"}, post_only_for_logged_in()),
    "accounts:household": ({}, {"anonymous": REDIRECT, "alice": OK, "bob": OK} | dict.fromkeys(STAFF, REDIRECT)),
    "accounts:household_remove": ({"member_id": 1}, post_only_for_logged_in()),
    "accounts:api_tokens": (
        {},
        role_only("olga", "pietro", "rita", "sofia", "vittorio", "diana", "enzo"),
    ),  # staff and providers only
    "accounts:api_token_revoke": ({"token_id": 1}, post_only_for_logged_in()),
    "accounts:delegations": ({}, {"anonymous": REDIRECT, "alice": OK, "bob": OK} | dict.fromkeys(STAFF, REDIRECT)),
    "accounts:delegation_revoke": ({"delegation_id": 1}, post_only_for_logged_in()),
    "accounts:act_for": ({}, LOGIN_REQUIRED),
    "accounts:act_stop": ({}, post_only_for_logged_in()),
    "accounts:take_over": ({}, public()),
    # SPID and CIE (welfare/spid): the metadata is public, the start lists the providers to the anonymous visitor,
    # the answer comes by POST, the pages that finish a first login need a login in progress (else: the login page).
    "spid:metadata": ({"federation": "spid"}, public()),
    "spid:login": ({"federation": "cie"}, public(REDIRECT)),  # to the only provider, or on to their area
    "spid:acs": ({"federation": "spid"}, public(NOT_ALLOWED)),
    "spid:logout": ({"federation": "spid"}, public(BAD_REQUEST)),  # nothing without a signed LogoutRequest
    "spid:confirm": ({}, public(REDIRECT)),
    "spid:register": ({}, public(REDIRECT)),
    "spid:reopen": ({}, public(REDIRECT)),
    "spid:test_idp_sso": ({}, public(BAD_REQUEST)),  # not an AuthnRequest
    "spid:test_idp_metadata": ({}, public()),
    # Social Points: operators of the Social Point; the resident for their own interviews
    "assistance:console": ({}, role_only("olga")),
    "assistance:residents": ({}, role_only("olga")),
    "assistance:resident_new": ({}, role_only("olga")),
    # bob consented in an interview at olga's Social Point; alice did not, so olga must not see her
    "assistance:resident": (lambda c: {"profile_id": c.interview.resident_id}, role_only("olga")),
    "assistance:activation_letter": (lambda c: {"profile_id": c.interview.resident_id}, post_only_for_logged_in()),
    "assistance:interview_new": ({}, post_only_for_logged_in()),
    "assistance:interview": (lambda c: {"interview_id": c.interview.pk}, role_only("olga")),
    "finder:interview_finder": (lambda c: {"interview_id": c.interview.pk}, role_only("olga")),
    "assistance:interview_consent_withdraw": (lambda c: {"interview_id": c.interview.pk}, post_only_for_logged_in()),
    "assistance:agenda": ({}, role_only("olga")),
    "assistance:walk_in": ({}, post_only_for_logged_in()),
    "assistance:points": ({}, role_only("diana")),
    "assistance:point_new": ({}, role_only("diana")),
    "assistance:point_edit": ({"slug": "tradate-centro"}, role_only("diana")),
    "assistance:point_open": ({"slug": "tradate-centro"}, post_only_for_logged_in()),
    "assistance:point_hours": ({"slug": "tradate-centro"}, role_only("diana", "olga")),
    "assistance:point_exception_remove": (
        lambda c: {"slug": "tradate-centro", "exception_id": c.opening_exception.pk},
        post_only_for_logged_in(),
    ),
    "assistance:point_notes": ({"slug": "tradate-centro"}, post_only_for_logged_in()),
    "assistance:book_for": ({}, role_only("olga")),
    "assistance:appointment_action": (
        lambda c: {"appointment_id": c.appointment.pk, "action": "presente"},
        post_only_for_logged_in(),
    ),
    "assistance:my_interviews": ({}, LOGIN_REQUIRED),
    "assistance:my_consent_withdraw": (lambda c: {"interview_id": c.interview.pk}, post_only_for_logged_in()),
    "portal:consents": ({}, LOGIN_REQUIRED),
    # one's own resident account; staff accounts (no resident profile) are closed by the planning office
    "portal:close_account": ({}, {"anonymous": REDIRECT, "alice": OK, "bob": OK} | dict.fromkeys(STAFF, NOT_FOUND)),
    # residents ask to correct their data; staff without a resident profile are sent to add one
    "assistance:my_rectifications": (
        {},
        {"anonymous": REDIRECT, "alice": OK, "bob": OK} | dict.fromkeys(STAFF, REDIRECT),
    ),
    # bob's request goes to olga's Social Point (it follows him)
    "assistance:rectification": (lambda c: {"rectification_id": c.rectification.pk}, role_only("olga")),
    "assistance:my_interview": (
        lambda c: {"interview_id": c.interview.pk},
        {"anonymous": REDIRECT, "bob": OK} | dict.fromkeys(LOGGED_IN - {"bob"}, NOT_FOUND),
    ),
    "assistance:book": ({"slug": "tradate-centro"}, public()),
    "assistance:booking_done": (lambda c: {"appointment_id": c.appointment.pk}, public()),
    "assistance:booking_confirm": (
        lambda c: {"appointment_id": c.appointment.pk, "token": confirmation_token(c)},
        public(),
    ),
    # Needs finder: public; its rules belong to the planning office
    "finder:finder": ({}, public()),
    "finder:summary_pdf": ({}, public(NOT_ALLOWED)),
    "finder:rules": ({}, role_only("diana")),
    "finder:rule_new": ({}, role_only("diana")),
    "finder:rule_edit": (lambda c: {"rule_id": c.rule.pk}, role_only("diana")),
    # Vouchers: programmes and published rankings are public; an application and its voucher belong to the
    # family; the social worker of the family's municipality (sofia, not vittorio) assesses; the planning
    # office runs programmes, rankings and accreditation; providers apply for accreditation.
    "vouchers:programmes": ({}, public()),
    "vouchers:verify": ({}, public()),
    "vouchers:programme": (lambda c: {"slug": c.programme.slug}, public()),
    "vouchers:public_ranking": (lambda c: {"slug": c.programme.slug, "istat_code": TRADATE}, public()),
    "vouchers:apply": (
        lambda c: {"slug": c.open_programme.slug},
        {"anonymous": REDIRECT, "alice": OK, "bob": OK} | dict.fromkeys(STAFF, REDIRECT),
    ),
    "vouchers:mine": ({}, LOGIN_REQUIRED),
    "vouchers:application": (application_id, only_alice()),
    "vouchers:application_document_add": (application_id, post_only_for_logged_in()),
    "vouchers:application_withdraw": (application_id, post_only_for_logged_in()),
    "vouchers:application_document": (
        lambda c: {"document_id": c.application.documents.get().pk},
        only_alice() | {"sofia": OK, "diana": OK},
    ),
    "vouchers:voucher": (lambda c: {"voucher_id": c.voucher.pk}, only_alice()),
    "vouchers:voucher_pdf": (lambda c: {"voucher_id": c.voucher.pk}, only_alice()),
    "vouchers:assessment_queue": ({}, role_only("sofia", "vittorio")),
    "vouchers:assessment": (application_id, role_only("sofia") | {"vittorio": NOT_FOUND}),
    "vouchers:admin_programmes": ({}, role_only("diana")),
    "vouchers:admin_programme_new": ({}, role_only("diana")),
    "vouchers:admin_programme": (programme_id, role_only("diana")),
    "vouchers:admin_programme_edit": (programme_id, role_only("diana") | {"diana": REDIRECT}),  # published: fixed
    "vouchers:admin_programme_publish": (programme_id, post_only_for_logged_in()),
    "vouchers:admin_vouchers_export": (lambda c: programme_id(c) | {"fmt": "csv"}, role_only("diana")),
    "vouchers:admin_ranking": (lambda c: programme_id(c) | {"istat_code": TRADATE}, role_only("diana")),
    "vouchers:admin_ranking_export": (
        lambda c: programme_id(c) | {"istat_code": TRADATE, "fmt": "xlsx"},
        role_only("diana"),
    ),
    "vouchers:admin_ranking_action": (
        lambda c: programme_id(c) | {"istat_code": TRADATE, "action": "emetti"},
        post_only_for_logged_in(),
    ),
    "vouchers:admin_voucher_cancel": (lambda c: {"voucher_id": c.voucher.pk}, post_only_for_logged_in()),
    "vouchers:admin_calls": ({}, role_only("diana")),
    "vouchers:admin_call": (lambda c: {"call_id": c.call.pk}, role_only("diana")),
    "vouchers:admin_accreditation": (lambda c: {"accreditation_id": c.accreditation.pk}, role_only("diana")),
    "vouchers:provider_accreditations": ({}, role_only("pietro", "rita")),
    "vouchers:provider_accreditation_apply": (lambda c: {"call_id": c.call.pk}, role_only("pietro", "rita")),
    # Delivered sessions: the provider that delivered (pietro, not rita), the family answers by POST,
    # statements for the provider and the planning office.
    "delivery:provider_sessions": (lambda c: {"request_id": c.voucher_request.pk}, role_only("pietro") | {"rita": 404}),
    "delivery:session_correct": (lambda c: {"session_id": c.session.pk}, role_only("pietro") | {"rita": NOT_FOUND}),
    "delivery:provider_session_action": (
        lambda c: {"session_id": c.session.pk, "action": "ritira"},
        post_only_for_logged_in(),
    ),
    "delivery:citizen_session_action": (
        lambda c: {"session_id": c.session.pk, "action": "conferma"},
        post_only_for_logged_in(),
    ),
    "delivery:provider_statements": ({}, role_only("pietro", "rita")),
    "delivery:provider_statement": (statement_id, role_only("pietro") | {"rita": NOT_FOUND}),
    "delivery:statement_export": (
        lambda c: statement_id(c) | {"fmt": "pdf"},
        {"anonymous": REDIRECT, "pietro": OK, "diana": OK} | dict.fromkeys(LOGGED_IN - {"pietro", "diana"}, NOT_FOUND),
    ),
    "delivery:admin_statements": ({}, role_only("diana")),
    "delivery:admin_statement": (statement_id, role_only("diana")),
    # Private API: session or token; the same rules as the pages, in JSON
    "api-v1:openapi-json": ({}, public()),
    "api_docs_hsds": ({}, public()),
    "api_docs_v1": ({}, public()),
    "hsds_dump": ({}, public()),
    "api-v1:api-root": ({}, public(NOT_FOUND)),
    "api-v1:my_requests": ({}, {"anonymous": UNAUTHENTICATED} | dict.fromkeys(LOGGED_IN, OK)),
    "api-v1:my_request": (
        request_id,
        {"anonymous": UNAUTHENTICATED, "alice": OK} | dict.fromkeys(LOGGED_IN - {"alice"}, NOT_FOUND),
    ),
    "api-v1:my_messages": (
        request_id,
        {"anonymous": UNAUTHENTICATED, "alice": OK} | dict.fromkeys(LOGGED_IN - {"alice"}, NOT_FOUND),
    ),
    "api-v1:my_message_post": (
        request_id,
        {"anonymous": UNAUTHENTICATED, "alice": OK} | dict.fromkeys(LOGGED_IN - {"alice"}, NOT_FOUND),
    ),
    "api-v1:my_confirm": (request_id, public(NOT_ALLOWED)),
    "api-v1:my_withdraw": (request_id, public(NOT_ALLOWED)),
    "api-v1:inbox": ({}, api_role_only("pietro", "rita")),
    "api-v1:inbox_request": (request_id, api_role_only("pietro") | {"rita": NOT_FOUND}),
    "api-v1:inbox_messages": (request_id, api_role_only("pietro") | {"rita": NOT_FOUND}),
    "api-v1:inbox_message_post": (request_id, api_role_only("pietro") | {"rita": NOT_FOUND}),
    "api-v1:inbox_propose": (request_id, public(NOT_ALLOWED)),
    "api-v1:inbox_reject": (request_id, public(NOT_ALLOWED)),
    "api-v1:inbox_start": (request_id, public(NOT_ALLOWED)),
    "api-v1:inbox_complete": (request_id, public(NOT_ALLOWED)),
    "api-v1:my_vouchers": ({}, {"anonymous": UNAUTHENTICATED} | dict.fromkeys(LOGGED_IN, OK)),
    "api-v1:acting_for": ({}, {"anonymous": UNAUTHENTICATED} | dict.fromkeys(LOGGED_IN, OK)),
    "api-v1:issue_vouchers": (lambda c: programme_id(c) | {"istat_code": TRADATE}, public(NOT_ALLOWED)),
    "api-v1:cancel_voucher": (lambda c: {"voucher_id": c.voucher.pk}, public(NOT_ALLOWED)),
    "api-v1:upload_employees": (employer_id, public(NOT_ALLOWED)),
    "api-v1:payroll_export": (
        lambda c: employer_id(c) | {"month": f"{timezone.localdate():%Y-%m}"},
        api_role_only("enzo"),
    ),
    "api-v1:post_sessions": ({}, api_role_only("pietro", "rita")),  # same path as list_sessions: GET lists
    "api-v1:list_sessions": ({}, api_role_only("pietro", "rita")),
    "api-v1:correct_session": (lambda c: {"session_id": c.session.pk}, public(NOT_ALLOWED)),
    "api-v1:list_statements": ({}, api_role_only("pietro", "rita")),
    "portal:district_details": ({}, role_only("diana")),
    "network:people": ({}, role_only("diana")),
    "network:apply": ({}, public()),
    "network:application": (
        lambda c: {"application_id": c.provider_application.pk, "token": application_token(c.provider_application)},
        public(),
    ),  # its link
    "network:applications": ({}, role_only("diana")),
    "network:municipal_services": ({}, post_only_for_logged_in()),
    "network:application_review": (lambda c: {"application_id": c.provider_application.pk}, role_only("diana")),
    "catalogue:admin_terms": ({}, role_only("diana")),
    "catalogue:admin_term": (lambda c: {"term_id": term("centri-estivi").pk}, role_only("diana")),
    "catalogue:admin_term_retire": (
        lambda c: {"term_id": term("centri-estivi").pk},
        post_only_for_logged_in(),
    ),  # and a provider's own administrator (welfare/network/tests)
    "network:membership_revoke": (lambda c: {"membership_id": olgas_role().pk}, post_only_for_logged_in()),
    "network:person_active": (lambda c: {"person_id": olgas_role().user_id}, post_only_for_logged_in()),
    "portal:district_logo_upload": ({}, post_only_for_logged_in()),
    "portal:pages": ({}, public()),
    "portal:page": (lambda c: {"slug": c.district_page.slug}, public()),  # published
    "portal:admin_pages": ({}, role_only("diana")),
    "portal:admin_page_new": ({}, role_only("diana")),
    "portal:admin_page": (lambda c: {"page_id": c.district_page.pk}, role_only("diana")),
    "portal:admin_page_publish": (lambda c: {"page_id": c.district_page.pk}, post_only_for_logged_in()),
    "portal:district_logo": ({"digest": "0123456789abcdef"}, public(NOT_FOUND)),  # no logo in the world
    "portal:my_data": ({}, LOGIN_REQUIRED),
    # alice's copy of her data: nobody else's, and not even hers once it expired
    "portal:my_data_download": (
        lambda c: {"export_id": c.data_export.pk},
        {"anonymous": REDIRECT, "alice": OK} | dict.fromkeys(LOGGED_IN - {"alice"}, NOT_FOUND),
    ),
    # Family assistants: public explanation and simulator; the assistant's own listing; the family's own need; the
    # desks' register (olga's Social Point; diana reads); the planning office's data.
    "family_assistants:info": ({}, public()),
    "family_assistants:simulator": ({}, public()),
    "family_assistants:mine": ({}, public(REDIRECT)),  # no listing yet: on to the application
    "family_assistants:apply": ({}, LOGIN_REQUIRED),
    "family_assistants:training_new": ({}, {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, NOT_FOUND)),
    "family_assistants:experience_new": ({}, {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, NOT_FOUND)),
    "family_assistants:training_remove": (lambda c: {"training_id": c.training.pk}, post_only_for_logged_in()),
    "family_assistants:experience_remove": (lambda c: {"experience_id": c.experience.pk}, post_only_for_logged_in()),
    "family_assistants:certificate": (
        lambda c: {"training_id": c.training.pk},
        {"anonymous": REDIRECT, "olga": OK, "diana": OK} | dict.fromkeys(LOGGED_IN - {"olga", "diana"}, NOT_FOUND),
    ),
    "family_assistants:proposal": (
        lambda c: {"proposal_id": c.assistant_proposal.pk},
        {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, NOT_FOUND),  # only Maria's
    ),
    "family_assistants:listing_action": ({"action": "ritira"}, post_only_for_logged_in()),
    "family_assistants:follow_up": (lambda c: {"need_id": c.need.pk}, post_only_for_logged_in()),
    "family_assistants:my_needs": ({}, LOGIN_REQUIRED),
    "family_assistants:my_need": (
        lambda c: {"need_id": c.need.pk},
        {"anonymous": REDIRECT, "bob": OK} | dict.fromkeys(LOGGED_IN - {"bob"}, NOT_FOUND),
    ),
    "family_assistants:register": ({}, role_only("olga", "diana")),
    "family_assistants:listing": (lambda c: {"listing_id": c.listing.pk}, role_only("olga", "diana")),
    "family_assistants:need_new": (lambda c: {"profile_id": c.need.resident_id}, role_only("olga")),
    "family_assistants:needs": ({}, role_only("olga")),
    "family_assistants:need": (lambda c: {"need_id": c.need.pk}, role_only("olga")),
    "family_assistants:need_outcome": (lambda c: {"need_id": c.need.pk}, post_only_for_logged_in()),
    "family_assistants:admin_requirements": ({}, role_only("diana")),
    "family_assistants:admin_tables": ({}, role_only("diana")),
    "family_assistants:admin_table": ({"year": 2026}, role_only("diana")),
    "family_assistants:admin_guide": ({}, role_only("diana")),
    "family_assistants:admin_guide_entry": (lambda c: {"entry_id": c.guide.pk}, role_only("diana")),
    # Open HSDS API: no login, published data only
    "hsds:api-root": ({}, public()),
    "hsds:about": ({}, public()),
    "hsds:openapi-json": ({}, public()),
    "hsds:services": ({}, public()),
    "hsds:service": (service_id, public()),
    "hsds:organizations": ({}, public()),
    "hsds:organization": (lambda c: {"organization_id": c.educativa.organization_id}, public()),
    "hsds:taxonomies": ({}, public()),
    "hsds:taxonomy": (lambda c: {"taxonomy_id": c.educativa.kinds.get().taxonomy_id}, public()),
    "hsds:taxonomy_terms": ({}, public()),
    "hsds:taxonomy_term": (lambda c: {"term_id": c.educativa.kinds.get().pk}, public()),
    "hsds:service_at_locations": ({}, public()),
    "hsds:service_at_location": (
        lambda c: {"service_at_location_id": c.educativa.service_at_locations.get().pk},
        public(),
    ),
}


def url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if pattern.namespace and namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name: name it and add it to the matrix"
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_pattern_is_in_the_matrix():
    missing = sorted(set(url_names()) - set(MATRIX))
    assert not missing, f"Add these URL patterns to the permission matrix: {missing}"


def test_the_matrix_names_no_url_that_does_not_exist():
    assert not sorted(set(MATRIX) - set(url_names()))


def voucher_objects(programme, alice, sofia, diana, accredited):
    """Alice applies, sofia assesses, the planning office ranks and issues: alice holds a voucher."""
    from welfare.territory.models import Municipality
    from welfare.vouchers.actions import (
        Decision,
        do_assess_application,
        do_compute_ranking,
        do_issue_vouchers,
        do_publish_ranking,
    )

    application = make_application(alice, programme, isee_cents=500_000)
    do_assess_application(application, actor=sofia, decision=Decision.APPROVE, need_score=50, notes="", reason="")
    close_window(programme)
    tradate = Municipality.objects.get(istat_code=TRADATE)
    do_compute_ranking(programme, tradate, actor=diana)
    do_publish_ranking(programme, tradate, actor=diana)
    (voucher,) = do_issue_vouchers(programme, tradate, actor=diana)
    pietro = User.objects.get(email="pietro@example.org")
    voucher_request = active_voucher_request(voucher, programme.kinds.get(code="adm").services.get(), pietro)
    session = do_log_session(voucher_request, actor=pietro, data=SessionInput(
        day=timezone.localdate(), starts_at=dt.time(15), ends_at=dt.time(16), operator="Marta", activity="Compiti",
    ))  # fmt: skip
    do_confirm_session(session, actor=alice)
    statement = do_generate_statement(pietro.memberships.get().organization, programme,
                                      timezone.localdate().replace(day=1), actor=pietro)  # fmt: skip
    return {
        "voucher_request": voucher_request, "session": session, "statement": statement,
        "programme": programme, "application": application, "voucher": voucher, "call": accredited.call,
        "accreditation": accredited.adm,
        "open_programme": make_programme(programme.district, {t.code: t for t in programme.kinds.all()}, slug="aperto"),
    }  # fmt: skip


def build_world(request, catalogue, programme, accredited):
    """The personas and one of everything they may or may not touch (alice's request, bob's interview…)."""
    users = {name: request.getfixturevalue(name) for name in PERSONAS if name != "anonymous"}
    alice = users["alice"]
    service_request = do_submit_request(actor=alice, service=catalogue.educativa, beneficiary=None, needs="Aiuto")
    document = SimpleUploadedFile("a.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    olga, bob = users["olga"], users["bob"]
    point = SocialPoint.objects.get(slug="tradate-centro")
    objects = SimpleNamespace(
        **vars(catalogue),
        request=service_request,
        attachment=do_attach(service_request, uploaded_by=alice, upload=document),
        interview=do_record_interview(
            actor=olga, social_point=point, resident=bob.citizen_profile, held_on=timezone.localdate(),
            need_areas=["elderly"], notes="", services=[], follow_up_on=None, outcome="open", consent_given=True,
        ),
        appointment=do_book_appointment(
            social_point=point, starts_at=free_slots(point)[0].starts_at, name="Visitatore", phone="0331 000000",
            confirmed=True,
        ),
        rule=do_save_finder_rule(current_district(), actor=None, fields={
            "name": "Prova", "reason_it": "Perché", "reason_en": "Because",
        }),
        **voucher_objects(programme, alice, users["sofia"], users["diana"], accredited),
        **welfare_objects(alice, users["enzo"]),
        **outreach_objects(alice, users["diana"]),
        **family_assistant_objects(bob, olga),
    )  # fmt: skip
    objects.__dict__.update(review_objects(objects.voucher_request))
    objects.data_export = data_export_of(alice)
    beat("worker"), beat("scheduler")
    objects.provider_application = provider_application()
    objects.district_page = district_page()
    objects.opening_exception = do_add_opening_exception(
        point, actor=None, first_day=timezone.localdate() + dt.timedelta(days=20),
        last_day=timezone.localdate() + dt.timedelta(days=20), reason="Prova")  # fmt: skip
    objects.rectification = do_request_rectification(bob.citizen_profile, actor=bob, about="identity",
                                                     details="La data di nascita è sbagliata")  # fmt: skip
    return users, objects


def district_page():
    from welfare.territory.actions import do_publish_district_page, do_save_district_page

    page = do_save_district_page(current_district(), actor=None, kind="guide", title_it="Come funziona il voucher",
                                 title_en="How the voucher works", body_it="Testo.", body_en="Text.")  # fmt: skip
    return do_publish_district_page(page, actor=None, published=True)


def provider_application():
    """A cooperative waiting to join the network."""
    from welfare.network.actions import do_apply_to_join
    from welfare.territory.models import Municipality

    return do_apply_to_join(
        district=current_district(),
        municipalities=[Municipality.objects.get(istat_code=TRADATE)],
        values={
            "legal_name": "Cooperativa La Quercia",
            "legal_form": "coop_a",
            "vat_number": "07654320121",
            "tax_code": "07654320121",
            "register": "runts",
            "register_number": "12345",
            "address": "Via Roma 3",
            "postal_code": "21049",
            "city": "Tradate",
            "email": "info@quercia.example.org",
            "phone": "0331 1",
            "description": "Educativa",
            "applicant_first_name": "Lucia",
            "applicant_last_name": "Verdi",
            "applicant_email": "lucia@quercia.example.org",
        },
    )


def outreach_objects(alice, diana):
    """A neighbour's report about someone in Tradate (for sofia, Tradate's social worker, only), the shipped signal
    rules, and a campaign listing alice."""
    from welfare.outreach.actions import Report, do_create_campaign, do_install_default_rules, do_report
    from welfare.outreach.models import SignalRule, Task
    from welfare.territory.models import Municipality

    do_install_default_rules()
    do_report(Report(what="Non la vedo da giorni", person="La signora del terzo piano", where="Via Roma 1",
                     municipality=Municipality.objects.get(istat_code=TRADATE), reporter=""))  # fmt: skip
    campaign = do_create_campaign(
        actor=diana, name="Caldo", source="ATS Insubria", legal_basis="art. 9.2.g GDPR",
        valid_from=timezone.localdate(), expires_on=timezone.localdate() + dt.timedelta(days=60),
        message="Chiama", text=f"codice_fiscale\n{alice.citizen_profile.codice_fiscale}\n",
    )  # fmt: skip
    return {"task": Task.objects.get(source="sentinel"), "signal_rule": SignalRule.objects.first(),
            "campaign": campaign}  # fmt: skip


def family_assistant_objects(bob, olga):
    """Maria, listed in the register by olga's desk with a certified course; bob (whom olga's Social Point follows)
    looking for a carer, Maria proposed; the seeded 2026 contract tables and hiring guide."""
    from welfare.family_assistants.actions import do_propose
    from welfare.family_assistants.models import Guide
    from welfare.family_assistants.tests.conftest import make_assistant, make_need

    maria = make_assistant("maria@example.org", "Maria", "Popescu", validator=olga)
    need = make_need(bob, olga)
    (proposal,) = do_propose(need, actor=olga, listings=[maria])
    return {"listing": maria, "training": maria.trainings.get(), "experience": maria.experiences.get(),
            "need": need, "assistant_proposal": proposal, "guide": Guide.objects.first()}  # fmt: skip


def data_export_of(alice):
    """alice's copy of her data, ready (written directly: building the real one renders a PDF, too slow for a world
    built for every URL; tests/test_personal_data.py builds real ones)."""
    from django.core.files.base import ContentFile

    from welfare.portal.models import PersonalDataExport

    now = timezone.now()
    export = PersonalDataExport(user=alice, ready_at=now, expires_at=now + dt.timedelta(days=7))
    export.file.save("dati.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    export.save()
    return export


def review_objects(voucher_request):
    """A rating of the voucher service (written directly: the request is not three months old in this world)."""
    from welfare.catalogue.models import Review

    review = Review.objects.create(request=voucher_request, service=voucher_request.service,
                                   organization=voucher_request.organization, punctuality=4, kindness=5,
                                   competence=4, would_recommend=True, comment="Puntuali")  # fmt: skip
    from welfare.care.complaints import do_file_complaint

    complaint = do_file_complaint(actor=voucher_request.requester, organization=voucher_request.organization,
                                  text="L'operatrice non è venuta", service=voucher_request.service)  # fmt: skip
    return {"review": review, "complaint": complaint}


def welfare_objects(alice, enzo):
    """Enzo's company: alice and five colleagues on the register, the year's plan published, a receipt of alice's
    waiting and one approved (in this month's payroll export)."""
    from welfare.employers.actions import do_decide_claim, do_submit_claim
    from welfare.employers.tests.conftest import plan_for, register
    from welfare.employers.tests.test_welfare import claim_input, pdf, wallet_of

    employer = enzo.memberships.get().employer
    register(employer, enzo, alice)
    plan = plan_for(employer, enzo)
    approved = do_submit_claim(wallet_of(alice, "f_ter"), actor=alice, data=claim_input(amount_cents=1000),
                               receipt=pdf(b"approvata"))  # fmt: skip
    do_decide_claim(approved, actor=enzo, approve=True)
    claim = do_submit_claim(wallet_of(alice, "f_ter"), actor=alice, data=claim_input(), receipt=pdf(b"in attesa"))
    return {"employer": employer, "plan": plan, "claim": claim, "employee": claim.employee}


def test_permission(request, catalogue, programme, accredited, settings, tmp_path):
    """Every URL, every persona GETs it with a fresh client; all mismatches are reported together.

    One world serves every URL (building it for each took 9 of CI's minutes per database): a GET changes nothing a
    later URL's answer depends on (reads leave audit entries only), and a URL that did would show up here."""
    settings.VAR_DIR = tmp_path
    users, objects = build_world(request, catalogue, programme, accredited)
    wrong = []
    for url_name, (kwargs, expected) in MATRIX.items():
        url = reverse(url_name, kwargs=kwargs(objects) if callable(kwargs) else kwargs)
        for persona in PERSONAS:
            client = Client()
            if persona != "anonymous":
                client.force_login(users[persona])
            response = client.get(url)
            close_response(response)  # a download holds its file open until closed
            if response.status_code != expected[persona]:
                wrong.append(
                    f"GET {url} ({url_name}) {persona}: expected {expected[persona]}, got {response.status_code}"
                )
            elif (
                expected is LOGIN_REQUIRED
                and persona == "anonymous"
                and not response.headers["Location"].startswith(reverse("account_login"))
            ):
                wrong.append(f"GET {url} ({url_name}) anonymous: not sent to the login page")
    assert not wrong, "\n".join(wrong)


STAFF_PERSONAS = ["olga", "pietro", "rita", "sofia", "vittorio", "diana", "enzo"]


def test_no_staff_page_opens_without_a_second_factor(request, catalogue, programme, accredited, settings, tmp_path):
    """Every URL of the personal area and of the private API, for every staff persona logged in without a second
    factor: sent to set up TOTP (the API: refused), whatever the page would have answered."""
    from conftest import plain_force_login

    settings.VAR_DIR = tmp_path
    users, objects = build_world(request, catalogue, programme, accredited)
    wrong = []
    for url_name, (kwargs, _expected) in MATRIX.items():
        url = reverse(url_name, kwargs=kwargs(objects) if callable(kwargs) else kwargs)
        if not url.startswith(("/area-riservata/", "/api/v1/")) or url_name == "api-v1:openapi-json":
            continue
        for persona in STAFF_PERSONAS:
            client = Client()
            plain_force_login(client, users[persona])
            response = client.get(url)
            close_response(response)
            if url.startswith("/api/v1/"):
                ok = response.status_code == 403
            else:
                ok = response.status_code == 302 and response.url.startswith(reverse("mfa_activate_totp"))
            if not ok:
                wrong.append(f"{url_name} {persona}: {response.status_code}")
    assert not wrong, "; ".join(wrong)
