"""The second factor and the session limits of staff, in one place: whether this session was opened (or confirmed)
with a TOTP code, whether the person has set TOTP up, and whether the staff session has run out."""

import time
from collections.abc import Callable
from typing import cast

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from welfare.accounts.models import User

SINCE, SEEN = "staff_since", "staff_seen"


def has_totp(user: User) -> bool:
    found: bool = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return found


def has_second_factor(request: HttpRequest, user: User) -> bool:
    """This session proved a second factor: at login, at a confirmation (reauthentication), or on setting it up."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def record_second_factor(request: HttpRequest, user: User, authenticator: Authenticator) -> None:
    """Setting TOTP up proves the code: the session counts as opened with a second factor."""
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


def session_ended(request: HttpRequest, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    since, seen = request.session.get(SINCE), request.session.get(SEEN)
    if since is None or seen is None:
        return False
    idle: int = settings.STAFF_IDLE_SECONDS
    longest: int = settings.STAFF_SESSION_SECONDS
    return bool(now - seen > idle or now - since > longest)


def staff_seen(request: HttpRequest, every: int) -> None:
    now = time.time()
    request.session.setdefault(SINCE, now)
    if now - request.session.get(SEEN, 0) >= every:
        request.session[SEEN] = now


def confirmed_recently[V: Callable[..., HttpResponse]](view: V) -> V:
    """A page that decrypts notes or moves money: the person confirms their password or code if they have not done
    so within ACCOUNT_REAUTHENTICATION_TIMEOUT (allauth asks, then brings them back)."""
    return cast(V, reauthentication_required(view))


def changes_confirmed_recently[V: Callable[..., HttpResponse]](view: V) -> V:
    """The same for the changes a page sends (POST); reading it needs no confirmation."""
    return cast(V, reauthentication_required(view, allow_get=True))
