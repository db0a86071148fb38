from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

istat_code_validator = RegexValidator(r"^\d{6}$", _("An ISTAT code has exactly 6 digits."))
cadastral_code_validator = RegexValidator(r"^[A-Z]\d{3}$", _("A cadastral code is a letter and 3 digits."))


class District(models.Model):
    """An ambito territoriale: municipalities that plan social services together."""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    province = models.CharField(_("province"), max_length=2)
    region = models.CharField(_("region"), max_length=100)
    lead_municipality = models.ForeignKey(
        "Municipality",
        verbose_name=_("lead municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    office_name = models.CharField(_("planning office"), max_length=200, blank=True)
    office_email = models.EmailField(_("planning office email"), blank=True)
    office_phone = models.CharField(_("planning office phone"), max_length=40, blank=True)
    office_address = models.CharField(_("planning office address"), max_length=200, blank=True)
    # Named in the privacy notice and the accessibility statement; the planning office edits them.
    controller_name = models.CharField(
        _("data controller"), max_length=200, blank=True,
        help_text=_("Usually the lead municipality, e.g. “Comune di Tradate”, for the municipalities of the district."),
    )  # fmt: skip
    controller_contact = models.CharField(_("data controller's address and certified email (PEC)"), max_length=300,
                                          blank=True)  # fmt: skip
    dpo_name = models.CharField(_("data protection officer"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("data protection officer's email"), blank=True)
    accessibility_statement_url = models.URLField(
        _("accessibility statement published with AgID's form"), blank=True,
        help_text=_("The address form.agid.gov.it gave the statement."),
    )  # fmt: skip
    accessibility_statement_date = models.DateField(_("date of the accessibility statement"), null=True, blank=True)
    # The logo in the header, served by the portal itself (portal:district_logo) under its digest, so browsers
    # keep it for a year and a new logo is a new address. PNG or JPEG only (an SVG could carry scripts).
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    logo_digest = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="municipalities"
    )
    name = models.CharField(_("name"), max_length=100)
    istat_code = models.CharField(_("ISTAT code"), max_length=6, unique=True, validators=[istat_code_validator])
    cadastral_code = models.CharField(
        _("cadastral code"), max_length=4, unique=True, validators=[cadastral_code_validator]
    )
    postal_codes = models.JSONField(_("postal codes"), default=list)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SocialPoint(models.Model):
    """A physical listening point where cooperative social workers help residents."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="social_points"
    )
    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=5)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    directions = models.CharField(_("how to get there"), max_length=300, blank=True)
    is_active = models.BooleanField(_("open to the public"), default=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("appointment length in minutes"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(120)],
        help_text=_("Opening hours are divided into appointment slots of this length."),
    )
    # Written by the Social Point's operators for visitors ("bring your ISEE", "entrance from the courtyard").
    notes = models.TextField(
        _("notice for visitors"), max_length=600, blank=True,
        help_text=_("Shown with the address and hours. Plain text, up to 600 characters."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("Social Point")
        verbose_name_plural = _("Social Points")
        ordering = ["municipality__name", "name"]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """One opening interval of a Social Point on one weekday (0 = Monday)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    social_point = models.ForeignKey(SocialPoint, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="opening_hours_closes_after_opens"
            ),
            models.UniqueConstraint(fields=["social_point", "weekday", "opens"], name="opening_hours_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningException(models.Model):
    """Days on which a Social Point's weekly hours do not apply: a closure (holidays, a strike, the summer), or
    other hours (an extra Saturday, mornings only in August). From `first_day` to `last_day` inclusive.

    A closure wins over everything; otherwise the exceptions' hours replace the weekly hours on their days
    (territory.hours.intervals_on is the rule, and the booking slots follow it)."""

    social_point = models.ForeignKey(SocialPoint, on_delete=models.CASCADE, related_name="exceptions")
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("to (inclusive)"))
    opens = models.TimeField(_("opens"), null=True, blank=True)  # both empty: closed
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason shown to visitors"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opening exception")
        verbose_name_plural = _("opening exceptions")
        ordering = ["first_day", "opens"]
        constraints = [
            models.CheckConstraint(condition=models.Q(last_day__gte=models.F("first_day")),
                                   name="opening_exception_days_in_order"),
            models.CheckConstraint(
                condition=models.Q(opens__isnull=True, closes__isnull=True)
                | models.Q(opens__isnull=False, closes__isnull=False, closes__gt=models.F("opens")),
                name="opening_exception_hours_in_order",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["social_point", "last_day"])]

    def __str__(self) -> str:
        return f"{self.first_day:%Y-%m-%d}–{self.last_day:%Y-%m-%d}"

    @property
    def is_closure(self) -> bool:
        return self.opens is None


class DistrictPage(models.Model):
    """A short guide ("Come funziona il voucher") or a piece of news ("Ondata di calore: chi chiamare") the
    planning office writes, in Italian and English, as plain text with headings, lists and links
    (lib.plain_text). Shown on the home page and in the search results it matches once published."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Guide")
        NEWS = "news", _("News")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="pages")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GUIDE)
    slug = models.SlugField(_("address"), max_length=80)
    title_it = models.CharField(_("title in Italian"), max_length=150)
    title_en = models.CharField(_("title in English"), max_length=150)
    body_it = models.TextField(_("text in Italian"), max_length=8000)
    body_en = models.TextField(_("text in English"), max_length=8000)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("district page")
        verbose_name_plural = _("district pages")
        ordering = ["-published_at", "title_it"]
        constraints = [models.UniqueConstraint(fields=["district", "slug"], name="district_page_unique_slug")]

    def __str__(self) -> str:
        return self.title_it

    @property
    def title(self) -> str:
        return self.title_en if translation.get_language() == "en" else self.title_it

    @property
    def body(self) -> str:
        return self.body_en if translation.get_language() == "en" else self.body_it
