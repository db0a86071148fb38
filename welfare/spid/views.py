"""SPID and CIE login: the metadata, the start (a signed AuthnRequest by HTTP-Redirect), the assertion consumer
service, the pages that finish a first login (link a password account, complete a registration), the logout
endpoint and, where it is on, the local test identity provider."""

import base64
import datetime as dt
import logging
import secrets
from typing import Any

import saml2
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.hashers import check_password
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from djangosaml2.cache import OutstandingQueriesCache
from djangosaml2.overrides import Saml2Client
from djangosaml2.utils import get_location
from djangosaml2.views import AssertionConsumerServiceView
from saml2.authn_context import requested_authn_context
from saml2.s_utils import sid
from saml2.saml import Issuer

from welfare.accounts.models import User
from welfare.lib.client_address import client_address
from welfare.lib.throttle import over_limit
from welfare.spid import test_idp
from welfare.spid.config import ENTITY_FORMAT, FEDERATIONS, Federation, level_class, sp_config
from welfare.spid.forms import CompleteRegistrationForm, ConfirmPasswordForm, ReopenForm, TestIdentityForm
from welfare.spid.identity import (
    SESSION_KEY,
    Identity,
    IdentityRefused,
    do_log_in_with_identity,
    do_register_with_identity,
    do_reopen_account,
    identity_from_attributes,
    what_to_do,
)
from welfare.spid.metadata import metadata_xml
from welfare.spid.providers import identity_providers
from welfare.spid.validation import Expected, Refused, anomaly_of, check_response

logger = logging.getLogger(__name__)
REQUEST_KEY = "spid_request"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def federation_or_404(slug: str) -> Federation:
    federation = FEDERATIONS.get(slug)
    if federation is None or not federation.enabled:
        raise Http404
    return federation


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):  # fmt: skip
        return value
    return reverse(settings.LOGIN_REDIRECT_URL)


@require_safe
def metadata(request: HttpRequest, federation: str) -> HttpResponse:
    return HttpResponse(metadata_xml(federation_or_404(federation)), content_type="application/samlmetadata+xml")


@never_cache
@require_safe
def login(request: HttpRequest, federation: str) -> HttpResponse:
    """Start: with ?idp= a signed AuthnRequest to that provider; without, the list of providers to choose from."""
    fed = federation_or_404(federation)
    next_path = _safe_next(request, request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_path)
    providers = identity_providers(fed)
    idp = request.GET.get("idp", "")
    if not idp and len(providers) == 1:
        idp = next(iter(providers))
    if idp not in providers:
        status = 400 if idp else 200
        return render(request, "spid/choose_provider.html",
                      {"federation": fed, "providers": providers, "next": next_path, "unknown": bool(idp)},
                      status=status)  # fmt: skip
    conf = sp_config(fed)
    client = Saml2Client(conf)
    request_id = sid()
    issued = timezone.now().replace(microsecond=0)
    relay_state = secrets.token_urlsafe(12)  # opaque, as SPID asks: where to go next stays in the session
    session_id, info = client.prepare_for_authenticate(
        entityid=idp, relay_state=relay_state, binding=saml2.BINDING_HTTP_REDIRECT, sign=True,
        sigalg=saml2.xmldsig.SIG_RSA_SHA256, digest_alg=saml2.xmldsig.DIGEST_SHA256, message_id=request_id,
        issuer=Issuer(text=fed.entity_id, format=ENTITY_FORMAT, name_qualifier=fed.entity_id),
        attribute_consuming_service_index="0",
        requested_authn_context=requested_authn_context(level_class(), comparison="minimum"),
        force_authn="true",
    )  # fmt: skip
    OutstandingQueriesCache(saml_session(request)).set(session_id, next_path)
    saml_session(request)[REQUEST_KEY] = {
        "id": session_id, "issued": issued.isoformat(), "idp": idp, "federation": fed.slug, "next": next_path,
        "level": level_class(),
    }  # fmt: skip
    return HttpResponseRedirect(get_location(info))


def _failure_page(request: HttpRequest, federation: Federation, *, anomaly: int | None = None,
                  status: int = 403) -> HttpResponse:  # fmt: skip
    return render(request, "spid/login_error.html", {"federation": federation, "anomaly": anomaly}, status=status)


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(never_cache, name="dispatch")
class AssertionConsumerService(AssertionConsumerServiceView):
    """The identity provider's answer (HTTP-POST). djangosaml2 and pysaml2 parse it and check the signature and that
    it answers a request of this browser; validation.py checks SPID's rules; identity.py finds the account."""

    http_method_names = ["post"]
    federation: Federation

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.federation = federation_or_404(kwargs.pop("federation"))
        if over_limit("spid-acs", client_address(request), limit=200, seconds=600):
            return _failure_page(request, self.federation, status=429)
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def get_sp_config(self, request: HttpRequest) -> Any:
        return sp_config(self.federation)

    def handle_acs_failure(self, request: HttpRequest, exception: Exception | None = None, status: int = 403,
                           **kwargs: Any) -> HttpResponse:  # fmt: skip
        anomaly = anomaly_of(str(exception) if exception is not None else "")
        logger.info("SPID/CIE login refused: %s", type(exception).__name__ if exception else "unknown")
        saml_session(request).flush()  # the attempt is over: a new login starts afresh
        return _failure_page(request, self.federation, anomaly=anomaly, status=403 if status < 400 else status)

    def custom_validation(self, response: Any) -> None:
        pending = request_of(self.request)
        if pending is None or pending.get("federation") != self.federation.slug:
            raise Refused("no login started in this browser")
        expected = Expected(
            request_id=pending["id"], request_issued=dt.datetime.fromisoformat(pending["issued"]),
            idp=pending["idp"], acs_url=self.federation.acs_url, entity_id=self.federation.entity_id,
            level=pending["level"], skew=dt.timedelta(seconds=settings.SPID_CLOCK_SKEW_SECONDS),
        )  # fmt: skip
        try:
            self.level = check_response(response.response, response.assertion, expected, timezone.now())
        except Refused as refusal:
            logger.info("SPID/CIE answer refused: %s", refusal)
            raise

    def authenticate_user(self, request: HttpRequest, session_info: dict[str, Any], *args: Any) -> User | None:
        pending = request_of(request) or {}
        try:
            identity = identity_from_attributes(self.federation.slug, session_info.get("ava") or {},  # type: ignore[arg-type]
                                                self.level)  # fmt: skip
            outcome, user = what_to_do(identity)
        except IdentityRefused as refusal:
            logger.info("SPID/CIE identity refused: %s", refusal)
            raise PermissionDenied from refusal
        # Nothing of the answer stays in the SAML session (pysaml2 caches the identity there): the cookie goes too.
        saml_session(request).flush()
        if outcome == "login" and user is not None:
            do_log_in_with_identity(user, identity)
            _log_in(request, user, identity)
            self.destination = pending.get("next") or reverse(settings.LOGIN_REDIRECT_URL)
            return user
        request.session[SESSION_KEY] = identity.as_session()
        request.session["spid_next"] = pending.get("next", "")
        self.destination = reverse({"confirm": "spid:confirm", "reopen": "spid:reopen"}.get(outcome, "spid:register"))
        return None

    def custom_redirect(self, user: Any, relay_state: str, session_info: Any) -> str:
        return self.destination


def saml_session(request: HttpRequest) -> SessionBase:
    """The second session of djangosaml2's middleware, which crosses the identity provider's cross-site POST."""
    session: SessionBase = request.saml_session  # type: ignore[attr-defined]
    return session


def request_of(request: HttpRequest) -> dict[str, Any] | None:
    pending = saml_session(request).get(REQUEST_KEY)
    return pending if isinstance(pending, dict) else None


def _log_in(request: HttpRequest, user: User, identity: Identity) -> None:
    auth.login(request, user, backend=BACKEND)
    request.session["login_method"] = identity.federation
    request.session.pop(SESSION_KEY, None)


acs = AssertionConsumerService.as_view()


def _pending_identity(request: HttpRequest) -> Identity | None:
    return Identity.from_session(request.session.get(SESSION_KEY))


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """An account with this codice fiscale has a password: its owner confirms it once, then SPID/CIE is enough."""
    identity = _pending_identity(request)
    if identity is None:
        return redirect("account_login")
    outcome, user = what_to_do(identity)
    if outcome != "confirm" or user is None:
        return redirect("account_login")
    form = ConfirmPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if over_limit("spid-confirm", identity.codice_fiscale, limit=5, seconds=900):
            form.add_error(None, _("Too many attempts. Wait a quarter of an hour, or ask a Social Point for help."))
        elif check_password(form.cleaned_data["password"], user.password):
            do_log_in_with_identity(user, identity)
            _log_in(request, user, identity)
            messages.success(request, _("Your account is linked to %(federation)s: next time log in with it.")
                             % {"federation": identity.federation.upper()})  # fmt: skip
            return redirect(_safe_next(request, request.session.pop("spid_next", "")))
        else:
            form.add_error("password", _("This is not the password of the account. Try again."))
    return render(request, "spid/confirm.html", {"form": form, "identity": identity})


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """First login of someone the portal does not know: where they live, how to reach them, the privacy notice."""
    identity = _pending_identity(request)
    if identity is None:
        return redirect("account_login")
    form = CompleteRegistrationForm(request.POST or None, identity=identity)
    if request.method == "POST" and form.is_valid():
        try:
            user = do_register_with_identity(
                identity, email=form.cleaned_data["email"], municipality=form.cleaned_data["municipality"],
                phone=form.cleaned_data["phone"], contact_channel=form.cleaned_data["contact_channel"],
                postal_address=form.cleaned_data["postal_address"],
                language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error("email" if error.code == "email_taken" else None, error)
        else:
            _log_in(request, user, identity)
            messages.success(request, _("Welcome: your account is ready."))
            return redirect(_safe_next(request, request.session.pop("spid_next", "")))
    return render(request, "spid/register.html", {"form": form, "identity": identity})


@never_cache
@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest) -> HttpResponse:
    """The owner of an account they closed logs in with SPID/CIE: they may reopen it."""
    identity = _pending_identity(request)
    if identity is None:
        return redirect("account_login")
    outcome, user = what_to_do(identity)
    if outcome != "reopen" or user is None:
        return redirect("account_login")
    form = ReopenForm(request.POST or None, initial={"email": identity.email})
    if request.method == "POST" and form.is_valid():
        try:
            do_reopen_account(user, identity, email=form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error("email" if error.code == "email_taken" else None, error)
        else:
            _log_in(request, user, identity)
            messages.success(request, _("Welcome back: your account is open again."))
            return redirect(_safe_next(request, request.session.pop("spid_next", "")))
    closed_on = user.citizen_profile.restricted_at
    return render(request, "spid/reopen.html", {"form": form, "identity": identity, "closed_on": closed_on})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def single_logout(request: HttpRequest, federation: str) -> HttpResponse:
    """Single logout: a LogoutRequest signed by a trusted identity provider ends the session here too, and is
    answered with a signed LogoutResponse. Anything else (an unsigned request, a plain visit) changes nothing."""
    fed = federation_or_404(federation)
    data = request.POST if request.method == "POST" else request.GET
    if "SAMLResponse" in data:  # the answer to a logout the portal asked for: nothing more to do
        return redirect("portal:home")
    binding = saml2.BINDING_HTTP_POST if request.method == "POST" else saml2.BINDING_HTTP_REDIRECT
    signature, sigalg = data.get("Signature"), data.get("SigAlg")
    if "SAMLRequest" not in data or (binding == saml2.BINDING_HTTP_REDIRECT and not (signature and sigalg)):
        return render(request, "400.html", status=400)
    client = Saml2Client(sp_config(fed))
    try:
        logout = client.parse_logout_request(data["SAMLRequest"], binding, relay_state=data.get("RelayState"),
                                              sigalg=sigalg, signature=signature)  # fmt: skip
        if logout is None or (binding == saml2.BINDING_HTTP_POST and logout.message.signature is None):
            raise Refused("unsigned or unreadable LogoutRequest")
        answer = client.create_logout_response(logout.message, [saml2.BINDING_HTTP_REDIRECT], sign=True,
                                               sign_alg=saml2.xmldsig.SIG_RSA_SHA256)  # fmt: skip
        destination = client.metadata.single_logout_service(logout.message.issuer.text, [saml2.BINDING_HTTP_REDIRECT],
                                                            "idpsso")  # fmt: skip
        location = destination[0]["location"] if destination else ""
        auth.logout(request)
        if not location:
            return redirect("portal:home")
        info = client.apply_binding(saml2.BINDING_HTTP_REDIRECT, answer, location,
                                    relay_state=data.get("RelayState", ""),
                                    response=True, sign=True, sigalg=saml2.xmldsig.SIG_RSA_SHA256)  # fmt: skip
        return HttpResponseRedirect(get_location(info))
    except Exception as error:
        logger.info("SPID/CIE logout request refused: %s", type(error).__name__)
        return render(request, "400.html", status=400)


# The local test identity provider (settings.SPID_TEST_IDP: the demo and the tests only).


def _test_idp_on() -> None:
    if not settings.SPID_TEST_IDP:
        raise Http404


@never_cache
@require_http_methods(["GET", "POST"])
def test_idp_sso(request: HttpRequest) -> HttpResponse:
    _test_idp_on()
    data = request.POST if request.method == "POST" else request.GET
    try:
        authn = test_idp.read_authn_request(data.get("SAMLRequest", ""))
    except Exception:
        return render(request, "spid/test_idp.html", {"invalid": True}, status=400)
    form = TestIdentityForm(request.POST if "fiscal_number" in request.POST else None)
    if "cancel" in request.POST or ("fiscal_number" in request.POST and form.is_valid()):
        attributes = {} if "cancel" in request.POST else form.attributes()
        response = test_idp.signed_response(
            request_id=authn["id"], acs_url=authn["acs_url"], audience=authn["issuer"], level=authn["level"],
            attributes=attributes,
        )  # fmt: skip
        return render(request, "spid/test_idp_post.html", {
            "acs_url": authn["acs_url"], "saml_response": base64.b64encode(response.encode()).decode(),
            "relay_state": data.get("RelayState", ""),
        })  # fmt: skip
    return render(request, "spid/test_idp.html", {
        "form": form, "saml_request": data.get("SAMLRequest", ""), "relay_state": data.get("RelayState", ""),
    })  # fmt: skip


@require_safe
def test_idp_metadata(request: HttpRequest) -> HttpResponse:
    _test_idp_on()
    return HttpResponse(test_idp.idp_metadata_xml(), content_type="application/samlmetadata+xml")
