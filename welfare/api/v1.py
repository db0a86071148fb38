"""The private API, /api/v1/: a citizen's requests, messages and vouchers; a provider's inbox; voucher issuance.

Authenticated by the browser session or by a personal API token (`Authorization: Bearer wi_…`). A delegate
reads and acts for a resident who delegated them by sending `Acting-For: <id>` (ids from `GET /acting-for`).
It calls the same actions and access rules as the web pages. Errors are JSON `{"code", "detail"}`
with a stable code. Writes accept an `Idempotency-Key` header: a repeat returns the first answer. Calls that move money
require one (428 without it).
"""

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth
from pydantic import AfterValidator, ConfigDict, Field

from welfare.accounts.access import ALL_POWERS, Acting, Power, authority_over_resident, residents_i_may_act_for
from welfare.accounts.actions import do_note_token_use, do_store_idempotent_answer, hash_token
from welfare.accounts.models import ApiToken, IdempotencyRecord, User
from welfare.api.errors import error_body, field_of
from welfare.care import access
from welfare.care.actions import (
    do_complete,
    do_confirm,
    do_post_message,
    do_propose,
    do_reject,
    do_start,
    do_withdraw,
)
from welfare.care.models import Message, ServiceRequest
from welfare.delivery import access as delivery_access
from welfare.delivery.actions import SessionInput, do_correct_session, do_log_session, is_local_whole_minutes, month_end
from welfare.delivery.models import Session
from welfare.employers import access as employer_access
from welfare.employers import roster
from welfare.employers.actions import do_import_employees
from welfare.employers.queries import payroll_lines
from welfare.vouchers import access as voucher_access
from welfare.vouchers.actions import do_cancel_voucher, do_issue_vouchers
from welfare.vouchers.models import Voucher


class TokenAuth(HttpBearer):
    """A bearer token. A request that sends an Authorization header the portal cannot accept is answered 401 at once
    (never the session's CSRF 403: software with a wrong token must be told that)."""

    def __call__(self, request: HttpRequest) -> User | None:
        if request.headers.get("Authorization") and not request.headers["Authorization"].startswith("Bearer "):
            raise AuthenticationError
        user = super().__call__(request)
        if user is None and request.headers.get("Authorization"):
            raise AuthenticationError
        return user

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        do_note_token_use(found)
        request.user = found.user
        return found.user


NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold a NUL character: refused as invalid input (422)


def local_time(value: dt.time) -> dt.time:
    """Times of day are the district's own clock (Europe/Rome), in whole minutes: an offset or seconds would be
    silently dropped or mispriced, so they are refused with a 422 that names the field."""
    if not is_local_whole_minutes(value):
        raise ValueError("Give the local time of the district (Europe/Rome), in whole minutes, no offset: 10:30.")
    return value


LocalTime = Annotated[dt.time, AfterValidator(local_time)]


class In(Schema):
    """A request body: a key the schema does not describe is refused (422), never ignored."""

    model_config = ConfigDict(extra="forbid")


api = NinjaAPI(
    title="Welfare Integrato – private API",
    version="1",
    description=__doc__,
    urls_namespace="api-v1",
    docs_url=None,
    auth=[TokenAuth(), SessionAuth()],
)


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    detail: Any


def error(request: HttpRequest, status: int, code: str, detail: Any, field: str | None = None) -> HttpResponse:
    message = detail if isinstance(detail, str) else {
        "invalid_input": "Some input is not valid: see detail.", "invalid_file": "The file has problems: see detail.",
    }.get(code, code)  # fmt: skip
    return api.create_response(request, error_body(code, message, field, detail), status=status)


@api.exception_handler(ValidationError)
def refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    code = getattr(exc, "code", None) or "invalid"
    return error(request, 409 if code == "invalid_transition" else 422, code, " ".join(exc.messages))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", "Not found.")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, "forbidden", "You may not do this.")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "unauthenticated", "Log in, or send a valid API token.")


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return error(request, 422, "invalid_input", exc.errors, field=field_of(list(exc.errors)))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, "error", str(exc))


class RequestOut(Schema):
    id: uuid.UUID
    service_id: uuid.UUID
    service_name: str
    organization_id: uuid.UUID
    state: str
    for_household_member: bool
    municipality: str
    needs: str
    preferred_times: str
    desired_start: dt.date | None
    proposed_start: dt.date | None
    proposed_schedule: str
    proposed_operator: str
    proposed_price_cents: int | None
    proposed_funding: str
    proposal_deadline: dt.datetime | None
    paid_with_voucher: bool
    tariff_cents: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class MessageOut(Schema):
    id: int
    author: str
    mine: bool
    body: str
    created_at: dt.datetime


class MessageIn(In):
    body: str = Field(pattern=NO_NUL, min_length=1, max_length=4000)


class ProposalIn(In):
    start: dt.date
    schedule: str = Field(pattern=NO_NUL, min_length=1, max_length=300)
    operator: str = Field(pattern=NO_NUL, min_length=1, max_length=200)
    price_cents: int = Field(ge=0, le=100_000_000)
    funding: ServiceRequest.Funding


class ReasonIn(In):
    reason: str = Field(pattern=NO_NUL, min_length=1, max_length=2000)


class OptionalReasonIn(In):
    reason: str = Field("", pattern=NO_NUL, max_length=2000)


class InboxFilter(Schema):
    state: ServiceRequest.State | None = None


def request_out(item: ServiceRequest) -> dict[str, Any]:
    return {
        "id": item.pk,
        "service_id": item.service_id,
        "service_name": item.service.name,
        "organization_id": item.organization_id,
        "state": item.state,
        "for_household_member": item.beneficiary_member_id is not None,
        "municipality": item.municipality.name,
        "needs": item.needs,
        "preferred_times": item.preferred_times,
        "desired_start": item.desired_start,
        "proposed_start": item.proposed_start,
        "proposed_schedule": item.proposed_schedule,
        "proposed_operator": item.proposed_operator,
        "proposed_price_cents": item.proposed_price_cents,
        "proposed_funding": item.proposed_funding,
        "proposal_deadline": item.proposal_deadline,
        "paid_with_voucher": item.voucher_id is not None,
        "tariff_cents": item.tariff_cents,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def messages_out(item: ServiceRequest, user: User) -> list[dict[str, Any]]:
    return [
        {"id": m.pk, "author": m.author.get_full_name(), "mine": m.author_id == user.pk, "body": m.body,
         "created_at": m.created_at}
        for m in Message.objects.filter(request=item).select_related("author")
    ]  # fmt: skip


def user_of(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


class _KeyTaken(Exception):
    """Another call with the same Idempotency-Key committed first: ours is undone and theirs is the answer."""


def idempotent(
    request: HttpRequest, write: Callable[[], tuple[int, Any]], *, out: type[Schema], required: bool = False
) -> HttpResponse:
    """Every API write goes through here: run it once per Idempotency-Key and answer it.

    The answer is validated against the operation's response schema and rendered inside the write's
    transaction, so a write whose answer cannot be built is rolled back: nothing is ever committed behind
    a 500. A repeat of a key gets the first answer and changes nothing; the same key with another body is
    refused. Calls that move money are `required` to carry a key, so that a retry after a lost answer is safe.
    """
    user = user_of(request)
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key and required:
        return error(request, 428, "idempotency_key_required", "This call moves money: send an Idempotency-Key header.")
    if len(key) > 200:
        return error(request, 422, "invalid_idempotency_key", "An Idempotency-Key has at most 200 characters.")
    call = b"\n".join([(request.method or "").encode(), request.path.encode(), request.body])
    fingerprint = hashlib.sha256(call).hexdigest()
    if key:
        previous = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if previous is not None:
            return _replay(request, previous, fingerprint)
    try:
        with transaction.atomic():
            status, body = write()
            response = api.create_response(request, out.model_validate(body).model_dump(by_alias=True), status=status)
            if key:
                try:
                    with transaction.atomic():
                        do_store_idempotent_answer(user, key=key, fingerprint=fingerprint, status=status,
                                                   body=json.loads(response.content))  # fmt: skip
                except IntegrityError as taken:
                    raise _KeyTaken from taken
    except _KeyTaken:
        return _replay(request, IdempotencyRecord.objects.get(user=user, key=key), fingerprint)
    return response


def _replay(request: HttpRequest, previous: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if previous.fingerprint != fingerprint:
        return error(request, 422, "idempotency_key_reused", "This Idempotency-Key was used for another request.")
    return api.create_response(request, previous.body, status=previous.status)


def post_message(
    request: HttpRequest, item: ServiceRequest, user: User, data: MessageIn, on_behalf_of: User | None = None
) -> HttpResponse:
    def write() -> tuple[int, Any]:
        message = do_post_message(item, author=user, body=data.body, on_behalf_of=on_behalf_of)
        return 201, {"id": message.pk, "author": user.get_full_name(), "mine": True, "body": message.body,
                     "created_at": message.created_at}  # fmt: skip

    return idempotent(request, write, out=MessageOut)


ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MONEY_ERRORS: dict[int, type[Schema]] = {**ERRORS, 428: ErrorOut}


# The citizen's requests: their own, or (header `Acting-For: <id>`) those of a resident who delegated the caller,
# within the delegation's powers and members, exactly as on the pages.

ACTING_FOR = "Acting-For"


def acting_of_api(request: HttpRequest) -> Acting:
    """The caller, or the resident named in the `Acting-For` header whom they may act for (404 otherwise)."""
    user = user_of(request)
    wanted = request.headers.get(ACTING_FOR, "").strip()
    if not wanted:
        return Acting(actor=user, citizen=user, powers=ALL_POWERS)
    authority = authority_over_resident(user, wanted)
    if authority is None:
        raise Http404
    return authority


class PersonOut(Schema):
    id: int
    name: str


@api.get("/acting-for", response={200: list[PersonOut], **ERRORS}, summary="Residents I may act for")
def acting_for(request: HttpRequest) -> list[dict[str, Any]]:
    """Send one's id in the `Acting-For` header to read and act as that resident allowed."""
    found = residents_i_may_act_for(user_of(request))
    return [{"id": person.pk, "name": person.get_full_name()} for person in found]


@api.get("/requests", response={200: list[RequestOut], **ERRORS}, summary="My requests (or theirs, with Acting-For)")
def my_requests(request: HttpRequest) -> list[dict[str, Any]]:
    found = access.requests_for_acting(acting_of_api(request)).select_related("service", "municipality")
    return [request_out(item) for item in found.order_by("-created_at")]


@api.get("/requests/{request_id}", response={200: RequestOut, **ERRORS}, summary="One of my requests")
def my_request(request: HttpRequest, request_id: uuid.UUID) -> dict[str, Any]:
    return request_out(access.access_request_for_acting(acting_of_api(request), request_id))


@api.get("/requests/{request_id}/messages", response={200: list[MessageOut], **ERRORS}, summary="Messages")
def my_messages(request: HttpRequest, request_id: uuid.UUID) -> list[dict[str, Any]]:
    acting = acting_of_api(request)
    return messages_out(access.access_request_for_acting(acting, request_id), acting.actor)


@api.post("/requests/{request_id}/messages", response={201: MessageOut, **ERRORS}, summary="Write to the provider")
def my_message_post(request: HttpRequest, request_id: uuid.UUID, data: MessageIn) -> HttpResponse:
    acting = acting_of_api(request)
    item = access.access_request_for_acting(acting, request_id)
    acting.require(Power.REQUEST)
    return post_message(request, item, acting.actor, data, on_behalf_of=acting.on_behalf_of)


@api.post("/requests/{request_id}/confirm", response={200: RequestOut, **ERRORS}, summary="Confirm the proposal")
def my_confirm(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    acting = acting_of_api(request)
    item = access.access_request_for_acting(acting, request_id)
    acting.require(Power.REQUEST)
    return idempotent(request, lambda: (200, request_out(
        do_confirm(item, actor=acting.actor, on_behalf_of=acting.on_behalf_of)
    )), out=RequestOut)  # fmt: skip


@api.post("/requests/{request_id}/withdraw", response={200: RequestOut, **ERRORS}, summary="Withdraw the request")
def my_withdraw(request: HttpRequest, request_id: uuid.UUID, data: OptionalReasonIn) -> HttpResponse:
    acting = acting_of_api(request)
    item = access.access_request_for_acting(acting, request_id)
    acting.require(Power.REQUEST)
    return idempotent(request, lambda: (200, request_out(
        do_withdraw(item, actor=acting.actor, reason=data.reason, on_behalf_of=acting.on_behalf_of)
    )), out=RequestOut)  # fmt: skip


# The provider's inbox.


@api.get("/provider/requests", response={200: list[RequestOut], **ERRORS}, summary="Requests to my organisation")
def inbox(request: HttpRequest, filters: Query[InboxFilter]) -> list[dict[str, Any]]:
    found = access.requests_for_provider(user_of(request)).select_related("service", "municipality")
    if filters.state:
        found = found.filter(state=filters.state)
    return [request_out(item) for item in found.order_by("-created_at")[:500]]


@api.get("/provider/requests/{request_id}", response={200: RequestOut, **ERRORS}, summary="One request")
def inbox_request(request: HttpRequest, request_id: uuid.UUID) -> dict[str, Any]:
    return request_out(access.access_request_for_provider(user_of(request), request_id))


@api.post("/provider/requests/{request_id}/propose", response={200: RequestOut, **ERRORS}, summary="Propose")
def inbox_propose(request: HttpRequest, request_id: uuid.UUID, data: ProposalIn) -> HttpResponse:
    user = user_of(request)
    item = access.access_request_for_provider(user, request_id)
    return idempotent(request, lambda: (200, request_out(do_propose(
        item, actor=user, start=data.start, schedule=data.schedule, operator=data.operator,
        price_cents=data.price_cents, funding=data.funding,
    ))), out=RequestOut)  # fmt: skip


@api.post("/provider/requests/{request_id}/reject", response={200: RequestOut, **ERRORS}, summary="Say no")
def inbox_reject(request: HttpRequest, request_id: uuid.UUID, data: ReasonIn) -> HttpResponse:
    user = user_of(request)
    item = access.access_request_for_provider(user, request_id)
    return idempotent(
        request, lambda: (200, request_out(do_reject(item, actor=user, reason=data.reason))), out=RequestOut
    )


@api.post("/provider/requests/{request_id}/start", response={200: RequestOut, **ERRORS}, summary="Mark started")
def inbox_start(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    item = access.access_request_for_provider(user, request_id)
    return idempotent(request, lambda: (200, request_out(do_start(item, actor=user))), out=RequestOut)


@api.post("/provider/requests/{request_id}/complete", response={200: RequestOut, **ERRORS}, summary="Mark completed")
def inbox_complete(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = user_of(request)
    item = access.access_request_for_provider(user, request_id)
    return idempotent(request, lambda: (200, request_out(do_complete(item, actor=user))), out=RequestOut)


@api.get("/provider/requests/{request_id}/messages", response={200: list[MessageOut], **ERRORS}, summary="Messages")
def inbox_messages(request: HttpRequest, request_id: uuid.UUID) -> list[dict[str, Any]]:
    user = user_of(request)
    return messages_out(access.access_request_for_provider(user, request_id), user)


@api.post("/provider/requests/{request_id}/messages", response={201: MessageOut, **ERRORS}, summary="Write")
def inbox_message_post(request: HttpRequest, request_id: uuid.UUID, data: MessageIn) -> HttpResponse:
    user = user_of(request)
    return post_message(request, access.access_request_for_provider(user, request_id), user, data)


# Vouchers: the family's balances; the planning office's issuance and cancellation (they move money).


class VoucherOut(Schema):
    id: uuid.UUID
    programme: str
    municipality: str
    value_cents: int
    balance_cents: int
    copay_percent: int
    valid_from: dt.date
    valid_until: dt.date
    status: str
    verification_code: str


def voucher_out(voucher: Voucher) -> dict[str, Any]:
    return {
        "id": voucher.pk, "programme": voucher.programme.name, "municipality": voucher.municipality.name,
        "value_cents": voucher.value_cents, "balance_cents": voucher.account.balance_cents,
        "copay_percent": voucher.copay_percent, "valid_from": voucher.valid_from, "valid_until": voucher.valid_until,
        "status": voucher.status, "verification_code": voucher.verification_code,
    }  # fmt: skip


class IssuedOut(Schema):
    issued: list[VoucherOut]
    waiting: int


@api.get("/vouchers", response={200: list[VoucherOut], **ERRORS}, summary="My vouchers (or theirs, with Acting-For)")
def my_vouchers(request: HttpRequest) -> list[dict[str, Any]]:
    acting = acting_of_api(request)
    found = voucher_access.vouchers_for_acting(acting).select_related("programme", "municipality", "account")
    return [voucher_out(voucher) for voucher in found]


@api.post(
    "/programmes/{programme_id}/rankings/{istat_code}/issue",
    response={200: IssuedOut, **MONEY_ERRORS},
    summary="Issue vouchers in ranking order while the budget lasts (planning office; Idempotency-Key required)",
)
def issue_vouchers(request: HttpRequest, programme_id: uuid.UUID, istat_code: str) -> HttpResponse:
    user = user_of(request)
    programme = voucher_access.access_programme_for_admin(user, programme_id)
    municipality = voucher_access.access_municipality_for_admin(user, istat_code)

    def write() -> tuple[int, Any]:
        issued = do_issue_vouchers(programme, municipality, actor=user)
        waiting = programme.applications.filter(municipality=municipality, outcome="waiting").count()
        return 200, {"issued": [voucher_out(voucher) for voucher in issued], "waiting": waiting}

    return idempotent(request, write, out=IssuedOut, required=True)


@api.post(
    "/vouchers/{voucher_id}/cancel",
    response={200: VoucherOut, **MONEY_ERRORS},
    summary="Cancel a voucher; what is left goes back to the budget (planning office; Idempotency-Key required)",
)
def cancel_voucher(request: HttpRequest, voucher_id: uuid.UUID, data: ReasonIn) -> HttpResponse:
    user = user_of(request)
    voucher = voucher_access.access_voucher_for_admin(user, voucher_id)
    return idempotent(
        request,
        lambda: (200, voucher_out(do_cancel_voucher(voucher, actor=user, reason=data.reason))),
        out=VoucherOut,
        required=True,
    )


# Delivered sessions and statements: for the provider's own management software.

MAX_ROWS = 500


class SessionRowIn(In):
    external_id: str = Field(
        pattern=r"^[^\x00]*[^\x00\s][^\x00]*$", min_length=1, max_length=100,
        description="Your software's id for the session",
    )  # fmt: skip
    request_id: uuid.UUID
    day: dt.date
    starts_at: LocalTime = Field(description="Local time (Europe/Rome), whole minutes, no offset: 10:30")
    ends_at: LocalTime = Field(description="Local time (Europe/Rome), whole minutes, no offset: 12:00")
    operator: str = Field(pattern=NO_NUL, min_length=1, max_length=200)
    activity: str = Field(pattern=NO_NUL, min_length=1, max_length=500, description="What was done. No health details.")
    place: str = Field("", pattern=NO_NUL, max_length=200)


class SessionsIn(In):
    sessions: list[SessionRowIn] = Field(min_length=1, max_length=MAX_ROWS)


class SessionCorrectionIn(In):
    day: dt.date
    starts_at: LocalTime
    ends_at: LocalTime
    operator: str = Field(pattern=NO_NUL, min_length=1, max_length=200)
    activity: str = Field(pattern=NO_NUL, min_length=1, max_length=500)
    place: str = Field("", pattern=NO_NUL, max_length=200)
    reason: str = Field(pattern=NO_NUL, min_length=1, max_length=500)


class SessionOut(Schema):
    id: uuid.UUID
    external_id: str
    request_id: uuid.UUID
    day: dt.date
    starts_at: dt.time
    ends_at: dt.time
    minutes: int
    operator: str
    status: str
    confirmation: str
    confirm_by: dt.date
    flags: list[str]
    tariff_cents: int
    amount_cents: int
    voucher_cents: int
    copayment_cents: int
    employer_cents: int
    corrects_id: uuid.UUID | None
    statement_id: uuid.UUID | None


class RowError(Schema):
    code: str
    detail: str


class SessionRowOut(Schema):
    external_id: str
    status: str = Field(description="created, existing (the same external_id was posted before), or invalid")
    session: SessionOut | None
    errors: list[RowError]


class SessionsOut(Schema):
    created: int
    existing: int
    invalid: int
    results: list[SessionRowOut]


class StatementOut(Schema):
    id: uuid.UUID
    programme: str
    month: dt.date
    status: str
    sessions_count: int
    amount_cents: int
    voucher_cents: int
    copayment_cents: int
    employer_cents: int
    returned_reason: str


class SessionFilter(Schema):
    request_id: uuid.UUID | None = None
    month: dt.date | None = Field(None, description="Any day of the month, e.g. 2026-11-01")


def session_out(session: Session) -> dict[str, Any]:
    fields = ("id", "external_id", "request_id", "day", "starts_at", "ends_at", "minutes", "operator", "status",
              "confirmation", "confirm_by", "flags", "tariff_cents", "amount_cents", "voucher_cents",
              "copayment_cents", "employer_cents", "corrects_id", "statement_id")  # fmt: skip
    return {name: getattr(session, name) for name in fields}


def _same(session: Session, row: SessionRowIn) -> bool:
    return (session.request_id, session.day, session.starts_at, session.ends_at, session.operator, session.activity,
            session.place) == (row.request_id, row.day, row.starts_at, row.ends_at, row.operator.strip(),
                               row.activity.strip(), row.place.strip())  # fmt: skip


def _post_row(user: User, row: SessionRowIn) -> dict[str, Any]:
    """One row in its own savepoint: a refused row leaves the others stored."""
    existing = delivery_access.sessions_for_provider(user).filter(external_id=row.external_id.strip(),
                                                                    status="valid").first()  # fmt: skip
    if existing is not None:
        if _same(existing, row):
            return {
                "external_id": row.external_id,
                "status": "existing",
                "session": session_out(existing),
                "errors": [],
            }
        return {"external_id": row.external_id, "status": "invalid", "session": None, "errors": [{
            "code": "external_id_conflict",
            "detail": "This external_id was posted with other values: correct the session instead.",
        }]}  # fmt: skip
    request = access.requests_for_provider(user).filter(pk=row.request_id).select_related("voucher").first()
    if request is None:
        return {"external_id": row.external_id, "status": "invalid", "session": None,
                "errors": [{"code": "not_found", "detail": "No such request for your organisation."}]}  # fmt: skip
    data = SessionInput(day=row.day, starts_at=row.starts_at, ends_at=row.ends_at, operator=row.operator,
                        activity=row.activity, place=row.place, external_id=row.external_id)  # fmt: skip
    try:
        with transaction.atomic():
            session = do_log_session(request, actor=user, data=data)
    except ValidationError as refused:
        return {"external_id": row.external_id, "status": "invalid", "session": None,
                "errors": [{"code": refused.code or "invalid", "detail": " ".join(refused.messages)}]}  # fmt: skip
    return {"external_id": row.external_id, "status": "created", "session": session_out(session), "errors": []}


@api.post(
    "/provider/sessions",
    response={200: SessionsOut, **MONEY_ERRORS},
    summary="Post delivered sessions in bulk (valid rows are stored, invalid ones reported one by one; "
    "Idempotency-Key required)",
)
def post_sessions(request: HttpRequest, data: SessionsIn) -> HttpResponse:
    user = user_of(request)
    delivery_access.sessions_for_provider(user)  # 403 for anyone who works for no provider
    if len({row.external_id.strip() for row in data.sessions}) != len(data.sessions):
        raise ValidationError("Each row needs its own external_id.", code="duplicate_external_id")

    def write() -> tuple[int, Any]:
        results = [_post_row(user, row) for row in data.sessions]
        counts = {status: sum(1 for r in results if r["status"] == status) for status in ("created", "existing",
                                                                                           "invalid")}  # fmt: skip
        return 200, {**counts, "results": results}

    return idempotent(request, write, out=SessionsOut, required=True)


@api.get("/provider/sessions", response={200: list[SessionOut], **ERRORS}, summary="Sessions of my organisation")
def list_sessions(request: HttpRequest, filters: Query[SessionFilter]) -> list[dict[str, Any]]:
    found = delivery_access.sessions_for_provider(user_of(request))
    if filters.request_id:
        found = found.filter(request_id=filters.request_id)
    if filters.month:
        first = filters.month.replace(day=1)
        found = found.filter(day__gte=first, day__lte=month_end(first))
    return [session_out(session) for session in found.order_by("day", "starts_at")[:2000]]


@api.post(
    "/provider/sessions/{session_id}/correct",
    response={200: SessionOut, **MONEY_ERRORS},
    summary="Correct a session: a new session replaces it and its money is reversed (Idempotency-Key required)",
)
def correct_session(request: HttpRequest, session_id: uuid.UUID, data: SessionCorrectionIn) -> HttpResponse:
    user = user_of(request)
    session = delivery_access.access_session_for_provider(user, session_id)
    fields = SessionInput(day=data.day, starts_at=data.starts_at, ends_at=data.ends_at, operator=data.operator,
                          activity=data.activity, place=data.place)  # fmt: skip
    return idempotent(
        request,
        lambda: (200, session_out(do_correct_session(session, actor=user, data=fields, reason=data.reason))),
        out=SessionOut,
        required=True,
    )


@api.get("/provider/statements", response={200: list[StatementOut], **ERRORS}, summary="My monthly statements")
def list_statements(request: HttpRequest) -> list[dict[str, Any]]:
    found = delivery_access.statements_for_provider(user_of(request)).select_related("programme")
    return [
        {"id": s.pk, "programme": s.programme.name, "month": s.month, "status": s.status,
         "sessions_count": s.sessions_count, "amount_cents": s.amount_cents, "voucher_cents": s.voucher_cents,
         "copayment_cents": s.copayment_cents, "employer_cents": s.employer_cents,
         "returned_reason": s.returned_reason}
        for s in found
    ]  # fmt: skip


# Welfare aziendale: for the HR software of an employer's welfare officer.


class EmployeesIn(Schema):
    csv: str = Field(description="The register as CSV text, with the columns of the page's model file.")
    complete: bool = Field(False, description="The file is the whole register: employees not in it are ended.")


class ImportedOut(Schema):
    created: int
    updated: int
    ended: int
    invited: int


class PayrollLineOut(Schema):
    codice_fiscale: str
    category: str
    amount_cents: int
    status: str


@api.post(
    "/employers/{employer_id}/employees",
    response={200: ImportedOut, **MONEY_ERRORS},
    summary="Upload the register of employees (welfare officer; Idempotency-Key required; refused whole, with every "
    "row's problem, when a row is wrong)",
)
def upload_employees(request: HttpRequest, employer_id: int, data: EmployeesIn) -> HttpResponse:
    user = user_of(request)
    employer = employer_access.access_employer_for_officer(user, employer_id)
    preview = roster.read(employer, data.csv, complete=data.complete)
    if not preview.is_valid:
        problems = [*preview.problems, *(f"{row.line}: {p}" for row in preview.rows for p in row.problems)]
        return error(request, 422, "invalid_file", problems)

    def write() -> tuple[int, Any]:
        return 200, vars(do_import_employees(employer, data.csv, actor=user, complete=data.complete))

    return idempotent(request, write, out=ImportedOut, required=True)


@api.get(
    "/employers/{employer_id}/payroll/{month}",
    response={200: list[PayrollLineOut], **ERRORS},
    summary="The payroll export of a month (YYYY-MM): approved receipts by codice fiscale (welfare officer)",
)
def payroll_export(request: HttpRequest, employer_id: int, month: str) -> list[dict[str, Any]]:
    employer = employer_access.access_employer_for_officer(user_of(request), employer_id)
    try:
        first = dt.datetime.strptime(month, "%Y-%m").date()
    except ValueError as invalid:
        raise ValidationError("Give the month as YYYY-MM.", code="invalid_month") from invalid
    return [
        {"codice_fiscale": claim.employee.codice_fiscale, "category": claim.wallet.category,
         "amount_cents": claim.amount_cents, "status": claim.status}
        for claim in payroll_lines(employer, first)
    ]  # fmt: skip
