"""Requests for services: from the family's request to the provider's proposal, the service and its end."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from welfare.lib.money import Breakdown, Shares, split_copayment, split_three
from welfare.lib.uploads import private_storage


class ServiceRequest(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Sent to the provider")
        PROPOSED = "proposed", _("Proposal received")
        CONFIRMED = "confirmed", _("Confirmed, about to start")
        ACTIVE = "active", _("Service under way")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Not accepted by the provider")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Proposal expired")

    class Funding(models.TextChoices):
        FAMILY = "family", _("Paid by the family")
        VOUCHER = "voucher", _("Municipal voucher and family co-payment")
        EMPLOYER = "employer", _("Employer welfare credit")
        FREE = "free", _("Free of charge")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="requests")
    organization = models.ForeignKey("catalogue.Organization", on_delete=models.PROTECT, related_name="requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_requests")
    beneficiary_member = models.ForeignKey(
        "accounts.HouseholdMember",
        verbose_name=_("for whom"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
        help_text=_("Empty when the request is for the requester."),
    )
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.PROTECT, related_name="+")
    needs = models.TextField(_("what is needed"))
    preferred_times = models.CharField(_("preferred days and times"), max_length=300, blank=True)
    desired_start = models.DateField(_("from when"), null=True, blank=True)
    # Paid with a voucher: chosen by the family, at the provider's accredited tariff when requested.
    voucher = models.ForeignKey(
        "vouchers.Voucher", verbose_name=_("voucher"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="requests",
    )  # fmt: skip
    tariff_cents = models.PositiveIntegerField(_("accredited hourly tariff in cents"), null=True, blank=True)
    # Paid (the family's share, or all of it without a voucher) with an employer welfare credit.
    wallet = models.ForeignKey(
        "employers.Wallet", verbose_name=_("employer welfare credit"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="requests",
    )  # fmt: skip
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    # The provider's proposal.
    proposed_start = models.DateField(_("start date"), null=True, blank=True)
    proposed_schedule = models.CharField(_("days and times"), max_length=300, blank=True)
    proposed_operator = models.CharField(_("operator"), max_length=200, blank=True)
    proposed_price_cents = models.PositiveIntegerField(_("price in cents"), null=True, blank=True)
    proposed_funding = models.CharField(_("how it is paid"), max_length=10, choices=Funding.choices, blank=True)
    proposal_deadline = models.DateTimeField(_("confirm by"), null=True, blank=True)
    holds_place = models.BooleanField(default=False, editable=False)  # the proposal took one place of capacity
    review_asked_at = models.DateTimeField(null=True, blank=True, editable=False)  # the family was asked to rate it
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "state", "-created_at"]),
            models.Index(fields=["organization", "-created_at"]),  # the provider's inbox without a state filter
            models.Index(fields=["requester", "-created_at"]),
            models.Index(fields=["state", "proposal_deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_state_display()})"

    @property
    def hour_breakdown(self) -> Breakdown | None:
        """With a voucher: what one hour costs at the accredited tariff, and who pays what of it."""
        if self.voucher is None or self.tariff_cents is None:
            return None
        return split_copayment(self.tariff_cents, self.voucher.copay_percent)

    @property
    def hour_shares(self) -> Shares | None:
        """With a voucher or an employer credit: who pays what of one hour (of one unit at the proposed price),
        the credit as far as what is left of it today goes."""
        price = self.tariff_cents if self.tariff_cents is not None else self.proposed_price_cents
        if price is None or (self.voucher is None and self.wallet is None):
            return None
        return split_three(
            price,
            copay_percent=self.voucher.copay_percent if self.voucher is not None else None,
            credit_left=self.wallet.account.balance_cents if self.wallet is not None else None,
        )

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


# A request still under way (its queryset twin: `state__in=OPEN_STATES`).
OPEN_STATES = (ServiceRequest.State.SUBMITTED, ServiceRequest.State.PROPOSED, ServiceRequest.State.CONFIRMED,
               ServiceRequest.State.ACTIVE)  # fmt: skip


class RequestEvent(models.Model):
    """One step in a request's history: who moved it, for whom, from which state to which, and why."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, choices=ServiceRequest.State.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Message(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ReadMark(models.Model):
    """Up to when a participant has read a request's messages."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="read_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "user"], name="read_mark_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.request_id} at {self.read_at}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"requests/{instance.request_id}/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class Attachment(models.Model):
    """A document on a request (PDF, JPEG, PNG), stored privately and served only to the request's parties."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(storage=private_storage, upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class Complaint(models.Model):
    """A reclamo about a provider (or a municipal service): a protocol code, the provider to answer within 30 days,
    a reminder before the deadline, the planning office told when it is missed. Text and answer are encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    protocol = models.CharField(_("protocol"), max_length=20, unique=True)
    organization = models.ForeignKey("catalogue.Organization", on_delete=models.PROTECT, related_name="complaints")
    service = models.ForeignKey("catalogue.Service", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="complaints")  # fmt: skip
    request = models.ForeignKey(ServiceRequest, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="complaints")  # fmt: skip
    complainant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="complaints")  # fmt: skip
    contact_name = models.CharField(_("name"), max_length=200, blank=True)  # someone without an account
    contact_email = models.EmailField(_("email"), blank=True)
    text_encrypted = models.TextField(editable=False)
    deadline = models.DateField(_("answer by"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    answer_encrypted = models.TextField(editable=False, blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "answered_at", "deadline"])]

    def __str__(self) -> str:
        return self.protocol

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
