"""Complaints (reclami): a resident, their delegate, an operator for them, or anyone about a municipal service files
one about a provider; it gets a protocol code and 30 days for the provider's answer, with a reminder five days
before and the planning office told when the deadline passes. The answer reaches the complainant by their channel."""

import datetime as dt
import secrets
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.models import Role, User
from welfare.accounts.notices import channel_of, notify_resident
from welfare.audit.actions import record
from welfare.care.models import Complaint, ServiceRequest
from welfare.catalogue.models import Organization, Service
from welfare.lib.encryption import decrypt, encrypt
from welfare.lib.mail import absolute_url, send_after_commit

ANSWER_DAYS = 30
REMIND_DAYS_BEFORE = 5


def text_of(complaint: Complaint) -> str:
    return decrypt(complaint.text_encrypted)


def answer_of(complaint: Complaint) -> str:
    return decrypt(complaint.answer_encrypted) if complaint.answer_encrypted else ""


def _staff_of(organization_id: uuid.UUID) -> list[User]:
    return list(User.objects.filter(memberships__role=Role.PROVIDER_STAFF, memberships__organization_id=organization_id,
                                    is_active=True).distinct())  # fmt: skip


@transaction.atomic
def do_file_complaint(
    *, actor: User | None, organization: Organization, text: str, service: Service | None = None,
    request: ServiceRequest | None = None, on_behalf_of: User | None = None, contact_name: str = "",
    contact_email: str = "",
) -> Complaint:  # fmt: skip
    """File a complaint. Someone without an account may complain only about a municipal service, and leaves a name
    and an email for the answer."""
    complainant = on_behalf_of or actor
    if not text.strip():
        raise ValidationError(_("Say what went wrong."), code="text_required")
    if complainant is None:
        if organization.kind != Organization.Kind.MUNICIPAL:
            raise PermissionDenied
        if not contact_name.strip() or not contact_email.strip():
            raise ValidationError(_("Leave your name and email: the answer is sent there."), code="contact_required")
    if service is not None and service.organization_id != organization.pk:
        raise ValidationError(_("This service is not of that provider."), code="mismatch")
    today = timezone.localdate()
    for _attempt in range(5):
        protocol = f"RCL-{today.year}-{secrets.token_hex(3).upper()}"
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(
                    protocol=protocol, organization=organization, service=service, request=request,
                    complainant=complainant, contact_name=contact_name.strip(), contact_email=contact_email.strip(),
                    text_encrypted=encrypt(text.strip()), deadline=today + dt.timedelta(days=ANSWER_DAYS),
                )  # fmt: skip
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover (five random collisions in a row)
        raise RuntimeError("No free protocol code.")
    record(actor, "complaint.filed", complaint, on_behalf_of=on_behalf_of if on_behalf_of != actor else None,
           organization=str(organization.pk))  # fmt: skip
    link = absolute_url(reverse("care:provider_complaint", args=[complaint.pk]))
    for user in _staff_of(organization.pk):
        send_after_commit("care/email/complaint_filed", user.email, {"protocol": protocol, "link": link,
                                                                      "deadline": complaint.deadline.isoformat()},
                          user.preferred_language)  # fmt: skip
    return complaint


@transaction.atomic
def do_answer_complaint(complaint: Complaint, *, actor: User, answer: str) -> Complaint:
    if not actor.memberships.filter(role=Role.PROVIDER_STAFF, organization_id=complaint.organization_id).exists():
        raise PermissionDenied
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.is_answered:
        raise ValidationError(_("This complaint has already been answered."), code="already_answered")
    if not answer.strip():
        raise ValidationError(_("Write the answer."), code="answer_required")
    locked.answer_encrypted, locked.answered_at, locked.answered_by = encrypt(answer.strip()), timezone.now(), actor
    locked.save(update_fields=["answer_encrypted", "answered_at", "answered_by"])
    record(actor, "complaint.answered", locked, on_time=timezone.localdate() <= locked.deadline)
    context = {"protocol": locked.protocol, "link": absolute_url(reverse("care:my_complaints"))}
    if locked.complainant is not None:
        if channel_of(locked.complainant) != "email":  # a letter or a call carries the answer itself
            context["answer"] = answer.strip()
        notify_resident(locked.complainant, "care/email/complaint_answered", context)
    elif locked.contact_email:
        context["answer"] = answer.strip()
        send_after_commit("care/email/complaint_answered", locked.contact_email, context, "it")
    return locked


def do_follow_complaints(today: dt.date | None = None) -> tuple[int, int]:
    """Remind the provider five days before the deadline; past it, tell the planning office. Each once. Returns
    (reminded, escalated)."""
    today = today or timezone.localdate()
    reminded = escalated = 0
    for complaint in Complaint.objects.filter(answered_at__isnull=True, reminded_at__isnull=True,
                                              deadline__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE)):  # fmt: skip
        if not Complaint.objects.filter(pk=complaint.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
            continue
        context = {"protocol": complaint.protocol, "deadline": complaint.deadline.isoformat(),
                   "link": absolute_url(reverse("care:provider_complaint", args=[complaint.pk]))}  # fmt: skip
        for user in _staff_of(complaint.organization_id):
            send_after_commit("care/email/complaint_reminder", user.email, context, user.preferred_language)
        record(None, "complaint.reminded", complaint)
        reminded += 1
    admins = User.objects.filter(memberships__role=Role.DISTRICT_ADMIN, is_active=True).distinct()
    for complaint in Complaint.objects.filter(answered_at__isnull=True, escalated_at__isnull=True, deadline__lt=today):
        if not Complaint.objects.filter(pk=complaint.pk, escalated_at__isnull=True).update(escalated_at=timezone.now()):
            continue
        context = {"protocol": complaint.protocol, "organization": complaint.organization.name,
                   "link": absolute_url(reverse("care:admin_complaints"))}  # fmt: skip
        for user in admins:
            send_after_commit("care/email/complaint_escalated", user.email, context, user.preferred_language)
        record(None, "complaint.escalated", complaint)
        escalated += 1
    return reminded, escalated
