"""The desk for family assistance (L.R. Lombardia 15/2015, art. 6–7): the district's register of family assistants
(carers, domestic helpers, babysitters), the families' needs met at a Social Point, the proposals that put them in
touch, the hire and its follow-up; and the data the district keeps for it (requirements, the domestic work contract's
tables, the hiring guide)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from welfare.lib.uploads import private_storage


class Kind(models.TextChoices):
    CARER = "carer", _("Carer for elderly or disabled people")
    DOMESTIC = "domestic", _("Domestic helper")
    BABYSITTER = "babysitter", _("Babysitter")


class ItalianLevel(models.TextChoices):
    A1 = "A1", _("A1 – beginner")
    A2 = "A2", _("A2 – elementary")
    B1 = "B1", _("B1 – intermediate")
    B2 = "B2", _("B2 – upper intermediate")
    C1 = "C1", _("C1 – advanced")
    NATIVE = "native", _("Mother tongue")


ITALIAN_LEVELS = list(ItalianLevel.values)  # in order: a level "at least B1" is an index comparison


class Language(models.TextChoices):
    """Languages families most often ask for in the district, besides Italian."""

    ITALIAN = "it", _("Italian")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    ROMANIAN = "ro", _("Romanian")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    ALBANIAN = "sq", _("Albanian")
    ARABIC = "ar", _("Arabic")
    TAGALOG = "tl", _("Tagalog")
    CHINESE = "zh", _("Chinese")


class PermitType(models.TextChoices):
    WORK = "work", _("Residence permit for work")
    FAMILY = "family", _("Residence permit for family reasons")
    LONG_TERM = "long_term", _("EU long-term residence permit")
    PROTECTION = "protection", _("Permit for international protection")
    STUDY = "study", _("Residence permit for study")
    OTHER = "other", _("Other permit that allows work")


class Requirement(models.Model):
    """What the district asks of an assistant to list them for one kind of work: data the planning office edits."""

    kind = models.CharField(_("kind of work"), max_length=12, choices=Kind.choices, unique=True)
    min_training_hours = models.PositiveSmallIntegerField(_("minimum training hours"), default=0)
    min_experience_months = models.PositiveSmallIntegerField(_("minimum experience (months)"), default=0)
    certificates_required = models.BooleanField(_("only courses with a certificate attached count"), default=True)
    validity_months = models.PositiveSmallIntegerField(
        _("listing valid for (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    documents = models.CharField(
        _("documents checked at the interview"), max_length=300, blank=True,
        help_text=_("Shown to applicants and to the operator, e.g. identity document, criminal record certificate."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("listing requirement")
        verbose_name_plural = _("listing requirements")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Listing(models.Model):
    """One person's entry in the register of family assistants. Only the desks (Social Point operators) and the
    planning office see it; the person sees, corrects and withdraws it at any time. Nobody else, ever."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        SUBMITTED = "submitted", _("Waiting for the interview")
        LISTED = "listed", _("In the register")
        EXPIRED = "expired", _("Expired: to be renewed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assistant_listing")
    district = models.ForeignKey("territory.District", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # Identity: a codice fiscale, or (for a foreign worker) the residence permit.
    codice_fiscale = models.CharField(_("codice fiscale"), max_length=16, blank=True)
    permit_type = models.CharField(_("residence permit"), max_length=12, choices=PermitType.choices, blank=True)
    permit_number = models.CharField(_("permit number"), max_length=30, blank=True)
    permit_expires_on = models.DateField(_("permit valid until"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40)
    kinds = models.JSONField(_("kinds of work"), default=list)
    languages = models.JSONField(_("languages spoken"), default=list)
    italian_level = models.CharField(_("level of Italian"), max_length=6, choices=ItalianLevel.choices)
    # Availability
    live_in = models.BooleanField(_("available to live in"), default=False)
    nights = models.BooleanField(_("available at night"), default=False)
    weekends = models.BooleanField(_("available at weekends"), default=False)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours a week available"), validators=[MinValueValidator(1), MaxValueValidator(54)]
    )
    available_from = models.DateField(_("available from"))
    municipalities = models.ManyToManyField(
        "territory.Municipality", verbose_name=_("municipalities where you can work"), related_name="+"
    )
    consent_at = models.DateTimeField(editable=False)  # consent to be contacted through the desk
    consent_notice_version = models.CharField(max_length=20)
    # Validation at the desk
    submitted_at = models.DateTimeField(null=True, blank=True)
    interviewed_on = models.DateField(_("interview held on"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    social_point = models.ForeignKey(
        "territory.SocialPoint", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(_("what to change"), blank=True)
    expires_on = models.DateField(_("listed until"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("family assistant's listing")
        verbose_name_plural = _("register of family assistants")
        ordering = ["user__last_name", "user__first_name"]
        indexes = [models.Index(fields=["state", "expires_on"])]

    def __str__(self) -> str:
        return self.user.get_full_name()

    def kind_labels(self) -> list[str]:
        labels = dict(Kind.choices)
        return [str(labels[kind]) for kind in self.kinds if kind in labels]

    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels[code]) for code in self.languages if code in labels]


def certificate_path(instance: "Training", filename: str) -> str:
    return f"family_assistants/{instance.listing_id}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class Training(models.Model):
    """A course the assistant attended, with its certificate when they have one (a private file)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("organised by"), max_length=200, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"), validators=[MinValueValidator(1), MaxValueValidator(2000)])
    year = models.PositiveSmallIntegerField(_("year"))
    file = models.FileField(storage=private_storage, upload_to=certificate_path, blank=True)
    name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def has_certificate(self) -> bool:
        return bool(self.file)


class Experience(models.Model):
    """Work done before, with someone who can tell about it."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="experiences")
    kind = models.CharField(_("kind of work"), max_length=12, choices=Kind.choices)
    months = models.PositiveSmallIntegerField(_("months"), validators=[MinValueValidator(1), MaxValueValidator(600)])
    description = models.CharField(_("what you did"), max_length=300)
    reference_name = models.CharField(_("reference (name)"), max_length=200, blank=True)
    reference_phone = models.CharField(_("reference (phone)"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")
        ordering = ["kind", "-months"]

    def __str__(self) -> str:
        return self.description


class CaredFor(models.TextChoices):
    ELDERLY = "elderly", _("An older person")
    DISABLED = "disabled", _("A person with disability")
    CHILD = "child", _("Children")
    HOME = "home", _("The home (housework)")


# Which kind of assistant a need asks for.
KIND_FOR = {
    CaredFor.ELDERLY: Kind.CARER,
    CaredFor.DISABLED: Kind.CARER,
    CaredFor.CHILD: Kind.BABYSITTER,
    CaredFor.HOME: Kind.DOMESTIC,
}


class CareTask(models.TextChoices):
    PERSONAL_CARE = "personal_care", _("Personal care and hygiene")
    MOBILITY = "mobility", _("Help moving about")
    MEDICINES = "medicines", _("Reminding medicines")
    COMPANY = "company", _("Company and outings")
    MEALS = "meals", _("Cooking")
    HOUSEWORK = "housework", _("Housework")
    SHOPPING = "shopping", _("Shopping and errands")
    CHILDCARE = "childcare", _("Looking after children")
    HOMEWORK = "homework", _("Help with homework")


class NotHiredReason(models.TextChoices):
    FOUND_ELSEWHERE = "elsewhere", _("The family found someone else")
    COST = "cost", _("The cost was too high")
    NOT_AVAILABLE = "not_available", _("The assistants were not available")
    NO_MATCH = "no_match", _("Nobody fitting in the register")
    CHANGED = "changed", _("The family's situation changed")
    OTHER = "other", _("Other reason")


class FollowUp(models.TextChoices):
    WELL = "well", _("It is going well")
    DIFFICULTIES = "difficulties", _("There are some difficulties")
    ENDED = "ended", _("The work has ended")


class Need(models.Model):
    """A family's need for an assistant, described at the desk of a Social Point. The family never browses the
    register: the operator proposes assistants, and contacts are shared only when the assistant accepts."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Looking for an assistant")
        HIRED = "hired", _("Hired")
        NOT_HIRED = "not_hired", _("Not hired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    social_point = models.ForeignKey("territory.SocialPoint", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey("accounts.CitizenProfile", on_delete=models.PROTECT, related_name="assistant_needs")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey("territory.Municipality", verbose_name=_("municipality"),
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    cared_for = models.CharField(_("who needs care"), max_length=10, choices=CaredFor.choices)
    tasks = models.JSONField(_("tasks"), default=list)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours a week"), validators=[MinValueValidator(1), MaxValueValidator(54)]
    )
    live_in = models.BooleanField(_("living in"), default=False)
    nights = models.BooleanField(_("at night"), default=False)
    weekends = models.BooleanField(_("at weekends"), default=False)
    languages = models.JSONField(_("languages wanted"), default=list, blank=True)
    starts_on = models.DateField(_("from"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    hired = models.ForeignKey(Listing, on_delete=models.PROTECT, null=True, blank=True, related_name="hires")
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    regular_contract = models.BooleanField(_("with a regular contract (communicated to INPS)"), default=False)
    not_hired_reason = models.CharField(_("why not"), max_length=14, choices=NotHiredReason.choices, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    follow_up_due_on = models.DateField(null=True, blank=True)
    follow_up_asked_at = models.DateTimeField(null=True, blank=True)
    family_follow_up = models.CharField(max_length=14, choices=FollowUp.choices, blank=True)
    assistant_follow_up = models.CharField(max_length=14, choices=FollowUp.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("family's need for an assistant")
        verbose_name_plural = _("families' needs for an assistant")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["follow_up_due_on", "follow_up_asked_at"])]

    def __str__(self) -> str:
        return f"{self.get_cared_for_display()} – {self.municipality}"

    @property
    def kind(self) -> str:
        return KIND_FOR[CaredFor(self.cared_for)]

    def task_labels(self) -> list[str]:
        labels = dict(CareTask.choices)
        return [str(labels[task]) for task in self.tasks if task in labels]

    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels[code]) for code in self.languages if code in labels]


class Proposal(models.Model):
    """The desk proposes an assistant for a family's need, with the family's agreement; contacts are shared when the
    assistant accepts (`contacts_shared_at`)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the assistant's answer")
        ACCEPTED = "accepted", _("Accepted: contacts shared")
        DECLINED = "declined", _("Declined by the assistant")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="proposals")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="proposals")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    reasons = models.JSONField(default=list, blank=True)  # why it fits, as the desk saw it
    answered_at = models.DateTimeField(null=True, blank=True)
    contacts_shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposal of an assistant")
        verbose_name_plural = _("proposals of assistants")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["need", "listing"], name="proposal_once_per_need")]

    def __str__(self) -> str:
        return f"{self.need} – {self.listing}"


# The domestic work contract's tables (CCNL lavoro domestico), kept by the district with their year.


class Level(models.TextChoices):
    A = "A", "A"
    AS = "AS", "AS"
    B = "B", "B"
    BS = "BS", "BS"
    C = "C", "C"
    CS = "CS", "CS"
    D = "D", "D"
    DS = "DS", "DS"


class ContractYear(models.Model):
    """One year's tables: minimum pay per level, INPS contribution bands, the additional months."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    extra_months = models.DecimalField(
        _("additional months a year (13th month)"), max_digits=4, decimal_places=2, default=1
    )
    severance_divisor = models.DecimalField(
        _("severance pay: yearly pay divided by"), max_digits=5, decimal_places=2, default="13.50"
    )
    source = models.CharField(_("source of the figures"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("domestic work tables")
        verbose_name_plural = _("domestic work tables")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class PayRate(models.Model):
    """Minimum pay for a level: per hour for an assistant who does not live in, per month for one who does."""

    table = models.ForeignKey(ContractYear, on_delete=models.CASCADE, related_name="pay_rates")
    level = models.CharField(_("level"), max_length=2, choices=Level.choices)
    live_in = models.BooleanField(_("living in"))
    amount = models.DecimalField(_("minimum pay (€)"), max_digits=8, decimal_places=2,
                                 validators=[MinValueValidator(0)])  # fmt: skip

    class Meta:
        ordering = ["live_in", "level"]
        constraints = [models.UniqueConstraint(fields=["table", "level", "live_in"], name="pay_rate_unique")]

    def __str__(self) -> str:
        return f"{self.table} {self.level}"


class ContributionBand(models.Model):
    """INPS contributions per paid hour, by the effective hourly pay (up to `up_to`, or above the last band), or,
    for more than 24 hours a week, the one band whatever the pay."""

    table = models.ForeignKey(ContractYear, on_delete=models.CASCADE, related_name="bands")
    up_to = models.DecimalField(_("hourly pay up to (€)"), max_digits=6, decimal_places=2, null=True, blank=True)
    over_24_hours = models.BooleanField(_("more than 24 hours a week"), default=False)
    employer_per_hour = models.DecimalField(_("paid by the family, per hour (€)"), max_digits=5, decimal_places=2,
                                            validators=[MinValueValidator(0)])  # fmt: skip
    worker_per_hour = models.DecimalField(_("paid by the worker, per hour (€)"), max_digits=5, decimal_places=2,
                                          validators=[MinValueValidator(0)])  # fmt: skip

    class Meta:
        ordering = ["over_24_hours", models.F("up_to").asc(nulls_last=True)]

    def __str__(self) -> str:
        return f"{self.table} {self.up_to}"


class Guide(models.Model):
    """The hiring guide the district keeps: the steps of hiring, who helps (patronati, associations), the economic
    supports. Italian and English."""

    class Section(models.TextChoices):
        STEP = "step", _("Step of hiring")
        HELPER = "helper", _("Who helps")
        SUPPORT = "support", _("Economic support")

    section = models.CharField(_("section"), max_length=8, choices=Section.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_it = models.CharField(_("title (Italian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    text_it = models.TextField(_("text (Italian)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    contact = models.CharField(_("contact (address, phone, website)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("hiring guide entry")
        verbose_name_plural = _("hiring guide")
        ordering = ["section", "order", "pk"]

    def __str__(self) -> str:
        return self.title_it

    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_it

    def text(self) -> str:
        return self.text_en if get_language() == "en" else self.text_it
