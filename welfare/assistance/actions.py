"""Every write at a Social Point: interviews, appointments, reminders."""

import datetime as dt
import json
import uuid

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.actions import end_delegations, open_social_point_delegation
from welfare.accounts.models import CitizenProfile, Delegation, User
from welfare.assistance.access import consents_of
from welfare.assistance.models import Appointment, Interview, NeedArea, Rectification, contact_key
from welfare.assistance.slots import slot_at, upcoming_bookings
from welfare.audit.actions import record
from welfare.catalogue.models import Service
from welfare.lib.dates import written_date
from welfare.lib.encryption import encrypt
from welfare.lib.mail import absolute_url, send_after_commit
from welfare.territory import actions as territory_actions
from welfare.territory.hours import intervals_between
from welfare.territory.models import OpeningException, SocialPoint
from welfare.territory.queries import public_social_points

CONSENT_DAYS = 365  # how long the consent given in an interview lets the Social Point follow the case


def _encrypt_notes(notes: str) -> str:
    return encrypt(json.dumps({"notes": notes.strip()})) if notes.strip() else ""


def _check_areas(need_areas: list[str]) -> list[str]:
    unknown = set(need_areas) - set(NeedArea.values)
    if unknown:
        raise ValidationError(_("Unknown area of need."), code="need_area")
    return [area for area in NeedArea.values if area in need_areas]


@transaction.atomic
def do_record_interview(
    *,
    actor: User,
    social_point: SocialPoint,
    resident: CitizenProfile,
    held_on: dt.date,
    need_areas: list[str],
    notes: str,
    services: list[Service],
    follow_up_on: dt.date | None,
    outcome: str,
    consent_given: bool,
) -> Interview:
    """Record an orientation interview. The resident's consent is what lets the Social Point follow them."""
    if not consent_given:
        raise ValidationError(
            _("Record the interview only after the resident has accepted the privacy notice."), code="consent_required"
        )
    if held_on > timezone.localdate():
        raise ValidationError(_("The interview cannot be in the future."), code="held_on")
    if follow_up_on is not None and follow_up_on < held_on:
        raise ValidationError(_("The follow-up comes before the interview."), code="follow_up_on")
    consent_until = held_on + dt.timedelta(days=CONSENT_DAYS)
    interview = Interview.objects.create(
        social_point=social_point,
        resident=resident,
        operator=actor,
        held_on=held_on,
        need_areas=_check_areas(need_areas),
        notes_encrypted=_encrypt_notes(notes),
        follow_up_on=follow_up_on,
        outcome=outcome,
        consent_notice_version=settings.PRIVACY_NOTICE_VERSION,
        consent_until=consent_until,
        # The consent is what lets the Social Point view and request services for the household.
        delegation=open_social_point_delegation(
            resident, social_point, actor=actor, source=Delegation.Source.INTERVIEW_CONSENT,
            may_manage_vouchers=False, starts_on=held_on, ends_on=consent_until,
        ),
    )  # fmt: skip
    interview.services_proposed.set(services)
    record(actor, "interview.recorded", interview, on_behalf_of=resident.user,
           privacy_notice_version=interview.consent_notice_version)  # fmt: skip
    return interview


@transaction.atomic
def do_update_interview(
    interview: Interview,
    *,
    actor: User,
    need_areas: list[str],
    notes: str,
    services: list[Service],
    follow_up_on: dt.date | None,
    outcome: str,
) -> Interview:
    if follow_up_on is not None and follow_up_on < interview.held_on:
        raise ValidationError(_("The follow-up comes before the interview."), code="follow_up_on")
    interview.need_areas = _check_areas(need_areas)
    interview.notes_encrypted = _encrypt_notes(notes)
    interview.follow_up_on = follow_up_on
    interview.outcome = outcome
    interview.save()
    interview.services_proposed.set(services)
    record(actor, "interview.updated", interview, on_behalf_of=interview.resident.user, outcome=outcome)
    return interview


@transaction.atomic
def do_withdraw_interview_consent(interview: Interview, *, actor: User) -> None:
    """The resident no longer wants the Social Point to follow them: the consent ends today."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    consents = Interview.objects.filter(resident=interview.resident, social_point=interview.social_point)
    consents.update(consent_until=yesterday)
    end_delegations(Delegation.objects.filter(interview__in=consents), actor=actor)
    record(actor, "interview.consent_withdrawn", interview, on_behalf_of=interview.resident.user)


@transaction.atomic
def do_save_finder_answers(interview: Interview, *, actor: User, answers: dict[str, object]) -> None:
    interview.finder_answers = answers
    interview.save(update_fields=["finder_answers", "updated_at"])
    record(actor, "interview.finder_answers_saved", interview, on_behalf_of=interview.resident.user)


# Appointments


# A visitor's online booking holds its slot this long while they confirm it from the email.
HOLD_FOR = dt.timedelta(hours=2)
CONFIRMATION_SALT = "welfare.assistance.appointment-confirmation"


@transaction.atomic
def do_book_appointment(
    *,
    social_point: SocialPoint,
    starts_at: dt.datetime,
    name: str,
    email: str = "",
    phone: str = "",
    topic: str = "",
    resident: User | None = None,
    booked_by: User | None = None,
    language: str = "it",
    confirmed: bool = False,
) -> Appointment:
    """Book a free slot: one booking per slot and one upcoming booking per contact and Social Point, both
    decided by the database's unique indexes, so concurrent clicks cannot get around them.

    `confirmed` when the portal knows who books (a logged-in resident, an operator taking a phone call).
    A visitor's booking is PENDING: it holds the slot for HOLD_FOR while they confirm it from the email
    (until an SMS channel exists, a visitor without email books by calling the Social Point).
    An operator booking for someone else may leave no contact at all (the person has none, or was told the
    time at the desk); such a booking then holds no contact, or the resident's own key when one is named.
    """
    for_someone_else = booked_by is not None and booked_by != resident
    now = timezone.now()
    _lapse_unconfirmed(social_point, now)
    slot = slot_at(social_point, starts_at)
    if slot is None:
        raise ValidationError(_("This time is not one of the Social Point's free slots."), code="not_a_slot")
    if not name.strip():
        raise ValidationError(_("Tell us your name."), code="name_required")
    if not email.strip() and not phone.strip() and not (confirmed and for_someone_else):
        raise ValidationError(_("Leave an email address or a phone number, so that we can reach you."),
                              code="contact_required")  # fmt: skip
    if not confirmed and not email.strip():
        raise ValidationError(
            _("Leave an email address: we send you a link to confirm the booking. Without email, call the Social "
              "Point and book by phone."),
            code="email_required",
        )  # fmt: skip
    key = contact_key(email, phone) or (f"resident:{resident.pk}" if resident is not None else "")
    # Bookings of this contact that are over no longer count as upcoming.
    Appointment.objects.filter(social_point=social_point, contact_key=key, holds_contact=True,
                               starts_at__lt=now).update(holds_contact=False)  # fmt: skip
    if for_someone_else:
        already_booked = ValidationError(
            _("%(name)s already has an upcoming appointment at this Social Point: see the agenda, and cancel that "
              "one first to book another time.") % {"name": name.strip()},
            code="already_booked",
        )  # fmt: skip
    else:
        already_booked = ValidationError(
            _("You already have an appointment at this Social Point. To change it, call the Social Point."),
            code="already_booked",
        )
    if Appointment.objects.filter(social_point=social_point, contact_key=key, holds_contact=True).exists():
        raise already_booked
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                social_point=social_point, starts_at=slot.starts_at, ends_at=slot.ends_at, resident=resident,
                name=name.strip(), email=email.strip().lower(), phone=phone.strip(), topic=topic.strip(),
                booked_by=booked_by, language=language, contact_key=key, holds_contact=bool(key),
                state=Appointment.State.BOOKED if confirmed else Appointment.State.PENDING,
                confirmed_at=now if confirmed else None,
                hold_until=None if confirmed else min(now + HOLD_FOR, slot.starts_at),
            )  # fmt: skip
    except IntegrityError:
        if Appointment.objects.filter(social_point=social_point, contact_key=key, holds_contact=True).exists():
            raise already_booked from None
        raise ValidationError(_("Someone has just booked this time. Please choose another one."),
                              code="slot_taken") from None  # fmt: skip
    record(booked_by, "appointment.booked", appointment, on_behalf_of=resident if resident != booked_by else None,
           confirmed=confirmed)  # fmt: skip
    if confirmed:
        _send_booked(appointment)
    else:
        token = signing.dumps(str(appointment.pk), salt=CONFIRMATION_SALT)
        link = absolute_url(reverse("assistance:booking_confirm", args=[appointment.pk, token]))
        send_after_commit("assistance/email/appointment_confirm", appointment.email,
                          _appointment_context(appointment) | {"link": link, "hours": "2"},
                          appointment.language)  # fmt: skip
    return appointment


def appointment_for_confirmation(appointment_id: uuid.UUID, token: str) -> Appointment | None:
    """The pending booking a confirmation link names, or None when the link is not one we sent."""
    try:
        signed = signing.loads(token, salt=CONFIRMATION_SALT, max_age=HOLD_FOR + dt.timedelta(minutes=5))
    except signing.BadSignature:
        return None
    if signed != str(appointment_id):
        return None
    return Appointment.objects.select_related("social_point__municipality").filter(pk=appointment_id).first()


@transaction.atomic
def do_confirm_appointment(appointment: Appointment) -> Appointment:
    """The visitor confirms their booking from the link in the email (repeating it changes nothing)."""
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if locked.state == Appointment.State.BOOKED:
        return locked
    if locked.state != Appointment.State.PENDING or (locked.hold_until and locked.hold_until < timezone.now()):
        raise ValidationError(_("This booking was not confirmed in time and the time has been freed: book again."),
                              code="lapsed")  # fmt: skip
    locked.state, locked.confirmed_at, locked.hold_until = Appointment.State.BOOKED, timezone.now(), None
    locked.save(update_fields=["state", "confirmed_at", "hold_until"])
    record(None, "appointment.confirmed", locked)
    _send_booked(locked)
    return locked


def _send_booked(appointment: Appointment) -> None:
    if appointment.email:
        send_after_commit("assistance/email/appointment_booked", appointment.email,
                          _appointment_context(appointment), appointment.language)  # fmt: skip


def _lapse_unconfirmed(social_point: SocialPoint | None, now: dt.datetime) -> int:
    """Pending bookings whose hold is over free their slot and their contact. Returns how many."""
    lapsed = Appointment.objects.select_for_update().filter(state=Appointment.State.PENDING, hold_until__lt=now)
    if social_point is not None:
        lapsed = lapsed.filter(social_point=social_point)
    count = 0
    for appointment in lapsed:
        appointment.state, appointment.holds_contact = Appointment.State.LAPSED, False
        appointment.save(update_fields=["state", "holds_contact"])
        record(None, "appointment.lapsed", appointment)
        count += 1
    return count


@transaction.atomic
def do_lapse_unconfirmed_bookings(now: dt.datetime | None = None) -> int:
    """Every Social Point's unconfirmed bookings past their hold (run with the daily reminders)."""
    return _lapse_unconfirmed(None, now or timezone.now())


@transaction.atomic
def do_add_walk_in(
    *, actor: User, social_point: SocialPoint, name: str, topic: str = "", resident: User | None = None
) -> Appointment:
    """Someone came to the desk without booking: recorded as attended, now."""
    if not name.strip():
        raise ValidationError(_("Write the person's name."), code="name_required")
    now = timezone.now()
    appointment = Appointment.objects.create(
        social_point=social_point,
        starts_at=now,
        ends_at=now + dt.timedelta(minutes=social_point.slot_minutes),
        resident=resident,
        name=name.strip(),
        topic=topic.strip(),
        state=Appointment.State.ATTENDED,
        walk_in=True,
        booked_by=actor,
    )
    record(actor, "appointment.walk_in", appointment)
    return appointment


APPOINTMENT_TRANSITIONS = {
    Appointment.State.PENDING: {Appointment.State.CANCELLED},
    Appointment.State.BOOKED: {Appointment.State.ATTENDED, Appointment.State.NO_SHOW, Appointment.State.CANCELLED},
    Appointment.State.NO_SHOW: {Appointment.State.ATTENDED},  # they came late after all
}


@transaction.atomic
def do_set_appointment_state(appointment: Appointment, *, actor: User, state: str) -> Appointment:
    locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if state not in APPOINTMENT_TRANSITIONS.get(Appointment.State(locked.state), set()):
        raise ValidationError(_("This appointment cannot be changed this way."), code="invalid_transition")
    if state in (Appointment.State.ATTENDED, Appointment.State.NO_SHOW) and locked.starts_at > timezone.now():
        raise ValidationError(_("This appointment has not started yet."), code="not_started")
    previous = locked.state
    locked.state, locked.holds_contact = state, False  # attended, missed or cancelled: no longer upcoming
    locked.save(update_fields=["state", "holds_contact"])
    record(actor, f"appointment.{state}", locked, previous=previous)
    return locked


# The planning office changes a Social Point's hours: bookings the new hours leave out are cancelled and their
# people told (an email with a link to book again; the desk calls those who left only a phone number).


def cancel_bookings_out_of_hours(point: SocialPoint, *, actor: User | None, reason: str = "") -> list[Appointment]:
    """Cancel the upcoming bookings of `point` that no longer fall within its opening hours (or all of them when
    it is closed to the public), email each person who left an address, and return them. Call inside the
    transaction that changed the hours."""
    upcoming = list(upcoming_bookings(point).select_for_update().select_related("social_point__municipality"))
    if not upcoming:
        return []
    point.refresh_from_db(fields=["is_active"])
    days = intervals_between(point, timezone.localdate(upcoming[0].starts_at),
                             timezone.localdate(upcoming[-1].starts_at))  # fmt: skip
    cancelled = []
    for appointment in upcoming:
        local_start, local_end = timezone.localtime(appointment.starts_at), timezone.localtime(appointment.ends_at)
        fits = point.is_active and any(
            opens <= local_start.time() and local_end.time() <= closes and local_start.date() == local_end.date()
            for opens, closes in days.get(local_start.date(), [])
        )
        if fits:
            continue
        appointment.state, appointment.holds_contact = Appointment.State.CANCELLED, False
        appointment.cancelled_for_hours = True
        appointment.save(update_fields=["state", "holds_contact", "cancelled_for_hours"])
        record(actor, "appointment.cancelled", appointment, because="opening_hours")
        if appointment.email:
            send_after_commit("assistance/email/appointment_cancelled", appointment.email,
                              _appointment_context(appointment) | {
                                  "reason": reason, "book_url": absolute_url(reverse("assistance:book",
                                                                                     args=[point.slug]))},
                              appointment.language)  # fmt: skip
        cancelled.append(appointment)
    return cancelled


@transaction.atomic
def do_save_point_and_bookings(*, actor: User, **fields: object) -> tuple[SocialPoint, list[Appointment]]:
    """territory.actions.do_save_social_point, and the bookings its new hours leave out cancelled."""
    point = territory_actions.do_save_social_point(actor=actor, **fields)  # type: ignore[arg-type]
    return point, cancel_bookings_out_of_hours(point, actor=actor)


@transaction.atomic
def do_set_point_open_and_bookings(point: SocialPoint, *, actor: User, is_active: bool) -> list[Appointment]:
    territory_actions.do_set_social_point_open(point, actor=actor, is_active=is_active)
    return cancel_bookings_out_of_hours(point, actor=actor)


@transaction.atomic
def do_add_exception_and_bookings(
    point: SocialPoint, *, actor: User, first_day: dt.date, last_day: dt.date, opens: dt.time | None = None,
    closes: dt.time | None = None, reason: str = "",
) -> tuple[OpeningException, list[Appointment]]:  # fmt: skip
    exception = territory_actions.do_add_opening_exception(
        point, actor=actor, first_day=first_day, last_day=last_day, opens=opens, closes=closes, reason=reason
    )
    return exception, cancel_bookings_out_of_hours(point, actor=actor, reason=exception.reason)


def bookings_to_call(point: SocialPoint) -> list[Appointment]:
    """Upcoming bookings cancelled by a change of hours whose people left no email: the desk calls them."""
    return list(Appointment.objects.filter(social_point=point, cancelled_for_hours=True, email="",
                                           starts_at__gte=timezone.now()).order_by("starts_at"))  # fmt: skip


def do_send_appointment_reminders(now: dt.datetime | None = None) -> int:
    """Email everyone booked for tomorrow who left an email, once. Returns how many were sent."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=tz)
    due = Appointment.objects.filter(
        state=Appointment.State.BOOKED,
        reminder_sent_at__isnull=True,
        starts_at__gte=start,
        starts_at__lt=start + dt.timedelta(days=1),
    ).exclude(email="")
    sent = 0
    for appointment in due.select_related("social_point"):
        with transaction.atomic():
            # Claim it first: two workers running at once never send the same reminder twice.
            claimed = Appointment.objects.filter(pk=appointment.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            send_after_commit("assistance/email/appointment_reminder", appointment.email,
                              _appointment_context(appointment), appointment.language)  # fmt: skip
            sent += 1
    return sent


def _appointment_context(appointment: Appointment) -> dict[str, str]:
    point = appointment.social_point
    local = timezone.localtime(appointment.starts_at)
    return {
        "name": appointment.name,
        "social_point": point.name,
        "address": f"{point.address}, {point.postal_code} {point.municipality.name}",
        "phone": point.phone,
        "date": written_date(local.date(), appointment.language, weekday=True),
        "time": local.strftime("%H:%M"),
        "portal_url": settings.PORTAL_URL,
    }


# Rectification (GDPR art. 16)


def rectification_desk(profile: CitizenProfile) -> SocialPoint:
    """Who handles a resident's request for rectification: the Social Point following them, else one of their
    municipality, else the district's first."""
    following = consents_of(profile)
    if following:
        return following[0].social_point
    points = list(public_social_points())
    if not points:
        raise ValidationError(_("The district has no Social Point yet: write to the planning office."), code="no_desk")
    return next((point for point in points if point.municipality_id == profile.municipality_id), points[0])


@transaction.atomic
def do_request_rectification(profile: CitizenProfile, *, actor: User, about: str, details: str) -> Rectification:
    if about not in Rectification.About.values:
        raise ValidationError(_("Choose what is wrong."), code="about")
    details = details.strip()
    if not details:
        raise ValidationError(_("Write what is wrong and what it should say."), code="details")
    found = Rectification.objects.create(resident=profile, social_point=rectification_desk(profile), about=about,
                                         details=details[:2000])  # fmt: skip
    record(actor, "rectification.requested", found, on_behalf_of=profile.user, about=about)
    return found


@transaction.atomic
def do_answer_rectification(rectification: Rectification, *, actor: User, corrected: bool, answer: str) -> None:
    """The desk says what it corrected (where the data lives: the profile, the interview, the request) or why not."""
    found = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if found.state != Rectification.State.OPEN:
        raise ValidationError(_("This request has already been answered."), code="answered")
    answer = answer.strip()
    if not answer:
        raise ValidationError(_("Write the answer the resident will read."), code="answer")
    found.state = Rectification.State.DONE if corrected else Rectification.State.REFUSED
    found.answer, found.answered_by, found.answered_at = answer[:2000], actor, timezone.now()
    found.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    resident = found.resident.user
    record(actor, "rectification.answered", found, on_behalf_of=resident, state=found.state)
    send_after_commit("assistance/email/rectification_answered", resident.email, {
        "name": resident.first_name, "social_point": str(found.social_point), "state": found.get_state_display(),
        "link": absolute_url(reverse("assistance:my_rectifications")), "portal_url": settings.PORTAL_URL,
    }, resident.preferred_language)  # fmt: skip
