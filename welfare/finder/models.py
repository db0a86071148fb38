"""The needs finder's rules: data the planning office edits, not code.

A rule says "when the answers look like this, suggest services of these kinds, because …". Every
condition is optional; a rule matches when all the conditions it sets hold.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Who(models.TextChoices):
    SELF = "self", _("I do")
    CHILD = "child", _("A son or daughter")
    PARENT = "parent", _("A parent or grandparent")
    PARTNER = "partner", _("My spouse or partner")
    OTHER = "other", _("Someone else in the family")


class HelpKind(models.TextChoices):
    SCHOOL = "school", _("Support with school and homework")
    EDUCATION = "education", _("An educator at home or at school")
    CHILDCARE = "childcare", _("Looking after children, holidays included")
    HOME_CARE = "home_care", _("Help at home (personal care, housework, meals)")
    DISABILITY = "disability", _("Support for a person with disability")
    RELIEF = "relief", _("A break for the family carer")
    TRANSPORT = "transport", _("Getting to appointments and services")
    FAMILY = "family", _("Advice for the family or the couple")
    WORK_INCOME = "work_income", _("Work, income or paying bills")
    COMPANY = "company", _("Company and social life")


class Urgency(models.TextChoices):
    NOW = "now", _("Now: within a week")
    SOON = "soon", _("Soon: within a month")
    PLANNING = "planning", _("I am planning ahead")


class IseeAnswer(models.TextChoices):
    """What a family answers in the needs finder about its ISEE: a rough range, not a programme's band."""

    UNDER_10K = "under_10k", _("Up to €10,000")
    UNDER_20K = "under_20k", _("€10,000 to €20,000")
    UNDER_30K = "under_30k", _("€20,000 to €30,000")
    OVER_30K = "over_30k", _("Over €30,000")
    NONE = "none", _("We have no ISEE, or I do not know")


class FinderRule(models.Model):
    district = models.ForeignKey("territory.District", on_delete=models.CASCADE, related_name="finder_rules")
    name = models.CharField(_("name"), max_length=120, help_text=_("For the planning office; not shown to residents."))
    who = models.JSONField(_("for whom"), default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("up to age"), null=True, blank=True)
    help_kinds = models.JSONField(_("kind of help"), default=list, blank=True)
    urgency = models.JSONField(_("urgency"), default=list, blank=True)
    isee_bands = models.JSONField(_("ISEE bands"), default=list, blank=True)
    municipalities = models.JSONField(_("municipalities (ISTAT codes)"), default=list, blank=True)
    lives_alone = models.BooleanField(
        _("only for people who live alone"), default=False,
        help_text=_("The resident answered that the person lives alone."),
    )  # fmt: skip
    service_kinds = models.JSONField(_("suggest services of these kinds"), default=list, blank=True)
    reason_it = models.CharField(
        _("reason (Italian)"),
        max_length=300,
        help_text=_('Shown to the resident. May use {who}, {age_years} ("8 anni"), {age} and {municipality}.'),
    )
    reason_en = models.CharField(_("reason (English)"), max_length=300)
    advice_it = models.TextField(_("advice (Italian)"), blank=True)
    advice_en = models.TextField(_("advice (English)"), blank=True)
    priority = models.PositiveSmallIntegerField(_("order"), default=100, help_text=_("Lower numbers come first."))
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("needs finder rule")
        verbose_name_plural = _("needs finder rules")
        ordering = ["priority", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="finder_rule_unique_name"),
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_max__gte=models.F("age_min")),
                name="finder_rule_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name
