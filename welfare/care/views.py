import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from welfare.accounts.access import (
    Power,
    acting_of,
    citizen_profile_of,
    request_user,
    require_role,
    support_needs_of,
)
from welfare.accounts.forms import SELF
from welfare.accounts.models import Role, User
from welfare.care import access
from welfare.care.actions import (
    do_cancel,
    do_complete,
    do_confirm,
    do_mark_read,
    do_post_message,
    do_propose,
    do_reject,
    do_start,
    do_submit_request,
    do_withdraw,
    employer_credit_for,
)
from welfare.care.complaints import answer_of, do_answer_complaint, do_file_complaint, text_of
from welfare.care.forms import (
    AnswerForm,
    ComplaintForm,
    InboxFilterForm,
    MessageForm,
    OptionalReasonForm,
    ProposalForm,
    RequestForm,
    ReviewForm,
)
from welfare.care.models import Complaint, Message, ServiceRequest
from welfare.care.queries import alternatives_for, payer_combinations
from welfare.care.reviews import do_hide_review, do_reply_review, do_review, may_review
from welfare.catalogue.access import access_published_service, organizations_for_staff
from welfare.catalogue.models import Organization, Review, Service
from welfare.employers.credits import credit_choices
from welfare.lib.feedback import run_and_tell
from welfare.lib.forms import ReasonForm
from welfare.lib.paging import page_without_count
from welfare.lib.throttle import over_limit
from welfare.lib.uploads import download
from welfare.territory.models import Municipality
from welfare.vouchers.queries import voucher_choices

# The citizen's side.


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """The citizen, or someone acting for them with the right to request services, asks for a service."""
    service = access_published_service(service_id)
    acting = acting_of(request)
    acting.require(Power.REQUEST)
    profile = citizen_profile_of(acting.citizen)
    if profile is None:
        messages.info(request, _("To request a service, first add your codice fiscale and residence."))
        return redirect("accounts:profile")
    vouchers = voucher_choices(acting, service)
    credits = credit_choices(acting, service)
    initial = {"payment": request.GET["voucher"]} if request.GET.get("voucher") else {}
    if request.GET.get("per"):  # back from adding a household member: that member is the one
        initial["beneficiary"] = request.GET["per"]
    if vouchers and initial:  # coming from a voucher's page: that voucher's person is the beneficiary
        chosen = next((c for c in vouchers if str(c.voucher.pk) == initial["payment"]), None)
        if chosen is not None:
            initial["beneficiary"] = str(chosen.voucher.beneficiary_member_id or SELF)
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        profile=profile,
        acting=acting,
        vouchers=vouchers,
        credits=credits,
        service=service,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        created = do_submit_request(
            actor=acting.actor,
            on_behalf_of=acting.on_behalf_of,
            service=service,
            beneficiary=form.beneficiary_member(),
            needs=form.cleaned_data["needs"],
            preferred_times=form.cleaned_data["preferred_times"],
            desired_start=form.cleaned_data["desired_start"],
            voucher=form.voucher_choice(),
            wallet=form.wallet(),
            document=form.cleaned_data["document"] or None,
        )
        messages.success(request, _("Your request has been sent. The provider will answer here."))
        return redirect("care:citizen_request", request_id=created.pk)
    return render(request, "care/request_new.html", {
        "service": service, "form": form, "vouchers": vouchers, "credits": credits,
        "combinations": payer_combinations(vouchers, credits),
    })  # fmt: skip


@login_required
@require_safe
def citizen_request(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    acting = acting_of(request)
    service_request = access.access_request_for_acting(acting, request_id)
    do_mark_read(service_request, acting.actor)
    return render(request, "care/citizen_request.html", _detail_context(service_request) | {
        "alternatives": alternatives_for(service_request),
        "may_review": may_review(service_request), "review": Review.objects.filter(request=service_request).first(),
        "reason_form": ReasonForm(),
        "optional_reason_form": OptionalReasonForm(),
        "may_act": acting.may(Power.REQUEST),
    })  # fmt: skip


CITIZEN_ACTIONS: dict[str, Callable[..., Any]] = {"confirm": do_confirm, "withdraw": do_withdraw, "cancel": do_cancel}


@login_required
@require_POST
def citizen_request_action(request: HttpRequest, request_id: uuid.UUID, action: str) -> HttpResponse:
    acting = acting_of(request)
    service_request = access.access_request_for_acting(acting, request_id)
    if action not in CITIZEN_ACTIONS:
        raise Http404
    acting.require(Power.REQUEST)
    kwargs = {}
    if action in ("withdraw", "cancel"):
        reason_form = OptionalReasonForm(request.POST)
        if not reason_form.is_valid():
            messages.error(request, " ".join(str(message) for message in reason_form.errors["reason"]))
            return redirect("care:citizen_request", request_id=service_request.pk)
        kwargs = {"reason": reason_form.cleaned_data["reason"]}
    run_and_tell(request, lambda: CITIZEN_ACTIONS[action](
        service_request, actor=acting.actor, on_behalf_of=acting.on_behalf_of, **kwargs
    ))  # fmt: skip
    return redirect("care:citizen_request", request_id=service_request.pk)


@login_required
@require_POST
def citizen_message(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    acting = acting_of(request)
    service_request = access.access_request_for_acting(acting, request_id)
    acting.require(Power.REQUEST)
    _post_message(request, service_request, on_behalf_of=acting.on_behalf_of)
    return redirect("care:citizen_request", request_id=service_request.pk)


# The provider's side.


@login_required
@require_safe
def provider_inbox(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    requests = access.requests_for_provider(user)
    # The filters offer the organisations' services and the district's municipalities: reading them from
    # the requests would scan the whole inbox on every page.
    organizations = organizations_for_staff(user)
    services = [
        (str(pk), name)
        for pk, name in Service.objects.filter(organization__in=organizations)
        .order_by("name")
        .values_list("pk", "name")
    ]
    municipalities = list(Municipality.objects.order_by("name").values_list("istat_code", "name"))
    form = InboxFilterForm(request.GET, services=services, municipalities=municipalities)
    form.is_valid()
    filters = form.cleaned_data
    if filters.get("stato"):
        requests = requests.filter(state=filters["stato"])
    if filters.get("servizio"):
        requests = requests.filter(service_id=filters["servizio"])
    if filters.get("comune"):
        requests = requests.filter(municipality__istat_code=filters["comune"])
    if filters.get("dal"):
        requests = requests.filter(created_at__date__gte=filters["dal"])
    if filters.get("al"):
        requests = requests.filter(created_at__date__lte=filters["al"])
    requests = access.with_unread(requests, user).select_related(
        "service", "municipality", "beneficiary_member", "requester"
    )
    order = request.GET.get("ordina", "") if request.GET.get("ordina", "") in INBOX_ORDERS else "recenti"
    if order == "persona":  # the person the request is for: a household member, or the requester themself
        requests = requests.annotate(
            person_last=Coalesce("beneficiary_member__last_name", "requester__last_name"),
            person_first=Coalesce("beneficiary_member__first_name", "requester__first_name"),
        )
    page = page_without_count(requests.order_by(*INBOX_ORDERS[order], "pk"), request.GET.get("pagina", 1), 20)
    return render(request, "care/provider_inbox.html", {"form": form, "page": page, "order": order})


# How the inbox can be sorted (?ordina=): newest first by default.
INBOX_ORDERS = {
    "recenti": ["-created_at"],
    "meno-recenti": ["created_at"],
    "persona": ["person_last", "person_first", "-created_at"],
    "servizio": ["service__name", "-created_at"],
    "stato": ["state", "-created_at"],
}  # fmt: skip


@login_required
@require_safe
def provider_request(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    service_request = access.access_request_for_provider(user, request_id)
    do_mark_read(service_request, user)
    member = service_request.beneficiary_member
    support = support_needs_of(member, reader=user, purpose=service_request) if member is not None else None
    cost = service_request.service.cost_options.first()
    initial: dict[str, object] = {"price": cost.amount_cents / 100 if cost is not None else 0}
    if service_request.tariff_cents is not None:  # paid with a voucher: the accredited tariff, nothing else
        initial = {"price": service_request.tariff_cents / 100, "funding": ServiceRequest.Funding.VOUCHER}
    elif service_request.wallet_id is not None:  # the family chose to pay with an employer credit
        initial["funding"] = ServiceRequest.Funding.EMPLOYER
    return render(request, "care/provider_request.html", _detail_context(service_request) | {
        "support": support,
        "proposal_form": ProposalForm(
            initial=initial, employer_credit=employer_credit_for(service_request) is not None
        ),
        "review": Review.objects.filter(request=service_request).first(),
        "reason_form": ReasonForm(),
    })  # fmt: skip


@login_required
@require_POST
def provider_request_action(request: HttpRequest, request_id: uuid.UUID, action: str) -> HttpResponse:
    user = request_user(request)
    service_request = access.access_request_for_provider(user, request_id)
    if action == "propose":
        form = ProposalForm(request.POST, employer_credit=employer_credit_for(service_request) is not None)
        if not form.is_valid():
            context = _detail_context(service_request) | {"proposal_form": form, "reason_form": ReasonForm()}
            return render(request, "care/provider_request.html", context, status=400)
        data = form.cleaned_data
        try:
            do_propose(
                service_request, actor=user, start=data["start"], schedule=data["schedule"],
                operator=data["operator"], price_cents=int(data["price"] * 100), funding=data["funding"],
            )  # fmt: skip
        except ValidationError as error:
            # Keep what was typed, say what to do (and where, when the service has no free places).
            form.add_error(None, error)
            context = _detail_context(service_request) | {
                "proposal_form": form, "reason_form": ReasonForm(), "no_free_places": error.code == "no_capacity",
            }  # fmt: skip
            return render(request, "care/provider_request.html", context, status=400)
        messages.success(request, _("Done."))
    elif action in ("reject", "cancel"):
        reason_form = ReasonForm(request.POST)
        if not reason_form.is_valid():
            context = _detail_context(service_request) | {"proposal_form": ProposalForm(), "reason_form": reason_form}
            return render(request, "care/provider_request.html", context, status=400)
        act = do_reject if action == "reject" else do_cancel
        run_and_tell(request, lambda: act(service_request, actor=user, reason=reason_form.cleaned_data["reason"]))
    elif action == "start":
        run_and_tell(request, lambda: do_start(service_request, actor=user))
    elif action == "complete":
        run_and_tell(request, lambda: do_complete(service_request, actor=user))
    else:
        raise Http404
    return redirect("care:provider_request", request_id=service_request.pk)


@login_required
@require_POST
def provider_message(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    service_request = access.access_request_for_provider(request.user, request_id)
    _post_message(request, service_request)
    return redirect("care:provider_request", request_id=service_request.pk)


# Shared.


def _detail_context(service_request: ServiceRequest) -> dict[str, Any]:
    return {
        "service_request": service_request,
        "events": service_request.events.select_related("actor", "on_behalf_of"),
        "thread": Message.objects.filter(request=service_request)
        .select_related("author")
        .prefetch_related("attachments"),
        "documents": service_request.attachments.filter(message__isnull=True),
        "message_form": MessageForm(),
        "sessions": service_request.sessions.order_by("-day", "-starts_at"),
    }


def _post_message(request: HttpRequest, service_request: ServiceRequest, on_behalf_of: User | None = None) -> None:
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        user = request_user(request)
        do_post_message(service_request, author=user, body=form.cleaned_data["body"], on_behalf_of=on_behalf_of,
                        document=form.cleaned_data["document"] or None)  # fmt: skip
        messages.success(request, _("Message sent."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))


@login_required
@require_safe
def attachment(request: HttpRequest, attachment_id: uuid.UUID) -> FileResponse:
    """A document, to the citizen who made the request or the staff of the provider asked; 404 to anyone else."""
    return download(access.access_attachment(acting_of(request), attachment_id))


# Reviews


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    """The family rates a service it received (once)."""
    acting = acting_of(request)
    service_request = access.access_request_for_acting(acting, request_id)
    acting.require(Power.REQUEST)
    if not may_review(service_request):
        messages.info(request, _("This service can be rated once it is completed, or after three months under way, "
                                 "and only once."))  # fmt: skip
        return redirect("care:citizen_request", request_id=service_request.pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_review(service_request, actor=acting.actor, on_behalf_of=acting.on_behalf_of, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your rating helps other families choose."))
            return redirect("care:citizen_request", request_id=service_request.pk)
    return render(request, "care/review.html", {"service_request": service_request, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def review_reply(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    service_request = access.access_request_for_provider(user, request_id)
    found = Review.objects.filter(request=service_request).first()
    if found is None:
        raise Http404
    form = ReasonForm(request.POST)
    if form.is_valid():
        run_and_tell(request, lambda: do_reply_review(found, actor=user, text=form.cleaned_data["reason"]))
    else:
        messages.error(request, _("Write your answer."))
    return redirect("care:provider_request", request_id=service_request.pk)


@login_required
@require_safe
def reviews_moderation(request: HttpRequest) -> HttpResponse:
    require_role(request.user, Role.DISTRICT_ADMIN)
    found = Review.objects.select_related("service", "organization").order_by("-created_at")
    page = page_without_count(found, request.GET.get("pagina", 1), 50)
    return render(request, "care/reviews_moderation.html", {"page": page, "reason_form": ReasonForm()})


@login_required
@require_POST
def review_hide(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    require_role(request.user, Role.DISTRICT_ADMIN)
    try:
        found = Review.objects.get(pk=review_id)
    except Review.DoesNotExist as error:
        raise Http404 from error
    form = ReasonForm(request.POST)
    if form.is_valid():
        run_and_tell(
            request, lambda: do_hide_review(found, actor=request_user(request), reason=form.cleaned_data["reason"])
        )
    else:
        messages.error(request, _("Say why the review is hidden."))
    return redirect("care:reviews_moderation")


# Complaints


def _complaint_service(request: HttpRequest) -> Service | None:
    """The published service a complaint page was opened from (`?servizio=`), if any."""
    wanted = request.GET.get("servizio")
    if wanted is None or not _is_uuid(wanted):
        return None
    return Service.objects.filter(pk=wanted, status=Service.Status.PUBLISHED).first()


def _is_uuid(value: str | None) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    """File a complaint: a resident (or someone acting for them), or anyone about a municipal service."""
    anonymous = not request.user.is_authenticated
    acting = None if anonymous else acting_of(request)
    if acting is not None and acting.is_delegate:
        acting.require(Power.REQUEST)
    organizations = Organization.objects.filter(services__status=Service.Status.PUBLISHED).distinct().order_by("name")
    if anonymous:
        organizations = organizations.filter(kind=Organization.Kind.MUNICIPAL)
    service = _complaint_service(request)
    initial = {"organization": service.organization_id} if service is not None else {}
    form = ComplaintForm(request.POST or None, organizations=organizations, anonymous=anonymous, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if anonymous and over_limit("complaint", request.META.get("REMOTE_ADDR", ""), limit=5, seconds=3600):
            raise PermissionDenied
        try:
            complaint = do_file_complaint(
                actor=acting.actor if acting else None, on_behalf_of=acting.on_behalf_of if acting else None,
                organization=data["organization"], text=data["text"],
                service=service if service is not None and service.organization_id == data["organization"].pk
                else None, contact_name=data.get("contact_name", ""), contact_email=data.get("contact_email", ""),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your complaint is filed with protocol %(protocol)s. The provider answers by "
                                        "%(date)s.") % {"protocol": complaint.protocol,
                                                        "date": date_format(complaint.deadline)})  # fmt: skip
            return redirect("care:my_complaints" if not anonymous else "care:complaint_new")
    return render(request, "care/complaint_new.html", {"form": form, "service": service},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_safe
def my_complaints(request: HttpRequest) -> HttpResponse:
    acting = acting_of(request)
    found = Complaint.objects.filter(complainant=acting.citizen).select_related("organization", "service")
    return render(request, "care/my_complaints.html", {"complaints": [(c, answer_of(c)) for c in found]})


@login_required
@require_safe
def provider_complaints(request: HttpRequest) -> HttpResponse:
    organizations = organizations_for_staff(request_user(request))
    if not organizations:
        raise PermissionDenied
    found = Complaint.objects.filter(organization__in=organizations).select_related("organization", "service")
    return render(request, "care/provider_complaints.html", {
        "open": found.filter(answered_at__isnull=True).order_by("deadline"),
        "answered": found.filter(answered_at__isnull=False).order_by("-answered_at")[:50],
        "today": timezone.localdate(),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def provider_complaint(request: HttpRequest, complaint_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    organizations = organizations_for_staff(user)
    if not organizations:
        raise PermissionDenied
    try:
        complaint = Complaint.objects.select_related("organization", "service").get(
            pk=complaint_id, organization__in=organizations)  # fmt: skip
    except Complaint.DoesNotExist as error:
        raise Http404 from error
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_answer_complaint(complaint, actor=user, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Answered: the answer has been sent."))
            return redirect("care:provider_complaints")
    return render(request, "care/provider_complaint.html", {
        "complaint": complaint, "text": text_of(complaint), "answer": answer_of(complaint), "form": form,
        "today": timezone.localdate(),
    }, status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_safe
def admin_complaints(request: HttpRequest) -> HttpResponse:
    """The planning office watches every complaint: those past their deadline first."""
    require_role(request.user, Role.DISTRICT_ADMIN)
    found = Complaint.objects.select_related("organization").order_by("answered_at", "deadline")
    page = page_without_count(found, request.GET.get("pagina", 1), 50)
    return render(request, "care/admin_complaints.html", {"page": page, "today": timezone.localdate()})
