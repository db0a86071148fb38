"""Every URL pattern × every persona, with the status each must get on GET.

A new URL pattern fails `test_every_url_pattern_is_in_the_matrix` until it is added here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS

ALL = set(PERSONAS)
LOGGED_IN = ALL - {"anonymous"}

OK, REDIRECT, FORBIDDEN, NOT_ALLOWED, NOT_FOUND = 200, 302, 403, 405, 404


def public(status: int = OK) -> dict[str, int]:
    return dict.fromkeys(ALL, status)


LOGIN_REQUIRED = {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, OK)


def role_only(*holders: str) -> dict[str, int]:
    return {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, FORBIDDEN) | dict.fromkeys(holders, OK)


def anonymous_only() -> dict[str, int]:
    """allauth's entrance pages: logged-in users are sent on to their area."""
    return {"anonymous": OK} | dict.fromkeys(LOGGED_IN, REDIRECT)


# url name -> (kwargs for reverse, expected status per persona)
MATRIX: dict[str, tuple[dict[str, str], dict[str, int]]] = {
    "portal:home": ({}, public()),
    "portal:social_points": ({}, public()),
    "portal:privacy": ({}, public()),
    "portal:accessibility": ({}, public()),
    "portal:set_language": ({}, public(NOT_ALLOWED)),  # POST only
    "portal:healthz": ({}, public()),
    "accounts:home": ({}, LOGIN_REQUIRED),
    "accounts:profile": ({}, LOGIN_REQUIRED),
    "accounts:operator_dashboard": ({}, role_only("olga")),
    "accounts:provider_dashboard": ({}, role_only("pietro", "rita")),
    "accounts:social_worker_dashboard": ({}, role_only("sofia", "vittorio")),
    "accounts:district_dashboard": ({}, role_only("diana")),
    "accounts:employer_dashboard": ({}, role_only("enzo")),
    "account_login": ({}, anonymous_only()),
    "account_signup": ({}, anonymous_only()),
    "account_logout": ({}, {"anonymous": REDIRECT} | dict.fromkeys(LOGGED_IN, OK)),  # a confirmation page
    "account_inactive": ({}, public()),
    "account_reauthenticate": ({}, LOGIN_REQUIRED),
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


CASES = [(name, persona) for name in MATRIX for persona in PERSONAS]


@pytest.mark.parametrize(("url_name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_permission(url_name, persona, persona_client, olga, pietro, rita, sofia, vittorio, diana, enzo, alice, bob):
    kwargs, expected = MATRIX[url_name]
    response = persona_client(persona).get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == expected[persona], (
        f"{persona} GET {url_name}: expected {expected[persona]}, got {response.status_code}"
    )
    if expected is LOGIN_REQUIRED and persona == "anonymous":
        assert response.headers["Location"].startswith(reverse("account_login"))
