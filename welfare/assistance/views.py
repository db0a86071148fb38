import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from welfare.accounts.access import chosen_place, citizen_profile_of, followed_by, request_user
from welfare.accounts.actions import do_issue_activation_code, do_register_assisted_citizen
from welfare.accounts.models import AssistedRegistration
from welfare.accounts.second_factor import confirmed_recently
from welfare.assistance import access
from welfare.assistance.actions import (
    appointment_for_confirmation,
    do_add_walk_in,
    do_answer_rectification,
    do_book_appointment,
    do_confirm_appointment,
    do_record_interview,
    do_request_rectification,
    do_set_appointment_state,
    do_update_interview,
    do_withdraw_interview_consent,
)
from welfare.assistance.forms import (
    AssistedRegistrationForm,
    BookingForm,
    InterviewForm,
    NewInterviewForm,
    OperatorBookingForm,
    RectificationAnswerForm,
    RectificationForm,
    ResidentSearchForm,
    WalkInForm,
)
from welfare.assistance.models import Appointment, Interview, Rectification
from welfare.assistance.slots import free_slots, slots_by_day
from welfare.care.access import requests_for_acting
from welfare.care.models import ServiceRequest
from welfare.lib.client_address import client_address
from welfare.lib.feedback import run_and_tell
from welfare.lib.forms import with_place_choice
from welfare.lib.mail import absolute_url
from welfare.lib.pdf import pdf_response
from welfare.lib.throttle import over_limit
from welfare.territory.models import SocialPoint


def with_point_choice[F: Form](form: F, points: list[SocialPoint]) -> F:
    """An operator of several Social Points says which one a registration, an interview or a visit is for."""
    return with_place_choice(form, points, _("Social Point"))


# The operator's console and residents.


@login_required
@require_safe
def console(request: HttpRequest) -> HttpResponse:
    """Today's appointments, follow-ups due, residents followed, requests started for them."""
    user = request_user(request)
    points = access.social_points_for_operator(user)
    today = timezone.localdate()
    appointments = access.appointments_for_operator(user).filter(starts_at__date=today).select_related("social_point")
    follow_ups = (
        access.interviews_for_operator(user)
        .filter(
            follow_up_on__lte=today + dt.timedelta(days=7),
            outcome=Interview.Outcome.OPEN,
            resident__in=followed_by(points),
        )
        .select_related("resident__user", "social_point")
        .order_by("follow_up_on")
    )
    followed = followed_by(points).select_related("user", "municipality").order_by("user__last_name",
                                                                                    "user__first_name")  # fmt: skip
    # Requests the Social Point started for residents it may still act for (not once consent is withdrawn).
    started = (
        ServiceRequest.objects.filter(
            events__from_state="",
            events__on_behalf_of__isnull=False,
            events__actor__memberships__social_point__in=points,
            requester__citizen_profile__in=followed_by(points),
        )
        .select_related("service", "requester")
        .distinct()
        .order_by("-created_at")[:50]
    )
    rectifications = (access.rectifications_for_operator(user).filter(state=Rectification.State.OPEN)
                      .select_related("resident__user").order_by("created_at"))  # fmt: skip
    return render(request, "assistance/console.html", {
        "points": points, "appointments": appointments, "follow_ups": follow_ups, "followed": followed,
        "started": started, "today": today, "rectifications": rectifications,
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def residents(request: HttpRequest) -> HttpResponse:
    """Find a resident by exact codice fiscale (POST: the code never goes into a URL)."""
    user = request_user(request)
    access.social_points_for_operator(user)
    form = ResidentSearchForm(request.POST or None)
    match = None
    searched = False
    if request.method == "POST" and form.is_valid():
        searched = True
        match = access.find_resident(user, form.cleaned_data["codice_fiscale"])
    return render(request, "assistance/residents.html", {"form": form, "match": match, "searched": searched})


@login_required
@require_http_methods(["GET", "POST"])
def resident_new(request: HttpRequest) -> HttpResponse:
    """Assisted registration at the desk."""
    user = request_user(request)
    points = access.social_points_for_operator(user)
    form = with_point_choice(AssistedRegistrationForm(request.POST or None), points)
    if request.method == "POST" and form.is_valid():
        point = chosen_place(points, form.cleaned_data.get("luogo"))
        try:
            registration = do_register_assisted_citizen(actor=user, social_point=point, **form.registration_data())
        except ValidationError as error:
            field = "codice_fiscale" if error.code == "codice_fiscale_taken" else None
            form.add_error("email" if error.code == "email_taken" else field, error)
        else:
            messages.success(request, _("The resident is registered. Print the letter with their activation code."))
            return redirect("assistance:resident", profile_id=registration.profile_id)
    return render(request, "assistance/resident_new.html", {"form": form})


@login_required
@require_safe
def resident(request: HttpRequest, profile_id: int) -> HttpResponse:
    user = request_user(request)
    match = access.access_resident_for_operator(user, profile_id)
    assert match.authority is not None
    registration = AssistedRegistration.objects.filter(profile=match.profile).first()
    return render(request, "assistance/resident.html", {
        "match": match,
        "profile": match.profile,
        "registration": registration,
        "interviews": access.interviews_for_operator(user).filter(resident=match.profile).select_related("operator"),
        "requests": requests_for_acting(match.authority).select_related("service", "beneficiary_member"),
    })  # fmt: skip


@login_required
@require_POST
def activation_letter(request: HttpRequest, profile_id: int) -> HttpResponse:
    """A printable letter with a new activation code (the old one stops working)."""
    user = request_user(request)
    match = access.access_resident_for_operator(user, profile_id)
    registration = AssistedRegistration.objects.filter(profile=match.profile, taken_over_at__isnull=True).first()
    if registration is None or registration.social_point_id not in {
        p.pk for p in access.social_points_for_operator(user)
    }:
        raise Http404
    code = do_issue_activation_code(registration, actor=user)
    return pdf_response("assistance/activation_letter.html", {
        "registration": registration, "profile": match.profile, "code": code,
        "url": absolute_url(reverse("accounts:take_over"), request),
    }, request, "lettera-attivazione.pdf")  # fmt: skip


# Interviews.


@login_required
@require_POST
def interview_new(request: HttpRequest) -> HttpResponse:
    """POSTed from a search result with the codice fiscale (step 1), then with the whole interview."""
    user = request_user(request)
    points = access.social_points_for_operator(user)
    code = request.POST.get("codice_fiscale", "")
    match = access.find_resident(user, code) if code else None
    if match is None:
        raise Http404
    if "start" in request.POST:
        form = NewInterviewForm(
            initial={"codice_fiscale": match.profile.codice_fiscale, "held_on": timezone.localdate()}
        )
        return render(request, "assistance/interview_new.html", {"form": with_point_choice(form, points),
                                                                 "match": match})  # fmt: skip
    form = with_point_choice(NewInterviewForm(request.POST), points)
    if form.is_valid():
        data = form.cleaned_data
        try:
            interview = do_record_interview(
                actor=user, social_point=chosen_place(points, data.get("luogo")), resident=match.profile,
                held_on=data["held_on"],
                need_areas=data["need_areas"], notes=data["notes"], services=list(data["services"]),
                follow_up_on=data["follow_up_on"], outcome=data["outcome"], consent_given=data["consent_given"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The interview has been recorded."))
            return redirect("assistance:interview", interview_id=interview.pk)
    return render(request, "assistance/interview_new.html", {"form": form, "match": match}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@confirmed_recently  # the notes are decrypted: only shortly after a login or a confirmation
def interview(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    found = access.access_interview_for_operator(user, interview_id)
    if request.method == "POST":
        form = InterviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                do_update_interview(found, actor=user, need_areas=data["need_areas"], notes=data["notes"],
                                    services=list(data["services"]), follow_up_on=data["follow_up_on"],
                                    outcome=data["outcome"])  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The interview has been saved."))
                return redirect("assistance:interview", interview_id=found.pk)
    else:
        form = InterviewForm(initial={
            "need_areas": found.need_areas, "notes": access.interview_notes_of(found, reader=user),
            "services": list(found.services_proposed.all()), "follow_up_on": found.follow_up_on,
            "outcome": found.outcome,
        })  # fmt: skip
    return render(request, "assistance/interview.html", {
        "interview": found, "form": form, "proposed": found.services_proposed.select_related("organization"),
        "consent_active": found.consent_until >= timezone.localdate(),
    })  # fmt: skip


@login_required
@require_POST
def interview_consent_withdraw(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    found = access.access_interview_for_operator(user, interview_id)
    do_withdraw_interview_consent(found, actor=user)
    messages.success(request, _("The consent has been withdrawn: the Social Point no longer follows this resident."))
    return redirect("assistance:console")


@login_required
@require_http_methods(["GET", "POST"])
def my_rectifications(request: HttpRequest) -> HttpResponse:
    """Ask to correct what one cannot edit oneself; see the answers. The resident's own, never a delegate's."""
    user = request_user(request)
    profile = citizen_profile_of(user)
    if profile is None:
        messages.info(request, _("First add your codice fiscale and residence."))
        return redirect("accounts:profile")
    form = RectificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = do_request_rectification(profile, actor=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sent to %(point)s: you will find the answer here and by email.")
                             % {"point": found.social_point})  # fmt: skip
            return redirect("assistance:my_rectifications")
    asked = Rectification.objects.filter(resident=profile).select_related("social_point")
    return render(request, "assistance/my_rectifications.html", {"form": form, "asked": asked})


@login_required
@require_http_methods(["GET", "POST"])
def rectification(request: HttpRequest, rectification_id: uuid.UUID) -> HttpResponse:
    """The desk reads a request for rectification, corrects the data where it lives, and answers."""
    user = request_user(request)
    found = access.access_rectification_for_operator(user, rectification_id)
    form = RectificationAnswerForm(request.POST or None)
    if (request.method == "POST" and form.is_valid()
            and run_and_tell(request, lambda: do_answer_rectification(found, actor=user, **form.cleaned_data),
                             _("Answered: the resident is told."))):  # fmt: skip
        return redirect("assistance:console")
    return render(request, "assistance/rectification.html", {"rectification": found, "form": form})


@login_required
@require_POST
def my_consent_withdraw(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    """The resident withdraws the consent they gave in an interview: the Social Point stops following them."""
    user = request_user(request)
    found = access.access_interview_for_resident(user, interview_id)
    do_withdraw_interview_consent(found, actor=user)
    messages.success(request, _("Consent withdrawn: %(point)s no longer follows you.") % {"point": found.social_point})
    return redirect("portal:consents")


@login_required
@require_safe
def my_interviews(request: HttpRequest) -> HttpResponse:
    """The resident's own interviews (not shown to delegates: the notes are the resident's alone)."""
    user = request_user(request)
    found = Interview.objects.filter(resident__user=user).select_related("social_point")
    return render(request, "assistance/my_interviews.html", {"interviews": found})


@login_required
@require_safe
def my_interview(request: HttpRequest, interview_id: uuid.UUID) -> HttpResponse:
    user = request_user(request)
    found = access.access_interview_for_resident(user, interview_id)
    return render(request, "assistance/my_interview.html", {
        "interview": found, "notes": access.interview_notes_of(found, reader=user),
        "proposed": found.services_proposed.select_related("organization"),
    })  # fmt: skip


# Appointments: the operator's agenda.


AGENDA_YEARS = 20  # how far back or ahead the agenda can be browsed


@login_required
@require_safe
def agenda(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    points = access.social_points_for_operator(user)
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(request.GET.get("giorno", "")) if request.GET.get("giorno") else today
    except ValueError:
        day = today
    if abs((day - today).days) > AGENDA_YEARS * 366:  # a mistyped year; and no date arithmetic overflows
        day = today
    appointments = access.appointments_for_operator(user).filter(starts_at__date=day).select_related("social_point")
    return render(request, "assistance/agenda.html", {
        "points": points, "day": day, "appointments": appointments,
        "walk_in_form": with_point_choice(WalkInForm(), points),
        "previous_day": day - dt.timedelta(days=1), "next_day": day + dt.timedelta(days=1),
    })  # fmt: skip


@login_required
@require_POST
def walk_in(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    points = access.social_points_for_operator(user)
    form = with_point_choice(WalkInForm(request.POST), points)
    if form.is_valid():
        point = chosen_place(points, form.cleaned_data.get("luogo"))
        do_add_walk_in(actor=user, social_point=point, name=form.cleaned_data["name"], topic=form.cleaned_data["topic"])
        messages.success(request, _("The visit has been added to today's agenda."))
    elif "luogo" in form.errors:
        messages.error(request, _("Choose the Social Point the visit is for."))
    else:
        messages.error(request, _("Write the person's name."))
    return redirect("assistance:agenda")


APPOINTMENT_ACTIONS = {"presente": Appointment.State.ATTENDED, "assente": Appointment.State.NO_SHOW,
                       "annulla": Appointment.State.CANCELLED}  # fmt: skip


@login_required
@require_POST
def appointment_action(request: HttpRequest, appointment_id: uuid.UUID, action: str) -> HttpResponse:
    user = request_user(request)
    found = access.access_appointment_for_operator(user, appointment_id)
    if action not in APPOINTMENT_ACTIONS:
        raise Http404
    try:
        do_set_appointment_state(found, actor=user, state=APPOINTMENT_ACTIONS[action])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done."))
    day = timezone.localdate(found.starts_at).isoformat()
    return redirect(f"{reverse('assistance:agenda')}?giorno={day}")


@login_required
@require_http_methods(["GET", "POST"])
def book_for(request: HttpRequest) -> HttpResponse:
    """An operator books a slot for someone: a resident their Social Point follows (from the resident's page,
    with the resident's contact), or a caller on the phone. The booking is confirmed at once; the confirmation
    goes to the person's email, if any, never to the operator."""
    user = request_user(request)
    points = access.social_points_for_operator(user)
    wanted = request.GET.get("luogo") or (points[0].pk if len(points) > 1 else None)
    point = chosen_place(points, wanted)
    match = None
    if request.GET.get("residente", "").isdigit():
        match = access.access_resident_for_operator(user, int(request.GET["residente"]))
    slots = free_slots(point)
    form = OperatorBookingForm(request.POST or None, slots=[(slot.key, slot.key) for slot in slots])
    if request.method == "GET" and match is not None:
        form.initial.update(name=match.name, email=match.profile.user.email, phone=match.profile.phone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appointment = do_book_appointment(
                social_point=point, starts_at=dt.datetime.fromisoformat(data["slot"]), name=data["name"],
                email=data["email"], phone=data["phone"], topic=data["topic"],
                resident=match.profile.user if match is not None else None, booked_by=user,
                language=get_language() or "it", confirmed=True,
            )  # fmt: skip
        except ValidationError as error:
            fields = {"slot_taken": "slot", "not_a_slot": "slot", "already_booked": None}
            form.add_error(fields.get(str(error.code)), error)
        else:
            messages.success(request, _("The appointment is booked."))
            day = timezone.localdate(appointment.starts_at).isoformat()
            return redirect(f"{reverse('assistance:agenda')}?giorno={day}")
    days = slots_by_day(slots)
    return render(request, "assistance/book_for.html", {
        "point": point, "points": points, "form": form, "days": days, "match": match,
    })  # fmt: skip


# Appointments: public booking.


def _public_point(slug: str) -> SocialPoint:
    try:
        return SocialPoint.objects.filter(is_active=True).select_related("municipality").get(slug=slug)
    except SocialPoint.DoesNotExist as error:
        raise Http404 from error


# Online bookings by visitors who are not logged in: at most this many a day from one client address.
VISITOR_BOOKINGS_PER_ADDRESS = 5


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone books a slot: residents logged in (booked at once), or visitors leaving an email, who confirm the
    booking from the link we send them (it holds the slot meanwhile)."""
    point = _public_point(slug)
    slots = free_slots(point)
    form = BookingForm(request.POST or None, slots=[(slot.key, slot.key) for slot in slots])
    # A resident who is logged in books for themself, at once; anyone else (a visitor, or staff on the public
    # page) books like a visitor. Operators book for others from their agenda (book_for).
    user = request.user if request.user.is_authenticated and hasattr(request.user, "citizen_profile") else None
    if request.method == "GET" and user is not None:
        form.initial.update(name=user.get_full_name(), email=user.email)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if user is None and over_limit("booking", client_address(request), limit=VISITOR_BOOKINGS_PER_ADDRESS,
                                       seconds=86400):  # fmt: skip
            form.add_error(None, _("Too many bookings from this connection today. Please call the Social Point."))
            status = 429
        else:
            try:
                appointment = do_book_appointment(
                    social_point=point, starts_at=dt.datetime.fromisoformat(data["slot"]), name=data["name"],
                    email=data["email"], phone=data["phone"], topic=data["topic"],
                    resident=user,
                    booked_by=user, language=get_language() or "it", confirmed=user is not None,
                )  # fmt: skip
            except ValidationError as error:
                fields = {"slot_taken": "slot", "not_a_slot": "slot", "email_required": "email"}
                form.add_error(fields.get(str(error.code)), error)
            else:
                return redirect("assistance:booking_done", appointment_id=appointment.pk)
    days = slots_by_day(slots)
    return render(request, "assistance/book.html", {"point": point, "form": form, "days": days}, status=status)


@require_http_methods(["GET", "POST"])
def booking_confirm(request: HttpRequest, appointment_id: uuid.UUID, token: str) -> HttpResponse:
    """The link in the visitor's email: a page with one button (a GET never confirms: mail scanners open links)."""
    appointment = appointment_for_confirmation(appointment_id, token)
    if appointment is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            do_confirm_appointment(appointment)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Your appointment is confirmed."))
            return redirect("assistance:booking_done", appointment_id=appointment.pk)
    return render(request, "assistance/booking_confirm.html", {"appointment": appointment, "error": error})


@require_safe
def booking_done(request: HttpRequest, appointment_id: uuid.UUID) -> HttpResponse:
    """The confirmation: date, time and place only (the id is unguessable; no personal data is shown)."""
    try:
        appointment = Appointment.objects.select_related("social_point__municipality").get(
            pk=appointment_id, walk_in=False
        )
    except Appointment.DoesNotExist as error:
        raise Http404 from error
    return render(request, "assistance/booking_done.html", {"appointment": appointment})
