"""What providers delivered (sessions), what families said about it, and the monthly statements
(rendicontazione) the planning office approves. A session's money moves through the ledger."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Session(models.Model):
    """One delivered session. Never edited: a correction is a new session that `corrects` this one."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        CORRECTED = "corrected", _("Replaced by a correction")
        WITHDRAWN = "withdrawn", _("Withdrawn by the provider")

    class Confirmation(models.TextChoices):
        PENDING = "pending", _("Waiting for the family")
        CONFIRMED = "confirmed", _("Confirmed by the family")
        SILENT = "silent", _("Confirmed: no answer in time")
        DISPUTED = "disputed", _("Disputed by the family")
        RESOLVED = "resolved", _("Dispute answered by the provider")

    class Flag(models.TextChoices):
        BEYOND_VALIDITY = "beyond_validity", _("Outside the voucher's validity: the voucher does not pay")
        BEFORE_START = "before_start", _("Before the agreed start date")
        NO_VOUCHER_LEFT = "no_voucher_left", _("The voucher was used up: the family pays the rest")
        NO_CREDIT_LEFT = "no_credit_left", _("The employer credit was used up: the family pays the rest")
        CREDIT_CLOSED = "credit_closed", _("The employer credit no longer pays: the family pays its share")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey("care.ServiceRequest", on_delete=models.PROTECT, related_name="sessions")
    organization = models.ForeignKey("catalogue.Organization", on_delete=models.PROTECT, related_name="sessions")
    voucher = models.ForeignKey(
        "vouchers.Voucher", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    wallet = models.ForeignKey(
        "employers.Wallet", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    day = models.DateField(_("date"))
    starts_at = models.TimeField(_("start time"))
    ends_at = models.TimeField(_("end time"))
    minutes = models.PositiveIntegerField(_("minutes"))
    operator = models.CharField(_("operator"), max_length=200)
    activity = models.CharField(
        _("activity"), max_length=500, help_text=_("What was done, in a few words. No health details.")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    external_id = models.CharField(_("your reference"), max_length=100, blank=True)
    corrects = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction")
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    confirmation = models.CharField(max_length=10, choices=Confirmation.choices, default=Confirmation.PENDING)
    confirm_by = models.DateField()
    answered_at = models.DateTimeField(null=True, blank=True)
    dispute_reason = models.CharField(_("what is wrong"), max_length=500, blank=True)
    resolution_note = models.CharField(_("answer to the dispute"), max_length=500, blank=True)
    flags = models.JSONField(default=list, blank=True)
    # Price and split, fixed when the session is logged.
    tariff_cents = models.PositiveIntegerField()
    amount_cents = models.PositiveIntegerField()
    voucher_cents = models.PositiveIntegerField(default=0)
    copayment_cents = models.PositiveIntegerField(default=0)
    employer_cents = models.PositiveIntegerField(default=0)
    transaction = models.OneToOneField(
        "ledger.Transaction", on_delete=models.PROTECT, null=True, blank=True, related_name="session"
    )
    statement = models.ForeignKey("Statement", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivered session")
        verbose_name_plural = _("delivered sessions")
        ordering = ["day", "starts_at", "created_at"]
        indexes = [
            models.Index(fields=["organization", "day"]),
            models.Index(fields=["request", "day"]),
            models.Index(fields=["request", "confirmation"]),  # "sessions to check" on the family's timeline
            models.Index(fields=["confirmation", "confirm_by"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    amount_cents=models.F("voucher_cents") + models.F("copayment_cents") + models.F("employer_cents")
                ),
                name="session_split_adds_up",
            ),
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=~models.Q(external_id="") & models.Q(status="valid"),  # a correction takes the reference over
                name="session_external_id_unique_per_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def counts(self) -> bool:
        """Whether the session goes into a statement: valid, and not held by an open dispute."""
        return self.is_valid and self.confirmation != self.Confirmation.DISPUTED

    def flag_labels(self) -> list[str]:
        return [str(self.Flag(code).label) for code in self.flags if code in self.Flag.values]


class Statement(models.Model):
    """A provider's month of sessions in one programme (rendicontazione). Approved means locked."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the planning office")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey("catalogue.Organization", on_delete=models.PROTECT, related_name="statements")
    programme = models.ForeignKey("vouchers.Programme", on_delete=models.PROTECT, related_name="statements")
    month = models.DateField(_("month"))  # the first day of the month
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    sessions_count = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(default=0)
    amount_cents = models.PositiveBigIntegerField(default=0)
    voucher_cents = models.PositiveBigIntegerField(default=0)
    copayment_cents = models.PositiveBigIntegerField(default=0)
    employer_cents = models.PositiveBigIntegerField(default=0)
    returned_reason = models.TextField(_("reason for returning"), blank=True)
    generated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("monthly statement")
        verbose_name_plural = _("monthly statements")
        ordering = ["-month", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "programme", "month"], name="statement_unique_month"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.APPROVED)
