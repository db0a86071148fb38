"""What happens at a Social Point desk: orientation interviews (colloqui) and appointments."""

import re
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedArea(models.TextChoices):
    CHILDREN = "children", _("Children and young people")
    ELDERLY = "elderly", _("Older people")
    DISABILITY = "disability", _("Disability")
    WORK_INCOME = "work_income", _("Work and income")
    HOUSING = "housing", _("Housing")
    ISOLATION = "isolation", _("Loneliness and isolation")


class Interview(models.Model):
    """An orientation interview with a resident at a Social Point.

    The notes are special-category data: encrypted at rest, readable only by the operators of this
    Social Point and by the resident, every read audited (assistance.access.interview_notes_of).
    The resident's consent lets the Social Point follow their case until `consent_until`.
    """

    class Outcome(models.TextChoices):
        OPEN = "open", _("Follow-up in progress")
        ORIENTED = "oriented", _("Oriented to services")
        REFERRED = "referred", _("Referred to the municipal social services")
        CLOSED = "closed", _("Nothing more to do")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    social_point = models.ForeignKey("territory.SocialPoint", on_delete=models.PROTECT, related_name="interviews")
    resident = models.ForeignKey("accounts.CitizenProfile", on_delete=models.PROTECT, related_name="interviews")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date of the interview"))
    need_areas = models.JSONField(_("needs by area"), default=list, blank=True)
    notes_encrypted = models.TextField(editable=False, blank=True, default="")
    services_proposed = models.ManyToManyField(
        "catalogue.Service", verbose_name=_("services proposed"), blank=True, related_name="+"
    )
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    consent_notice_version = models.CharField(max_length=20)
    consent_until = models.DateField(_("the resident agrees to be followed until"))
    # The consent as authority: what lets the Social Point act for the resident until it lapses or is withdrawn.
    delegation = models.OneToOneField(
        "accounts.Delegation", on_delete=models.PROTECT, null=True, blank=True, related_name="interview"
    )
    finder_answers = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("orientation interview")
        verbose_name_plural = _("orientation interviews")
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["social_point", "follow_up_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.social_point}"

    def need_area_labels(self) -> list[str]:
        labels = dict(NeedArea.choices)
        return [str(labels[area]) for area in self.need_areas if area in labels]


def contact_key(email: str, phone: str) -> str:
    """One person's contact, as the one-booking-per-contact rule compares it: the email in lower case, or the
    phone's digits without the Italian country code ("+39 333 123 4567", "0039 3331234567" and "333-1234567"
    are one number). Empty when there is neither."""
    if email.strip():
        return f"email:{email.strip().lower()}"
    digits = re.sub(r"\D", "", phone)
    international = phone.strip().startswith(("+", "00"))
    digits = digits.removeprefix("00") if phone.strip().startswith("00") else digits
    if international and digits.startswith("39"):
        digits = digits.removeprefix("39")
    return f"tel:{digits}" if digits else ""


class Appointment(models.Model):
    """A slot at a Social Point, booked online by a resident or a visitor, or a walk-in added at the desk.

    Partial unique indexes make double booking impossible even when two people press "book" at the
    same moment: one booking per slot, and one upcoming booking per contact (normalised email or phone)
    and Social Point. The second insert fails in the database, whatever the application checked before.
    A visitor's online booking holds the slot until they confirm it from the email (PENDING), or for
    `hold_until` at most: an agenda cannot be filled with made-up addresses.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the visitor's confirmation")
        BOOKED = "booked", _("Booked")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")
        CANCELLED = "cancelled", _("Cancelled")
        LAPSED = "lapsed", _("Not confirmed in time")

    # States in which the slot is not taken.
    FREEING_STATES = (State.CANCELLED, State.LAPSED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    social_point = models.ForeignKey("territory.SocialPoint", on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    topic = models.CharField(_("what it is about"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.BOOKED)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    language = models.CharField(max_length=8, default="it")
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # The contact, normalised ("email:…" or "tel:…"); `holds_contact` while the booking is upcoming and
    # open, so that the database allows one such booking per contact and Social Point.
    contact_key = models.CharField(max_length=260, blank=True)
    holds_contact = models.BooleanField(default=False)
    hold_until = models.DateTimeField(null=True, blank=True)  # a pending booking lapses after this
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Cancelled because the Social Point closed or changed its hours: the person was emailed, or is on the
    # agenda's list of people to call when they left no email.
    cancelled_for_hours = models.BooleanField(_("cancelled by a change of hours"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["social_point", "starts_at"],
                condition=models.Q(walk_in=False) & ~models.Q(state__in=["cancelled", "lapsed"]),
                name="appointment_one_booking_per_slot",
            ),
            models.UniqueConstraint(
                fields=["social_point", "contact_key"],
                condition=models.Q(holds_contact=True),
                name="appointment_one_upcoming_per_contact",
            ),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="appointment_ends"),
        ]
        indexes = [models.Index(fields=["social_point", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.social_point}"


class Rectification(models.Model):
    """A resident asks to correct what they cannot edit themself (GDPR art. 16): the codice fiscale, what SPID or
    CIE verified, what staff recorded. The Social Point that follows them (or their municipality's) handles it,
    corrects it where the data lives, and answers; the resident sees the answer in their area and by email."""

    class About(models.TextChoices):
        IDENTITY = "identity", _("My identity: codice fiscale, name, date of birth")
        RECORDED = "recorded", _("Something staff recorded: an interview, an assessment, a request")
        OTHER = "other", _("Something else")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the Social Point")
        DONE = "done", _("Corrected")
        REFUSED = "refused", _("Not corrected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resident = models.ForeignKey("accounts.CitizenProfile", on_delete=models.PROTECT, related_name="rectifications")
    social_point = models.ForeignKey("territory.SocialPoint", on_delete=models.PROTECT, related_name="rectifications")
    about = models.CharField(_("what is wrong"), max_length=10, choices=About.choices)
    details = models.TextField(_("what it says and what it should say"), max_length=2000)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")  # fmt: skip
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)

    class Meta:
        verbose_name = _("request for rectification")
        verbose_name_plural = _("requests for rectification")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["social_point", "state"])]

    def __str__(self) -> str:
        return f"{self.get_about_display()} ({self.created_at:%d/%m/%Y})"
