"""Vouchers (bando per la domiciliarità): programmes, applications, the ranking per municipality, and the
vouchers themselves, spent with accredited providers (the accreditations live in the catalogue). Their money
lives in the ledger."""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from welfare.lib.uploads import private_storage

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_protocol() -> str:
    return random_code(8)


def new_verification_code() -> str:
    return random_code(12)


class Programme(models.Model):
    """A voucher programme (bando): who may apply, when, for what, with which money."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey("territory.District", on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name for the web address"), unique=True)
    description = models.TextField(_("description"))
    kinds = models.ManyToManyField(
        "catalogue.TaxonomyTerm", verbose_name=_("kinds of service it pays for"), related_name="programmes"
    )
    applications_open_on = models.DateField(_("applications open on"))
    applications_close_on = models.DateField(_("applications close on"))
    vouchers_valid_from = models.DateField(_("vouchers valid from"))
    vouchers_valid_until = models.DateField(_("vouchers valid until"))
    required_documents = models.JSONField(_("documents required"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voucher programme")
        verbose_name_plural = _("voucher programmes")
        ordering = ["-applications_open_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applications_close_on__gte=models.F("applications_open_on")),
                name="programme_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(vouchers_valid_until__gte=models.F("vouchers_valid_from")),
                name="programme_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_open_for_applications(self) -> bool:
        return self.is_published and self.applications_open_on <= timezone.localdate() <= self.applications_close_on

    def window_closed(self) -> bool:
        return timezone.localdate() > self.applications_close_on


class IseeBand(models.Model):
    """Families with an ISEE up to `isee_up_to_cents` (inclusive) pay `copay_percent` of every hour."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="bands")
    isee_up_to_cents = models.BigIntegerField(
        _("ISEE up to (cents)"), null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("Empty: no upper limit."),
    )  # fmt: skip
    copay_percent = models.PositiveSmallIntegerField(_("co-payment %"), validators=[MaxValueValidator(100)])
    max_voucher_cents = models.PositiveIntegerField(_("voucher value (cents)"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("ISEE band")
        verbose_name_plural = _("ISEE bands")
        ordering = [models.F("isee_up_to_cents").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(fields=["programme", "isee_up_to_cents"], name="band_unique_limit"),
            models.CheckConstraint(condition=models.Q(copay_percent__lte=100), name="band_copay_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"≤ {self.isee_up_to_cents} → {self.copay_percent}%"


class ProgrammeBudget(models.Model):
    """What a municipality puts into a programme. The money itself is the ledger's budget account."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.PROTECT, related_name="+")
    allocated_cents = models.PositiveBigIntegerField(_("budget (cents)"), default=0)

    class Meta:
        verbose_name = _("programme budget")
        verbose_name_plural = _("programme budgets")
        ordering = ["municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "municipality"], name="budget_unique_per_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.municipality}"


dsu_protocol_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{9,39}$",
    _("Write the DSU protocol number as on the INPS receipt, e.g. INPS-ISEE-2026-12345678A-00."),
)


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft, not sent")
        SUBMITTED = "submitted", _("Sent, waiting for assessment")
        INFO_REQUESTED = "info_requested", _("More information requested")
        APPROVED = "approved", _("Admissible, waiting for the ranking")
        REJECTED = "rejected", _("Not admissible")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Outcome(models.TextChoices):
        FUNDED = "funded", _("Voucher issued")
        WAITING = "waiting", _("On the waiting list")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    protocol = models.CharField(_("protocol"), max_length=12, unique=True, default=new_protocol, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="voucher_applications"
    )
    beneficiary_member = models.ForeignKey(
        "accounts.HouseholdMember",
        verbose_name=_("for whom"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voucher_applications",
    )
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.PROTECT, related_name="+")
    isee_cents = models.BigIntegerField(_("ISEE in cents"), null=True, blank=True, validators=[MinValueValidator(0)])
    dsu_protocol = models.CharField(_("DSU protocol number"), max_length=40, blank=True)
    dsu_expires_on = models.DateField(_("ISEE valid until"), null=True, blank=True)
    household_situation = models.TextField(_("household situation"), blank=True)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The assessment by the municipality's social worker.
    need_score = models.PositiveSmallIntegerField(
        _("need score"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    assessment_notes_encrypted = models.TextField(blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(null=True, blank=True)
    # Fixed when the application is assessed, from the programme's ISEE bands.
    copay_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    voucher_value_cents = models.PositiveIntegerField(null=True, blank=True)
    # The ranking.
    rank_position = models.PositiveIntegerField(_("position"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("voucher application")
        verbose_name_plural = _("voucher applications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["programme", "municipality", "status"]),
            models.Index(fields=["applicant", "-created_at"]),
            # the social worker's queue, counted from the index (the applicant: closed accounts are left out)
            models.Index(fields=["municipality", "status", "submitted_at", "applicant"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(need_score__isnull=True) | models.Q(need_score__lte=100),
                name="application_need_score_range",
            ),
        ]

    def __str__(self) -> str:
        return self.protocol

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.INFO_REQUESTED)

    @property
    def where_it_stands(self) -> str:
        """The one status to show: once the ranking has decided (voucher issued, waiting list), that is where
        the application stands; "admissible, waiting for the ranking" next to "voucher issued" says two things."""
        if self.outcome:
            return str(self.get_outcome_display())
        return str(self.get_status_display())

    @property
    def beneficiary_name(self) -> str:
        return self.beneficiary_member.full_name if self.beneficiary_member else self.applicant.get_full_name()


def application_document_path(instance: "ApplicationDocument", filename: str) -> str:
    return f"voucher-applications/{instance.application_id}/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class ApplicationDocument(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(storage=private_storage, upload_to=application_document_path)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class Ranking(models.Model):
    """The graduatoria of one municipality in one programme: computed, then published, then served."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rankings")
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        constraints = [
            models.UniqueConstraint(fields=["programme", "municipality"], name="ranking_unique_per_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.municipality}"


class Voucher(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="vouchers")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="voucher")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vouchers")
    beneficiary_member = models.ForeignKey(
        "accounts.HouseholdMember", on_delete=models.PROTECT, null=True, blank=True, related_name="vouchers"
    )
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.PROTECT, related_name="+")
    value_cents = models.PositiveIntegerField(_("value"))
    copay_percent = models.PositiveSmallIntegerField(_("co-payment %"), validators=[MaxValueValidator(100)])
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    verification_code = models.CharField(max_length=12, unique=True, default=new_verification_code, editable=False)
    issued_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(copay_percent__lte=100), name="voucher_copay_at_most_100"),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")), name="voucher_validity_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} – {self.verification_code}"

    @property
    def beneficiary_name(self) -> str:
        return self.beneficiary_member.full_name if self.beneficiary_member else self.holder.get_full_name()

    def is_usable_on(self, day: object) -> bool:
        return self.status == self.Status.ACTIVE and self.valid_from <= day <= self.valid_until  # type: ignore[operator]
