"""The catalogue, shaped on Open Referral HSDS 3.0: organisations, services, locations, taxonomy; and the
accreditation of providers' services for vouchers, which the catalogue shows on every service it concerns."""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from welfare.territory.models import OpeningHours


class Organization(models.Model):
    """A provider of services: a municipality's own service or a cooperative."""

    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal service")
        COOPERATIVE = "cooperative", _("Social cooperative")
        OTHER = "other", _("Other provider")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    tax_code = models.CharField(_("tax code or VAT number"), max_length=16, unique=True)
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("For a municipal service, the municipality it belongs to."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.URLField(_("logo"), blank=True, help_text=_("Address of the logo image, published in the open data."))
    is_active = models.BooleanField(_("active"), default=True)
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# The two taxonomies every installation has (data/taxonomy.json): kinds of service, under areas, and target groups.
SERVICE_KINDS = "servizi-welfare"
TARGET_GROUPS = "destinatari"


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    version = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TermQuerySet(models.QuerySet["TaxonomyTerm"]):
    def active(self) -> "TermQuerySet":
        """Terms not retired: the only ones offered for new choices."""
        return self.filter(retired_at__isnull=True)


class TaxonomyTerm(models.Model):
    """A service kind (e.g. ADM, SAD) or a target group, with Italian and English labels."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    code = models.SlugField(max_length=60)
    name_it = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    description_it = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    position = models.PositiveSmallIntegerField(default=0)
    # Retired by the planning office: no longer offered for services, in the search or on the home page; kept
    # for what already names it (HSDS, past programmes). catalogue.actions.do_retire_term moves its services.
    retired_at = models.DateTimeField(_("retired on"), null=True, blank=True)
    last_modified = models.DateTimeField(auto_now=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["position", "name_it"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="taxonomy_term_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_it

    @property
    def description(self) -> str:
        return self.description_en if translation.get_language() == "en" else self.description_it


class Location(models.Model):
    """A place where services are delivered; a Social Point is one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="locations"
    )
    social_point = models.OneToOneField(
        "territory.SocialPoint", on_delete=models.CASCADE, null=True, blank=True, related_name="location"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=5)
    municipality = models.ForeignKey("territory.Municipality", verbose_name=_("municipality"), on_delete=models.PROTECT)
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned for changes")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    kinds = models.ManyToManyField(TaxonomyTerm, verbose_name=_("kind of service"), related_name="services")
    target_groups = models.ManyToManyField(
        TaxonomyTerm, verbose_name=_("who it is for"), related_name="services_for_group", blank=True
    )
    areas_served = models.ManyToManyField(
        "territory.Municipality", verbose_name=_("municipalities served"), related_name="services"
    )
    eligibility_description = models.TextField(_("who can use it"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    application_process = models.TextField(_("how to access it"), blank=True)
    fees_description = models.TextField(_("costs explained"), blank=True)
    required_documents = models.JSONField(_("documents needed"), default=list, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    url = models.URLField(_("web page"), blank=True)
    voucher_eligible = models.BooleanField(
        _("payable with a municipal voucher"),
        default=False,
        help_text=_("The voucher programmes will link to this."),
    )
    free_places = models.PositiveIntegerField(
        _("new families it can take now"),
        null=True,
        blank=True,
        help_text=_("Leave empty if it has no limit."),
    )
    returned_reason = models.TextField(_("reason for returning"), blank=True)
    search_document = models.TextField(editable=False, default="")
    # PostgreSQL only (SQLite leaves it empty and uses its FTS5 table): the document as a tsvector,
    # stored once per change so that searching and ranking do not recompute it on every row.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_modified = models.DateTimeField(auto_now=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "name"]),
        ]  # the full-text indexes are made by migration 0002, one per database (see catalogue/search.py)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class CostOption(models.Model):
    class Unit(models.TextChoices):
        HOUR = "hour", _("per hour")
        SESSION = "session", _("per session")
        DAY = "day", _("per day")
        WEEK = "week", _("per week")
        MONTH = "month", _("per month")
        MEAL = "meal", _("per meal")
        TRIP = "trip", _("per trip")
        ONE_OFF = "one_off", _("one-off")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    label = models.CharField(_("option"), max_length=200, blank=True)
    amount_cents = models.PositiveIntegerField(_("amount in cents"), validators=[MinValueValidator(0)])
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)

    class Meta:
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")
        ordering = ["amount_cents"]

    def __str__(self) -> str:
        return f"{self.amount_cents / 100:.2f} € {self.get_unit_display()}"

    @property
    def is_free(self) -> bool:
        return self.amount_cents == 0


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="service_at_location_unique")]

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class Schedule(models.Model):
    """When a service is available at a location (weekday 0 = Monday)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service_at_location = models.ForeignKey(ServiceAtLocation, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(choices=OpeningHours.Weekday.choices)
    opens_at = models.TimeField()
    closes_at = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="schedule_closes_after_opens"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


# Accreditation (patto di accreditamento)


class AccreditationCall(models.Model):
    """The planning office invites providers to be accredited for some kinds of service."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    district = models.ForeignKey("territory.District", on_delete=models.PROTECT, related_name="accreditation_calls")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kinds = models.ManyToManyField(
        "catalogue.TaxonomyTerm", verbose_name=_("kinds of service"), related_name="+",
        db_table="vouchers_accreditationcall_kinds",
    )  # fmt: skip
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "vouchers_accreditationcall"  # created by the vouchers app, which held the model until 2026-11
        verbose_name = _("accreditation call")
        verbose_name_plural = _("accreditation calls")
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="call_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self) -> bool:
        return self.opens_on <= timezone.localdate() <= self.closes_on


class Accreditation(models.Model):
    """A provider's accreditation for one kind of service at an hourly tariff (patto di accreditamento)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        APPROVED = "approved", _("Accredited")
        RETURNED = "returned", _("Returned for changes")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    call = models.ForeignKey(AccreditationCall, on_delete=models.PROTECT, related_name="accreditations")
    organization = models.ForeignKey("catalogue.Organization", on_delete=models.PROTECT, related_name="accreditations")
    kind = models.ForeignKey(
        "catalogue.TaxonomyTerm", verbose_name=_("kind of service"), on_delete=models.PROTECT, related_name="+"
    )
    services = models.ManyToManyField(
        "catalogue.Service", verbose_name=_("services offered"), related_name="accreditations",
        db_table="vouchers_accreditation_services",
    )  # fmt: skip
    hourly_tariff_cents = models.PositiveIntegerField(_("hourly tariff in cents"), validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    returned_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "vouchers_accreditation"
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["organization__name", "kind__position"]
        constraints = [
            models.UniqueConstraint(fields=["call", "organization", "kind"], name="accreditation_unique_per_call_kind"),
            models.CheckConstraint(
                condition=~models.Q(status="approved")
                | models.Q(valid_from__isnull=False, valid_until__gte=models.F("valid_from")),
                name="accreditation_approved_has_validity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.kind}"


class Review(models.Model):
    """A family's rating of a service it received: a few plain criteria, an optional comment (shown without names),
    the provider's one public answer, and the planning office's moderation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField("care.ServiceRequest", on_delete=models.CASCADE, related_name="review")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reviews")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="reviews")
    punctuality = models.PositiveSmallIntegerField(_("punctuality"))
    kindness = models.PositiveSmallIntegerField(_("kindness"))
    competence = models.PositiveSmallIntegerField(_("competence"))
    would_recommend = models.BooleanField(_("would recommend it"))
    comment = models.TextField(_("comment"), blank=True)
    reply = models.TextField(_("the provider's answer"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("why it is hidden"), max_length=300, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(punctuality__range=(1, 5), kindness__range=(1, 5), competence__range=(1, 5)),
                name="review_scores_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.created_at:%Y-%m-%d}"

    @property
    def is_visible(self) -> bool:
        return self.hidden_at is None
