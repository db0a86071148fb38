"""Reaching those who never ask: signal rules over the portal's own data, the tasks they make for the people who
do the work, and the sentinels' reports. Every task says where it came from; notes are encrypted; every view of a
task's person is audited (`outreach.access`)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Situation(models.TextChoices):
    """What a rule looks for, each a query of `outreach.signals` over an allow-list of fields (never health notes)."""

    PROPOSAL_UNREACHED = (
        "proposal_unreached",
        _("A proposal waits for a resident without email, or who prefers phone or letter"),
    )
    ISEE_EXPIRING = "isee_expiring", _("The ISEE of an application or voucher is about to lapse")
    VOUCHER_RUNNING_OUT = "voucher_running_out", _("A voucher is nearly used up, or ends soon with hours left")
    SERVICE_SILENT = "service_silent", _("A service under way has no sessions, or sessions are disputed")
    URGENT_ANSWER = "urgent_answer", _("An interview's needs finder answer says it is urgent")
    LONG_WAIT = "long_wait", _("A request waits in a full service")


class Assignee(models.TextChoices):
    FAMILY = "family", _("The resident, by their channel; and their Social Point if it follows them")
    SOCIAL_POINT = "social_point", _("The Social Point of the resident's municipality")
    SOCIAL_WORKER = "social_worker", _("The social workers of the resident's municipality")
    PLANNING_OFFICE = "planning_office", _("The planning office")


class SignalRule(models.Model):
    """A signal the planning office edits: the situation to look for, its thresholds, who gets the work, how soon."""

    situation = models.CharField(_("situation"), max_length=30, choices=Situation.choices, unique=True)
    active = models.BooleanField(_("active"), default=True)
    days = models.PositiveSmallIntegerField(
        _("days"), default=30, help_text=_("The number of days in the condition (see the situation).")
    )
    percent = models.PositiveSmallIntegerField(
        _("percentage"), default=20, help_text=_("For vouchers: what is left, as a percentage of the value.")
    )
    assignee = models.CharField(_("who gets the work"), max_length=20, choices=Assignee.choices)
    due_hours = models.PositiveSmallIntegerField(_("due within (hours)"), default=24)
    message_it = models.CharField(_("what to do (Italian)"), max_length=300)
    message_en = models.CharField(_("what to do (English)"), max_length=300)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("signal rule")
        verbose_name_plural = _("signal rules")
        ordering = ["situation"]

    def __str__(self) -> str:
        return str(self.get_situation_display())


class Campaign(models.Model):
    """A list of residents to contact, with its source, legal basis and expiry (entries are purged after it)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200, help_text=_("Who gave the list, e.g. “ATS Insubria”."))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    expires_on = models.DateField(_("expires on"))
    message_it = models.CharField(_("what to do (Italian)"), max_length=300)
    message_en = models.CharField(_("what to do (English)"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """A piece of outreach work for a place's people: reach this resident, for this reason, by then."""

    class Source(models.TextChoices):
        SIGNAL = "signal", _("Signal")
        CAMPAIGN = "campaign", _("Campaign")
        SENTINEL = "sentinel", _("Report from the community")
        HEAT_WAVE = "heat_wave", _("Heat-wave alert")
        NOTICE = "notice", _("News to tell by phone")

    class Outcome(models.TextChoices):
        OPEN = "open", _("To do")
        REACHED = "reached", _("Reached")
        NOT_REACHED = "not_reached", _("Not reached")
        REFUSED = "refused", _("Refused")
        ESCALATED = "escalated", _("Passed to the social worker")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField(max_length=10, choices=Source.choices)
    rule = models.ForeignKey(SignalRule, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks")
    key = models.CharField(max_length=120, unique=True)  # the case it is about, e.g. "proposal:<id>": one task each
    assignee = models.CharField(max_length=20, choices=Assignee.choices)
    social_point = models.ForeignKey("territory.SocialPoint", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="tasks")  # fmt: skip
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey("accounts.CitizenProfile", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="outreach_tasks")  # fmt: skip
    reason = models.CharField(_("reason"), max_length=300)
    due_at = models.DateTimeField(_("due"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.OPEN)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    notes_encrypted = models.TextField(editable=False, blank=True, default="")
    details_encrypted = models.TextField(editable=False, blank=True, default="")  # a sentinel's report
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outreach task")
        verbose_name_plural = _("outreach tasks")
        ordering = ["due_at", "created_at"]
        indexes = [
            models.Index(fields=["assignee", "social_point", "outcome", "due_at"]),
            models.Index(fields=["assignee", "municipality", "outcome", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.key}"

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN


class CallMe(models.Model):
    """A resident's wish to be called in a heat wave or another emergency, by the channel they chose."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("A phone call")
        SMS = "sms", _("A text message (SMS)")
        EMAIL = "email", _("An email")

    resident = models.OneToOneField("accounts.CitizenProfile", on_delete=models.CASCADE, related_name="call_me")
    channel = models.CharField(_("how"), max_length=8, choices=Channel.choices, default=Channel.PHONE)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    lives_alone = models.BooleanField(_("I live alone"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("call-me opt-in")
        verbose_name_plural = _("call-me opt-ins")

    def __str__(self) -> str:
        return f"{self.resident_id} {self.channel}"


class CampaignEntry(models.Model):
    """One person of a campaign's list, by codice fiscale; deleted with everything it holds when the list expires."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    codice_fiscale = models.CharField(max_length=16)
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.PROTECT, related_name="+")
    reached_interview = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "codice_fiscale"], name="campaign_entry_unique")]

    def __str__(self) -> str:
        return f"{self.campaign_id} entry"


class HeatAlert(models.Model):
    """The planning office's declaration: an alert level for some days, in some municipalities."""

    level = models.PositiveSmallIntegerField(_("level"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    municipalities = models.ManyToManyField(
        "territory.Municipality", verbose_name=_("municipalities"), related_name="+"
    )
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("heat-wave alert")
        verbose_name_plural = _("heat-wave alerts")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.level} {self.starts_on}"
